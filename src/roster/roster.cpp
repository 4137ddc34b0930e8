#include "roster/roster.h"

#include <algorithm>
#include <array>

namespace cairn {
namespace {

constexpr std::array<std::string_view, 6> kRoleNames{"student",       "teacher",         "guardian",
                                                     "school_leader", "district_leader", "admin"};

template <typename T>
const T* FindById(const std::vector<T>& items, Id id) {
  auto it = std::find_if(items.begin(), items.end(), [id](const T& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::string_view PersonRoleName(PersonRole role) {
  return kRoleNames[static_cast<std::size_t>(role)];
}

std::optional<PersonRole> ParsePersonRole(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<PersonRole>(i);
  }
  return std::nullopt;
}

void Roster::Index() {
  person_by_id_.clear();
  person_by_sourced_.clear();
  section_by_id_.clear();
  enrollments_of_person_.clear();
  enrollments_of_section_.clear();
  for (std::size_t i = 0; i < people.size(); ++i) {
    person_by_id_[people[i].id] = i;
    person_by_sourced_[people[i].sourced_id] = i;
  }
  for (std::size_t i = 0; i < sections.size(); ++i) section_by_id_[sections[i].id] = i;
  for (std::size_t i = 0; i < enrollments.size(); ++i) {
    if (!enrollments[i].active) continue;  // ended: no membership
    enrollments_of_person_[enrollments[i].person_id].push_back(i);
    enrollments_of_section_[enrollments[i].section_id].push_back(i);
  }
}

const Person* Roster::FindPerson(Id id) const {
  auto it = person_by_id_.find(id);
  return it == person_by_id_.end() ? nullptr : &people[it->second];
}

const Person* Roster::FindPersonBySourcedId(std::string_view sourced_id) const {
  auto it = person_by_sourced_.find(std::string(sourced_id));
  return it == person_by_sourced_.end() ? nullptr : &people[it->second];
}

const School* Roster::FindSchool(Id id) const { return FindById(schools, id); }
const Course* Roster::FindCourse(Id id) const { return FindById(courses, id); }
const Section* Roster::FindSection(Id id) const {
  auto it = section_by_id_.find(id);
  return it == section_by_id_.end() ? nullptr : &sections[it->second];
}

std::vector<const Section*> Roster::SectionsOf(Id person_id) const {
  std::vector<const Section*> out;
  auto it = enrollments_of_person_.find(person_id);
  if (it == enrollments_of_person_.end()) return out;
  for (std::size_t i : it->second) {
    if (const Section* section = FindSection(enrollments[i].section_id)) out.push_back(section);
  }
  return out;
}

std::vector<const Person*> Roster::MembersOf(Id section_id, bool teachers) const {
  std::vector<const Person*> out;
  auto it = enrollments_of_section_.find(section_id);
  if (it == enrollments_of_section_.end()) return out;
  for (std::size_t i : it->second) {
    if (enrollments[i].teacher != teachers) continue;
    if (const Person* p = FindPerson(enrollments[i].person_id)) out.push_back(p);
  }
  return out;
}

std::vector<const Person*> Roster::StudentsIn(Id section_id) const {
  return MembersOf(section_id, false);
}

std::vector<const Person*> Roster::TeachersOf(Id section_id) const {
  return MembersOf(section_id, true);
}

}  // namespace cairn
