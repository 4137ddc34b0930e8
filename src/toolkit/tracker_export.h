// A tracker's rows as an XLSX workbook (libxlsxwriter) and as a PDF
// (cairo), for a team that keeps or shares its plan outside Cairn.
//
// XLSX: one sheet named after the tracker with the template's columns, then
// Owner, Due, Status, Overdue ("Yes"/""), Notes and Revisions; the header
// row is frozen and filtered; text is written as strings, never formulas
// (reports/csv.h NeutralizeFormula). A tracker with questions asked the same
// way every time (Template 3.1) or guiding questions (4.1) gets a second
// sheet listing them. Dates are ISO text (yyyy-mm-dd).
// PDF: A4 landscape, the title, template and action, the questions, then
// each row as a block of "Column: value" lines, wrapped to the page and
// continued on new pages.
//
// Thread-safe (no shared state); the XLSX goes through a temporary file
// that is removed before returning.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "toolkit/tracker.h"

namespace cairn {

struct TrackerExport {
  const TrackerDefinition* tracker = nullptr;
  std::string district_name;
  std::vector<TrackerRowState> rows;  // dropped rows included; the status says so
  Day today = 0;
  // A report column's current value, per row id ("62% of 120 students").
  std::map<std::string, std::string> report_values;
};

Result<std::string> TrackerXlsx(const TrackerExport& data, const std::string& temp_dir = "");
Result<std::string> TrackerPdf(const TrackerExport& data);

}  // namespace cairn
