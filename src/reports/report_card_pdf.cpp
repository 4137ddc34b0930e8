#include "reports/report_card_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <qrencode.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <sstream>
#include <vector>

namespace cairn {

namespace {

// --- geometry (PDF points, 1/72 inch) ---
constexpr double kMarginX = 54;  // 0.75 in
constexpr double kHeaderTop = 36;
constexpr double kFooterHeight = 58;
constexpr double kQrSymbol = 66;  // the QR code's modules; white space around is the page
constexpr double kQrColumn = 84;  // QR plus its quiet zone
constexpr const char* kFontFace = "DejaVu Sans";

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.10, 0.10, 0.10};
constexpr Rgb kMuted{0.33, 0.33, 0.33};
constexpr Rgb kAccent{0.09, 0.27, 0.45};
constexpr Rgb kRule{0.78, 0.78, 0.78};
constexpr Rgb kLinkInk{0.05, 0.30, 0.62};
constexpr Rgb kBand{0.94, 0.95, 0.97};

struct Font {
  double size = 10;
  bool bold = false;
};
constexpr Font kTitleFont{17, true};
constexpr Font kDistrictFont{10, true};
constexpr Font kHeadingFont{13, true};
constexpr Font kBadgeFont{11, true};
constexpr Font kBody{9.5, false};
constexpr Font kBodyBold{9.5, true};
constexpr Font kSmall{8.5, false};
constexpr Font kSmallBold{8.5, true};

double LineHeight(Font font) { return font.size * 1.32; }

// What a page holds, positioned; painted once the page count is known.
struct Op {
  enum class Kind { kText, kFill, kLogo, kQr, kLink };
  Kind kind = Kind::kText;
  double x = 0, y = 0, w = 0, h = 0;  // text: baseline at (x, y)
  Font font;
  Rgb color = kInk;
  std::string text;                    // text, or a link's address
  std::vector<unsigned char> modules;  // kQr: n * n, 1 = dark
  int n = 0;
};
using Page = std::vector<Op>;

struct CairoFree {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoFree>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoFree>;

// --- text ---

// Valid UTF-8 with control characters as spaces (line breaks kept when
// asked): cairo refuses invalid UTF-8 and would stop drawing altogether.
std::string Clean(std::string_view text, bool keep_newlines = false) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += (c == '\n' && keep_newlines) ? '\n' : (c < 0x20 || c == 0x7f) ? ' ' : text[i];
      ++i;
      continue;
    }
    int length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    bool valid = length > 0 && i + length <= text.size();
    std::uint32_t code = 0;
    if (valid) {
      code = length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
      for (int k = 1; k < length && valid; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        valid = (next & 0xC0) == 0x80;
        code = (code << 6) | (next & 0x3F);
      }
      valid = valid && !(length == 3 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) &&
              !(length == 4 && (code < 0x10000 || code > 0x10FFFF));
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    }
  }
  return out;
}

void SelectFont(cairo_t* cr, Font font) {
  cairo_select_font_face(cr, kFontFace, CAIRO_FONT_SLANT_NORMAL,
                         font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, font.size);
}

// Unhinted metrics, so what is measured on the scratch surface is what the
// PDF draws.
void UnhintedMetrics(cairo_t* cr) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
}

std::size_t NextCodePoint(std::string_view text, std::size_t at) {
  ++at;
  while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  return at;
}

std::string ShortDate(Day day) { return day > 0 ? LongDate(day) : ""; }

// Lays out one student's pages.
class Layout {
 public:
  Layout(cairo_t* measure, double page_w, double page_h)
      : cr_(measure), page_w_(page_w), page_h_(page_h) {}

  double Width(const std::string& text, Font font) {
    SelectFont(cr_, font);
    cairo_text_extents_t extents;
    cairo_text_extents(cr_, text.c_str(), &extents);
    return extents.x_advance;
  }

  // Greedy wrapping by measured width; a word wider than the line is cut
  // between code points. Line breaks in the text start new lines.
  std::vector<std::string> Wrap(std::string_view text, Font font, double width) {
    std::vector<std::string> lines;
    const std::string clean = Clean(text, true);
    std::size_t start = 0;
    while (start <= clean.size()) {
      std::size_t end = clean.find('\n', start);
      if (end == std::string::npos) end = clean.size();
      WrapParagraph(std::string_view(clean).substr(start, end - start), font, width, lines);
      start = end + 1;
    }
    return lines;
  }

