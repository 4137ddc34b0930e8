// Course default badges, curriculum resources and assessment items in SQLite
// (the tables come from migration 12; store/alignment_store.h has the
// contract). Plain SQL, the same statements as pg_alignment.cpp.
#include <sqlite3.h>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "store/json_columns.h"
#include "store/sqlite_internal.h"

namespace cairn {
namespace {

std::optional<std::int64_t> OptionalInt(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt, column);
}

Instant InstantAt(sqlite3_stmt* stmt, int column) {
  auto at = ParseInstant(Text(stmt, column));
  return at.ok() ? *at : 0;
}

std::optional<Instant> OptionalInstantAt(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  return InstantAt(stmt, column);
}

#define CAIRN_RESOURCE_SELECT                                                                    \
  "SELECT r.id, r.district_id, r.cpe_id, r.indicator_id, r.title, r.url, r.provider, r.kind, "   \
  "r.note, r.added_by, r.added_at, x.retired_at, x.retired_by FROM curriculum_resources r LEFT " \
  "JOIN curriculum_resource_retirements x ON x.resource_id = r.id "

CurriculumResource ReadResource(sqlite3_stmt* stmt) {
  CurriculumResource r;
  r.id = sqlite3_column_int64(stmt, 0);
  r.district_id = sqlite3_column_int64(stmt, 1);
  r.cpe_id = Text(stmt, 2);
  r.indicator_id = Text(stmt, 3);
  r.title = Text(stmt, 4);
  r.url = Text(stmt, 5);
  r.provider = Text(stmt, 6);
  r.kind = Text(stmt, 7);
  r.note = Text(stmt, 8);
  r.added_by = sqlite3_column_int64(stmt, 9);
  r.added_at = InstantAt(stmt, 10);
  r.retired_at = OptionalInstantAt(stmt, 11);
  r.retired_by = OptionalInt(stmt, 12);
  return r;
}

#define CAIRN_ITEM_SELECT                                                                  \
  "SELECT i.id, i.district_id, i.badge_code, i.item_key, i.title, i.target, i.standards, " \
  "i.cpe_id, i.indicator_id, i.added_by, i.added_at, x.retired_at, x.retired_by FROM "     \
  "assessment_items i LEFT JOIN assessment_item_retirements x ON x.item_id = i.id "

AssessmentItem ReadItem(sqlite3_stmt* stmt) {
  AssessmentItem i;
  i.id = sqlite3_column_int64(stmt, 0);
  i.district_id = sqlite3_column_int64(stmt, 1);
  i.badge_code = Text(stmt, 2);
  i.item_key = Text(stmt, 3);
  i.title = Text(stmt, 4);
  i.target = Text(stmt, 5);
  i.standards = json_columns::StringList(Text(stmt, 6));
  i.cpe_id = Text(stmt, 7);
  i.indicator_id = Text(stmt, 8);
  i.added_by = sqlite3_column_int64(stmt, 9);
  i.added_at = InstantAt(stmt, 10);
  i.retired_at = OptionalInstantAt(stmt, 11);
  i.retired_by = OptionalInt(stmt, 12);
  return i;
}

}  // namespace

Status SqliteStore::SetCourseBadges(Id course, const std::vector<std::string>& badges) {
  return Transact([&]() -> Status {
    Statement exists = Prepare("SELECT 1 FROM courses WHERE id = ?");
    exists.Bind(1, course);
    if (!exists.valid()) return Error("reading course");
    if (exists.Step() != SQLITE_ROW) return Status::NotFound("no course " + std::to_string(course));
    Statement clear = Prepare("DELETE FROM course_badges WHERE course_id = ?");
    clear.Bind(1, course);
    if (!clear.valid() || clear.Step() != SQLITE_DONE) return Error("saving course badges");
    for (const std::string& code : badges) {
      Statement add =
          Prepare("INSERT OR IGNORE INTO course_badges(course_id, badge_code) VALUES (?, ?)");
      add.Bind(1, course).Bind(2, code);
      if (!add.valid() || add.Step() != SQLITE_DONE) return Error("saving course badges");
    }
    return Status::Ok();
  });
}

