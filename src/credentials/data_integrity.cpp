#include "credentials/data_integrity.h"

#include <sodium.h>

#include <algorithm>

#include "credentials/rdfc.h"

namespace cairn::credentials {
namespace {

constexpr std::string_view kCryptosuite = "eddsa-rdfc-2022";

// libsodium must be initialised once before use; sodium_init is idempotent.
void EnsureSodium() {
  static const int kInit = sodium_init();
  (void)kInit;
}

bool IsSupported(const std::string& type, const std::string& cryptosuite) {
  if (type == "DataIntegrityProof") {
    return cryptosuite == kCryptosuite || cryptosuite == "eddsa-2022";
  }
  return type == "Ed25519Signature2020" && cryptosuite.empty();
}

std::string StringField(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ProofCheck Fail(ProofCheck check, ProofFailure failure, std::string detail) {
  check.failure = failure;
  check.detail = std::move(detail);
  return check;
}

// The document a proof signs: without proofs, except those it chains to.
Json UnsecuredFor(const Json& secured, const Json& proofs, const Json& proof) {
  Json unsecured = secured;
  unsecured.erase("proof");
  auto previous = proof.find("previousProof");
  if (previous == proof.end()) return unsecured;
  std::vector<std::string> ids;
  if (previous->is_string()) ids.push_back(previous->get<std::string>());
  if (previous->is_array()) {
    for (const Json& id : *previous) {
      if (id.is_string()) ids.push_back(id.get<std::string>());
    }
  }
  Json matching = Json::array();
  for (const Json& candidate : proofs) {
    std::string id = StringField(candidate, "id");
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) != ids.end()) {
      matching.push_back(candidate);
    }
  }
  unsecured["proof"] = std::move(matching);
  return unsecured;
}

// `secured` with `proof` added (a second proof turns "proof" into an array).
Json WithProof(Json secured, Json proof) {
  auto it = secured.find("proof");
  if (it == secured.end()) {
    secured["proof"] = std::move(proof);
  } else {
    Json proofs = it->is_array() ? *it : Json::array({*it});
    proofs.push_back(std::move(proof));
    *it = std::move(proofs);
  }
  return secured;
}

}  // namespace

const char* ProofFailureName(ProofFailure failure) {
  switch (failure) {
    case ProofFailure::kNone:
      return "ok";
    case ProofFailure::kNoProof:
      return "no_proof";
    case ProofFailure::kMalformedProof:
      return "malformed_proof";
    case ProofFailure::kUnsupportedCryptosuite:
      return "unsupported_cryptosuite";
    case ProofFailure::kContextMismatch:
      return "context_mismatch";
    case ProofFailure::kUnknownKey:
      return "unknown_key";
    case ProofFailure::kCanonicalization:
      return "canonicalization_failed";
    case ProofFailure::kBadSignature:
      return "bad_signature";
  }
  return "unknown";
}

Ed25519KeyPair Ed25519KeyPair::FromSeed(const multibase::Ed25519Seed& seed) {
  EnsureSodium();
  Ed25519KeyPair pair;
  pair.seed = seed;
  crypto_sign_seed_keypair(pair.public_key.data(), pair.secret_key.data(), seed.data());
  return pair;
}

Result<Ed25519KeyPair> Ed25519KeyPair::FromMultikeySecret(std::string_view secret_key_multibase) {
  CAIRN_ASSIGN_OR_RETURN(auto seed, multibase::DecodeMultikeyEd25519Secret(secret_key_multibase));
  return FromSeed(seed);
}

bool VerifyReport::verified() const {
  bool any_ok = false;
  for (const ProofCheck& check : proofs) {
    if (check.failure == ProofFailure::kNone) {
      any_ok = true;
    } else if (check.failure != ProofFailure::kUnsupportedCryptosuite) {
      return false;
    }
  }
  return any_ok;
}

Status VerifyReport::ToStatus() const {
  if (verified()) return Status::Ok();
  if (proofs.empty()) return Status::Invalid("no_proof: document has no proof");
  // Report the most specific failure: a supported proof that failed first.
  const ProofCheck* worst = &proofs.front();
  for (const ProofCheck& check : proofs) {
    if (check.failure != ProofFailure::kNone &&
        check.failure != ProofFailure::kUnsupportedCryptosuite) {
      worst = &check;
      break;
    }
  }
  return Status::Invalid(std::string(ProofFailureName(worst->failure)) + ": proof[" +
                         std::to_string(worst->index) + "]: " + worst->detail);
}

