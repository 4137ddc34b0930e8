// Helpers shared by the OneRoster tests: the vendored fixtures, a set held
// in memory that a test edits, and row counts of a SQLite store.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "interop/oneroster/oneroster_reader.h"
#include "store/sqlite_store.h"

namespace cairn::oneroster::testing {

using Files = std::map<std::string, std::string>;

inline std::string FixturePath(const std::string& relative) {
  return std::string(CAIRN_TESTDATA_DIR) + "/oneroster/" + relative;
}

// The files of a fixture folder or zip, keyed by lowercase name.
inline Files LoadFixture(const std::string& relative) {
  auto files = ReadSetFiles(FixturePath(relative));
  EXPECT_TRUE(files.ok()) << relative << ": " << files.status().ToString();
  return files.ok() ? *files : Files{};
}

inline std::unique_ptr<SqliteStore> OpenMemoryStore() {
  auto store = SqliteStore::Open(":memory:");
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

// Rows per roster table, and the ratings: what "nothing changed" compares.
inline std::map<std::string, std::int64_t> RowCounts(SqliteStore& store) {
  std::map<std::string, std::int64_t> counts;
  for (const char* table : {"districts", "schools", "courses", "academic_sessions", "sections",
                            "people", "enrollments", "guardian_links", "ratings"}) {
    const std::string sql = std::string("SELECT count(*) FROM ") + table;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(store.handle(), sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    counts[table] = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
  }
  return counts;
}

// Replaces one line (1-based) of `text`; lines end with "\n".
inline std::string ReplaceLine(const std::string& text, int line, const std::string& with) {
  std::string out;
  int current = 1;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += current == line ? with : text.substr(start, end - start);
    out += "\n";
    start = end + 1;
    ++current;
  }
  return out;
}

// Problems as "file:line:column: reason", for comparing whole lists.
inline std::vector<std::string> Formatted(const std::vector<ImportProblem>& problems) {
  std::vector<std::string> out;
  for (const ImportProblem& p : problems) out.push_back(FormatProblem(p));
  return out;
}

}  // namespace cairn::oneroster::testing
