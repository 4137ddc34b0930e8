// eddsa-rdfc-2022 against the W3C vc-di-eddsa test vectors (every
// intermediate value byte for byte) and the 1EdTech OB 3.0 / CLR 2.0 samples.
#include "credentials/data_integrity.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <cstdio>

#include "credentials/rdfc.h"
#include "credentials/test_util.h"

namespace cairn::credentials {
namespace {

using testing::ReadTestFile;
using testing::ReadTestJson;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Hex(const uint8_t* data, size_t size) { return rdf::HexEncode(data, size); }

class DataIntegrityTest : public ::testing::Test {
 protected:
  jsonld::Processor processor_{jsonld::BundledContexts()};
  DataIntegrity suite_{processor_};
  KeyResolver did_key_ = [](std::string_view vm) { return ResolveDidKey(vm); };
};

// --- W3C vc-di-eddsa, eddsa-rdfc-2022 -------------------------------------

TEST_F(DataIntegrityTest, ReproducesEveryIntermediateOfTheW3cVector) {
  CAIRN_SKIP_WITHOUT_TESTDATA("vc-di-eddsa");
  const std::string dir = "vc-di-eddsa/eddsa-rdfc-2022/";
  Json keys = ReadTestJson("vc-di-eddsa/keyPair.json");
  auto key = Ed25519KeyPair::FromMultikeySecret(keys["privateKeyMultibase"].get<std::string>());
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(multibase::EncodeMultikeyEd25519Public(key->public_key),
            keys["publicKeyMultibase"].get<std::string>());

  Json config = ReadTestJson(dir + "proofConfigDataInt.json");
  ProofOptions options;
  options.verification_method = config["verificationMethod"];
  options.created = config["created"];
  options.proof_purpose = config["proofPurpose"];
  ProofTrace trace;
  auto proof = suite_.CreateProof(ReadTestJson("vc-di-eddsa/unsigned.json"), options, *key, &trace);
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();

  EXPECT_EQ(trace.canonical_document, ReadTestFile(dir + "canonDocDataInt.txt"));
  EXPECT_EQ(trace.canonical_proof_config, ReadTestFile(dir + "proofCanonDataInt.txt"));
  EXPECT_EQ(Hex(trace.document_hash.data(), 32), Trimmed(ReadTestFile(dir + "docHashDataInt.txt")));
  EXPECT_EQ(Hex(trace.proof_config_hash.data(), 32),
            Trimmed(ReadTestFile(dir + "proofHashDataInt.txt")));
  EXPECT_EQ(Hex(trace.hash_data.data(), trace.hash_data.size()),
            Trimmed(ReadTestFile(dir + "combinedHashDataInt.txt")));
  EXPECT_EQ(Hex(trace.signature.data(), 64), Trimmed(ReadTestFile(dir + "sigHexDataInt.txt")));
  EXPECT_EQ((*proof)["proofValue"], Trimmed(ReadTestFile(dir + "sigBTC58DataInt.txt")));

  Json signed_doc = ReadTestJson(dir + "signedDataInt.json");
  auto resigned = suite_.Sign(ReadTestJson("vc-di-eddsa/unsigned.json"), options, *key);
  ASSERT_TRUE(resigned.ok());
  EXPECT_EQ(*resigned, signed_doc);
}

TEST_F(DataIntegrityTest, VerifiesW3cSignedVectorAndRejectsTamperedCopy) {
  CAIRN_SKIP_WITHOUT_TESTDATA("vc-di-eddsa");
  Json signed_doc = ReadTestJson("vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json");
  VerifyReport report = suite_.Verify(signed_doc, did_key_);
  EXPECT_TRUE(report.verified()) << report.ToStatus().ToString();

  Json tampered = signed_doc;
  tampered["credentialSubject"]["alumniOf"] = "The School of Forgery";
  report = suite_.Verify(tampered, did_key_);
  ASSERT_FALSE(report.verified());
  EXPECT_EQ(report.proofs[0].failure, ProofFailure::kBadSignature);
  EXPECT_EQ(report.ToStatus().message().rfind("bad_signature:", 0), 0u);

  Json bad_value = signed_doc;
  bad_value["proof"]["proofValue"] = "zNotBase58!";
  EXPECT_EQ(suite_.Verify(bad_value, did_key_).proofs[0].failure, ProofFailure::kMalformedProof);

  Json other_suite = signed_doc;
  other_suite["proof"]["cryptosuite"] = "ecdsa-rdfc-2019";
  EXPECT_EQ(suite_.Verify(other_suite, did_key_).proofs[0].failure,
            ProofFailure::kUnsupportedCryptosuite);

  Json unknown_key = signed_doc;
  unknown_key["proof"]["verificationMethod"] = "https://example.com/keys/1";
  EXPECT_EQ(suite_.Verify(unknown_key, did_key_).proofs[0].failure, ProofFailure::kUnknownKey);

  Json context_mismatch = signed_doc;
  context_mismatch["proof"]["@context"] = Json::array({"https://www.w3.org/2018/credentials/v1"});
  EXPECT_EQ(suite_.Verify(context_mismatch, did_key_).proofs[0].failure,
            ProofFailure::kContextMismatch);

  Json no_proof = signed_doc;
  no_proof.erase("proof");
  EXPECT_EQ(suite_.Verify(no_proof, did_key_).ToStatus().message().rfind("no_proof", 0), 0u);
}

TEST_F(DataIntegrityTest, EmploymentVectorNeedsAContextWeDoNotBundle) {
  CAIRN_SKIP_WITHOUT_TESTDATA("vc-di-eddsa");
  // vc-di-eddsa/eddsa-rdfc-2022/employ uses https://w3id.org/citizenship/v4rc1, which is not in
  // the shared test data; without network access it must fail clearly, naming the URL.
  Json signed_doc = ReadTestJson("vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json");
  VerifyReport report = suite_.Verify(signed_doc, did_key_);
  ASSERT_EQ(report.proofs.size(), 1u);
  EXPECT_EQ(report.proofs[0].failure, ProofFailure::kCanonicalization);
  EXPECT_NE(report.proofs[0].detail.find("https://w3id.org/citizenship/v4rc1"), std::string::npos);
}

TEST_F(DataIntegrityTest, VerifiesLegacyEd25519Signature2020Vector) {
  CAIRN_SKIP_WITHOUT_TESTDATA("vc-di-eddsa");
  const std::string dir = "vc-di-eddsa/Ed25519Signature2020/";
  Json signed_doc = ReadTestJson(dir + "signedEdSig.json");
  VerifyReport report = suite_.Verify(signed_doc, did_key_);
  EXPECT_TRUE(report.verified()) << report.ToStatus().ToString();
  auto canonical_doc = suite_.CanonicalNQuads(ReadTestJson("vc-di-eddsa/unsigned.json"));
  ASSERT_TRUE(canonical_doc.ok());
  EXPECT_EQ(*canonical_doc, ReadTestFile(dir + "canonDocEdSig.txt"));
  auto canonical_proof = suite_.CanonicalNQuads(ReadTestJson(dir + "proofConfigEdSig.json"));
  ASSERT_TRUE(canonical_proof.ok()) << canonical_proof.status().ToString();
  EXPECT_EQ(*canonical_proof, ReadTestFile(dir + "proofCanonEdSig.txt"));
}

TEST_F(DataIntegrityTest, VerifiesProofSetsAndChains) {
  CAIRN_SKIP_WITHOUT_TESTDATA("vc-di-eddsa");
  for (const char* name : {"signedProofSet1.json", "signedProofSet2.json", "signedProofChain1.json",
                           "signedProofChain2.json"}) {
    Json doc = ReadTestJson(std::string("vc-di-eddsa/proof-set-chain/") + name);
    VerifyReport report = suite_.Verify(doc, did_key_);
    EXPECT_TRUE(report.verified()) << name << ": " << report.ToStatus().ToString();
    EXPECT_GE(report.proofs.size(), 1u) << name;
  }
}

TEST_F(DataIntegrityTest, ReproducesProofSetAndChainSignatures) {
  CAIRN_SKIP_WITHOUT_TESTDATA("vc-di-eddsa");
  Json keys = ReadTestJson("vc-di-eddsa/proof-set-chain/multiKeyPairs.json");
  auto key_for = [&](const std::string& vm) {
    for (const auto& [name, pair] : keys.items()) {
      if (vm.find(pair["publicKeyMultibase"].get<std::string>()) != std::string::npos) {
        return Ed25519KeyPair::FromMultikeySecret(pair["privateKeyMultibase"].get<std::string>());
      }
    }
    return Result<Ed25519KeyPair>(Status::NotFound(vm));
  };
  Json expected = ReadTestJson("vc-di-eddsa/proof-set-chain/signedProofChain2.json");
  Json document = ReadTestJson("vc-di-eddsa/proof-set-chain/unsigned.json");
  for (const Json& want : expected["proof"]) {
    ProofOptions options;
    options.verification_method = want["verificationMethod"];
    options.created = want["created"];
    options.proof_purpose = want["proofPurpose"];
    if (want.contains("id")) options.id = want["id"].get<std::string>();
    if (want.contains("previousProof")) {
      for (const Json& id : want["previousProof"].is_array()
                                ? want["previousProof"]
                                : Json::array({want["previousProof"]})) {
        options.previous_proof.push_back(id.get<std::string>());
      }
    }
    auto key = key_for(options.verification_method);
    ASSERT_TRUE(key.ok());
    auto proof = suite_.CreateProof(document, options, *key);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ((*proof)["proofValue"], want["proofValue"]) << options.verification_method;
    auto next = suite_.Sign(document, options, *key);
    ASSERT_TRUE(next.ok());
    document = std::move(*next);
  }
}

TEST_F(DataIntegrityTest, OneEdTechSpecCanonicalForms) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/spec-vectors");
  // The OB 3.0 / CLR 2.0 specs publish the canonical proof configuration of their examples.
  for (const char* spec : {"obv3p0", "clrv2p0"}) {
    std::string dir = std::string("openbadges/spec-vectors/test-vectors/") + spec + "/";
    auto parsed = rdf::ParseNQuads(ReadTestFile(dir + "proof-canon.txt"));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    auto canonical = rdf::CanonicalizeToNQuads(*parsed);
    ASSERT_TRUE(canonical.ok());
    EXPECT_EQ(*canonical, ReadTestFile(dir + "proof-canon.txt")) << spec;
    auto doc = rdf::ParseNQuads(ReadTestFile(dir + "document-canon.txt"));
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    auto doc_canonical = rdf::CanonicalizeToNQuads(*doc);
    ASSERT_TRUE(doc_canonical.ok());
    EXPECT_EQ(*doc_canonical, ReadTestFile(dir + "document-canon.txt")) << spec;
  }
}

// --- 1EdTech OB 3.0 / CLR 2.0 samples ------------------------------------

// The samples' issuers publish their Multikey as the verificationMethod URL
// fragment (https://example.com/issuers/876543#z6Mk...); the 1EdTech
// validator resolves those URLs over the network. Offline, this test
// resolver accepts did:key and an http(s)/urn URL whose fragment is a z6Mk
// Multikey; anything else (did:web, #key-1, bad schemes) is an unknown key.
Result<multibase::Ed25519PublicKey> SampleResolver(std::string_view vm) {
  if (vm.rfind("did:key:", 0) == 0) return ResolveDidKey(vm);
  size_t hash = vm.find('#');
  if ((vm.rfind("https://", 0) == 0 || vm.rfind("http://", 0) == 0 || vm.rfind("urn:", 0) == 0) &&
      hash != std::string_view::npos && vm.substr(hash + 1, 4) == "z6Mk") {
    auto key = multibase::DecodeMultikeyEd25519Public(vm.substr(hash + 1));
    if (key.ok()) return key;
    return Status::NotFound(key.status().message());
  }
  return Status::NotFound("cannot resolve " + std::string(vm));
}

struct SampleCase {
  std::string file;
  ProofFailure expected;  // kNone = verifies
};

void PrintTo(const SampleCase& c, std::ostream* os) { *os << c.file; }

class OneEdTechSampleTest : public DataIntegrityTest,
                            public ::testing::WithParamInterface<SampleCase> {};

TEST_P(OneEdTechSampleTest, VerifiesAsExpected) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/" + GetParam().file);
  const SampleCase& c = GetParam();
  Json doc = ReadTestJson("openbadges/" + c.file);
  VerifyReport report = suite_.Verify(doc, SampleResolver);
  std::string summary;
  for (const ProofCheck& p : report.proofs) {
    summary += std::string(ProofFailureName(p.failure)) + " (" + p.detail + "); ";
  }
  std::printf("[sample] %s -> %s %s\n", c.file.c_str(), report.verified() ? "VERIFIED" : "REJECTED",
              summary.c_str());
  if (c.expected == ProofFailure::kNone) {
    EXPECT_TRUE(report.verified()) << summary;
    return;
  }
  EXPECT_FALSE(report.verified());
  bool found = false;
  for (const ProofCheck& p : report.proofs) found = found || p.failure == c.expected;
  EXPECT_TRUE(found) << "expected " << ProofFailureName(c.expected) << ", got " << summary;
}

