// Accounts, sessions, API tokens, login throttling and the audit log: the
// records the server needs beside the ledger. Secrets are never stored: only
// argon2id password hashes and SHA-256 hashes of session and API tokens.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "roster/roster.h"

namespace cairn {

struct Account {
  Id id = 0;
  Id person_id = 0;
  std::string username;
  std::string password_hash;  // libsodium argon2id string
  bool disabled = false;
  Instant created_at = 0;
};

struct Session {
  std::string token_hash;  // hex SHA-256 of the cookie value
  Id account_id = 0;
  std::string csrf_token;  // sent back on every state-changing request
  Instant created_at = 0;
  Instant expires_at = 0;
};

// A scoped token for integrations ("Authorization: Bearer ..."). Scopes:
// "read" (everything the account may read) and "write" (records, awards).
struct ApiToken {
  Id id = 0;
  Id account_id = 0;
  std::string name;
  std::string token_hash;
  std::vector<std::string> scopes;
  Instant created_at = 0;
  std::optional<Instant> revoked_at;
};

// A one-time link that lets a person on the roster choose their own username
// and password (how imported staff, students and guardians get sign-in).
// Only the SHA-256 of the link's secret is kept. Open until used, revoked or
// expired; configuration, not a fact.
struct Invitation {
  Id id = 0;
  Id person_id = 0;
  std::string token_hash;
  std::optional<Id> created_by;  // the administrator's person
  Instant created_at = 0;
  Instant expires_at = 0;
  std::optional<Instant> used_at;
  std::optional<Instant> revoked_at;

  bool Open(Instant now) const { return !used_at && !revoked_at && now < expires_at; }
};

// Sign-in throttling (OWASP): failures are counted per account and per client
// address. An address the account signed in from recently is not blocked by
// other addresses' failures, so nobody can lock a user out by guessing.
struct LoginLimits {
  Instant window = 15 * 60;
  int per_account = 5;                    // failures against one account within the window
  int per_address = 50;                   // failures from one address, any account
  Instant remember_address = 30 * 86400;  // how long a good address is trusted
};

// One sign-in attempt, reserved before the (slow) password check.
struct LoginAttempt {
  bool allowed = false;
  Instant retry_after = 0;  // seconds to wait, when refused
  Id id = 0;                // the reserved failure row
};

// Who read or changed which student's record, when, through which request.
struct AuditEntry {
  Id id = 0;
  Instant at = 0;
  std::optional<Id> actor_person_id;
  std::string action;    // "read" or "write"
  std::string resource;  // "GET /api/v1/students/{id}/progress"
  std::optional<Id> student_id;
  std::string request_id;
  int status = 0;  // HTTP status returned
  // Every student a bulk read returned (a section's grid, a tracking sheet),
  // so "who saw this student's record" finds them too.
  std::vector<Id> students;
  std::string detail;  // what an administrator did ("role teacher -> admin"), or why refused
};

}  // namespace cairn
