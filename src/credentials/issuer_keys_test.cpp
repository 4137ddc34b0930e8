// How a district's keys are published (issue #14): new proofs name a key
// document URL that serves the bare Multikey, the district's did:web
// document lists only active keys under assertionMethod, and credentials
// signed under the older "{issuer}#key-1" form keep verifying.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>

#include "credentials/credential_issuer.h"
#include "credentials/data_integrity.h"
#include "credentials/vc_jwt.h"
#include "credentials/verifier.h"
#include "store/sqlite_store.h"
#include "testing/test_catalog.h"

namespace cairn {
namespace {

using nlohmann::json;

constexpr const char* kBase = "https://badges.test";
constexpr Instant kNow = 1767225600;

class IssuerKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sqlite = SqliteStore::Open(":memory:");
    ASSERT_TRUE(sqlite.ok()) << sqlite.status().ToString();
    store_ = std::move(sqlite).value();
    district_ = *store_->InsertDistrict({0, "d1", "District One"});
    const Id school = *store_->InsertSchool({0, "s1", district_, "School"});
    Person p;
    p.sourced_id = "stu-1";
    p.role = PersonRole::kStudent;
    p.given_name = "Given";
    p.family_name = "Family";
    p.email = "stu-1@example.org";
    p.district_id = district_;
    p.school_id = school;
    student_ = *store_->InsertPerson(p);
    AwardFact f;
    f.student_id = student_;
    f.badge_code = "B1";
    f.action = AwardAction::kConfirmed;
    f.recorded_at = kNow;
    ASSERT_TRUE(store_->AppendAward(f).ok());
    roster_ = *store_->LoadRoster();
    roster_.Index();
  }

  CredentialIssuer Issuer() {
    return CredentialIssuer(*store_, vault_, IssuerOptions{kBase, [] { return kNow; }});
  }

  json IssueOne(CredentialIssuer& issuer) {
    auto made = issuer.IssuePending(catalog_, roster_, student_);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    if (!made.ok() || made->empty()) return json();
    return json::parse(made->front().body);
  }

  VerifierHooks Hooks(CredentialIssuer& issuer) {
    VerifierHooks hooks;
    hooks.clock = [] { return kNow + 60; };
    hooks.resolve_key = [&](std::string_view m) { return issuer.ResolveKey(roster_, m); };
    hooks.resolve_jwk = [&](std::string_view k) { return issuer.ResolveJwk(roster_, k); };
    hooks.fetch_status_list = [&](std::string_view url) {
      return issuer.StatusListAt(roster_, url);
    };
    return hooks;
  }

  std::unique_ptr<SqliteStore> store_;
  KeyVault vault_ = KeyVault::FromKey({});
  Catalog catalog_ = testing::TestCatalog();
  Roster roster_;
  Id district_ = 0, student_ = 0;
};

TEST(IssuerUrlsDid, DidWebFollowsThePublicUrl) {
  EXPECT_EQ((IssuerUrls{"https://badges.test", "d1"}.Did()), "did:web:badges.test:issuers:d1");
  EXPECT_EQ((IssuerUrls{"https://badges.test", "d1"}.HostDid()), "did:web:badges.test");
  // The port's colon is percent-encoded, other characters outside did:web's
  // set too; a path becomes colon-separated segments.
  EXPECT_EQ((IssuerUrls{"http://127.0.0.1:8080", "d 1"}.Did()),
            "did:web:127.0.0.1%3A8080:issuers:d%201");
  EXPECT_EQ((IssuerUrls{"https://x.org/cairn/", "d"}.HostDid()), "did:web:x.org:cairn");
  EXPECT_EQ((IssuerUrls{"https://badges.test", "d1"}.KeyDocument("key-1")),
            "https://badges.test/issuers/d1/keys/key-1");
}

