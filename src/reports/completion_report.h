// Completion by badge, school and course (the leaders' report behind
// GET /api/v1/reports/completion), with small groups suppressed so that no
// student can be singled out, in any one report or by combining them.
//
// BuildCompletionReport computes all three dimensions at once from the
// tracking-sheet rows the caller may see, and makes one set of suppression
// decisions for all of them: whichever `by` the caller asks for, and however
// many times, the same groups are hidden, so combining the three reports
// reveals nothing that one of them hides.
//
// Suppression:
//   * Primary: a group with fewer than `minimum_group_size` distinct students
//     is hidden, counts and all ("3 students" is itself identifying).
//   * Complementary: more groups are hidden until no hidden group's figures
//     can be derived exactly by adding and subtracting shown figures of any
//     dimension and the grand totals (for example the course totals minus the
//     shown schools give the one hidden school). See
//     reports/complementary_suppression.h for the rule and its limits (exact
//     linear derivation; non-negativity bounds are not modelled).
// The figures are modelled as linear forms over these unknowns:
//   * students and badge_enrolments: over student profiles, a profile being
//     the multiset of (school, course, badge) cells of one student's rows.
//     Every group's distinct-student count is the number of students whose
//     profile touches it, and its enrolments the profile's rows in it; both
//     are linear in the number of students of each profile. So overlapping
//     students (one student in several badges, courses, even schools) are
//     modelled exactly, not assumed away: students are additive across
//     schools when each student has one school (the usual case), and the
//     model also captures what badge and course counts say together (all
//     students of a section work on the same badges).
//   * completed and each month's completions: over the (school, course,
//     badge) cells, where completions of different rows are independent.
// Grand totals (students, enrolments, completions, each month's completions)
// are assumed known. A hidden group that the grand totals alone give away (a
// group that is everybody) cannot be protected; with fewer than
// `minimum_group_size` students in all, every group is hidden anyway.
//
// Groups are keyed by the row's badge code, school name or course title, and
// listed in key order. Suppressed groups carry no figures: they are zero here
// and absent from the JSON.
//
// Cost: O(rows log rows) to index, then complementary_suppression.h with
// about 3 forms per group over (student profiles + cells) unknowns. A
// district of 4 schools, 20 courses and 40 badges (64 groups; 1,208
// students, 5,458 rows, 707 profiles, 258 cells) takes 3.6-5.7 ms at -O2 on
// the shared 2-core machine; a dense one (every section on 8-16 badges;
// 21,874 rows, 960 profiles, 1,080 cells) about 16 ms.
//
// Thread safety: pure functions of their arguments; no I/O, no shared state.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "reports/tracking_row.h"

namespace cairn {

// The minimum the API uses.
inline constexpr int kCompletionMinimumGroupSize = 10;

enum class CompletionDimension { kBadge, kSchool, kCourse };

// "badge", "school", "course".
std::string_view CompletionDimensionName(CompletionDimension dimension);
// The inverse; InvalidArgument "by: expected badge, school or course".
Result<CompletionDimension> ParseCompletionDimension(std::string_view name);

enum class CompletionSuppression {
  kShown,
  kTooSmall,       // fewer than the minimum distinct students
  kComplementary,  // large enough, hidden so that a small group cannot be derived
};

struct CompletionGroup {
  std::string key;  // badge code, school name or course title
  CompletionSuppression suppression = CompletionSuppression::kShown;
  // The figures; all zero / empty when suppressed.
  int students = 0;          // distinct students
  int badge_enrolments = 0;  // (student, badge) rows
  int completed = 0;         // rows whose badge is confirmed
  double completion_rate = 0;
  std::map<std::string, int> by_month;  // "YYYY-MM" of completion -> completed

  bool suppressed() const { return suppression != CompletionSuppression::kShown; }
};

struct CompletionReport {
  int minimum_group_size = kCompletionMinimumGroupSize;
  std::vector<CompletionGroup> by_badge, by_school, by_course;  // each in key order

  const std::vector<CompletionGroup>& groups(CompletionDimension dimension) const;
};

// Groups with fewer than `minimum_group_size` distinct students are
// suppressed (none when it is 1 or less), then complementary suppression as
// above. Rows in any order; the result depends only on their contents.
CompletionReport BuildCompletionReport(std::span<const TrackingRow> rows,
                                       int minimum_group_size = kCompletionMinimumGroupSize);

// One dimension as the API's JSON:
// {"by": "school", "minimum_group_size": 10, "groups": [
//   {"group": "North", "suppressed": false, "students": 40, "badge_enrolments": 80,
//    "completed": 31, "completion_rate": 0.3875,
//    "by_month": [{"month": "2026-01", "completed": 12}, ...]},
//   {"group": "Tiny", "suppressed": true}]}
// Why a group is suppressed is deliberately not said.
nlohmann::json CompletionReportJson(const CompletionReport& report, CompletionDimension by);

}  // namespace cairn
