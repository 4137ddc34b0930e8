// What Cairn keeps about the credentials it issues: issuer profiles and
// signing keys (configuration: a profile is edited, a key is retired), and
// the issued credentials themselves (facts: never changed; a revocation is
// the award's own revoke fact, which flips the credential's status bit).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"
#include "evidence/facts.h"
#include "roster/roster.h"

namespace cairn {

// Who issues a district's badges, as shown to verifiers. Blank fields fall
// back to the district's name and the server's public URL.
struct IssuerProfile {
  Id district_id = 0;
  std::string name;
  std::string url;
  std::string email;
  std::string image;  // URL of a logo
  std::string description;
};

enum class KeyAlgorithm { kEd25519, kP256 };
std::string_view KeyAlgorithmName(KeyAlgorithm algorithm);

// A signing key. The private half is sealed with the server's master key
// (credentials/key_vault.h) and never stored or logged in the clear.
struct StoredKey {
  Id id = 0;
  Id district_id = 0;
  KeyAlgorithm algorithm = KeyAlgorithm::kEd25519;
  std::string key_id;      // fragment in the issuer's controller document: "key-1"
  std::string public_key;  // Multikey (Ed25519) or JWK JSON (P-256)
  std::string sealed_private;
  Instant created_at = 0;
  std::optional<Instant> retired_at;  // retired keys still verify, never sign
};

struct IssuedCredential {
  Id id = 0;
  std::string uuid;     // the credential's id is urn:uuid:<uuid>; also its share link
  FactId award_id = 0;  // the confirm fact it was issued for
  Id student_id = 0;
  Id district_id = 0;
  std::string badge_code;
  int status_list = 0;            // which of the district's revocation lists
  std::int64_t status_index = 0;  // bit in that list
  Instant issued_at = 0;
  std::string body;  // the signed OpenBadgeCredential JSON, exactly as issued
};

// A district's revocation status lists: numbered from 0, each
// kStatusListEntries bits (the Bitstring Status List minimum, for herd
// privacy). A credential holds one entry (status_list, status_index), unique
// in its district.
inline constexpr std::int64_t kStatusListEntries = 131072;

// The district's newest status list and how many of its entries are taken
// ({0, 0} before its first credential).
struct StatusListFill {
  int list = 0;
  std::int64_t taken = 0;
};

// A credential whose award was revoked after it was issued: what a status
// list and the OB 2.0 revocation list publish.
struct RevokedCredential {
  Id credential_id = 0;
  std::string uuid;
  int status_list = 0;
  std::int64_t status_index = 0;
  std::string reason;  // of the first revoke fact after the credential's award
  Instant revoked_at = 0;
};

}  // namespace cairn
