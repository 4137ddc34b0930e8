// Plans a OneRoster import against the current roster: which districts,
// schools, courses, academic sessions, sections (OneRoster classes), people,
// enrollments and guardian links to add, update or deactivate, or every
// problem that forbids the import. Pure: no I/O, no clock; the same inputs
// give the same plan.
//
// Mapping (OneRoster -> Cairn):
// - orgs of type district -> District, school -> School (its district is the
//   nearest district up its parents, or the only district there is); other
//   org types are not kept, but may be named as a user's extra orgs.
// - academicSessions -> AcademicSession; classes -> Section (term: the title
//   of its first termSourcedId); courses -> Course (district of its org).
// - users -> Person. Role from users.role (1.1) or the primary role in
//   roles.csv (1.2): student; teacher, aide, proctor, counselor -> teacher;
//   parent, guardian, relative -> guardian (the relationship keeps the word);
//   principal, siteAdministrator, administrator at a school -> school
//   leader; districtAdministrator, systemAdministrator, administrator at a
//   district -> district leader. Cairn's admin role is never given by an
//   import. The person's school is the first school among their orgs.
// - demographics -> Person::demographics (sex -> gender, the race flags ->
//   race_ethnicity); users.grades[0] -> grade. English learner, disability
//   and economic status are not in OneRoster and stay as they are.
// - agentSourcedIds between a guardian and a student -> GuardianLink (from
//   either side). Other agent pairs are noted as warnings.
// - enrollments -> Enrollment (teacher unless the role is student).
//
// Bulk and delta (per file, from the manifest): both add and update what
// they name; `status=tobedeleted` makes a person or an enrollment inactive
// (a class's: every enrollment in it; a person's: their enrollments too).
// A bulk users.csv also deactivates stored people it leaves out (admins
// excepted), and a bulk enrollments.csv the enrollments it leaves out.
// Districts, schools, courses, sessions and sections are never removed
// (tobedeleted on them is a warning). Facts are never touched.
//
// Strict: references must resolve, within the files or to the stored
// roster (an enrollment naming a class that is in neither is a problem at
// its line and column), and an active record may not name one this import
// deletes. Re-planning the roster an applied plan produced gives an empty
// plan.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "interop/oneroster/csv_table.h"
#include "interop/oneroster/oneroster_reader.h"
#include "roster/roster.h"
#include "store/roster_change_set.h"

namespace cairn::oneroster {

struct EntityCounts {
  int added = 0;
  int updated = 0;
  int deactivated = 0;
  bool operator==(const EntityCounts&) const = default;
};

struct RosterImportPlan {
  RosterChangeSet changes;  // what RosterStore::ApplyRosterChanges writes
  EntityCounts districts, schools, courses, academic_sessions, sections, people, enrollments,
      guardian_links;
  int orgs_not_kept = 0;                // orgs of other types (department, local, state, national)
  std::vector<ImportProblem> warnings;  // noted, not blocking

  // Nothing to write (enrollments planned one at a time are counted, not
  // kept in `changes`).
  bool empty() const {
    return changes.empty() && enrollments.added == 0 && enrollments.updated == 0 &&
           enrollments.deactivated == 0;
  }
};

struct PlannedImport {
  RosterImportPlan plan;                // meaningful only when ok()
  std::vector<ImportProblem> problems;  // every problem found
  bool ok() const { return problems.empty(); }
};

// `current` must be indexed (Roster::Index). `set` is what ReadOneRoster
// returned; problems it reported are the caller's to add (planning a set
// with read problems still finds the cross-file ones).
PlannedImport PlanRosterImport(const Roster& current, const OneRosterSet& set);

// A stored enrollment as the planner keeps it: 32 bytes, no string (its
// sourcedId as a 64-bit hash: two ids sharing one is about one chance in
// 10^7 for a million).
struct StoredEnrollment {
  Id section_id = 0;
  Id person_id = 0;
  std::uint64_t sourced_id_hash = 0;  // HashOf; 0: none
  bool teacher = false;
  bool active = true;
  bool named = false;     // planning: named by a record of this import
  bool enrolled = false;  // planning: written by this import
  bool drop = false;      // planning: tobedeleted, or its sourcedId moved elsewhere

  static std::uint64_t HashOf(std::string_view sourced_id);
};

// The same plan with enrollments given one at a time, so a large
// enrollments file is read, checked and written in pieces
// (oneroster_import.h): PlanRoster, then PlanEnrollment per record, then
// FinishEnrollments, then Take. The set's `enrollments` are not read. The
// stored enrollments are `current.enrollments` and `stored` (which a store
// hands over one at a time: RosterStore::LoadRosterWithoutEnrollments).
// Memory beyond the roster and the other files: about 80 bytes per stored
// enrollment and 32 per enrollment record (key_table.h), nothing per string.
// `current` and `set` must outlive the planner. Thread-compatible.
class RosterImportPlanner {
 public:
  RosterImportPlanner(const Roster& current, const OneRosterSet& set,
                      std::vector<StoredEnrollment> stored = {});
  ~RosterImportPlanner();
  RosterImportPlanner(const RosterImportPlanner&) = delete;
  RosterImportPlanner& operator=(const RosterImportPlanner&) = delete;

  // Everything but enrollments (and their deactivations).
  void PlanRoster();
  // One enrollment record; a row to write goes to `rows` (and is counted).
  void PlanEnrollment(const EnrollmentRecord& record,
                      std::vector<RosterChangeSet::EnrollmentRow>& rows);
  // After the last record: the stored enrollments to deactivate (counted),
  // by section then person.
  std::vector<RosterChangeSet::EnrollmentKey> FinishEnrollments();

  const std::vector<ImportProblem>& problems() const;  // so far
  RosterChangeSet& changes();                          // every row but enrollments
  PlannedImport Take();                                // once, at the end

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::oneroster
