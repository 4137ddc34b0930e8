#include "interop/oneroster/roster_import.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "interop/oneroster/key_table.h"

namespace cairn::oneroster {
namespace {

using ChangeSet = RosterChangeSet;

// Where a referenced sourcedId was found.
enum class Found { kNowhere, kRejected, kDeleted, kFile, kRoster };

struct RoleChoice {
  PersonRole role = PersonRole::kStudent;
  std::string relationship;  // guardians: "parent", "guardian", "relative"
};

std::optional<RoleChoice> MapRole(const std::string& role, bool at_district) {
  if (role == "student") return RoleChoice{PersonRole::kStudent, ""};
  if (role == "teacher" || role == "aide" || role == "proctor" || role == "counselor") {
    return RoleChoice{PersonRole::kTeacher, ""};
  }
  if (role == "parent" || role == "guardian" || role == "relative") {
    return RoleChoice{PersonRole::kGuardian, role};
  }
  if (role == "principal" || role == "siteadministrator") {
    return RoleChoice{PersonRole::kSchoolLeader, ""};
  }
  if (role == "districtadministrator" || role == "systemadministrator") {
    return RoleChoice{PersonRole::kDistrictLeader, ""};
  }
  if (role == "administrator") {
    return RoleChoice{at_district ? PersonRole::kDistrictLeader : PersonRole::kSchoolLeader, ""};
  }
  return std::nullopt;
}

std::string RaceEthnicity(const DemographicsRecord& d) {
  if (d.hispanic_or_latino.value_or(false)) return "Hispanic or Latino";
  const std::pair<const std::optional<bool>*, const char*> races[] = {
      {&d.american_indian_or_alaska_native, "American Indian or Alaska Native"},
      {&d.asian, "Asian"},
      {&d.black_or_african_american, "Black or African American"},
      {&d.native_hawaiian_or_other_pacific_islander, "Native Hawaiian or Other Pacific Islander"},
      {&d.white, "White"}};
  int count = 0;
  std::string only;
  for (const auto& [flag, name] : races) {
    if (flag->value_or(false)) {
      ++count;
      only = name;
    }
  }
  if (d.two_or_more_races.value_or(false) || count > 1) return "Two or more races";
  return only;
}

template <typename Record>
std::unordered_map<std::string, const Record*> BySourcedId(const std::vector<Record>& records) {
  std::unordered_map<std::string, const Record*> out;
  out.reserve(records.size());
  for (const Record& r : records) out.emplace(r.sourced_id, &r);
  return out;
}

bool SamePerson(const ChangeSet::PersonRow& row, const Person& p, const std::string& district,
                const std::string& school) {
  const Demographics& a = row.demographics;
  const Demographics& b = p.demographics;
  return row.role == p.role && row.given_name == p.given_name && row.family_name == p.family_name &&
         row.email == p.email && row.district == district && row.school == school &&
         a.grade == b.grade && a.gender == b.gender && a.race_ethnicity == b.race_ethnicity &&
         a.english_learner == b.english_learner && a.disability == b.disability &&
         a.economically_disadvantaged == b.economically_disadvantaged && row.active == p.active;
}

}  // namespace

class RosterImportPlanner::Impl {
 public:
  Impl(const Roster& roster, const OneRosterSet& set, std::vector<StoredEnrollment> stored)
      : roster_(roster), set_(set), stored_(std::move(stored)) {
    for (const District& d : roster.districts) {
      district_sid_[d.id] = d.sourced_id;
      roster_districts_[d.sourced_id] = &d;
    }
    for (const School& s : roster.schools) {
      school_sid_[s.id] = s.sourced_id;
      roster_schools_[s.sourced_id] = &s;
    }
    for (const Course& c : roster.courses) {
      course_sid_[c.id] = c.sourced_id;
      roster_courses_[c.sourced_id] = &c;
    }
    for (const AcademicSession& s : roster.academic_sessions) roster_sessions_[s.sourced_id] = &s;
    // Sections and people are numbered (the roster's first, in its order;
    // those new in the files after), so an enrollment is keyed by two
    // 32-bit numbers, not by two strings.
    // The large maps are sized once: growing one to 200k entries rehashes it
    // many times, each a walk over every node in memory.
    section_sid_.reserve(roster.sections.size());
    roster_sections_.reserve(roster.sections.size());
    section_number_.reserve(roster.sections.size());
    person_sid_.reserve(roster.people.size());
    roster_people_.reserve(roster.people.size());
    person_number_.reserve(roster.people.size());
    class_facts_.reserve(roster.sections.size() + set.classes.size());
    user_facts_.reserve(roster.people.size() + set.users.size());
    pending_people_.reserve(set.users.size());
    user_roles_.reserve(set.users.size());
    for (std::uint32_t i = 0; i < roster.sections.size(); ++i) {
      const Section& s = roster.sections[i];
      section_sid_[s.id] = s.sourced_id;
      roster_sections_[s.sourced_id] = &s;
      section_number_[s.id] = i;
    }
    for (std::uint32_t i = 0; i < roster.people.size(); ++i) {
      const Person& p = roster.people[i];
      person_sid_[p.id] = p.sourced_id;
      roster_people_[p.sourced_id] = &p;
      person_number_[p.id] = i;
    }
    next_section_number_ = static_cast<std::uint32_t>(roster.sections.size());
    next_person_number_ = static_cast<std::uint32_t>(roster.people.size());
    section_dropped_.assign(roster.sections.size(), false);
    person_dropped_.assign(roster.people.size(), false);
    for (const Enrollment& e : roster.enrollments) {
      stored_.push_back({e.section_id, e.person_id, SidHash(e.sourced_id), e.teacher, e.active});
    }
    stored_by_key_.Reserve(stored_.size());
    for (std::uint32_t i = 0; i < stored_.size(); ++i) {
      const StoredEnrollment& e = stored_[i];
      auto section = section_number_.find(e.section_id);
      auto person = person_number_.find(e.person_id);
      if (section == section_number_.end() || person == person_number_.end()) continue;
      stored_by_key_.Emplace(KeyTable::Pack(section->second, person->second), i);
      if (e.sourced_id_hash != 0) stored_by_sid_.Emplace(e.sourced_id_hash, i);
    }
    for (const GuardianLink& l : roster.guardian_links) {
      roster_links_[Key(person_sid_[l.guardian_id], person_sid_[l.student_id])] = &l;
      guardian_relationship_.emplace(l.guardian_id, l.relationship);  // the first, as before
    }
    orgs_ = BySourcedId(set.orgs);
    sessions_ = BySourcedId(set.academic_sessions);
    courses_ = BySourcedId(set.courses);
    classes_ = BySourcedId(set.classes);
    users_ = BySourcedId(set.users);
  }

