// The key lifecycle of issue #14: a retired key leaves assertionMethod only
// once no live credential needs it, a compromised key fails the proofs it
// made from its revocation time on, nothing is issued under an http: or
// loopback public URL outside development, and `cairn reissue` moves
// credentials to a new base URL (old ones revoked, new ones verifying).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "credentials/credential_issuer.h"
#include "credentials/key_revocation.h"
#include "credentials/public_url_history.h"
#include "credentials/public_url_policy.h"
#include "credentials/reissue.h"
#include "credentials/verifier.h"
#include "store/sqlite_store.h"
#include "testing/test_catalog.h"

namespace cairn {
namespace {

using nlohmann::json;

constexpr const char* kBase = "https://badges.test";
constexpr Instant kStart = 1767225600;

bool Lists(const json& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

class KeyLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sqlite = SqliteStore::Open(":memory:");
    ASSERT_TRUE(sqlite.ok()) << sqlite.status().ToString();
    store_ = std::move(sqlite).value();
    district_ = *store_->InsertDistrict({0, "d1", "District One"});
    school_ = *store_->InsertSchool({0, "s1", district_, "School"});
    student_ = AddStudent("stu-1");
    other_ = AddStudent("stu-2");
    roster_ = *store_->LoadRoster();
    roster_.Index();
  }

  Id AddStudent(const std::string& sourced_id) {
    Person p;
    p.sourced_id = sourced_id;
    p.role = PersonRole::kStudent;
    p.given_name = "Given";
    p.family_name = sourced_id;
    p.email = sourced_id + "@example.org";
    p.district_id = district_;
    p.school_id = school_;
    return *store_->InsertPerson(p);
  }

  void Award(Id student, AwardAction action, const std::string& reason = "") {
    AwardFact f;
    f.student_id = student;
    f.badge_code = "B1";
    f.action = action;
    f.recorded_at = now_;
    f.reason = reason;
    ASSERT_TRUE(store_->AppendAward(f).ok());
  }

  CredentialIssuer Issuer(const std::string& base = kBase, std::string blocked = "") {
    IssuerOptions options{base, [this] { return now_; }};
    options.issuance_blocked = std::move(blocked);
    return CredentialIssuer(*store_, vault_, std::move(options));
  }

  json IssueFor(CredentialIssuer& issuer, Id student) {
    auto made = issuer.IssuePending(catalog_, roster_, student);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    if (!made.ok() || made->empty()) return json();
    return json::parse(made->back().body);
  }

  VerifierHooks Hooks(CredentialIssuer& issuer) {
    VerifierHooks hooks;
    hooks.clock = [this] { return now_ + 60; };
    hooks.resolve_key = [&](std::string_view m) { return issuer.ResolveKey(roster_, m); };
    hooks.resolve_jwk = [&](std::string_view k) { return issuer.ResolveJwk(roster_, k); };
    hooks.fetch_status_list = [&](std::string_view url) {
      return issuer.StatusListAt(roster_, url);
    };
    hooks.revocation_reason = [&](std::string_view id) -> std::optional<std::string> {
      auto c = store_->FindCredential(id.substr(std::string_view("urn:uuid:").size()));
      if (!c.ok() || !*c) return std::nullopt;
      auto r = issuer.RevocationOf(**c);
      return r.ok() && r->revoked ? std::optional<std::string>(r->reason) : std::nullopt;
    };
    hooks.key_revoked_at = [&](std::string_view m) -> std::optional<Instant> {
      auto at = issuer.KeyRevokedAt(roster_, m);
      return at.ok() ? *at : std::optional<Instant>(0);
    };
    return hooks;
  }

  std::string Verify(CredentialIssuer& issuer, const json& credential) {
    VerificationReport report = VerifyCredentialBytes(credential.dump(), Hooks(issuer));
    last_reason_ = report.reason;
    return report.status;
  }

