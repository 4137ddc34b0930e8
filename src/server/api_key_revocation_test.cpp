// Issue #14 through the API: an admin revokes a compromised key (credentials
// signed before still verify, the key's documents say `revoked`, it leaves
// assertionMethod), and a server without --dev under a loopback http: URL
// records awards but issues nothing, saying why on /healthz and to the admin.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <thread>

#include "server/api_test_fixture.h"

namespace cairn {
namespace {

class ApiKeyRevocationTest : public ApiTest {};

TEST_F(ApiKeyRevocationTest, AdminRevokesACompromisedKey) {
  Login admin = SignIn("admin");
  Login teacher = SignIn("teacher-001");
  const std::string route = "/api/v1/issuers/district-demo/keys/key-1/revoke";
  EXPECT_EQ(Call("POST", route, json{{"reason", "laptop stolen"}}.dump(), teacher).status, 403);
  EXPECT_EQ(Call("POST", route, json::object().dump(), admin).status, 400);
  EXPECT_EQ(Call("POST", route,
                 json{{"reason", "x"}, {"revoked_at", "2999-01-01T00:00:00Z"}}.dump(), admin)
                .status,
            400);
  EXPECT_EQ(Call("POST", "/api/v1/issuers/district-demo/keys/key-9/revoke",
                 json{{"reason", "x"}}.dump(), admin)
                .status,
            404);
  json profile = Body(Call("GET", "/api/v1/issuers/district-demo/profile", "", admin));
  EXPECT_TRUE(profile["keys"][0]["revoked_at"].is_null()) << profile.dump();

  // The suite's credentials were signed before the revocation time.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  HttpResponse done = Call("POST", route, json{{"reason", "laptop stolen"}}.dump(), admin);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Body(done)["key_id"], "key-1");

  auto store = SqliteStore::Open(g_db);
  ASSERT_TRUE(store.ok());
  auto credential = (*store)->FindCredential(g_credential[true]);
  ASSERT_TRUE(credential.ok() && *credential);
  HttpResponse verified = Call("POST", "/api/v1/verify", (*credential)->body, std::nullopt);
  ASSERT_EQ(verified.status, 200);
  EXPECT_EQ(Body(verified)["status"], "valid") << verified.body;

  json key = Body(Call("GET", "/issuers/district-demo/keys/key-1", "", std::nullopt));
  EXPECT_EQ(key["revoked"], Body(done)["revoked_at"]) << key.dump();
  json issuer = Body(Call("GET", "/issuers/district-demo", "", std::nullopt));
  for (const json& id : issuer["assertionMethod"]) {
    // jwt-key-1 is another key (P-256), still in force.
    const std::string text = id;
    EXPECT_FALSE(text.ends_with("#key-1") || text.ends_with("/keys/key-1")) << issuer.dump();
  }
  json did = Body(Call("GET", "/issuers/district-demo/did.json", "", std::nullopt));
  for (const json& id : did["assertionMethod"]) {
    EXPECT_EQ(id.get<std::string>().find("#key-1"), std::string::npos) << did.dump();
  }
  profile = Body(Call("GET", "/api/v1/issuers/district-demo/profile", "", admin));
  EXPECT_EQ(profile["keys"][0]["revoked_reason"], "laptop stolen") << profile.dump();
  EXPECT_EQ(profile["keys"][0]["assertion_method"], false);
  EXPECT_TRUE(profile["issuance_blocked"].is_null());
}

TEST_F(ApiKeyRevocationTest, NoCredentialsUnderALoopbackHttpUrlOutsideDev) {
  ApiOptions options;
  options.db_path = g_db;
  options.public_url = "http://127.0.0.1:8080";
  options.dev = false;
  api_ = std::make_unique<Api>(options);
  json health = Body(Call("GET", "/healthz", "", std::nullopt));
  EXPECT_EQ(health["credential_issuance"]["state"], "blocked") << health.dump();
  EXPECT_NE(health["credential_issuance"]["blocked"].get<std::string>().find("--dev"),
            std::string::npos);
  Login admin = SignIn("admin");
  json profile = Body(Call("GET", "/api/v1/issuers/district-demo/profile", "", admin));
  EXPECT_TRUE(profile["issuance_blocked"].is_string()) << profile.dump();

  // A confirmed award is recorded; its credential waits.
  auto store = SqliteStore::Open(g_db);
  ASSERT_TRUE(store.ok());
  const Id student = (*(*store)->FindPerson("student-00001"))->id;
  const std::size_t before = (*store)->Credentials(student, std::nullopt)->size();
  AwardFact award;
  award.student_id = student;
  award.badge_code = "M102";
  award.recorded_at = 1700000000;
  award.action = AwardAction::kProposed;
  ASSERT_TRUE((*store)->AppendAward(award).ok());
  award.action = AwardAction::kConfirmed;
  ASSERT_TRUE((*store)->AppendAward(award).ok());
  auto issued = api_->IssueAllPendingCredentials();
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_EQ(*issued, 0);
  EXPECT_EQ((*store)->Credentials(student, std::nullopt)->size(), before);

  // In development the same server issues it.
  options.dev = true;
  api_ = std::make_unique<Api>(options);
  ASSERT_TRUE(api_->IssueAllPendingCredentials().ok());
  EXPECT_EQ((*store)->Credentials(student, std::nullopt)->size(), before + 1);
}

}  // namespace
}  // namespace cairn
