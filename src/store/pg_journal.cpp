// The journal in PostgreSQL (its table comes from the issue #15 migration;
// store/journal_store.h has the contract), with the SQLite engine's
// statements (sqlite_journal.cpp). Keys sort bytewise (COLLATE "C") as they
// do in SQLite, whatever the database's locale.
#include "store/pg_internal.h"

namespace cairn {
namespace {

#define CAIRN_PG_JOURNAL_SELECT                                                            \
  "SELECT j.id, j.district_id, j.stream, j.doc_key, j.student_id, j.body, j.recorded_by, " \
  "j.recorded_at FROM journal j "

std::vector<JournalEntry> ReadEntries(const PgRows& rows) {
  std::vector<JournalEntry> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    JournalEntry e;
    e.id = rows.integer(i, 0);
    e.district_id = rows.integer(i, 1);
    e.stream = rows.text(i, 2);
    e.key = rows.text(i, 3);
    e.student_id = rows.optional_integer(i, 4);
    e.body = rows.text(i, 5);
    e.recorded_by = rows.optional_integer(i, 6).value_or(0);  // NULL: withheld
    e.recorded_at = PgInstant(rows, i, 7);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Result<std::vector<Id>> PgStore::AppendJournal(const std::vector<JournalEntry>& entries) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CAIRN_RETURN_IF_ERROR(CheckJournalEntry(entries[i], i));
  }
  std::vector<Id> ids;
  ids.reserve(entries.size());
  Status status = Transact([&]() -> Status {
    for (const JournalEntry& entry : entries) {
      PgParams params;
      params.Add(entry.district_id).Add(entry.stream).Add(entry.key).AddOptional(entry.student_id);
      params.Add(entry.body);
      if (entry.recorded_by != 0) {
        params.Add(entry.recorded_by);
      } else {
        params.AddNull();
      }
      params.Add(FormatInstant(entry.recorded_at));
      CAIRN_ASSIGN_OR_RETURN(
          Id id, InsertId("INSERT INTO journal(district_id, stream, doc_key, student_id, body, "
                          "recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                          params, "journal entry " + entry.stream + "/" + entry.key));
      ids.push_back(id);
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return ids;
}

Result<std::vector<JournalEntry>> PgStore::Journal(Id district, std::string_view stream,
                                                   std::optional<std::string_view> key) {
  PgParams params;
  params.Add(district).Add(stream);
  if (key) params.Add(*key);
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows,
      Run(key ? CAIRN_PG_JOURNAL_SELECT
              "WHERE j.district_id = $1 AND j.stream = $2 AND j.doc_key = $3 ORDER BY j.id"
              : CAIRN_PG_JOURNAL_SELECT "WHERE j.district_id = $1 AND j.stream = $2 ORDER BY j.id",
          params, "reading the journal"));
  return ReadEntries(rows);
}

Result<std::vector<JournalEntry>> PgStore::JournalLatest(Id district, std::string_view stream) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows,
      Run(CAIRN_PG_JOURNAL_SELECT
          "JOIN (SELECT max(id) AS id FROM journal WHERE district_id = $1 AND stream = $2 "
          "GROUP BY doc_key) m ON m.id = j.id ORDER BY j.doc_key COLLATE \"C\"",
          PgParams().Add(district).Add(stream), "reading the journal"));
  return ReadEntries(rows);
}

Result<std::vector<JournalEntry>> PgStore::StudentJournal(Id student, std::string_view stream) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows,
      Run(CAIRN_PG_JOURNAL_SELECT "WHERE j.student_id = $1 AND j.stream = $2 ORDER BY j.id",
          PgParams().Add(student).Add(stream), "reading the journal"));
  return ReadEntries(rows);
}

}  // namespace cairn
