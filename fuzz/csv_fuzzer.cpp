// CSV writing (reports/csv.h). The input is split at NUL bytes into the
// fields of one row; the row written by WriteCsvRow is read back with a
// strict RFC 4180 reader. Every field must come back exactly, except that a
// field starting like a formula (= + - @ TAB CR) comes back with a leading
// ' so no cell a spreadsheet sees starts like one.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "reports/csv.h"

namespace {

using cairn::fuzz::Check;

bool StartsLikeFormula(std::string_view cell) {
  return !cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
}

// One RFC 4180 record ending in CRLF; every failure is a bug of the writer.
std::vector<std::string> ReadRecord(std::string_view row) {
  Check(row.ends_with("\r\n"), "row does not end with CRLF");
  row.remove_suffix(2);
  std::vector<std::string> cells;
  std::size_t pos = 0;
  for (;;) {
    std::string cell;
    if (pos < row.size() && row[pos] == '"') {
      for (++pos;; ++pos) {
        Check(pos < row.size(), "unterminated quoted field");
        if (row[pos] != '"') {
          cell += row[pos];
        } else if (pos + 1 < row.size() && row[pos + 1] == '"') {
          cell += '"';
          ++pos;
        } else {
          ++pos;
          break;
        }
      }
      Check(pos == row.size() || row[pos] == ',', "text after a closing quote");
    } else {
      const std::size_t end = std::min(row.find(',', pos), row.size());
      cell.assign(row.substr(pos, end - pos));
      Check(cell.find_first_of("\"\r\n") == std::string::npos, "unquoted field with \", CR or LF");
      pos = end;
    }
    cells.push_back(std::move(cell));
    if (pos == row.size()) return cells;
    ++pos;  // the comma
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = cairn::fuzz::AsText(data, size);
  std::vector<std::string> fields;
  for (std::size_t pos = 0;;) {
    const std::size_t nul = input.find('\0', pos);
    fields.emplace_back(input.substr(pos, nul == std::string_view::npos ? nul : nul - pos));
    if (nul == std::string_view::npos) break;
    pos = nul + 1;
  }
  std::ostringstream out;
  cairn::WriteCsvRow(out, fields);
  const std::vector<std::string> cells = ReadRecord(out.str());
  Check(cells.size() == fields.size(), "row has a different number of cells");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    Check(!StartsLikeFormula(cells[i]), "a cell starts like a formula");
    const std::string expected = StartsLikeFormula(fields[i]) ? "'" + fields[i] : fields[i];
    Check(cells[i] == expected, "a cell does not read back as written");
    std::ostringstream one;
    cairn::WriteCsvRow(one, {fields[i]});
    Check(one.str() == cairn::CsvField(fields[i]) + "\r\n", "WriteCsvRow differs from CsvField");
  }
  return 0;
}
