// PostgreSQL specifics, beside the contract suite both engines pass
// (store_test.cpp): the schema itself refuses to rewrite history, reopening
// and concurrent opens migrate once, a failed transaction leaves nothing
// (including one whose body swallowed a statement's error), ratings stream
// in pages, and a lost connection is kUnavailable.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <thread>

#include "store/pg_store.h"
#include "testing/pg_cluster.h"

namespace cairn {
namespace {

// One row of SQL (the first column of the first row), or the error text.
std::string Query(PGconn* conn, const std::string& sql) {
  PGresult* result = PQexec(conn, sql.c_str());
  std::string out;
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_TUPLES_OK) {
    out = PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
  } else if (status != PGRES_COMMAND_OK) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    out = std::string("ERROR ") + (state ? state : "") + " " + PQresultErrorMessage(result);
  }
  PQclear(result);
  return out;
}

std::unique_ptr<PgStore> Open(const std::string& uri) {
  auto store = PgStore::Open(uri);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

Person Student(Id district, const std::string& sourced_id) {
  Person p;
  p.sourced_id = sourced_id;
  p.given_name = p.family_name = "x";
  p.district_id = district;
  return p;
}

RatingFact Rating(Id student) {
  RatingFact fact;
  fact.student_id = student;
  fact.recorded_by = student;
  fact.cpe_id = "M101.1";
  fact.level_id = "emerging";
  return fact;
}

TEST(PgStoreTest, RejectsOtherUris) {
  EXPECT_EQ(PgStore::Open("sqlite:/tmp/x.db").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PgStore::Open("/tmp/x.db").status().code(), StatusCode::kInvalidArgument);
}

TEST(PgStoreTest, SchemaRefusesUpdatesAndDeletesOfFacts) {
  CAIRN_PG_TEST_DATABASE(uri);
  auto store = Open(uri);
  ASSERT_NE(store, nullptr);
  Store& s = *store;
  const Id district = *s.InsertDistrict({0, "d", "D"});
  const Id student = *s.InsertPerson(Student(district, "stu"));
  ASSERT_TRUE(s.AddCatalogVersion({0, 1, "x", "{}"}).ok());
  const FactId rating = *s.AppendRating(Rating(student));
  ASSERT_TRUE(s.AppendVoid({0, rating, student, "typo", 1, student}).ok());
  ASSERT_TRUE(s.AppendHabit({0, student, "persistence", "consistent", 1, 1, student, ""}).ok());
  AwardFact award;
  award.student_id = student;
  award.badge_code = "M101";
  award.action = AwardAction::kConfirmed;
  ASSERT_TRUE(s.AppendAward(award).ok());
  ASSERT_TRUE(
      s.AppendAudit({0, 1, student, "read", "GET /x", student, "r1", 200, {student}, ""}).ok());
  PGconn* conn = store->handle();
  for (const char* table :
       {"ratings", "voids", "habits", "awards", "catalog_versions", "audit_log", "audit_students",
        "artifacts", "submissions", "submission_versions", "portfolio_events",
        "calibration_sessions", "calibration_events", "credentials", "credential_shares"}) {
    const std::string name(table);
    for (const std::string& sql : {"UPDATE " + name + " SET id = id", "DELETE FROM " + name,
                                   "TRUNCATE " + name + " CASCADE"}) {
      const std::string error = Query(conn, sql);
      EXPECT_NE(error.find("ERROR P0001"), std::string::npos) << sql << ": " << error;
      EXPECT_NE(error.find("append-only"), std::string::npos) << sql << ": " << error;
    }
  }
  EXPECT_NE(Query(conn, "DELETE FROM signing_keys").find("kept so old credentials verify"),
            std::string::npos);
  // Nobody but the owner may even try: the privileges are revoked from PUBLIC.
  EXPECT_EQ(Query(conn,
                  "SELECT count(*) FROM information_schema.role_table_grants WHERE "
                  "grantee = 'PUBLIC' AND table_name = 'ratings' AND "
                  "privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')"),
            "0");
  // Through the store, nothing changed.
  EXPECT_EQ((*s.FindRating(rating))->level_id, "emerging");
  EXPECT_EQ((*s.LatestCatalog())->body, "{}");
  EXPECT_EQ(s.Voids(student)->size(), 1u);
  EXPECT_EQ(s.Audit(student, 10)->size(), 1u);
  EXPECT_EQ(s.Audit(student, 10)->front().students, std::vector<Id>{student});
}

TEST(PgStoreTest, ReopeningAndConcurrentOpensMigrateOnce) {
  CAIRN_PG_TEST_DATABASE(uri);
  // Servers open one connection per thread at once: the migration lock
  // lets one migrate while the others wait and find the schema current.
  std::vector<std::unique_ptr<PgStore>> stores(4);
  std::vector<std::thread> threads;
  for (auto& store : stores) {
    threads.emplace_back([&store, &uri] {
      auto opened = PgStore::Open(uri);
      if (opened.ok()) store = std::move(opened).value();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& store : stores) {
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->SchemaVersion(), PgStore::LatestSchemaVersion());
  }
  ASSERT_TRUE(stores[0]->InsertDistrict({0, "d", "D"}).ok());
  stores.clear();
  auto reopened = Open(uri);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->SchemaVersion(), PgStore::LatestSchemaVersion());
  EXPECT_EQ(Query(reopened->handle(),
                  "SELECT count(*) || '/' || count(DISTINCT version) || '/' || "
                  "max(version) FROM schema_migrations"),
            std::to_string(PgStore::LatestSchemaVersion()) + "/" +
                std::to_string(PgStore::LatestSchemaVersion()) + "/" +
                std::to_string(PgStore::LatestSchemaVersion()));
  EXPECT_EQ(reopened->LoadRoster()->districts.size(), 1u);
}

TEST(PgStoreTest, NewerSchemaIsRefused) {
  CAIRN_PG_TEST_DATABASE(uri);
  {
    auto store = Open(uri);
    ASSERT_NE(store, nullptr);
    Query(store->handle(), "INSERT INTO schema_migrations(version) VALUES (" +
                               std::to_string(PgStore::LatestSchemaVersion() + 1) + ")");
  }
  EXPECT_EQ(PgStore::Open(uri).status().code(), StatusCode::kFailedPrecondition);
}

TEST(PgStoreTest, FailedTransactionLeavesNothing) {
  CAIRN_PG_TEST_DATABASE(uri);
  auto store = Open(uri);
  ASSERT_NE(store, nullptr);
  const Id district = *store->InsertDistrict({0, "d", "D"});
  const Id student = *store->InsertPerson(Student(district, "stu"));
  // A statement fails (a duplicate) and the body returns its error.
  Status status = store->Transact([&]() -> Status {
    CAIRN_RETURN_IF_ERROR(store->AppendRating(Rating(student)).status());
    CAIRN_RETURN_IF_ERROR(store->InsertPerson(Student(district, "other")).status());
    return store->InsertPerson(Student(district, "stu")).status();
  });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists);
  // The body swallows the error: PostgreSQL would turn COMMIT into a silent
  // rollback; the store says so instead of reporting success.
  status = store->Transact([&]() -> Status {
    CAIRN_RETURN_IF_ERROR(store->AppendRating(Rating(student)).status());
    (void)store->InsertPerson(Student(district, "stu"));
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  // The same error inside a nested Transact undoes only that part.
  status = store->Transact([&]() -> Status {
    CAIRN_RETURN_IF_ERROR(store->InsertPerson(Student(district, "kept")).status());
    Status inner = store->Transact(
        [&]() -> Status { return store->InsertPerson(Student(district, "stu")).status(); });
    EXPECT_EQ(inner.code(), StatusCode::kAlreadyExists);
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_FALSE(store->InTransaction());
  EXPECT_EQ(store->Marks()->rating, 0);
  EXPECT_FALSE(store->FindPerson("other")->has_value());
  EXPECT_TRUE(store->FindPerson("kept")->has_value());
  EXPECT_EQ(Query(store->handle(), "SELECT count(*) FROM people"), "2");
}

TEST(PgStoreTest, RatingsStreamInPagesInIdOrder) {
  CAIRN_PG_TEST_DATABASE(uri);
  auto store = Open(uri);
  ASSERT_NE(store, nullptr);
  const Id district = *store->InsertDistrict({0, "d", "D"});
  const Id student = *store->InsertPerson(Student(district, "stu"));
  const Id other = *store->InsertPerson(Student(district, "other"));
  // More than one page (10,000 rows), written by SQL for speed.
  ASSERT_EQ(
      Query(store->handle(),
            "INSERT INTO ratings(student_id, cpe_id, level_id, demonstrated_on, "
            "recorded_at, recorded_by, kind) SELECT CASE WHEN g % 3 = 0 THEN " +
                std::to_string(other) + " ELSE " + std::to_string(student) +
                " END, 'M101.1', 'p' || g, '2026-09-01', '2026-09-01T00:00:00Z', " +
                std::to_string(student) + ", 'formative' FROM generate_series(1, 25001) AS g"),
      "");
  std::size_t count = 0, of_other = 0;
  FactId last = 0;
  bool ordered = true;
  ASSERT_TRUE(store
                  ->ForEachRating(std::nullopt,
                                  [&](const RatingFact& r) {
                                    ordered = ordered && r.id > last;
                                    last = r.id;
                                    ++count;
                                  })
                  .ok());
  ASSERT_TRUE(
      store->ForEachRating(other, [&](const RatingFact& r) { of_other += r.student_id == other; })
          .ok());
  EXPECT_EQ(count, 25001u);
  EXPECT_EQ(of_other, 8333u);
  EXPECT_TRUE(ordered);
  EXPECT_EQ(last, store->Marks()->rating);
}

TEST(PgStoreTest, LostConnectionIsUnavailable) {
  CAIRN_PG_TEST_DATABASE(uri);
  auto store = Open(uri);
  auto killer = Open(uri);
  ASSERT_NE(store, nullptr);
  ASSERT_NE(killer, nullptr);
  const std::string pid = std::to_string(PQbackendPID(store->handle()));
  ASSERT_EQ(Query(killer->handle(), "SELECT pg_terminate_backend(" + pid + ")"), "t");
  EXPECT_EQ(store->InsertDistrict({0, "d", "D"}).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store->Transact([] { return Status::Ok(); }).code(), StatusCode::kUnavailable);
}

TEST(PgStoreTest, UnreachableServerIsUnavailable) {
  auto store = PgStore::Open("postgresql://nobody@/none?host=/nonexistent-cairn-socket-dir");
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cairn
