#include "server/handlers/people_handlers.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "mastery/awards.h"
#include "server/handlers/ledger_handlers.h"
#include "server/handlers/params.h"
#include "server/responses.h"
#include "service/accounts.h"
#include "service/crypto.h"

namespace cairn {

using nlohmann::json;

namespace {

const Section* FindSection(const Roster& roster, const std::string& sourced_id) {
  for (const Section& s : roster.sections) {
    if (s.sourced_id == sourced_id) return &s;
  }
  return nullptr;
}

}  // namespace

HttpResponse PeopleHandlers::ListSections(RequestContext& ctx) {
  return services_.model().Read([&](const ReadState& state) {
    json out = json::array();
    for (const Section* section : ReadableSections(*state.roster, *ctx.who)) {
      const School* school = state.roster->FindSchool(section->school_id);
      const Course* course = state.roster->FindCourse(section->course_id);
      json teachers = json::array();
      for (const Person* t : state.roster->TeachersOf(section->id))
        teachers.push_back(t->DisplayName());
      out.push_back({{"id", section->sourced_id},
                     {"title", section->title},
                     {"term", section->term},
                     {"school", school ? school->name : ""},
                     {"course", course ? course->title : ""},
                     {"badges", section->badges},
                     {"teachers", teachers},
                     {"student_count", state.roster->StudentsIn(section->id).size()}});
    }
    return JsonResponse(200, out);
  });
}

HttpResponse PeopleHandlers::SectionStudents(RequestContext& ctx) {
  return services_.model().Read([&](const ReadState& state) {
    const Section* section = FindSection(*state.roster, ctx.params["section"]);
    if (!section) return ErrorResponse(404, "not_found", "section: no section", "section");
    json out = json::array();
    for (const Person* student : state.roster->StudentsIn(section->id)) {
      ctx.returned_students.push_back(student->id);
      json badges = json::array();
      for (const std::string& code : section->badges) {
        badges.push_back(
            {{"badge", code}, {"award", AwardJson(AwardOf(state, student->id, code))}});
      }
      out.push_back({{"id", student->sourced_id},
                     {"name", student->DisplayName()},
                     {"grade", student->demographics.grade},
                     {"badges", badges}});
    }
    return JsonResponse(200, out);
  });
}

HttpResponse PeopleHandlers::SectionGrid(RequestContext& ctx) {
  return services_.model().Read([&](const ReadState& state) {
    const Section* section = FindSection(*state.roster, ctx.params["section"]);
    if (!section) return ErrorResponse(404, "not_found", "section: no section", "section");
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    auto query = ctx.request.Query();
    std::string code =
        query.count("badge") ? query["badge"] : (section->badges.empty() ? "" : section->badges[0]);
    const Badge* badge = state.catalog->FindBadge(code);
    if (!badge) return ErrorResponse(Status::InvalidField("badge", "no badge '" + code + "'"));
    const Scale& scale = state.catalog->ScaleOf(*badge);
    json levels = json::array();
    for (const ScaleLevel& l : scale.levels) {
      levels.push_back(
          {{"id", l.id}, {"label", l.label}, {"score", l.score}, {"mastery", l.mastery}});
    }
    json cpes = json::array();
    for (const Cpe& cpe : badge->cpes) {
      cpes.push_back({{"id", cpe.id}, {"label", cpe.label}, {"statement", cpe.statement}});
    }
    json students = json::array();
    const auto badge_index = *state.catalog->BadgeIndex(code);
    for (const Person* student : state.roster->StudentsIn(section->id)) {
      ctx.returned_students.push_back(student->id);
      json cells = json::array();
      auto statuses = state.index->engine().CpeStatusesOfBadge(student->id, *badge);
      for (std::size_t i = 0; i < badge->cpes.size(); ++i) {
        const std::uint32_t dense = badge->first_dense_cpe + static_cast<std::uint32_t>(i);
        auto it = std::find_if(statuses.begin(), statuses.end(),
                               [&](const CpeStatus& s) { return s.dense_cpe == dense; });
        if (it == statuses.end()) {
          cells.push_back({{"cpe", badge->cpes[i].id}, {"level", nullptr}, {"evidence_count", 0}});
          continue;
        }
        const ScaleLevel& level = scale.LevelAtOrBelow(it->value);
        cells.push_back({{"cpe", badge->cpes[i].id},
                         {"level", level.id},
                         {"level_label", level.label},
                         {"value", it->value},
                         {"mastered", it->mastered},
                         {"evidence_count", it->evidence_count}});
      }
      const BadgeStatus* status = state.index->engine().FindBadgeStatus(student->id, badge_index);
      students.push_back({{"id", student->sourced_id},
                          {"name", student->DisplayName()},
                          {"cells", cells},
                          {"rule_met", status && status->rule_met},
                          {"award", AwardJson(AwardOf(state, student->id, code))}});
    }
    return JsonResponse(200,
                        json{{"section", {{"id", section->sourced_id}, {"title", section->title}}},
                             {"badge", {{"code", badge->code}, {"title", badge->title}}},
                             {"badges", section->badges},
                             {"levels", levels},
                             {"cpes", cpes},
                             {"students", students}});
  });
}

HttpResponse PeopleHandlers::GetStudent(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student", "student");
  return services_.model().Read([&](const ReadState& state) {
    const Person& s = *ctx.student;
    json out = PersonJson(s);
    out["grade"] = s.demographics.grade;
    if (s.school_id) {
      if (const School* school = state.roster->FindSchool(*s.school_id))
        out["school"] = school->name;
    }
    json sections = json::array();
    for (const Section* section : state.roster->SectionsOf(s.id)) {
      sections.push_back(
          {{"id", section->sourced_id}, {"title", section->title}, {"badges", section->badges}});
    }
    out["sections"] = sections;
    return JsonResponse(200, out);
  });
}

HttpResponse PeopleHandlers::ListUsers(RequestContext&) {
  auto accounts = services_.Service().store().Accounts();
  if (!accounts.ok()) return ErrorResponse(accounts.status());
  return services_.model().Read([&](const ReadState& state) {
    json out = json::array();
    for (const Account& a : *accounts) {
      json item{{"id", a.id}, {"username", a.username}, {"disabled", a.disabled}};
      if (const Person* p = state.roster->FindPerson(a.person_id)) item["person"] = PersonJson(*p);
      out.push_back(std::move(item));
    }
    return JsonResponse(200, out);
  });
}

HttpResponse PeopleHandlers::SetSectionBadges(RequestContext& ctx) {
  const Section* section = FindSection(*ctx.roster, ctx.params["section"]);
  if (!section) return ErrorResponse(404, "not_found", "section: no section", "section");
  auto badges = services_.model().WithSnapshot(
      [&](const ReadSnapshot& state) { return ParseBadgeList(ctx.body, state.catalog.get()); });
  if (!badges.ok()) return ErrorResponse(badges.status());
  ctx.audit_detail = "badges of " + section->sourced_id + ": " + json(*badges).dump();
  return services_.Write([id = section->id, sourced = section->sourced_id, title = section->title,
                          badges = *badges](CairnService& service) {
    if (Status s = service.store().SetSectionBadges(id, badges); !s.ok()) return ErrorResponse(s);
    return JsonResponse(200, json{{"id", sourced}, {"title", title}, {"badges", badges}});
  });
}

// Staff move between roles (a teacher becomes a school leader...). Students
// and guardians are what the roster says they are: their records hang on it.
HttpResponse PeopleHandlers::SetUserRole(RequestContext& ctx) {
  const std::string ref = ctx.params["user"];
  if (ref.empty() || ref.size() > 18 || ref.find_first_not_of("0123456789") != std::string::npos) {
    return ErrorResponse(404, "not_found", "user: no such account", "user");
  }
  BodyReader r(ctx.body);
  const std::string role_name = r.Required("role");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  auto role = ParsePersonRole(role_name);
  if (!role || !IsStaff(*role)) {
    return ErrorResponse(
        Status::InvalidField("role", "expected teacher, school_leader, district_leader or admin"));
  }
  auto account = services_.Service().store().FindAccount(std::stoll(ref));
  if (!account.ok()) return ErrorResponse(account.status());
  if (!*account) return ErrorResponse(404, "not_found", "user: no such account", "user");
  const Id person_id = (*account)->person_id;
  if (person_id == ctx.who->person.id) {
    return ErrorResponse(409, "failed_precondition",
                         "role: ask another admin to change your own role", "role");
  }
  const Person* person = ctx.roster->FindPerson(person_id);
  if (!person) return ErrorResponse(404, "not_found", "user: no such person", "user");
  if (!IsStaff(person->role)) {
    return ErrorResponse(409, "failed_precondition",
                         "role: students and guardians keep the role the roster gives them",
                         "role");
  }
  if (*role == PersonRole::kSchoolLeader && !person->school_id) {
    return ErrorResponse(Status::InvalidField("role", "a school leader needs a school"));
  }
  ctx.audit_detail = "role of " + person->sourced_id + ": " +
                     std::string(PersonRoleName(person->role)) + " -> " +
                     std::string(PersonRoleName(*role));
  return services_.Write([person_id, role = *role](CairnService& service) {
    Status s = service.store().SetPersonRole(person_id, role);
    if (!s.ok()) return ErrorResponse(s);
    return JsonResponse(200, json{{"role", PersonRoleName(role)}});
  });
}

HttpResponse PeopleHandlers::CreateUser(RequestContext& ctx) {
  BodyReader r(ctx.body);
  const std::string person = r.Required("person"), username = r.Required("username");
  const std::string password = r.Optional("password");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  // Hashing is slow: here, on the pool; only the insert goes to the writer.
  auto hash = HashNewPassword(password);
  if (!hash.ok()) return ErrorResponse(hash.status());
  ctx.audit_detail = "account '" + username + "' for " + person;
  return services_.Write([this, person, username, hash = *hash](CairnService& service) {
    auto id = InsertAccount(service.store(), person, username, hash, services_.options().clock());
    if (!id.ok()) return ErrorResponse(id.status());
    return JsonResponse(201, json{{"id", *id}, {"username", username}});
  });
}

HttpResponse PeopleHandlers::ResetPassword(RequestContext& ctx) {
  BodyReader r(ctx.body);
  const std::string password = r.Optional("password");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  auto hash = HashNewPassword(password);
  if (!hash.ok()) return ErrorResponse(hash.status());
  const Id account = PathNumber(ctx.params, "user").value_or(0);
  ctx.audit_detail = "password reset for account " + std::to_string(account);
  return services_.Write([account, hash = *hash](CairnService& service) {
    if (Status s = cairn::ResetPassword(service.store(), account, hash); !s.ok()) {
      return ErrorResponse(s);
    }
    return JsonResponse(200, json{{"id", account}, {"password_reset", true}});
  });
}

HttpResponse PeopleHandlers::ListTokens(RequestContext& ctx) {
  auto tokens = services_.Service().store().ApiTokensOf(ctx.who->account_id);
  if (!tokens.ok()) return ErrorResponse(tokens.status());
  json out = json::array();
  for (const ApiToken& t : *tokens) {
    out.push_back({{"id", t.id},
                   {"name", t.name},
                   {"scopes", t.scopes},
                   {"created_at", FormatInstant(t.created_at)},
                   {"revoked", t.revoked_at.has_value()}});
  }
  return JsonResponse(200, out);
}

HttpResponse PeopleHandlers::CreateToken(RequestContext& ctx) {
  BodyReader r(ctx.body);
  ApiToken token;
  token.account_id = ctx.who->account_id;
  token.name = r.Required("name");
  const json* scopes = r.Array(ctx.body, "", "scopes", true);
  if (scopes && scopes->empty()) r.Error("scopes", "expected [\"read\"] or [\"read\", \"write\"]");
  for (std::size_t i = 0; scopes && i < scopes->size(); ++i) {
    const json& scope = (*scopes)[i];
    if (scope != "read" && scope != "write") {
      r.Error(JsonFieldReader::At("scopes", i), "unknown scope " + scope.dump());
      continue;
    }
    token.scopes.push_back(scope.get<std::string>());
  }
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  const std::string secret = "cairn_" + RandomToken();
  token.token_hash = Sha256Hex(secret);
  token.created_at = services_.options().clock();
  ctx.audit_detail = "token '" + token.name + "' " + json(token.scopes).dump();
  return services_.Write([token, secret](CairnService& service) {
    auto id = service.store().InsertApiToken(token);
    if (!id.ok()) return ErrorResponse(id.status());
    // The secret is shown once; only its hash is kept.
    return JsonResponse(
        201, json{{"id", *id}, {"name", token.name}, {"scopes", token.scopes}, {"token", secret}});
  });
}

HttpResponse PeopleHandlers::RevokeToken(RequestContext& ctx) {
  const Id id = PathNumber(ctx.params, "token").value_or(0);
  ctx.audit_detail = "token " + std::to_string(id) + " revoked";
  return services_.Write([this, id, account = ctx.who->account_id](CairnService& service) {
    // Only one's own tokens: another admin's token is not found.
    auto tokens = service.store().ApiTokensOf(account);
    if (!tokens.ok()) return ErrorResponse(tokens.status());
    if (std::none_of(tokens->begin(), tokens->end(),
                     [&](const ApiToken& t) { return t.id == id; })) {
      return ErrorResponse(404, "not_found", "token: no token " + std::to_string(id), "token");
    }
    Status status = service.store().RevokeApiToken(id, services_.options().clock());
    if (!status.ok()) return ErrorResponse(status);
    HttpResponse response;
    response.status = 204;
    return response;
  });
}

HttpResponse PeopleHandlers::GetAudit(RequestContext& ctx) {
  services_.FlushAudit();
  auto query = ctx.request.Query();
  std::optional<Id> student;
  int limit = 200;
  if (query.count("limit")) {
    auto n = BoundedNumber(query["limit"], 1, 5000);
    if (!n) return ErrorResponse(Status::InvalidField("limit", "expected 1 to 5000"));
    limit = static_cast<int>(*n);
  }
  // The request's roster snapshot, not the read lock: this reads the
  // database, and the writer's refresh must not wait for it.
  const Roster& roster = *ctx.roster;
  {
    if (query.count("student")) {
      const Person* p = roster.FindPersonBySourcedId(query["student"]);
      if (!p)
        return ErrorResponse(404, "not_found", "student: no student '" + query["student"] + "'",
                             "student");
      student = p->id;
    }
    auto entries = services_.Service().store().Audit(student, limit);
    if (!entries.ok()) return ErrorResponse(entries.status());
    json out = json::array();
    for (const AuditEntry& e : *entries) {
      json item{{"at", FormatInstant(e.at)},
                {"action", e.action},
                {"resource", e.resource},
                {"request_id", e.request_id},
                {"status", e.status}};
      if (e.actor_person_id) {
        if (const Person* p = roster.FindPerson(*e.actor_person_id)) item["actor"] = PersonJson(*p);
      }
      if (e.student_id) {
        if (const Person* p = roster.FindPerson(*e.student_id)) item["student"] = PersonJson(*p);
      }
      if (!e.students.empty()) {
        json students = json::array();
        for (Id id : e.students) {
          const Person* p = roster.FindPerson(id);
          students.push_back(p ? p->sourced_id : std::to_string(id));
        }
        item["students"] = std::move(students);
      }
      if (!e.detail.empty()) item["detail"] = e.detail;
      out.push_back(std::move(item));
    }
    return JsonResponse(200, out);
  }
}

std::vector<GroupRoute<PeopleHandlers>> PeopleHandlers::Routes() {
  using G = PeopleHandlers;
  return {
      {{"GET", "/api/v1/sections", AccessRule::kStaff, false}, &G::ListSections},
      {{"GET", "/api/v1/sections/{section}/students", AccessRule::kSectionRead, true},
       &G::SectionStudents},
      {{"GET", "/api/v1/sections/{section}/grid", AccessRule::kSectionRead, true}, &G::SectionGrid},
      {{"PUT", "/api/v1/sections/{section}/badges", AccessRule::kSectionWrite, true},
       &G::SetSectionBadges},
      {{"GET", "/api/v1/students/{student}", AccessRule::kStudentRead, true}, &G::GetStudent},
      {{"GET", "/api/v1/users", AccessRule::kAdmin, false}, &G::ListUsers},
      {{"POST", "/api/v1/users", AccessRule::kAdmin, true}, &G::CreateUser},
      {{"POST", "/api/v1/users/{user}/password", AccessRule::kAdmin, true}, &G::ResetPassword},
      {{"PUT", "/api/v1/users/{user}/role", AccessRule::kAdmin, true}, &G::SetUserRole},
      {{"GET", "/api/v1/tokens", AccessRule::kAdmin, false}, &G::ListTokens},
      {{"POST", "/api/v1/tokens", AccessRule::kAdmin, true}, &G::CreateToken},
      {{"DELETE", "/api/v1/tokens/{token}", AccessRule::kAdmin, true}, &G::RevokeToken},
      {{"GET", "/api/v1/audit", AccessRule::kAdmin, false, Work::kSlow}, &G::GetAudit},
  };
}

}  // namespace cairn