  void PlanRoster() {
    PlanOrgs();
    PlanSessions();
    PlanCourses();
    PlanClasses();
    PlanPeople();
    PlanGuardianLinks();
    if (set_.Mode(kUsersFile) == FileMode::kBulk) {
      for (const Person& p : roster_.people) {
        if (!users_.contains(p.sourced_id) && p.role != PersonRole::kAdmin) {
          DeactivatePerson(p.sourced_id);
        }
      }
    }
  }

  PlannedImport Take() {
    if (!out_.ok()) out_.plan = RosterImportPlan{};
    return std::move(out_);
  }
  const std::vector<ImportProblem>& problems() const { return out_.problems; }
  ChangeSet& changes() { return out_.plan.changes; }

  void PlanEnrollment(const EnrollmentRecord& e, std::vector<ChangeSet::EnrollmentRow>& rows);
  std::vector<ChangeSet::EnrollmentKey> FinishEnrollments();

 private:
  using EnrollmentKeyString = std::pair<std::string, std::string>;  // section, person
  static EnrollmentKeyString Key(std::string a, std::string b) {
    return {std::move(a), std::move(b)};
  }
  void Problem(const char* file, int line, const char* column, std::string reason) {
    out_.problems.push_back({file, line, column, 0, std::move(reason)});
  }
  void Warning(const char* file, int line, const char* column, std::string reason) {
    out_.plan.warnings.push_back({file, line, column, 0, std::move(reason)});
  }
  bool Rejected(const char* file, const std::string& sid) const {
    auto it = set_.rejected_ids.find(file);
    return it != set_.rejected_ids.end() && it->second.contains(sid);
  }
  RosterImportPlan& plan() { return out_.plan; }

  // --- orgs ---

  // What kind of org `sid` is: "district", "school", another OneRoster type,
  // or "" when unknown (`found` says why).
  std::string OrgType(const std::string& sid, Found& found) const {
    if (auto it = orgs_.find(sid); it != orgs_.end()) {
      found = it->second->status == RecordStatus::kToBeDeleted && !InRosterOrg(sid)
                  ? Found::kDeleted
                  : Found::kFile;
      return it->second->type.empty() && InRosterOrg(sid) ? RosterOrgType(sid) : it->second->type;
    }
    if (InRosterOrg(sid)) {
      found = Found::kRoster;
      return RosterOrgType(sid);
    }
    found = Rejected(kOrgsFile, sid) ? Found::kRejected : Found::kNowhere;
    return "";
  }
  bool InRosterOrg(const std::string& sid) const {
    return roster_districts_.contains(sid) || roster_schools_.contains(sid);
  }
  std::string RosterOrgType(const std::string& sid) const {
    return roster_districts_.contains(sid) ? "district" : "school";
  }

  // The only district there is (files and roster together), if exactly one.
  std::optional<std::string> OnlyDistrict() const {
    std::set<std::string> all;
    for (const OrgRecord& org : set_.orgs) {
      if (org.type == "district") all.insert(org.sourced_id);
    }
    for (const auto& [sid, district] : roster_districts_) all.insert(sid);
    if (all.size() != 1) return std::nullopt;
    return *all.begin();
  }

  // A school's district: up its parents to the nearest district, else the
  // only district. Reports a problem (once, at the school) when neither.
  std::optional<std::string> DistrictOfSchool(const OrgRecord& school) {
    std::string parent = school.parent_sourced_id;
    for (int hops = 0; hops < 16 && !parent.empty(); ++hops) {
      Found found = Found::kNowhere;
      const std::string type = OrgType(parent, found);
      if (found == Found::kRejected) return std::nullopt;
      if (found == Found::kNowhere) {
        Problem(kOrgsFile, school.line, "parentSourcedId",
                "'" + parent + "' names no org in orgs.csv or the roster");
        return std::nullopt;
      }
      if (type == "district") return parent;
      if (type == "school") {
        Problem(kOrgsFile, school.line, "parentSourcedId",
                "'" + parent + "' is a school; a school's parent is its district");
        return std::nullopt;
      }
      auto it = orgs_.find(parent);
      parent = it == orgs_.end() ? "" : it->second->parent_sourced_id;
    }
    if (auto only = OnlyDistrict()) return only;
    Problem(kOrgsFile, school.line, "parentSourcedId",
            "school '" + school.sourced_id +
                "' has no district among its parents, and there is not exactly one district");
    return std::nullopt;
  }

