// Who may see and change what. The single place the server decides access;
// every route names one AccessRule, and the API applies it before the handler
// runs. Pure functions over a roster snapshot, so the whole matrix is testable.
//
// Roles: a student sees only their own record; a guardian the students linked
// to them; a teacher the students in their sections; a school leader their
// school; a district leader their district; an admin everything. Ratings and
// awards are written by a student's teacher, a leader of their school, or an
// admin; district leaders read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "roster/roster.h"

namespace cairn {

struct Principal {
  Person person;
  Id account_id = 0;
  bool via_token = false;    // an API token rather than a browser session
  bool token_write = false;  // the token carries the "write" scope
};

enum class AccessRule {
  kPublic,          // no login
  kAuthenticated,   // any signed-in person
  kStaff,           // teachers, leaders, admins; results are scoped by the handler
  kLeader,          // school and district leaders, admins
  kAdmin,           // admins only
  kStudentRead,     // the route's student must be readable by the principal
  kStudentWrite,    // the route's student must be writable by the principal
  kSectionRead,     // the route's section must be readable by the principal
  kSectionWrite,    // staff in the section's scope: its teachers, its leaders, admins
  kPortfolioWrite,  // the route's student themself, or someone who may write their record
  kSelf,            // the route's student themself only (their own choices)
  kSchoolLeader,    // the route's school: its school leaders, its district's leaders, admins
  kDistrictLeader,  // the route's district: its district leaders, admins
  kDistrictStaff,   // the route's district: its teachers and leaders, admins
  // The route's district: its district and school leaders, admins (handlers
  // narrow a school leader to their own school's records).
  kDistrictLeaders,
};

bool IsStaff(PersonRole role);
bool CanReadStudent(const Roster& roster, const Principal& who, const Person& student);
bool CanWriteStudent(const Roster& roster, const Principal& who, const Person& student);
bool CanReadSection(const Roster& roster, const Principal& who, const Section& section);
// Leaders of the school (its school leaders, its district's leaders) and admins.
bool CanLeadSchool(const Principal& who, const School& school);
// The district's leaders and admins.
bool CanLeadDistrict(const Principal& who, const District& district);
// Everyone the principal may read, in roster order.
std::vector<const Person*> ReadableStudents(const Roster& roster, const Principal& who);
std::vector<const Section*> ReadableSections(const Roster& roster, const Principal& who);

// Whether a request passes the rule. `student`/`section` are the records the
// route names (null when it names none or they do not exist: then only
// admins pass, and the handler answers 404); `school` likewise for
// kSchoolLeader and `district` for the kDistrict* rules. Writes through a
// read-only token are refused here too.
bool Allowed(AccessRule rule, const Roster& roster, const std::optional<Principal>& who,
             const Person* student, const Section* section, bool is_write,
             const School* school = nullptr, const District* district = nullptr);

}  // namespace cairn
