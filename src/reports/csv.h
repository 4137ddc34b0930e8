// RFC 4180 CSV writing: fields with commas, quotes or line breaks are quoted,
// and a leading =, +, - or @ is prefixed with ' so a spreadsheet does not run
// a student's text as a formula.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace cairn {

std::string CsvField(const std::string& value);
void WriteCsvRow(std::ostream& out, const std::vector<std::string>& fields);

}  // namespace cairn
