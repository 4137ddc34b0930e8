#include "store/pg_migrate.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <set>
#include <vector>

#include "store/pg_internal.h"
#include "store/pg_store.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

// Tables each database keeps for itself.
const std::set<std::string> kOwnTables = {"schema_migrations", "change_counters"};
// Filled by a trigger on credentials: compared, not copied.
const std::set<std::string> kDerivedTables = {"status_lists"};

struct Column {
  std::string name;
  bool boolean = false;
  std::string source;  // the SQLite expression that reads it
};

struct Table {
  std::string name;
  std::vector<Column> columns;
};

using Pg = std::unique_ptr<PGresult, PgResultDeleter>;

Status PgError(PGconn* conn, const PGresult* result, const std::string& what) {
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return Status::Internal(what + ": " + message);
}

Result<Pg> PgQuery(PGconn* conn, const std::string& sql, const std::string& what) {
  Pg result(PQexec(conn, sql.c_str()));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return PgError(conn, result.get(), what);
  }
  return result;
}

std::string Quote(const std::string& identifier) { return "\"" + identifier + "\""; }

// The target's tables and columns, in an order where every table comes after
// the tables it refers to.
Result<std::vector<Table>> PgTables(PGconn* conn) {
  CAIRN_ASSIGN_OR_RETURN(
      Pg columns,
      PgQuery(conn,
              "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
              "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND "
              "t.table_name = c.table_name WHERE c.table_schema = current_schema() AND "
              "t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position",
              "reading the PostgreSQL tables"));
  std::map<std::string, Table> tables;
  for (int i = 0; i < PQntuples(columns.get()); ++i) {
    const std::string table = PQgetvalue(columns.get(), i, 0);
    if (kOwnTables.count(table)) continue;
    tables[table].name = table;
    tables[table].columns.push_back({PQgetvalue(columns.get(), i, 1),
                                     std::string_view(PQgetvalue(columns.get(), i, 2)) == "boolean",
                                     ""});
  }
  CAIRN_ASSIGN_OR_RETURN(
      Pg references,
      PgQuery(conn,
              "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
              "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
              "reading the foreign keys"));
  std::map<std::string, std::set<std::string>> needs;
  for (int i = 0; i < PQntuples(references.get()); ++i) {
    const std::string from = PQgetvalue(references.get(), i, 0);
    const std::string to = PQgetvalue(references.get(), i, 1);
    if (from != to) needs[from].insert(to);
  }
  std::vector<Table> ordered;
  std::set<std::string> placed;
  while (ordered.size() < tables.size()) {
    bool progress = false;
    for (const auto& [name, table] : tables) {
      if (placed.count(name)) continue;
      const auto& deps = needs[name];
      if (std::all_of(deps.begin(), deps.end(),
                      [&](const std::string& d) { return placed.count(d) || !tables.count(d); })) {
        ordered.push_back(table);
        placed.insert(name);
        progress = true;
      }
    }
    if (!progress)
      return Status::Internal("the foreign keys of the PostgreSQL schema form a cycle");
  }
  return ordered;
}

// Matches each PostgreSQL column to the SQLite table's: the same name, or the
// rowid for an `id` SQLite keeps implicit. Any other difference is an error.
Status MatchSqliteColumns(sqlite3* db, std::vector<Table>& tables) {
  std::set<std::string> sqlite_tables;
  {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite_%'",
                       -1, &stmt, nullptr);
    while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
      sqlite_tables.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
  }
  std::set<std::string> matched(kOwnTables.begin(), kOwnTables.end());
  for (Table& table : tables) {
    if (!sqlite_tables.count(table.name)) {
      return Status::Internal("table " + table.name + " is not in the SQLite database");
    }
    matched.insert(table.name);
    std::set<std::string> sqlite_columns;
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT name FROM pragma_table_info('" + table.name + "')";
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
      sqlite_columns.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    for (Column& column : table.columns) {
      if (sqlite_columns.erase(column.name)) {
        column.source = Quote(column.name);
      } else if (column.name == "id") {
        column.source = "rowid";
      } else {
        return Status::Internal("table " + table.name + ": column " + column.name +
                                " is not in the SQLite database");
      }
    }
    if (!sqlite_columns.empty()) {
      return Status::Internal("table " + table.name + ": SQLite column " + *sqlite_columns.begin() +
                              " has no place in PostgreSQL");
    }
  }
  for (const std::string& name : sqlite_tables) {
    if (!matched.count(name)) {
      return Status::Internal("SQLite table " + name + " has no place in PostgreSQL");
    }
  }
  return Status::Ok();
}

std::string SqliteSelect(const Table& table, bool ordered) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    sql += (i ? ", " : "") + table.columns[i].source;
  }
  sql += " FROM " + Quote(table.name);
  if (ordered) sql += " ORDER BY rowid";
  return sql;
}

