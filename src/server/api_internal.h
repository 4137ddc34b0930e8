// Helpers shared by the API's source files (api.cpp and one file per
// resource group). Not a public header.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/api.h"

namespace cairn {

using nlohmann::json;

int HttpStatusOf(StatusCode code);
HttpResponse JsonResponse(int status, const json& body);
HttpResponse JsonTextResponse(int status, std::string body);  // body: JSON text
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message);
HttpResponse ErrorResponse(const Status& status);
json PersonJson(const Person& p);
// `text` as a whole decimal number within [lo, hi], or nullopt (so "12abc",
// "1e3" and "99999999999999999999" are refused, not wrapped).
std::optional<long long> BoundedNumber(const std::string& text, long long lo, long long hi);
// The string at `key`, or "" when absent or not a string.
std::string Str(const json& body, const char* key);

struct Api::Context {
  const HttpRequest& request;
  std::map<std::string, std::string> params;
  std::optional<Principal> who;
  std::string csrf;
  json body;
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
