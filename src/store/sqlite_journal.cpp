// The journal in SQLite (its table comes from the issue #15 migration;
// store/journal_store.h has the contract). The same statements as
// pg_journal.cpp.
#include <sqlite3.h>

#include "store/sqlite_internal.h"

namespace cairn {
namespace {

#define CAIRN_JOURNAL_SELECT                                                               \
  "SELECT j.id, j.district_id, j.stream, j.doc_key, j.student_id, j.body, j.recorded_by, " \
  "j.recorded_at FROM journal j "

JournalEntry ReadEntry(sqlite3_stmt* stmt) {
  JournalEntry e;
  e.id = sqlite3_column_int64(stmt, 0);
  e.district_id = sqlite3_column_int64(stmt, 1);
  e.stream = Text(stmt, 2);
  e.key = Text(stmt, 3);
  if (sqlite3_column_type(stmt, 4) != SQLITE_NULL) e.student_id = sqlite3_column_int64(stmt, 4);
  e.body = Text(stmt, 5);
  e.recorded_by = sqlite3_column_int64(stmt, 6);  // NULL reads as 0: withheld
  auto at = ParseInstant(Text(stmt, 7));
  e.recorded_at = at.ok() ? *at : 0;
  return e;
}

}  // namespace

Result<std::vector<Id>> SqliteStore::AppendJournal(const std::vector<JournalEntry>& entries) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CAIRN_RETURN_IF_ERROR(CheckJournalEntry(entries[i], i));
  }
  std::vector<Id> ids;
  ids.reserve(entries.size());
  Status status = Transact([&]() -> Status {
    for (const JournalEntry& entry : entries) {
      Statement s = Prepare(
          "INSERT INTO journal(district_id, stream, doc_key, student_id, body, recorded_by, "
          "recorded_at) VALUES (?,?,?,?,?,?,?)");
      s.Bind(1, entry.district_id).Bind(2, entry.stream).Bind(3, entry.key);
      if (entry.student_id) {
        s.Bind(4, *entry.student_id);
      } else {
        s.BindNull(4);
      }
      s.Bind(5, entry.body);
      if (entry.recorded_by != 0) {
        s.Bind(6, entry.recorded_by);
      } else {
        s.BindNull(6);
      }
      s.Bind(7, FormatInstant(entry.recorded_at));
      CAIRN_ASSIGN_OR_RETURN(Id id,
                             InsertAndGetId(s, "journal entry " + entry.stream + "/" + entry.key));
      ids.push_back(id);
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return ids;
}

Result<std::vector<JournalEntry>> SqliteStore::Journal(Id district, std::string_view stream,
                                                       std::optional<std::string_view> key) {
  Statement s =
      Prepare(key ? CAIRN_JOURNAL_SELECT
                  "WHERE j.district_id = ? AND j.stream = ? AND j.doc_key = ? ORDER BY j.id"
                  : CAIRN_JOURNAL_SELECT "WHERE j.district_id = ? AND j.stream = ? ORDER BY j.id");
  s.Bind(1, district).Bind(2, stream);
  if (key) s.Bind(3, *key);
  if (!s.valid()) return Error("reading the journal");
  std::vector<JournalEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadEntry(s.get()));
  if (rc != SQLITE_DONE) return Error("reading the journal");
  return out;
}

Result<std::vector<JournalEntry>> SqliteStore::JournalLatest(Id district, std::string_view stream) {
  Statement s = Prepare(CAIRN_JOURNAL_SELECT
                        "JOIN (SELECT max(id) AS id FROM journal WHERE district_id = ? AND "
                        "stream = ? GROUP BY doc_key) m ON m.id = j.id ORDER BY j.doc_key");
  s.Bind(1, district).Bind(2, stream);
  if (!s.valid()) return Error("reading the journal");
  std::vector<JournalEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadEntry(s.get()));
  if (rc != SQLITE_DONE) return Error("reading the journal");
  return out;
}

Result<std::vector<JournalEntry>> SqliteStore::StudentJournal(Id student, std::string_view stream) {
  Statement s =
      Prepare(CAIRN_JOURNAL_SELECT "WHERE j.student_id = ? AND j.stream = ? ORDER BY j.id");
  s.Bind(1, student).Bind(2, stream);
  if (!s.valid()) return Error("reading the journal");
  std::vector<JournalEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadEntry(s.get()));
  if (rc != SQLITE_DONE) return Error("reading the journal");
  return out;
}

}  // namespace cairn
