// One import's changes to the roster, already checked: what
// RosterStore::ApplyRosterChanges writes in one transaction. Produced by
// interop/oneroster/roster_import.h (the store does not know OneRoster).
//
// Records name each other by sourced id, because new ones have no internal id
// yet: a school's `district` is a district's sourced id, in this change set or
// already stored. Rows are upserts keyed by sourced id (enrollments by section
// and person): a new key inserts, a known key overwrites the row's fields.
// Badges of a section, facts, accounts and internal ids are never touched.
// Plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "roster/roster.h"

namespace cairn {

struct RosterChangeSet {
  struct DistrictRow {
    std::string sourced_id;
    std::string name;
    bool operator==(const DistrictRow&) const = default;
  };
  struct SchoolRow {
    std::string sourced_id;
    std::string district;  // sourced id
    std::string name;
    bool operator==(const SchoolRow&) const = default;
  };
  struct CourseRow {
    std::string sourced_id;
    std::string district;  // sourced id
    std::string title;
    bool operator==(const CourseRow&) const = default;
  };
  struct SectionRow {
    std::string sourced_id;
    std::string school;  // sourced id
    std::string course;  // sourced id
    std::string title;
    std::string term;             // display, e.g. the term's title
    std::string term_sourced_id;  // "" when none
    bool operator==(const SectionRow&) const = default;
  };
  struct PersonRow {
    std::string sourced_id;
    PersonRole role = PersonRole::kStudent;
    std::string given_name;
    std::string family_name;
    std::string email;
    std::string district;  // sourced id
    std::string school;    // sourced id; "" when none
    Demographics demographics;
    bool active = true;
  };
  // Upsert of the (section, person) enrollment; it becomes active.
  struct EnrollmentRow {
    std::string sourced_id;  // the OneRoster enrollment's
    std::string section;     // sourced id
    std::string person;      // sourced id
    bool teacher = false;
    // Optional: the producer's dense numbers for `section` and `person`
    // (1-based; the same number always names the same sourced id within one
    // change set, 0 = not given). A store may remember ids by them instead
    // of looking each sourced id up again.
    std::uint32_t section_number = 0;
    std::uint32_t person_number = 0;
    // The numbers are a hint, not content.
    bool operator==(const EnrollmentRow& other) const {
      return sourced_id == other.sourced_id && section == other.section && person == other.person &&
             teacher == other.teacher;
    }
  };
  struct EnrollmentKey {
    std::string section;  // sourced id
    std::string person;   // sourced id
    bool operator==(const EnrollmentKey&) const = default;
  };
  // Added when missing; links are never removed.
  struct GuardianLinkRow {
    std::string guardian;  // sourced id
    std::string student;   // sourced id
    std::string relationship;
    bool operator==(const GuardianLinkRow&) const = default;
  };

  // Written in this order, so every reference points backwards.
  std::vector<DistrictRow> districts;
  std::vector<SchoolRow> schools;
  std::vector<CourseRow> courses;
  std::vector<AcademicSession> academic_sessions;  // `id` ignored
  std::vector<SectionRow> sections;
  std::vector<PersonRow> people;
  std::vector<EnrollmentRow> enrollments;
  std::vector<GuardianLinkRow> guardian_links;
  // Marked inactive; everything else about them stays.
  std::vector<std::string> people_deactivated;  // sourced ids
  std::vector<EnrollmentKey> enrollments_deactivated;

  // Enrollments planned while the import is written: a large enrollments
  // file is read, checked and written a batch at a time, never held whole.
  // ApplyRosterChanges writes `enrollments`, then every batch Next gives
  // until one is empty, then `enrollments_deactivated` and Deactivated()
  // (known only once the stream has ended). An error from either aborts the
  // write; the caller's transaction undoes what was written.
  class EnrollmentStream {
   public:
    virtual ~EnrollmentStream() = default;
    // Replaces `batch` with the next rows; empty at the end.
    virtual Status Next(std::vector<EnrollmentRow>& batch) = 0;
    virtual Result<std::vector<EnrollmentKey>> Deactivated() = 0;
  };
  EnrollmentStream* enrollment_stream = nullptr;  // not owned; outlives the call

  bool empty() const {
    return districts.empty() && schools.empty() && courses.empty() && academic_sessions.empty() &&
           sections.empty() && people.empty() && enrollments.empty() && guardian_links.empty() &&
           people_deactivated.empty() && enrollments_deactivated.empty() &&
           enrollment_stream == nullptr;
  }
};

}  // namespace cairn
