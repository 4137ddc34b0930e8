// Which roles may sign in, and how. A district brings people in from its
// student information system first and opens sign-in role by role (staff
// before students and families), so the policy is a district setting
// ("sign_in"), checked at every sign-in and on every request.
//
// Only local passwords exist today; `methods` is where single sign-on
// (OpenID Connect) will be declared, so a policy written now stays valid.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "roster/roster.h"
#include "store/store.h"

namespace cairn {

inline constexpr std::string_view kSignInSetting = "sign_in";

class SignInPolicy {
 public:
  // Every role may sign in: a district that never set a policy (and the
  // demo) keeps working.
  static SignInPolicy Everyone();
  // Only administrators (who can never be locked out by the policy).
  static SignInPolicy AdminsOnly();

  // Administrators always may.
  bool Allows(PersonRole role) const;
  void Set(PersonRole role, bool allowed);

  // {"roles": ["teacher", ...], "methods": ["password"]}
  std::string ToJson() const;
  bool operator==(const SignInPolicy&) const = default;

 private:
  unsigned roles_ = 0;  // bit per PersonRole
};

// Field-named errors: "roles[1]" for an unknown role, "methods[0]" for a
// method this version cannot offer.
Result<SignInPolicy> ParseSignInPolicy(std::string_view json);

// The district's policy, or Everyone() when none was set.
Result<SignInPolicy> LoadSignInPolicy(LedgerStore& store);

}  // namespace cairn
