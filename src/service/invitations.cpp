#include "service/invitations.h"

#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "service/accounts.h"
#include "service/crypto.h"

namespace cairn {
namespace {

Status Unusable() {
  return Status::AtField(StatusCode::kNotFound, "token",
                         "this invitation link is no longer valid; ask your school for a new one");
}

Result<std::pair<Invitation, const Person*>> OpenInvitation(Store& store, const Roster& roster,
                                                            std::string_view token, Instant now) {
  if (token.empty() || token.size() > 256) return Unusable();
  CAIRN_ASSIGN_OR_RETURN(auto invitation, store.FindInvitation(Sha256Hex(token)));
  if (!invitation || !invitation->Open(now)) return Unusable();
  const Person* person = roster.FindPerson(invitation->person_id);
  if (!person || !person->active) return Unusable();
  return std::make_pair(*invitation, person);
}

Status RoleRefused(PersonRole role) {
  return Status::AtField(
      StatusCode::kFailedPrecondition, "role",
      "sign-in is not open to " + std::string(PersonRoleName(role)) + " accounts; enable it first");
}

}  // namespace

std::vector<const Person*> PeopleToInvite(const Roster& roster, PersonRole role,
                                          std::optional<Id> school) {
  std::unordered_set<Id> guardians_in_school;
  if (role == PersonRole::kGuardian && school) {
    for (const GuardianLink& link : roster.guardian_links) {
      const Person* child = roster.FindPerson(link.student_id);
      if (child && child->active && child->school_id == school) {
        guardians_in_school.insert(link.guardian_id);
      }
    }
  }
  std::vector<const Person*> out;
  for (const Person& p : roster.people) {
    if (p.role != role) continue;
    if (school) {
      const bool here = role == PersonRole::kGuardian ? guardians_in_school.count(p.id) > 0
                                                      : p.school_id == school;
      if (!here) continue;
    }
    out.push_back(&p);
  }
  return out;
}

Result<InvitationBatch> CreateInvitations(Store& store, const InvitationRequest& request,
                                          const SignInPolicy& policy) {
  for (const Person* person : request.people) {
    if (!policy.Allows(person->role)) return RoleRefused(person->role);
  }
  CAIRN_RETURN_IF_ERROR(InitCrypto());
  InvitationBatch batch;
  Status status = store.Transact([&]() -> Status {
    batch = InvitationBatch{};
    CAIRN_ASSIGN_OR_RETURN(auto accounts, store.Accounts());
    std::unordered_set<Id> signed_up;
    for (const Account& account : accounts) signed_up.insert(account.person_id);
    CAIRN_ASSIGN_OR_RETURN(auto invitations, store.Invitations());
    std::unordered_map<Id, std::vector<Id>> open;  // person -> open invitations
    for (const Invitation& i : invitations) {
      if (i.Open(request.now)) open[i.person_id].push_back(i.id);
    }
    for (const Person* person : request.people) {
      if (!person->active) {
        ++batch.inactive;
        continue;
      }
      if (signed_up.count(person->id)) {
        ++batch.already_signed_up;
        continue;
      }
      auto held = open.find(person->id);
      if (held != open.end()) {
        if (!request.replace_open) {
          ++batch.already_invited;
          continue;
        }
        for (Id id : held->second) {
          CAIRN_RETURN_IF_ERROR(store.CloseInvitation(id, request.now, /*used=*/false));
        }
        open.erase(held);
      }
      NewInvitation made;
      made.person = person;
      made.token = RandomToken();
      made.expires_at = request.now + request.lifetime;
      Invitation row;
      row.person_id = person->id;
      row.token_hash = Sha256Hex(made.token);
      row.created_by = request.invited_by;
      row.created_at = request.now;
      row.expires_at = made.expires_at;
      CAIRN_ASSIGN_OR_RETURN(made.invitation_id, store.InsertInvitation(row));
      open[person->id].push_back(made.invitation_id);  // a person listed twice gets one
      batch.created.push_back(std::move(made));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return batch;
}

Result<const Person*> InvitedPerson(Store& store, const Roster& roster, std::string_view token,
                                    Instant now) {
  CAIRN_ASSIGN_OR_RETURN(auto open, OpenInvitation(store, roster, token, now));
  return open.second;
}

Result<Id> AcceptInvitation(Store& store, const Roster& roster, std::string_view token,
                            const std::string& username, const std::string& password_hash,
                            Instant now, const SignInPolicy& policy) {
  Id account = 0;
  Status status = store.Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(auto open, OpenInvitation(store, roster, token, now));
    const auto& [invitation, person] = open;
    if (!policy.Allows(person->role)) return RoleRefused(person->role);
    CAIRN_ASSIGN_OR_RETURN(account,
                           InsertAccount(store, person->sourced_id, username, password_hash, now));
    return store.CloseInvitation(invitation.id, now, /*used=*/true);
  });
  if (!status.ok()) return status;
  return account;
}

std::string SuggestedUsername(const Person& person) {
  std::string name =
      !person.email.empty() ? person.email : person.given_name + "." + person.family_name;
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '@' || c == '-' || c == '_') {
      out.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  return out.empty() ? person.sourced_id : out;
}

std::string InvitationUrl(std::string_view public_url, std::string_view token) {
  std::string base(public_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/invite#" + std::string(token);
}

}  // namespace cairn
