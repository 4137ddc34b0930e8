// Health, the OpenAPI document, sign-in and sign-out, and who is signed in.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

// A new session for `account` (0: none); `*token` is the cookie's secret.
Session NewSession(const ApiServices& services, Id account, std::string* token);
// 200 with the person and CSRF token, and the session cookie.
HttpResponse SignedInResponse(const ApiServices& services, const Person& person,
                              const Session& session, const std::string& token);

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
