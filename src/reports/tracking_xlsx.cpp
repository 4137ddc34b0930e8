#include "reports/tracking_xlsx.h"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>

#include "common/time.h"
#include "reports/csv.h"

namespace cairn {
namespace {

constexpr std::size_t kMaxSheetName = 31;  // Excel's limit, in characters

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> columns = {"Student Name",
                                                   "Student ID",
                                                   "Teacher Name",
                                                   "School",
                                                   "Course",
                                                   "Section",
                                                   "Badge",
                                                   "Completed",
                                                   "Date of Completion",
                                                   "What Remains Incomplete",
                                                   "Last Evidence",
                                                   "Next Opportunity",
                                                   "Supports"};
  return columns;
}
constexpr lxw_col_t kCompletedColumn = 7;
constexpr double kColumnWidths[] = {22, 14, 22, 20, 16, 20, 8, 11, 14, 48, 13, 24, 24};

std::string AsciiLower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// The first `max` characters (code points) of UTF-8 `text`.
std::string FirstCharacters(const std::string& text, std::size_t max) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts_character = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_character && ++count > max) return text.substr(0, i);
  }
  return text;
}

// A file path that is removed when this goes out of scope.
class TempPath {
 public:
  explicit TempPath(const std::string& dir) {
    const std::filesystem::path base =
        dir.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(dir);
    std::string pattern = (base / "cairn-tracking-XXXXXX.xlsx").string();
    const int fd = mkstemps(pattern.data(), 5);
    if (fd >= 0) {
      close(fd);
      path_ = pattern;
    }
  }
  ~TempPath() {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Status XlsxError(const std::string& what, lxw_error error) {
  return Status::Internal("tracking.xlsx: " + what + ": " + lxw_strerror(error));
}

std::optional<lxw_datetime> DateCell(const std::string& text) {
  auto day = ParseDate(text);
  if (text.empty() || !day.ok()) return std::nullopt;
  lxw_datetime date{};
  date.year = std::stoi(text.substr(0, 4));
  date.month = std::stoi(text.substr(5, 2));
  date.day = std::stoi(text.substr(8, 2));
  return date;
}

struct Formats {
  lxw_format* header;
  lxw_format* date;
  lxw_format* wrap;
  lxw_format* earned;
  lxw_format* not_yet;
};

Formats AddFormats(lxw_workbook* workbook) {
  Formats formats{};
  formats.header = workbook_add_format(workbook);
  format_set_bold(formats.header);
  format_set_bg_color(formats.header, 0xD9E2F3);
  format_set_text_wrap(formats.header);
  formats.date = workbook_add_format(workbook);
  format_set_num_format(formats.date, "yyyy-mm-dd");
  formats.wrap = workbook_add_format(workbook);
  format_set_text_wrap(formats.wrap);
  // Excel's own "good" and "neutral" styles: readable in print and for
  // colour-blind readers, and the Completed column says it in words.
  formats.earned = workbook_add_format(workbook);
  format_set_bg_color(formats.earned, 0xC6EFCE);
  format_set_font_color(formats.earned, 0x006100);
  formats.not_yet = workbook_add_format(workbook);
  format_set_bg_color(formats.not_yet, 0xFFEB9C);
  format_set_font_color(formats.not_yet, 0x9C5700);
  return formats;
}

class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* sheet, const Formats& formats) : sheet_(sheet), formats_(formats) {}

  Status Header() {
    for (lxw_col_t col = 0; col < Columns().size(); ++col) {
      Write(worksheet_write_string(sheet_, 0, col, Columns()[col].c_str(), formats_.header));
      Write(worksheet_set_column(sheet_, col, col, kColumnWidths[col], nullptr));
    }
    worksheet_freeze_panes(sheet_, 1, 0);
    return status_;
  }

  Status Row(const TrackingRow& row) {
    ++last_row_;
    const std::vector<std::string> text = {
        row.student_name, row.student_id, row.teacher_name, row.school,
        row.course,       row.section,    row.badge,        row.completed ? "Yes" : "Not yet"};
    for (lxw_col_t col = 0; col < text.size(); ++col) String(col, text[col], nullptr);
    Date(8, row.completed ? row.completed_on : "");
    String(9, JoinCell(row.remaining), formats_.wrap);
    Date(10, row.last_evidence_on);
    // Next Opportunity stays empty for the teacher; Supports are the open
    // interventions, which the teacher may add to.
    String(12, JoinCell(row.supports), formats_.wrap);
    return status_;
  }

