// Pace flags for leaders and teachers: per enrolled student and badge of the
// sections asked for, who is not progressing and who is advancing rapidly,
// with why each stalled badge is not done. Lists of who needs help (or more
// challenge), never a ranking of students by score.
//
// Definitions (the window is the last `window_weeks` weeks: days after
// today - 7 * window_weeks, up to today; the district's setting,
// reports/pace_settings.h):
//   * A CPE "reached mastery" on the demonstration day from which it has
//     been at mastery without a break (MasteryEngine::MasteredSince: evidence
//     replayed day by day, voids and corrections as they stand now). A CPE
//     not at mastery now has reached nothing.
//   * gained: the badge's CPEs that reached mastery within the window.
//   * not progressing: the student is enrolled in the section, the badge's
//     award is not confirmed, and gained is 0. A student with no evidence at
//     all is not progressing too (enrolments carry no start date, so a
//     student who joined within the window is flagged as well).
//   * advancing rapidly: gained >= max(2 * m, m + 2), m being the median
//     gained of the section's students on that badge (the rows considered).
//     So with a median of 0, two CPEs in the window; with a median of 2,
//     four. The seeds' pace is growth over time against one's peers, not a
//     score: a student at a low level who is moving fast is flagged.
//   * the plan: the district expects a badge to take `weeks_per_badge`
//     weeks (per course, reports/pace_settings.h), so a student on plan
//     gains cpes_needed / weeks CPEs a week: expected_cpes_per_week.
//   * pace ratio: cpes_per_week (gained in the window / window weeks) over
//     expected_cpes_per_week; 1 is on plan, 0.5 half the planned pace.
//     Growth over time against the plan, not a level reached.
//   * behind plan: the award is not confirmed, the rule's CPEs are not all
//     counting yet, and the pace ratio is below 1.
//   * weeks stalled: whole weeks from the latest day one of the badge's CPEs
//     reached mastery to today; null when none ever did.
//   * last evidence: the latest counted evidence on the badge's CPEs.
//   * why (not progressing rows): the mastery rule explanation's "what
//     remains" (mastery/rule.h): CPEs short of mastery, required CPEs, a
//     missing required evidence kind, a missing prerequisite badge
//     ("Prerequisite badge M102 ... earned"), then the award's state (a
//     revoked award, or a rule met awaiting the teacher's confirmation).
//
// Only flagged rows (not progressing, advancing rapidly or behind plan) are
// listed; `enrolments` counts every row considered.
//
// Thread safety: pure functions of their arguments; no I/O, no clock (the
// caller passes today). The engine must not change during the call.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "common/status.h"
#include "common/time.h"
#include "evidence/facts.h"
#include "mastery/engine.h"
#include "reports/pace_settings.h"
#include "reports/tracking_row.h"
#include "roster/roster.h"

namespace cairn {

struct PaceOptions {
  Day today = 0;  // required
  int window_weeks = kDefaultNotProgressingWeeks;
  PaceSettings plan;  // weeks per badge, by course
};

struct PaceRow {
  std::string student_name, student_id;             // student_id is the sourced id
  std::string school, course, section, section_id;  // section title and sourced id
  std::string badge, badge_title;
  std::string award_state;  // "none", "proposed", "confirmed", "revoked"
  bool not_progressing = false;
  bool advancing_rapidly = false;
  Day last_evidence = 0;   // 0: no evidence
  Day last_mastery = 0;    // latest day a CPE of the badge reached mastery; 0: none
  int weeks_stalled = -1;  // -1: no CPE ever reached mastery
  int cpes_gained = 0;     // in the window
  double cpes_per_week = 0;
  double section_median = 0;               // the median gained of the section on this badge
  int plan_weeks = kDefaultWeeksPerBadge;  // the course's planned weeks per badge
  double expected_cpes_per_week = 0;
  double pace_ratio = 0;  // cpes_per_week / expected_cpes_per_week
  bool behind_plan = false;
  int cpes_counting = 0, cpes_needed = 0;
  std::vector<std::string> short_cpes;             // ids of CPEs not counting yet
  std::vector<std::string> missing_prerequisites;  // badge codes
  std::vector<std::string> missing_kinds;          // evidence kind names ("performance_task")
  std::vector<std::string> why;                    // in words; empty unless not progressing
};

struct PaceReport {
  Day today = 0;
  int window_weeks = kDefaultNotProgressingWeeks;
  Day window_start = 0;  // the first day of the window
  int enrolments = 0;    // (student, badge) rows considered
  int not_progressing = 0;
  int advancing_rapidly = 0;
  int behind_plan = 0;
  std::vector<PaceRow> rows;  // flagged rows, by section, student, badge
};

// Rows for the active students of `sections` for whom `include` holds (null:
// all), one per badge of the section the catalog has. `awards` are each
// student's award facts (confirmed, revoked, proposed).
PaceReport BuildPaceReport(const Catalog& catalog, const Roster& roster,
                           const MasteryEngine& engine,
                           const std::map<Id, std::vector<AwardFact>>& awards,
                           std::span<const Section* const> sections,
                           const std::function<bool(const Person&)>& include,
                           const PaceOptions& options);

enum class PaceFilter { kAny, kNotProgressing, kAdvancingRapidly, kBehindPlan };
enum class PaceSort { kWeeksStalled, kLastEvidence, kPaceRatio };
// "any", "not_progressing", "advancing_rapidly", "behind_plan";
// InvalidArgument naming "flag".
Result<PaceFilter> ParsePaceFilter(std::string_view name);
// "weeks_stalled", "last_evidence", "pace_ratio"; InvalidArgument naming
// "sort".
Result<PaceSort> ParsePaceSort(std::string_view name);

// Keeps the rows `filter` asks for, in `sort` order:
//   weeks_stalled: longest stalled first (never reached mastery first of
//     all), then oldest last evidence;
//   last_evidence: oldest first (no evidence first), then longest stalled;
//   pace_ratio: slowest against the plan first, then longest stalled;
// ties by student name, student id, section, badge.
void FilterAndSortPaceRows(std::vector<PaceRow>& rows, PaceFilter filter, PaceSort sort);

// Sets TrackingRow::not_progressing on the rows (student, section, badge)
// the report flags as not progressing; every other row is cleared. Rows of
// badges chosen outside a section are never flagged (the report covers
// sections).
void MarkNotProgressing(std::vector<TrackingRow>& rows, const PaceReport& report);

// {"today", "window_weeks", "window_start", "enrolments", "not_progressing",
//  "advancing_rapidly", "behind_plan", "rows": [{"student", "student_id", "school", "course",
//  "section", "section_id", "badge", "badge_title", "award_state",
//  "not_progressing", "advancing_rapidly", "last_evidence" (date or null),
//  "last_mastery" (date or null), "weeks_stalled" (or null), "cpes_gained",
//  "cpes_per_week", "section_median", "plan_weeks", "expected_cpes_per_week",
//  "pace_ratio", "behind_plan", "cpes_counting", "cpes_needed",
//  "short_cpes", "missing_prerequisites", "missing_kinds", "why"}]}
nlohmann::json PaceReportJson(const PaceReport& report);

}  // namespace cairn
