// A tolerant RFC 4180 reader for the CSV files real exports produce: a UTF-8
// byte order mark, CRLF or LF (or a lone CR) line ends, quoted fields holding
// commas, line breaks and doubled quotes, blank lines, header names in any
// case. What it cannot read safely is a problem naming the line and column:
// an unterminated quote, text after a closing quote, invalid UTF-8, a record
// with more or fewer fields than the header, a repeated header name.
//
// Pure: no I/O. The file's text is in memory (OneRoster files are read one
// at a time); `Stream` hands each record to a callback and keeps none, so a
// million-row file costs its text and one record, not a table of strings.
// Thread-compatible plain values.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cairn::oneroster {

// One problem at a place in a file. `line` is the physical line where the
// record starts (1-based; the header is line 1; 0: the file as a whole);
// `column` is the header's name as the specification spells it ("" for the
// whole record), `column_number` its 1-based position (0 when unknown).
struct ImportProblem {
  std::string file;  // "users.csv"
  int line = 0;
  std::string column;
  int column_number = 0;
  std::string reason;
  bool operator==(const ImportProblem&) const = default;
};

// "users.csv:12:role: not a role" (the parts that are known).
std::string FormatProblem(const ImportProblem& problem);

struct CsvRecord {
  int line = 0;  // where the record starts
  std::vector<std::string> fields;
  std::size_t end = 0;  // byte offset just past the record in the text
};

class CsvTable {
 public:
  // Parses `text`. Problems go to `problems` (with `file` set); records that
  // could not be read are left out, so a caller can go on validating the
  // rest and report everything at once.
  static CsvTable Parse(std::string_view text, const std::string& file,
                        std::vector<ImportProblem>& problems);

  // The same, but each record that could be read goes to `on_record`, in
  // file order, and is not kept: the table returned has the header only.
  // The record passed is valid during the call.
  using RecordFn = std::function<void(const CsvTable&, const CsvRecord&)>;
  static CsvTable Stream(std::string_view text, const std::string& file,
                         std::vector<ImportProblem>& problems, const RecordFn& on_record);

  // Continues Stream for a file read in pieces (the text of a large file is
  // never whole in memory): `text` holds whole records that follow those
  // already read, the first on physical line `first_line`. Returns the line
  // after the last one read, for the next piece.
  int StreamMore(std::string_view text, int first_line, const std::string& file,
                 std::vector<ImportProblem>& problems, const RecordFn& on_record) const;
  // The physical line after the last record Stream read.
  int next_line() const { return next_line_; }
  // How many leading bytes of `text` (starting at a record's start) are
  // whole records: up to just after the last LF that ends a record (not one
  // inside a quoted field); 0 when none does.
  static std::size_t WholeRecords(std::string_view text);

  // Header names as written (BOM and surrounding spaces removed).
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRecord>& records() const { return records_; }
  // 0-based index of the column named `name`, compared case-insensitively.
  std::optional<std::size_t> Column(std::string_view name) const;
  // The field of `record` in column `name`, or "" when the file has no such
  // column. Surrounding spaces are kept: callers trim where the format says so.
  std::string_view Field(const CsvRecord& record, std::string_view name) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::string> lower_header_;  // "" for names not usable as keys
  std::unordered_map<std::string, std::size_t> column_by_lower_name_;
  std::vector<CsvRecord> records_;
  int next_line_ = 1;
};

// ASCII lowercase copy (header names and enum values are ASCII).
std::string AsciiLower(std::string_view text);

}  // namespace cairn::oneroster
