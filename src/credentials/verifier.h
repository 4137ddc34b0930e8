// Verifies a badge credential the way a college or employer would: from the
// bytes alone (a baked PNG or SVG, JSON, or a compact JWT), with keys and
// status lists obtained through callbacks, so the same code serves the public
// verification endpoint (which looks them up in its own database) and the
// CLI (which may fetch them over HTTP).
//
// Checks, each reported with a message a person can read: the format, the
// proof (eddsa-rdfc-2022 Data Integrity or VC-JWT ES256/RS256), the shape of
// an OB 3.0 credential, validity dates, and revocation through the credential
// status list (whose own proof is checked too). Never throws.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"

namespace cairn {

struct VerifierHooks {
  // verificationMethod URL -> Ed25519 public key (did:key is resolved
  // without this hook).
  std::function<Result<std::array<std::uint8_t, 32>>(std::string_view)> resolve_key;
  // JWT kid -> public JWK.
  std::function<Result<nlohmann::json>(std::string_view)> resolve_jwk;
  // verificationMethod or kid -> when its issuer revoked the key as
  // compromised (nothing if not, or unknown). A proof created at or after
  // that time fails; an older one still verifies. May be empty.
  std::function<std::optional<Instant>(std::string_view)> key_revoked_at;
  // Status list credential URL -> the document.
  std::function<Result<nlohmann::json>(std::string_view)> fetch_status_list;
  // The issuer's stated reason for revoking this credential id, if it knows.
  std::function<std::optional<std::string>(std::string_view)> revocation_reason;
  // OB 2.0 hosted assertion URL -> the assertion as its issuer hosts it now,
  // and whether the issuer lists it as revoked (with the reason).
  std::function<Result<nlohmann::json>(std::string_view)> fetch_ob2_assertion;
  Clock clock;
};

struct VerificationCheck {
  std::string check;  // "format", "proof", "shape", "dates", "status"
  bool ok = false;
  std::string message;
};

struct VerificationReport {
  // valid | revoked | expired | not_yet_valid | invalid | unverifiable
  std::string status = "invalid";
  std::string format;  // "ob3+json", "ob3+jwt", "ob3+png", "ob2+png", ...
  std::string reason;  // why, when not valid
  std::vector<VerificationCheck> checks;
  nlohmann::json credential;  // the credential as found (JSON), null if none
  nlohmann::json summary;     // who earned what, when, from whom
  bool valid() const { return status == "valid"; }
  nlohmann::json ToJson() const;
};

VerificationReport VerifyCredentialBytes(std::string_view bytes, const VerifierHooks& hooks);

}  // namespace cairn
