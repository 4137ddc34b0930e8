// A district's interim assessment items for one badge, from the spreadsheet
// it keeps them in (saved as CSV): one row per item, with columns
//   item id, file (or title), target (or cluster), standards, cpe, indicator
// and optionally badge (which must then be the badge imported for). Header
// names in any case; "standards" is a list separated by ';' or ','.
//
// All or nothing: every problem is reported with file, line and column, and
// nothing is written unless there is none (the store writes the items in
// one transaction). Not thread-safe: it uses the store it is given.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "interop/oneroster/csv_table.h"
#include "store/alignment_store.h"

namespace cairn::assessment_items {

inline constexpr std::size_t kMaxCsvBytes = 4u << 20;

struct ImportReport {
  std::string file;
  std::string badge;
  int rows = 0;
  std::vector<Id> added;  // the new items' ids, when written
  std::vector<oneroster::ImportProblem> problems;
  bool ok() const { return problems.empty(); }
};

struct ImportOptions {
  Id district = 0;
  Id added_by = 0;
  Instant now = 0;
  bool dry_run = false;
};

// Reads `text` (the file called `file`) as items of `badge` and, without a
// problem and unless a dry run, stores them. A store failure is the Status;
// problems with the file are in the report.
Result<ImportReport> ImportAssessmentItemsCsv(AlignmentStore& store, const Catalog& catalog,
                                              std::string_view text, const std::string& file,
                                              const std::string& badge,
                                              const ImportOptions& options);

}  // namespace cairn::assessment_items
