// Did the support work? For the interventions a leader may see: per kind
// (re-teaching, tutoring...), how many were started, are still open or
// closed, how many students then reached mastery of what the intervention
// was about (the badge earned, or the CPE at mastery), and the median days
// from its start to that mastery (GET /api/v1/reports/interventions).
//
// Thread safety: pure functions of their arguments; no I/O, no shared state.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "evidence/intervention.h"

namespace cairn {

struct InterventionOutcome {
  const Intervention* intervention = nullptr;
  // YYYY-MM-DD the student reached mastery of the badge (confirmed) or CPE;
  // "" when not (yet). Mastery reached before the start counts, at 0 days.
  std::string mastered_on;
};

// {"kinds": [{"kind", "label", "started", "open", "closed", "reached_mastery",
//             "median_days_to_mastery" (null when none reached)}],   every kind
//  "total": {the same over all kinds}}
nlohmann::json InterventionReportJson(std::span<const InterventionOutcome> outcomes);

}  // namespace cairn
