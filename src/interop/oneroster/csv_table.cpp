#include "interop/oneroster/csv_table.h"

#include <cstdint>

namespace cairn::oneroster {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or values
// past U+10FFFF).
bool ValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    std::uint32_t minimum = 0;
    if ((byte & 0xE0) == 0xC0) {
      length = 2, code = byte & 0x1Fu, minimum = 0x80;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3, code = byte & 0x0Fu, minimum = 0x800;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4, code = byte & 0x07u, minimum = 0x10000;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

// The byte-level reader: records with their start lines, problems as found.
class Scanner {
 public:
  Scanner(std::string_view text, const std::string& file, std::vector<ImportProblem>& problems,
          int first_line = 1)
      : text_(text), file_(file), problems_(problems), line_(first_line) {}

  int line() const { return line_; }

  // The next record, or nothing at the end. `ok` is false when the record
  // could not be read (a problem was reported).
  bool Next(CsvRecord& record, bool& ok) {
    ok = true;
    while (pos_ < text_.size()) {
      record.line = line_;
      if (ReadRecord(record, ok)) {
        record.end = pos_;
        return true;
      }  // else a blank line: go on
    }
    record.fields.clear();
    return false;
  }

  void Report(int line, int column_number, std::string reason) {
    problems_.push_back({file_, line, "", column_number, std::move(reason)});
  }

 private:
  // Field `n` of `record`, emptied: the strings of the previous record are
  // reused, so a million-line file does not allocate per field.
  static std::string& Slot(CsvRecord& record, std::size_t n) {
    if (n == record.fields.size()) return record.fields.emplace_back();
    record.fields[n].clear();
    return record.fields[n];
  }

  // Reads one physical record; false for a blank line. Runs of plain
  // characters are copied at once: only separators and quotes are looked at
  // one by one.
  bool ReadRecord(CsvRecord& record, bool& ok) {
    std::size_t n = 0;  // fields ended so far
    std::string* field = &Slot(record, n);
    bool quoted = false;         // the field started with a quote
    bool in_quotes = false;      // inside the quotes
    bool after_closing = false;  // the closing quote was seen
    int quote_line = line_;
    auto end_field = [&] {
      field = &Slot(record, ++n);
      quoted = in_quotes = after_closing = false;
    };
    // Appends text from `from` up to (not including) the next of `stops`.
    auto append_run = [&](std::size_t from, bool quoted_run) {
      std::size_t end = from;
      for (; end < text_.size(); ++end) {
        const char k = text_[end];
        if (k == '"' || k == '\n' || k == '\r' || (k == ',' && !quoted_run)) break;
      }
      field->append(text_.data() + from, end - from);
      pos_ = end;
    };
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (in_quotes) {
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field->push_back('"');
            ++pos_;
          } else {
            in_quotes = false;
            after_closing = true;
          }
        } else if (c == '\r' || c == '\n') {
          if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
          field->push_back('\n');
          ++line_;
        } else {
          append_run(pos_ - 1, true);
        }
        continue;
      }
      if (c == ',') {
        end_field();
        continue;
      }
      if (c == '\r' || c == '\n') {
        if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        if (n == 0 && field->empty() && !quoted) return false;  // blank line
        end_field();
        record.fields.resize(n);
        return true;
      }
      if (after_closing) {
        if (c == ' ' || c == '\t') continue;  // `"a" ,` is read as `"a",`
        if (ok) {
          Report(record.line, static_cast<int>(n) + 1,
                 "text after the closing quote of a quoted field");
        }
        ok = false;
        continue;
      }
      if (c == '"' && TrimSpaces(*field).empty() && !quoted) {
        field->clear();
        quoted = in_quotes = true;
        quote_line = line_;
        continue;
      }
      // A quote inside an unquoted field is kept as text.
      field->push_back(c);
      append_run(pos_, false);
    }
    if (in_quotes) {
      Report(record.line, static_cast<int>(n) + 1,
             "quoted field opened on line " + std::to_string(quote_line) +
                 " is never closed (a missing \")");
      ok = false;
    }
    if (n == 0 && field->empty() && !quoted) return false;
    end_field();
    record.fields.resize(n);
    return true;
  }

  std::string_view text_;
  const std::string& file_;
  std::vector<ImportProblem>& problems_;
  std::size_t pos_ = 0;
  int line_;
};

