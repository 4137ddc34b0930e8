// Course default badges, curriculum resources and assessment items in
// PostgreSQL (the tables come from migration 12; store/alignment_store.h has
// the contract), with the SQLite engine's statements (sqlite_alignment.cpp).
#include <set>

#include <nlohmann/json.hpp>

#include "store/json_columns.h"
#include "store/pg_internal.h"

namespace cairn {
namespace {

#define CAIRN_PG_RESOURCE_SELECT                                                                 \
  "SELECT r.id, r.district_id, r.cpe_id, r.indicator_id, r.title, r.url, r.provider, r.kind, "   \
  "r.note, r.added_by, r.added_at, x.retired_at, x.retired_by FROM curriculum_resources r LEFT " \
  "JOIN curriculum_resource_retirements x ON x.resource_id = r.id "

CurriculumResource ReadResource(const PgRows& rows, int row) {
  CurriculumResource r;
  r.id = rows.integer(row, 0);
  r.district_id = rows.integer(row, 1);
  r.cpe_id = rows.text(row, 2);
  r.indicator_id = rows.text(row, 3);
  r.title = rows.text(row, 4);
  r.url = rows.text(row, 5);
  r.provider = rows.text(row, 6);
  r.kind = rows.text(row, 7);
  r.note = rows.text(row, 8);
  r.added_by = rows.integer(row, 9);
  r.added_at = PgInstant(rows, row, 10);
  r.retired_at = PgOptionalInstant(rows, row, 11);
  r.retired_by = rows.optional_integer(row, 12);
  return r;
}

#define CAIRN_PG_ITEM_SELECT                                                               \
  "SELECT i.id, i.district_id, i.badge_code, i.item_key, i.title, i.target, i.standards, " \
  "i.cpe_id, i.indicator_id, i.added_by, i.added_at, x.retired_at, x.retired_by FROM "     \
  "assessment_items i LEFT JOIN assessment_item_retirements x ON x.item_id = i.id "

AssessmentItem ReadItem(const PgRows& rows, int row) {
  AssessmentItem i;
  i.id = rows.integer(row, 0);
  i.district_id = rows.integer(row, 1);
  i.badge_code = rows.text(row, 2);
  i.item_key = rows.text(row, 3);
  i.title = rows.text(row, 4);
  i.target = rows.text(row, 5);
  i.standards = json_columns::StringList(rows.text(row, 6));
  i.cpe_id = rows.text(row, 7);
  i.indicator_id = rows.text(row, 8);
  i.added_by = rows.integer(row, 9);
  i.added_at = PgInstant(rows, row, 10);
  i.retired_at = PgOptionalInstant(rows, row, 11);
  i.retired_by = rows.optional_integer(row, 12);
  return i;
}

}  // namespace

Status PgStore::SetCourseBadges(Id course, const std::vector<std::string>& badges) {
  return Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(PgRows exists, Run("SELECT 1 FROM courses WHERE id = $1",
                                              PgParams().Add(course), "reading course"));
    if (exists.empty()) return Status::NotFound("no course " + std::to_string(course));
    CAIRN_RETURN_IF_ERROR(Run("DELETE FROM course_badges WHERE course_id = $1",
                              PgParams().Add(course), "saving course badges")
                              .status());
    std::vector<std::optional<std::string>> codes(badges.begin(), badges.end());
    return Run("INSERT INTO course_badges(course_id, badge_code) "
               "SELECT $1, code FROM unnest($2::text[]) WITH ORDINALITY AS b(code, n) ORDER BY n "
               "ON CONFLICT DO NOTHING",
               PgParams().Add(course).Add(PgArray(codes)), "saving course badges")
        .status();
  });
}

Result<std::vector<std::string>> PgStore::CourseBadges(Id course) {
  CAIRN_ASSIGN_OR_RETURN(PgRows exists, Run("SELECT 1 FROM courses WHERE id = $1",
                                            PgParams().Add(course), "reading course"));
  if (exists.empty()) return Status::NotFound("no course " + std::to_string(course));
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows, Run("SELECT badge_code FROM course_badges WHERE course_id = $1 ORDER BY id",
                       PgParams().Add(course), "reading course badges"));
  std::vector<std::string> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows.text(i, 0));
  return out;
}

Status PgStore::AddCourseBadgesToSections(const std::vector<std::string>& sections) {
  if (sections.empty()) return Status::Ok();
  // Two statements whatever the number of sections (an import may add
  // thousands of classes).
  const std::string names =
      PgArray(std::vector<std::optional<std::string>>(sections.begin(), sections.end()));
  return Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(
        PgRows missing,
        Run("SELECT x FROM unnest($1::text[]) AS x WHERE x NOT IN (SELECT sourced_id FROM "
            "sections) LIMIT 1",
            PgParams().Add(names), "reading sections"));
    if (!missing.empty()) return Status::NotFound("no section '" + missing.text(0, 0) + "'");
    return Run("INSERT INTO section_badges(section_id, badge_code) SELECT s.id, c.badge_code "
               "FROM sections s JOIN course_badges c ON c.course_id = s.course_id WHERE "
               "s.sourced_id = ANY($1::text[]) ORDER BY s.id, c.id ON CONFLICT DO NOTHING",
               PgParams().Add(names), "course badges of new sections")
        .status();
  });
}

