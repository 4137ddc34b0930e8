// JOSE compact JWS (RFC 7515) with ES256 / RS256 (RFC 7518), keys as JWK (RFC
// 7517) or PEM, and the Open Badges 3.0 VC-JWT mapping (spec §"JSON Web Token
// Proof Format": payload = the credential plus iss/jti/sub/nbf/exp).
//
// Keys wrap an OpenSSL EVP_PKEY that is never mutated after construction, so
// SigningKey and VerificationKey are cheap to copy (shared ownership) and safe
// to use from several threads at once. Private keys leave this module only as
// PKCS#8 PEM bytes; encrypting them at rest is the caller's job.
//
// Verification is for hostile input: strict base64url, JSON objects only, the
// header `alg` must equal the algorithm of the key the caller trusts ("none",
// HMAC and any mismatch are refused, so an RSA public key can never be used as
// an HMAC secret), unknown `crit` headers are refused, and the time checks use
// the clock value the caller passes in. Failures are kInvalidArgument with the
// reason.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace cairn::credentials {

enum class JwsAlgorithm {
  kES256,  // ECDSA P-256 + SHA-256, signature = raw R||S (64 bytes)
  kRS256,  // RSASSA-PKCS1-v1_5 + SHA-256, RSA modulus >= 2048 bits
};

std::string_view JwsAlgorithmName(JwsAlgorithm algorithm);
// Refuses "none", HS*, and anything else we do not implement.
Result<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name);

struct VerifiedJws;

class VerificationKey {
 public:
  // {"kty":"EC","crv":"P-256","x","y"} or {"kty":"RSA","n","e"}. Refuses JWKs
  // carrying private members ("d", ...) and points not on the curve.
  static Result<VerificationKey> FromJwk(const nlohmann::json& jwk);
  // "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo), e.g. OB 2.0 publicKeyPem.
  static Result<VerificationKey> FromSpkiPem(std::string_view pem);

  JwsAlgorithm algorithm() const { return algorithm_; }
  // Public JWK: EC {kty, crv, x, y, kid}; RSA {kty, n, e, kid}. `kid` omitted when empty.
  Result<nlohmann::json> ToJwk(std::string_view kid = {}) const;
  Result<std::string> ToSpkiPem() const;

 private:
  friend class SigningKey;
  friend Result<VerifiedJws> VerifyCompactJws(std::string_view, const VerificationKey&);
  VerificationKey(std::shared_ptr<evp_pkey_st> key, JwsAlgorithm algorithm)
      : key_(std::move(key)), algorithm_(algorithm) {}
  std::shared_ptr<evp_pkey_st> key_;
  JwsAlgorithm algorithm_;
};

class SigningKey {
 public:
  // Fresh key from the OpenSSL CSPRNG: P-256 for ES256, RSA-2048 for RS256.
  static Result<SigningKey> Generate(JwsAlgorithm algorithm);
  // PKCS#8 "BEGIN PRIVATE KEY" (traditional EC/RSA PEM also accepted).
  // Encrypted PEM is refused without prompting.
  static Result<SigningKey> FromPkcs8Pem(std::string_view pem);
  // Unencrypted PKCS#8 PEM.
  Result<std::string> ToPkcs8Pem() const;

  JwsAlgorithm algorithm() const { return algorithm_; }
  VerificationKey PublicKey() const { return VerificationKey(key_, algorithm_); }
  Result<nlohmann::json> PublicJwk(std::string_view kid = {}) const {
    return PublicKey().ToJwk(kid);
  }

 private:
  friend Result<std::string> SignCompactJws(const nlohmann::json&, std::string_view,
                                            const SigningKey&);
  SigningKey(std::shared_ptr<evp_pkey_st> key, JwsAlgorithm algorithm)
      : key_(std::move(key)), algorithm_(algorithm) {}
  std::shared_ptr<evp_pkey_st> key_;
  JwsAlgorithm algorithm_;
};

// Upper bound on a compact JWS we are willing to parse.
inline constexpr std::size_t kMaxJwsBytes = 16u << 20;

// Signs `payload` bytes. `header` must be a JSON object; its "alg" is set from
// the key (any given value is overwritten).
Result<std::string> SignCompactJws(const nlohmann::json& header, std::string_view payload,
                                   const SigningKey& key);

struct VerifiedJws {
  nlohmann::json header;
  std::string payload;  // decoded bytes
};

// Verifies with `key`; the header's alg must be key.algorithm().
Result<VerifiedJws> VerifyCompactJws(std::string_view jws, const VerificationKey& key);

// The decoded protected header WITHOUT verification, to pick the key (kid/jwk).
Result<nlohmann::json> PeekJwsHeader(std::string_view jws);

// OB 3.0 VC-JWT. Header {alg, typ:"JWT", kid} (or an embedded public "jwk" when
// kid is empty; both with `embed_jwk`, for validators that read the key from
// the header and those that dereference kid). Payload: the credential plus iss = issuer id, jti =
// id, sub = credentialSubject.id (when present), nbf = validFrom, exp = validUntil (when present).
// The credential must not already carry those claim names.
Result<std::string> SignCredentialJwt(const nlohmann::json& credential, const SigningKey& key,
                                      std::string_view kid, bool embed_jwk = false);

struct VerifiedCredentialJwt {
  nlohmann::json header;
  nlohmann::json claims;      // the whole JWT payload
  nlohmann::json credential;  // payload without the registered claims (or the legacy "vc" claim)
};

// Verifies signature, then nbf <= now + leeway and now - leeway < exp, then
// that iss/jti/nbf/exp agree with the credential (OB 3.0 §jwt-verify), and sub
// too when present (1EdTech's samples omit it).
// Accepts the VC 1.1 layout (credential under "vc", issuanceDate /
// expirationDate) that older OB 3.0 issuers emit.
Result<VerifiedCredentialJwt> VerifyCredentialJwt(std::string_view jwt, const VerificationKey& key,
                                                  Instant now, std::int64_t leeway_seconds = 0);

// RFC 3339 date-time ("2010-01-01T00:00:00Z", fractions and offsets allowed)
// to UTC seconds; fractions are truncated.
Result<Instant> ParseDateTime(std::string_view text);

}  // namespace cairn::credentials