// Hands each record `scanner` reads, checked against the header, to `on_record`.
void ReadRecords(const CsvTable& table, Scanner& scanner, const std::string& file,
                 std::vector<ImportProblem>& problems, const CsvTable::RecordFn& on_record) {
  CsvRecord record;
  bool ok = true;
  while (scanner.Next(record, ok)) {
    if (!ok) continue;
    bool valid = true;
    for (std::size_t i = 0; i < record.fields.size() && valid; ++i) {
      if (!ValidUtf8(record.fields[i])) {
        problems.push_back({file, record.line,
                            i < table.header().size() ? table.header()[i] : std::string(),
                            static_cast<int>(i) + 1, "not valid UTF-8"});
        valid = false;
      }
    }
    if (valid && record.fields.size() != table.header().size()) {
      problems.push_back({file, record.line, "", 0,
                          "the record has " + std::to_string(record.fields.size()) +
                              " fields but the header has " +
                              std::to_string(table.header().size())});
      valid = false;
    }
    if (valid) on_record(table, record);
  }
}

}  // namespace

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string FormatProblem(const ImportProblem& problem) {
  std::string out = problem.file;
  if (problem.line > 0) out += ":" + std::to_string(problem.line);
  if (!problem.column.empty()) {
    out += ":" + problem.column;
  } else if (problem.column_number > 0) {
    out += ":column " + std::to_string(problem.column_number);
  }
  return out + ": " + problem.reason;
}

CsvTable CsvTable::Parse(std::string_view text, const std::string& file,
                         std::vector<ImportProblem>& problems) {
  std::vector<CsvRecord> records;
  CsvTable table = Stream(text, file, problems, [&](const CsvTable&, const CsvRecord& record) {
    records.push_back(record);
  });
  table.records_ = std::move(records);
  return table;
}

CsvTable CsvTable::Stream(std::string_view text, const std::string& file,
                          std::vector<ImportProblem>& problems, const RecordFn& on_record) {
  CsvTable table;
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  Scanner scanner(text, file, problems);
  CsvRecord record;
  bool ok = true;
  if (!scanner.Next(record, ok)) {
    scanner.Report(0, 0, "the file is empty (no header line)");
    return table;
  }
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    std::string name(TrimSpaces(record.fields[i]));
    const int column_number = static_cast<int>(i) + 1;
    std::string lower;
    if (!ValidUtf8(name)) {
      scanner.Report(record.line, column_number, "header name is not valid UTF-8");
    } else if (!name.empty()) {
      auto [it, inserted] = table.column_by_lower_name_.emplace(AsciiLower(name), i);
      if (!inserted) {
        scanner.Report(record.line, column_number,
                       "column '" + name + "' appears twice in the header (also column " +
                           std::to_string(it->second + 1) + ")");
      } else {
        lower = AsciiLower(name);
      }
    }
    table.header_.push_back(std::move(name));
    table.lower_header_.push_back(std::move(lower));
  }
  ReadRecords(table, scanner, file, problems, on_record);
  table.next_line_ = scanner.line();
  return table;
}

int CsvTable::StreamMore(std::string_view text, int first_line, const std::string& file,
                         std::vector<ImportProblem>& problems, const RecordFn& on_record) const {
  Scanner scanner(text, file, problems, first_line);
  ReadRecords(*this, scanner, file, problems, on_record);
  return scanner.line();
}

// The same rules as Scanner::ReadRecord: a quote opens a quoted field only
// at the field's start (after spaces); inside, a doubled quote is a quote.
std::size_t CsvTable::WholeRecords(std::string_view text) {
  std::size_t end = 0;
  bool in_quotes = false, quoted = false, blank = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c != '"') continue;
      if (i + 1 < text.size() && text[i + 1] == '"') {
        ++i;
      } else {
        in_quotes = false;
      }
      continue;
    }
    if (c == ',' || c == '\r' || c == '\n') {
      if (c == '\n') end = i + 1;
      quoted = false;
      blank = true;
    } else if (c == '"' && blank && !quoted) {
      in_quotes = quoted = true;
    } else if (c != ' ' && c != '\t') {
      blank = false;
    }
  }
  return end;
}

// A scan of the (few) header names, without building a lowercase copy of
// `name`: called for every field of every record.
std::optional<std::size_t> CsvTable::Column(std::string_view name) const {
  // Files nearly always spell names as the format does, as callers do.
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name && !lower_header_[i].empty()) return i;
  }
  for (std::size_t i = 0; i < lower_header_.size(); ++i) {
    const std::string& lower = lower_header_[i];
    if (lower.size() != name.size() || lower.empty()) continue;
    bool same = true;
    for (std::size_t k = 0; k < name.size() && same; ++k) {
      char c = name[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == lower[k];
    }
    if (same) return i;
  }
  return std::nullopt;
}

std::string_view CsvTable::Field(const CsvRecord& record, std::string_view name) const {
  auto column = Column(name);
  if (!column || *column >= record.fields.size()) return {};
  return record.fields[*column];
}

}  // namespace cairn::oneroster
