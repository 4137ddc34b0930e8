// The PostgreSQL store's portfolio and calibration tables (schema migration
// 4). JSON columns are text, written and read exactly as the SQLite engine
// does.
#include <nlohmann/json.hpp>

#include <unordered_map>

#include "store/json_columns.h"
#include "store/pg_internal.h"

namespace cairn {
namespace {

using json = nlohmann::json;

using json_columns::IdList;
using json_columns::ParseJson;
using json_columns::StringList;

constexpr const char* kArtifactColumns =
    "SELECT id, student_id, sha256, size, mime, name, uploaded_by, uploaded_at FROM artifacts";

Artifact ReadArtifact(const PgRows& r, int row) {
  Artifact a;
  a.id = r.integer(row, 0);
  a.student_id = r.integer(row, 1);
  a.sha256 = r.text(row, 2);
  a.size = r.integer(row, 3);
  a.mime = r.text(row, 4);
  a.name = r.text(row, 5);
  a.uploaded_by = r.integer(row, 6);
  a.uploaded_at = PgInstant(r, row, 7);
  return a;
}

constexpr const char* kSubmissionColumns =
    "id, student_id, badge_code, title, created_by, created_at";

Submission ReadSubmission(const PgRows& r, int row) {
  Submission s;
  s.id = r.integer(row, 0);
  s.student_id = r.integer(row, 1);
  s.badge_code = r.text(row, 2);
  s.title = r.text(row, 3);
  s.created_by = r.integer(row, 4);
  s.created_at = PgInstant(r, row, 5);
  return s;
}

constexpr const char* kVersionColumns =
    "id, submission_id, number, author, at, body, link, reflection, tags, artifacts";

SubmissionVersion ReadVersion(const PgRows& r, int row) {
  SubmissionVersion v;
  v.id = r.integer(row, 0);
  v.submission_id = r.integer(row, 1);
  v.number = r.small(row, 2);
  v.author = r.integer(row, 3);
  v.at = PgInstant(r, row, 4);
  v.text = r.text(row, 5);
  v.link = r.text(row, 6);
  v.reflection = r.text(row, 7);
  json tags = ParseJson(r.text(row, 8));
  if (tags.is_array()) {
    for (const json& t : tags) v.tags.push_back({t.value("cpe", ""), t.value("indicator", "")});
  }
  v.artifact_ids = IdList(r.text(row, 9));
  return v;
}

constexpr const char* kEventColumns =
    "id, submission_id, version_id, kind, actor, at, message, data";

PortfolioEvent ReadEvent(const PgRows& r, int row) {
  PortfolioEvent e;
  e.id = r.integer(row, 0);
  e.submission_id = r.integer(row, 1);
  e.version_id = r.null(row, 2) ? 0 : r.integer(row, 2);
  e.kind = ParsePortfolioEventKind(r.text(row, 3)).value_or(PortfolioEventKind::kFeedback);
  e.actor = r.integer(row, 4);
  e.at = PgInstant(r, row, 5);
  e.message = r.text(row, 6);
  json data = ParseJson(r.text(row, 7));
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

CalibrationEvent ReadCalibrationEvent(const PgRows& r, int row) {
  CalibrationEvent e;
  e.id = r.integer(row, 0);
  e.session_id = r.integer(row, 1);
  e.kind = ParseCalibrationEventKind(r.text(row, 2)).value_or(CalibrationEventKind::kNote);
  e.actor = r.integer(row, 3);
  e.at = PgInstant(r, row, 4);
  e.item = r.small(row, 5);
  e.cpe = r.text(row, 6);
  e.level = r.text(row, 7);
  e.note = r.text(row, 8);
  return e;
}

// The three ordered scans that read submissions with their versions and
// events, for the submissions `filter` selects (a condition on the
// submissions table with one parameter, $1). Built once per filter and kept:
// Run caches statements by the address of their text.
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

}  // namespace

Result<Id> PgStore::InsertArtifact(const Artifact& a) {
  return InsertId(
      "INSERT INTO artifacts(student_id, sha256, size, mime, name, uploaded_by, uploaded_at) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
      PgParams()
          .Add(a.student_id)
          .Add(a.sha256)
          .Add(a.size)
          .Add(a.mime)
          .Add(a.name)
          .Add(a.uploaded_by)
          .Add(FormatInstant(a.uploaded_at)),
      "artifact");
}

Result<std::optional<Artifact>> PgStore::FindArtifact(Id id) {
  static const std::string sql = std::string(kArtifactColumns) + " WHERE id = $1";
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run(sql.c_str(), PgParams().Add(id), "reading artifact"));
  if (r.empty()) return std::optional<Artifact>{};
  return std::optional<Artifact>(ReadArtifact(r, 0));
}

Result<std::int64_t> PgStore::ArtifactBytes(Id student) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("SELECT COALESCE(SUM(size), 0) FROM artifacts WHERE student_id = $1",
                             PgParams().Add(student), "reading artifact sizes"));
  return r.integer(0, 0);
}

