// Sign-in accounts for people on the roster: the operations the API, the
// command line and the demo share. Hashing a password is slow (~0.1 s,
// 64 MiB), so it is split from the write: a server hashes on its pool and
// sends only the quick insert through its single writer.
#pragma once

#include <string>

#include "common/status.h"
#include "common/time.h"
#include "store/store.h"

namespace cairn {

// kInvalidArgument naming "password" unless 10 to 256 characters.
Status CheckNewPassword(const std::string& password);
// Checks and hashes (argon2id) a new password.
Result<std::string> HashNewPassword(const std::string& password);

// Creates a login for the person with `sourced_id` from an already hashed
// password. Errors: "person" not found, "username" empty or taken (or the
// person already has an account).
Result<Id> InsertAccount(Store& store, const std::string& sourced_id, const std::string& username,
                         const std::string& password_hash, Instant now);

// Both steps at once (the command line, the demo, tests).
Status CreateAccount(Store& store, const std::string& sourced_id, const std::string& username,
                     const std::string& password, Instant now);

// A new password for an account; it is signed out everywhere.
Status ResetPassword(Store& store, Id account, const std::string& password_hash);

}  // namespace cairn
