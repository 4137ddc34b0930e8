// A small catalog for tests: badge B1 (CPEs B1.1-B1.3, a performance task
// required), badge B2 (one CPE, B1 as prerequisite), on a 1-4 scale where 3
// and 4 are mastery. Tests mutate the JSON to vary rules and methods.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "catalog/catalog_json.h"

namespace cairn::testing {

inline nlohmann::json TestCatalogJson() {
  return nlohmann::json::parse(R"json({
    "format": "cairn-catalog", "format_version": 1,
    "framework": {"id": "test", "title": "Test framework"},
    "scales": [{"id": "four", "levels": [
      {"id": "not_yet", "label": "Not yet", "score": 1},
      {"id": "emerging", "label": "Emerging", "score": 2},
      {"id": "proficient", "label": "Proficient", "score": 3, "mastery": true},
      {"id": "advanced", "label": "Advanced", "score": 4, "mastery": true}]}],
    "habits": {"scale": "four", "items": [{"id": "persistence", "label": "Persistence"}]},
    "badges": [
      {"code": "B1", "title": "Badge one",
       "award_rule": {"quorum": "all", "required_evidence_kinds": ["performance_task"]},
       "cpes": [
         {"id": "B1.1", "label": "First", "indicators": [{"id": "B1.1.a", "label": "a"}]},
         {"id": "B1.2", "label": "Second"},
         {"id": "B1.3", "label": "Third"}]},
      {"code": "B2", "title": "Badge two", "prerequisites": ["B1"],
       "cpes": [{"id": "B2.1", "label": "Only"}]}
    ],
    "pathways": [{"id": "p", "title": "Path", "badges": ["B1", "B2"]}]
  })json");
}

inline Catalog ParseOrDie(const nlohmann::json& json) {
  auto catalog = ParseCatalog(json.dump(), "test.json");
  if (!catalog.ok()) {
    ADD_FAILURE() << catalog.status().ToString();
    return {};
  }
  return std::move(catalog).value();
}

inline Catalog TestCatalog() { return ParseOrDie(TestCatalogJson()); }

}  // namespace cairn::testing
