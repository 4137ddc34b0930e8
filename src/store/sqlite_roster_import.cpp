// SqliteStore::ApplyRosterChanges: an import's checked changes
// (store/roster_change_set.h) as upserts keyed by sourced id, in one
// transaction. Internal ids are looked up once per sourced id and remembered
// for the rest of the import.
#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "store/sqlite_internal.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

using IdCache = std::unordered_map<std::string, Id>;

Status Missing(const std::string& what, const char* kind, const std::string& sourced_id) {
  return Status::NotFound(what + ": " + kind + " '" + sourced_id +
                          "' is neither in the import nor stored");
}

}  // namespace

Status SqliteStore::ApplyRosterChanges(const RosterChangeSet& changes) {
  IdCache districts, schools, courses, sections, people;

  // The internal id of `sourced_id` in one table, or kNotFound naming `what`.
  auto lookup = [&](const char* sql, IdCache& cache, const char* kind,
                    const std::string& sourced_id, const std::string& what) -> Result<Id> {
    if (auto it = cache.find(sourced_id); it != cache.end()) return it->second;
    Statement s = Prepare(sql);
    if (!s.valid()) return Error("preparing lookup of " + what);
    s.Bind(1, sourced_id);
    const int rc = s.Step();
    if (rc == SQLITE_DONE) return Missing(what, kind, sourced_id);
    if (rc != SQLITE_ROW) return Error("looking up " + what);
    const Id id = sqlite3_column_int64(s.get(), 0);
    cache.emplace(sourced_id, id);
    return id;
  };
  auto district_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM districts WHERE sourced_id = ?", districts, "district",
                  sourced_id, what);
  };
  auto school_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM schools WHERE sourced_id = ?", schools, "school", sourced_id,
                  what);
  };
  auto course_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM courses WHERE sourced_id = ?", courses, "course", sourced_id,
                  what);
  };
  auto section_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM sections WHERE sourced_id = ?", sections, "section", sourced_id,
                  what);
  };
  auto person_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM people WHERE sourced_id = ?", people, "person", sourced_id, what);
  };
  // Runs an upsert ending in RETURNING id and remembers the id.
  auto upsert = [&](Statement& s, IdCache& cache, const std::string& sourced_id,
                    const std::string& what) -> Status {
    if (!s.valid()) return Error("preparing " + what);
    if (s.Step() != SQLITE_ROW) return Error(what);
    cache[sourced_id] = sqlite3_column_int64(s.get(), 0);
    return Status::Ok();
  };
  auto step_done = [&](Statement& s, const std::string& what) -> Status {
    if (!s.valid()) return Error("preparing " + what);
    if (s.Step() != SQLITE_DONE) return Error(what);
    return Status::Ok();
  };

  return Transact([&]() -> Status {
    for (const auto& row : changes.districts) {
      const std::string what = "district '" + row.sourced_id + "'";
      Statement s = Prepare(
          "INSERT INTO districts(sourced_id, name) VALUES (?, ?) ON CONFLICT(sourced_id) "
          "DO UPDATE SET name = excluded.name RETURNING id");
      s.Bind(1, row.sourced_id).Bind(2, row.name);
      CAIRN_RETURN_IF_ERROR(upsert(s, districts, row.sourced_id, what));
    }
    for (const auto& row : changes.schools) {
      const std::string what = "school '" + row.sourced_id + "'";
      CAIRN_ASSIGN_OR_RETURN(Id district, district_id(row.district, what));
      Statement s = Prepare(
          "INSERT INTO schools(sourced_id, district_id, name) VALUES (?, ?, ?) "
          "ON CONFLICT(sourced_id) DO UPDATE SET district_id = excluded.district_id, "
          "name = excluded.name RETURNING id");
      s.Bind(1, row.sourced_id).Bind(2, district).Bind(3, row.name);
      CAIRN_RETURN_IF_ERROR(upsert(s, schools, row.sourced_id, what));
    }
    for (const auto& row : changes.courses) {
      const std::string what = "course '" + row.sourced_id + "'";
      CAIRN_ASSIGN_OR_RETURN(Id district, district_id(row.district, what));
      Statement s = Prepare(
          "INSERT INTO courses(sourced_id, district_id, title) VALUES (?, ?, ?) "
          "ON CONFLICT(sourced_id) DO UPDATE SET district_id = excluded.district_id, "
          "title = excluded.title RETURNING id");
      s.Bind(1, row.sourced_id).Bind(2, district).Bind(3, row.title);
      CAIRN_RETURN_IF_ERROR(upsert(s, courses, row.sourced_id, what));
    }
    for (const AcademicSession& row : changes.academic_sessions) {
      Statement s = Prepare(
          "INSERT INTO academic_sessions(sourced_id, title, type, start_date, end_date, "
          "parent_sourced_id, school_year) VALUES (?,?,?,?,?,?,?) ON CONFLICT(sourced_id) "
          "DO UPDATE SET title = excluded.title, type = excluded.type, "
          "start_date = excluded.start_date, end_date = excluded.end_date, "
          "parent_sourced_id = excluded.parent_sourced_id, school_year = excluded.school_year");
      s.Bind(1, row.sourced_id)
          .Bind(2, row.title)
          .Bind(3, row.type)
          .Bind(4, row.start_date)
          .Bind(5, row.end_date)
          .Bind(6, row.parent_sourced_id)
          .Bind(7, row.school_year);
      CAIRN_RETURN_IF_ERROR(step_done(s, "academic session '" + row.sourced_id + "'"));
    }
    for (const auto& row : changes.sections) {
      const std::string what = "section '" + row.sourced_id + "'";
      CAIRN_ASSIGN_OR_RETURN(Id school, school_id(row.school, what));
      CAIRN_ASSIGN_OR_RETURN(Id course, course_id(row.course, what));
      Statement s = Prepare(
          "INSERT INTO sections(sourced_id, school_id, course_id, title, term, term_sourced_id) "
          "VALUES (?,?,?,?,?,?) ON CONFLICT(sourced_id) DO UPDATE SET "
          "school_id = excluded.school_id, course_id = excluded.course_id, "
          "title = excluded.title, term = excluded.term, "
          "term_sourced_id = excluded.term_sourced_id RETURNING id");
      s.Bind(1, row.sourced_id)
          .Bind(2, school)
          .Bind(3, course)
          .Bind(4, row.title)
          .Bind(5, row.term)
          .Bind(6, row.term_sourced_id);
      CAIRN_RETURN_IF_ERROR(upsert(s, sections, row.sourced_id, what));
    }
    for (const auto& row : changes.people) {
      const std::string what = "person '" + row.sourced_id + "'";
      CAIRN_ASSIGN_OR_RETURN(Id district, district_id(row.district, what));
      std::optional<Id> school;
      if (!row.school.empty()) {
        CAIRN_ASSIGN_OR_RETURN(school, school_id(row.school, what));
      }
      const Demographics& d = row.demographics;
      Statement s = Prepare(
          "INSERT INTO people(sourced_id, role, given_name, family_name, email, district_id, "
          "school_id, grade, gender, race_ethnicity, english_learner, disability, "
          "economically_disadvantaged, active) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
          "ON CONFLICT(sourced_id) DO UPDATE SET role = excluded.role, "
          "given_name = excluded.given_name, family_name = excluded.family_name, "
          "email = excluded.email, district_id = excluded.district_id, "
          "school_id = excluded.school_id, grade = excluded.grade, gender = excluded.gender, "
          "race_ethnicity = excluded.race_ethnicity, english_learner = excluded.english_learner, "
          "disability = excluded.disability, "
          "economically_disadvantaged = excluded.economically_disadvantaged, "
          "active = excluded.active RETURNING id");
      s.Bind(1, row.sourced_id)
          .Bind(2, PersonRoleName(row.role))
          .Bind(3, row.given_name)
          .Bind(4, row.family_name)
          .Bind(5, row.email)
          .Bind(6, district)
          .BindOptional(7, school)
          .Bind(8, d.grade)
          .Bind(9, d.gender)
          .Bind(10, d.race_ethnicity)
          .BindOptional(11, d.english_learner)
          .BindOptional(12, d.disability)
          .BindOptional(13, d.economically_disadvantaged)
          .Bind(14, std::int64_t{row.active ? 1 : 0});
      CAIRN_RETURN_IF_ERROR(upsert(s, people, row.sourced_id, what));
    }
    for (const auto& row : changes.enrollments) {
      const std::string what = "enrollment '" + row.sourced_id + "'";
      CAIRN_ASSIGN_OR_RETURN(Id section, section_id(row.section, what));
      CAIRN_ASSIGN_OR_RETURN(Id person, person_id(row.person, what));
      // The SIS moved this enrollment to another class or user: the old row
      // ends and gives up the sourced id.
      Statement release = Prepare(
          "UPDATE enrollments SET sourced_id = NULL, active = 0 WHERE sourced_id = ? "
          "AND NOT (section_id = ? AND person_id = ?)");
      release.Bind(1, row.sourced_id).Bind(2, section).Bind(3, person);
      CAIRN_RETURN_IF_ERROR(step_done(release, what));
      Statement s = Prepare(
          "INSERT INTO enrollments(section_id, person_id, is_teacher, active, sourced_id) "
          "VALUES (?, ?, ?, 1, ?) ON CONFLICT(section_id, person_id) DO UPDATE SET "
          "is_teacher = excluded.is_teacher, active = 1, sourced_id = excluded.sourced_id");
      s.Bind(1, section).Bind(2, person).Bind(3, std::int64_t{row.teacher ? 1 : 0});
      if (row.sourced_id.empty()) {
        s.BindNull(4);
      } else {
        s.Bind(4, row.sourced_id);
      }
      CAIRN_RETURN_IF_ERROR(step_done(s, what));
    }
    for (const auto& row : changes.guardian_links) {
      const std::string what = "guardian link '" + row.guardian + "' -> '" + row.student + "'";
      CAIRN_ASSIGN_OR_RETURN(Id guardian, person_id(row.guardian, what));
      CAIRN_ASSIGN_OR_RETURN(Id student, person_id(row.student, what));
      Statement s = Prepare(
          "INSERT INTO guardian_links(guardian_id, student_id, relationship) VALUES (?, ?, ?) "
          "ON CONFLICT(guardian_id, student_id) DO UPDATE SET relationship = "
          "excluded.relationship");
      s.Bind(1, guardian).Bind(2, student).Bind(3, row.relationship);
      CAIRN_RETURN_IF_ERROR(step_done(s, what));
    }
    for (const std::string& sourced_id : changes.people_deactivated) {
      const std::string what = "deactivating person '" + sourced_id + "'";
      CAIRN_ASSIGN_OR_RETURN(Id person, person_id(sourced_id, what));
      Statement s = Prepare("UPDATE people SET active = 0 WHERE id = ?");
      s.Bind(1, person);
      CAIRN_RETURN_IF_ERROR(step_done(s, what));
    }
    for (const auto& key : changes.enrollments_deactivated) {
      const std::string what =
          "deactivating enrollment of '" + key.person + "' in '" + key.section + "'";
      CAIRN_ASSIGN_OR_RETURN(Id section, section_id(key.section, what));
      CAIRN_ASSIGN_OR_RETURN(Id person, person_id(key.person, what));
      Statement s =
          Prepare("UPDATE enrollments SET active = 0 WHERE section_id = ? AND person_id = ?");
      s.Bind(1, section).Bind(2, person);
      CAIRN_RETURN_IF_ERROR(step_done(s, what));
      if (sqlite3_changes(db_) == 0) return Status::NotFound(what + ": no such enrollment");
    }
    return Status::Ok();
  });
}

}  // namespace cairn
