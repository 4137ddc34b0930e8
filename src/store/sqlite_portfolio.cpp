// The SQLite store's portfolio and calibration tables (schema migration 4).
#include <nlohmann/json.hpp>

#include "store/json_columns.h"
#include "store/sqlite_internal.h"

namespace cairn {
namespace {

using json = nlohmann::json;

Instant InstantAt(sqlite3_stmt* stmt, int column) {
  auto parsed = ParseInstant(Text(stmt, column));
  return parsed.ok() ? *parsed : 0;
}

using json_columns::IdList;
using json_columns::ParseJson;
using json_columns::StringList;

constexpr const char* kArtifactColumns =
    "SELECT id, student_id, sha256, size, mime, name, uploaded_by, uploaded_at FROM artifacts";

Artifact ReadArtifact(sqlite3_stmt* stmt) {
  Artifact a;
  a.id = sqlite3_column_int64(stmt, 0);
  a.student_id = sqlite3_column_int64(stmt, 1);
  a.sha256 = Text(stmt, 2);
  a.size = sqlite3_column_int64(stmt, 3);
  a.mime = Text(stmt, 4);
  a.name = Text(stmt, 5);
  a.uploaded_by = sqlite3_column_int64(stmt, 6);
  a.uploaded_at = InstantAt(stmt, 7);
  return a;
}

constexpr const char* kSubmissionColumns =
    "id, student_id, badge_code, title, created_by, created_at";

Submission ReadSubmission(sqlite3_stmt* stmt) {
  Submission s;
  s.id = sqlite3_column_int64(stmt, 0);
  s.student_id = sqlite3_column_int64(stmt, 1);
  s.badge_code = Text(stmt, 2);
  s.title = Text(stmt, 3);
  s.created_by = sqlite3_column_int64(stmt, 4);
  s.created_at = InstantAt(stmt, 5);
  return s;
}

constexpr const char* kVersionColumns =
    "id, submission_id, number, author, at, body, link, reflection, tags, artifacts";

SubmissionVersion ReadVersion(sqlite3_stmt* stmt) {
  SubmissionVersion v;
  v.id = sqlite3_column_int64(stmt, 0);
  v.submission_id = sqlite3_column_int64(stmt, 1);
  v.number = sqlite3_column_int(stmt, 2);
  v.author = sqlite3_column_int64(stmt, 3);
  v.at = InstantAt(stmt, 4);
  v.text = Text(stmt, 5);
  v.link = Text(stmt, 6);
  v.reflection = Text(stmt, 7);
  json tags = ParseJson(Text(stmt, 8));
  if (tags.is_array()) {
    for (const json& t : tags) {
      v.tags.push_back({t.value("cpe", ""), t.value("indicator", "")});
    }
  }
  v.artifact_ids = IdList(Text(stmt, 9));
  return v;
}

constexpr const char* kEventColumns =
    "id, submission_id, version_id, kind, actor, at, message, data";

PortfolioEvent ReadEvent(sqlite3_stmt* stmt) {
  PortfolioEvent e;
  e.id = sqlite3_column_int64(stmt, 0);
  e.submission_id = sqlite3_column_int64(stmt, 1);
  e.version_id = sqlite3_column_int64(stmt, 2);  // NULL reads as 0
  e.kind = ParsePortfolioEventKind(Text(stmt, 3)).value_or(PortfolioEventKind::kFeedback);
  e.actor = sqlite3_column_int64(stmt, 4);
  e.at = InstantAt(stmt, 5);
  e.message = Text(stmt, 6);
  json data = ParseJson(Text(stmt, 7));
  if (data.is_object()) {
    e.cpe = data.value("cpe", "");
    e.level = data.value("level", "");
    if (data.contains("anchor") && data["anchor"].is_object()) {
      const json& a = data["anchor"];
      e.anchor = Anchor{a.value("artifact", Id{0}), a.value("page", 0), a.value("x", 0.0),
                        a.value("y", 0.0),          a.value("w", 0.0),  a.value("h", 0.0)};
    }
  }
  return e;
}

CalibrationEvent ReadCalibrationEvent(sqlite3_stmt* stmt) {
  CalibrationEvent e;
  e.id = sqlite3_column_int64(stmt, 0);
  e.session_id = sqlite3_column_int64(stmt, 1);
  e.kind = ParseCalibrationEventKind(Text(stmt, 2)).value_or(CalibrationEventKind::kNote);
  e.actor = sqlite3_column_int64(stmt, 3);
  e.at = InstantAt(stmt, 4);
  e.item = sqlite3_column_int(stmt, 5);
  e.cpe = Text(stmt, 6);
  e.level = Text(stmt, 7);
  e.note = Text(stmt, 8);
  return e;
}

// Steps through `stmt`, appending each row to the `children` of the record
// `index` maps the row's `parent` id to (rows of other parents are skipped).
// SQLITE_DONE, or the error code that stopped it.
template <typename Row, typename Record>
int AppendToParents(sqlite3_stmt* stmt, Row (*read)(sqlite3_stmt*), Id Row::*parent,
                    const std::unordered_map<Id, std::size_t>& index, std::vector<Record>& records,
                    std::vector<Row> Record::*children) {
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    Row row = read(stmt);
    if (auto it = index.find(row.*parent); it != index.end()) {
      (records[it->second].*children).push_back(std::move(row));
    }
  }
  return rc;
}

// The three ordered scans that read submissions with their versions and
// events, for the submissions `filter` selects (a condition on the
// submissions table with one parameter, ?1). Built once per filter and kept:
// Prepare caches statements by the address of their text.
struct SubmissionQueries {
  explicit SubmissionQueries(const std::string& filter)
      : submissions(std::string("SELECT ") + kSubmissionColumns + " FROM submissions WHERE " +
                    filter + " ORDER BY id"),
        versions(std::string("SELECT ") + kVersionColumns +
                 " FROM submission_versions WHERE submission_id IN (SELECT id FROM submissions "
                 "WHERE " +
                 filter + ") ORDER BY submission_id, number"),
        events(std::string("SELECT ") + kEventColumns +
               " FROM portfolio_events WHERE submission_id IN (SELECT id FROM submissions WHERE " +
               filter + ") ORDER BY id") {}
  std::string submissions;
  std::string versions;
  std::string events;
};

// Reads the scans (each with ?1 bound) into records, joined in memory: one
// query per table, not per row. Null on success, else what failed, for
// SqliteStore::Error.
const char* ReadSubmissionRecords(sqlite3_stmt* submissions, sqlite3_stmt* versions,
                                  sqlite3_stmt* events, std::vector<SubmissionRecord>& out) {
  std::unordered_map<Id, std::size_t> index;
  int rc;
  while ((rc = sqlite3_step(submissions)) == SQLITE_ROW) {
    SubmissionRecord record;
    record.submission = ReadSubmission(submissions);
    index[record.submission.id] = out.size();
    out.push_back(std::move(record));
  }
  if (rc != SQLITE_DONE) return "reading submissions";
  if (out.empty()) return nullptr;
  if (AppendToParents(versions, ReadVersion, &SubmissionVersion::submission_id, index, out,
                      &SubmissionRecord::versions) != SQLITE_DONE) {
    return "reading submission versions";
  }
  if (AppendToParents(events, ReadEvent, &PortfolioEvent::submission_id, index, out,
                      &SubmissionRecord::events) != SQLITE_DONE) {
    return "reading portfolio events";
  }
  return nullptr;
}

}  // namespace

