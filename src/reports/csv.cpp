#include "reports/csv.h"

namespace cairn {

std::string CsvField(const std::string& raw) {
  std::string value = raw;
  // A spreadsheet runs a cell that starts like a formula; a leading TAB or
  // CR is skipped by some before they look (OWASP CSV injection).
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    value.insert(value.begin(), '\'');
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void WriteCsvRow(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out << ',';
    out << CsvField(fields[i]);
  }
  out << "\r\n";
}

}  // namespace cairn
