// A whole OneRoster import: read the set (oneroster_reader.h), plan it
// against the stored roster (roster_import.h) and, when nothing is wrong and
// this is not a dry run, apply the plan (RosterStore::ApplyRosterChanges).
// All or nothing: with any problem, or a failed write, the roster is as it
// was. The roster is read and written in one transaction, so no other
// writer's change slips between plan and apply.
//
// Enrollments come last, a batch at a time: every other file is read and
// planned, written, then enrollments are read, checked, planned and written
// in batches within the same transaction (RosterChangeSet::EnrollmentStream).
// A problem found on the way stops the writing, reading goes on to report
// every problem, and the transaction is undone. ImportOneRoster reads
// enrollments.csv from a folder a piece at a time, so memory does not hold
// the file, its records or its rows: beyond the other files and the roster,
// about 32 bytes per enrollment record and 50 per stored enrollment
// (roster_import.h). With a set already read, its records are planned in
// runs of EnrollmentFeed::kRecordsPerBatch.
//
// Thread-compatible: the store is used from the calling thread only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"
#include "interop/oneroster/oneroster_reader.h"
#include "interop/oneroster/roster_import.h"
#include "store/store.h"

namespace cairn::oneroster {

struct ImportOptions {
  bool dry_run = false;  // plan and report; write nothing
  ZipLimits limits;
  // Optional: reading, checking, writing (oneroster_reader.h). When
  // enrollments.csv is streamed, writing (checking in a dry run or with
  // problems) counts its bytes, ending at 100%, instead of 0/1 then 1/1.
  ProgressFn progress;
};

struct ImportReport {
  std::string version;                    // "1.1" or "1.2"
  std::map<std::string, FileMode> modes;  // per file Cairn reads
  ReadReport read;                        // rows, ignored columns and files
  std::vector<ImportProblem> problems;    // reading and planning, every one
  RosterImportPlan plan;                  // counts and warnings (when no problems)
  bool dry_run = false;
  bool applied = false;  // the plan was written (false with problems or dry run)

  bool ok() const { return problems.empty(); }
};

// Problems with the content are in the report (ok() false, nothing
// written); the Status is an error when the set cannot be read at all or
// the store fails (nothing written either).
Result<ImportReport> ImportOneRoster(RosterStore& store, const std::string& path,
                                     const ImportOptions& options = {});

// The same for a set already read (tests, uploads).
Result<ImportReport> ImportOneRosterSet(RosterStore& store, const OneRosterSet& set,
                                        ReadReport read, const ImportOptions& options = {});

// The report as JSON: {"version", "dry_run", "applied", "ok", "files":
// {name: {"mode", "rows", "ignored_columns": [..]}}, "ignored_files",
// "changes": {entity: {"added", "updated", "deactivated"}}, "orgs_not_kept",
// "problems": [{"file", "line", "column", "column_number", "reason"}],
// "warnings": [...]}.
nlohmann::json ReportJson(const ImportReport& report);

std::string_view FileModeName(FileMode mode);

}  // namespace cairn::oneroster