Result<Id> SqliteStore::InsertArtifact(const Artifact& a) {
  Statement s = Prepare(
      "INSERT INTO artifacts(student_id, sha256, size, mime, name, uploaded_by, uploaded_at) "
      "VALUES (?,?,?,?,?,?,?)");
  s.Bind(1, a.student_id)
      .Bind(2, a.sha256)
      .Bind(3, a.size)
      .Bind(4, a.mime)
      .Bind(5, a.name)
      .Bind(6, a.uploaded_by)
      .Bind(7, FormatInstant(a.uploaded_at));
  return InsertAndGetId(s, "artifact");
}

Result<std::optional<Artifact>> SqliteStore::FindArtifact(Id id) {
  static const std::string sql = std::string(kArtifactColumns) + " WHERE id = ?";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Artifact>{};
  if (rc != SQLITE_ROW) return Error("reading artifact");
  return std::optional<Artifact>(ReadArtifact(s.get()));
}

Result<std::int64_t> SqliteStore::ArtifactBytes(Id student) {
  Statement s = Prepare("SELECT COALESCE(SUM(size), 0) FROM artifacts WHERE student_id = ?");
  s.Bind(1, student);
  if (s.Step() != SQLITE_ROW) return Error("reading artifact sizes");
  return static_cast<std::int64_t>(sqlite3_column_int64(s.get(), 0));
}

