#include "server/handlers/session_handlers.h"

#include <nlohmann/json.hpp>

#include "server/authenticator.h"
#include "server/handlers/params.h"
#include "server/responses.h"
#include "service/crypto.h"

namespace cairn {

using nlohmann::json;

const std::string& OpenApiDocument();  // generated from openapi.json

HttpResponse SessionHandlers::Health(RequestContext&) {
  auto id = services_.Service().store().LatestCatalogId();
  if (!id.ok())
    return ErrorResponse(503, "unavailable", "database: " + id.status().message(), "database");
  // Start-up issuance (server/pending_issuance.h), as a share: counts of
  // students are for the log, not a public page.
  const IssuanceProgress issuance = services_.IssuanceStatus();
  json issuing{{"state", IssuanceStateName(issuance.state)}};
  if (issuance.students_total > 0) {
    issuing["percent_done"] = issuance.students_done * 100 / issuance.students_total;
  }
  if (!services_.IssuanceBlocked().empty()) {
    issuing["state"] = "blocked";
    issuing["blocked"] = services_.IssuanceBlocked();
  }
  return JsonResponse(200, json{{"status", "ok"},
                                {"catalog_version", *id},
                                {"credential_issuance", std::move(issuing)}});
}

HttpResponse SessionHandlers::OpenApi(RequestContext&) {
  HttpResponse response;
  response.body = OpenApiDocument();
  return response;
}

HttpResponse SessionHandlers::Login(RequestContext& ctx) {
  BodyReader r(ctx.body);
  const std::string username = r.Required("username");
  const std::string password = r.Required("password");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  if (username.size() > 256 || password.size() > 1024) {
    return ErrorResponse(Status::InvalidField("body", "username or password too long"));
  }
  const Instant now = services_.options().clock();
  const std::string address = ctx.request.remote;
  LoginLimits limits;
  limits.per_account = services_.options().login_failures_allowed;
  // Counted and reserved before the slow password check, atomically (the
  // writer, and one transaction across servers), so parallel guesses cannot
  // all pass the count. Login runs on the pool, which may wait for the writer.
  auto attempt = std::make_shared<LoginAttempt>();
  HttpResponse reserved = services_.WaitFor(services_.Write([=](CairnService& service) {
    auto begun = service.store().BeginLoginAttempt(username, address, now, limits);
    if (!begun.ok()) return ErrorResponse(begun.status());
    *attempt = *begun;
    return JsonResponse(200, json::object());
  }));
  if (reserved.status != 200) return reserved;
  if (!attempt->allowed) {
    HttpResponse response =
        ErrorResponse(429, "too_many_attempts",
                      "too many failed sign-ins; try again in " +
                          std::to_string((attempt->retry_after + 59) / 60) + " minutes");
    response.headers.push_back({"Retry-After", std::to_string(attempt->retry_after)});
    services_.AuditRefusal(ctx, response, "sign-in throttled for '" + username + "'");
    return response;
  }
  auto account = services_.Service().store().FindAccountByUsername(username);
  if (!account.ok()) return ErrorResponse(account.status());
  // Verify even for unknown users, so timing does not reveal who exists.
  static const std::string dummy = HashPassword("not a real password").value();
  // People the roster import marked inactive (they left) sign in no more.
  const Person* person = *account ? ctx.roster->FindPerson((*account)->person_id) : nullptr;
  const bool valid = VerifyPassword(password, *account ? (*account)->password_hash : dummy) &&
                     *account && !(*account)->disabled && person && person->active;
  // Open to this person's role? Said only to whoever knew the password.
  const bool closed = valid && !services_.model().Read([&](const ReadState& state) {
    return state.sign_in.Allows(person->role);
  });
  std::string token;
  const Session session = NewSession(services_, valid && !closed ? (*account)->id : 0, &token);
  HttpResponse finished = services_.WaitFor(services_.Write([=](CairnService& service) {
    Store& store = service.store();
    if (Status s = store.FinishLoginAttempt(*attempt, valid, username, address, now); !s.ok()) {
      return ErrorResponse(s);
    }
    if (valid && !closed) {
      if (Status s = store.InsertSession(session); !s.ok()) return ErrorResponse(s);
    }
    return JsonResponse(200, json::object());
  }));
  if (finished.status != 200) return finished;
  if (!valid) {
    HttpResponse response =
        ErrorResponse(401, "invalid_credentials", "the username or password is incorrect");
    services_.AuditRefusal(ctx, response, "wrong password for '" + username + "'");
    return response;
  }
  if (closed) {
    HttpResponse response =
        ErrorResponse(403, "sign_in_closed",
                      "your school has not opened sign-in for " +
                          std::string(PersonRoleName(person->role)) + " accounts yet");
    services_.AuditRefusal(ctx, response, "sign-in closed to the role of '" + username + "'");
    return response;
  }
  return SignedInResponse(services_, *person, session, token);
}

Session NewSession(const ApiServices& services, Id account, std::string* token) {
  *token = RandomToken();
  const Instant now = services.Now();
  return Session{Sha256Hex(*token), account, RandomToken(), now,
                 now + services.options().session_hours * 3600};
}

HttpResponse SignedInResponse(const ApiServices& services, const Person& person,
                              const Session& session, const std::string& token) {
  HttpResponse response =
      JsonResponse(200, json{{"user", PersonJson(person)}, {"csrf_token", session.csrf_token}});
  std::string cookie = std::string(kSessionCookie) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(services.options().session_hours * 3600);
  if (services.options().secure_cookies) cookie += "; Secure";
  response.headers.push_back({"Set-Cookie", cookie});
  return response;
}

HttpResponse SessionHandlers::Logout(RequestContext& ctx) {
  std::string hash;
  if (auto cookie = ctx.request.Cookie(kSessionCookie)) hash = Sha256Hex(*cookie);
  return services_.Write([hash](CairnService& service) {
    if (!hash.empty()) {
      if (Status s = service.store().DeleteSession(hash); !s.ok()) return ErrorResponse(s);
    }
    HttpResponse response;
    response.status = 204;
    response.headers.push_back({"Set-Cookie", std::string(kSessionCookie) +
                                                  "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"});
    return response;
  });
}

HttpResponse SessionHandlers::Me(RequestContext& ctx) {
  return services_.model().Read([&](const ReadState& state) {
    const Person& me = ctx.who->person;
    json out = PersonJson(me);
    if (!ctx.csrf.empty()) out["csrf_token"] = ctx.csrf;
    if (me.school_id) {
      if (const School* school = state.roster->FindSchool(*me.school_id)) {
        out["school"] = {{"id", school->sourced_id}, {"name", school->name}};
      }
    }
    if (IsStaff(me.role)) {
      for (const District& district : state.roster->districts) {
        if (district.id == me.district_id) {
          out["district"] = {{"id", district.sourced_id}, {"name", district.name}};
        }
      }
    }
    json students = json::array();
    for (const Person* s : ReadableStudents(*state.roster, *ctx.who)) {
      if (me.role == PersonRole::kStudent || me.role == PersonRole::kGuardian) {
        students.push_back(PersonJson(*s));
      }
    }
    out["students"] = students;
    json sections = json::array();
    if (IsStaff(me.role)) {
      for (const Section* section : ReadableSections(*state.roster, *ctx.who)) {
        sections.push_back({{"id", section->sourced_id}, {"title", section->title}});
      }
    }
    out["sections"] = sections;
    return JsonResponse(200, out);
  });
}

std::vector<GroupRoute<SessionHandlers>> SessionHandlers::Routes() {
  using G = SessionHandlers;
  return {
      {{"GET", "/healthz", AccessRule::kPublic, false}, &G::Health},
      {{"GET", "/api/openapi.json", AccessRule::kPublic, false}, &G::OpenApi},
      {{"POST", "/api/v1/auth/login", AccessRule::kPublic, false, Work::kSlow}, &G::Login},
      {{"POST", "/api/v1/auth/logout", AccessRule::kAuthenticated, false}, &G::Logout},
      {{"GET", "/api/v1/me", AccessRule::kAuthenticated, false}, &G::Me},
  };
}

}  // namespace cairn
