// The badge tracking sheet (the guide's Template 2.4) as CSV: student,
// teacher, school, course, badge, completed, date of completion and what
// remains incomplete, then the last evidence and the supports in place; and
// one row as JSON, for the API and `--json`.
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "evidence/intervention.h"
#include "reports/tracking_row.h"
#include "roster/roster.h"

namespace cairn {

// Fills each row's `supports` from the open interventions of its student on
// its badge (closed ones are history, not support in place). Rows name
// students by sourced id; `roster` maps the interventions' person ids.
void AttachSupports(std::vector<TrackingRow>& rows, const std::vector<Intervention>& interventions,
                    const Roster& roster);

void WriteTrackingSheetCsv(std::ostream& out, const std::vector<TrackingRow>& rows);

// {"student", "student_id", "teacher", "school", "course", "section", "badge",
//  "completed", "completed_on" (null unless completed), "award_state",
//  "remaining", "last_evidence_on" (null when none), "supports"}.
nlohmann::json ToJson(const TrackingRow& row);

}  // namespace cairn