  void PlanOrgs() {
    for (const OrgRecord& org : set_.orgs) {
      if (org.status == RecordStatus::kToBeDeleted) {
        if (InRosterOrg(org.sourced_id)) {
          Warning(kOrgsFile, org.line, "status",
                  "Cairn keeps districts and schools; '" + org.sourced_id + "' is not removed");
        }
        continue;
      }
      if (org.type == "district") {
        ChangeSet::DistrictRow row{org.sourced_id, org.name};
        auto it = roster_districts_.find(org.sourced_id);
        if (it == roster_districts_.end()) {
          changes().districts.push_back(row);
          ++plan().districts.added;
        } else if (it->second->name != row.name) {
          changes().districts.push_back(row);
          ++plan().districts.updated;
        }
      } else if (org.type == "school") {
        if (roster_districts_.contains(org.sourced_id)) {
          Problem(kOrgsFile, org.line, "type",
                  "'" + org.sourced_id + "' is a district in the roster, not a school");
          continue;
        }
        auto district = DistrictOfSchool(org);
        if (!district) continue;
        school_district_[org.sourced_id] = *district;
        ChangeSet::SchoolRow row{org.sourced_id, *district, org.name};
        auto it = roster_schools_.find(org.sourced_id);
        if (it == roster_schools_.end()) {
          changes().schools.push_back(row);
          ++plan().schools.added;
        } else if (it->second->name != row.name ||
                   district_sid_[it->second->district_id] != row.district) {
          changes().schools.push_back(row);
          ++plan().schools.updated;
        }
      } else {
        ++plan().orgs_not_kept;
      }
    }
  }

  // The district of a district or school org (files or roster).
  std::optional<std::string> DistrictOf(const std::string& org_sid) {
    Found found = Found::kNowhere;
    const std::string type = OrgType(org_sid, found);
    if (type == "district") return org_sid;
    if (type != "school") return std::nullopt;
    if (auto it = school_district_.find(org_sid); it != school_district_.end()) return it->second;
    if (auto it = roster_schools_.find(org_sid); it != roster_schools_.end()) {
      return district_sid_[it->second->district_id];
    }
    return std::nullopt;
  }

  // --- academic sessions ---

  Found FindSession(const std::string& sid) const {
    if (auto it = sessions_.find(sid); it != sessions_.end()) {
      return it->second->status == RecordStatus::kToBeDeleted && !roster_sessions_.contains(sid)
                 ? Found::kDeleted
                 : Found::kFile;
    }
    if (roster_sessions_.contains(sid)) return Found::kRoster;
    return Rejected(kAcademicSessionsFile, sid) ? Found::kRejected : Found::kNowhere;
  }

  std::string SessionTitle(const std::string& sid) const {
    if (auto it = sessions_.find(sid); it != sessions_.end()) return it->second->title;
    if (auto it = roster_sessions_.find(sid); it != roster_sessions_.end()) {
      return it->second->title;
    }
    return "";
  }

  void PlanSessions() {
    for (const AcademicSessionRecord& s : set_.academic_sessions) {
      if (s.status == RecordStatus::kToBeDeleted) {
        if (roster_sessions_.contains(s.sourced_id)) {
          Warning(kAcademicSessionsFile, s.line, "status",
                  "Cairn keeps academic sessions; '" + s.sourced_id + "' is not removed");
        }
        continue;
      }
      if (!s.parent_sourced_id.empty()) {
        const Found found = FindSession(s.parent_sourced_id);
        if (found == Found::kNowhere) {
          Problem(kAcademicSessionsFile, s.line, "parentSourcedId",
                  "'" + s.parent_sourced_id +
                      "' names no session in academicSessions.csv or the roster");
          continue;
        }
      }
      AcademicSession row{0,          s.sourced_id,        s.title,      s.type, s.start_date,
                          s.end_date, s.parent_sourced_id, s.school_year};
      auto it = roster_sessions_.find(s.sourced_id);
      if (it == roster_sessions_.end()) {
        changes().academic_sessions.push_back(row);
        ++plan().academic_sessions.added;
      } else {
        const AcademicSession& old = *it->second;
        if (old.title != row.title || old.type != row.type || old.start_date != row.start_date ||
            old.end_date != row.end_date || old.parent_sourced_id != row.parent_sourced_id ||
            old.school_year != row.school_year) {
          changes().academic_sessions.push_back(row);
          ++plan().academic_sessions.updated;
        }
      }
    }
  }

  // --- courses ---

  void PlanCourses() {
    for (const CourseRecord& c : set_.courses) {
      if (c.status == RecordStatus::kToBeDeleted) {
        if (roster_courses_.contains(c.sourced_id)) {
          Warning(kCoursesFile, c.line, "status",
                  "Cairn keeps courses; '" + c.sourced_id + "' is not removed");
        }
        continue;
      }
      bool ok = true;
      if (!c.school_year_sourced_id.empty()) {
        const Found found = FindSession(c.school_year_sourced_id);
        if (found == Found::kNowhere || found == Found::kDeleted) {
          Problem(kCoursesFile, c.line, "schoolYearSourcedId",
                  "'" + c.school_year_sourced_id +
                      (found == Found::kDeleted
                           ? "' is a session this import deletes"
                           : "' names no session in academicSessions.csv or the roster"));
          ok = false;
        }
      }
      Found found = Found::kNowhere;
      const std::string type = OrgType(c.org_sourced_id, found);
      std::optional<std::string> district;
      if (found == Found::kNowhere) {
        Problem(kCoursesFile, c.line, "orgSourcedId",
                "'" + c.org_sourced_id + "' names no org in orgs.csv or the roster");
      } else if (found == Found::kDeleted) {
        Problem(kCoursesFile, c.line, "orgSourcedId",
                "'" + c.org_sourced_id + "' is an org this import deletes");
      } else if (found != Found::kRejected) {
        district = DistrictOf(c.org_sourced_id);
        if (!district && (type == "district" || type == "school")) continue;  // reported there
        if (!district) {
          Problem(kCoursesFile, c.line, "orgSourcedId",
                  "'" + c.org_sourced_id + "' is a " + type +
                      "; a course belongs to a district or a school");
        }
      }
      if (!ok || !district) continue;
      ChangeSet::CourseRow row{c.sourced_id, *district, c.title};
      auto it = roster_courses_.find(c.sourced_id);
      if (it == roster_courses_.end()) {
        changes().courses.push_back(row);
        ++plan().courses.added;
      } else if (it->second->title != row.title ||
                 district_sid_[it->second->district_id] != row.district) {
        changes().courses.push_back(row);
        ++plan().courses.updated;
      }
    }
  }