Result<multibase::Ed25519PublicKey> ResolveDidKey(std::string_view verification_method) {
  constexpr std::string_view kPrefix = "did:key:";
  if (verification_method.substr(0, kPrefix.size()) != kPrefix) {
    return Status::NotFound("not a did:key method: " + std::string(verification_method));
  }
  std::string_view id = verification_method.substr(kPrefix.size());
  size_t hash = id.find('#');
  std::string_view fragment;
  if (hash != std::string_view::npos) {
    fragment = id.substr(hash + 1);
    id = id.substr(0, hash);
  }
  if (!fragment.empty() && fragment != id) {
    return Status::NotFound("did:key fragment does not match its key: " +
                            std::string(verification_method));
  }
  auto key = multibase::DecodeMultikeyEd25519Public(id);
  if (!key.ok()) return Status::NotFound(key.status().message());
  return key;
}

Result<std::string> DataIntegrity::CanonicalNQuads(const Json& document) const {
  rdf::SerializedDataset dataset;
  CAIRN_RETURN_IF_ERROR(processor_.ToRdf(document, dataset));
  return rdf::CanonicalizeToNQuads(dataset);
}

Result<ProofTrace> DataIntegrity::HashData(const Json& unsecured, const Json& proof_config) const {
  ProofTrace trace;
  CAIRN_ASSIGN_OR_RETURN(trace.canonical_proof_config, CanonicalNQuads(proof_config));
  CAIRN_ASSIGN_OR_RETURN(trace.canonical_document, CanonicalNQuads(unsecured));
  trace.proof_config_hash = rdf::Sha256(trace.canonical_proof_config);
  trace.document_hash = rdf::Sha256(trace.canonical_document);
  trace.hash_data.assign(trace.proof_config_hash.begin(), trace.proof_config_hash.end());
  trace.hash_data.insert(trace.hash_data.end(), trace.document_hash.begin(),
                         trace.document_hash.end());
  return trace;
}

Result<Json> DataIntegrity::CreateProof(const Json& unsecured, const ProofOptions& options,
                                        const Ed25519KeyPair& key, ProofTrace* trace) const {
  if (!unsecured.is_object() || !unsecured.contains("@context")) {
    return Status::Invalid("data integrity: document must be a JSON object with @context");
  }
  if (options.verification_method.empty() || options.created.empty()) {
    return Status::Invalid("data integrity: verification_method and created are required");
  }
  Json proof = Json::object();
  proof["type"] = "DataIntegrityProof";
  proof["cryptosuite"] = kCryptosuite;
  proof["created"] = options.created;
  proof["verificationMethod"] = options.verification_method;
  proof["proofPurpose"] = options.proof_purpose;
  if (options.id) proof["id"] = *options.id;
  if (options.challenge) proof["challenge"] = *options.challenge;
  if (options.domain) proof["domain"] = *options.domain;
  if (options.previous_proof.size() == 1) proof["previousProof"] = options.previous_proof.front();
  if (options.previous_proof.size() > 1) proof["previousProof"] = options.previous_proof;

  Json proofs = Json::array();
  if (auto it = unsecured.find("proof"); it != unsecured.end()) {
    proofs = it->is_array() ? *it : Json::array({*it});
  }
  Json proof_config = proof;
  proof_config["@context"] = unsecured["@context"];
  // The usual first proof signs the document as given: no copy needed.
  const Json* signed_document = &unsecured;
  Json stripped;
  if (unsecured.contains("proof") || !options.previous_proof.empty()) {
    stripped = UnsecuredFor(unsecured, proofs, proof);
    signed_document = &stripped;
  }
  CAIRN_ASSIGN_OR_RETURN(ProofTrace computed, HashData(*signed_document, proof_config));
  crypto_sign_detached(computed.signature.data(), nullptr, computed.hash_data.data(),
                       computed.hash_data.size(), key.secret_key.data());
  proof["proofValue"] =
      multibase::EncodeBase58Btc(computed.signature.data(), computed.signature.size());
  if (trace) *trace = std::move(computed);
  return proof;
}

