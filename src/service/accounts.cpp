#include "service/accounts.h"

#include "service/crypto.h"

namespace cairn {

Status CheckNewPassword(const std::string& password) {
  if (password.size() < 10) return Status::InvalidField("password", "use at least 10 characters");
  if (password.size() > 256) return Status::InvalidField("password", "use at most 256 characters");
  return Status::Ok();
}

Result<std::string> HashNewPassword(const std::string& password) {
  CAIRN_RETURN_IF_ERROR(InitCrypto());
  CAIRN_RETURN_IF_ERROR(CheckNewPassword(password));
  return HashPassword(password);
}

Result<Id> InsertAccount(Store& store, const std::string& sourced_id, const std::string& username,
                         const std::string& password_hash, Instant now) {
  if (username.empty()) return Status::InvalidField("username", "required");
  if (username.size() > 100) return Status::InvalidField("username", "at most 100 characters");
  CAIRN_ASSIGN_OR_RETURN(auto person, store.FindPerson(sourced_id));
  if (!person)
    return Status::AtField(StatusCode::kNotFound, "person", "no person '" + sourced_id + "'");
  Account account;
  account.person_id = person->id;
  account.username = username;
  account.password_hash = password_hash;
  account.created_at = now;
  auto id = store.InsertAccount(account);
  if (!id.ok() && id.status().code() == StatusCode::kAlreadyExists) {
    return Status::AtField(StatusCode::kAlreadyExists, "username",
                           "'" + username + "' is taken, or the person has an account");
  }
  return id;
}

Status CreateAccount(Store& store, const std::string& sourced_id, const std::string& username,
                     const std::string& password, Instant now) {
  CAIRN_ASSIGN_OR_RETURN(std::string hash, HashNewPassword(password));
  return InsertAccount(store, sourced_id, username, hash, now).status();
}

Status ResetPassword(Store& store, Id account, const std::string& password_hash) {
  return store.Transact([&]() -> Status {
    CAIRN_RETURN_IF_ERROR(store.SetPasswordHash(account, password_hash));
    // A reset signs the account out everywhere.
    return store.DeleteSessionsOf(account);
  });
}

}  // namespace cairn
