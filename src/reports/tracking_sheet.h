// The badge tracking sheet (the guide's Template 2.4) as CSV: student,
// teacher, school, course, badge, completed, date of completion and what
// remains incomplete.
#pragma once

#include <ostream>
#include <vector>

#include "service/cairn_service.h"

namespace cairn {

void WriteTrackingSheetCsv(std::ostream& out, const std::vector<TrackingRow>& rows);

}  // namespace cairn