  std::unique_ptr<SqliteStore> store_;
  KeyVault vault_ = KeyVault::FromKey({});
  Catalog catalog_ = testing::TestCatalog();
  Roster roster_;
  Id district_ = 0, school_ = 0, student_ = 0, other_ = 0;
  Instant now_ = kStart;
  std::string last_reason_;
};

// Rotation: the old credential keeps verifying and its key stays an
// assertion method in both documents while that credential is live; once it
// is revoked (as re-issuing does) the key leaves assertionMethod but stays a
// verification method.
TEST_F(KeyLifecycleTest, RetiredKeyLeavesAssertionMethodOnlyWhenNoLiveCredentialNeedsIt) {
  CredentialIssuer issuer = Issuer();
  Award(student_, AwardAction::kConfirmed);
  json old = IssueFor(issuer, student_);
  ASSERT_TRUE(old.is_object());
  ASSERT_TRUE(issuer.RotateKey(district_).ok());
  now_ += 100;
  Award(other_, AwardAction::kConfirmed);
  json fresh = IssueFor(issuer, other_);
  EXPECT_EQ(fresh["proof"][0]["verificationMethod"], "https://badges.test/issuers/d1/keys/key-2");
  EXPECT_EQ(Verify(issuer, old), "valid") << last_reason_;
  EXPECT_EQ(Verify(issuer, fresh), "valid") << last_reason_;

  const IssuerUrls urls{kBase, "d1"};
  auto check = [&](bool key1_asserts) {
    auto profile = issuer.ControllerDocument(roster_, district_);
    ASSERT_TRUE(profile.ok()) << profile.status().ToString();
    auto did = issuer.DidDocument(roster_, district_, urls.Did());
    ASSERT_TRUE(did.ok()) << did.status().ToString();
    EXPECT_EQ(Lists((*profile)["assertionMethod"], urls.KeyDocument("key-1")), key1_asserts);
    EXPECT_EQ(Lists((*profile)["assertionMethod"], urls.Key("key-1")), key1_asserts);
    EXPECT_EQ(Lists((*did)["assertionMethod"], urls.Did() + "#key-1"), key1_asserts);
    EXPECT_TRUE(Lists((*profile)["assertionMethod"], urls.KeyDocument("key-2")));
    EXPECT_TRUE(Lists((*did)["assertionMethod"], urls.Did() + "#key-2"));
    // Still dereferenceable either way.
    bool listed = false;
    for (const json& m : (*profile)["verificationMethod"]) {
      listed = listed || m["id"] == urls.KeyDocument("key-1");
    }
    EXPECT_TRUE(listed);
  };
  check(/*key1_asserts=*/true);

  now_ += 100;
  Award(student_, AwardAction::kRevoked, "re-issued");
  check(/*key1_asserts=*/false);
  EXPECT_EQ(Verify(issuer, old), "revoked") << last_reason_;
  EXPECT_EQ(Verify(issuer, fresh), "valid") << last_reason_;
}

// A compromised key: proofs made before its revocation time verify, those
// made at or after fail; its documents say `revoked`, it leaves
// assertionMethod, and the next key signs from then on.
TEST_F(KeyLifecycleTest, CompromisedKeyFailsProofsMadeAfterItsRevocationTime) {
  CredentialIssuer issuer = Issuer();
  Award(student_, AwardAction::kConfirmed);
  json before = IssueFor(issuer, student_);
  ASSERT_TRUE(before.is_object());
  now_ += 1000;
  Award(other_, AwardAction::kConfirmed);
  json after = IssueFor(issuer, other_);  // made by whoever holds key-1 now
  ASSERT_TRUE(after.is_object());
  EXPECT_EQ(after["proof"][0]["verificationMethod"], before["proof"][0]["verificationMethod"]);
  now_ += 1000;

  KeyRevocation revocation;
  revocation.key_id = "key-1";
  revocation.reason = "laptop stolen";
  revocation.revoked_at = kStart + 500;
  // Bad requests change nothing.
  KeyRevocation future = revocation;
  future.revoked_at = now_ + 10;
  EXPECT_EQ(issuer.RevokeKey(district_, future).status().code(), StatusCode::kInvalidArgument);
  KeyRevocation unknown = revocation;
  unknown.key_id = "key-9";
  EXPECT_EQ(issuer.RevokeKey(district_, unknown).status().code(), StatusCode::kNotFound);
  KeyRevocation no_reason = revocation;
  no_reason.reason = "";
  EXPECT_EQ(issuer.RevokeKey(district_, no_reason).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Verify(issuer, after), "valid") << last_reason_;

  ASSERT_TRUE(issuer.RevokeKey(district_, revocation).ok());
  EXPECT_EQ(Verify(issuer, before), "valid") << last_reason_;
  EXPECT_EQ(Verify(issuer, after), "invalid");
  EXPECT_NE(last_reason_.find("revoked as compromised"), std::string::npos) << last_reason_;

  auto doc = issuer.KeyDocument(roster_, district_, "key-1");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["revoked"], FormatInstant(kStart + 500));
  const IssuerUrls urls{kBase, "d1"};
  auto profile = issuer.ControllerDocument(roster_, district_);
  ASSERT_TRUE(profile.ok());
  EXPECT_FALSE(Lists((*profile)["assertionMethod"], urls.KeyDocument("key-1")));
  auto did = issuer.DidDocument(roster_, district_, urls.Did());
  ASSERT_TRUE(did.ok());
  EXPECT_FALSE(Lists((*did)["assertionMethod"], urls.Did() + "#key-1"));
  EXPECT_TRUE(Lists((*did)["assertionMethod"], urls.Did() + "#key-2"));
  for (const json& m : (*did)["verificationMethod"]) {
    if (m["id"] == urls.Did() + "#key-1") {
      EXPECT_EQ(m["revoked"], FormatInstant(kStart + 500));
    }
  }

  // The next credential is signed with the new key and verifies.
  Id third = AddStudent("stu-3");
  roster_ = *store_->LoadRoster();
  roster_.Index();
  Award(third, AwardAction::kConfirmed);
  json next = IssueFor(issuer, third);
  EXPECT_EQ(next["proof"][0]["verificationMethod"], urls.KeyDocument("key-2"));
  EXPECT_EQ(Verify(issuer, next), "valid") << last_reason_;
  // Recorded once in the journal, with its reason.
  auto revocations = issuer.KeyRevocations(district_);
  ASSERT_TRUE(revocations.ok());
  ASSERT_EQ(revocations->size(), 1u);
  EXPECT_EQ(revocations->front().reason, "laptop stolen");
}

