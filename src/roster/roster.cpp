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
  for (std::size_t i = 0; i < people.size(); ++i) {
    person_by_id_[people[i].id] = i;
    person_by_sourced_[people[i].sourced_id] = i;
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
const Section* Roster::FindSection(Id id) const { return FindById(sections, id); }

std::vector<const Section*> Roster::SectionsOf(Id person_id) const {
  std::vector<const Section*> out;
  for (const Enrollment& e : enrollments) {
    if (e.person_id == person_id) {
      if (const Section* section = FindSection(e.section_id)) out.push_back(section);
    }
  }
  return out;
}

std::vector<const Person*> Roster::StudentsIn(Id section_id) const {
  std::vector<const Person*> out;
  for (const Enrollment& e : enrollments) {
    if (e.section_id == section_id && !e.teacher) {
      if (const Person* p = FindPerson(e.person_id)) out.push_back(p);
    }
  }
  return out;
}

std::vector<const Person*> Roster::TeachersOf(Id section_id) const {
  std::vector<const Person*> out;
  for (const Enrollment& e : enrollments) {
    if (e.section_id == section_id && e.teacher) {
      if (const Person* p = FindPerson(e.person_id)) out.push_back(p);
    }
  }
  return out;
}

}  // namespace cairn