  // Autofilter over every row, and the earned / not yet colours.
  Status Finish() {
    const lxw_col_t last_col = static_cast<lxw_col_t>(Columns().size() - 1);
    Write(worksheet_autofilter(sheet_, 0, 0, last_row_, last_col));
    if (last_row_ == 0) return status_;
    // The formula is ours (a fixed column test), never a cell's content.
    const std::string column(1, static_cast<char>('A' + kCompletedColumn));
    std::string earned = "=$" + column + "2=\"Yes\"";
    std::string not_yet = "=$" + column + "2=\"Not yet\"";
    for (auto [formula, format] :
         {std::pair{&earned, formats_.earned}, std::pair{&not_yet, formats_.not_yet}}) {
      lxw_conditional_format rule{};
      rule.type = LXW_CONDITIONAL_TYPE_FORMULA;
      rule.value_string = formula->data();
      rule.format = format;
      Write(worksheet_conditional_format_range(sheet_, 1, 0, last_row_, last_col, &rule));
    }
    return status_;
  }

 private:
  void Write(lxw_error error) {
    if (error != LXW_NO_ERROR && status_.ok()) status_ = XlsxError("writing a sheet", error);
  }
  void String(lxw_col_t col, const std::string& value, lxw_format* format) {
    if (value.empty()) return;
    const std::string safe = NeutralizeFormula(value);
    Write(worksheet_write_string(sheet_, last_row_, col, safe.c_str(), format));
  }
  void Date(lxw_col_t col, const std::string& value) {
    if (auto date = DateCell(value)) {
      Write(worksheet_write_datetime(sheet_, last_row_, col, &*date, formats_.date));
    }
  }

  lxw_worksheet* sheet_;
  Formats formats_;
  lxw_row_t last_row_ = 0;
  Status status_;
};

// Closes `workbook` (which writes `file` and frees the workbook, even after a
// failure) and reads the bytes back; `status` is any failure while writing.
Result<std::string> CloseAndRead(lxw_workbook* workbook, const TempPath& file,
                                 const Status& status) {
  const lxw_error closed = workbook_close(workbook);
  if (!status.ok()) return status;
  if (closed != LXW_NO_ERROR) return XlsxError("writing the file", closed);
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Status::Internal("xlsx: cannot read the workbook back");
  return bytes;
}

std::string SectionKey(const TrackingRow& row) {
  return row.section_sourced_id.empty() ? row.school + "\n" + row.section : row.section_sourced_id;
}

}  // namespace

std::string UniqueSheetName(const std::string& title, std::vector<std::string>& taken) {
  std::string name;
  for (char c : title) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) continue;
    name += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_';
  }
  auto trim = [](std::string& text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\'')) text.erase(0, 1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\'')) text.pop_back();
  };
  trim(name);
  if (name.empty()) name = "Section";
  if (AsciiLower(name) == "history") name += " 1";  // Excel reserves "History"
  name = FirstCharacters(name, kMaxSheetName);
  trim(name);
  auto is_taken = [&](const std::string& candidate) {
    return std::any_of(taken.begin(), taken.end(), [&](const std::string& t) {
      return AsciiLower(t) == AsciiLower(candidate);
    });
  };
  std::string unique = name;
  for (int n = 2; is_taken(unique); ++n) {
    const std::string suffix = " (" + std::to_string(n) + ")";
    std::string base = FirstCharacters(name, kMaxSheetName - suffix.size());
    trim(base);
    unique = base + suffix;
  }
  taken.push_back(unique);
  return unique;
}

