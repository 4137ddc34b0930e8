#include "server/handlers/invitation_handlers.h"

#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "server/handlers/params.h"
#include "server/handlers/session_handlers.h"
#include "server/responses.h"
#include "service/accounts.h"
#include "service/crypto.h"
#include "service/invitations.h"

namespace cairn {
namespace {

using nlohmann::json;

constexpr PersonRole kInvitable[] = {PersonRole::kTeacher, PersonRole::kSchoolLeader,
                                     PersonRole::kDistrictLeader, PersonRole::kStudent,
                                     PersonRole::kGuardian};

std::string InvitationStatus(const Invitation& i, Instant now) {
  if (i.used_at) return "used";
  if (i.revoked_at) return "revoked";
  return now < i.expires_at ? "open" : "expired";
}

}  // namespace

HttpResponse InvitationHandlers::GetSignIn(RequestContext& ctx) {
  const Instant now = services_.Now();
  SignInPolicy policy = services_.model().Read([](const ReadState& s) { return s.sign_in; });
  Store& store = services_.Service().store();
  auto accounts = store.Accounts();
  if (!accounts.ok()) return ErrorResponse(accounts.status());
  auto invitations = store.Invitations();
  if (!invitations.ok()) return ErrorResponse(invitations.status());
  std::unordered_set<Id> signed_up, invited;
  for (const Account& a : *accounts) signed_up.insert(a.person_id);
  for (const Invitation& i : *invitations) {
    if (i.Open(now)) invited.insert(i.person_id);
  }
  json roles = json::array();
  for (PersonRole role : kInvitable) {
    int people = 0, with_account = 0, with_invitation = 0;
    for (const Person& p : ctx.roster->people) {
      if (p.role != role || !p.active) continue;
      ++people;
      if (signed_up.count(p.id)) {
        ++with_account;
      } else if (invited.count(p.id)) {
        ++with_invitation;
      }
    }
    roles.push_back({{"role", PersonRoleName(role)},
                     {"enabled", policy.Allows(role)},
                     {"people", people},
                     {"with_account", with_account},
                     {"invited", with_invitation}});
  }
  return JsonResponse(200, json{{"policy", json::parse(policy.ToJson())}, {"roles", roles}});
}

HttpResponse InvitationHandlers::PutSignIn(RequestContext& ctx) {
  auto policy = ParseSignInPolicy(ctx.body.dump());
  if (!policy.ok()) return ErrorResponse(policy.status());
  ctx.audit_detail = "sign-in policy: " + policy->ToJson();
  return services_.Write([text = policy->ToJson()](CairnService& service) {
    if (Status s = service.store().PutSetting(kSignInSetting, text); !s.ok()) {
      return ErrorResponse(s);
    }
    return JsonResponse(200, json::parse(text));
  });
}

HttpResponse InvitationHandlers::CreateInvitations(RequestContext& ctx) {
  BodyReader r(ctx.body);
  r.CheckObject(ctx.body, "", {"role", "school", "people", "replace", "days"});
  const auto role_name = r.OptionalString(ctx.body, "", "role");
  const auto school_id = r.OptionalString(ctx.body, "", "school");
  const std::vector<std::string> people = r.Strings(ctx.body, "", "people");
  const bool replace = r.Bool(ctx.body, "", "replace", false);
  const std::int64_t days = r.Int(ctx.body, "", "days", kInvitationLifetime / 86400, 1, 90);
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  if (role_name.has_value() == !people.empty()) {
    return ErrorResponse(400, "invalid_argument", "name either a role or some people", "role");
  }
  const Roster& roster = *ctx.roster;
  InvitationRequest request;
  if (role_name) {
    auto role = ParsePersonRole(*role_name);
    if (!role || *role == PersonRole::kAdmin) {
      return ErrorResponse(400, "invalid_argument",
                           "invite teacher, school_leader, district_leader, student or guardian",
                           "role");
    }
    std::optional<Id> school;
    if (school_id) {
      for (const School& s : roster.schools) {
        if (s.sourced_id == *school_id) school = s.id;
      }
      if (!school) return ErrorResponse(404, "not_found", "no school " + *school_id, "school");
    }
    request.people = PeopleToInvite(roster, *role, school);
  } else {
    for (std::size_t i = 0; i < people.size(); ++i) {
      const Person* p = roster.FindPersonBySourcedId(people[i]);
      if (!p) {
        return ErrorResponse(404, "not_found", "no person " + people[i],
                             "people[" + std::to_string(i) + "]");
      }
      request.people.push_back(p);
    }
  }
  request.invited_by = ctx.who->person.id;
  request.now = services_.Now();
  request.lifetime = days * 86400;
  request.replace_open = replace;
  ctx.audit_detail = "invitations for " + (role_name ? "role " + *role_name : "some people") +
                     (school_id ? " in " + *school_id : "");
  const SignInPolicy policy = services_.model().Read([](const ReadState& s) { return s.sign_in; });
  const std::string public_url = services_.options().public_url;
  // The roster snapshot outlives the write: the batch points into it.
  return services_.Write([request, policy, public_url, roster = ctx.roster](CairnService& service) {
    auto batch = cairn::CreateInvitations(service.store(), request, policy);
    if (!batch.ok()) return ErrorResponse(batch.status());
    json created = json::array();
    for (const NewInvitation& n : batch->created) {
      created.push_back({{"invitation", n.invitation_id},
                         {"person", n.person->sourced_id},
                         {"name", n.person->DisplayName()},
                         {"role", PersonRoleName(n.person->role)},
                         {"email", n.person->email},
                         {"url", InvitationUrl(public_url, n.token)},
                         {"expires_at", FormatInstant(n.expires_at)}});
    }
    return JsonResponse(201, json{{"created", created},
                                  {"already_signed_up", batch->already_signed_up},
                                  {"already_invited", batch->already_invited},
                                  {"inactive", batch->inactive}});
  });
}

HttpResponse InvitationHandlers::ListInvitations(RequestContext& ctx) {
  const Instant now = services_.Now();
  auto invitations = services_.Service().store().Invitations();
  if (!invitations.ok()) return ErrorResponse(invitations.status());
  json out = json::array();
  for (const Invitation& i : *invitations) {
    const Person* p = ctx.roster->FindPerson(i.person_id);
    out.push_back({{"id", i.id},
                   {"person", p ? p->sourced_id : ""},
                   {"name", p ? p->DisplayName() : ""},
                   {"role", p ? std::string(PersonRoleName(p->role)) : ""},
                   {"created_at", FormatInstant(i.created_at)},
                   {"expires_at", FormatInstant(i.expires_at)},
                   {"status", InvitationStatus(i, now)}});
  }
  return JsonResponse(200, json{{"invitations", out}});
}

HttpResponse InvitationHandlers::RevokeInvitation(RequestContext& ctx) {
  const std::string& text = ctx.params.at("invitation");
  Id id = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || id > 1'000'000'000'000) {
      return ErrorResponse(404, "not_found", "no invitation " + text, "invitation");
    }
    id = id * 10 + (c - '0');
  }
  ctx.audit_detail = "revoked invitation " + text;
  return services_.Write([id, now = services_.Now()](CairnService& service) {
    if (Status s = service.store().CloseInvitation(id, now, /*used=*/false); !s.ok()) {
      return ErrorResponse(s);
    }
    HttpResponse response;
    response.status = 204;
    return response;
  });
}

