// The route table's vocabulary and the router that matches a request to a
// route. Each handler group declares its routes (handlers/*.h, `Routes()`);
// Api adds every group to one Router. What a route declares is what the
// request pipeline (Api) enforces before the handler runs, and what the
// generated tests (api_security_test, api_property_test) enumerate.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.h"
#include "server/policy.h"
#include "server/request_context.h"
#include "server/subjects.h"

namespace cairn {

// Where a route's handler runs when served (Api::Handle with a Responder).
enum class Work {
  kByMethod,  // GET and HEAD like kQuick, other methods like kSlow
  kQuick,     // on the I/O thread: memory, a few indexed reads, or a queued write
  kSlow,      // on the API's pool: password hashing, files, rendering, signing
};

// What a route's request body is, so the pipeline checks its content type
// and parses it (with depth and size limits) before anything else runs.
enum class BodyKind {
  kJson,     // application/json, parsed into RequestContext::body (GET: ignored)
  kCatalog,  // application/json read by the catalog reader (errors with JSON paths)
  kUpload,   // multipart/form-data, streamed (Api::StreamBody) or spooled by the server
  kAny,      // verification: JSON, a JWT or an image, read by the verifier
};

struct RouteInfo {
  const char* method;
  const char* pattern;  // "/api/v1/students/{student}/progress"
  AccessRule rule;
  // Written to the audit log: reads or changes a student's record, or an
  // administrator's action on accounts, tokens, keys, settings or the
  // catalog. (Refusals, 401 and 403, are logged on every route.)
  bool audited;
  Work work = Work::kByMethod;
  BodyKind body = BodyKind::kJson;
  Owner owner = Owner::kPath;  // whose record the access rule is decided on
};

// A group's route: its declaration and the member that handles it.
template <typename Group>
struct GroupRoute {
  RouteInfo info;
  HttpResponse (Group::*handler)(RequestContext&);
};

class Router {
 public:
  using Handler = std::function<HttpResponse(RequestContext&)>;
  struct Route {
    RouteInfo info;
    Handler handler;
    std::vector<std::string> segments;  // the pattern split at '/'
  };
  struct Match {
    const Route* route = nullptr;
    bool path_matched = false;                  // some route has this path, maybe not this method
    std::map<std::string, std::string> params;  // "{student}" -> the decoded segment
  };

  void Add(RouteInfo info, Handler handler);
  // Adds every route `Group::Routes()` declares, bound to `group` (which
  // must outlive the router).
  template <typename Group>
  void AddGroup(Group& group) {
    for (const GroupRoute<Group>& r : Group::Routes()) {
      Add(r.info, [&group, h = r.handler](RequestContext& ctx) { return (group.*h)(ctx); });
    }
  }
  // The first route whose pattern and method fit; segments are URL-decoded
  // before they are compared or captured.
  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

  // "/a/{b}/c" -> {"a", "{b}", "c"} (decoded).
  static std::vector<std::string> Split(std::string_view path);

 private:
  std::vector<Route> routes_;
};

}  // namespace cairn