Result<std::string> TrackingSheetXlsx(const std::vector<TrackingRow>& rows,
                                      const std::string& temp_dir) {
  // The sections in the order the rows first name them.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const TrackingRow*>> by_section;
  for (const TrackingRow& row : rows) {
    auto [it, added] = by_section.try_emplace(SectionKey(row));
    if (added) order.push_back(it->first);
    it->second.push_back(&row);
  }
  if (order.size() > kMaxTrackingSheets) {
    return Status::TooLarge(
        "tracking.xlsx: " + std::to_string(order.size()) + " sections; a workbook holds at most " +
        std::to_string(kMaxTrackingSheets) + " sheets (export one school, or the CSV)");
  }

  TempPath file(temp_dir);
  if (file.path().empty()) return Status::Internal("tracking.xlsx: cannot create a temporary file");
  std::string tmpdir = temp_dir;
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;  // one row per sheet in memory
  options.tmpdir = tmpdir.empty() ? nullptr : tmpdir.data();
  lxw_workbook* workbook = workbook_new_opt(file.path().c_str(), &options);
  if (!workbook) return Status::Internal("tracking.xlsx: cannot start a workbook");
  const Formats formats = AddFormats(workbook);
  lxw_doc_properties properties{};
  std::string title = "Badge tracking sheet";
  properties.title = title.data();
  (void)workbook_set_properties(workbook, &properties);

  Status status;
  std::vector<std::string> names;
  auto add_sheet = [&](const std::string& title_text) -> lxw_worksheet* {
    const std::string name = UniqueSheetName(title_text, names);
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
    if (!sheet && status.ok())
      status = Status::Internal("tracking.xlsx: sheet '" + name + "' refused");
    return sheet;
  };
  if (order.empty()) {
    if (lxw_worksheet* sheet = add_sheet("Tracking")) {
      SheetWriter writer(sheet, formats);
      if (status.ok()) status = writer.Header();
      if (status.ok()) status = writer.Finish();
    }
  }
  for (const std::string& key : order) {
    if (!status.ok()) break;
    const std::vector<const TrackingRow*>& section_rows = by_section[key];
    lxw_worksheet* sheet = add_sheet(section_rows.front()->section);
    if (!sheet) break;
    SheetWriter writer(sheet, formats);
    status = writer.Header();
    for (const TrackingRow* row : section_rows) {
      if (status.ok()) status = writer.Row(*row);
    }
    if (status.ok()) status = writer.Finish();
  }
  return CloseAndRead(workbook, file, status);
}

Result<std::string> TableXlsx(const std::string& title,
                              const std::vector<std::vector<std::string>>& table,
                              const std::string& temp_dir) {
  TempPath file(temp_dir);
  if (file.path().empty()) return Status::Internal("report.xlsx: cannot create a temporary file");
  std::string tmpdir = temp_dir;
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.empty() ? nullptr : tmpdir.data();
  lxw_workbook* workbook = workbook_new_opt(file.path().c_str(), &options);
  if (!workbook) return Status::Internal("report.xlsx: cannot start a workbook");
  const Formats formats = AddFormats(workbook);
  lxw_doc_properties properties{};
  std::string document_title = title;
  properties.title = document_title.data();
  (void)workbook_set_properties(workbook, &properties);
  std::vector<std::string> names;
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, UniqueSheetName(title, names).c_str());
  Status status = sheet ? Status::Ok() : Status::Internal("report.xlsx: sheet refused");
  std::size_t columns = 0;
  for (std::size_t r = 0; status.ok() && r < table.size(); ++r) {
    columns = std::max(columns, table[r].size());
    for (std::size_t c = 0; c < table[r].size(); ++c) {
      const std::string& text = table[r][c];
      const auto row = static_cast<lxw_row_t>(r);
      const auto col = static_cast<lxw_col_t>(c);
      char* end = nullptr;
      const double number = r == 0 || text.empty() ? 0 : std::strtod(text.c_str(), &end);
      const lxw_error error =
          r > 0 && !text.empty() && end && *end == '\0'
              ? worksheet_write_number(sheet, row, col, number, nullptr)
              : worksheet_write_string(sheet, row, col, NeutralizeFormula(text).c_str(),
                                       r == 0 ? formats.header : nullptr);
      if (error != LXW_NO_ERROR) status = XlsxError("writing a cell", error);
    }
  }
  if (status.ok() && !table.empty()) {
    (void)worksheet_freeze_panes(sheet, 1, 0);
    (void)worksheet_set_column(sheet, 0, 0, 28, nullptr);
    if (columns > 1) {
      (void)worksheet_set_column(sheet, 1, static_cast<lxw_col_t>(columns - 1), 16, nullptr);
    }
    (void)worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.size() - 1),
                               static_cast<lxw_col_t>(columns - 1));
  }
  return CloseAndRead(workbook, file, status);
}

}  // namespace cairn