Result<bool> SqliteStore::BlobReferenced(std::string_view sha256) {
  Statement s = Prepare("SELECT 1 FROM artifacts WHERE sha256 = ? LIMIT 1");
  s.Bind(1, sha256);
  int rc = s.Step();
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) return Error("reading artifacts");
  return false;
}

Result<Id> SqliteStore::InsertSubmission(const Submission& sub) {
  Statement s = Prepare(
      "INSERT INTO submissions(student_id, badge_code, title, created_by, created_at) "
      "VALUES (?,?,?,?,?)");
  s.Bind(1, sub.student_id)
      .Bind(2, sub.badge_code)
      .Bind(3, sub.title)
      .Bind(4, sub.created_by)
      .Bind(5, FormatInstant(sub.created_at));
  return InsertAndGetId(s, "submission");
}

Result<Id> SqliteStore::AppendSubmissionVersion(const SubmissionVersion& v) {
  json tags = json::array();
  for (const CpeTag& t : v.tags) tags.push_back({{"cpe", t.cpe}, {"indicator", t.indicator}});
  Statement s = Prepare(
      "INSERT INTO submission_versions(submission_id, number, author, at, body, link, reflection, "
      "tags, artifacts) VALUES (?,?,?,?,?,?,?,?,?)");
  s.Bind(1, v.submission_id)
      .Bind(2, std::int64_t{v.number})
      .Bind(3, v.author)
      .Bind(4, FormatInstant(v.at))
      .Bind(5, v.text)
      .Bind(6, v.link)
      .Bind(7, v.reflection)
      .Bind(8, tags.dump())
      .Bind(9, json(v.artifact_ids).dump());
  return InsertAndGetId(s, "submission version");
}

Result<Id> SqliteStore::AppendPortfolioEvent(const PortfolioEvent& e) {
  json data = json::object();
  if (!e.cpe.empty()) data["cpe"] = e.cpe;
  if (!e.level.empty()) data["level"] = e.level;
  if (e.anchor) {
    data["anchor"] = {{"artifact", e.anchor->artifact_id},
                      {"page", e.anchor->page},
                      {"x", e.anchor->x},
                      {"y", e.anchor->y},
                      {"w", e.anchor->w},
                      {"h", e.anchor->h}};
  }
  Statement s = Prepare(
      "INSERT INTO portfolio_events(submission_id, version_id, kind, actor, at, message, data) "
      "VALUES (?,?,?,?,?,?,?)");
  s.Bind(1, e.submission_id);
  if (e.version_id) {
    s.Bind(2, e.version_id);
  } else {
    s.BindNull(2);
  }
  s.Bind(3, PortfolioEventKindName(e.kind))
      .Bind(4, e.actor)
      .Bind(5, FormatInstant(e.at))
      .Bind(6, e.message)
      .Bind(7, data.dump());
  return InsertAndGetId(s, "portfolio event");
}

Result<std::vector<SubmissionRecord>> SqliteStore::LoadSubmissions(std::optional<Id> student) {
  static const SubmissionQueries of_student("student_id = ?1");
  static const SubmissionQueries of_everyone("?1 IS NULL");
  const SubmissionQueries& queries = student ? of_student : of_everyone;
  Statement submissions = Prepare(queries.submissions.c_str());
  Statement versions = Prepare(queries.versions.c_str());
  Statement events = Prepare(queries.events.c_str());
  for (Statement* st : {&submissions, &versions, &events}) {
    if (student) {
      st->Bind(1, *student);
    } else {
      st->BindNull(1);
    }
  }
  std::vector<SubmissionRecord> out;
  if (const char* failed =
          ReadSubmissionRecords(submissions.get(), versions.get(), events.get(), out)) {
    return Error(failed);
  }
  return out;
}

Result<std::optional<SubmissionRecord>> SqliteStore::LoadSubmission(Id id) {
  static const SubmissionQueries one("id = ?1");
  Statement submission = Prepare(one.submissions.c_str());
  Statement versions = Prepare(one.versions.c_str());
  Statement events = Prepare(one.events.c_str());
  for (Statement* st : {&submission, &versions, &events}) st->Bind(1, id);
  std::vector<SubmissionRecord> out;
  if (const char* failed =
          ReadSubmissionRecords(submission.get(), versions.get(), events.get(), out)) {
    return Error(failed);
  }
  if (out.empty()) return std::optional<SubmissionRecord>{};
  return std::optional<SubmissionRecord>(std::move(out.front()));
}