Result<bool> PgStore::BlobReferenced(std::string_view sha256) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r, Run("SELECT 1 FROM artifacts WHERE sha256 = $1 LIMIT 1",
                                       PgParams().Add(sha256), "reading artifacts"));
  return !r.empty();
}

Result<Id> PgStore::InsertSubmission(const Submission& sub) {
  return InsertId(
      "INSERT INTO submissions(student_id, badge_code, title, created_by, created_at) "
      "VALUES ($1,$2,$3,$4,$5) RETURNING id",
      PgParams()
          .Add(sub.student_id)
          .Add(sub.badge_code)
          .Add(sub.title)
          .Add(sub.created_by)
          .Add(FormatInstant(sub.created_at)),
      "submission");
}

Result<Id> PgStore::AppendSubmissionVersion(const SubmissionVersion& v) {
  json tags = json::array();
  for (const CpeTag& t : v.tags) tags.push_back({{"cpe", t.cpe}, {"indicator", t.indicator}});
  return InsertId(
      "INSERT INTO submission_versions(submission_id, number, author, at, body, link, "
      "reflection, tags, artifacts) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
      PgParams()
          .Add(v.submission_id)
          .Add(std::int64_t{v.number})
          .Add(v.author)
          .Add(FormatInstant(v.at))
          .Add(v.text)
          .Add(v.link)
          .Add(v.reflection)
          .Add(tags.dump())
          .Add(json(v.artifact_ids).dump()),
      "submission version");
}

Result<Id> PgStore::AppendPortfolioEvent(const PortfolioEvent& e) {
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
  PgParams params;
  params.Add(e.submission_id);
  if (e.version_id) {
    params.Add(e.version_id);
  } else {
    params.AddNull();
  }
  params.Add(PortfolioEventKindName(e.kind))
      .Add(e.actor)
      .Add(FormatInstant(e.at))
      .Add(e.message)
      .Add(data.dump());
  return InsertId(
      "INSERT INTO portfolio_events(submission_id, version_id, kind, actor, at, message, data) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
      params, "portfolio event");
}

namespace {

// Joins versions and events to their submissions in memory: one query per
// table, not per row.
void JoinSubmissionRecords(const PgRows& versions, const PgRows& events,
                           std::vector<SubmissionRecord>& out) {
  std::unordered_map<Id, std::size_t> index;
  for (std::size_t i = 0; i < out.size(); ++i) index[out[i].submission.id] = i;
  for (int i = 0; i < versions.size(); ++i) {
    SubmissionVersion v = ReadVersion(versions, i);
    if (auto it = index.find(v.submission_id); it != index.end()) {
      out[it->second].versions.push_back(std::move(v));
    }
  }
  for (int i = 0; i < events.size(); ++i) {
    PortfolioEvent e = ReadEvent(events, i);
    if (auto it = index.find(e.submission_id); it != index.end()) {
      out[it->second].events.push_back(std::move(e));
    }
  }
}

}  // namespace

Result<std::vector<SubmissionRecord>> PgStore::LoadSubmissions(std::optional<Id> student) {
  static const SubmissionQueries of_student("student_id = $1");
  static const SubmissionQueries of_everyone("$1::bigint IS NULL");
  const SubmissionQueries& queries = student ? of_student : of_everyone;
  PgParams params;
  params.AddOptional(student);
  CAIRN_ASSIGN_OR_RETURN(PgRows submissions,
                         Run(queries.submissions.c_str(), params, "reading submissions"));
  std::vector<SubmissionRecord> out;
  for (int i = 0; i < submissions.size(); ++i) {
    SubmissionRecord record;
    record.submission = ReadSubmission(submissions, i);
    out.push_back(std::move(record));
  }
  if (out.empty()) return out;
  CAIRN_ASSIGN_OR_RETURN(PgRows versions,
                         Run(queries.versions.c_str(), params, "reading submission versions"));
  CAIRN_ASSIGN_OR_RETURN(PgRows events,
                         Run(queries.events.c_str(), params, "reading portfolio events"));
  JoinSubmissionRecords(versions, events, out);
  return out;
}

Result<std::optional<SubmissionRecord>> PgStore::LoadSubmission(Id id) {
  static const SubmissionQueries one("id = $1");
  PgParams params;
  params.Add(id);
  CAIRN_ASSIGN_OR_RETURN(PgRows submission,
                         Run(one.submissions.c_str(), params, "reading submission"));
  if (submission.empty()) return std::optional<SubmissionRecord>{};
  std::vector<SubmissionRecord> out(1);
  out[0].submission = ReadSubmission(submission, 0);
  CAIRN_ASSIGN_OR_RETURN(PgRows versions,
                         Run(one.versions.c_str(), params, "reading submission versions"));
  CAIRN_ASSIGN_OR_RETURN(PgRows events,
                         Run(one.events.c_str(), params, "reading portfolio events"));
  JoinSubmissionRecords(versions, events, out);
  return std::optional<SubmissionRecord>(std::move(out.front()));
}