  Found FindCourse(const std::string& sid) const {
    if (auto it = courses_.find(sid); it != courses_.end()) {
      return it->second->status == RecordStatus::kToBeDeleted && !roster_courses_.contains(sid)
                 ? Found::kDeleted
                 : Found::kFile;
    }
    if (roster_courses_.contains(sid)) return Found::kRoster;
    return Rejected(kCoursesFile, sid) ? Found::kRejected : Found::kNowhere;
  }

  // A reference that must name a school: reports and returns false if not.
  bool CheckSchool(const char* file, int line, const char* column, const std::string& sid) {
    Found found = Found::kNowhere;
    const std::string type = OrgType(sid, found);
    if (found == Found::kRejected) return false;
    if (found == Found::kNowhere) {
      Problem(file, line, column, "'" + sid + "' names no org in orgs.csv or the roster");
      return false;
    }
    if (found == Found::kDeleted) {
      Problem(file, line, column, "'" + sid + "' is an org this import deletes");
      return false;
    }
    if (type != "school") {
      Problem(file, line, column, "'" + sid + "' is a " + type + ", not a school");
      return false;
    }
    return true;
  }

  // --- classes -> sections ---

  void PlanClasses() {
    for (const ClassRecord& c : set_.classes) {
      if (c.status == RecordStatus::kToBeDeleted) {
        deleted_sections_.insert(c.sourced_id);
        continue;
      }
      bool ok = true;
      const Found course = FindCourse(c.course_sourced_id);
      if (course == Found::kNowhere || course == Found::kDeleted) {
        Problem(kClassesFile, c.line, "courseSourcedId",
                "'" + c.course_sourced_id +
                    (course == Found::kDeleted ? "' is a course this import deletes"
                                               : "' names no course in courses.csv or the roster"));
        ok = false;
      }
      ok = course != Found::kRejected && ok;
      ok = CheckSchool(kClassesFile, c.line, "schoolSourcedId", c.school_sourced_id) && ok;
      for (const std::string& term : c.term_sourced_ids) {
        const Found found = FindSession(term);
        if (found == Found::kNowhere || found == Found::kDeleted) {
          Problem(kClassesFile, c.line, "termSourcedIds",
                  "'" + term +
                      (found == Found::kDeleted
                           ? "' is a session this import deletes"
                           : "' names no session in academicSessions.csv or the roster"));
          ok = false;
        }
        ok = found != Found::kRejected && ok;
      }
      if (!ok) continue;
      const std::string term_sid = c.term_sourced_ids.empty() ? "" : c.term_sourced_ids.front();
      ChangeSet::SectionRow row{c.sourced_id, c.school_sourced_id,    c.course_sourced_id,
                                c.title,      SessionTitle(term_sid), term_sid};
      section_school_[c.sourced_id] = c.school_sourced_id;
      auto it = roster_sections_.find(c.sourced_id);
      if (it == roster_sections_.end()) {
        changes().sections.push_back(row);
        ++plan().sections.added;
        continue;
      }
      const Section& old = *it->second;
      if (old.title != row.title || school_sid_[old.school_id] != row.school ||
          course_sid_[old.course_id] != row.course || old.term != row.term ||
          old.term_sourced_id != row.term_sourced_id) {
        changes().sections.push_back(row);
        ++plan().sections.updated;
      }
    }
  }

  // --- users, roles, demographics -> people ---

  struct UserPlan {
    RoleChoice role;
    ChangeSet::PersonRow row;
  };