// The proof names the key document; that document is the bare Multikey
// whose controller is the credential's issuer id.
TEST_F(IssuerKeysTest, NewProofsNameAKeyDocumentControlledByTheIssuer) {
  CredentialIssuer issuer = Issuer();
  json credential = IssueOne(issuer);
  ASSERT_TRUE(credential.is_object());
  const std::string method = credential["proof"][0]["verificationMethod"];
  EXPECT_EQ(method, "https://badges.test/issuers/d1/keys/key-1");
  auto doc = issuer.KeyDocument(roster_, district_, "key-1");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)["id"], method);
  EXPECT_EQ((*doc)["type"], "Multikey");
  EXPECT_EQ((*doc)["controller"], credential["issuer"]["id"]);
  EXPECT_EQ((*doc)["@context"], "https://w3id.org/security/multikey/v1");
  const StoredKey stored = store_->SigningKeys(district_)->front();
  EXPECT_EQ((*doc)["publicKeyMultibase"], stored.public_key);
  EXPECT_EQ(issuer.KeyDocument(roster_, district_, "key-9").status().code(), StatusCode::kNotFound);

  // The Profile (the controller document) lists the new id under
  // assertionMethod, as a proof-purpose check wants, and links the DID.
  auto profile = issuer.ControllerDocument(roster_, district_);
  ASSERT_TRUE(profile.ok());
  const json& assertion = (*profile)["assertionMethod"];
  EXPECT_NE(std::find(assertion.begin(), assertion.end(), method), assertion.end());
  EXPECT_EQ((*profile)["alsoKnownAs"], json::array({"did:web:badges.test:issuers:d1"}));
  EXPECT_EQ((*profile)["id"], "https://badges.test/issuers/d1");

  VerificationReport report = VerifyCredentialBytes(credential.dump(), Hooks(issuer));
  EXPECT_EQ(report.status, "valid") << report.ToJson().dump();
}

// A credential issued before key documents ("…/issuers/d1#key-1") still
// verifies, and so does one naming the key by the district's did:web.
TEST_F(IssuerKeysTest, OlderAndDidFormsOfTheKeyStillVerify) {
  CredentialIssuer issuer = Issuer();
  json credential = IssueOne(issuer);
  ASSERT_TRUE(credential.is_object());
  const StoredKey stored = store_->SigningKeys(district_)->front();
  auto secret = vault_.Unseal(stored.sealed_private);
  ASSERT_TRUE(secret.ok());
  auto pair = credentials::Ed25519KeyPair::FromMultikeySecret(*secret);
  ASSERT_TRUE(pair.ok());
  credential.erase("proof");
  const IssuerUrls urls{kBase, "d1"};
  for (const std::string& method : {urls.Key("key-1"), urls.Did() + "#key-1"}) {
    credentials::ProofOptions options;
    options.verification_method = method;
    options.created = FormatInstant(kNow);
    auto signed_doc =
        credentials::DataIntegrity(SharedJsonLdProcessor()).Sign(credential, options, *pair);
    ASSERT_TRUE(signed_doc.ok()) << signed_doc.status().ToString();
    VerificationReport report = VerifyCredentialBytes(signed_doc->dump(), Hooks(issuer));
    EXPECT_EQ(report.status, "valid") << method << " " << report.ToJson().dump();
  }
  // Only this server's keys, and only whole key ids.
  for (const char* method :
       {"https://elsewhere.test/issuers/d1/keys/key-1",
        "https://badges.test/issuers/d1/keys/key-1/x", "https://badges.test/issuers/d2#key-1",
        "https://badges.test/issuers/d1/keys/", "did:web:badges.test:issuers:d1#key-2"}) {
    EXPECT_EQ(issuer.ResolveKey(roster_, method).status().code(), StatusCode::kNotFound) << method;
  }
}