Result<std::vector<std::string>> SqliteStore::CourseBadges(Id course) {
  {
    Statement exists = Prepare("SELECT 1 FROM courses WHERE id = ?");
    exists.Bind(1, course);
    if (!exists.valid()) return Error("reading course");
    if (exists.Step() != SQLITE_ROW) return Status::NotFound("no course " + std::to_string(course));
  }
  Statement s = Prepare("SELECT badge_code FROM course_badges WHERE course_id = ? ORDER BY rowid");
  s.Bind(1, course);
  if (!s.valid()) return Error("reading course badges");
  std::vector<std::string> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(Text(s.get(), 0));
  if (rc != SQLITE_DONE) return Error("reading course badges");
  return out;
}

Status SqliteStore::AddCourseBadgesToSections(const std::vector<std::string>& sections) {
  if (sections.empty()) return Status::Ok();
  // Two statements whatever the number of sections: an import may add
  // thousands of classes (the OneRoster import counts its statements).
  const std::string names = nlohmann::json(sections).dump();
  return Transact([&]() -> Status {
    {
      Statement missing = Prepare(
          "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT sourced_id FROM sections) "
          "LIMIT 1");
      missing.Bind(1, names);
      const int rc = missing.valid() ? missing.Step() : SQLITE_ERROR;
      if (rc == SQLITE_ROW) return Status::NotFound("no section '" + Text(missing.get(), 0) + "'");
      if (rc != SQLITE_DONE) return Error("reading sections");
    }
    Statement add = Prepare(
        "INSERT OR IGNORE INTO section_badges(section_id, badge_code) SELECT s.id, c.badge_code "
        "FROM sections s JOIN course_badges c ON c.course_id = s.course_id WHERE s.sourced_id IN "
        "(SELECT value FROM json_each(?)) ORDER BY s.id, c.rowid");
    add.Bind(1, names);
    if (!add.valid() || add.Step() != SQLITE_DONE) return Error("course badges of new sections");
    return Status::Ok();
  });
}

Result<Id> SqliteStore::InsertCurriculumResource(const CurriculumResource& resource) {
  Statement s = Prepare(
      "INSERT INTO curriculum_resources(district_id, cpe_id, indicator_id, title, url, provider, "
      "kind, note, added_by, added_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
  s.Bind(1, resource.district_id)
      .Bind(2, resource.cpe_id)
      .Bind(3, resource.indicator_id)
      .Bind(4, resource.title)
      .Bind(5, resource.url)
      .Bind(6, resource.provider)
      .Bind(7, resource.kind)
      .Bind(8, resource.note)
      .Bind(9, resource.added_by)
      .Bind(10, FormatInstant(resource.added_at));
  return InsertAndGetId(s, "resource '" + resource.title + "'");
}

Status SqliteStore::RetireCurriculumResource(Id resource, Id by, Instant at) {
  return Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(std::optional<CurriculumResource> found,
                           FindCurriculumResource(resource));
    if (!found || found->retired_at) {
      return Status::NotFound("no current resource " + std::to_string(resource));
    }
    Statement s = Prepare(
        "INSERT INTO curriculum_resource_retirements(resource_id, retired_by, retired_at) "
        "VALUES (?,?,?)");
    s.Bind(1, resource).Bind(2, by).Bind(3, FormatInstant(at));
    return InsertAndGetId(s, "removing resource " + std::to_string(resource)).status();
  });
}

Result<std::optional<CurriculumResource>> SqliteStore::FindCurriculumResource(Id resource) {
  Statement s = Prepare(CAIRN_RESOURCE_SELECT "WHERE r.id = ?");
  s.Bind(1, resource);
  const int rc = s.valid() ? s.Step() : SQLITE_ERROR;
  if (rc == SQLITE_DONE) return std::optional<CurriculumResource>{};
  if (rc != SQLITE_ROW) return Error("reading resource");
  return std::optional<CurriculumResource>(ReadResource(s.get()));
}

