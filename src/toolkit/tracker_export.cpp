#include "toolkit/tracker_export.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "reports/csv.h"

namespace cairn {

namespace {

// One line of text per cell value: lists are joined by line breaks.
std::string CellText(const TrackerColumn& col, const TrackerRowState& state,
                     const TrackerExport& data) {
  const TrackerRow& row = state.current;
  switch (col.kind) {
    case TrackerColumnKind::kText:
    case TrackerColumnKind::kChoice: {
      auto it = row.values.find(col.id);
      return it == row.values.end() ? "" : it->second;
    }
    case TrackerColumnKind::kList: {
      std::string out;
      if (auto it = row.lists.find(col.id); it != row.lists.end()) {
        for (const std::string& s : it->second) out += (out.empty() ? "" : "\n") + s;
      }
      return out;
    }
    case TrackerColumnKind::kReport: {
      if (row.report.empty()) return "";
      const TrackerReportLink* link = FindTrackerReportLink(row.report);
      std::string out = link ? link->label : row.report;
      if (!row.report_group.empty()) out += " (" + row.report_group + ")";
      if (auto it = data.report_values.find(state.id); it != data.report_values.end()) {
        out += ": " + it->second;
      }
      return out;
    }
  }
  return "";
}

struct Field {
  std::string label;
  std::string value;
};

std::vector<Field> RowFields(const TrackerRowState& state, const TrackerExport& data) {
  std::vector<Field> out;
  for (const TrackerColumn& col : data.tracker->columns) {
    out.push_back({col.label, CellText(col, state, data)});
  }
  const TrackerRow& row = state.current;
  out.push_back({"Owner", row.owner});
  out.push_back({"Due", row.due ? FormatDate(*row.due) : ""});
  out.push_back({"Status", std::string(RowStatusName(row.status))});
  out.push_back({"Overdue", IsOverdue(row, data.today) ? "Yes" : ""});
  out.push_back({"Notes", row.notes});
  out.push_back({"Revisions", std::to_string(state.history.size())});
  return out;
}

class TempFile {
 public:
  explicit TempFile(const std::string& dir) {
    const std::filesystem::path base =
        dir.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(dir);
    std::string pattern = (base / "cairn-tracker-XXXXXX.xlsx").string();
    const int fd = mkstemps(pattern.data(), 5);
    if (fd >= 0) {
      close(fd);
      path_ = pattern;
    }
  }
  ~TempFile() {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Excel sheet names: at most 31 characters, none of []:*?/\.
std::string SheetName(std::string s) {
  for (char& c : s) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = ' ';
  }
  return s.substr(0, 31);
}

}  // namespace

Result<std::string> TrackerXlsx(const TrackerExport& data, const std::string& temp_dir) {
  if (!data.tracker) return Status::Invalid("tracker export: no tracker");
  const TrackerDefinition& t = *data.tracker;
  TempFile file(temp_dir);
  if (file.path().empty()) return Status::Internal("tracker.xlsx: cannot create a temporary file");
  std::string tmpdir = temp_dir;
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.empty() ? nullptr : tmpdir.data();
  lxw_workbook* workbook = workbook_new_opt(file.path().c_str(), &options);
  if (!workbook) return Status::Internal("tracker.xlsx: cannot start a workbook");
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_text_wrap(header);
  format_set_bg_color(header, 0xDDE7F0);
  lxw_format* wrap = workbook_add_format(workbook);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_doc_properties properties{};
  std::string title = t.title + " (" + t.template_name + ")";
  properties.title = title.data();
  (void)workbook_set_properties(workbook, &properties);

  lxw_error err = LXW_NO_ERROR;
  auto keep = [&err](lxw_error e) {
    if (err == LXW_NO_ERROR) err = e;
  };
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, SheetName(t.title).c_str());
  if (!sheet) {
    workbook_close(workbook);
    return Status::Internal("tracker.xlsx: sheet refused");
  }
  std::vector<Field> head_fields;
  if (!data.rows.empty()) {
    head_fields = RowFields(data.rows.front(), data);
  } else {
    TrackerRowState empty;
    head_fields = RowFields(empty, data);
  }
  for (std::size_t c = 0; c < head_fields.size(); ++c) {
    keep(worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), head_fields[c].label.c_str(),
                                header));
    keep(worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                              c < t.columns.size() ? 32 : 14, wrap));
  }
  for (std::size_t r = 0; r < data.rows.size(); ++r) {
    const std::vector<Field> fields = RowFields(data.rows[r], data);
    for (std::size_t c = 0; c < fields.size(); ++c) {
      if (fields[c].value.empty()) continue;
      keep(worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                                  NeutralizeFormula(fields[c].value).c_str(), wrap));
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  keep(worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(data.rows.size()),
                            static_cast<lxw_col_t>(head_fields.size() - 1)));

  if (!t.questions.empty() || !t.guiding_questions.empty()) {
    lxw_worksheet* q = workbook_add_worksheet(workbook, "Questions");
    if (q) {
      keep(worksheet_set_column(q, 0, 0, 100, wrap));
      lxw_row_t r = 0;
      if (!t.questions_intro.empty()) {
        keep(worksheet_write_string(q, r++, 0, t.questions_intro.c_str(), header));
      }
      for (const std::string& s : t.questions)
        keep(worksheet_write_string(q, r++, 0, s.c_str(), wrap));
      for (const GuidingQuestions& g : t.guiding_questions) {
        keep(worksheet_write_string(q, r++, 0, g.heading.c_str(), header));
        for (const std::string& s : g.questions) {
          keep(worksheet_write_string(q, r++, 0, s.c_str(), wrap));
        }
      }
    }
  }
  const lxw_error closed = workbook_close(workbook);
  if (err != LXW_NO_ERROR) {
    return Status::Internal(std::string("tracker.xlsx: ") + lxw_strerror(err));
  }
  if (closed != LXW_NO_ERROR) {
    return Status::Internal(std::string("tracker.xlsx: ") + lxw_strerror(closed));
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return Status::Internal("tracker.xlsx: cannot read the workbook back");
  return bytes;
}

