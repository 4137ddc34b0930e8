// Moving a district from SQLite to PostgreSQL (`cairn migrate`): every table
// of a SQLite database copied into an empty PostgreSQL one, ids preserved and
// sequences advanced past them, in one PostgreSQL transaction (a failure
// leaves the target empty). Both databases are first migrated to this
// Cairn's schema, which must be the same version on both sides.
//
// Tables are copied in foreign-key order with COPY, rows in id (rowid) order;
// a PostgreSQL `id` column the SQLite table lacks takes the rowid (the
// tables the SQLite engine orders by rowid). change_counters and
// schema_migrations are the target's own; status_lists is rebuilt by the
// credentials trigger and checked like the rest.
//
// Afterwards every table is compared: row count and an order-independent
// hash of its rows (values as text, flags as 0/1), so nothing was lost or
// changed on the way. Not thread-safe; opens its own connections.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace cairn {

struct TableDigest {
  std::int64_t rows = 0;
  std::uint64_t hash = 0;  // sum over rows of a 64-bit hash of the row
  bool operator==(const TableDigest&) const = default;
};

struct MigrationReport {
  int schema_version = 0;
  std::map<std::string, std::int64_t> copied;  // table -> rows
  std::map<std::string, TableDigest> digests;  // every compared table, equal on both sides
};

// Copies `sqlite_path` into the database at `pg_uri` and verifies it.
// kNotFound when there is no SQLite file; kFailedPrecondition when the
// target holds data already or the schema versions differ; a table that
// differs after the copy is kInternal naming it (and nothing is committed).
Result<MigrationReport> MigrateSqliteToPostgres(const std::string& sqlite_path,
                                                const std::string& pg_uri);

// The digests of every data table (all but schema_migrations and
// change_counters) of each side, with the PostgreSQL table's columns.
Result<std::map<std::string, TableDigest>> DigestPostgres(const std::string& pg_uri);
Result<std::map<std::string, TableDigest>> DigestSqliteLikePostgres(const std::string& sqlite_path,
                                                                    const std::string& pg_uri);

}  // namespace cairn
