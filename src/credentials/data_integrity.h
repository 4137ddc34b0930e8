// W3C Data Integrity proofs with the EdDSA cryptosuite eddsa-rdfc-2022
// (vc-di-eddsa): create and verify proofs over JSON-LD documents, using
// JSON-LD toRdf + RDFC-1.0 canonicalization and Ed25519 (libsodium).
//
// Verification also accepts the legacy names of the same algorithm:
// cryptosuite "eddsa-2022" and proof type "Ed25519Signature2020" (the
// OB 3.0 / CLR 2.0 samples signed before eddsa-rdfc-2022 was final).
//
// Thread safety: DataIntegrity is immutable after construction and may be
// used from many threads; it borrows the jsonld::Processor, which must
// outlive it. Key resolvers are called on the calling thread.
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
#include "credentials/jsonld.h"
#include "credentials/multibase.h"

namespace cairn::credentials {

using Json = nlohmann::json;

// An Ed25519 signing key: 32-byte seed plus libsodium's 64-byte secret key.
struct Ed25519KeyPair {
  multibase::Ed25519Seed seed{};
  multibase::Ed25519PublicKey public_key{};
  std::array<uint8_t, 64> secret_key{};

  static Ed25519KeyPair FromSeed(const multibase::Ed25519Seed& seed);
  // From a Multikey secretKeyMultibase ("z3u2..."); errors on a bad encoding.
  static Result<Ed25519KeyPair> FromMultikeySecret(std::string_view secret_key_multibase);
};

struct ProofOptions {
  std::string verification_method;  // URL of the public key, e.g. did:key:z6Mk...#z6Mk...
  std::string created;              // XML Schema dateTime, injected for determinism
  std::string proof_purpose = "assertionMethod";
  std::optional<std::string> id;            // optional proof id (needed for proof chains)
  std::vector<std::string> previous_proof;  // ids of proofs this one chains to
  // Set on a proof of control (proof_purpose "authentication"): the
  // verifier's nonce and its domain, which the signature then covers.
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
};

// Intermediate values of one proof, exposed for test vectors and debugging.
struct ProofTrace {
  std::string canonical_proof_config;
  std::string canonical_document;
  std::array<uint8_t, 32> proof_config_hash{};
  std::array<uint8_t, 32> document_hash{};
  std::vector<uint8_t> hash_data;  // proof_config_hash || document_hash
  std::array<uint8_t, 64> signature{};
};

enum class ProofFailure {
  kNone = 0,
  kNoProof,                 // document carries no proof at all
  kMalformedProof,          // missing/ill-typed proof fields, bad proofValue encoding
  kUnsupportedCryptosuite,  // a proof type/cryptosuite this code does not implement
  kContextMismatch,         // proof @context is not a prefix of the document @context
  kUnknownKey,              // the resolver does not know the verification method
  kCanonicalization,        // JSON-LD / RDFC failure (e.g. missing context)
  kBadSignature,            // Ed25519 verification failed
};
// Stable lowercase name ("bad_signature"), used as the Status message prefix.
const char* ProofFailureName(ProofFailure failure);

struct ProofCheck {
  size_t index = 0;  // position in the document's proof array
  std::string type;
  std::string cryptosuite;
  std::string verification_method;
  ProofFailure failure = ProofFailure::kNone;
  std::string detail;  // human-readable reason when failure != kNone
};

struct VerifyReport {
  std::vector<ProofCheck> proofs;
  // True when at least one proof verified and no supported proof failed.
  bool verified() const;
  // Ok when verified(); otherwise kInvalidArgument with
  // "<failure_name>: proof[i]: <detail>" for the first failing proof.
  Status ToStatus() const;
};

// verificationMethod URL -> Ed25519 public key. Return kNotFound for unknown
// methods (reported as kUnknownKey).
using KeyResolver = std::function<Result<multibase::Ed25519PublicKey>(std::string_view)>;

// Resolves did:key Ed25519 methods locally: the method-specific id *is* the
// Multikey ("did:key:z6Mk...#z6Mk..." or without fragment).
Result<multibase::Ed25519PublicKey> ResolveDidKey(std::string_view verification_method);

class DataIntegrity {
 public:
  explicit DataIntegrity(const jsonld::Processor& processor) : processor_(processor) {}

  // Returns a proof object (no @context) for `unsecured` (which must not
  // carry a proof the new one does not chain to). Deterministic for fixed
  // inputs: Ed25519 signatures are deterministic and `created` is injected.
  Result<Json> CreateProof(const Json& unsecured, const ProofOptions& options,
                           const Ed25519KeyPair& key, ProofTrace* trace = nullptr) const;

  // Adds a proof to `document` (a second proof turns "proof" into an array).
  // The rvalue overload reuses `document` instead of copying it (a 15 kB
  // credential takes ~40 us to copy); on error `document` is left unchanged.
  Result<Json> Sign(const Json& document, const ProofOptions& options,
                    const Ed25519KeyPair& key) const;
  Result<Json> Sign(Json&& document, const ProofOptions& options, const Ed25519KeyPair& key) const;

  // Verifies every proof of `secured`. Never throws; all failures are in
  // the report.
  VerifyReport Verify(const Json& secured, const KeyResolver& resolver) const;

  // The canonical N-Quads of a JSON-LD document (toRdf + RDFC-1.0).
  Result<std::string> CanonicalNQuads(const Json& document) const;

 private:
  ProofCheck VerifyOne(const Json& secured, const Json& proofs, size_t index,
                       const KeyResolver& resolver) const;
  Result<ProofTrace> HashData(const Json& unsecured, const Json& proof_config) const;

  const jsonld::Processor& processor_;
};

}  // namespace cairn::credentials