Result<Id> PgStore::InsertCurriculumResource(const CurriculumResource& resource) {
  return InsertId(
      "INSERT INTO curriculum_resources(district_id, cpe_id, indicator_id, title, url, provider, "
      "kind, note, added_by, added_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
      PgParams()
          .Add(resource.district_id)
          .Add(resource.cpe_id)
          .Add(resource.indicator_id)
          .Add(resource.title)
          .Add(resource.url)
          .Add(resource.provider)
          .Add(resource.kind)
          .Add(resource.note)
          .Add(resource.added_by)
          .Add(FormatInstant(resource.added_at)),
      "resource '" + resource.title + "'");
}

Status PgStore::RetireCurriculumResource(Id resource, Id by, Instant at) {
  return Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(std::optional<CurriculumResource> found,
                           FindCurriculumResource(resource));
    if (!found || found->retired_at) {
      return Status::NotFound("no current resource " + std::to_string(resource));
    }
    return InsertId(
               "INSERT INTO curriculum_resource_retirements(resource_id, retired_by, retired_at) "
               "VALUES ($1,$2,$3) RETURNING id",
               PgParams().Add(resource).Add(by).Add(FormatInstant(at)),
               "removing resource " + std::to_string(resource))
        .status();
  });
}

Result<std::optional<CurriculumResource>> PgStore::FindCurriculumResource(Id resource) {
  CAIRN_ASSIGN_OR_RETURN(PgRows rows, Run(CAIRN_PG_RESOURCE_SELECT "WHERE r.id = $1",
                                          PgParams().Add(resource), "reading resource"));
  if (rows.empty()) return std::optional<CurriculumResource>{};
  return std::optional<CurriculumResource>(ReadResource(rows, 0));
}

Result<std::vector<CurriculumResource>> PgStore::CurriculumResources(
    const std::vector<std::string>& cpes) {
  const std::set<std::string> wanted(cpes.begin(), cpes.end());
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows, Run(CAIRN_PG_RESOURCE_SELECT "WHERE x.id IS NULL ORDER BY r.id", PgParams(),
                       "reading resources"));
  std::vector<CurriculumResource> out;
  for (int i = 0; i < rows.size(); ++i) {
    CurriculumResource r = ReadResource(rows, i);
    if (wanted.empty() || wanted.count(r.cpe_id)) out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Id>> PgStore::InsertAssessmentItems(const std::vector<AssessmentItem>& items) {
  std::vector<Id> ids;
  Status status = Transact([&]() -> Status {
    for (const AssessmentItem& item : items) {
      CAIRN_ASSIGN_OR_RETURN(
          PgRows taken,
          Run("SELECT 1 FROM assessment_items i WHERE i.district_id = $1 AND i.badge_code = $2 "
              "AND i.item_key = $3 AND NOT EXISTS (SELECT 1 FROM assessment_item_retirements x "
              "WHERE x.item_id = i.id)",
              PgParams().Add(item.district_id).Add(item.badge_code).Add(item.item_key),
              "reading items"));
      if (!taken.empty()) {
        return Status::Exists("badge " + item.badge_code + " already has an item '" +
                              item.item_key + "'");
      }
      CAIRN_ASSIGN_OR_RETURN(
          Id id, InsertId("INSERT INTO assessment_items(district_id, badge_code, item_key, title, "
                          "target, standards, cpe_id, indicator_id, added_by, added_at) "
                          "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
                          PgParams()
                              .Add(item.district_id)
                              .Add(item.badge_code)
                              .Add(item.item_key)
                              .Add(item.title)
                              .Add(item.target)
                              .Add(nlohmann::json(item.standards).dump())
                              .Add(item.cpe_id)
                              .Add(item.indicator_id)
                              .Add(item.added_by)
                              .Add(FormatInstant(item.added_at)),
                          "item '" + item.item_key + "'"));
      ids.push_back(id);
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return ids;
}

Status PgStore::RetireAssessmentItem(Id item, Id by, Instant at) {
  return Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(std::optional<AssessmentItem> found, FindAssessmentItem(item));
    if (!found || found->retired_at) {
      return Status::NotFound("no current assessment item " + std::to_string(item));
    }
    return InsertId(
               "INSERT INTO assessment_item_retirements(item_id, retired_by, retired_at) "
               "VALUES ($1,$2,$3) RETURNING id",
               PgParams().Add(item).Add(by).Add(FormatInstant(at)),
               "removing assessment item " + std::to_string(item))
        .status();
  });
}

Result<std::optional<AssessmentItem>> PgStore::FindAssessmentItem(Id item) {
  CAIRN_ASSIGN_OR_RETURN(PgRows rows, Run(CAIRN_PG_ITEM_SELECT "WHERE i.id = $1",
                                          PgParams().Add(item), "reading assessment item"));
  if (rows.empty()) return std::optional<AssessmentItem>{};
  return std::optional<AssessmentItem>(ReadItem(rows, 0));
}

Result<std::vector<AssessmentItem>> PgStore::AssessmentItems(std::string_view badge) {
  CAIRN_ASSIGN_OR_RETURN(
      PgRows rows,
      Run(CAIRN_PG_ITEM_SELECT "WHERE x.id IS NULL AND ($1::text = '' OR i.badge_code = $1) "
                               "ORDER BY i.id",
          PgParams().Add(badge), "reading assessment items"));
  std::vector<AssessmentItem> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(ReadItem(rows, i));
  return out;
}

}  // namespace cairn