  // The role and orgs of one active user, from users.csv (1.1) or roles.csv
  // (1.2). False when a problem was reported.
  bool ResolveUser(const UserRecord& user, const std::vector<const RoleRecord*>& roles,
                   UserPlan& out) {
    std::string role_name = user.role;
    std::vector<std::pair<std::string, const char*>> orgs;  // sid, column
    const char* role_file = kUsersFile;
    int role_line = user.line;
    if (!roles.empty()) {
      const RoleRecord* chosen = roles.front();
      for (const RoleRecord* r : roles) {
        if (r->primary) {
          chosen = r;
          break;
        }
      }
      role_name = chosen->role;
      role_file = kRolesFile;
      role_line = chosen->line;
      orgs.emplace_back(chosen->org_sourced_id, "orgSourcedId");
    }
    if (!user.primary_org.empty()) orgs.emplace_back(user.primary_org, "primaryOrgSourcedId");
    for (const std::string& org : user.org_sourced_ids) orgs.emplace_back(org, "orgSourcedIds");

    const Person* existing = nullptr;
    if (auto it = roster_people_.find(user.sourced_id); it != roster_people_.end()) {
      existing = it->second;
    }
    if (role_name.empty() && !existing) {
      const bool v12 = set_.version == "1.2";
      Problem(
          kUsersFile, user.line, v12 ? "sourcedId" : "role",
          v12 ? "user '" + user.sourced_id + "' has no role in roles.csv" : "required, but blank");
      return false;
    }

    std::string school, district;
    bool ok = true;
    for (const auto& [org, column] : orgs) {
      Found found = Found::kNowhere;
      const std::string type = OrgType(org, found);
      const char* file = std::string_view(column) == "orgSourcedId" ? kRolesFile : kUsersFile;
      const int line = file == kRolesFile ? role_line : user.line;
      if (found == Found::kNowhere || found == Found::kDeleted) {
        Problem(file, line, column,
                "'" + org +
                    (found == Found::kDeleted ? "' is an org this import deletes"
                                              : "' names no org in orgs.csv or the roster"));
        ok = false;
        continue;
      }
      if (found == Found::kRejected) {
        ok = false;
        continue;
      }
      if (type == "school" && school.empty()) school = org;
      if (type == "district" && district.empty()) district = org;
    }
    if (!ok) return false;
    const bool has_orgs = !orgs.empty();
    if (!school.empty()) {
      auto d = DistrictOf(school);
      if (!d) return false;  // the school's own problem is reported
      district = *d;
    }
    if (district.empty() && existing && !has_orgs) {
      district = district_sid_[existing->district_id];
      if (existing->school_id) school = school_sid_[*existing->school_id];
    }
    if (district.empty()) {
      if (auto only = OnlyDistrict()) {
        district = *only;
      } else {
        Problem(kUsersFile, user.line,
                set_.version == "1.2" ? "primaryOrgSourcedId" : "orgSourcedIds",
                "cannot tell the district of user '" + user.sourced_id +
                    "': none of their orgs is a school or a district");
        return false;
      }
    }
    if (role_name.empty()) {
      out.role = {existing->role, ""};
    } else {
      auto role = MapRole(role_name, school.empty());
      if (!role) {
        Problem(role_file, role_line, "role", "'" + role_name + "' is not a role Cairn maps");
        return false;
      }
      out.role = *role;
    }

    ChangeSet::PersonRow& row = out.row;
    row.sourced_id = user.sourced_id;
    row.role = out.role.role;
    row.given_name = user.given_name;
    row.family_name = user.family_name;
    row.email = user.email;
    row.district = district;
    row.school = school;
    if (existing) row.demographics = existing->demographics;
    row.demographics.grade = user.grades.empty() ? "" : user.grades.front();
    row.active = true;
    return true;
  }

  void PlanPeople() {
    const bool use_roles = set_.Mode(kRolesFile) != FileMode::kAbsent;
    std::unordered_map<std::string, std::vector<const RoleRecord*>> roles_of;
    for (const RoleRecord& r : set_.roles) {
      if (r.status == RecordStatus::kToBeDeleted) continue;
      const bool known = users_.contains(r.user_sourced_id) ||
                         roster_people_.contains(r.user_sourced_id) ||
                         Rejected(kUsersFile, r.user_sourced_id);
      if (!known) {
        Problem(kRolesFile, r.line, "userSourcedId",
                "'" + r.user_sourced_id + "' names no user in users.csv or the roster");
        continue;
      }
      roles_of[r.user_sourced_id].push_back(&r);
    }
    for (const UserProfileRecord& p : set_.user_profiles) {
      if (p.status == RecordStatus::kToBeDeleted) continue;
      if (!users_.contains(p.user_sourced_id) && !roster_people_.contains(p.user_sourced_id) &&
          !Rejected(kUsersFile, p.user_sourced_id)) {
        Problem(kUserProfilesFile, p.line, "userSourcedId",
                "'" + p.user_sourced_id + "' names no user in users.csv or the roster");
      }
    }

    for (const UserRecord& user : set_.users) {
      if (user.status == RecordStatus::kToBeDeleted) {
        DeactivatePerson(user.sourced_id);
        continue;
      }
      static const std::vector<const RoleRecord*> kNone;
      auto roles = use_roles ? roles_of.find(user.sourced_id) : roles_of.end();
      UserPlan planned;
      if (!ResolveUser(user, roles == roles_of.end() ? kNone : roles->second, planned)) continue;
      user_roles_[user.sourced_id] = planned.role;
      pending_people_[user.sourced_id] = std::move(planned.row);
      person_order_.push_back(user.sourced_id);
    }

    for (const DemographicsRecord& d : set_.demographics) {
      ChangeSet::PersonRow* row = PendingPerson(d.sourced_id);
      if (!row) {
        if (!Rejected(kUsersFile, d.sourced_id) && !UserDeleted(d.sourced_id)) {
          Problem(kDemographicsFile, d.line, "sourcedId",
                  "'" + d.sourced_id + "' names no user in users.csv or the roster");
        }
        continue;
      }
      if (d.status == RecordStatus::kToBeDeleted) {
        row->demographics.gender.clear();
        row->demographics.race_ethnicity.clear();
        continue;
      }
      row->demographics.gender = d.sex == "unspecified" ? "" : d.sex;
      row->demographics.race_ethnicity = RaceEthnicity(d);
    }

    // Each row moves to the plan: from here on pending_people_ only says who
    // has one (a copy of every person's row doubled the import's memory).
    for (const std::string& sid : person_order_) {
      ChangeSet::PersonRow& row = pending_people_[sid];
      auto it = roster_people_.find(sid);
      if (it == roster_people_.end()) {
        changes().people.push_back(std::move(row));
        ++plan().people.added;
        continue;
      }
      const Person& old = *it->second;
      const std::string old_school = old.school_id ? school_sid_[*old.school_id] : "";
      if (!SamePerson(row, old, district_sid_[old.district_id], old_school)) {
        changes().people.push_back(std::move(row));
        ++plan().people.updated;
      }
    }
  }