namespace {

constexpr double kPageW = 841.89;  // A4 landscape, points
constexpr double kPageH = 595.28;
constexpr double kMargin = 42;
constexpr const char* kFont = "DejaVu Sans";

cairo_status_t AppendTo(void* closure, const unsigned char* bytes, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(bytes), length);
  return CAIRO_STATUS_SUCCESS;
}

// Replaces invalid UTF-8 with U+FFFD so cairo draws every string it is given.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n > 0 && i + n <= text.size();
    for (std::size_t k = 1; ok && k < n; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (ok && (c >= 0x20 || c == '\n')) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out += c == '\t' ? " " : "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

class PdfWriter {
 public:
  explicit PdfWriter(std::string* out)
      : surface_(cairo_pdf_surface_create_for_stream(AppendTo, out, kPageW, kPageH)),
        cr_(cairo_create(surface_)) {
    y_ = kMargin;
  }
  ~PdfWriter() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
  }
  PdfWriter(const PdfWriter&) = delete;
  PdfWriter& operator=(const PdfWriter&) = delete;

  void Font(double size, bool bold) {
    cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
    size_ = size;
  }

  // Draws `text` wrapped at word boundaries from `x` to the right margin.
  void Text(const std::string& text, double x = kMargin) {
    const double width = kPageW - kMargin - x;
    std::istringstream paragraphs(ValidUtf8(text));
    std::string paragraph;
    while (std::getline(paragraphs, paragraph)) {
      std::istringstream words(paragraph);
      std::string word, line;
      while (words >> word) {
        const std::string candidate = line.empty() ? word : line + " " + word;
        if (!line.empty() && Width(candidate) > width) {
          Line(line, x);
          line = word;
        } else {
          line = candidate;
        }
      }
      Line(line, x);
    }
  }

  void Gap(double points) { y_ += points; }

  Status Finish() {
    cairo_show_page(cr_);
    cairo_surface_finish(surface_);
    const cairo_status_t s = cairo_surface_status(surface_);
    if (s != CAIRO_STATUS_SUCCESS) {
      return Status::Internal(std::string("tracker.pdf: ") + cairo_status_to_string(s));
    }
    return Status::Ok();
  }

 private:
  double Width(const std::string& s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr_, s.c_str(), &e);
    return e.x_advance;
  }
  void Line(const std::string& s, double x) {
    const double height = size_ * 1.35;
    if (y_ + height > kPageH - kMargin) {
      cairo_show_page(cr_);
      y_ = kMargin;
    }
    y_ += height;
    cairo_move_to(cr_, x, y_);
    cairo_show_text(cr_, s.c_str());
  }

  cairo_surface_t* surface_;
  cairo_t* cr_;
  double y_ = 0;
  double size_ = 10;
};

}  // namespace

Result<std::string> TrackerPdf(const TrackerExport& data) {
  if (!data.tracker) return Status::Invalid("tracker export: no tracker");
  const TrackerDefinition& t = *data.tracker;
  std::string bytes;
  {
    PdfWriter pdf(&bytes);
    pdf.Font(18, true);
    pdf.Text(t.title);
    pdf.Font(10, false);
    pdf.Text(data.district_name + " · " + t.template_name + " · " + t.action + " · as of " +
             FormatDate(data.today));
    if (!t.description.empty()) pdf.Text(t.description);
    if (!t.questions.empty()) {
      pdf.Gap(6);
      pdf.Font(11, true);
      pdf.Text(t.questions_intro.empty() ? "Questions" : t.questions_intro);
      pdf.Font(10, false);
      for (const std::string& q : t.questions) pdf.Text("- " + q, kMargin + 10);
    }
    for (const GuidingQuestions& g : t.guiding_questions) {
      pdf.Gap(6);
      pdf.Font(11, true);
      pdf.Text(g.heading);
      pdf.Font(10, false);
      for (const std::string& q : g.questions) pdf.Text("- " + q, kMargin + 10);
    }
    pdf.Gap(10);
    if (data.rows.empty()) {
      pdf.Font(10, false);
      pdf.Text("No rows yet.");
    }
    for (std::size_t i = 0; i < data.rows.size(); ++i) {
      const std::vector<Field> fields = RowFields(data.rows[i], data);
      pdf.Gap(8);
      pdf.Font(12, true);
      pdf.Text(
          std::to_string(i + 1) + ". " +
          (fields.empty() || fields.front().value.empty() ? "(untitled)" : fields.front().value));
      pdf.Font(9.5, false);
      for (std::size_t f = 1; f < fields.size(); ++f) {
        if (fields[f].value.empty()) continue;
        pdf.Text(fields[f].label + ": " + fields[f].value, kMargin + 10);
      }
    }
    Status s = pdf.Finish();
    if (!s.ok()) return s;
  }
  return bytes;
}

}  // namespace cairn
