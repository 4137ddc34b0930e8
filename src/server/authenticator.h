// Who a request comes from: a session cookie or an API token ("Authorization:
// Bearer ..."), checked against the store once and then trusted from a cache
// keyed by the secret's hash, for as long as the store's access mark stands
// still (no session ended, no account changed, no token revoked anywhere,
// Store::Marks) and the session has not expired.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "server/http_types.h"
#include "server/policy.h"
#include "service/sign_in_policy.h"
#include "store/store.h"

namespace cairn {

inline constexpr const char* kSessionCookie = "cairn_session";

class Authenticator {
 public:
  // The principal, with their Person from `roster` (the request's snapshot),
  // or nullopt for no, an unknown, an expired or a revoked secret, or a
  // disabled account. Sets `*csrf` to a cookie session's CSRF token. Reads
  // `store` only on a cache miss.
  // People whose role `policy` does not let sign in are refused too.
  std::optional<Principal> Authenticate(const HttpRequest& request, const Roster& roster,
                                        const SignInPolicy& policy, std::int64_t access_mark,
                                        AccessStore& store, Instant now, std::string* csrf);

 private:
  struct SignIn {
    Id account_id = 0;
    Id person_id = 0;
    bool bearer = false;
    bool token_write = false;
    std::string csrf;
    Instant expires_at = 0;
    std::int64_t access_mark = 0;  // the store's access mark when read
  };
  std::shared_mutex mutex_;
  std::unordered_map<std::string, SignIn> sign_ins_;  // by token hash
};

}  // namespace cairn
