// Revocation of a compromised signing key (issue #14): a district admin says
// a key leaked, when (which may be earlier than now), and why. Credentials
// whose proof was created at or after that time no longer verify; older
// ones still do. The key stays published (verificationMethod, its key
// document) with a `revoked` timestamp, as the W3C Controlled Identifiers
// spec has it, and leaves assertionMethod.
//
// Stored in the journal (store/journal_store.h), stream kKeyRevocationStream,
// one document per key id; the newest revision counts, so a corrected time
// or reason is a new revision and history is kept. Pure functions over
// JournalEntry values, so they are tested without a store. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "store/journal_store.h"

namespace cairn {

inline constexpr std::string_view kKeyRevocationStream = "signing-key-revocation";

struct KeyRevocation {
  std::string key_id;  // "key-1", "jwt-key-1"
  Instant revoked_at = 0;
  std::string reason;
  Id recorded_by = 0;
  Instant recorded_at = 0;
};

// The journal entry that records `revocation` for the district. kInvalid
// (naming the field) for an empty key id or reason.
Result<JournalEntry> KeyRevocationEntry(Id district, const KeyRevocation& revocation);

// The current revocation of each key, from the stream's latest entries.
// An entry that cannot be read is an error naming its journal id (a key
// whose revocation cannot be read must not be trusted silently).
Result<std::vector<KeyRevocation>> KeyRevocationsFrom(const std::vector<JournalEntry>& latest);

// The revocation of one key among `revocations`, if any.
const KeyRevocation* FindKeyRevocation(const std::vector<KeyRevocation>& revocations,
                                       std::string_view key_id);

// Whether a proof created at `proof_created` (empty or unreadable counts as
// "after") is refused because its key was revoked at `revoked_at`.
bool SignedAfterRevocation(std::string_view proof_created, Instant revoked_at);

}  // namespace cairn
