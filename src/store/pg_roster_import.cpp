// PgStore::ApplyRosterChanges: an import's checked changes
// (store/roster_change_set.h) as upserts keyed by sourced id, in one
// transaction (a savepoint inside Transact). Internal ids are looked up once
// per sourced id and remembered for the rest of the import; past
// kRowsPerStatement rows, the first miss in a table loads all its ids.
//
// Sections, people, enrollments, guardian links and deactivations go
// kRowsPerStatement rows per statement: each column travels as one array
// parameter and the statement reads the rows back with unnest(), so a batch
// is one prepared statement with a fixed number of parameters whatever its
// size (the SQLite engine's multi-row VALUES needs one text per size).
#include <string>
#include <unordered_map>

#include "store/pg_internal.h"

namespace cairn {
namespace {

using IdCache = std::unordered_map<std::string, Id>;
using Texts = std::vector<std::optional<std::string>>;

constexpr std::size_t kRowsPerStatement = 1000;

Status Missing(const std::string& what, const char* kind, const std::string& sourced_id) {
  return Status::NotFound(what + ": " + kind + " '" + sourced_id +
                          "' is neither in the import nor stored");
}

// Calls `batch(first, count)` over [0, total) in runs of kRowsPerStatement.
template <typename Fn>
Status ForBatches(std::size_t total, Fn batch) {
  for (std::size_t first = 0; first < total; first += kRowsPerStatement) {
    CAIRN_RETURN_IF_ERROR(batch(first, std::min(kRowsPerStatement, total - first)));
  }
  return Status::Ok();
}

std::string Batch(const std::string& first, std::size_t n) {
  return first + (n > 1 ? " and the next " + std::to_string(n - 1) : "");
}

std::optional<std::string> Text(std::string value) {
  return std::optional<std::string>(std::move(value));
}
std::optional<std::string> Bool(bool value) { return std::string(value ? "t" : "f"); }
std::optional<std::string> Bool(std::optional<bool> value) {
  if (!value) return std::nullopt;
  return Bool(*value);
}
std::optional<std::string> Number(std::optional<Id> value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}

}  // namespace

Status PgStore::ApplyRosterChanges(const RosterChangeSet& changes) {
  IdCache districts, schools, courses, sections, people;
  RosterChangeSet::EnrollmentStream* stream = changes.enrollment_stream;
  const std::size_t change_rows = changes.sections.size() + changes.people.size() +
                                  changes.enrollments.size() + changes.guardian_links.size() +
                                  changes.people_deactivated.size() +
                                  changes.enrollments_deactivated.size() +
                                  (stream ? kRowsPerStatement + 1 : 0);  // a stream is large
  std::unordered_map<const IdCache*, bool> loaded;
  auto lookup = [&](const char* one_sql, const char* all_sql, IdCache& cache, const char* kind,
                    const std::string& sourced_id, const std::string& what) -> Result<Id> {
    if (auto it = cache.find(sourced_id); it != cache.end()) return it->second;
    if (change_rows > kRowsPerStatement && !loaded[&cache]) {
      loaded[&cache] = true;
      CAIRN_ASSIGN_OR_RETURN(PgRows all, Run(all_sql, {}, "reading the ids of a roster table"));
      for (int i = 0; i < all.size(); ++i) cache.emplace(all.text(i, 0), all.integer(i, 1));
      if (auto it = cache.find(sourced_id); it != cache.end()) return it->second;
      return Missing(what, kind, sourced_id);
    }
    CAIRN_ASSIGN_OR_RETURN(PgRows one,
                           Run(one_sql, PgParams().Add(sourced_id), "looking up " + what));
    if (one.empty()) return Missing(what, kind, sourced_id);
    cache.emplace(sourced_id, one.integer(0, 0));
    return one.integer(0, 0);
  };
  auto district_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM districts WHERE sourced_id = $1",
                  "SELECT sourced_id, id FROM districts", districts, "district", sourced_id, what);
  };
  auto school_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM schools WHERE sourced_id = $1",
                  "SELECT sourced_id, id FROM schools", schools, "school", sourced_id, what);
  };
  auto course_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM courses WHERE sourced_id = $1",
                  "SELECT sourced_id, id FROM courses", courses, "course", sourced_id, what);
  };
  auto section_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM sections WHERE sourced_id = $1",
                  "SELECT sourced_id, id FROM sections", sections, "section", sourced_id, what);
  };
  auto person_id = [&](const std::string& sourced_id, const std::string& what) {
    return lookup("SELECT id FROM people WHERE sourced_id = $1",
                  "SELECT sourced_id, id FROM people", people, "person", sourced_id, what);
  };
  // Runs an upsert returning (sourced_id, id) for each of `rows` rows and
  // remembers every id.
  auto upsert_rows = [&](const char* sql, const PgParams& params, IdCache& cache, std::size_t rows,
                         const std::string& what) -> Status {
    CAIRN_ASSIGN_OR_RETURN(PgRows r, Run(sql, params, what));
    for (int i = 0; i < r.size(); ++i) cache[r.text(i, 0)] = r.integer(i, 1);
    if (static_cast<std::size_t>(r.size()) != rows) {
      return Status::Internal(what + ": " + std::to_string(r.size()) + " of " +
                              std::to_string(rows) + " rows written");
    }
    return Status::Ok();
  };

  auto write_enrollments = [&](const std::vector<RosterChangeSet::EnrollmentRow>& rows) {
    return ForBatches(rows.size(), [&](std::size_t first, std::size_t n) -> Status {
      const std::string what = Batch("enrollment '" + rows[first].sourced_id + "'", n);
      Texts sourced, section, person, teacher;
      for (std::size_t i = 0; i < n; ++i) {
        const auto& row = rows[first + i];
        const std::string row_what = "enrollment '" + row.sourced_id + "'";
        CAIRN_ASSIGN_OR_RETURN(Id s, section_id(row.section, row_what));
        CAIRN_ASSIGN_OR_RETURN(Id p, person_id(row.person, row_what));
        sourced.push_back(row.sourced_id.empty() ? std::nullopt : Text(row.sourced_id));
        section.push_back(std::to_string(s));
        person.push_back(std::to_string(p));
        teacher.push_back(Bool(row.teacher));
      }
      // The SIS moved one of these enrollments to another class or user:
      // the old row ends and gives up the sourced id (before the insert,
      // which gives it to the new row).
      Result<PgRows> released =
          Run("UPDATE enrollments AS e SET sourced_id = NULL, active = FALSE "
              "FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS v(sourced_id, "
              "section_id, person_id) WHERE e.sourced_id = v.sourced_id "
              "AND NOT (e.section_id = v.section_id AND e.person_id = v.person_id)",
              PgParams().Add(PgArray(sourced)).Add(PgArray(section)).Add(PgArray(person)), what);
      if (!released.ok()) return released.status();
      return Run("INSERT INTO enrollments(section_id, person_id, is_teacher, active, "
                 "sourced_id) SELECT s, p, t, TRUE, sid FROM unnest($1::bigint[], "
                 "$2::bigint[], $3::boolean[], $4::text[]) AS v(s, p, t, sid) "
                 "ON CONFLICT(section_id, person_id) DO UPDATE SET "
                 "is_teacher = excluded.is_teacher, active = TRUE, "
                 "sourced_id = excluded.sourced_id",
                 PgParams()
                     .Add(PgArray(section))
                     .Add(PgArray(person))
                     .Add(PgArray(teacher))
                     .Add(PgArray(sourced)),
                 what)
          .status();
    });
  };
  auto deactivate_enrollments = [&](const std::vector<RosterChangeSet::EnrollmentKey>& keys) {
    return ForBatches(keys.size(), [&](std::size_t first, std::size_t n) -> Status {
      auto what = [&](std::size_t i) {
        const auto& key = keys[first + i];
        return "deactivating enrollment of '" + key.person + "' in '" + key.section + "'";
      };
      std::vector<std::int64_t> section, person;
      for (std::size_t i = 0; i < n; ++i) {
        const auto& key = keys[first + i];
        CAIRN_ASSIGN_OR_RETURN(Id s, section_id(key.section, what(i)));
        CAIRN_ASSIGN_OR_RETURN(Id p, person_id(key.person, what(i)));
        section.push_back(s);
        person.push_back(p);
      }
      CAIRN_ASSIGN_OR_RETURN(
          PgRows done,
          Run("UPDATE enrollments AS e SET active = FALSE FROM unnest($1::bigint[], "
              "$2::bigint[]) AS v(s, p) WHERE e.section_id = v.s AND e.person_id = v.p",
              PgParams().Add(PgArray(section)).Add(PgArray(person)), what(0)));
      if (static_cast<std::size_t>(done.affected()) == n) return Status::Ok();
      // One of them is not there: name it (the transaction undoes the rest).
      for (std::size_t i = 0; i < n; ++i) {
        CAIRN_ASSIGN_OR_RETURN(
            PgRows found, Run("SELECT 1 FROM enrollments WHERE section_id = $1 AND person_id = $2",
                              PgParams().Add(section[i]).Add(person[i]), what(i)));
        if (found.empty()) return Status::NotFound(what(i) + ": no such enrollment");
      }
      return Status::Internal(what(0) + ": fewer enrollments changed than named");
    });
  };

  return Transact([&]() -> Status {
    for (const auto& row : changes.districts) {
      const std::string what = "district '" + row.sourced_id + "'";
      CAIRN_RETURN_IF_ERROR(upsert_rows(
          "INSERT INTO districts(sourced_id, name) VALUES ($1, $2) ON CONFLICT(sourced_id) "
          "DO UPDATE SET name = excluded.name RETURNING sourced_id, id",
          PgParams().Add(row.sourced_id).Add(row.name), districts, 1, what));
    }
    for (const auto& row : changes.schools) {
      const std::string what = "school '" + row.sourced_id + "'";
      CAIRN_ASSIGN_OR_RETURN(Id district, district_id(row.district, what));
      CAIRN_RETURN_IF_ERROR(upsert_rows(
          "INSERT INTO schools(sourced_id, district_id, name) VALUES ($1, $2, $3) "
          "ON CONFLICT(sourced_id) DO UPDATE SET district_id = excluded.district_id, "
          "name = excluded.name RETURNING sourced_id, id",
          PgParams().Add(row.sourced_id).Add(district).Add(row.name), schools, 1, what));
    }
    for (const auto& row : changes.courses) {
      const std::string what = "course '" + row.sourced_id + "'";
      CAIRN_ASSIGN_OR_RETURN(Id district, district_id(row.district, what));
      CAIRN_RETURN_IF_ERROR(upsert_rows(
          "INSERT INTO courses(sourced_id, district_id, title) VALUES ($1, $2, $3) "
          "ON CONFLICT(sourced_id) DO UPDATE SET district_id = excluded.district_id, "
          "title = excluded.title RETURNING sourced_id, id",
          PgParams().Add(row.sourced_id).Add(district).Add(row.title), courses, 1, what));
    }
    for (const AcademicSession& row : changes.academic_sessions) {
      CAIRN_RETURN_IF_ERROR(
          Run("INSERT INTO academic_sessions(sourced_id, title, type, start_date, end_date, "
              "parent_sourced_id, school_year) VALUES ($1,$2,$3,$4,$5,$6,$7) "
              "ON CONFLICT(sourced_id) DO UPDATE SET title = excluded.title, "
              "type = excluded.type, start_date = excluded.start_date, "
              "end_date = excluded.end_date, parent_sourced_id = excluded.parent_sourced_id, "
              "school_year = excluded.school_year",
              PgParams()
                  .Add(row.sourced_id)
                  .Add(row.title)
                  .Add(row.type)
                  .Add(row.start_date)
                  .Add(row.end_date)
                  .Add(row.parent_sourced_id)
                  .Add(row.school_year),
              "academic session '" + row.sourced_id + "'")
              .status());
    }
    CAIRN_RETURN_IF_ERROR(
        ForBatches(changes.sections.size(), [&](std::size_t first, std::size_t n) -> Status {
          std::vector<Texts> columns(6);
          for (std::size_t i = 0; i < n; ++i) {
            const auto& row = changes.sections[first + i];
            const std::string what = "section '" + row.sourced_id + "'";
            CAIRN_ASSIGN_OR_RETURN(Id school, school_id(row.school, what));
            CAIRN_ASSIGN_OR_RETURN(Id course, course_id(row.course, what));
            columns[0].push_back(row.sourced_id);
            columns[1].push_back(std::to_string(school));
            columns[2].push_back(std::to_string(course));
            columns[3].push_back(row.title);
            columns[4].push_back(row.term);
            columns[5].push_back(row.term_sourced_id);
          }
          PgParams params;
          for (const Texts& column : columns) params.Add(PgArray(column));
          return upsert_rows(
              "INSERT INTO sections(sourced_id, school_id, course_id, title, term, "
              "term_sourced_id) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], "
              "$4::text[], $5::text[], $6::text[]) "
              "ON CONFLICT(sourced_id) DO UPDATE SET school_id = excluded.school_id, "
              "course_id = excluded.course_id, title = excluded.title, term = excluded.term, "
              "term_sourced_id = excluded.term_sourced_id RETURNING sourced_id, id",
              params, sections, n,
              Batch("section '" + changes.sections[first].sourced_id + "'", n));
        }));
    CAIRN_RETURN_IF_ERROR(
        ForBatches(changes.people.size(), [&](std::size_t first, std::size_t n) -> Status {
          std::vector<Texts> columns(14);
          for (std::size_t i = 0; i < n; ++i) {
            const auto& row = changes.people[first + i];
            const std::string what = "person '" + row.sourced_id + "'";
            CAIRN_ASSIGN_OR_RETURN(Id district, district_id(row.district, what));
            std::optional<Id> school;
            if (!row.school.empty()) {
              CAIRN_ASSIGN_OR_RETURN(school, school_id(row.school, what));
            }
            const Demographics& d = row.demographics;
            columns[0].push_back(row.sourced_id);
            columns[1].push_back(Text(std::string(PersonRoleName(row.role))));
            columns[2].push_back(row.given_name);
            columns[3].push_back(row.family_name);
            columns[4].push_back(row.email);
            columns[5].push_back(std::to_string(district));
            columns[6].push_back(Number(school));
            columns[7].push_back(d.grade);
            columns[8].push_back(d.gender);
            columns[9].push_back(d.race_ethnicity);
            columns[10].push_back(Bool(d.english_learner));
            columns[11].push_back(Bool(d.disability));
            columns[12].push_back(Bool(d.economically_disadvantaged));
            columns[13].push_back(Bool(row.active));
          }
          PgParams params;
          for (const Texts& column : columns) params.Add(PgArray(column));
          return upsert_rows(
              "INSERT INTO people(sourced_id, role, given_name, family_name, email, district_id, "
              "school_id, grade, gender, race_ethnicity, english_learner, disability, "
              "economically_disadvantaged, active) SELECT * FROM unnest($1::text[], $2::text[], "
              "$3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], "
              "$9::text[], $10::text[], $11::boolean[], $12::boolean[], $13::boolean[], "
              "$14::boolean[]) ON CONFLICT(sourced_id) DO UPDATE SET role = excluded.role, "
              "given_name = excluded.given_name, family_name = excluded.family_name, "
              "email = excluded.email, district_id = excluded.district_id, "
              "school_id = excluded.school_id, grade = excluded.grade, gender = excluded.gender, "
              "race_ethnicity = excluded.race_ethnicity, "
              "english_learner = excluded.english_learner, disability = excluded.disability, "
              "economically_disadvantaged = excluded.economically_disadvantaged, "
              "active = excluded.active RETURNING sourced_id, id",
              params, people, n, Batch("person '" + changes.people[first].sourced_id + "'", n));
        }));
    CAIRN_RETURN_IF_ERROR(write_enrollments(changes.enrollments));
    if (stream) {
      std::vector<RosterChangeSet::EnrollmentRow> batch;
      for (;;) {
        CAIRN_RETURN_IF_ERROR(stream->Next(batch));
        if (batch.empty()) break;
        CAIRN_RETURN_IF_ERROR(write_enrollments(batch));
      }
    }
    CAIRN_RETURN_IF_ERROR(
        ForBatches(changes.guardian_links.size(), [&](std::size_t first, std::size_t n) -> Status {
          Texts guardian, student, relationship;
          for (std::size_t i = 0; i < n; ++i) {
            const auto& row = changes.guardian_links[first + i];
            const std::string what =
                "guardian link '" + row.guardian + "' -> '" + row.student + "'";
            CAIRN_ASSIGN_OR_RETURN(Id g, person_id(row.guardian, what));
            CAIRN_ASSIGN_OR_RETURN(Id s, person_id(row.student, what));
            guardian.push_back(std::to_string(g));
            student.push_back(std::to_string(s));
            relationship.push_back(row.relationship);
          }
          const auto& head = changes.guardian_links[first];
          return Run("INSERT INTO guardian_links(guardian_id, student_id, relationship) "
                     "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[]) "
                     "ON CONFLICT(guardian_id, student_id) DO UPDATE SET "
                     "relationship = excluded.relationship",
                     PgParams()
                         .Add(PgArray(guardian))
                         .Add(PgArray(student))
                         .Add(PgArray(relationship)),
                     Batch("guardian link '" + head.guardian + "' -> '" + head.student + "'", n))
              .status();
        }));
    CAIRN_RETURN_IF_ERROR(ForBatches(
        changes.people_deactivated.size(), [&](std::size_t first, std::size_t n) -> Status {
          std::vector<std::int64_t> ids;
          for (std::size_t i = 0; i < n; ++i) {
            const std::string& sourced_id = changes.people_deactivated[first + i];
            CAIRN_ASSIGN_OR_RETURN(
                Id person, person_id(sourced_id, "deactivating person '" + sourced_id + "'"));
            ids.push_back(person);
          }
          return Run("UPDATE people SET active = FALSE WHERE id = ANY($1::bigint[])",
                     PgParams().Add(PgArray(ids)),
                     Batch("deactivating person '" + changes.people_deactivated[first] + "'", n))
              .status();
        }));
    CAIRN_RETURN_IF_ERROR(deactivate_enrollments(changes.enrollments_deactivated));
    if (!stream) return Status::Ok();
    CAIRN_ASSIGN_OR_RETURN(std::vector<RosterChangeSet::EnrollmentKey> more, stream->Deactivated());
    return deactivate_enrollments(more);
  });
}

}  // namespace cairn
