// How the catalog covers the imported standards, from the crosswalk
// (StandardsStore): the standards no CPE covers and the CPEs with no
// standard, per framework and per badge, as JSON and CSV.
//
// Counting: the standards of a framework are its current version's leaf
// items (items with no isChildOf child); clusters and domains are headings.
// A standard is covered when a CPE links to it, or to one of its ancestors
// (a CPE aligned to cluster A-CED covers A-CED.1 and A-CED.2). A CPE is aligned when it links to
// any current item. Links to items no current framework has, and links of CPEs the catalog no
// longer has, are listed as stale (never counted).
//
// ComputeCoverage is pure; LoadCoverage reads the store once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "catalog/catalog.h"
#include "common/status.h"
#include "store/standards_store.h"

namespace cairn {

struct CoverageStandard {
  std::string identifier;
  std::string human_code;
  std::string statement;
};

struct FrameworkCoverage {
  Id id = 0;  // the current version
  std::string identifier;
  std::string title;
  std::string version;
  int standards = 0;
  int covered = 0;
  std::vector<CoverageStandard> uncovered;  // in package order
  std::map<std::string, int> badges;        // badge code -> standards its CPEs cover
};

struct CoverageCpe {
  std::string id;
  std::string label;
  std::string statement;
};

struct BadgeCoverage {
  std::string code;
  std::string title;
  int cpes = 0;
  int aligned_cpes = 0;
  std::vector<CoverageCpe> unaligned;     // in catalog order
  std::map<std::string, int> frameworks;  // framework identifier -> standards covered
};

struct StandardsCoverage {
  std::vector<FrameworkCoverage> frameworks;  // by title
  std::vector<BadgeCoverage> badges;          // catalog order
  std::vector<CrosswalkFact> stale_links;
};

// One current framework version as the report reads it.
struct CoverageFrameworkInput {
  CaseFrameworkRecord framework;
  std::vector<CaseItemRecord> items;
  std::vector<CaseAssociationRecord> associations;
};

StandardsCoverage ComputeCoverage(const Catalog& catalog,
                                  const std::vector<CoverageFrameworkInput>& frameworks,
                                  const std::vector<CrosswalkFact>& links);

// The current frameworks and links from `store`, computed.
Result<StandardsCoverage> LoadCoverage(StandardsStore& store, const Catalog& catalog);

// {"frameworks": [{"id", "identifier", "title", "version", "standards",
// "covered", "uncovered": [{"identifier", "human_code", "statement"}],
// "badges": {code: n}}], "badges": [{"code", "title", "cpes",
// "aligned_cpes", "unaligned": [{"id", "label", "statement"}], "frameworks":
// {identifier: n}}], "stale_links": [{"cpe", "item"}]}.
nlohmann::json CoverageJson(const StandardsCoverage& coverage);

// One row per gap: "gap" is "standard not covered", "CPE without
// standard" or "stale link"; then badge, cpe, cpe statement, framework,
// item identifier, human code, statement (formula-looking cells
// neutralised).
std::string CoverageCsv(const StandardsCoverage& coverage);

}  // namespace cairn