  double content_left() const { return kMarginX; }
  double content_width() const { return page_w_ - 2 * kMarginX; }
  double y() const { return y_; }
  void set_y(double y) { y_ = y; }
  void Advance(double dy) { y_ += dy; }

  // Starts the first page below a header of `header_height`.
  void Start(double header_height) {
    content_top_ = kHeaderTop + header_height;
    NewPage();
  }
  void NewPage() {
    pages_.emplace_back();
    y_ = content_top_;
  }
  // A new page unless `height` fits below the cursor.
  bool Need(double height) {
    if (y_ + height <= page_h_ - kFooterHeight || y_ <= content_top_ + 0.5) return false;
    NewPage();
    return true;
  }

  void Text(double x, double baseline, const std::string& text, Font font, Rgb color = kInk) {
    Op op;
    op.kind = Op::Kind::kText;
    op.x = x;
    op.y = baseline;
    op.font = font;
    op.color = color;
    op.text = Clean(text);
    pages_.back().push_back(std::move(op));
  }
  void Fill(double x, double y, double w, double h, Rgb color) {
    Op op;
    op.kind = Op::Kind::kFill;
    op.x = x;
    op.y = y;
    op.w = w;
    op.h = h;
    op.color = color;
    pages_.back().push_back(std::move(op));
  }
  void Link(double x, double y, double w, double h, const std::string& uri) {
    Op op;
    op.kind = Op::Kind::kLink;
    op.x = x;
    op.y = y;
    op.w = w;
    op.h = h;
    op.text = uri;
    pages_.back().push_back(std::move(op));
  }
  void Push(Op op) { pages_.back().push_back(std::move(op)); }

  // Wrapped text from the cursor, flowing onto new pages; moves the cursor
  // below it. With `uri`, each line is a link to it.
  void Paragraph(double x, double width, std::string_view text, Font font, Rgb color = kInk,
                 const std::string& uri = "") {
    const double line = LineHeight(font);
    for (const std::string& l : Wrap(text, font, width)) {
      Need(line);
      Text(x, y_ + font.size, l, font, color);
      if (!uri.empty() && !l.empty()) Link(x, y_, Width(l, font), line, uri);
      y_ += line;
    }
  }

  std::vector<Page> TakePages() { return std::move(pages_); }

 private:
  void WrapParagraph(std::string_view text, Font font, double width,
                     std::vector<std::string>& lines) {
    std::vector<std::string> words;
    std::size_t at = 0;
    while (at < text.size()) {
      while (at < text.size() && text[at] == ' ') ++at;
      std::size_t end = text.find(' ', at);
      if (end == std::string_view::npos) end = text.size();
      if (end > at) words.emplace_back(text.substr(at, end - at));
      at = end;
    }
    std::string line;
    for (std::string& word : words) {
      std::string candidate = line.empty() ? word : line + " " + word;
      if (Width(candidate, font) <= width) {
        line = std::move(candidate);
        continue;
      }
      if (!line.empty()) lines.push_back(std::move(line));
      line.clear();
      // A word wider than the line (an address, a long name): cut it.
      while (Width(word, font) > width) {
        std::size_t cut = 0;
        while (cut < word.size()) {
          std::size_t next = NextCodePoint(word, cut);
          if (Width(word.substr(0, next), font) > width) break;
          cut = next;
        }
        if (cut == 0) cut = NextCodePoint(word, 0);
        lines.push_back(word.substr(0, cut));
        word.erase(0, cut);
      }
      line = std::move(word);
    }
    lines.push_back(std::move(line));  // an empty paragraph is an empty line
  }

  cairo_t* cr_;
  double page_w_, page_h_;
  double content_top_ = 0;
  double y_ = 0;
  std::vector<Page> pages_;
};

