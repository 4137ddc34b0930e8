// OpenStore picks the engine from the location: a path or sqlite: URI is a
// SQLite file, postgres:// and postgresql:// a PostgreSQL server.
#include "store/open_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "testing/pg_cluster.h"

namespace cairn {
namespace {

TEST(OpenStoreTest, LocationsNameTheirEngine) {
  EXPECT_EQ(ParseStoreLocation("data/demo.db").engine, StoreEngine::kSqlite);
  EXPECT_EQ(ParseStoreLocation("data/demo.db").target, "data/demo.db");
  EXPECT_EQ(ParseStoreLocation("sqlite:data/demo.db").target, "data/demo.db");
  EXPECT_EQ(ParseStoreLocation("sqlite:///var/lib/cairn.db").target, "/var/lib/cairn.db");
  EXPECT_EQ(ParseStoreLocation("postgres://u@db/cairn").engine, StoreEngine::kPostgres);
  EXPECT_EQ(ParseStoreLocation("postgresql://u@db/cairn").target, "postgresql://u@db/cairn");
  EXPECT_FALSE(IsPostgresLocation("postgres.db"));
}

TEST(OpenStoreTest, PasswordsAreRedacted) {
  EXPECT_EQ(RedactedLocation("postgres://cairn:s3cret@db.example:5432/cairn?sslmode=require"),
            "postgres://cairn:***@db.example:5432/cairn?sslmode=require");
  EXPECT_EQ(RedactedLocation("postgresql://cairn@/cairn?host=/run&password=s3cret&x=1"),
            "postgresql://cairn@/cairn?host=/run&password=***&x=1");
  EXPECT_EQ(RedactedLocation("postgresql://cairn@db/cairn"), "postgresql://cairn@db/cairn");
  EXPECT_EQ(RedactedLocation("data/pass:word@x.db"), "data/pass:word@x.db");
}

TEST(OpenStoreTest, OpensSqliteFilesWithTheirFolder) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("cairn_open_store_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  int version = 0;
  auto store = OpenStore("sqlite:" + (dir / "sub" / "x.db").string(), &version);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_GT(version, 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "sub" / "x.db"));
  store->reset();
  std::filesystem::remove_all(dir);
}

TEST(OpenStoreTest, OpensPostgresUris) {
  CAIRN_PG_TEST_DATABASE(uri);
  int version = 0;
  auto store = OpenStore(uri, &version);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_GT(version, 0);
  ASSERT_TRUE((*store)->InsertDistrict({0, "d", "D"}).ok());
  auto again = StoreFactoryFor(uri)();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->LoadRoster()->districts.size(), 1u);
  EXPECT_EQ(OpenStore("postgresql://nobody@/none?host=/nonexistent-cairn").status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cairn