Result<std::optional<Id>> PgStore::SubmissionOfVersion(Id version_id) {
  CAIRN_ASSIGN_OR_RETURN(PgRows r,
                         Run("SELECT submission_id FROM submission_versions WHERE id = $1",
                             PgParams().Add(version_id), "reading submission version"));
  if (r.empty()) return std::optional<Id>{};
  return std::optional<Id>(r.integer(0, 0));
}

Result<Id> PgStore::InsertCalibrationSession(const CalibrationSession& c) {
  return InsertId(
      "INSERT INTO calibration_sessions(title, badge_code, cpes, items, raters, created_by, "
      "created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
      PgParams()
          .Add(c.title)
          .Add(c.badge_code)
          .Add(json(c.cpes).dump())
          .Add(json(c.items).dump())
          .Add(json(c.raters).dump())
          .Add(c.created_by)
          .Add(FormatInstant(c.created_at)),
      "calibration session");
}

Result<Id> PgStore::AppendCalibrationEvent(const CalibrationEvent& e) {
  return InsertId(
      "INSERT INTO calibration_events(session_id, kind, actor, at, item, cpe, level, note) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
      PgParams()
          .Add(e.session_id)
          .Add(CalibrationEventKindName(e.kind))
          .Add(e.actor)
          .Add(FormatInstant(e.at))
          .Add(std::int64_t{e.item})
          .Add(e.cpe)
          .Add(e.level)
          .Add(e.note),
      "calibration event");
}

Result<std::vector<CalibrationRecord>> PgStore::LoadCalibrations() {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows sessions,
      Run("SELECT id, title, badge_code, cpes, items, raters, created_by, created_at "
          "FROM calibration_sessions ORDER BY id",
          {}, "reading calibration sessions"));
  std::vector<CalibrationRecord> out;
  std::unordered_map<Id, std::size_t> index;
  for (int i = 0; i < sessions.size(); ++i) {
    CalibrationRecord r;
    r.session.id = sessions.integer(i, 0);
    r.session.title = sessions.text(i, 1);
    r.session.badge_code = sessions.text(i, 2);
    r.session.cpes = StringList(sessions.text(i, 3));
    r.session.items = IdList(sessions.text(i, 4));
    r.session.raters = IdList(sessions.text(i, 5));
    r.session.created_by = sessions.integer(i, 6);
    r.session.created_at = PgInstant(sessions, i, 7);
    index[r.session.id] = out.size();
    out.push_back(std::move(r));
  }
  CAIRN_ASSIGN_OR_RETURN(PgRows events,
                         Run("SELECT id, session_id, kind, actor, at, item, cpe, level, note "
                             "FROM calibration_events ORDER BY id",
                             {}, "reading calibration events"));
  for (int i = 0; i < events.size(); ++i) {
    CalibrationEvent e = ReadCalibrationEvent(events, i);
    if (auto it = index.find(e.session_id); it != index.end()) {
      out[it->second].events.push_back(std::move(e));
    }
  }
  return out;
}

Result<std::optional<CalibrationRecord>> PgStore::LoadCalibration(Id id) {
  // Sessions are few (a handful per term); loading all keeps one code path.
  CAIRN_ASSIGN_OR_RETURN(std::vector<CalibrationRecord> all, LoadCalibrations());
  for (CalibrationRecord& r : all) {
    if (r.session.id == id) return std::optional<CalibrationRecord>(std::move(r));
  }
  return std::optional<CalibrationRecord>{};
}

}  // namespace cairn

namespace cairn {

Result<std::vector<std::pair<PortfolioEvent, Id>>> PgStore::PortfolioEventsAfter(Id after,
                                                                                 int limit) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows,
      Run("SELECT e.id, e.submission_id, e.version_id, e.kind, e.actor, e.at, e.message, e.data, "
          "s.student_id FROM portfolio_events e JOIN submissions s ON s.id = e.submission_id "
          "WHERE e.id > $1 ORDER BY e.id LIMIT $2",
          PgParams().Add(after).Add(static_cast<std::int64_t>(limit)), "reading portfolio events"));
  std::vector<std::pair<PortfolioEvent, Id>> out;
  for (int i = 0; i < rows.size(); ++i) out.emplace_back(ReadEvent(rows, i), rows.integer(i, 8));
  return out;
}

}  // namespace cairn
