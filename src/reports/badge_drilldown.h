// The rows behind one badge's completion figure, for a leader or teacher who
// clicks it: the badge's students by school and by section, what keeps those
// not done from the badge (counted per reason), and the students themselves
// with their reasons, a page at a time (GET /api/v1/reports/badges/{badge}/students).
//
// Reasons are the tracking sheet's "what remains" items (the rule's
// explanation: a CPE short of mastery, a missing prerequisite badge, a
// missing kind of evidence, an award waiting for a teacher), counted once
// per student. When every student lacks the same prerequisite, the first
// reason says so with every student behind it.
//
// This names students: callers pass only rows of students the person asking
// may read, and audit those returned.
//
// Thread safety: pure functions of their arguments; no I/O, no shared state.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "reports/tracking_row.h"

namespace cairn {

struct DrilldownFilter {
  std::string school;      // school name; "" for all
  std::string section_id;  // section sourced id; "" for all
  enum class Status { kAll, kNotYet, kCompleted } status = Status::kNotYet;
  std::size_t limit = 100;  // at most kMaxDrilldownLimit
  std::size_t offset = 0;
};
inline constexpr std::size_t kMaxDrilldownLimit = 1000;

// From the query string values ("" when absent): status all|not_yet|completed
// (default not_yet), limit 1..1000 (default 100), offset >= 0. Errors name
// the field.
Result<DrilldownFilter> ParseDrilldownFilter(const std::string& school,
                                             const std::string& section_id,
                                             const std::string& status, const std::string& limit,
                                             const std::string& offset);

struct DrilldownPage {
  nlohmann::json json;
  std::vector<std::string> student_ids;  // the sourced ids on the returned page
};

// `rows` are tracking rows of any badges; only those of `badge` count.
//   {"badge": "M101", "title": ..., "students": 120, "completed": 40,
//    "schools": [{"school", "students", "completed"}],           all of the badge
//    "sections": [{"section_id", "section", "school", "students", "completed"}],
//                                                                 within `school`
//    "reasons": [{"reason", "students"}],    students not done, within the filter's
//                                            school and section, most common first
//    "total": 80,                            students matching the whole filter
//    "rows": [{"student_id", "student_name", "school", "section", "section_id",
//              "completed", "completed_on", "award_state", "remaining": [...],
//              "last_evidence_on"}]}       longest without evidence first, then name
DrilldownPage BuildBadgeDrilldown(const std::string& badge, const std::string& title,
                                  std::span<const TrackingRow> rows, const DrilldownFilter& filter);

}  // namespace cairn