// libqrencode's matrix for `text` (error correction M), or n = 0 when it
// does not fit a QR code.
Op QrOp(const std::string& text, double x, double y, double size) {
  Op op;
  op.kind = Op::Kind::kQr;
  op.x = x;
  op.y = y;
  op.w = op.h = size;
  op.text = text;
  std::unique_ptr<QRcode, CairoFree> code(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, /*casesensitive=*/1));
  if (!code) return op;
  op.n = code->width;
  op.modules.resize(static_cast<std::size_t>(op.n) * op.n);
  for (std::size_t i = 0; i < op.modules.size(); ++i) op.modules[i] = code->data[i] & 1;
  return op;
}

// A cairo tag attribute string value: single-quoted, backslash-escaped.
std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string Number(double value) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out.precision(3);
  out << std::fixed << value;
  return out.str();
}

// --- the report card's content ---

class CardLayout {
 public:
  CardLayout(Layout& layout, const ReportCard& card, const ReportCardSettings& settings,
             ReportCardKind kind)
      : l_(layout), card_(card), settings_(settings), kind_(kind) {}

  void Content() {
    const double x = l_.content_left();
    const double width = l_.content_width();
    if (kind_ == ReportCardKind::kReportCard) {
      l_.Paragraph(x, width, settings_.intro, kBody, kMuted);
      l_.Advance(6);
      Earned();
      Requirements();
      InProgress();
      Habits();
      Comments();
    } else {
      l_.Paragraph(x, width,
                   "The badges " + card_.student_name + " has earned, as of " +
                       ShortDate(card_.as_of) +
                       ", with the learning expectations each one certifies. Scan a code, or "
                       "open the address beside it, to check the badge with its issuer.",
                   kBody, kMuted);
      l_.Advance(6);
      Earned();
      Requirements();
    }
  }

 private:
  void Heading(const std::string& text) {
    l_.Advance(8);
    l_.Need(LineHeight(kHeadingFont) + 48);  // never alone at the bottom of a page
    l_.Text(l_.content_left(), l_.y() + kHeadingFont.size, text, kHeadingFont, kAccent);
    l_.Advance(LineHeight(kHeadingFont) + 2);
    l_.Fill(l_.content_left(), l_.y(), l_.content_width(), 0.8, kAccent);
    l_.Advance(7);
  }

  void Note(const std::string& text) {
    l_.Paragraph(l_.content_left(), l_.content_width(), text, kBody, kMuted);
  }

  void Earned() {
    Heading("Badges earned");
    if (card_.earned.empty()) {
      Note("No badges earned yet" +
           std::string(card_.as_of ? " as of " + ShortDate(card_.as_of) : "") + ".");
      return;
    }
    for (const ReportCardEarnedBadge& badge : card_.earned) EarnedBadge(badge);
  }

