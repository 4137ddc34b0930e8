// SqliteStore::ApplyRosterChanges: an import's checked changes
// (store/roster_change_set.h) as upserts keyed by sourced id, in one
// transaction. Internal ids are looked up once per sourced id and remembered
// for the rest of the import.
//
// Sections, people, enrollments and deactivations are written kRowsPerStatement
// rows per statement (multi-row VALUES), not one statement per row: inside
// the import's transaction every statement on these tables (foreign keys, the
// roster change-counter triggers) opens a statement journal, and once the
// savepoint's sub-journal has spilled to a temporary file each statement
// copied every page it touched there: about 2.4 pages and 5 write calls per
// enrollment (issue #11's import benchmark: 2.5 million pwrite calls for
// 200k enrollments). Per batch, a page is journaled at most once.
#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
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

// Rows per multi-row statement (at most 14 parameters a row: well under
// SQLite's 32766).
constexpr std::size_t kRowsPerStatement = 128;

// `head` (row),(row)... `tail` for `rows` rows. The text lives as long as the
// process: SqliteStore::Prepare caches statements by the text's address.
// Only eight sizes are used (ForBatches).
const char* RowsSql(std::string_view head, std::string_view row, std::string_view tail,
                    std::size_t rows) {
  std::string sql(head);
  for (std::size_t i = 0; i < rows; ++i) {
    sql += i == 0 ? "(" : ",(";
    sql += row;
    sql += ")";
  }
  sql += tail;
  static std::mutex mutex;
  static std::set<std::string> texts;  // nodes never move
  std::lock_guard lock(mutex);
  return texts.insert(std::move(sql)).first->c_str();
}

