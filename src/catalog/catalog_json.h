// Reading and writing the catalog JSON format (docs/catalog-format.md).
// Parsing validates everything a later step relies on: unique ids, known
// references, no prerequisite cycles, non-empty badges, scales with a mastery
// level. Errors name the source and the JSON path of each problem.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "catalog/catalog.h"
#include "common/status.h"

namespace cairn {

inline constexpr int kCatalogFormatVersion = 1;

// `source` names the input in error messages (a file name). All problems found
// are reported, one per line, in the Status message.
Result<Catalog> ParseCatalog(std::string_view json_text, std::string_view source);

// The inverse of ParseCatalog: ParseCatalog(CatalogToJson(c).dump()) == c.
nlohmann::json CatalogToJson(const Catalog& catalog);
nlohmann::json CalculationToJson(const CalculationSpec& spec);

}  // namespace cairn
