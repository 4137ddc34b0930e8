// A throwaway PostgreSQL server for tests: initdb into a new folder under
// /tmp, started with pg_ctl on a unix socket in that folder (no TCP), fsync
// off, trust authentication for the `postgres` superuser. Stopped and deleted
// when the PgCluster is destroyed; a folder left by a test process that died
// is cleaned up by the next Start().
//
// initdb and postgres refuse to run as root: when this process is root the
// server commands run as the `postgres` system user (runuser), which owns
// the folder. The binaries are looked for in $CAIRN_PG_BIN when set (only
// there), else in /usr/lib/postgresql/{17,16,15}/bin.
//
// Tests use the binary's shared cluster (PgTestDatabase below): started on
// first use, stopped by a global test environment when the binary ends, one
// fresh database per test. Not thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::testing {

class PgCluster {
 public:
  // kUnavailable when the PostgreSQL server binaries are not installed;
  // kInternal (with the server's log) when initdb or the start fails.
  static Result<std::unique_ptr<PgCluster>> Start();
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // Creates database `name` (a plain identifier), copied from `from` when
  // given (a template database nobody is connected to), and returns its URI.
  Result<std::string> CreateDatabase(std::string_view name,
                                     std::optional<std::string_view> from = std::nullopt);
  // postgresql://postgres@/NAME?host=FOLDER (the socket's folder).
  std::string Uri(std::string_view database) const;
  const std::filesystem::path& folder() const { return folder_; }

 private:
  PgCluster(std::filesystem::path folder, std::filesystem::path bin, bool as_postgres)
      : folder_(std::move(folder)), bin_(std::move(bin)), as_postgres_(as_postgres) {}
  Status Run(const std::string& program, const std::vector<std::string>& args);
  Status Stop();

  std::filesystem::path folder_;
  std::filesystem::path bin_;
  bool as_postgres_ = false;
  bool running_ = false;
};

// The folder holding initdb, pg_ctl and postgres, or nullopt.
std::optional<std::filesystem::path> FindPostgresBinaries();

// A new database on the test binary's shared cluster (started on first
// call), or nullopt when PostgreSQL cannot be used. Then the reason has been
// reported: as a test failure when the environment variable CI is set (CI
// must run these tests), else only in `why`, for GTEST_SKIP.
std::optional<std::string> PgTestDatabase(std::string* why);

}  // namespace cairn::testing

// In a test body or SetUp: declares `std::string var` holding a fresh
// database's URI, or skips the test (failing it in CI) when PostgreSQL is
// not installed.
#define CAIRN_PG_TEST_DATABASE(var)                                          \
  std::string var;                                                           \
  if (std::string cairn_pg_why;                                              \
      auto cairn_pg_uri = ::cairn::testing::PgTestDatabase(&cairn_pg_why)) { \
    var = *cairn_pg_uri;                                                     \
  } else {                                                                   \
    GTEST_SKIP() << cairn_pg_why;                                            \
  }