Result<std::vector<CurriculumResource>> SqliteStore::CurriculumResources(
    const std::vector<std::string>& cpes) {
  // A district keeps hundreds, not millions: one read, filtered here.
  const std::set<std::string> wanted(cpes.begin(), cpes.end());
  Statement s = Prepare(CAIRN_RESOURCE_SELECT "WHERE x.id IS NULL ORDER BY r.id");
  if (!s.valid()) return Error("reading resources");
  std::vector<CurriculumResource> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    CurriculumResource r = ReadResource(s.get());
    if (wanted.empty() || wanted.count(r.cpe_id)) out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return Error("reading resources");
  return out;
}

Result<std::vector<Id>> SqliteStore::InsertAssessmentItems(
    const std::vector<AssessmentItem>& items) {
  std::vector<Id> ids;
  Status status = Transact([&]() -> Status {
    for (const AssessmentItem& item : items) {
      {
        Statement taken = Prepare(
            "SELECT 1 FROM assessment_items i WHERE i.district_id = ? AND i.badge_code = ? AND "
            "i.item_key = ? AND NOT EXISTS (SELECT 1 FROM assessment_item_retirements x WHERE "
            "x.item_id = i.id)");
        taken.Bind(1, item.district_id).Bind(2, item.badge_code).Bind(3, item.item_key);
        if (!taken.valid()) return Error("reading items");
        if (taken.Step() == SQLITE_ROW) {
          return Status::Exists("badge " + item.badge_code + " already has an item '" +
                                item.item_key + "'");
        }
      }
      Statement s = Prepare(
          "INSERT INTO assessment_items(district_id, badge_code, item_key, title, target, "
          "standards, cpe_id, indicator_id, added_by, added_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
      s.Bind(1, item.district_id)
          .Bind(2, item.badge_code)
          .Bind(3, item.item_key)
          .Bind(4, item.title)
          .Bind(5, item.target)
          .Bind(6, nlohmann::json(item.standards).dump())
          .Bind(7, item.cpe_id)
          .Bind(8, item.indicator_id)
          .Bind(9, item.added_by)
          .Bind(10, FormatInstant(item.added_at));
      CAIRN_ASSIGN_OR_RETURN(Id id, InsertAndGetId(s, "item '" + item.item_key + "'"));
      ids.push_back(id);
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return ids;
}

Status SqliteStore::RetireAssessmentItem(Id item, Id by, Instant at) {
  return Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(std::optional<AssessmentItem> found, FindAssessmentItem(item));
    if (!found || found->retired_at) {
      return Status::NotFound("no current assessment item " + std::to_string(item));
    }
    Statement s = Prepare(
        "INSERT INTO assessment_item_retirements(item_id, retired_by, retired_at) VALUES (?,?,?)");
    s.Bind(1, item).Bind(2, by).Bind(3, FormatInstant(at));
    return InsertAndGetId(s, "removing assessment item " + std::to_string(item)).status();
  });
}

Result<std::optional<AssessmentItem>> SqliteStore::FindAssessmentItem(Id item) {
  Statement s = Prepare(CAIRN_ITEM_SELECT "WHERE i.id = ?");
  s.Bind(1, item);
  const int rc = s.valid() ? s.Step() : SQLITE_ERROR;
  if (rc == SQLITE_DONE) return std::optional<AssessmentItem>{};
  if (rc != SQLITE_ROW) return Error("reading assessment item");
  return std::optional<AssessmentItem>(ReadItem(s.get()));
}

Result<std::vector<AssessmentItem>> SqliteStore::AssessmentItems(std::string_view badge) {
  Statement s = Prepare(CAIRN_ITEM_SELECT
                        "WHERE x.id IS NULL AND (? = '' OR i.badge_code = ?) ORDER BY i.id");
  s.Bind(1, badge).Bind(2, badge);
  if (!s.valid()) return Error("reading assessment items");
  std::vector<AssessmentItem> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadItem(s.get()));
  if (rc != SQLITE_DONE) return Error("reading assessment items");
  return out;
}

}  // namespace cairn