  bool UserDeleted(const std::string& sid) const {
    auto it = users_.find(sid);
    return it != users_.end() && it->second->status == RecordStatus::kToBeDeleted;
  }

  // The person row this import writes for `sid`: from users.csv, or the
  // stored person (for demographics of someone users.csv does not name).
  ChangeSet::PersonRow* PendingPerson(const std::string& sid) {
    if (auto it = pending_people_.find(sid); it != pending_people_.end()) return &it->second;
    if (users_.contains(sid)) return nullptr;  // in users.csv but rejected or deleted
    auto stored = roster_people_.find(sid);
    if (stored == roster_people_.end()) return nullptr;
    const Person& p = *stored->second;
    ChangeSet::PersonRow row{p.sourced_id,
                             p.role,
                             p.given_name,
                             p.family_name,
                             p.email,
                             district_sid_[p.district_id],
                             p.school_id ? school_sid_[*p.school_id] : "",
                             p.demographics,
                             p.active};
    person_order_.push_back(sid);
    return &(pending_people_[sid] = std::move(row));
  }

  // --- guardians ---

  // The role `sid` will have after the import, if known.
  std::optional<RoleChoice> RoleOf(const std::string& sid) const {
    if (auto it = user_roles_.find(sid); it != user_roles_.end()) return it->second;
    if (auto it = roster_people_.find(sid); it != roster_people_.end()) {
      std::string relationship;
      if (auto link = guardian_relationship_.find(it->second->id);
          link != guardian_relationship_.end()) {
        relationship = link->second;
      }
      return RoleChoice{it->second->role, relationship.empty() ? "guardian" : relationship};
    }
    return std::nullopt;
  }

  void PlanGuardianLinks() {
    std::set<EnrollmentKeyString> seen;
    for (const UserRecord& user : set_.users) {
      if (user.status == RecordStatus::kToBeDeleted) continue;
      auto self = user_roles_.find(user.sourced_id);
      if (self == user_roles_.end()) continue;  // rejected: reported already
      for (const std::string& agent : user.agent_sourced_ids) {
        if (Rejected(kUsersFile, agent)) continue;
        if (UserDeleted(agent)) {
          Problem(kUsersFile, user.line, "agentSourcedIds",
                  "'" + agent + "' is a user this import deletes");
          continue;
        }
        auto other = RoleOf(agent);
        if (!other) {
          Problem(kUsersFile, user.line, "agentSourcedIds",
                  "'" + agent + "' names no user in users.csv or the roster");
          continue;
        }
        ChangeSet::GuardianLinkRow row;
        if (self->second.role == PersonRole::kGuardian && other->role == PersonRole::kStudent) {
          row = {user.sourced_id, agent, self->second.relationship};
        } else if (self->second.role == PersonRole::kStudent &&
                   other->role == PersonRole::kGuardian) {
          row = {agent, user.sourced_id, other->relationship};
        } else {
          Warning(kUsersFile, user.line, "agentSourcedIds",
                  "agent '" + agent + "' (" + std::string(PersonRoleName(other->role)) + ") of " +
                      std::string(PersonRoleName(self->second.role)) + " '" + user.sourced_id +
                      "' is not a guardian-student pair; not linked");
          continue;
        }
        if (!seen.insert(Key(row.guardian, row.student)).second) continue;
        auto it = roster_links_.find(Key(row.guardian, row.student));
        if (it == roster_links_.end()) {
          changes().guardian_links.push_back(row);
          ++plan().guardian_links.added;
        } else if (it->second->relationship != row.relationship) {
          changes().guardian_links.push_back(row);
          ++plan().guardian_links.updated;
        }
      }
    }
  }

  // --- enrollments ---

  Found FindClass(const std::string& sid) const {
    if (auto it = classes_.find(sid); it != classes_.end()) {
      return it->second->status == RecordStatus::kToBeDeleted ? Found::kDeleted : Found::kFile;
    }
    if (roster_sections_.contains(sid)) return Found::kRoster;
    return Rejected(kClassesFile, sid) ? Found::kRejected : Found::kNowhere;
  }

  Found FindUser(const std::string& sid) const {
    if (auto it = users_.find(sid); it != users_.end()) {
      return it->second->status == RecordStatus::kToBeDeleted ? Found::kDeleted : Found::kFile;
    }
    if (roster_people_.contains(sid)) return Found::kRoster;
    return Rejected(kUsersFile, sid) ? Found::kRejected : Found::kNowhere;
  }

  std::string SchoolOfSection(const std::string& sid) {
    if (auto it = section_school_.find(sid); it != section_school_.end()) return it->second;
    if (auto it = roster_sections_.find(sid); it != roster_sections_.end()) {
      return school_sid_[it->second->school_id];
    }
    return "";
  }