// A SQLite value as PostgreSQL's text input reads it; nullopt for NULL.
std::optional<std::string> SqliteText(sqlite3_stmt* stmt, int column, bool boolean) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL:
      return std::nullopt;
    case SQLITE_INTEGER:
      if (boolean) return std::string(sqlite3_column_int64(stmt, column) != 0 ? "1" : "0");
      return std::to_string(sqlite3_column_int64(stmt, column));
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
    }
  }
}

// COPY's text format: backslash escapes, \N for NULL.
void AppendCopyValue(std::string& line, const std::optional<std::string>& value) {
  if (!value) {
    line += "\\N";
    return;
  }
  for (char c : *value) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += c;
    }
  }
}

Result<std::int64_t> CopyTable(sqlite3* db, PGconn* conn, const Table& table) {
  std::string copy = "COPY " + Quote(table.name) + " (";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    copy += (i ? ", " : "") + Quote(table.columns[i].name);
  }
  copy += ") FROM STDIN";
  Pg started(PQexec(conn, copy.c_str()));
  if (!started || PQresultStatus(started.get()) != PGRES_COPY_IN) {
    return PgError(conn, started.get(), "copying " + table.name);
  }
  sqlite3_stmt* stmt = nullptr;
  const std::string select = SqliteSelect(table, true);
  if (sqlite3_prepare_v2(db, select.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    PQputCopyEnd(conn, "cannot read the SQLite table");
    Pg ended(PQgetResult(conn));
    return Status::Internal("reading " + table.name + ": " + sqlite3_errmsg(db));
  }
  std::int64_t rows = 0;
  std::string buffer;
  bool sent = true;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      if (i) buffer += '\t';
      AppendCopyValue(buffer, SqliteText(stmt, static_cast<int>(i), table.columns[i].boolean));
    }
    buffer += '\n';
    ++rows;
    if (buffer.size() > (1 << 20)) {
      sent = sent && PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) == 1;
      buffer.clear();
    }
  }
  sqlite3_finalize(stmt);
  if (!buffer.empty()) {
    sent = sent && PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) == 1;
  }
  const bool read_all = rc == SQLITE_DONE;
  PQputCopyEnd(conn, read_all ? nullptr : "cannot read the SQLite table");
  Pg ended(PQgetResult(conn));
  while (Pg more{PQgetResult(conn)}) {
  }
  if (!read_all) return Status::Internal("reading " + table.name + ": " + sqlite3_errmsg(db));
  if (!sent || !ended || PQresultStatus(ended.get()) != PGRES_COMMAND_OK) {
    return PgError(conn, ended.get(), "copying " + table.name);
  }
  return rows;
}

// splitmix64's finalizer over FNV-1a: rows hash independently of each other,
// and the table's hash is their sum (independent of row order).
std::uint64_t RowHash(const std::vector<std::optional<std::string>>& values) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  for (const auto& value : values) {
    if (!value) {
      mix(1);
    } else {
      mix(2);
      for (char c : *value) mix(static_cast<unsigned char>(c));
    }
    mix(0);
  }
  h += 0x9e3779b97f4a7c15ull;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

Result<TableDigest> DigestPgTable(PGconn* conn, const Table& table) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    sql += (i ? ", " : "") + Quote(table.columns[i].name);
  }
  sql += " FROM " + Quote(table.name);
  CAIRN_ASSIGN_OR_RETURN(Pg rows, PgQuery(conn, sql, "reading " + table.name));
  TableDigest digest;
  std::vector<std::optional<std::string>> values(table.columns.size());
  for (int r = 0; r < PQntuples(rows.get()); ++r) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const int column = static_cast<int>(c);
      if (PQgetisnull(rows.get(), r, column)) {
        values[c].reset();
      } else if (table.columns[c].boolean) {
        values[c] = PQgetvalue(rows.get(), r, column)[0] == 't' ? "1" : "0";
      } else {
        values[c] = std::string(PQgetvalue(rows.get(), r, column),
                                static_cast<std::size_t>(PQgetlength(rows.get(), r, column)));
      }
    }
    ++digest.rows;
    digest.hash += RowHash(values);
  }
  return digest;
}

Result<TableDigest> DigestSqliteTable(sqlite3* db, const Table& table) {
  sqlite3_stmt* stmt = nullptr;
  const std::string sql = SqliteSelect(table, false);
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::Internal("reading " + table.name + ": " + sqlite3_errmsg(db));
  }
  TableDigest digest;
  std::vector<std::optional<std::string>> values(table.columns.size());
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      values[c] = SqliteText(stmt, static_cast<int>(c), table.columns[c].boolean);
    }
    ++digest.rows;
    digest.hash += RowHash(values);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE)
    return Status::Internal("reading " + table.name + ": " + sqlite3_errmsg(db));
  return digest;
}

struct Both {
  std::unique_ptr<SqliteStore> sqlite;
  std::unique_ptr<PgStore> pg;
  std::vector<Table> tables;
};

