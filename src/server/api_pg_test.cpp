// The server on the PostgreSQL engine (issue #12): the API over a demo
// district in a PostgreSQL database, through the same Api the HTTP server
// runs (connections per thread from StoreFactoryFor, the group-commit
// writer, the audit sink, the read model tailing the ledger). A few
// representative requests: sign in, rate, void, award, read progress and
// the audit log, and another connection's write arriving through the
// read model.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "demo/demo_district.h"
#include "server/api.h"
#include "service/accounts.h"
#include "service/cairn_service.h"
#include "store/open_store.h"
#include "testing/pg_cluster.h"

namespace cairn {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse battery";

class ApiPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto uri = testing::PgTestDatabase(&why);
    if (!uri) GTEST_SKIP() << why;
    uri_ = *uri;
    files_ = std::filesystem::temp_directory_path() /
             ("cairn_api_pg_test_" + std::to_string(::getpid()) + "-files");
    std::filesystem::remove_all(files_);
    auto store = OpenStore(uri_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto service = CairnService::Open(std::move(store).value(), SystemClock());
    ASSERT_TRUE(service.ok());
    ASSERT_TRUE(GenerateDemoDistrict(**service, {40, 11, 2}).ok());
    for (const char* login : {"teacher-001", "student-00001", "admin"}) {
      ASSERT_TRUE(
          CreateAccount((*service)->store(), login, login, kPassword, SystemClock()()).ok());
    }
    ApiOptions options;
    options.db_path = uri_;
    options.files_dir = files_.string();
    options.public_url = "https://badges.test";
    api_ = std::make_unique<Api>(options);
  }

  void TearDown() override {
    api_.reset();
    std::filesystem::remove_all(files_);
    std::filesystem::remove(files_.string() + ".master-key");
  }

  struct Login {
    std::string cookie;
    std::string csrf;
  };

  Login SignIn(const std::string& user) {
    HttpResponse r = Call("POST", "/api/v1/auth/login",
                          json{{"username", user}, {"password", kPassword}}.dump(), {});
    EXPECT_EQ(r.status, 200) << user << " " << r.body;
    Login login;
    for (const auto& [name, value] : r.headers) {
      if (name == "Set-Cookie") login.cookie = value.substr(0, value.find(';'));
    }
    login.csrf = json::parse(r.body).value("csrf_token", "");
    return login;
  }

  HttpResponse Call(const std::string& method, const std::string& target, const std::string& body,
                    const std::optional<Login>& login) {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.request_id = "pg-test";
    if (!body.empty()) request.headers.push_back({"content-type", "application/json"});
    if (login) {
      request.headers.push_back({"cookie", login->cookie});
      request.headers.push_back({"x-csrf-token", login->csrf});
    }
    return api_->Handle(request);
  }

  static json Body(const HttpResponse& r) { return json::parse(r.body, nullptr, false); }

  std::string uri_;
  std::filesystem::path files_;
  std::unique_ptr<Api> api_;
};

TEST_F(ApiPgTest, SignInRateVoidAwardAndRead) {
  EXPECT_EQ(Call("GET", "/healthz", "", std::nullopt).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/me", "", std::nullopt).status, 401);
  Login teacher = SignIn("teacher-001");
  HttpResponse r = Call("POST", "/api/v1/ratings",
                        json{{"student", "student-00001"},
                             {"cpe", "M100.3"},
                             {"level", "advanced"},
                             {"demonstrated_on", "2026-02-02"},
                             {"kind", "performance_task"},
                             {"note", "Clear reasoning about units"}}
                            .dump(),
                        teacher);
  ASSERT_EQ(r.status, 201) << r.body;
  const FactId fact = Body(r)["fact_id"];
  r = Call("GET", "/api/v1/students/student-00001/badges/M100/explanation", "", teacher);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["cpes"][2]["level"], "advanced");
  r = Call("GET", "/api/v1/students/student-00001/evidence", "", teacher);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Body(r)[0]["id"], fact);

  // A void, and a second void of the same rating refused (the unique
  // constraint's kAlreadyExists through the writer).
  const std::string void_path = "/api/v1/ratings/" + std::to_string(fact) + "/void";
  r = Call("POST", void_path, json{{"reason", "wrong task"}}.dump(), teacher);
  EXPECT_EQ(r.status, 200) << r.body;
  r = Call("POST", void_path, json{{"reason", "again"}}.dump(), teacher);
  EXPECT_EQ(r.status, 409) << r.body;
  r = Call("GET", "/api/v1/students/student-00001/evidence", "", teacher);
  EXPECT_EQ(Body(r)[0]["voided"]["reason"], "wrong task");

  // Award steps: revoke a badge the demo student earned, propose, confirm.
  auto award = [&](const std::string& action) {
    json body{{"action", action}};
    if (action == "revoke") body["reason"] = "checking the award flow";
    return Call("POST", "/api/v1/students/student-00001/badges/M101/award", body.dump(), teacher);
  };
  r = award("revoke");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["state"], "revoked");
  r = award("propose");
  ASSERT_EQ(r.status, 200) << r.body;
  r = award("confirm");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["state"], "confirmed");
  EXPECT_EQ(award("confirm").status, 409);  // nothing left to confirm

  // The student sees the badge and its credential.
  Login student = SignIn("student-00001");
  r = Call("GET", "/api/v1/students/student-00001/progress", "", student);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("M101"), std::string::npos);
  r = Call("GET", "/api/v1/students/student-00001/credentials", "", student);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Body(r)["credentials"].empty()) << r.body;
  EXPECT_EQ(Call("GET", "/api/v1/students/student-00002/progress", "", student).status, 403);

  // Everything above is in the audit log (written by its own connection).
  api_->FlushAudit();
  Login admin = SignIn("admin");
  r = Call("GET", "/api/v1/audit?student=student-00001&limit=100", "", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  bool saw_write = false, saw_refusal = false;
  for (const json& entry : Body(r)) {
    saw_write |= entry["action"] == "write";
    saw_refusal |= entry.value("status", 0) == 409;
  }
  EXPECT_TRUE(saw_write);
  EXPECT_TRUE(saw_refusal);
}

TEST_F(ApiPgTest, AnotherConnectionsWritesArrive) {
  Login teacher = SignIn("teacher-001");
  auto evidence = [&] {
    return Body(Call("GET", "/api/v1/students/student-00001/evidence", "", teacher));
  };
  const std::size_t before = evidence().size();
  {
    // Another process (the CLI) records a rating on its own connection.
    auto store = OpenStore(uri_);
    ASSERT_TRUE(store.ok());
    auto service = CairnService::Open(std::move(store).value(), SystemClock());
    ASSERT_TRUE(service.ok());
    RatingInput input;
    input.student = "student-00001";
    input.cpe_id = "M100.1";
    input.level_id = "proficient";
    input.demonstrated_on = "2026-02-03";
    input.recorded_by = "teacher-001";
    input.note = "from the command line";
    auto recorded = (*service)->RecordRating(input);
    ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  }
  std::size_t after = before;
  for (int i = 0; i < 100 && after == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    after = evidence().size();
  }
  EXPECT_EQ(after, before + 1);
}

}  // namespace
}  // namespace cairn
