#include "reports/csv.h"

namespace cairn {

std::string NeutralizeFormula(const std::string& raw) {
  // A spreadsheet runs a cell that starts like a formula; a leading TAB or
  // CR is skipped by some before they look (OWASP CSV injection).
  if (!raw.empty() && (raw[0] == '=' || raw[0] == '+' || raw[0] == '-' || raw[0] == '@' ||
                       raw[0] == '\t' || raw[0] == '\r')) {
    return "'" + raw;
  }
  return raw;
}

std::string CsvField(const std::string& raw) {
  const std::string value = NeutralizeFormula(raw);
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

std::string JoinCell(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : "; ") + item;
  return text;
}

}  // namespace cairn
