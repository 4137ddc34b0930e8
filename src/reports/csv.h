// RFC 4180 CSV writing: fields with commas, quotes or line breaks are quoted,
// and a leading =, +, - or @ is prefixed with ' so a spreadsheet does not run
// a student's text as a formula.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace cairn {

// `value` with a ' in front when a spreadsheet would read it as a formula
// (a leading =, +, -, @, TAB or CR); otherwise unchanged. CSV and XLSX
// exports share it.
std::string NeutralizeFormula(const std::string& value);
std::string CsvField(const std::string& value);
void WriteCsvRow(std::ostream& out, const std::vector<std::string>& fields);
// A list in one spreadsheet cell: "a; b; c" ("" for none).
std::string JoinCell(const std::vector<std::string>& items);

}  // namespace cairn
