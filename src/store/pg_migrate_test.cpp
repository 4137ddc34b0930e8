// `cairn migrate`: a SQLite district (demo roster, ledger, accounts, audit,
// portfolio, calibration, credentials) copied into an empty PostgreSQL
// database; every table's row count and row hash match, ids are kept and
// the next ids follow them, and the engine reads the copy.
#include "store/pg_migrate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "cli/commands.h"
#include "demo/demo_district.h"
#include "server/api.h"
#include "service/accounts.h"
#include "service/cairn_service.h"
#include "store/pg_store.h"
#include "store/sqlite_store.h"
#include "testing/pg_cluster.h"

namespace cairn {
namespace {

class PgMigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto uri = testing::PgTestDatabase(&why);
    if (!uri) GTEST_SKIP() << why;
    uri_ = *uri;
    path_ = (std::filesystem::temp_directory_path() /
             ("cairn_migrate_test_" + std::to_string(::getpid()) + ".db"))
                .string();
    Cleanup();
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto service = CairnService::Open(std::move(store).value(), SystemClock());
    ASSERT_TRUE(service.ok());
    ASSERT_TRUE(GenerateDemoDistrict(**service, {40, 11, 2}).ok());
    Store& s = (*service)->store();
    const Id student = (*s.FindPerson("student-00001"))->id;
    const Id teacher = (*s.FindPerson("teacher-001"))->id;
    ASSERT_TRUE(s.PutSetting("auto_award", "false").ok());
    ASSERT_TRUE(CreateAccount(s, "teacher-001", "teacher-001", "a long password", 1).ok());
    const Id account = (*s.FindAccountByUsername("teacher-001"))->id;
    ASSERT_TRUE(s.InsertSession({"session-hash", account, "csrf", 1, 100}).ok());
    ASSERT_TRUE(
        s.InsertApiToken({0, account, "sis", "token-hash", {"read"}, 1, std::nullopt}).ok());
    ASSERT_TRUE(s.BeginLoginAttempt("teacher-001", "10.0.0.1", 50, LoginLimits{}).ok());
    ASSERT_TRUE(
        s.AppendAudit({0, 2, teacher, "read", "GET /grid", std::nullopt, "r1", 200, {student}, ""})
            .ok());
    const Id artifact = *s.InsertArtifact(
        {0, student, std::string(64, 'c'), 3, "text/plain", "tab\there\nline.txt", student, 3});
    const Id submission = *s.InsertSubmission({0, student, "M101", "Work", student, 4});
    SubmissionVersion v;
    v.submission_id = submission;
    v.number = 1;
    v.author = student;
    v.text = "back\\slash and \"quotes\"";
    v.artifact_ids = {artifact};
    const Id version = *s.AppendSubmissionVersion(v);
    PortfolioEvent e;
    e.submission_id = submission;  // no version: a NULL to carry over
    e.actor = student;
    ASSERT_TRUE(s.AppendPortfolioEvent(e).ok());
    const Id session =
        *s.InsertCalibrationSession({0, "c", "M101", {"M101.1"}, {version}, {teacher}, teacher, 5});
    ASSERT_TRUE(s.AppendCalibrationEvent(
                     {0, session, CalibrationEventKind::kNote, teacher, 6, 0, "", "", "n"})
                    .ok());
    ApiOptions options;
    options.db_path = path_;
    options.public_url = "https://badges.test";
    auto issued = Api(options).IssueAllPendingCredentials();
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    ASSERT_GT(*issued, 0);
    auto credentials = s.Credentials(std::nullopt, std::nullopt);
    ASSERT_TRUE(credentials.ok() && !credentials->empty());
    uuid_ = credentials->front().uuid;
    ASSERT_TRUE(s.AppendCredentialShare(credentials->front().id, true, student, 7).ok());
    max_rating_ = (*s.Marks()).rating;
  }

  void TearDown() override { Cleanup(); }