TEST(PublicUrlPolicy, RefusesHttpAndLoopbackOutsideDevelopment) {
  for (const char* url :
       {"http://badges.district.org", "http://127.0.0.1:8080", "https://localhost:8443",
        "https://127.0.0.5", "https://[::1]:8443", "https://0.0.0.0", "https://app.localhost",
        "ftp://badges.district.org", ""}) {
    EXPECT_FALSE(IssuanceBlockedReason(url, /*dev=*/false).empty()) << url;
    EXPECT_TRUE(IssuanceBlockedReason(url, /*dev=*/true).empty()) << url;
  }
  for (const char* url : {"https://badges.district.org", "HTTPS://Badges.District.org:8443/x",
                          "https://localhost.district.org", "https://127.example.org"}) {
    EXPECT_TRUE(IssuanceBlockedReason(url, /*dev=*/false).empty()) << url;
  }
}

// Blocked: the award stands and nothing is issued; unblocked, it is.
TEST_F(KeyLifecycleTest, BlockedIssuanceRecordsTheAwardAndIssuesLater) {
  const std::string why = IssuanceBlockedReason("http://127.0.0.1:8080", false);
  CredentialIssuer blocked = Issuer("http://127.0.0.1:8080", why);
  Award(student_, AwardAction::kConfirmed);
  auto made = blocked.IssuePending(catalog_, roster_, student_);
  ASSERT_TRUE(made.ok());
  EXPECT_TRUE(made->empty());
  EXPECT_TRUE(store_->Credentials(student_, std::nullopt)->empty());
  EXPECT_TRUE(store_->SigningKeys(district_)->empty());  // not even a key
  EXPECT_EQ(store_->Awards(student_)->size(), 1u);
  CredentialIssuer allowed = Issuer();
  EXPECT_TRUE(IssueFor(allowed, student_).is_object());
}

// Re-issuing under a new base URL: old credentials report revoked (their
// keys and status lists still recognised under the old URL), new ones
// verify under the new URL; a second run changes nothing.
TEST_F(KeyLifecycleTest, ReissueMovesCredentialsToTheNewUrl) {
  const std::string old_base = "http://127.0.0.1:8080";
  const std::string new_base = "https://badges.district.org";
  ASSERT_TRUE(store_->PutSetting("public_url", old_base).ok());
  CredentialIssuer old_issuer = Issuer(old_base);
  Award(student_, AwardAction::kConfirmed);
  Award(other_, AwardAction::kConfirmed);
  json first = IssueFor(old_issuer, student_);
  json second = IssueFor(old_issuer, other_);
  ASSERT_TRUE(first.is_object() && second.is_object());
  Award(other_, AwardAction::kRevoked, "awarded by mistake");  // left alone
  now_ += 3600;

  IssuerOptions refused{new_base, [this] { return now_; }};
  refused.issuance_blocked = "not https";
  EXPECT_EQ(ReissueUnderBaseUrl(*store_, catalog_, roster_, vault_, refused).status().code(),
            StatusCode::kFailedPrecondition);

  IssuerOptions options{new_base + "/", [this] { return now_; }};
  auto report = ReissueUnderBaseUrl(*store_, catalog_, roster_, vault_, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->districts.size(), 1u);
  EXPECT_EQ(report->districts[0].reissued, 1);
  EXPECT_EQ(report->districts[0].revoked, 1);
  EXPECT_EQ(report->districts[0].already, 0);
  EXPECT_EQ(*store_->GetSetting("public_url"), new_base);
  EXPECT_EQ(*FormerPublicUrls(*store_), std::vector<std::string>{old_base});

  CredentialIssuer issuer = Issuer(new_base);
  EXPECT_EQ(Verify(issuer, first), "revoked") << last_reason_;
  EXPECT_NE(last_reason_.find("re-issued under " + new_base), std::string::npos) << last_reason_;
  auto mine = store_->Credentials(student_, std::nullopt);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  json moved = json::parse(mine->back().body);
  EXPECT_EQ(moved["issuer"]["id"], new_base + "/issuers/d1");
  EXPECT_EQ(moved["credentialSubject"]["achievement"]["id"],
            first["credentialSubject"]["achievement"]["id"].get<std::string>().replace(
                0, old_base.size(), new_base));
  EXPECT_EQ(moved["validFrom"], first["validFrom"]);  // the same award date
  EXPECT_EQ(Verify(issuer, moved), "valid") << last_reason_;

  auto again = ReissueUnderBaseUrl(*store_, catalog_, roster_, vault_, options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->Reissued(), 0);
  EXPECT_EQ(again->districts[0].already, 1);
  EXPECT_EQ(store_->Credentials(student_, std::nullopt)->size(), 2u);
}

}  // namespace
}  // namespace cairn
