// `cairn import oneroster PATH [--dry-run] [--json]`: the command-line face
// of interop/oneroster/oneroster_import.h. Registered by cli/commands.cpp.
#pragma once

#include <ostream>
#include <string>

#include "interop/oneroster/oneroster_reader.h"

namespace cairn {

// Imports the OneRoster set at `path` (a folder or a .zip) into the database
// at `db_path`, or with `dry_run` only reports what would change. Prints the
// report to `out` (text, or JSON with `json`): rows read and ignored columns
// per file, adds/updates/deactivations per entity, warnings, and every
// problem as "file:line:column: reason". Returns 0 when the import is
// clean (applied, or would apply), 1 when it has problems (nothing
// changed), 2 when the set or the database cannot be read ("cairn: <code>:
// <message>" on `err`). `progress`, when set, hears how far the import
// has got (ProgressPrinter below is the command's).
int RunImportOneRoster(const std::string& db_path, const std::string& path, bool dry_run, bool json,
                       std::ostream& out, std::ostream& err,
                       const oneroster::ProgressFn& progress = {});

// Shows an import's progress on `err`: on a terminal one line rewritten in
// place ("reading enrollments.csv  42%"), elsewhere (a log, a pipe) a line
// per phase and per tenth of the reading, so a log stays short.
class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream& err, bool terminal) : err_(err), terminal_(terminal) {}
  ~ProgressPrinter();
  void operator()(const oneroster::ImportProgress& progress);

 private:
  std::ostream& err_;
  bool terminal_;
  std::string phase_;
  int last_tenth_ = -1;
  int last_percent_ = -1;
  bool line_open_ = false;
};

}  // namespace cairn
