// JSON renderings shared by the CLI's --json output and the API.
#pragma once

#include <nlohmann/json.hpp>

#include "service/cairn_service.h"

namespace cairn {

nlohmann::json ToJson(const BadgeExplanation& explanation);
nlohmann::json ToJson(const StudentProgress& progress, const Catalog& catalog);
nlohmann::json ToJson(const RecordOutcome& outcome, const Catalog& catalog);
nlohmann::json ToJson(const TrackingRow& row);

}  // namespace cairn