  // What an enrollment needs of its class and its user, found once per
  // class and per user rather than once per enrollment (a million
  // enrollments name 40k classes and 210k users). Read after classes and
  // people are planned, which these do not change.
  struct ClassFacts {
    Found found = Found::kNowhere;
    bool usable = false;  // false: the class had problems of its own
    std::string school;   // its school's sourced id, when found
    std::uint32_t number = 0;
  };
  struct UserFacts {
    Found found = Found::kNowhere;
    bool usable = false;  // false: the user had problems of their own
    std::uint32_t number = 0;
  };
  const ClassFacts& FactsOfClass(const std::string& sid) {
    auto [it, inserted] = class_facts_.try_emplace(sid);
    if (!inserted) return it->second;
    ClassFacts& facts = it->second;
    facts.found = FindClass(sid);
    if (facts.found == Found::kFile || facts.found == Found::kRoster) {
      facts.school = SchoolOfSection(sid);
    }
    facts.usable = !(facts.found == Found::kFile && !section_school_.contains(sid) &&
                     !roster_sections_.contains(sid));
    auto stored = roster_sections_.find(sid);
    facts.number = stored != roster_sections_.end() ? section_number_.at(stored->second->id)
                                                    : next_section_number_++;
    return facts;
  }
  const UserFacts& FactsOfUser(const std::string& sid) {
    auto [it, inserted] = user_facts_.try_emplace(sid);
    if (!inserted) return it->second;
    UserFacts& facts = it->second;
    facts.found = FindUser(sid);
    facts.usable = !(facts.found == Found::kFile && !pending_people_.contains(sid) &&
                     !roster_people_.contains(sid));
    auto stored = roster_people_.find(sid);
    facts.number = stored != roster_people_.end() ? person_number_.at(stored->second->id)
                                                  : next_person_number_++;
    return facts;
  }
  // Schools found valid (a problem is reported at every line that names a
  // bad one, so only good answers are kept).
  bool SchoolOk(int line, const std::string& sid) {
    if (good_schools_.contains(sid)) return true;
    if (!CheckSchool(kEnrollmentsFile, line, "schoolSourcedId", sid)) return false;
    good_schools_.insert(sid);
    return true;
  }

  // --- deactivations ---

  void DeactivatePerson(const std::string& sid) {
    auto it = roster_people_.find(sid);
    if (it == roster_people_.end()) return;
    if (it->second->active && deactivated_people_.insert(sid).second) {
      changes().people_deactivated.push_back(sid);
      ++plan().people.deactivated;
    }
    person_dropped_[person_number_.at(it->second->id)] = true;  // and their enrollments
  }

  // The stored enrollment of `class_sid` and `user_sid`, if any.
  const std::uint32_t* StoredOf(const std::string& class_sid, const std::string& user_sid) const {
    auto section = roster_sections_.find(class_sid);
    auto person = roster_people_.find(user_sid);
    if (section == roster_sections_.end() || person == roster_people_.end()) return nullptr;
    return stored_by_key_.Find(KeyTable::Pack(section_number_.at(section->second->id),
                                              person_number_.at(person->second->id)));
  }
  static std::uint64_t SidHash(std::string_view sourced_id) {
    return StoredEnrollment::HashOf(sourced_id);
  }

  const Roster& roster_;
  const OneRosterSet& set_;
  PlannedImport out_;

  std::unordered_map<Id, std::string> district_sid_, school_sid_, course_sid_, section_sid_,
      person_sid_;
  std::unordered_map<std::string, const District*> roster_districts_;
  std::unordered_map<std::string, const School*> roster_schools_;
  std::unordered_map<std::string, const Course*> roster_courses_;
  std::unordered_map<std::string, const AcademicSession*> roster_sessions_;
  std::unordered_map<std::string, const Section*> roster_sections_;
  std::unordered_map<std::string, const Person*> roster_people_;
  std::map<EnrollmentKeyString, const GuardianLink*> roster_links_;
  std::unordered_map<Id, std::uint32_t> section_number_, person_number_;  // stored ones
  std::uint32_t next_section_number_ = 0, next_person_number_ = 0;

  // The stored enrollments, found by their section's and person's numbers
  // and by a hash of their sourcedId (key_table.h).
  std::vector<StoredEnrollment> stored_;
  KeyTable stored_by_key_, stored_by_sid_;
  std::vector<bool> section_dropped_, person_dropped_;         // by number
  std::unordered_map<Id, std::string> guardian_relationship_;  // first link's, per guardian

  std::unordered_map<std::string, const OrgRecord*> orgs_;
  std::unordered_map<std::string, const AcademicSessionRecord*> sessions_;
  std::unordered_map<std::string, const CourseRecord*> courses_;
  std::unordered_map<std::string, const ClassRecord*> classes_;
  std::unordered_map<std::string, const UserRecord*> users_;

