// Which engine a database location names, and opening it: every place that
// opens a store by location (cairn serve, the CLI's --db, the server's
// per-thread connections) goes through here.
//
// - postgres://... or postgresql://... : PgStore (libpq's connection URI).
// - sqlite:PATH, sqlite://PATH, or any other text: SqliteStore on the file
//   PATH (its folder is created when missing), ":memory:" for tests.
//
// Opening migrates the database (both engines). Thread-safe: each call opens
// its own connection.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace cairn {

enum class StoreEngine { kSqlite, kPostgres };

struct StoreLocation {
  StoreEngine engine = StoreEngine::kSqlite;
  std::string target;  // the SQLite file path, or the PostgreSQL URI as given
};

StoreLocation ParseStoreLocation(std::string_view location);
bool IsPostgresLocation(std::string_view location);

// Opens and migrates the store `location` names; `schema_version`, when
// given, receives the version it is at.
Result<std::unique_ptr<Store>> OpenStore(std::string_view location, int* schema_version = nullptr);
// Opens `location` once per call (for the server's threads).
StoreFactory StoreFactoryFor(std::string location);

// The location with any password in a URI replaced by "***", for logs and
// messages.
std::string RedactedLocation(std::string_view location);

}  // namespace cairn
