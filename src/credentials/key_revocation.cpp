#include "credentials/key_revocation.h"

#include <nlohmann/json.hpp>

namespace cairn {

using nlohmann::json;

Result<JournalEntry> KeyRevocationEntry(Id district, const KeyRevocation& revocation) {
  if (revocation.key_id.empty()) return Status::InvalidField("key", "name the key to revoke");
  if (revocation.reason.empty()) {
    return Status::InvalidField("reason", "say why the key is revoked");
  }
  JournalEntry entry;
  entry.district_id = district;
  entry.stream = std::string(kKeyRevocationStream);
  entry.key = revocation.key_id;
  entry.body = json{{"key_id", revocation.key_id},
                    {"revoked_at", FormatInstant(revocation.revoked_at)},
                    {"reason", revocation.reason}}
                   .dump();
  entry.recorded_by = revocation.recorded_by;
  entry.recorded_at = revocation.recorded_at;
  return entry;
}

Result<std::vector<KeyRevocation>> KeyRevocationsFrom(const std::vector<JournalEntry>& latest) {
  std::vector<KeyRevocation> out;
  for (const JournalEntry& e : latest) {
    const std::string where = "journal entry " + std::to_string(e.id) + " (key " + e.key + ")";
    json body = json::parse(e.body, nullptr, false);
    if (!body.is_object() || !body.contains("revoked_at") || !body["revoked_at"].is_string()) {
      return Status::Internal(where + ": no readable revoked_at");
    }
    auto at = ParseInstant(body["revoked_at"].get<std::string>());
    if (!at.ok()) return Status::Internal(where + ": revoked_at: " + at.status().message());
    KeyRevocation r;
    r.key_id = e.key;
    r.revoked_at = *at;
    r.reason = body.value("reason", "");
    r.recorded_by = e.recorded_by;
    r.recorded_at = e.recorded_at;
    out.push_back(std::move(r));
  }
  return out;
}

const KeyRevocation* FindKeyRevocation(const std::vector<KeyRevocation>& revocations,
                                       std::string_view key_id) {
  for (const KeyRevocation& r : revocations) {
    if (r.key_id == key_id) return &r;
  }
  return nullptr;
}

bool SignedAfterRevocation(std::string_view proof_created, Instant revoked_at) {
  auto created = ParseInstant(proof_created);
  return !created.ok() || *created >= revoked_at;
}

}  // namespace cairn
