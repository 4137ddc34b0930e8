// A whole CASE import: read and check the package (case_package.h), plan it
// against the frameworks stored (StandardsStore) and, when nothing is wrong
// and this is not a dry run, store it as a framework version. All or
// nothing, in one transaction.
//
// Versions (per CFDocument identifier):
// - no version stored: the package is added ("added");
// - a stored version has the same content (canonical JSON, so layout and
//   key order do not count): nothing changes ("unchanged"), whatever the
//   dates say;
// - a newer lastChangeDateTime than the current version: a new version,
//   current from now on; the older ones stay readable ("new_version");
// - the same lastChangeDateTime with different content: a new version too,
//   with a warning (the publisher changed the framework without saying so);
// - an older lastChangeDateTime than the current version: a problem at
//   CFDocument.lastChangeDateTime (an old version must not replace a newer).
//
// Thread-compatible: the store is used from the calling thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"
#include "common/time.h"
#include "interop/case/case_package.h"
#include "store/standards_store.h"

namespace cairn::standards {

struct CaseImportOptions {
  bool dry_run = false;  // check and report; write nothing
  CaseLimits limits;
  Instant now = 0;                // imported_at
  std::optional<Id> imported_by;  // the person importing; none from the command line
};

enum class CaseOutcome { kAdded, kNewVersion, kUnchanged };
std::string_view CaseOutcomeName(CaseOutcome outcome);  // "added", "new_version", "unchanged"

struct CaseImportReport {
  std::string source;  // the file or URL
  std::string case_version;
  std::string document_identifier;
  std::string title;
  std::string version;          // lastChangeDateTime of the package
  std::string current_version;  // of the version current before the import ("" when none)
  int versions_stored = 0;      // before the import
  int items = 0, associations = 0, item_types = 0, concepts = 0, subjects = 0, licenses = 0,
      association_groupings = 0, rubrics = 0;
  int external_associations = 0;     // with one end in another framework
  int unplaced_items = 0;            // no isChildOf path to the document
  std::vector<FieldError> problems;  // every problem; with any, nothing is written
  std::vector<std::string> warnings;
  CaseOutcome outcome = CaseOutcome::kUnchanged;
  bool dry_run = false;
  bool applied = false;  // a version was written
  Id framework_id = 0;   // the stored version (new or unchanged); 0 on a dry run that adds

  bool ok() const { return problems.empty(); }
};

// Problems with the content are in the report (ok() false, nothing
// written); the Status is an error for a limit (kResourceExhausted), text
// that is not JSON, or a store failure (nothing written either).
Result<CaseImportReport> ImportCasePackage(StandardsStore& store, std::string_view text,
                                           std::string_view source,
                                           const CaseImportOptions& options = {});

// The items and associations a package is stored as (parent: the first
// isChildOf destination; positions: package order).
std::vector<CaseItemRecord> ItemRecords(const CasePackage& package);
std::vector<CaseAssociationRecord> AssociationRecords(const CasePackage& package);

// The report as JSON: {"source", "case_version", "ok", "dry_run", "applied",
// "outcome", "framework": {"id", "identifier", "title", "version",
// "previous_version"}, "versions_stored", "counts": {"items", "associations",
// "item_types", "concepts", "subjects", "licenses", "association_groupings",
// "rubrics", "external_associations", "unplaced_items"}, "problems":
// [{"field", "message"}], "warnings": [..]}.
nlohmann::json CaseReportJson(const CaseImportReport& report);

}  // namespace cairn::standards
