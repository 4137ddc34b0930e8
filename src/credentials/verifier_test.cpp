// The whole verification (format, shape, proof, dates, status) over the
// 1EdTech OB 3.0 samples: each negative sample must fail at the check its
// name describes, not merely somewhere.
#include "credentials/verifier.h"

#include <gtest/gtest.h>

#include "credentials/multibase.h"
#include "credentials/test_util.h"

namespace cairn {
namespace {

std::string Read(const std::string& relative) {
  return testing::ReadTestFile("openbadges/" + relative);
}

// The samples' keys are Multikeys named in the method's fragment; a real
// verifier would fetch the issuer's document (offline here).
VerifierHooks SampleHooks() {
  VerifierHooks hooks;
  hooks.clock = [] { return Instant{1'800'000'000}; };  // 2027
  hooks.resolve_key = [](std::string_view method) -> Result<std::array<std::uint8_t, 32>> {
    auto hash = method.find('#');
    if (method.rfind("https://", 0) != 0 || hash == std::string_view::npos) {
      return Status::NotFound("unknown key");
    }
    return multibase::DecodeMultikeyEd25519Public(method.substr(hash + 1));
  };
  return hooks;
}

struct Sample {
  const char* file;
  const char* status;  // expected report status
  const char* check;   // the first failing check ("" when valid)
  const char* says;    // part of the reason
};

TEST(VerifierSamples, EachFailsForItsOwnReason) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob30");
  const Sample samples[] = {
      {"ob30/simple.json", "valid", "", ""},
      {"ob30/simple-did-key-method.json", "valid", "", ""},
      {"ob30/simple-err-type.json", "invalid", "shape", "OpenBadgeCredential"},
      {"ob30/simple-err-issuer-type.json", "invalid", "shape", "issuer: type must include Profile"},
      {"ob30/simple-err-issuer-parentorg-type.json", "invalid", "shape", "issuer.parentOrg"},
      {"ob30/simple-err-issuer-otheridentifier-type.json", "invalid", "shape",
       "issuer.otherIdentifier"},
      {"ob30/simple-err-credential-subject-type.json", "invalid", "shape", "AchievementSubject"},
      {"ob30/simple-err-credential-subject-identifier-type.json", "invalid", "shape",
       "credentialSubject.identifier"},
      {"ob30/simple-err-credential-subject-profile-type.json", "invalid", "shape",
       "credentialSubject.source"},
      {"ob30/simple-err-credential-subject-result-type.json", "invalid", "shape",
       "credentialSubject.result"},
      {"ob30/simple-err-credential-subject-achievement-result-description-type.json", "invalid",
       "shape", "resultDescription"},
      {"ob30/simple-err-evidence-type.json", "invalid", "shape", "evidence"},
      {"ob30/simple-err-issuer.json", "invalid", "shape", "issuer is missing"},
      {"ob30/simple-err-context.json", "invalid", "shape", "@context"},
      {"ob30/simple-err-expired.json", "expired", "dates", "expired"},
      {"ob30/simple-err-proof-value.json", "invalid", "proof", "signature"},
      {"ob30/simple-err-proof-method.json", "unverifiable", "proof", "key"},
      {"ob30/simple-err-proof-method-no-scheme.json", "unverifiable", "proof", "key"},
      {"ob30/simple-err-proof-method-unknown-scheme.json", "unverifiable", "proof", "key"},
      {"ob30/simple-err-proof-method-unknown-did-method.json", "unverifiable", "proof", "key"},
  };
  for (const Sample& sample : samples) {
    const std::string bytes = Read(sample.file);
    ASSERT_FALSE(bytes.empty()) << sample.file;
    VerificationReport report = VerifyCredentialBytes(bytes, SampleHooks());
    // The samples publish no status list we can reach: only the status
    // check may remain unverifiable for the positive ones.
    if (std::string(sample.status) == "valid") {
      for (const VerificationCheck& c : report.checks) {
        if (c.check != "status") {
          EXPECT_TRUE(c.ok) << sample.file << ": " << c.check << ": " << c.message;
        }
      }
      continue;
    }
    EXPECT_EQ(report.status, sample.status) << sample.file << ": " << report.reason;
    const VerificationCheck* failed = nullptr;
    for (const VerificationCheck& c : report.checks) {
      if (!c.ok && !failed) failed = &c;
    }
    ASSERT_NE(failed, nullptr) << sample.file;
    EXPECT_EQ(failed->check, sample.check) << sample.file << ": " << failed->message;
    EXPECT_NE(report.reason.find(sample.says), std::string::npos)
        << sample.file << ": " << report.reason;
  }
}

TEST(VerifierSamples, AProoflessCopyIsRefused) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob30/simple.json");
  auto doc = nlohmann::json::parse(Read("ob30/simple.json"));
  doc.erase("proof");
  VerificationReport report = VerifyCredentialBytes(doc.dump(), SampleHooks());
  EXPECT_EQ(report.status, "invalid");
  EXPECT_NE(report.reason.find("no proof"), std::string::npos) << report.reason;
}

TEST(VerifierSamples, BakedImagesCarryTheirCredential) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob30");
  for (const char* file : {"ob30/simple-json.png", "ob30/simple-json.svg"}) {
    VerificationReport report = VerifyCredentialBytes(Read(file), SampleHooks());
    ASSERT_FALSE(report.checks.empty());
    EXPECT_TRUE(report.checks.front().ok) << file << ": " << report.checks.front().message;
    EXPECT_EQ(report.format.substr(0, 4), "ob3+") << file;
  }
  VerificationReport junk = VerifyCredentialBytes("\x89PNG\r\n\x1a\n garbage", SampleHooks());
  EXPECT_EQ(junk.status, "invalid");
  EXPECT_EQ(junk.checks.front().check, "format");
}

}  // namespace
}  // namespace cairn
