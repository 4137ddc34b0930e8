// People and administration: sections and their students, a student's
// record, accounts, roles, API tokens and the audit log.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class PeopleHandlers {
 public:
  explicit PeopleHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<PeopleHandlers>> Routes();

 private:
  HttpResponse ListSections(RequestContext& ctx);
  HttpResponse SectionStudents(RequestContext& ctx);
  HttpResponse SectionGrid(RequestContext& ctx);
  HttpResponse SetSectionBadges(RequestContext& ctx);
  HttpResponse GetStudent(RequestContext& ctx);
  HttpResponse ListUsers(RequestContext& ctx);
  HttpResponse SetUserRole(RequestContext& ctx);
  HttpResponse CreateUser(RequestContext& ctx);
  HttpResponse ResetPassword(RequestContext& ctx);
  HttpResponse ListTokens(RequestContext& ctx);
  HttpResponse CreateToken(RequestContext& ctx);
  HttpResponse RevokeToken(RequestContext& ctx);
  HttpResponse GetAudit(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
