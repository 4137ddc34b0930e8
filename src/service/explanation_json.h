// JSON renderings shared by the CLI's --json output and the API. The text
// forms are the hot path (no JSON tree); ToJson parses them for callers that
// compose documents.
#pragma once

#include <nlohmann/json.hpp>

#include "service/cairn_service.h"

namespace cairn {

std::string ToJsonText(const BadgeExplanation& explanation);
std::string ToJsonText(const StudentProgress& progress, const Catalog& catalog);
std::string ToJsonText(const RecordOutcome& outcome, const Catalog& catalog);
nlohmann::json ToJson(const BadgeExplanation& explanation);
nlohmann::json ToJson(const StudentProgress& progress, const Catalog& catalog);
nlohmann::json ToJson(const RecordOutcome& outcome, const Catalog& catalog);

}  // namespace cairn
