// Status lists through the API (issue #12): a district has several revocation
// lists; list 0 keeps its address, list n > 0 is served at
// /status/{district}/revocation/{n}, and the public verifier follows a
// credential to its own list.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "credentials/credential_issuer.h"
#include "credentials/key_vault.h"
#include "credentials/status_list.h"
#include "server/api_test_fixture.h"

namespace cairn {
namespace {

class ApiStatusListTest : public ApiTest {};

TEST_F(ApiStatusListTest, ListZeroKeepsItsAddressAndUnopenedListsAre404) {
  HttpResponse first = Call("GET", "/status/district-demo/revocation", "", std::nullopt);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Body(first)["id"], "https://badges.test/status/district-demo/revocation");
  EXPECT_EQ(Body(first)["type"][1], "BitstringStatusListCredential");
  for (const char* list : {"1", "0", "01", "-1", "x", "99999999999"}) {
    EXPECT_EQ(Call("GET", std::string("/status/district-demo/revocation/") + list, "", std::nullopt)
                  .status,
              404)
        << list;
  }
  EXPECT_EQ(Call("GET", "/status/nowhere/revocation/1", "", std::nullopt).status, 404);
}

// A credential issued into the far district's second list names that list;
// the list is served, public, and revoking the award sets the bit there.
TEST_F(ApiStatusListTest, FurtherListIsServedAndShowsRevocation) {
  auto opened = SqliteStore::Open(g_db);
  ASSERT_TRUE(opened.ok());
  auto service = CairnService::Open(std::move(opened).value(), SystemClock());
  ASSERT_TRUE(service.ok()) << service.status().ToString();
  Store& s = (*service)->store();
  auto vault = KeyVault::Open(DefaultMasterKeyPath(g_db));
  ASSERT_TRUE(vault.ok()) << vault.status().ToString();
  Roster roster = *s.LoadRoster();
  roster.Index();
  const Id far = (*s.FindPerson("student-far"))->id;
  AwardFact award;
  award.student_id = far;
  award.badge_code = "M102";
  award.recorded_at = 1700000000;
  award.action = AwardAction::kProposed;
  ASSERT_TRUE(s.AppendAward(award).ok());
  award.action = AwardAction::kConfirmed;
  ASSERT_TRUE(s.AppendAward(award).ok());
  // A list takes one entry here, so the far district's list 1 opens.
  IssuerOptions options{"https://badges.test", SystemClock(), {.fill_limit = 1}};
  CredentialIssuer issuer(s, *vault, options);
  auto issued = issuer.IssuePending((*service)->catalog(), roster, far);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  ASSERT_EQ(issued->size(), 1u);
  const IssuedCredential credential = issued->front();
  EXPECT_EQ(credential.status_list, 1);
  const json status = json::parse(credential.body)["credentialStatus"];
  EXPECT_EQ(status["statusListCredential"], "https://badges.test/status/district-2/revocation/1");

  auto fetch = [&](const std::string& path) {
    HttpResponse r = Call("GET", path, "", std::nullopt);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    EXPECT_EQ(r.content_type, "application/ld+json");
    return Body(r);
  };
  json list1 = fetch("/status/district-2/revocation/1");
  EXPECT_EQ(list1["id"], "https://badges.test/status/district-2/revocation/1");
  EXPECT_FALSE(*credentials::ReadCredentialStatus(status, list1));
  EXPECT_EQ(Call("GET", "/status/district-2/revocation/2", "", std::nullopt).status, 404);
  auto verify = [&](const std::string& bytes) {
    HttpResponse r = Call("POST", "/api/v1/verify", bytes, std::nullopt);
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r);
  };
  EXPECT_EQ(verify(credential.body)["status"], "valid");

  Login admin = SignIn("admin");
  HttpResponse revoke =
      Call("POST", "/api/v1/students/student-far/badges/M102/award",
           json{{"action", "revoke"}, {"reason", "entered for the wrong student"}}.dump(), admin);
  ASSERT_EQ(revoke.status, 200) << revoke.body;
  EXPECT_TRUE(*credentials::ReadCredentialStatus(status, fetch("/status/district-2/revocation/1")));
  // The far student's M101 credential, in list 0, is untouched.
  auto m101 = s.Credentials(far, std::nullopt);
  ASSERT_TRUE(m101.ok());
  for (const IssuedCredential& c : *m101) {
    if (c.badge_code != "M101") continue;
    EXPECT_EQ(c.status_list, 0);
    EXPECT_FALSE(*credentials::ReadCredentialStatus(json::parse(c.body)["credentialStatus"],
                                                    fetch("/status/district-2/revocation")));
  }
  json revoked = verify(credential.body);
  EXPECT_EQ(revoked["status"], "revoked") << revoked.dump();
}

// Issue #12: a verifier's repeated fetch is answered from the server's
// kept list, without signing again (a revocation renews it: the test above).
TEST_F(ApiStatusListTest, RepeatFetchesAnswerTheKeptListWithoutSigning) {
  std::atomic<std::int64_t> signatures{0};
  ApiOptions options;
  options.db_path = g_db;
  options.public_url = "https://badges.test";
  options.signatures = &signatures;
  api_ = std::make_unique<Api>(options);
  HttpResponse first = Call("GET", "/status/district-demo/revocation", "", std::nullopt);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(signatures.load(), 1);
  for (int i = 0; i < 3; ++i) {
    HttpResponse again = Call("GET", "/status/district-demo/revocation", "", std::nullopt);
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(again.body, first.body);
  }
  EXPECT_EQ(signatures.load(), 1);
}

// The start-up issuance is reported by /healthz, as a state and a share.
TEST_F(ApiStatusListTest, HealthReportsTheStartUpIssuance) {
  json before = Body(Call("GET", "/healthz", "", std::nullopt));
  EXPECT_EQ(before["credential_issuance"]["state"], "not_started") << before.dump();
  ASSERT_TRUE(api_->IssueAllPendingCredentials().ok());
  json after = Body(Call("GET", "/healthz", "", std::nullopt));
  EXPECT_EQ(after["status"], "ok");
  EXPECT_EQ(after["credential_issuance"]["state"], "done") << after.dump();
  EXPECT_EQ(after["credential_issuance"]["percent_done"], 100) << after.dump();
}

}  // namespace
}  // namespace cairn
