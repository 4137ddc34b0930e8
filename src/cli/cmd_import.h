// `cairn import oneroster PATH [--dry-run] [--json]`: the command-line face
// of interop/oneroster/oneroster_import.h. Registered by cli/commands.cpp.
#pragma once

#include <ostream>
#include <string>

namespace cairn {

// Imports the OneRoster set at `path` (a folder or a .zip) into the database
// at `db_path`, or with `dry_run` only reports what would change. Prints the
// report to `out` (text, or JSON with `json`): rows read and ignored columns
// per file, adds/updates/deactivations per entity, warnings, and every
// problem as "file:line:column: reason". Returns 0 when the import is
// clean (applied, or would apply), 1 when it has problems (nothing
// changed), 2 when the set or the database cannot be read ("cairn: <code>:
// <message>" on `err`).
int RunImportOneRoster(const std::string& db_path, const std::string& path, bool dry_run, bool json,
                       std::ostream& out, std::ostream& err);

}  // namespace cairn
