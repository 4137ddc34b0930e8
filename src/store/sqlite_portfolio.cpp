// The SQLite store's portfolio and calibration tables (schema migration 4).
#include <nlohmann/json.hpp>

#include "store/sqlite_internal.h"

namespace cairn {
namespace {

using json = nlohmann::json;

Instant InstantAt(sqlite3_stmt* stmt, int column) {
  auto parsed = ParseInstant(Text(stmt, column));
  return parsed.ok() ? *parsed : 0;
}

json ParseJson(const std::string& text) {
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json() : parsed;
}

std::vector<Id> IdList(const std::string& text) {
  std::vector<Id> out;
  json parsed = ParseJson(text);
  if (!parsed.is_array()) return out;
  for (const json& v : parsed) {
    if (v.is_number_integer()) out.push_back(v.get<Id>());
  }
  return out;
}

std::vector<std::string> StringList(const std::string& text) {
  std::vector<std::string> out;
  json parsed = ParseJson(text);
  if (!parsed.is_array()) return out;
  for (const json& v : parsed) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

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
  // Three ordered scans joined in memory: one query per table, not per row.
  Statement subs = Prepare(
      student ? "SELECT id, student_id, badge_code, title, created_by, created_at FROM submissions "
                "WHERE student_id = ? ORDER BY id"
              : "SELECT id, student_id, badge_code, title, created_by, created_at FROM submissions "
                "WHERE ? IS NULL ORDER BY id");
  if (student) {
    subs.Bind(1, *student);
  } else {
    subs.BindNull(1);
  }
  std::vector<SubmissionRecord> out;
  std::unordered_map<Id, std::size_t> index;
  int rc;
  while ((rc = subs.Step()) == SQLITE_ROW) {
    SubmissionRecord record;
    record.submission = ReadSubmission(subs.get());
    index[record.submission.id] = out.size();
    out.push_back(std::move(record));
  }
  if (rc != SQLITE_DONE) return Error("reading submissions");
  if (out.empty()) return out;

  Statement versions = Prepare(
      "SELECT v.id, v.submission_id, v.number, v.author, v.at, v.body, v.link, v.reflection, "
      "v.tags, v.artifacts FROM submission_versions v JOIN submissions s ON s.id = "
      "v.submission_id WHERE (?1 IS NULL OR s.student_id = ?1) ORDER BY v.submission_id, "
      "v.number");
  Statement events = Prepare(
      "SELECT e.id, e.submission_id, e.version_id, e.kind, e.actor, e.at, e.message, e.data "
      "FROM portfolio_events e JOIN submissions s ON s.id = e.submission_id "
      "WHERE (?1 IS NULL OR s.student_id = ?1) ORDER BY e.id");
  for (Statement* st : {&versions, &events}) {
    if (student) {
      st->Bind(1, *student);
    } else {
      st->BindNull(1);
    }
  }
  while ((rc = versions.Step()) == SQLITE_ROW) {
    SubmissionVersion v = ReadVersion(versions.get());
    if (auto it = index.find(v.submission_id); it != index.end()) {
      out[it->second].versions.push_back(std::move(v));
    }
  }
  if (rc != SQLITE_DONE) return Error("reading submission versions");
  while ((rc = events.Step()) == SQLITE_ROW) {
    PortfolioEvent e = ReadEvent(events.get());
    if (auto it = index.find(e.submission_id); it != index.end()) {
      out[it->second].events.push_back(std::move(e));
    }
  }
  if (rc != SQLITE_DONE) return Error("reading portfolio events");
  return out;
}

Result<std::optional<SubmissionRecord>> SqliteStore::LoadSubmission(Id id) {
  Statement sub = Prepare(
      "SELECT id, student_id, badge_code, title, created_by, created_at FROM submissions "
      "WHERE id = ?");
  sub.Bind(1, id);
  int rc = sub.Step();
  if (rc == SQLITE_DONE) return std::optional<SubmissionRecord>{};
  if (rc != SQLITE_ROW) return Error("reading submission");
  SubmissionRecord record;
  record.submission = ReadSubmission(sub.get());

  Statement versions = Prepare(
      "SELECT id, submission_id, number, author, at, body, link, reflection, tags, artifacts "
      "FROM submission_versions WHERE submission_id = ? ORDER BY number");
  versions.Bind(1, id);
  while ((rc = versions.Step()) == SQLITE_ROW)
    record.versions.push_back(ReadVersion(versions.get()));
  if (rc != SQLITE_DONE) return Error("reading submission versions");
  Statement events = Prepare(
      "SELECT id, submission_id, version_id, kind, actor, at, message, data "
      "FROM portfolio_events WHERE submission_id = ? ORDER BY id");
  events.Bind(1, id);
  while ((rc = events.Step()) == SQLITE_ROW) record.events.push_back(ReadEvent(events.get()));
  if (rc != SQLITE_DONE) return Error("reading portfolio events");
  return std::optional<SubmissionRecord>(std::move(record));
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
  while ((rc = events.Step()) == SQLITE_ROW) {
    CalibrationEvent e = ReadCalibrationEvent(events.get());
    if (auto it = index.find(e.session_id); it != index.end()) {
      out[it->second].events.push_back(std::move(e));
    }
  }
  if (rc != SQLITE_DONE) return Error("reading calibration events");
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