// Calls `batch(first, count)` over [0, total): runs of kRowsPerStatement,
// then the rest in runs of 64, 32, ... 1 rows, so each statement has at most
// eight texts (and prepared statements).
template <typename Fn>
Status ForBatches(std::size_t total, Fn batch) {
  std::size_t first = 0;
  for (std::size_t size = kRowsPerStatement; size > 0; size /= 2) {
    for (; first + size <= total; first += size) CAIRN_RETURN_IF_ERROR(batch(first, size));
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::ApplyRosterChanges(const RosterChangeSet& changes) {
  IdCache districts, schools, courses, sections, people;
  RosterChangeSet::EnrollmentStream* stream = changes.enrollment_stream;

  // The internal id of `sourced_id` in one table, or kNotFound naming `what`.
  // A large import would look ids up one query per row: past
  // kRowsPerStatement rows, the first miss in a table loads all its ids.
  const std::size_t change_rows = changes.sections.size() + changes.people.size() +
                                  changes.enrollments.size() + changes.guardian_links.size() +
                                  changes.people_deactivated.size() +
                                  changes.enrollments_deactivated.size() +
                                  (stream ? kRowsPerStatement + 1 : 0);  // a stream is large
  std::unordered_map<const IdCache*, bool> loaded;
  auto load_all = [&](const char* sql, IdCache& cache) -> Status {
    Statement s = Prepare(sql);
    if (!s.valid()) return Error("preparing the ids of a roster table");
    int rc = SQLITE_ROW;
    while ((rc = s.Step()) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
      if (!text) continue;
      cache.emplace(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 0))),
                    sqlite3_column_int64(s.get(), 1));
    }
    return rc == SQLITE_DONE ? Status::Ok() : Error("reading the ids of a roster table");
  };
  auto lookup = [&](const char* sql, IdCache& cache, const char* kind,
                    const std::string& sourced_id, const std::string& what) -> Result<Id> {
    if (auto it = cache.find(sourced_id); it != cache.end()) return it->second;
    if (change_rows > kRowsPerStatement && !loaded[&cache]) {
      loaded[&cache] = true;
      const char* all = &cache == &people     ? "SELECT sourced_id, id FROM people"
                        : &cache == &sections ? "SELECT sourced_id, id FROM sections"
                        : &cache == &schools  ? "SELECT sourced_id, id FROM schools"
                        : &cache == &courses  ? "SELECT sourced_id, id FROM courses"
                                              : "SELECT sourced_id, id FROM districts";
      if (Status status = load_all(all, cache); !status.ok()) return status;
      if (auto it = cache.find(sourced_id); it != cache.end()) return it->second;
      return Missing(what, kind, sourced_id);
    }
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
  // Runs a multi-row upsert ending in RETURNING sourced_id, id and remembers
  // every id.
  auto upsert_rows = [&](Statement& s, IdCache& cache, std::size_t rows,
                         const std::string& what) -> Status {
    if (!s.valid()) return Error("preparing " + what);
    std::size_t returned = 0;
    int rc = SQLITE_ROW;
    while ((rc = s.Step()) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
      cache[std::string(text ? text : "",
                        static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 0)))] =
          sqlite3_column_int64(s.get(), 1);
      ++returned;
    }
    if (rc != SQLITE_DONE || returned != rows) return Error(what);
    return Status::Ok();
  };
  auto step_done = [&](Statement& s, const std::string& what) -> Status {
    if (!s.valid()) return Error("preparing " + what);
    if (s.Step() != SQLITE_DONE) return Error(what);
    return Status::Ok();
  };

  // Ids by the rows' section and person numbers (roster_change_set.h): a
  // million enrollments name a few hundred thousand sections and people, so
  // each sourced id is looked up by its text once.
  std::vector<Id> section_by_number, person_by_number;  // 0: not yet known
  auto Numbered = [](std::vector<Id>& ids, std::uint32_t number) -> Id* {
    if (number == 0 || number > (1u << 28)) return nullptr;  // none, or not dense
    if (number >= ids.size()) ids.resize(std::max<std::size_t>(number + 1, ids.size() * 2), 0);
    return &ids[number];
  };
  bool stored_sourced_ids = true;  // any enrollment with a sourced id (read in the transaction)
  auto write_enrollments = [&](const std::vector<RosterChangeSet::EnrollmentRow>& rows) {
    return ForBatches(rows.size(), [&](std::size_t first, std::size_t n) -> Status {
      const std::string what = "enrollment '" + rows[first].sourced_id + "'" +
                               (n > 1 ? " and the next " + std::to_string(n - 1) : "");
      std::vector<std::pair<Id, Id>> ids(n);  // section, person
      for (std::size_t i = 0; i < n; ++i) {
        const auto& row = rows[first + i];
        Id* by_section_number = Numbered(section_by_number, row.section_number);
        Id* by_person_number = Numbered(person_by_number, row.person_number);
        if (by_section_number && *by_section_number && by_person_number && *by_person_number) {
          ids[i] = {*by_section_number, *by_person_number};
          continue;
        }
        auto remember = [&] {
          if (by_section_number) *by_section_number = ids[i].first;
          if (by_person_number) *by_person_number = ids[i].second;
        };
        auto section = sections.find(row.section);
        auto person = people.find(row.person);
        if (section != sections.end() && person != people.end()) {  // the usual case
          ids[i] = {section->second, person->second};
          remember();
          continue;
        }
        const std::string row_what = "enrollment '" + row.sourced_id + "'";
        CAIRN_ASSIGN_OR_RETURN(ids[i].first, section_id(row.section, row_what));
        CAIRN_ASSIGN_OR_RETURN(ids[i].second, person_id(row.person, row_what));
        remember();
      }
      auto insert = [&]() -> int {
        Statement s = Prepare(RowsSql(
            "INSERT INTO enrollments(section_id, person_id, is_teacher, active, sourced_id) "
            "VALUES ",
            "?, ?, ?, 1, ?",
            " ON CONFLICT(section_id, person_id) DO UPDATE SET "
            "is_teacher = excluded.is_teacher, active = 1, sourced_id = excluded.sourced_id",
            n));
        if (!s.valid()) return SQLITE_ERROR;
        for (std::size_t i = 0; i < n; ++i) {
          const auto& row = rows[first + i];
          const int p = static_cast<int>(i) * 4;
          s.Bind(p + 1, ids[i].first)
              .Bind(p + 2, ids[i].second)
              .Bind(p + 3, std::int64_t{row.teacher ? 1 : 0});
          if (row.sourced_id.empty()) {
            s.BindNull(p + 4);
          } else {
            s.Bind(p + 4, row.sourced_id);
          }
        }
        return s.Step();
      };
      // With no sourced id stored before this call, only a row of this call
      // can hold one, and the unique index says so: the insert is tried
      // first (a failed statement undoes itself), the release only then.
      if (!stored_sourced_ids) {
        const int rc = insert();
        if (rc == SQLITE_DONE) return Status::Ok();
        if ((rc & 0xff) != SQLITE_CONSTRAINT) return Error(what);
      }
      // The SIS moved one of these enrollments to another class or user: the
      // old row ends and gives up the sourced id (before the insert, which
      // gives it to the new row).
      Statement release =
          Prepare(RowsSql("UPDATE enrollments SET sourced_id = NULL, active = 0 WHERE rowid IN "
                          "(SELECT e.rowid FROM (VALUES ",
                          "?,?,?",
                          ") AS v JOIN enrollments AS e ON e.sourced_id = v.column1 "
                          "WHERE NOT (e.section_id = v.column2 AND e.person_id = v.column3))",
                          n));
      for (std::size_t i = 0; i < n; ++i) {
        const int p = static_cast<int>(i) * 3;
        release.Bind(p + 1, rows[first + i].sourced_id)
            .Bind(p + 2, ids[i].first)
            .Bind(p + 3, ids[i].second);
      }
      if (Status released = step_done(release, what); !released.ok()) return released;
      return insert() == SQLITE_DONE ? Status::Ok() : Error(what);
    });
  };
  auto deactivate_enrollments = [&](const std::vector<RosterChangeSet::EnrollmentKey>& keys) {
    return ForBatches(keys.size(), [&](std::size_t first, std::size_t n) -> Status {
      auto what = [&](std::size_t i) {
        const auto& key = keys[first + i];
        return "deactivating enrollment of '" + key.person + "' in '" + key.section + "'";
      };
      std::vector<std::pair<Id, Id>> ids(n);  // section, person
      for (std::size_t i = 0; i < n; ++i) {
        const auto& key = keys[first + i];
        CAIRN_ASSIGN_OR_RETURN(ids[i].first, section_id(key.section, what(i)));
        CAIRN_ASSIGN_OR_RETURN(ids[i].second, person_id(key.person, what(i)));
      }
      Statement s = Prepare(
          RowsSql("UPDATE enrollments SET active = 0 WHERE (section_id, person_id) IN (VALUES ",
                  "?, ?", ")", n));
      for (std::size_t i = 0; i < n; ++i) {
        s.Bind(static_cast<int>(i) * 2 + 1, ids[i].first)
            .Bind(static_cast<int>(i) * 2 + 2, ids[i].second);
      }
      if (Status done = step_done(s, what(0)); !done.ok()) return done;
      if (static_cast<std::size_t>(sqlite3_changes(db_)) == n) return Status::Ok();
      // One of them is not there: name it (the caller's transaction undoes the rest).
      for (std::size_t i = 0; i < n; ++i) {
        Statement check =
            Prepare("SELECT 1 FROM enrollments WHERE section_id = ? AND person_id = ?");
        check.Bind(1, ids[i].first).Bind(2, ids[i].second);
        if (check.Step() != SQLITE_ROW) return Status::NotFound(what(i) + ": no such enrollment");
      }
      return Error(what(0));
    });
  };

  // A large import dirties more table and index pages than SQLite's default
  // 2 MB page cache holds; each overflow spills pages to the WAL mid-write,
  // some of them many times (1M enrollments: 2.4 s of system time). A cap
  // of 64 MB for this call keeps them in memory; the cache fills only as
  // far as the import needs and the default returns afterwards.
  struct LargeCache {
    SqliteStore* store;
    std::string restore;  // empty: nothing to restore
    ~LargeCache() {
      if (!restore.empty()) (void)store->Exec(restore.c_str());
    }
  } large_cache{this, {}};
  if (change_rows > kRowsPerStatement) {
    Statement current = Prepare("PRAGMA cache_size");
    if (current.valid() && current.Step() == SQLITE_ROW) {
      const std::int64_t size = sqlite3_column_int64(current.get(), 0);
      if (size > -65536 && size < 65536 / 4) {  // below 64 MB (negative: KiB; positive: pages)
        CAIRN_RETURN_IF_ERROR(Exec("PRAGMA cache_size = -65536"));
        large_cache.restore = "PRAGMA cache_size = " + std::to_string(size);
      }
    }
  }

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
    CAIRN_RETURN_IF_ERROR(
        ForBatches(changes.sections.size(), [&](std::size_t first, std::size_t n) -> Status {
          const std::string what = "section '" + changes.sections[first].sourced_id + "'" +
                                   (n > 1 ? " and the next " + std::to_string(n - 1) : "");
          Statement s =
              Prepare(RowsSql("INSERT INTO sections(sourced_id, school_id, course_id, title, term, "
                              "term_sourced_id) "
                              "VALUES ",
                              "?,?,?,?,?,?",
                              " ON CONFLICT(sourced_id) DO UPDATE SET "
                              "school_id = excluded.school_id, course_id = excluded.course_id, "
                              "title = excluded.title, term = excluded.term, "
                              "term_sourced_id = excluded.term_sourced_id RETURNING sourced_id, id",
                              n));
          for (std::size_t i = 0; i < n; ++i) {
            const auto& row = changes.sections[first + i];
            const std::string row_what = "section '" + row.sourced_id + "'";
            CAIRN_ASSIGN_OR_RETURN(Id school, school_id(row.school, row_what));
            CAIRN_ASSIGN_OR_RETURN(Id course, course_id(row.course, row_what));
            const int p = static_cast<int>(i) * 6;
            s.Bind(p + 1, row.sourced_id)
                .Bind(p + 2, school)
                .Bind(p + 3, course)
                .Bind(p + 4, row.title)
                .Bind(p + 5, row.term)
                .Bind(p + 6, row.term_sourced_id);
          }
          return upsert_rows(s, sections, n, what);
        }));
    CAIRN_RETURN_IF_ERROR(
        ForBatches(changes.people.size(), [&](std::size_t first, std::size_t n) -> Status {
          const std::string what = "person '" + changes.people[first].sourced_id + "'" +
                                   (n > 1 ? " and the next " + std::to_string(n - 1) : "");
          Statement s = Prepare(RowsSql(
              "INSERT INTO people(sourced_id, role, given_name, family_name, email, district_id, "
              "school_id, grade, gender, race_ethnicity, english_learner, disability, "
              "economically_disadvantaged, active) VALUES ",
              "?,?,?,?,?,?,?,?,?,?,?,?,?,?",
              " ON CONFLICT(sourced_id) DO UPDATE SET role = excluded.role, "
              "given_name = excluded.given_name, family_name = excluded.family_name, "
              "email = excluded.email, district_id = excluded.district_id, "
              "school_id = excluded.school_id, grade = excluded.grade, gender = excluded.gender, "
              "race_ethnicity = excluded.race_ethnicity, english_learner = "
              "excluded.english_learner, "
              "disability = excluded.disability, "
              "economically_disadvantaged = excluded.economically_disadvantaged, "
              "active = excluded.active RETURNING sourced_id, id",
              n));
          for (std::size_t i = 0; i < n; ++i) {
            const auto& row = changes.people[first + i];
            const std::string row_what = "person '" + row.sourced_id + "'";
            CAIRN_ASSIGN_OR_RETURN(Id district, district_id(row.district, row_what));
            std::optional<Id> school;
            if (!row.school.empty()) {
              CAIRN_ASSIGN_OR_RETURN(school, school_id(row.school, row_what));
            }
            const Demographics& d = row.demographics;
            const int p = static_cast<int>(i) * 14;
            s.Bind(p + 1, row.sourced_id)
                .Bind(p + 2, PersonRoleName(row.role))
                .Bind(p + 3, row.given_name)
                .Bind(p + 4, row.family_name)
                .Bind(p + 5, row.email)
                .Bind(p + 6, district)
                .BindOptional(p + 7, school)
                .Bind(p + 8, d.grade)
                .Bind(p + 9, d.gender)
                .Bind(p + 10, d.race_ethnicity)
                .BindOptional(p + 11, d.english_learner)
                .BindOptional(p + 12, d.disability)
                .BindOptional(p + 13, d.economically_disadvantaged)
                .Bind(p + 14, std::int64_t{row.active ? 1 : 0});
          }
          return upsert_rows(s, people, n, what);
        }));
    {
      Statement any =
          Prepare("SELECT EXISTS(SELECT 1 FROM enrollments WHERE sourced_id IS NOT NULL)");
      if (!any.valid() || any.Step() != SQLITE_ROW) return Error("reading enrollments");
      stored_sourced_ids = sqlite3_column_int(any.get(), 0) != 0;
    }
    CAIRN_RETURN_IF_ERROR(write_enrollments(changes.enrollments));
    if (stream) {
      std::vector<RosterChangeSet::EnrollmentRow> batch;
      for (;;) {
        CAIRN_RETURN_IF_ERROR(stream->Next(batch));
        if (batch.empty()) break;
        CAIRN_RETURN_IF_ERROR(write_enrollments(batch));
      }
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
    CAIRN_RETURN_IF_ERROR(ForBatches(
        changes.people_deactivated.size(), [&](std::size_t first, std::size_t n) -> Status {
          Statement s =
              Prepare(RowsSql("UPDATE people SET active = 0 WHERE id IN (VALUES ", "?", ")", n));
          for (std::size_t i = 0; i < n; ++i) {
            const std::string& sourced_id = changes.people_deactivated[first + i];
            CAIRN_ASSIGN_OR_RETURN(
                Id person, person_id(sourced_id, "deactivating person '" + sourced_id + "'"));
            s.Bind(static_cast<int>(i) + 1, person);
          }
          return step_done(s, "deactivating person '" + changes.people_deactivated[first] + "'" +
                                  (n > 1 ? " and the next " + std::to_string(n - 1) : ""));
        }));
    CAIRN_RETURN_IF_ERROR(deactivate_enrollments(changes.enrollments_deactivated));
    if (stream) {
      CAIRN_ASSIGN_OR_RETURN(std::vector<RosterChangeSet::EnrollmentKey> more,
                             stream->Deactivated());
      CAIRN_RETURN_IF_ERROR(deactivate_enrollments(more));
    }
    return Status::Ok();
  });
}

}  // namespace cairn
