// Health, the OpenAPI document, sign-in and sign-out, and who is signed in.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class SessionHandlers {
 public:
  explicit SessionHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<SessionHandlers>> Routes();

 private:
  HttpResponse Health(RequestContext& ctx);
  HttpResponse OpenApi(RequestContext& ctx);
  HttpResponse Login(RequestContext& ctx);
  HttpResponse Logout(RequestContext& ctx);
  HttpResponse Me(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