  void EarnedBadge(const ReportCardEarnedBadge& badge) {
    const double left = l_.content_left();
    // The text moves right of the QR code when there is one.
    const double qr_column = badge.credential ? kQrColumn : 0.0;
    const double text_x = left + qr_column;
    const double text_w = l_.content_width() - qr_column;
    const bool transcript = kind_ == ReportCardKind::kTranscript;
    // The badge's lines beside the code; measured first so the block stays
    // together on one page.
    auto title = l_.Wrap(badge.code + " · " + badge.title, kBadgeFont, text_w);
    double text_h = static_cast<double>(title.size()) * LineHeight(kBadgeFont) + LineHeight(kBody);
    std::vector<std::string> url_lines;
    if (badge.credential) {
      url_lines = l_.Wrap(badge.credential->verification_url, kSmall,
                          text_w - l_.Width("Verify at ", kSmall));
      text_h += static_cast<double>(url_lines.size() + 2) * LineHeight(kSmall);
    } else {
      text_h += LineHeight(kSmall);
    }
    const double block = std::max(text_h, badge.credential ? kQrColumn : 0.0) + 8;
    l_.Need(block);
    const double top = l_.y();

    if (badge.credential) {
      Op qr = QrOp(badge.credential->verification_url, left + (kQrColumn - kQrSymbol) / 2 - 4,
                   top + 4, kQrSymbol);
      if (qr.n > 0) {
        l_.Link(qr.x, qr.y, qr.w, qr.h, badge.credential->verification_url);
        l_.Push(std::move(qr));
      }
    }
    double y = top;
    for (const std::string& line : title) {
      l_.Text(text_x, y + kBadgeFont.size, line, kBadgeFont);
      y += LineHeight(kBadgeFont);
    }
    l_.Text(text_x, y + kBody.size, "Earned " + ShortDate(badge.earned_on), kBody);
    y += LineHeight(kBody);
    if (badge.credential) {
      const double label_w = l_.Width("Verify at ", kSmall);
      l_.Text(text_x, y + kSmall.size, "Verify at", kSmall, kMuted);
      for (const std::string& line : url_lines) {
        l_.Text(text_x + label_w, y + kSmall.size, line, kSmall, kLinkInk);
        l_.Link(text_x + label_w, y, l_.Width(line, kSmall), LineHeight(kSmall),
                badge.credential->verification_url);
        y += LineHeight(kSmall);
      }
      const std::string sharing =
          badge.credential->is_public
              ? "Shared publicly by the student: anyone with the address can check it."
              : "Not shared publicly yet: the page shows the badge once the student shares it.";
      for (const std::string& line : l_.Wrap(sharing, kSmall, text_w)) {
        l_.Text(text_x, y + kSmall.size, line, kSmall, kMuted);
        y += LineHeight(kSmall);
      }
    } else {
      l_.Text(text_x, y + kSmall.size, "Its digital credential has not been issued yet.", kSmall,
              kMuted);
      y += LineHeight(kSmall);
    }
    l_.set_y(std::max(y, top + (badge.credential ? kQrColumn : 0.0)) + 4);
    if (transcript) {
      CpeTable(badge.cpes, /*show_standing=*/false);
      l_.Advance(4);
    }
    l_.Fill(left, l_.y(), l_.content_width(), 0.5, kRule);
    l_.Advance(6);
  }

  struct Column {
    const char* title;
    double share;  // of the table's width
  };