// After a rotation both Ed25519 keys are published but only the new one may
// sign; the P-256 JWT key is a JsonWebKey. The host DID names the same keys.
TEST_F(IssuerKeysTest, DidDocumentListsOnlyActiveKeysUnderAssertionMethod) {
  CredentialIssuer issuer = Issuer();
  auto made = issuer.IssuePending(catalog_, roster_, student_);
  ASSERT_TRUE(made.ok() && !made->empty());
  ASSERT_TRUE(issuer.Jwt(made->front()).ok());  // creates jwt-key-1
  ASSERT_TRUE(issuer.RotateKey(district_).ok());
  const IssuerUrls urls = issuer.UrlsFor(roster_, district_);
  for (const std::string& did : {urls.Did(), urls.HostDid()}) {
    auto doc = issuer.DidDocument(roster_, district_, did);
    ASSERT_TRUE(doc.ok()) << doc.status().ToString();
    EXPECT_EQ((*doc)["id"], did);
    EXPECT_EQ((*doc)["alsoKnownAs"][0], "https://badges.test/issuers/d1");
    std::map<std::string, json> methods;
    for (const json& m : (*doc)["verificationMethod"]) {
      EXPECT_EQ(m["controller"], did);
      methods[m["id"]] = m;
    }
    ASSERT_EQ(methods.size(), 3u) << doc->dump();
    EXPECT_EQ(methods[did + "#key-1"]["type"], "Multikey");
    EXPECT_EQ(methods[did + "#key-2"]["type"], "Multikey");
    const json& jwt_key = methods[did + "#jwt-key-1"];
    EXPECT_EQ(jwt_key["type"], "JsonWebKey");
    EXPECT_EQ(jwt_key["publicKeyJwk"]["kty"], "EC");
    EXPECT_EQ(jwt_key["publicKeyJwk"]["crv"], "P-256");
    EXPECT_FALSE(jwt_key["publicKeyJwk"].contains("d"));
    // key-1 stays an assertion method while the credential it signed is
    // live (key_lifecycle_test.cpp shows it leaving once that is revoked).
    EXPECT_EQ((*doc)["assertionMethod"],
              json::array({did + "#key-1", did + "#jwt-key-1", did + "#key-2"}))
        << doc->dump();
  }
  // The retired key's document still answers: its credentials name it.
  auto retired = issuer.KeyDocument(roster_, district_, "key-1");
  ASSERT_TRUE(retired.ok());
  EXPECT_EQ((*retired)["type"], "Multikey");
  auto jwk = issuer.KeyDocument(roster_, district_, "jwt-key-1");
  ASSERT_TRUE(jwk.ok());
  EXPECT_EQ((*jwk)["kty"], "EC");
  EXPECT_EQ((*jwk)["kid"], "https://badges.test/issuers/d1/keys/jwt-key-1");
  EXPECT_FALSE(jwk->contains("d"));
}

// The JWT's kid is the key document URL and its header carries the same
// public key; a header key that is not the issuer's is refused even when
// the signature matches it.
TEST_F(IssuerKeysTest, JwtKidNamesTheJwkAndAForeignHeaderKeyIsRefused) {
  CredentialIssuer issuer = Issuer();
  auto made = issuer.IssuePending(catalog_, roster_, student_);
  ASSERT_TRUE(made.ok() && !made->empty());
  auto jwt = issuer.Jwt(made->front());
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();
  auto header = credentials::PeekJwsHeader(*jwt);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ((*header)["kid"], "https://badges.test/issuers/d1/keys/jwt-key-1");
  auto published = issuer.ResolveJwk(roster_, (*header)["kid"].get<std::string>());
  ASSERT_TRUE(published.ok());
  for (const char* member : {"kty", "crv", "x", "y"}) {
    EXPECT_EQ((*header)["jwk"][member], (*published)[member]) << member;
  }
  EXPECT_EQ(VerifyCredentialBytes(*jwt, Hooks(issuer)).status, "valid");

  // Someone else's key, named as the issuer's kid and carried in the header.
  auto other = credentials::SigningKey::Generate(credentials::JwsAlgorithm::kES256);
  ASSERT_TRUE(other.ok());
  json body = json::parse(made->front().body);
  body.erase("proof");
  auto forged = credentials::SignCredentialJwt(body, *other, (*header)["kid"].get<std::string>(),
                                               /*embed_jwk=*/true);
  ASSERT_TRUE(forged.ok());
  VerificationReport report = VerifyCredentialBytes(*forged, Hooks(issuer));
  EXPECT_EQ(report.status, "invalid") << report.ToJson().dump();
  EXPECT_NE(report.reason.find("not the issuer's key"), std::string::npos) << report.reason;
}

// A token that names no published key and carries its own is signed by
// someone unknown: its signature checks out, but it must never read "valid".
TEST_F(IssuerKeysTest, AJwtCarryingOnlyItsOwnKeyIsNotValid) {
  CredentialIssuer issuer = Issuer();
  auto made = issuer.IssuePending(catalog_, roster_, student_);
  ASSERT_TRUE(made.ok() && !made->empty());
  json body = json::parse(made->front().body);
  body.erase("proof");
  auto other = credentials::SigningKey::Generate(credentials::JwsAlgorithm::kES256);
  ASSERT_TRUE(other.ok());
  for (const std::string& kid :
       {std::string(), std::string(kBase) + "/issuers/d1/keys/jwt-key-9"}) {
    auto forged = credentials::SignCredentialJwt(body, *other, kid, /*embed_jwk=*/true);
    ASSERT_TRUE(forged.ok());
    VerificationReport report = VerifyCredentialBytes(*forged, Hooks(issuer));
    EXPECT_EQ(report.status, "unverifiable") << kid << " " << report.ToJson().dump();
    EXPECT_NE(report.reason.find("carries its own key"), std::string::npos) << report.reason;
  }
}

}  // namespace
}  // namespace cairn
