// The gradebook a district sends back to its student information system:
// for one section and one grading period, per student enrolled in the
// section and per badge the section works on, the outcome ("pass" or "not
// yet", in the district's words) and, with the district's grade map, a
// letter and/or points (reports/gradebook_settings.h).
//
// As of an instant: only facts recorded (recorded_at) at or before it count
// (ratings, corrections, voids and award steps), through the same mastery
// engine the rest of Cairn uses (BuildEngineFromStore), so the export of a
// grading period does not change however the ledger grows afterwards. What
// is configuration rather than a fact is read as it is now: the catalog in
// force (rules, method), the district's gradebook setting, and who is
// enrolled in the section. Evidence counts from before the period too:
// mastery is cumulative, and the most recent evidence counts.
//
// "pass" means the badge's award was confirmed (and not revoked) by the
// as-of instant; a rule met but not yet confirmed is still "not yet" (a
// person decides awards).
//
// BuildGradebook reads one student's facts at a time from the store it is
// given (one store per thread); the result is a plain value. Writers:
// WriteGradebookCsv below, the OneRoster set in oneroster_gradebook.h.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "common/time.h"
#include "reports/gradebook_settings.h"
#include "roster/roster.h"
#include "store/store.h"

namespace cairn {

// The grading period: an imported OneRoster academic session, or explicit
// dates (then `sourced_id` is the section's term when it has one, else a
// stable id derived from the dates).
struct GradingPeriod {
  std::string sourced_id;
  std::string title;
  Day start = 0;
  Day end = 0;  // inclusive
};

// What to export. Exactly one of `period` (an academic session's sourcedId)
// or both `from` and `to` (YYYY-MM-DD) names the period. `as_of` is a date
// (the end of that day, UTC) or a UTC instant (YYYY-MM-DDThh:mm:ssZ); empty:
// the end of the period, or now if the period has not ended.
struct GradebookRequest {
  std::string section;  // the section's sourced id
  std::string period;
  std::string from, to;
  std::string as_of;
};

struct GradebookEntry {
  std::string student_name;
  std::string student_sourced_id;
  std::string badge_code;
  GradebookOutcome outcome = GradebookOutcome::kNotYet;
  std::string outcome_label;  // the district's word for the outcome
  std::string letter;         // "" without a grade map giving letters
  std::optional<double> points;
  bool has_evidence = false;  // any counted evidence on the badge's CPEs
  Day last_evidence = 0;      // 0: none
  Day passed_on = 0;          // the day the award was confirmed; 0 unless passed
  int cpes_met = 0;
  int cpes_needed = 0;
  std::vector<std::string> remaining;  // what remains, in words; empty when passed
};

struct GradebookBadge {
  std::string code;
  std::string title;
  std::string rule_summary;
};

struct Gradebook {
  std::string section_sourced_id;
  std::string section_title;
  std::string school_sourced_id;  // "" when the section's school is unknown
  GradingPeriod period;
  Instant as_of = 0;
  GradebookSettings settings;
  std::vector<GradebookBadge> badges;   // the section's badges the catalog has, in section order
  std::vector<GradebookEntry> entries;  // by student (family, given name, id), then badge
};

// The period and as-of instant `request` names, checked against `roster`
// and `now`: an unknown section or session is kNotFound; a bad or reversed
// date, both or neither period forms, or an as-of after `now` (a snapshot
// of the future would still change) are kInvalidArgument naming the field
// (section, period, from, to, as_of).
struct ResolvedGradebookRequest {
  const Section* section = nullptr;  // points into the roster given
  GradingPeriod period;
  Instant as_of = 0;
};
Result<ResolvedGradebookRequest> ResolveGradebookRequest(const Roster& roster,
                                                         const GradebookRequest& request,
                                                         Instant now);

// The gradebook of a resolved request: each student's facts recorded by
// `as_of` read from `store`, evaluated by the engine for `catalog`.
Result<Gradebook> BuildGradebook(Store& store, const Catalog& catalog, const Roster& roster,
                                 const ResolvedGradebookRequest& request,
                                 const GradebookSettings& settings);

// Resolve, then build (with the district's stored settings).
Result<Gradebook> LoadGradebook(Store& store, const Catalog& catalog, const Roster& roster,
                                const GradebookRequest& request, Instant now);

// The plain CSV: Student, sourcedId, Badge, Outcome, Grade, Points, As of
// (one row per entry; Grade is the letter, Points empty without points).
// Cells that look like formulas are neutralised (reports/csv.h).
void WriteGradebookCsv(std::ostream& out, const Gradebook& gradebook);

// A score as a SIS reads it: "85", "87.5" (no exponent, no trailing zeros).
std::string FormatScore(double value);

}  // namespace cairn