// simple-err-*-type samples (and endorsement-err-schema-status-refresh) use
// types/properties that no context defines. JSON-LD expands them to relative
// IRIs that toRdf drops, so the signed bytes depend on the signer's
// processor/base IRI; we cannot reproduce them and report bad_signature.
// Their intended failure (schema) belongs to the credential validator.
std::vector<SampleCase> Samples() {
  using F = ProofFailure;
  return {
      {"ob30/simple.json", F::kNone},
      {"ob30/complete.json", F::kNone},
      {"ob30/endorsement-valid.json", F::kNone},
      {"ob30/simple-context-alias.json", F::kNone},
      {"ob30/simple-context-version.json", F::kNone},
      {"ob30/simple-did-key-method.json", F::kNone},
      {"ob30/simple-did-web-method.json", F::kNone},
      {"ob30/simple-eddsa-2022.json", F::kNone},
      {"ob30/simple-multiple-proofs.json", F::kNone},
      {"ob30/simple_v1.json", F::kNone},
      {"ob30/complete_v1.json", F::kUnknownKey},
      {"ob30/credential-status-revoked.json", F::kUnknownKey},
      {"ob30/endorsement-err-schema-status-refresh.json", F::kBadSignature},
      {"ob30/simple-err-credential-subject-achievement-result-description-type.json",
       F::kBadSignature},
      {"ob30/simple-err-credential-subject-identifier-type.json", F::kBadSignature},
      {"ob30/simple-err-credential-subject-profile-type.json", F::kBadSignature},
      {"ob30/simple-err-credential-subject-result-type.json", F::kBadSignature},
      {"ob30/simple-err-credential-subject-type.json", F::kBadSignature},
      {"ob30/simple-err-evidence-type.json", F::kBadSignature},
      {"ob30/simple-err-expired.json", F::kNone},
      {"ob30/simple-err-issued.json", F::kNone},
      {"ob30/simple-err-issuer-otheridentifier-type.json", F::kBadSignature},
      {"ob30/simple-err-issuer-parentorg-type.json", F::kBadSignature},
      {"ob30/simple-err-issuer-type.json", F::kBadSignature},
      {"ob30/simple-err-issuer.json", F::kNone},
      {"ob30/simple-err-type.json", F::kBadSignature},
      {"ob30/simple-err-context.json", F::kBadSignature},
      {"ob30/simple-err-proof-method-no-scheme.json", F::kUnknownKey},
      {"ob30/simple-err-proof-method-unknown-did-method.json", F::kUnknownKey},
      {"ob30/simple-err-proof-method-unknown-scheme.json", F::kUnknownKey},
      {"ob30/simple-err-proof-method.json", F::kUnknownKey},
      {"ob30/simple-err-proof-value.json", F::kBadSignature},
      {"ob30/simple-noproof.json", F::kNoProof},
      {"clr20/simple.json", F::kNone},
      {"clr20/complex.json", F::kNone},
      {"clr20/simple_v1.json", F::kNone},
      {"clr20/simple_old_safesigned.json", F::kCanonicalization},
      {"clr20/simple-noproof.json", F::kNoProof},
  };
}