Result<std::optional<Id>> SqliteStore::SubmissionOfVersion(Id version_id) {
  Statement s = Prepare("SELECT submission_id FROM submission_versions WHERE id = ?");
  s.Bind(1, version_id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Id>{};
  if (rc != SQLITE_ROW) return Error("reading submission version");
  return std::optional<Id>(sqlite3_column_int64(s.get(), 0));
}

Result<Id> SqliteStore::InsertCalibrationSession(const CalibrationSession& c) {
  Statement s = Prepare(
      "INSERT INTO calibration_sessions(title, badge_code, cpes, items, raters, created_by, "
      "created_at) VALUES (?,?,?,?,?,?,?)");
  s.Bind(1, c.title)
      .Bind(2, c.badge_code)
      .Bind(3, json(c.cpes).dump())
      .Bind(4, json(c.items).dump())
      .Bind(5, json(c.raters).dump())
      .Bind(6, c.created_by)
      .Bind(7, FormatInstant(c.created_at));
  return InsertAndGetId(s, "calibration session");
}

Result<Id> SqliteStore::AppendCalibrationEvent(const CalibrationEvent& e) {
  Statement s = Prepare(
      "INSERT INTO calibration_events(session_id, kind, actor, at, item, cpe, level, note) "
      "VALUES (?,?,?,?,?,?,?,?)");
  s.Bind(1, e.session_id)
      .Bind(2, CalibrationEventKindName(e.kind))
      .Bind(3, e.actor)
      .Bind(4, FormatInstant(e.at))
      .Bind(5, std::int64_t{e.item})
      .Bind(6, e.cpe)
      .Bind(7, e.level)
      .Bind(8, e.note);
  return InsertAndGetId(s, "calibration event");
}

Result<std::vector<CalibrationRecord>> SqliteStore::LoadCalibrations() {
  Statement sessions = Prepare(
      "SELECT id, title, badge_code, cpes, items, raters, created_by, created_at "
      "FROM calibration_sessions ORDER BY id");
  std::vector<CalibrationRecord> out;
  std::unordered_map<Id, std::size_t> index;
  int rc;
  while ((rc = sessions.Step()) == SQLITE_ROW) {
    CalibrationRecord r;
    sqlite3_stmt* st = sessions.get();
    r.session.id = sqlite3_column_int64(st, 0);
    r.session.title = Text(st, 1);
    r.session.badge_code = Text(st, 2);
    r.session.cpes = StringList(Text(st, 3));
    r.session.items = IdList(Text(st, 4));
    r.session.raters = IdList(Text(st, 5));
    r.session.created_by = sqlite3_column_int64(st, 6);
    r.session.created_at = InstantAt(st, 7);
    index[r.session.id] = out.size();
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return Error("reading calibration sessions");
  Statement events = Prepare(
      "SELECT id, session_id, kind, actor, at, item, cpe, level, note FROM calibration_events "
      "ORDER BY id");
  if (AppendToParents(events.get(), ReadCalibrationEvent, &CalibrationEvent::session_id, index, out,
                      &CalibrationRecord::events) != SQLITE_DONE) {
    return Error("reading calibration events");
  }
  return out;
}

Result<std::optional<CalibrationRecord>> SqliteStore::LoadCalibration(Id id) {
  // Sessions are few (a handful per term); loading all keeps one code path.
  CAIRN_ASSIGN_OR_RETURN(std::vector<CalibrationRecord> all, LoadCalibrations());
  for (CalibrationRecord& r : all) {
    if (r.session.id == id) return std::optional<CalibrationRecord>(std::move(r));
  }
  return std::optional<CalibrationRecord>{};
}

}  // namespace cairn

namespace cairn {

Result<std::vector<std::pair<PortfolioEvent, Id>>> SqliteStore::PortfolioEventsAfter(Id after,
                                                                                     int limit) {
  Statement s = Prepare(
      "SELECT e.id, e.submission_id, e.version_id, e.kind, e.actor, e.at, e.message, e.data, "
      "s.student_id FROM portfolio_events e JOIN submissions s ON s.id = e.submission_id "
      "WHERE e.id > ? ORDER BY e.id LIMIT ?");
  s.Bind(1, after).Bind(2, limit);
  if (!s.valid()) return Error("reading portfolio events");
  std::vector<std::pair<PortfolioEvent, Id>> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    out.emplace_back(ReadEvent(s.get()), sqlite3_column_int64(s.get(), 8));
  }
  if (rc != SQLITE_DONE) return Error("reading portfolio events");
  return out;
}

}  // namespace cairn
