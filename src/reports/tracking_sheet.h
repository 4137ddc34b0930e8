// The badge tracking sheet (the guide's Template 2.4) as CSV: student,
// teacher, school, course, badge, completed, date of completion and what
// remains incomplete; and one row as JSON, for the API and `--json`.
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/tracking_row.h"

namespace cairn {

void WriteTrackingSheetCsv(std::ostream& out, const std::vector<TrackingRow>& rows);

// {"student", "student_id", "teacher", "school", "course", "section", "badge",
//  "completed", "completed_on" (null unless completed), "award_state",
//  "remaining"}.
nlohmann::json ToJson(const TrackingRow& row);

}  // namespace cairn