INSTANTIATE_TEST_SUITE_P(Samples, OneEdTechSampleTest, ::testing::ValuesIn(Samples()),
                         [](const auto& param_info) {
                           return testing::SanitizeTestName(param_info.param.file);
                         });

// --- Timing ---------------------------------------------------------------

TEST_F(DataIntegrityTest, MeasuresSigningOverheadOfATypicalOpenBadge) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob30/simple.json");
  Json credential = ReadTestJson("openbadges/ob30/simple.json");
  credential.erase("proof");
  auto key = Ed25519KeyPair::FromSeed(multibase::Ed25519Seed{1, 2, 3});
  ProofOptions options;
  options.verification_method = "did:key:" + multibase::EncodeMultikeyEd25519Public(key.public_key);
  options.created = "2024-01-01T00:00:00Z";
  ASSERT_TRUE(suite_.CreateProof(credential, options, key).ok());  // warm the context cache
  auto canonical = suite_.CanonicalNQuads(credential);
  ASSERT_TRUE(canonical.ok());

  constexpr int kRounds = 200;
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  for (int i = 0; i < kRounds; ++i) ASSERT_TRUE(processor_.Expand(credential).ok());
  auto expand_time = Clock::now() - start;
  start = Clock::now();
  for (int i = 0; i < kRounds; ++i) ASSERT_TRUE(suite_.CanonicalNQuads(credential).ok());
  auto canon_time = Clock::now() - start;
  start = Clock::now();
  for (int i = 0; i < kRounds; ++i) ASSERT_TRUE(suite_.CreateProof(credential, options, key).ok());
  auto sign_time = Clock::now() - start;
  std::array<uint8_t, 64> signature{};
  start = Clock::now();
  for (int i = 0; i < kRounds; ++i) {
    crypto_sign_detached(signature.data(), nullptr,
                         reinterpret_cast<const unsigned char*>(canonical->data()),
                         canonical->size(), key.secret_key.data());
  }
  auto raw_time = Clock::now() - start;
  auto micros = [&](auto d) {
    return std::chrono::duration<double, std::micro>(d).count() / kRounds;
  };
  std::printf(
      "[timing] expand %.1f us, canonicalize doc %.1f us, create proof %.1f us, "
      "raw crypto_sign_detached %.1f us, ratio %.1fx\n",
      micros(expand_time), micros(canon_time), micros(sign_time), micros(raw_time),
      micros(sign_time) / micros(raw_time));
}

}  // namespace
}  // namespace cairn::credentials