  // Rows of wrapped cells; the header row is repeated after a page break.
  void Table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows,
             double indent = 0) {
    const double x0 = l_.content_left() + indent;
    const double width = l_.content_width() - indent;
    constexpr double kGap = 8;
    std::vector<double> xs, ws;
    double x = x0;
    for (const Column& c : columns) {
      xs.push_back(x);
      ws.push_back(c.share * width - kGap);
      x += c.share * width;
    }
    auto header = [&] {
      l_.Fill(x0, l_.y(), width, LineHeight(kSmallBold) + 3, kBand);
      for (std::size_t i = 0; i < columns.size(); ++i) {
        l_.Text(xs[i] + 2, l_.y() + kSmallBold.size + 1, columns[i].title, kSmallBold, kMuted);
      }
      l_.Advance(LineHeight(kSmallBold) + 5);
    };
    l_.Need(LineHeight(kSmallBold) + 5 + 2 * LineHeight(kBody));
    header();
    for (const auto& row : rows) {
      std::vector<std::vector<std::string>> cells;
      std::size_t lines = 1;
      for (std::size_t i = 0; i < columns.size(); ++i) {
        cells.push_back(l_.Wrap(i < row.size() ? row[i] : "", kBody, ws[i] - 2));
        lines = std::max(lines, cells.back().size());
      }
      const double height = static_cast<double>(lines) * LineHeight(kBody) + 3;
      if (l_.Need(height)) header();
      for (std::size_t i = 0; i < cells.size(); ++i) {
        double y = l_.y();
        for (const std::string& line : cells[i]) {
          l_.Text(xs[i] + 2, y + kBody.size, line, kBody);
          y += LineHeight(kBody);
        }
      }
      l_.Advance(height);
    }
  }

  void CpeTable(const std::vector<ReportCardCpe>& cpes, bool show_standing) {
    std::vector<std::vector<std::string>> rows;
    for (const ReportCardCpe& cpe : cpes) {
      std::string name = cpe.code.empty() ? cpe.label : cpe.code + " " + cpe.label;
      if (!cpe.statement.empty() && cpe.statement != cpe.label) name += ": " + cpe.statement;
      std::vector<std::string> row{name, cpe.has_evidence ? cpe.level_label : "No evidence yet"};
      if (show_standing) row.push_back(cpe.standing);
      rows.push_back(std::move(row));
    }
    if (show_standing) {
      Table({{"Learning expectation", 0.46}, {"Current level", 0.18}, {"Where it stands", 0.36}},
            rows);
    } else {
      Table({{"Learning expectation", 0.75}, {"Level reached", 0.25}}, rows);
    }
  }

  void InProgress() {
    Heading("Badges in progress");
    if (card_.in_progress.empty()) {
      Note("No badges in progress.");
      return;
    }
    for (const ReportCardBadgeInProgress& badge : card_.in_progress) {
      const double x = l_.content_left();
      const double width = l_.content_width();
      l_.Need(LineHeight(kBadgeFont) * 2 + 60);
      l_.Paragraph(x, width, badge.code + " · " + badge.title, kBadgeFont);
      std::string met = std::to_string(badge.goals_met) + " of " +
                        std::to_string(badge.goals_needed) + " learning expectations met";
      if (badge.awaiting_confirmation) met += " · ready for a teacher to confirm";
      l_.Paragraph(x, width, met, kBody, kMuted);
      l_.Advance(2);
      CpeTable(badge.cpes, /*show_standing=*/true);
      l_.Advance(3);
      l_.Need(LineHeight(kBodyBold) + LineHeight(kBody));
      l_.Paragraph(x, width, "What remains", kBodyBold);
      for (const std::string& item : badge.remaining) {
        const double bullet_w = l_.Width("•  ", kBody);
        l_.Need(LineHeight(kBody));  // so the item's first line is beside its bullet
        l_.Text(x + 10, l_.y() + kBody.size, "•", kBody);
        l_.Paragraph(x + 10 + bullet_w, width - 10 - bullet_w, item, kBody);
      }
      l_.Advance(4);
      l_.Fill(x, l_.y(), width, 0.5, kRule);
      l_.Advance(6);
    }
  }

  void Requirements() {
    if (card_.requirements.empty()) return;
    Heading("Credit and graduation");
    std::vector<std::vector<std::string>> rows;
    for (const ReportCardRequirement& r : card_.requirements) {
      rows.push_back(
          {r.title, r.kind == "graduation" ? "Graduation" : "Course credit", r.standing});
    }
    Table({{"Requirement", 0.42}, {"Kind", 0.18}, {"Where it stands", 0.40}}, rows);
  }

  void Habits() {
    Heading(settings_.habits_heading);
    Note("Habits of work are reported on their own: they never change badge results.");
    l_.Advance(3);
    if (card_.habits.empty()) {
      Note("No habits of work observed yet.");
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const ReportCardHabit& h : card_.habits) {
      rows.push_back({h.label, h.level_label,
                      ShortDate(h.observed_on) + " (" + std::to_string(h.observations) +
                          (h.observations == 1 ? " observation)" : " observations)"),
                      h.note});
    }
    Table({{"Habit", 0.24}, {"Level", 0.16}, {"Last observed", 0.25}, {"Note", 0.35}}, rows);
  }

  void Comments() {
    Heading("Teacher comments");
    if (card_.comments.empty()) {
      Note("No comments yet.");
      return;
    }
    const double x = l_.content_left();
    const double width = l_.content_width();
    for (const ReportCardComment& c : card_.comments) {
      l_.Need(LineHeight(kSmallBold) + LineHeight(kBody) * 2);
      std::string head = ShortDate(c.on);
      if (!c.teacher.empty()) head += " · " + c.teacher;
      if (!c.about.empty()) head += " · " + c.about;
      l_.Paragraph(x, width, head, kSmallBold, kMuted);
      l_.Paragraph(x + 10, width - 10, c.text, kBody);
      l_.Advance(5);
    }
  }

  Layout& l_;
  const ReportCard& card_;
  const ReportCardSettings& settings_;
  ReportCardKind kind_;
};

// --- painting ---

struct StreamSink {
  std::ostream* out;
};