  void Cleanup() {
    for (const char* suffix : {"", "-wal", "-shm", ".master-key"}) {
      std::filesystem::remove(path_ + suffix);
    }
    std::filesystem::remove_all(path_ + "-files");
  }

  std::string uri_, path_, uuid_;
  FactId max_rating_ = 0;
};

TEST_F(PgMigrateTest, EveryTableArrivesWithItsIds) {
  auto report = MigrateSqliteToPostgres(path_, uri_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // Recomputed independently, after the commit, on both sides.
  auto source = DigestSqliteLikePostgres(path_, uri_);
  auto target = DigestPostgres(uri_);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  EXPECT_EQ(source->size(), target->size());
  int filled = 0;
  for (const auto& [table, digest] : *source) {
    ASSERT_TRUE(target->count(table)) << table;
    EXPECT_EQ(target->at(table).rows, digest.rows) << table;
    EXPECT_EQ(target->at(table).hash, digest.hash) << table;
    EXPECT_EQ(report->digests.at(table), digest) << table;
    filled += digest.rows > 0;
  }
  for (const char* table : {"ratings",
                            "voids",
                            "habits",
                            "awards",
                            "catalog_versions",
                            "people",
                            "enrollments",
                            "guardian_links",
                            "section_badges",
                            "accounts",
                            "sessions",
                            "api_tokens",
                            "login_failures",
                            "audit_log",
                            "audit_students",
                            "artifacts",
                            "submission_versions",
                            "portfolio_events",
                            "calibration_events",
                            "signing_keys",
                            "credentials",
                            "credential_shares",
                            "status_lists",
                            "settings"}) {
    EXPECT_GT(source->at(table).rows, 0) << table << " is empty: the test checks nothing there";
  }
  EXPECT_GE(filled, 24);
  EXPECT_EQ(report->copied.at("ratings"), source->at("ratings").rows);

  auto pg = PgStore::Open(uri_);
  ASSERT_TRUE(pg.ok());
  PgStore& store = **pg;
  EXPECT_EQ(store.Marks()->rating, max_rating_);
  auto credential = store.FindCredential(uuid_);
  ASSERT_TRUE(credential.ok() && credential->has_value());
  EXPECT_TRUE(*store.CredentialIsPublic((*credential)->id));
  auto work = store.LoadSubmissions(std::nullopt);
  ASSERT_EQ(work->size(), 1u);
  EXPECT_EQ(work->front().versions.front().text, "back\\slash and \"quotes\"");
  EXPECT_EQ(work->front().events.front().version_id, 0);
  // New ids follow the copied ones.
  RatingFact next;
  next.student_id = (*store.FindPerson("student-00001"))->id;
  next.recorded_by = next.student_id;
  next.cpe_id = "M101.1";
  next.level_id = "emerging";
  auto id = store.AppendRating(next);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, max_rating_ + 1);
  EXPECT_TRUE(store.InsertDistrict({0, "district-new", "New"}).ok());
}

TEST_F(PgMigrateTest, OnlyIntoAnEmptyDatabaseAndFromAnExistingFile) {
  std::ostringstream out, err;
  const std::string from = "sqlite:" + path_;
  const char* argv[] = {"cairn", "migrate", "--from", from.c_str(), "--to", uri_.c_str()};
  ASSERT_EQ(RunCli(6, argv, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("compared equal"), std::string::npos) << out.str();
  // Again: the target has rows now, and nothing more is written.
  auto before = DigestPostgres(uri_);
  auto again = MigrateSqliteToPostgres(path_, uri_);
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("not empty"), std::string::npos);
  EXPECT_EQ(*DigestPostgres(uri_), *before);
  EXPECT_EQ(MigrateSqliteToPostgres(path_ + ".missing", uri_).status().code(),
            StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path_ + ".missing"));
  const char* wrong[] = {"cairn", "migrate", "--from", uri_.c_str(), "--to", uri_.c_str()};
  EXPECT_NE(RunCli(6, wrong, out, err), 0);
}

}  // namespace
}  // namespace cairn