  std::unordered_map<std::string, std::string> school_district_;  // from the files
  std::unordered_map<std::string, std::string> section_school_;   // planned sections
  std::set<std::string> deleted_sections_;
  std::unordered_map<std::string, RoleChoice> user_roles_;
  std::unordered_map<std::string, ChangeSet::PersonRow> pending_people_;
  std::vector<std::string> person_order_;
  std::set<std::string> deactivated_people_;
  KeyTable enrolled_;  // (section, person) numbers this import writes -> line
  std::unordered_map<std::string, ClassFacts> class_facts_;
  std::unordered_map<std::string, UserFacts> user_facts_;
  std::unordered_set<std::string> good_schools_;
};

void RosterImportPlanner::Impl::PlanEnrollment(const EnrollmentRecord& e,
                                               std::vector<ChangeSet::EnrollmentRow>& rows) {
  if (e.status == RecordStatus::kToBeDeleted) {
    const std::uint32_t* stored = stored_by_sid_.Find(KeyTable::Hash(e.sourced_id));
    if (!stored && !e.class_sourced_id.empty() && !e.user_sourced_id.empty()) {
      stored = StoredOf(e.class_sourced_id, e.user_sourced_id);
    }
    if (stored) stored_[*stored].drop = true;
    if (const std::uint32_t* named = StoredOf(e.class_sourced_id, e.user_sourced_id)) {
      stored_[*named].named = true;
    }
    return;
  }
  bool ok = true;
  const ClassFacts& class_facts = FactsOfClass(e.class_sourced_id);
  const UserFacts& user_facts = FactsOfUser(e.user_sourced_id);
  const Found section = class_facts.found;
  if (section == Found::kNowhere || section == Found::kDeleted) {
    Problem(kEnrollmentsFile, e.line, "classSourcedId",
            "'" + e.class_sourced_id +
                (section == Found::kDeleted ? "' is a class this import deletes"
                                            : "' names no class in classes.csv or the roster"));
    ok = false;
  }
  const Found user = user_facts.found;
  if (user == Found::kNowhere || user == Found::kDeleted) {
    Problem(kEnrollmentsFile, e.line, "userSourcedId",
            "'" + e.user_sourced_id +
                (user == Found::kDeleted ? "' is a user this import deletes"
                                         : "' names no user in users.csv or the roster"));
    ok = false;
  }
  if (SchoolOk(e.line, e.school_sourced_id) &&
      (section == Found::kFile || section == Found::kRoster)) {
    const std::string& school = class_facts.school;
    if (!school.empty() && school != e.school_sourced_id) {
      Problem(kEnrollmentsFile, e.line, "schoolSourcedId",
              "'" + e.school_sourced_id + "' is not the school of class '" + e.class_sourced_id +
                  "' ('" + school + "')");
      ok = false;
    }
  }
  if (!ok || section == Found::kRejected || user == Found::kRejected) return;
  if (!class_facts.usable || !user_facts.usable) return;  // problems of their own
  const std::uint64_t key = KeyTable::Pack(class_facts.number, user_facts.number);
  auto [first_line, inserted] = enrolled_.Emplace(key, static_cast<std::uint32_t>(e.line));
  if (!inserted) {
    Problem(kEnrollmentsFile, e.line, "userSourcedId",
            "'" + e.user_sourced_id + "' is already enrolled in '" + e.class_sourced_id +
                "' on line " + std::to_string(first_line));
    return;
  }
  const bool teacher = e.role != "student";
  const std::uint32_t* stored = stored_by_key_.Find(key);
  if (!stored) {
    rows.push_back({e.sourced_id, e.class_sourced_id, e.user_sourced_id, teacher,
                    class_facts.number + 1, user_facts.number + 1});
    ++plan().enrollments.added;
    if (const std::uint32_t* moved = stored_by_sid_.Find(KeyTable::Hash(e.sourced_id))) {
      stored_[*moved].drop = true;  // the store releases its sourced id
    }
    return;
  }
  StoredEnrollment& known = stored_[*stored];
  known.named = known.enrolled = true;
  if (known.teacher != teacher || !known.active || known.sourced_id_hash != SidHash(e.sourced_id)) {
    rows.push_back({e.sourced_id, e.class_sourced_id, e.user_sourced_id, teacher,
                    class_facts.number + 1, user_facts.number + 1});
    ++plan().enrollments.updated;
  }
}

// Deactivation is planned last-wins: a key the import also enrolls stays.
std::vector<RosterChangeSet::EnrollmentKey> RosterImportPlanner::Impl::FinishEnrollments() {
  for (const std::string& section : deleted_sections_) {
    auto it = roster_sections_.find(section);
    if (it != roster_sections_.end()) section_dropped_[section_number_.at(it->second->id)] = true;
  }
  const bool bulk = set_.Mode(kEnrollmentsFile) == FileMode::kBulk;
  std::vector<ChangeSet::EnrollmentKey> keys;
  for (const StoredEnrollment& e : stored_) {
    if (e.enrolled || !e.active) continue;
    auto section = section_number_.find(e.section_id);
    auto person = person_number_.find(e.person_id);
    if (section == section_number_.end() || person == person_number_.end()) continue;
    const bool drop = e.drop || section_dropped_[section->second] ||
                      person_dropped_[person->second] || (bulk && !e.named);
    if (!drop) continue;
    keys.push_back(
        {roster_.sections[section->second].sourced_id, roster_.people[person->second].sourced_id});
  }
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    return std::tie(a.section, a.person) < std::tie(b.section, b.person);
  });
  plan().enrollments.deactivated += static_cast<int>(keys.size());
  return keys;
}

std::uint64_t StoredEnrollment::HashOf(std::string_view sourced_id) {
  return sourced_id.empty() ? 0 : KeyTable::Hash(sourced_id);
}

RosterImportPlanner::RosterImportPlanner(const Roster& current, const OneRosterSet& set,
                                         std::vector<StoredEnrollment> stored)
    : impl_(std::make_unique<Impl>(current, set, std::move(stored))) {}
RosterImportPlanner::~RosterImportPlanner() = default;

void RosterImportPlanner::PlanRoster() { impl_->PlanRoster(); }
void RosterImportPlanner::PlanEnrollment(const EnrollmentRecord& record,
                                         std::vector<RosterChangeSet::EnrollmentRow>& rows) {
  impl_->PlanEnrollment(record, rows);
}
std::vector<RosterChangeSet::EnrollmentKey> RosterImportPlanner::FinishEnrollments() {
  return impl_->FinishEnrollments();
}
const std::vector<ImportProblem>& RosterImportPlanner::problems() const {
  return impl_->problems();
}
RosterChangeSet& RosterImportPlanner::changes() { return impl_->changes(); }
PlannedImport RosterImportPlanner::Take() { return impl_->Take(); }

PlannedImport PlanRosterImport(const Roster& current, const OneRosterSet& set) {
  RosterImportPlanner planner(current, set);
  planner.PlanRoster();
  RosterChangeSet& changes = planner.changes();
  for (const EnrollmentRecord& e : set.enrollments) planner.PlanEnrollment(e, changes.enrollments);
  changes.enrollments_deactivated = planner.FinishEnrollments();
  return planner.Take();
}

}  // namespace cairn::oneroster