HttpResponse InvitationHandlers::LookUpInvitation(RequestContext& ctx) {
  BodyReader r(ctx.body);
  const std::string token = r.Required("token");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  auto person = InvitedPerson(services_.Service().store(), *ctx.roster, token, services_.Now());
  if (!person.ok()) return ErrorResponse(person.status());
  const Person& p = **person;
  json out{{"name", p.DisplayName()},
           {"role", PersonRoleName(p.role)},
           {"username", SuggestedUsername(p)}};
  if (p.school_id) {
    if (const School* school = ctx.roster->FindSchool(*p.school_id)) out["school"] = school->name;
  }
  return JsonResponse(200, out);
}

HttpResponse InvitationHandlers::AcceptInvitation(RequestContext& ctx) {
  BodyReader r(ctx.body);
  const std::string token = r.Required("token");
  const std::string username = r.Required("username");
  const std::string password = r.Required("password");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  // Checked before the slow hash, so a dead link fails fast.
  auto person = InvitedPerson(services_.Service().store(), *ctx.roster, token, services_.Now());
  if (!person.ok()) return ErrorResponse(person.status());
  auto hash = HashNewPassword(password);  // on the pool (Work::kSlow)
  if (!hash.ok()) return ErrorResponse(hash.status());
  const SignInPolicy policy = services_.model().Read([](const ReadState& s) { return s.sign_in; });
  auto session_token = std::make_shared<std::string>();
  auto session = std::make_shared<Session>();
  HttpResponse made = services_.WaitFor(services_.Write(
      [&, session, session_token, roster = ctx.roster, hash = *hash](CairnService& service) {
        Store& store = service.store();
        auto account =
            cairn::AcceptInvitation(store, *roster, token, username, hash, services_.Now(), policy);
        if (!account.ok()) return ErrorResponse(account.status());
        *session = NewSession(services_, *account, session_token.get());
        if (Status s = store.InsertSession(*session); !s.ok()) return ErrorResponse(s);
        return JsonResponse(200, json::object());
      }));
  if (made.status != 200) return made;
  ctx.audit_detail = "accepted an invitation as '" + username + "'";
  return SignedInResponse(services_, **person, *session, *session_token);
}

std::vector<GroupRoute<InvitationHandlers>> InvitationHandlers::Routes() {
  using G = InvitationHandlers;
  return {
      {{"GET", "/api/v1/sign-in", AccessRule::kAdmin, false}, &G::GetSignIn},
      {{"PUT", "/api/v1/sign-in", AccessRule::kAdmin, true}, &G::PutSignIn},
      {{"GET", "/api/v1/invitations", AccessRule::kAdmin, false}, &G::ListInvitations},
      {{"POST", "/api/v1/invitations", AccessRule::kAdmin, true}, &G::CreateInvitations},
      {{"DELETE", "/api/v1/invitations/{invitation}", AccessRule::kAdmin, true},
       &G::RevokeInvitation},
      {{"POST", "/api/v1/auth/invitation", AccessRule::kPublic, false}, &G::LookUpInvitation},
      {{"POST", "/api/v1/auth/accept-invitation", AccessRule::kPublic, true, Work::kSlow},
       &G::AcceptInvitation},
  };
}

}  // namespace cairn
