#include "server/authenticator.h"

#include <algorithm>
#include <mutex>

#include "service/crypto.h"

namespace cairn {

std::optional<Principal> Authenticator::Authenticate(const HttpRequest& request,
                                                     const Roster& roster,
                                                     const SignInPolicy& policy,
                                                     std::int64_t access_mark, AccessStore& store,
                                                     Instant now, std::string* csrf) {
  std::string secret;
  bool bearer = false;
  if (auto auth = request.Header("authorization"); auth && auth->rfind("Bearer ", 0) == 0) {
    secret = auth->substr(7);
    bearer = true;
  } else if (auto cookie = request.Cookie(kSessionCookie)) {
    secret = std::move(*cookie);
  } else {
    return std::nullopt;
  }
  const std::string hash = Sha256Hex(secret);
  std::optional<SignIn> sign_in;
  {
    std::shared_lock lock(mutex_);
    auto it = sign_ins_.find(hash);
    if (it != sign_ins_.end() && it->second.access_mark == access_mark &&
        it->second.bearer == bearer && (bearer || it->second.expires_at > now)) {
      sign_in = it->second;
    }
  }
  if (!sign_in) {
    SignIn read;
    read.bearer = bearer;
    read.access_mark = access_mark;
    Id account_id = 0;
    if (bearer) {
      auto token = store.FindApiToken(hash);
      if (!token.ok() || !*token || (*token)->revoked_at) return std::nullopt;
      account_id = (*token)->account_id;
      const auto& scopes = (*token)->scopes;
      read.token_write = std::find(scopes.begin(), scopes.end(), "write") != scopes.end();
    } else {
      auto session = store.FindSession(hash);
      if (!session.ok() || !*session || (*session)->expires_at <= now) return std::nullopt;
      account_id = (*session)->account_id;
      read.csrf = (*session)->csrf_token;
      read.expires_at = (*session)->expires_at;
    }
    auto account = store.FindAccount(account_id);
    if (!account.ok() || !*account || (*account)->disabled) return std::nullopt;
    read.account_id = account_id;
    read.person_id = (*account)->person_id;
    std::unique_lock lock(mutex_);
    // Bounded: entries of ended sign-ins are dropped wholesale now and then.
    if (sign_ins_.size() >= 100000) sign_ins_.clear();
    sign_ins_[hash] = read;
    sign_in = std::move(read);
  }
  const Person* person = roster.FindPerson(sign_in->person_id);
  // Someone the student information system marked as gone (a OneRoster
  // tobedeleted, or left out of a bulk file) keeps their records but may no
  // longer sign in, whatever session or token they still hold.
  if (!person || !person->active) return std::nullopt;
  // A district that closes sign-in for a role ends those sessions too.
  if (!policy.Allows(person->role)) return std::nullopt;
  Principal principal;
  principal.person = *person;
  principal.account_id = sign_in->account_id;
  principal.via_token = bearer;
  principal.token_write = sign_in->token_write;
  if (!bearer) *csrf = sign_in->csrf;
  return principal;
}

}  // namespace cairn
