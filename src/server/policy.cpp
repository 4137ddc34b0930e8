#include "server/policy.h"

#include <algorithm>

namespace cairn {

bool IsStaff(PersonRole role) {
  return role == PersonRole::kTeacher || role == PersonRole::kSchoolLeader ||
         role == PersonRole::kDistrictLeader || role == PersonRole::kAdmin;
}

namespace {

bool Teaches(const Roster& roster, Id teacher, Id student) {
  for (const Section* section : roster.SectionsOf(student)) {
    for (const Person* t : roster.TeachersOf(section->id)) {
      if (t->id == teacher) return true;
    }
  }
  return false;
}

bool SameSchool(const Principal& who, const Person& student) {
  return who.person.school_id && student.school_id && *who.person.school_id == *student.school_id;
}

}  // namespace

bool CanReadStudent(const Roster& roster, const Principal& who, const Person& student) {
  if (student.role != PersonRole::kStudent) return false;
  switch (who.person.role) {
    case PersonRole::kStudent:
      return who.person.id == student.id;
    case PersonRole::kGuardian:
      return std::any_of(roster.guardian_links.begin(), roster.guardian_links.end(),
                         [&](const GuardianLink& link) {
                           return link.guardian_id == who.person.id &&
                                  link.student_id == student.id;
                         });
    case PersonRole::kTeacher:
      return Teaches(roster, who.person.id, student.id);
    case PersonRole::kSchoolLeader:
      return SameSchool(who, student);
    case PersonRole::kDistrictLeader:
      return who.person.district_id == student.district_id;
    case PersonRole::kAdmin:
      return true;
  }
  return false;
}

bool CanWriteStudent(const Roster& roster, const Principal& who, const Person& student) {
  if (student.role != PersonRole::kStudent) return false;
  switch (who.person.role) {
    case PersonRole::kTeacher:
      return Teaches(roster, who.person.id, student.id);
    case PersonRole::kSchoolLeader:
      return SameSchool(who, student);
    case PersonRole::kAdmin:
      return true;
    default:
      return false;
  }
}

bool CanReadSection(const Roster& roster, const Principal& who, const Section& section) {
  switch (who.person.role) {
    case PersonRole::kTeacher: {
      auto teachers = roster.TeachersOf(section.id);
      return std::any_of(teachers.begin(), teachers.end(),
                         [&](const Person* t) { return t->id == who.person.id; });
    }
    case PersonRole::kSchoolLeader:
      return who.person.school_id && *who.person.school_id == section.school_id;
    case PersonRole::kDistrictLeader: {
      const School* school = roster.FindSchool(section.school_id);
      return school && school->district_id == who.person.district_id;
    }
    case PersonRole::kAdmin:
      return true;
    default:
      return false;
  }
}

bool CanLeadSchool(const Principal& who, const School& school) {
  switch (who.person.role) {
    case PersonRole::kSchoolLeader:
      return who.person.school_id && *who.person.school_id == school.id;
    case PersonRole::kDistrictLeader:
      return who.person.district_id == school.district_id;
    case PersonRole::kAdmin:
      return true;
    default:
      return false;
  }
}

bool CanLeadDistrict(const Principal& who, const District& district) {
  return who.person.role == PersonRole::kAdmin ||
         (who.person.role == PersonRole::kDistrictLeader && who.person.district_id == district.id);
}

std::vector<const Person*> ReadableStudents(const Roster& roster, const Principal& who) {
  std::vector<const Person*> out;
  for (const Person& person : roster.people) {
    if (person.role == PersonRole::kStudent && CanReadStudent(roster, who, person)) {
      out.push_back(&person);
    }
  }
  return out;
}

std::vector<const Section*> ReadableSections(const Roster& roster, const Principal& who) {
  std::vector<const Section*> out;
  for (const Section& section : roster.sections) {
    if (CanReadSection(roster, who, section)) out.push_back(&section);
  }
  return out;
}

bool Allowed(AccessRule rule, const Roster& roster, const std::optional<Principal>& who,
             const Person* student, const Section* section, bool is_write, const School* school,
             const District* district) {
  if (rule == AccessRule::kPublic) return true;
  if (!who) return false;
  if (is_write && who->via_token && !who->token_write) return false;
  const PersonRole role = who->person.role;
  switch (rule) {
    case AccessRule::kPublic:
    case AccessRule::kAuthenticated:
      return true;
    case AccessRule::kStaff:
      return IsStaff(role);
    case AccessRule::kLeader:
      return role == PersonRole::kSchoolLeader || role == PersonRole::kDistrictLeader ||
             role == PersonRole::kAdmin;
    case AccessRule::kAdmin:
      return role == PersonRole::kAdmin;
    case AccessRule::kStudentRead:
      if (!student) return role == PersonRole::kAdmin;
      return CanReadStudent(roster, *who, *student);
    case AccessRule::kStudentWrite:
      if (!student) return role == PersonRole::kAdmin;
      return CanWriteStudent(roster, *who, *student);
    case AccessRule::kPortfolioWrite:
      if (!student) return role == PersonRole::kAdmin;
      return (role == PersonRole::kStudent && who->person.id == student->id) ||
             CanWriteStudent(roster, *who, *student);
    case AccessRule::kSelf:
      if (!student) return role == PersonRole::kAdmin;
      return role == PersonRole::kStudent && who->person.id == student->id;
    case AccessRule::kSectionRead:
    case AccessRule::kSectionWrite:  // the staff who may read a section configure it
      if (!section) return role == PersonRole::kAdmin;
      return CanReadSection(roster, *who, *section);
    case AccessRule::kSchoolLeader:
      if (!school) return role == PersonRole::kAdmin;
      return CanLeadSchool(*who, *school);
    case AccessRule::kDistrictLeader:
      if (!district) return role == PersonRole::kAdmin;
      return CanLeadDistrict(*who, *district);
    case AccessRule::kDistrictStaff:
      if (!district) return role == PersonRole::kAdmin;
      return role == PersonRole::kAdmin ||
             (IsStaff(role) && who->person.district_id == district->id);
    case AccessRule::kDistrictLeaders:
      if (!district) return role == PersonRole::kAdmin;
      return CanLeadDistrict(*who, *district) ||
             (role == PersonRole::kSchoolLeader && who->person.district_id == district->id);
  }
  return false;
}

}  // namespace cairn