cairo_status_t WriteToStream(void* closure, const unsigned char* data, unsigned int length) {
  auto* sink = static_cast<StreamSink*>(closure);
  sink->out->write(reinterpret_cast<const char*>(data), length);
  return *sink->out ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

struct PngSource {
  const std::string* bytes;
  std::size_t at = 0;
};

cairo_status_t ReadFromString(void* closure, unsigned char* data, unsigned int length) {
  auto* source = static_cast<PngSource*>(closure);
  if (source->bytes->size() - source->at < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, source->bytes->data() + source->at, length);
  source->at += length;
  return CAIRO_STATUS_SUCCESS;
}

void PaintQr(cairo_t* cr, const Op& op) {
  const double module = op.w / op.n;
  cairo_set_source_rgb(cr, 0, 0, 0);
  // One rectangle per run of dark modules in a row: no hairline seams.
  for (int row = 0; row < op.n; ++row) {
    int col = 0;
    while (col < op.n) {
      if (!op.modules[static_cast<std::size_t>(row) * op.n + col]) {
        ++col;
        continue;
      }
      int end = col;
      while (end < op.n && op.modules[static_cast<std::size_t>(row) * op.n + end]) ++end;
      cairo_rectangle(cr, op.x + col * module, op.y + row * module, (end - col) * module, module);
      col = end;
    }
  }
  cairo_fill(cr);
}

}  // namespace

