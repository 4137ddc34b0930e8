// The crosswalk between the catalog's CPEs and standards (CFItems of the
// imported CASE frameworks): what is linked now, setting one CPE's links,
// and the CSV a district edits in a spreadsheet.
//
// CSV columns (header names in any case and order): `badge`, `cpe`,
// `framework`, `item identifier`, `human code`, `statement`. A row names a
// CPE and a CFItem: by `item identifier`, or, when that is empty, by
// `framework` (its CFDocument identifier or title) and `human code`. `badge`
// and `framework`, when given, must agree with the CPE and the item;
// `human code` and `statement` are otherwise for people and not checked.
// Export writes every current link that way (formula-looking cells
// neutralised with a leading ', which import removes again).
//
// Import is all or nothing: any problem (an unknown CPE or item, a code
// that names no item or several, a repeated pair, a malformed CSV) is
// reported with file, line and column and nothing is written. By default
// the file adds links; with `replace` it is the whole crosswalk and links
// it leaves out are unlinked. Links are facts (StandardsStore): linking a
// pair already linked, or unlinking one that is not, writes nothing.
//
// Thread-compatible; the store is used from the calling thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "catalog/catalog.h"
#include "common/status.h"
#include "interop/oneroster/csv_table.h"
#include "store/standards_store.h"

namespace cairn::standards {

// A current link with the item it names (nothing when no current framework
// version has the item any more: a stale link).
struct AlignedItem {
  CrosswalkFact link;
  std::optional<CurrentCaseItem> item;
};

// Current links, for one CPE or all, with their items.
Result<std::vector<AlignedItem>> CurrentAlignments(StandardsStore& store,
                                                   std::optional<std::string> cpe);

// Who changes the crosswalk, when and how (kept with every fact).
struct CrosswalkAuthor {
  std::optional<Id> actor;
  Instant at = 0;
  std::string source;  // "api", "cli", "csv import crosswalk.csv"
};

struct CrosswalkChangeCounts {
  int linked = 0;     // new links
  int unlinked = 0;   // links ended
  int unchanged = 0;  // pairs already as asked
};

// Makes `items` (CFItem identifiers) the CPE's links: links the new ones and
// unlinks the others, in one write. Errors: kNotFound for a CPE the catalog
// lacks (field "cpe"); kInvalidArgument naming "items[i]" for an item no
// current framework has, or one listed twice (nothing written).
Result<CrosswalkChangeCounts> SetCpeAlignments(StandardsStore& store, const Catalog& catalog,
                                               const std::string& cpe,
                                               const std::vector<std::string>& items,
                                               const CrosswalkAuthor& author);

inline constexpr std::size_t kMaxCrosswalkCsvBytes = 16u << 20;

// The current crosswalk as CSV (header, then one row per link, in catalog
// order; links of CPEs the catalog lacks last).
Result<std::string> ExportCrosswalkCsv(StandardsStore& store, const Catalog& catalog);

struct CrosswalkImportOptions {
  bool dry_run = false;
  bool replace = false;  // the file is the whole crosswalk
  CrosswalkAuthor author;
};

struct CrosswalkImportReport {
  std::string file;
  int rows = 0;
  CrosswalkChangeCounts changes;
  std::vector<oneroster::ImportProblem> problems;
  bool dry_run = false;
  bool replace = false;
  bool applied = false;
  bool ok() const { return problems.empty(); }
};

// Problems with the file are in the report; the Status is an error for a
// file over kMaxCrosswalkCsvBytes (kResourceExhausted) or a store failure.
Result<CrosswalkImportReport> ImportCrosswalkCsv(StandardsStore& store, const Catalog& catalog,
                                                 std::string_view text, const std::string& file,
                                                 const CrosswalkImportOptions& options);

// {"file", "ok", "dry_run", "replace", "applied", "rows", "changes":
// {"linked", "unlinked", "unchanged"}, "problems": [{"file", "line",
// "column", "column_number", "reason"}]}.
nlohmann::json CrosswalkReportJson(const CrosswalkImportReport& report);

}  // namespace cairn::standards