Result<Json> DataIntegrity::Sign(const Json& document, const ProofOptions& options,
                                 const Ed25519KeyPair& key) const {
  CAIRN_ASSIGN_OR_RETURN(Json proof, CreateProof(document, options, key));
  return WithProof(Json(document), std::move(proof));
}

Result<Json> DataIntegrity::Sign(Json&& document, const ProofOptions& options,
                                 const Ed25519KeyPair& key) const {
  CAIRN_ASSIGN_OR_RETURN(Json proof, CreateProof(document, options, key));
  return WithProof(std::move(document), std::move(proof));
}

VerifyReport DataIntegrity::Verify(const Json& secured, const KeyResolver& resolver) const {
  EnsureSodium();
  VerifyReport report;
  if (!secured.is_object() || !secured.contains("proof") || secured["proof"].is_null()) {
    ProofCheck check;
    check.failure = ProofFailure::kNoProof;
    check.detail = "document has no proof";
    report.proofs.push_back(std::move(check));
    return report;
  }
  const Json& raw = secured["proof"];
  Json proofs = raw.is_array() ? raw : Json::array({raw});
  for (size_t i = 0; i < proofs.size(); ++i) {
    report.proofs.push_back(VerifyOne(secured, proofs, i, resolver));
  }
  return report;
}

ProofCheck DataIntegrity::VerifyOne(const Json& secured, const Json& proofs, size_t index,
                                    const KeyResolver& resolver) const {
  ProofCheck check;
  check.index = index;
  const Json& proof = proofs[index];
  if (!proof.is_object())
    return Fail(check, ProofFailure::kMalformedProof, "proof is not an object");
  check.type = StringField(proof, "type");
  check.cryptosuite = StringField(proof, "cryptosuite");
  check.verification_method = StringField(proof, "verificationMethod");
  if (!IsSupported(check.type, check.cryptosuite)) {
    return Fail(check, ProofFailure::kUnsupportedCryptosuite,
                "type '" + check.type + "' cryptosuite '" + check.cryptosuite + "'");
  }
  std::string proof_value = StringField(proof, "proofValue");
  if (proof_value.empty()) return Fail(check, ProofFailure::kMalformedProof, "missing proofValue");
  if (check.verification_method.empty()) {
    return Fail(check, ProofFailure::kMalformedProof, "missing verificationMethod");
  }
  if (StringField(proof, "proofPurpose").empty()) {
    return Fail(check, ProofFailure::kMalformedProof, "missing proofPurpose");
  }
  auto signature = multibase::DecodeBase58Btc(proof_value);
  if (!signature.ok() || signature->size() != crypto_sign_BYTES) {
    return Fail(check, ProofFailure::kMalformedProof,
                "proofValue is not a base58btc 64-byte signature");
  }
  if (!secured.contains("@context")) {
    return Fail(check, ProofFailure::kContextMismatch, "document has no @context");
  }
  const Json& document_context = secured["@context"];
  Json proof_config = proof;
  proof_config.erase("proofValue");
  if (auto it = proof.find("@context"); it != proof.end()) {
    // The proof's context must be a prefix of the document's.
    Json proof_contexts = it->is_array() ? *it : Json::array({*it});
    Json doc_contexts =
        document_context.is_array() ? document_context : Json::array({document_context});
    bool prefix = proof_contexts.size() <= doc_contexts.size() &&
                  std::equal(proof_contexts.begin(), proof_contexts.end(), doc_contexts.begin());
    if (!prefix) {
      return Fail(check, ProofFailure::kContextMismatch,
                  "proof @context is not a prefix of the document @context");
    }
  } else {
    proof_config["@context"] = document_context;
  }
  auto key = resolver(check.verification_method);
  if (!key.ok()) {
    return Fail(check, ProofFailure::kUnknownKey,
                check.verification_method + ": " + key.status().message());
  }
  auto trace = HashData(UnsecuredFor(secured, proofs, proof), proof_config);
  if (!trace.ok()) return Fail(check, ProofFailure::kCanonicalization, trace.status().message());
  if (crypto_sign_verify_detached(signature->data(), trace->hash_data.data(),
                                  trace->hash_data.size(), key->data()) != 0) {
    return Fail(check, ProofFailure::kBadSignature,
                "Ed25519 signature does not match for " + check.verification_method);
  }
  return check;
}

}  // namespace cairn::credentials