std::string LongDate(Day day) {
  static constexpr std::array<const char*, 12> kMonths{
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const std::string iso = FormatDate(day);  // YYYY-MM-DD
  if (iso.size() != 10) return iso;
  const int month = std::stoi(iso.substr(5, 2));
  const int dom = std::stoi(iso.substr(8, 2));
  if (month < 1 || month > 12) return iso;
  return std::string(kMonths[static_cast<std::size_t>(month - 1)]) + " " + std::to_string(dom) +
         ", " + iso.substr(0, 4);
}

struct ReportCardPdf::Impl {
  StreamSink sink;
  ReportCardSettings settings;
  ReportCardKind kind = ReportCardKind::kReportCard;
  double page_w = 612, page_h = 792;
  SurfacePtr surface;
  CairoPtr cr;
  SurfacePtr measure_surface;
  CairoPtr measure;
  SurfacePtr logo;
  int pages = 0;

  double LogoWidth(double height) const {
    if (!logo) return 0;
    const double w = cairo_image_surface_get_width(logo.get());
    const double h = cairo_image_surface_get_height(logo.get());
    return std::min(150.0, w * height / h);
  }

  // The page header's ops for `card`, and its height.
  double Header(Layout& layout, const ReportCard& card, std::vector<Op>& ops) {
    constexpr double kLogoHeight = 44;
    const double logo_w = LogoWidth(kLogoHeight);
    double x = kMarginX + (logo ? logo_w + 12 : 0);
    const double width = page_w - kMarginX - x;
    double y = kHeaderTop;
    if (logo) {
      Op op;
      op.kind = Op::Kind::kLogo;
      op.x = kMarginX;
      op.y = kHeaderTop;
      op.w = logo_w;
      op.h = kLogoHeight;
      ops.push_back(std::move(op));
    }
    auto text = [&](const std::string& line, Font font, Rgb color, double at_x) {
      Op op;
      op.kind = Op::Kind::kText;
      op.x = at_x;
      op.y = y + font.size;
      op.font = font;
      op.color = color;
      op.text = Clean(line);
      ops.push_back(std::move(op));
      y += LineHeight(font);
    };
    if (!card.district.empty()) {
      for (const std::string& line : layout.Wrap(card.district, kDistrictFont, width))
        text(line, kDistrictFont, kMuted, x);
    }
    const std::string& title =
        kind == ReportCardKind::kTranscript ? settings.transcript_title : settings.title;
    for (const std::string& line : layout.Wrap(title, kTitleFont, width))
      text(line, kTitleFont, kAccent, x);
    y = std::max(y, kHeaderTop + (logo ? kLogoHeight : 0.0)) + 4;
    std::string who = card.student_name;
    if (!card.grade.empty()) who += " · Grade " + card.grade;
    if (!card.school.empty()) who += " · " + card.school;
    who += " · As of " + LongDate(card.as_of);
    for (const std::string& line : layout.Wrap(who, kBodyBold, page_w - 2 * kMarginX))
      text(line, kBodyBold, kInk, kMarginX);
    y += 3;
    Op rule;
    rule.kind = Op::Kind::kFill;
    rule.x = kMarginX;
    rule.y = y;
    rule.w = page_w - 2 * kMarginX;
    rule.h = 1;
    rule.color = kRule;
    ops.push_back(std::move(rule));
    return y - kHeaderTop + 12;
  }

  void Footer(Layout& layout, const ReportCard& card, int page, int of, std::vector<Op>& ops) {
    const double width = page_w - 2 * kMarginX;
    const double top = page_h - kFooterHeight + 14;
    Op rule;
    rule.kind = Op::Kind::kFill;
    rule.x = kMarginX;
    rule.y = top;
    rule.w = width;
    rule.h = 0.5;
    rule.color = kRule;
    ops.push_back(std::move(rule));
    const std::string number =
        card.student_name + " · Page " + std::to_string(page) + " of " + std::to_string(of);
    const double number_w = layout.Width(number, kSmall);
    Op num;
    num.kind = Op::Kind::kText;
    num.x = page_w - kMarginX - number_w;
    num.y = top + 4 + kSmall.size;
    num.font = kSmall;
    num.color = kMuted;
    num.text = Clean(number);
    ops.push_back(std::move(num));
    auto lines = layout.Wrap(settings.footer, kSmall, width - number_w - 16);
    double y = top + 4;
    for (std::size_t i = 0; i < lines.size() && i < 3; ++i) {
      Op op;
      op.kind = Op::Kind::kText;
      op.x = kMarginX;
      op.y = y + kSmall.size;
      op.font = kSmall;
      op.color = kMuted;
      op.text = lines[i];
      ops.push_back(std::move(op));
      y += LineHeight(kSmall);
    }
  }

  void Paint(const Op& op) {
    cairo_t* c = cr.get();
    switch (op.kind) {
      case Op::Kind::kText:
        if (op.text.empty()) return;
        SelectFont(c, op.font);
        cairo_set_source_rgb(c, op.color.r, op.color.g, op.color.b);
        cairo_move_to(c, op.x, op.y);
        cairo_show_text(c, op.text.c_str());
        return;
      case Op::Kind::kFill:
        cairo_set_source_rgb(c, op.color.r, op.color.g, op.color.b);
        cairo_rectangle(c, op.x, op.y, op.w, op.h);
        cairo_fill(c);
        return;
      case Op::Kind::kLogo: {
        const double scale = op.h / cairo_image_surface_get_height(logo.get());
        const double w = cairo_image_surface_get_width(logo.get()) * scale;
        const double s = w > op.w ? op.w / cairo_image_surface_get_width(logo.get()) : scale;
        cairo_save(c);
        cairo_translate(c, op.x, op.y);
        cairo_scale(c, s, s);
        cairo_set_source_surface(c, logo.get(), 0, 0);
        cairo_paint(c);
        cairo_restore(c);
        return;
      }
      case Op::Kind::kQr:
        PaintQr(c, op);
        return;
      case Op::Kind::kLink: {
        const std::string attributes = "rect=[" + Number(op.x) + " " + Number(op.y) + " " +
                                       Number(op.w) + " " + Number(op.h) +
                                       "] uri=" + Quoted(op.text);
        cairo_tag_begin(c, CAIRO_TAG_LINK, attributes.c_str());
        cairo_tag_end(c, CAIRO_TAG_LINK);
        return;
      }
    }
  }

  Status Check(const char* what) const {
    cairo_status_t status = cairo_status(cr.get());
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface.get());
    if (status == CAIRO_STATUS_SUCCESS) return Status::Ok();
    return Status::Internal(std::string("report card PDF: ") + what + ": " +
                            cairo_status_to_string(status));
  }
};