Result<Both> OpenBoth(const std::string& sqlite_path, const std::string& pg_uri) {
  Both both;
  if (sqlite_path != ":memory:") {
    // SqliteStore::Open creates a missing file: a typo must not read as an
    // empty district.
    sqlite3* probe = nullptr;
    const int rc = sqlite3_open_v2(sqlite_path.c_str(), &probe, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_close(probe);
    if (rc != SQLITE_OK) return Status::NotFound("--from: no SQLite database at " + sqlite_path);
  }
  CAIRN_ASSIGN_OR_RETURN(both.sqlite, SqliteStore::Open(sqlite_path));
  CAIRN_ASSIGN_OR_RETURN(both.pg, PgStore::Open(pg_uri));
  if (both.sqlite->SchemaVersion() != both.pg->SchemaVersion()) {
    return Status::Precondition("schema versions differ: SQLite " +
                                std::to_string(both.sqlite->SchemaVersion()) + ", PostgreSQL " +
                                std::to_string(both.pg->SchemaVersion()));
  }
  CAIRN_ASSIGN_OR_RETURN(both.tables, PgTables(both.pg->handle()));
  CAIRN_RETURN_IF_ERROR(MatchSqliteColumns(both.sqlite->handle(), both.tables));
  return both;
}

}  // namespace

Result<MigrationReport> MigrateSqliteToPostgres(const std::string& sqlite_path,
                                                const std::string& pg_uri) {
  CAIRN_ASSIGN_OR_RETURN(Both both, OpenBoth(sqlite_path, pg_uri));
  PGconn* conn = both.pg->handle();
  sqlite3* db = both.sqlite->handle();
  MigrationReport report;
  report.schema_version = both.pg->SchemaVersion();
  Status status = both.pg->Transact([&]() -> Status {
    for (const Table& table : both.tables) {
      CAIRN_ASSIGN_OR_RETURN(
          Pg any, PgQuery(conn, "SELECT EXISTS (SELECT 1 FROM " + Quote(table.name) + ")",
                          "reading " + table.name));
      if (PQgetvalue(any.get(), 0, 0)[0] == 't') {
        return Status::Precondition("--to: the PostgreSQL database is not empty (table " +
                                    table.name + " has rows); migrate into a new database");
      }
    }
    // One snapshot of the source for the whole copy.
    if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Status::Internal(std::string("reading the SQLite database: ") + sqlite3_errmsg(db));
    }
    Status copied = [&]() -> Status {
      for (const Table& table : both.tables) {
        if (kDerivedTables.count(table.name)) continue;
        CAIRN_ASSIGN_OR_RETURN(report.copied[table.name], CopyTable(db, conn, table));
        const bool has_id = std::any_of(table.columns.begin(), table.columns.end(),
                                        [](const Column& c) { return c.name == "id"; });
        if (!has_id) continue;
        // The next id after the copied ones (BIGSERIAL's sequence).
        CAIRN_RETURN_IF_ERROR(
            PgQuery(conn,
                    "SELECT setval(s, GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL) "
                    "FROM " +
                        Quote(table.name) + ", pg_get_serial_sequence('" + table.name +
                        "', 'id') AS s WHERE s IS NOT NULL GROUP BY s",
                    "advancing the ids of " + table.name)
                .status());
      }
      for (const Table& table : both.tables) {
        CAIRN_ASSIGN_OR_RETURN(TableDigest source, DigestSqliteTable(db, table));
        CAIRN_ASSIGN_OR_RETURN(TableDigest target, DigestPgTable(conn, table));
        if (!(source == target)) {
          return Status::Internal(
              "table " + table.name + " differs after the copy: " + std::to_string(source.rows) +
              " rows in SQLite, " + std::to_string(target.rows) + " in PostgreSQL" +
              (source.rows == target.rows ? " with different values" : ""));
        }
        report.digests[table.name] = target;
      }
      return Status::Ok();
    }();
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    return copied;
  });
  if (!status.ok()) return status;
  return report;
}

Result<std::map<std::string, TableDigest>> DigestPostgres(const std::string& pg_uri) {
  CAIRN_ASSIGN_OR_RETURN(auto pg, PgStore::Open(pg_uri));
  CAIRN_ASSIGN_OR_RETURN(std::vector<Table> tables, PgTables(pg->handle()));
  std::map<std::string, TableDigest> out;
  for (const Table& table : tables) {
    CAIRN_ASSIGN_OR_RETURN(out[table.name], DigestPgTable(pg->handle(), table));
  }
  return out;
}

Result<std::map<std::string, TableDigest>> DigestSqliteLikePostgres(const std::string& sqlite_path,
                                                                    const std::string& pg_uri) {
  CAIRN_ASSIGN_OR_RETURN(Both both, OpenBoth(sqlite_path, pg_uri));
  std::map<std::string, TableDigest> out;
  for (const Table& table : both.tables) {
    CAIRN_ASSIGN_OR_RETURN(out[table.name], DigestSqliteTable(both.sqlite->handle(), table));
  }
  return out;
}

}  // namespace cairn
