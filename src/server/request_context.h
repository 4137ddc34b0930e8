// What a handler is given: the request, what the pipeline decided about it
// (who is asking, whose record the path names, the parsed body), and what
// the handler hands back to the audit log.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "roster/roster.h"
#include "server/http_types.h"
#include "server/policy.h"

namespace cairn {

struct RequestContext {
  const HttpRequest& request;
  std::map<std::string, std::string> params;  // the path's {placeholders}, decoded
  std::optional<Principal> who;               // none: not signed in (public routes)
  std::string csrf;
  nlohmann::json body;  // a kJson route's parsed body (null when none was sent)
  // The roster this request decided on; `student` points into it, so it
  // stays valid for the whole request whatever the read model does.
  std::shared_ptr<const Roster> roster;
  const Person* student = nullptr;  // whose record the route names (subjects.h)
  // Handlers of bulk reads list every student they returned, and
  // administrators' actions say what they did: both go to the audit log.
  std::vector<Id> returned_students;
  std::string audit_detail;
};

}  // namespace cairn