ReportCardPdf::ReportCardPdf(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ReportCardPdf::~ReportCardPdf() = default;

Result<std::unique_ptr<ReportCardPdf>> ReportCardPdf::Open(std::ostream& out,
                                                           const ReportCardSettings& settings,
                                                           ReportCardKind kind) {
  auto impl = std::make_unique<Impl>();
  impl->sink.out = &out;
  impl->settings = settings;
  impl->kind = kind;
  if (settings.paper == Paper::kA4) {
    impl->page_w = 595.28;
    impl->page_h = 841.89;
  }
  if (!settings.logo_png.empty()) {
    PngSource source{&impl->settings.logo_png};
    impl->logo.reset(cairo_image_surface_create_from_png_stream(ReadFromString, &source));
    if (cairo_surface_status(impl->logo.get()) != CAIRO_STATUS_SUCCESS ||
        cairo_image_surface_get_height(impl->logo.get()) <= 0) {
      return Status::InvalidField("report_card.logo_png", "the PNG cannot be read");
    }
  }
  impl->surface.reset(
      cairo_pdf_surface_create_for_stream(WriteToStream, &impl->sink, impl->page_w, impl->page_h));
  impl->cr.reset(cairo_create(impl->surface.get()));
  impl->measure_surface.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
  impl->measure.reset(cairo_create(impl->measure_surface.get()));
  UnhintedMetrics(impl->cr.get());
  UnhintedMetrics(impl->measure.get());
  CAIRN_RETURN_IF_ERROR(impl->Check("cannot start the document"));
  if (cairo_status(impl->measure.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("report card PDF: cannot measure text");
  }
  const char* title = kind == ReportCardKind::kTranscript ? settings.transcript_title.c_str()
                                                          : settings.title.c_str();
  const std::string clean_title = Clean(title);
  cairo_pdf_surface_set_metadata(impl->surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 clean_title.c_str());
  cairo_pdf_surface_set_metadata(impl->surface.get(), CAIRO_PDF_METADATA_CREATOR, "Cairn");
  return std::unique_ptr<ReportCardPdf>(new ReportCardPdf(std::move(impl)));
}

Result<int> ReportCardPdf::Add(const ReportCard& card) {
  Impl& d = *impl_;
  Layout layout(d.measure.get(), d.page_w, d.page_h);
  std::vector<Op> header;
  layout.Start(d.Header(layout, card, header));
  CardLayout(layout, card, d.settings, d.kind).Content();
  std::vector<Page> pages = layout.TakePages();
  const int count = static_cast<int>(pages.size());
  const std::string outline = Clean(card.student_name + " (" + card.student_id + ")");
  const std::string target = "page=" + std::to_string(pages_ + 1);
  cairo_pdf_surface_add_outline(d.surface.get(), CAIRO_PDF_OUTLINE_ROOT, outline.c_str(),
                                target.c_str(), static_cast<cairo_pdf_outline_flags_t>(0));
  for (int i = 0; i < count; ++i) {
    for (const Op& op : header) d.Paint(op);
    std::vector<Op> footer;
    d.Footer(layout, card, i + 1, count, footer);
    for (const Op& op : footer) d.Paint(op);
    for (const Op& op : pages[static_cast<std::size_t>(i)]) d.Paint(op);
    cairo_show_page(d.cr.get());
    CAIRN_RETURN_IF_ERROR(d.Check("drawing a page"));
  }
  pages_ += count;
  return count;
}

Status ReportCardPdf::Finish() {
  Impl& d = *impl_;
  if (pages_ == 0) {
    // A PDF needs a page: say why this one is empty.
    SelectFont(d.cr.get(), kBody);
    cairo_set_source_rgb(d.cr.get(), kMuted.r, kMuted.g, kMuted.b);
    cairo_move_to(d.cr.get(), kMarginX, kHeaderTop + 20);
    cairo_show_text(d.cr.get(), "No students to report on.");
    cairo_show_page(d.cr.get());
    pages_ = 1;
  }
  d.cr.reset();
  cairo_surface_finish(d.surface.get());
  const cairo_status_t status = cairo_surface_status(d.surface.get());
  d.surface.reset();
  if (status != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("report card PDF: ") + cairo_status_to_string(status));
  }
  d.sink.out->flush();
  if (!*d.sink.out) return Status::Internal("report card PDF: the output could not be written");
  return Status::Ok();
}

Result<std::string> RenderReportCardPdf(const ReportCard& card, const ReportCardSettings& settings,
                                        ReportCardKind kind) {
  std::ostringstream out;
  CAIRN_ASSIGN_OR_RETURN(auto pdf, ReportCardPdf::Open(out, settings, kind));
  CAIRN_ASSIGN_OR_RETURN(int pages, pdf->Add(card));
  (void)pages;
  CAIRN_RETURN_IF_ERROR(pdf->Finish());
  return std::move(out).str();
}

}  // namespace cairn
