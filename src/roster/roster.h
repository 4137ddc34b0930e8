// Who is where: districts, schools, courses, sections, people, enrollments and
// guardian links. Every record has an internal id (assigned by the store) and
// a stable external id (`sourced_id`, as in OneRoster) that imports and the CLI
// use. Plain values; a Roster is a snapshot read from the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cairn {

using Id = std::int64_t;

struct District {
  Id id = 0;
  std::string sourced_id;
  std::string name;
};

struct School {
  Id id = 0;
  std::string sourced_id;
  Id district_id = 0;
  std::string name;
};

struct Course {
  Id id = 0;
  std::string sourced_id;
  Id district_id = 0;
  std::string title;  // "Algebra I"
};

struct Section {
  Id id = 0;
  std::string sourced_id;
  Id school_id = 0;
  Id course_id = 0;
  std::string title;                // "Algebra I - Period 2"
  std::string term;                 // "2026-27"
  std::vector<std::string> badges;  // badge codes worked on in this section
  std::string term_sourced_id{};    // the AcademicSession `term` names; "" when none
};

// A OneRoster academic session (school year, semester, term, grading period).
// Dates are "YYYY-MM-DD" as imported; `parent_sourced_id` may name a session
// that was never imported.
struct AcademicSession {
  Id id = 0;
  std::string sourced_id;
  std::string title;
  std::string type;  // "schoolYear", "semester", "term", "gradingPeriod"
  std::string start_date;
  std::string end_date;
  std::string parent_sourced_id;
  std::string school_year;  // "2026"
};

enum class PersonRole { kStudent, kTeacher, kGuardian, kSchoolLeader, kDistrictLeader, kAdmin };
std::string_view PersonRoleName(PersonRole role);
std::optional<PersonRole> ParsePersonRole(std::string_view name);

// Fields used for equity breakdowns. Optional: a blank is "not reported",
// never guessed.
struct Demographics {
  std::string grade;  // "9"
  std::string gender;
  std::string race_ethnicity;
  std::optional<bool> english_learner;
  std::optional<bool> disability;  // IEP or 504
  std::optional<bool> economically_disadvantaged;
};

struct Person {
  Id id = 0;
  std::string sourced_id;
  PersonRole role = PersonRole::kStudent;
  std::string given_name;
  std::string family_name;
  std::string email;
  Id district_id = 0;
  std::optional<Id> school_id;  // students, teachers, school leaders
  Demographics demographics;    // students only
  // False once an import marked the person `tobedeleted` (or a bulk import
  // left them out): kept with their facts, no longer on the roster.
  bool active = true;

  std::string DisplayName() const { return given_name + " " + family_name; }
};

struct Enrollment {
  Id section_id = 0;
  Id person_id = 0;
  bool teacher = false;  // teacher of record vs student
  // False once an import ended it; an inactive enrollment stays for the
  // record but gives no membership (SectionsOf, StudentsIn, TeachersOf).
  bool active = true;
  std::string sourced_id{};  // the OneRoster enrollment's; "" when not imported
};

struct GuardianLink {
  Id guardian_id = 0;
  Id student_id = 0;
  std::string relationship;  // "parent", "guardian"
};

// A snapshot of the whole roster with lookups by id and sourced id. Call
// Index() after changing the vectors; lookups before that find nothing.
struct Roster {
  std::vector<District> districts;
  std::vector<School> schools;
  std::vector<Course> courses;
  std::vector<Section> sections;
  std::vector<Person> people;
  std::vector<Enrollment> enrollments;
  std::vector<GuardianLink> guardian_links;
  std::vector<AcademicSession> academic_sessions;

  void Index();
  const Person* FindPerson(Id id) const;
  const Person* FindPersonBySourcedId(std::string_view sourced_id) const;
  const School* FindSchool(Id id) const;
  const Course* FindCourse(Id id) const;
  const Section* FindSection(Id id) const;
  std::vector<const Section*> SectionsOf(Id person_id) const;
  std::vector<const Person*> StudentsIn(Id section_id) const;
  std::vector<const Person*> TeachersOf(Id section_id) const;

 private:
  std::vector<const Person*> MembersOf(Id section_id, bool teachers) const;

  std::unordered_map<Id, std::size_t> person_by_id_;
  std::unordered_map<std::string, std::size_t> person_by_sourced_;
  std::unordered_map<Id, std::size_t> section_by_id_;
  // Enrollment indexes: which sections a person is in, and who is in a
  // section, so access checks do not scan every enrollment.
  std::unordered_map<Id, std::vector<std::size_t>> enrollments_of_person_;
  std::unordered_map<Id, std::vector<std::size_t>> enrollments_of_section_;
};

}  // namespace cairn
