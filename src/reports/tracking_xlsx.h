// The badge tracking sheet (the guide's Template 2.4) as an XLSX workbook,
// the form the guide recommends ("best maintained as a Google Sheet or
// Excel spreadsheet"): one worksheet per section, in the order the rows
// first name them, each with
//   - the header row frozen and an autofilter over every column;
//   - Student Name, Student ID, Teacher Name, School, Course, Section,
//     Badge, Completed ("Yes" / "Not yet"), Date of Completion, What
//     Remains Incomplete, Last Evidence (real dates, yyyy-mm-dd), the
//     empty Next Opportunity column a teacher fills in, and Supports (the
//     open interventions, TrackingRow::supports);
//   - rows coloured by a conditional format on Completed (green when
//     earned, amber when not yet); the words say it too, colour is never
//     the only signal.
// Sheet names are the section titles made valid for Excel (at most 31
// characters, none of []:*?/\, no leading or trailing apostrophe) and
// unique (case-insensitively: "Algebra I (2)"). Every text cell is written
// as a string, never a formula, and text that a spreadsheet would run as a
// formula once saved as CSV is neutralised as in reports/csv.h.
//
// No rows: one "Tracking" sheet with the header. More sections than
// kMaxTrackingSheets is kResourceExhausted (export per school, or the CSV).
// libxlsxwriter writes to a file: the workbook is written to a temporary
// file (in `temp_dir`, default the system's) that is read back and removed.
// Memory stays bounded by one row per sheet (constant-memory mode).
// Thread-safe (no shared state); each call uses its own temporary files.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "reports/tracking_row.h"

namespace cairn {

inline constexpr std::size_t kMaxTrackingSheets = 250;

// The XLSX bytes.
Result<std::string> TrackingSheetXlsx(const std::vector<TrackingRow>& rows,
                                      const std::string& temp_dir = "");

// A one-sheet workbook of a small table (a report's rows, the first row its
// header): the header bold and frozen, an autofilter, cells that read as
// numbers written as numbers and all other text as text (neutralised as in
// reports/csv.h). For the leaders' reports beside their CSV.
Result<std::string> TableXlsx(const std::string& title,
                              const std::vector<std::vector<std::string>>& table,
                              const std::string& temp_dir = "");

// A valid sheet name for `title` not in `taken` (compared
// case-insensitively); adds it to `taken`.
std::string UniqueSheetName(const std::string& title, std::vector<std::string>& taken);

}  // namespace cairn
