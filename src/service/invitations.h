// Invitation links: how people imported from the student information system
// get a sign-in. An administrator invites a role (or one person); each
// invitee receives a link with a one-time secret, opens it, and chooses a
// username and password. The link works once, until it expires or is
// revoked; only the secret's hash is stored, so a leaked database opens no
// account. Single sign-on will replace the password step, not the invitation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "roster/roster.h"
#include "service/sign_in_policy.h"
#include "store/store.h"

namespace cairn {

inline constexpr Instant kInvitationLifetime = 14 * 86400;

struct NewInvitation {
  Id invitation_id = 0;
  const Person* person = nullptr;  // into the roster the caller passed
  std::string token;               // the secret: shown once, never stored
  Instant expires_at = 0;
};

struct InvitationBatch {
  std::vector<NewInvitation> created;
  int already_signed_up = 0;  // have an account
  int already_invited = 0;    // hold an open invitation (unless replaced)
  int inactive = 0;           // no longer on the roster
};

struct InvitationRequest {
  std::vector<const Person*> people;
  std::optional<Id> invited_by;  // the administrator's person id
  Instant now = 0;
  Instant lifetime = kInvitationLifetime;
  // Revoke open invitations of these people and send new ones (a lost or
  // forwarded link); otherwise they are skipped.
  bool replace_open = false;
};

// Everyone with `role` (in `school` when given; a guardian through a child
// there), active or not: CreateInvitations counts the inactive.
std::vector<const Person*> PeopleToInvite(const Roster& roster, PersonRole role,
                                          std::optional<Id> school);

// One transaction. Refused whole (kFailedPrecondition naming "role") when the
// policy does not let one of the people's roles sign in: an invitation that
// cannot be used would only confuse families.
Result<InvitationBatch> CreateInvitations(Store& store, const InvitationRequest& request,
                                          const SignInPolicy& policy);

// Whom an open invitation is for, to greet them on the page that accepts it.
// kNotFound naming "token" for an unknown, used, revoked or expired link.
Result<const Person*> InvitedPerson(Store& store, const Roster& roster, std::string_view token,
                                    Instant now);

// Creates the account (username checked as for any account; `password_hash`
// from HashNewPassword) and closes the invitation, in one transaction.
Result<Id> AcceptInvitation(Store& store, const Roster& roster, std::string_view token,
                            const std::string& username, const std::string& password_hash,
                            Instant now, const SignInPolicy& policy);

// A username to offer: the email address, else "given.family", lower case.
std::string SuggestedUsername(const Person& person);

// The link an invitee opens: `public_url` + "/invite#" + token (a fragment, so
// the secret never reaches a server log or a Referer header).
std::string InvitationUrl(std::string_view public_url, std::string_view token);

}  // namespace cairn
