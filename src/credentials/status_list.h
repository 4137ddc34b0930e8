// W3C Bitstring Status List v1.0 (revocation of OB 3.0 credentials) and the
// OB 2.0 RevocationList document.
//
// A BitstringStatusList is a plain value: copyable, no shared state; const
// methods are safe to call concurrently, mutation needs external
// synchronization. Bit 0 is the most significant bit of the first byte
// (spec §"Bitstring Encoding"). Lists are at least kMinStatusListBits long so a
// single credential's status does not stand out (herd privacy).
//
// encodedList = "u" (multibase base64url) + base64url-no-pad(GZIP(bitstring)).
// Decoding is for untrusted input: strict base64url, gzip only, and a cap on
// the decompressed size so a small encodedList cannot expand into gigabytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace cairn::credentials {

inline constexpr std::size_t kMinStatusListBits = 131072;  // 16 KiB
// Default decode cap: 2 MiB = 16,777,216 entries.
inline constexpr std::size_t kMaxStatusListBytes = 2u << 20;

class BitstringStatusList {
 public:
  // All bits clear. `bit_count` must be a multiple of 8 and at least
  // kMinStatusListBits (kInvalidArgument otherwise).
  static Result<BitstringStatusList> Create(std::size_t bit_count = kMinStatusListBits);

  // Parses an `encodedList`. Refuses a missing 'u' prefix, non-canonical
  // base64url, non-gzip data, and more than `max_bytes` decompressed bytes.
  // Shorter lists than kMinStatusListBits are accepted (issuers elsewhere may
  // publish them); lookups past the end fail with a range error.
  static Result<BitstringStatusList> Decode(std::string_view encoded_list,
                                            std::size_t max_bytes = kMaxStatusListBytes);

  // "u..." as it goes into credentialSubject.encodedList. Deterministic.
  Result<std::string> Encode() const;

  std::size_t size() const { return bytes_.size() * 8; }
  // kInvalidArgument when index >= size().
  Result<bool> Get(std::size_t index) const;
  Status Set(std::size_t index, bool value);

  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  explicit BitstringStatusList(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  std::vector<std::uint8_t> bytes_;
};

struct StatusListCredentialFields {
  std::string id;      // URL the list is published at (statusListCredential)
  std::string issuer;  // issuer id (URL or DID)
  Instant valid_from = 0;
  std::optional<Instant> valid_until;
  std::string status_purpose = "revocation";
  std::string encoded_list;  // from BitstringStatusList::Encode()
  std::string subject_id;    // default: id + "#list"
};

// The unsigned BitstringStatusListCredential; a proof is added afterwards by
// the data integrity code.
nlohmann::json BuildStatusListCredential(const StatusListCredentialFields& fields);

// A credential's `credentialStatus` entry (BitstringStatusListEntry):
// id "<list>#<index>", statusListIndex as a decimal string.
nlohmann::json BuildStatusListEntry(std::string_view status_list_credential, std::size_t index,
                                    std::string_view status_purpose = "revocation");

// Reads the status bit a `credentialStatus` entry points at in an already
// fetched from the entry's statusListCredential URL (and separately
// proof-checked) status list credential. Checks types and that both purposes
// match (the list's id is not compared: 1EdTech's own sample serves a list whose
// id differs from its URL); statusListIndex may be a string (spec) or an integer (seen in
// the wild). True means the status is set (e.g. revoked).
Result<bool> ReadCredentialStatus(const nlohmann::json& credential_status,
                                  const nlohmann::json& status_list_credential,
                                  std::size_t max_bytes = kMaxStatusListBytes);

// OB 2.0 RevocationList (https://w3id.org/openbadges/v2).
struct RevokedAssertion {
  std::string id;
  std::string reason;  // omitted from the document when empty
};
nlohmann::json BuildOb2RevocationList(std::string_view id, std::string_view issuer,
                                      const std::vector<RevokedAssertion>& revoked);

}  // namespace cairn::credentials
