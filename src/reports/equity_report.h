// Badge completion broken down by each demographic field the roster has
// (the leaders' equity report behind GET /api/v1/reports/equity): how many
// students, badges taken on, completed and not yet, per group, and each
// group's gap to everyone, with small groups suppressed.
//
// A blank field is its own group, "Unknown", never guessed or dropped: a
// district must see how much of its roster is unreported.
//
// Suppression works as in completion_report.h, with one set of decisions for
// all five fields, so that whichever fields a user asks for, and however
// often, the same groups are hidden and no hidden group can be worked out
// from shown ones (complementary_suppression.h):
//   * Primary: a group with fewer than `minimum_group_size` students.
//   * Complementary: the unknowns are the counts of each demographic profile
//     (the tuple of a student's five groups); a group's figure is the sum
//     over the profiles in it, and the grand totals are known. Students,
//     badges taken on and completions are three copies of that same
//     structure, so one form per group decides for all three (and for the
//     not-progressing count, a fourth copy).
// The badge, school and course report (completion_report.h) splits the same
// students along other lines; the two share only the grand totals. Exact
// linear derivation from both together (e.g. a school whose students all
// share one profile) is not modelled.
//
// Cost: O(rows) to tally, then complementary suppression over at most
// (profiles) unknowns and about 20 groups: a few hundred distinct profiles
// even for a state, so milliseconds.
//
// Thread safety: pure functions of their arguments; no I/O, no shared state.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "reports/completion_report.h"
#include "reports/tracking_row.h"
#include "roster/demographic_group.h"

namespace cairn {

struct EquityGroup {
  std::string key;  // "Female", "Unknown"
  CompletionSuppression suppression = CompletionSuppression::kShown;
  // The figures; zero when suppressed.
  int students = 0;
  int badge_enrolments = 0;
  int completed = 0;
  int not_yet = 0;  // badge_enrolments - completed
  // Badges taken on whose student is not progressing (TrackingRow::
  // not_progressing), and their share of badge_enrolments.
  int not_progressing = 0;
  double not_progressing_rate = 0;
  double not_progressing_gap = 0;  // not_progressing_rate minus everyone's
  double completion_rate = 0;
  // completion_rate minus everyone's, in points of a fraction (-0.12: twelve
  // percentage points below everyone).
  double gap = 0;

  bool suppressed() const { return suppression != CompletionSuppression::kShown; }
};

struct EquityReport {
  int minimum_group_size = kCompletionMinimumGroupSize;
  // Everyone in the rows; hidden (all zero, `overall_shown` false) when there
  // are fewer than the minimum in all.
  bool overall_shown = false;
  int students = 0, badge_enrolments = 0, completed = 0, not_progressing = 0;
  double completion_rate = 0;
  double not_progressing_rate = 0;
  std::array<std::vector<EquityGroup>, kDemographicFieldCount> by_field;  // each in key order,
                                                                          // Unknown last

  const std::vector<EquityGroup>& groups(DemographicField field) const {
    return by_field[static_cast<std::size_t>(field)];
  }
};

// Rows in any order (each carries its student's `demographics`); the result
// depends only on their contents.
EquityReport BuildEquityReport(std::span<const TrackingRow> rows,
                               int minimum_group_size = kCompletionMinimumGroupSize);

// One field as the API's JSON:
// {"field": "english_learner", "title": "English learner", "minimum_group_size": 10,
//  "overall": {"students": 300, "badge_enrolments": 1200, "completed": 400,
//              "not_yet": 800, "completion_rate": 0.33, "not_progressing": 90,
//              "not_progressing_rate": 0.075},
//  "groups": [{"group": "No", "suppressed": false, "students": 268, ...,
//              "gap": 0.01, "not_progressing": 80, "not_progressing_rate": 0.07,
//              "not_progressing_gap": -0.005}, {"group": "Unknown", "suppressed": true}]}
// "overall" is null when hidden. Why a group is hidden is not said.
nlohmann::json EquityReportJson(const EquityReport& report, DemographicField field);

// The same as CSV rows (a header, then one row per group; hidden groups say
// "suppressed" and carry no figures), for the CSV and XLSX downloads.
std::vector<std::vector<std::string>> EquityReportTable(const EquityReport& report,
                                                        DemographicField field);

}  // namespace cairn
