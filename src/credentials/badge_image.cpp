#include "credentials/badge_image.h"

#include <cairo.h>

#include <array>
#include <charconv>
#include <cmath>
#include <memory>
#include <numbers>
#include <vector>

#include "credentials/utf8.h"

namespace cairn::credentials {
namespace {

// Layout in a 400×400 design space, scaled to size_px.
constexpr double kDesign = 400.0;
constexpr double kCenter = 200.0;
constexpr double kOuterRadius = 188.0;
constexpr double kInnerRadius = 166.0;
constexpr double kCodeMaxWidth = 250.0;
constexpr double kCodeMaxFont = 112.0;
constexpr double kCodeMinFont = 28.0;
constexpr double kCodeBaseline = 200.0;
constexpr double kTitleFont = 22.0;
constexpr double kTitleWidth = 236.0;
constexpr double kTitleFirstBaseline = 250.0;
constexpr double kTitleLineHeight = 27.0;
constexpr int kTitleMaxLines = 3;
constexpr const char* kFontFace = "DejaVu Sans";
constexpr const char* kSvgFontFamily = "DejaVu Sans, Verdana, Arial, sans-serif";
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

struct SurfaceFree {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoFree {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceFree>;
using CairoPtr = std::unique_ptr<cairo_t, CairoFree>;

struct Layout {
  Rgb fill;
  Rgb border;
  Rgb ink;  // text and inner ring: white on dark fills, near-black on light ones
  double code_font = kCodeMaxFont;
  std::vector<std::string> title_lines;
};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string HexColor(Rgb color) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "#";
  for (std::uint8_t channel : {color.r, color.g, color.b}) {
    out += kDigits[channel >> 4];
    out += kDigits[channel & 15];
  }
  return out;
}

std::string Number(double value) {
  std::array<char, 32> buffer{};
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                              std::chars_format::fixed, 2);
  std::string text(buffer.data(), result.ptr);
  // "12.50" -> "12.5", "12.00" -> "12": shorter and still exact.
  while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) {
    bool dot = text.back() == '.';
    text.pop_back();
    if (dot) break;
  }
  return text;
}

std::array<std::pair<double, double>, 6> Hexagon(double radius) {
  std::array<std::pair<double, double>, 6> points{};
  for (int i = 0; i < 6; ++i) {
    double angle = std::numbers::pi / 180.0 * (60.0 * i - 90.0);  // pointy top
    points[static_cast<std::size_t>(i)] = {kCenter + radius * std::cos(angle),
                                           kCenter + radius * std::sin(angle)};
  }
  return points;
}

void PopLastCodePoint(std::string& text) {
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
  if (!text.empty()) text.pop_back();
}

double TextWidth(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  return extents.x_advance;
}

// Shortens `text` until text + "…" fits `width`.
std::string Ellipsize(cairo_t* cr, std::string text, double width) {
  while (!text.empty() && TextWidth(cr, text + std::string(kEllipsis)) > width) {
    PopLastCodePoint(text);
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text + std::string(kEllipsis);
}

std::vector<std::string> WrapTitle(cairo_t* cr, std::string_view title) {
  std::vector<std::string> words;
  std::string word;
  for (char c : title) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));

  std::vector<std::string> lines;
  std::string line;
  bool truncated = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string candidate = line.empty() ? words[i] : line + " " + words[i];
    if (TextWidth(cr, candidate) <= kTitleWidth) {
      line = std::move(candidate);
      continue;
    }
    if (line.empty()) {  // a single word wider than the line
      line = Ellipsize(cr, words[i], kTitleWidth);
    } else {
      --i;  // the word starts the next line
    }
    lines.push_back(std::move(line));
    line.clear();
    if (static_cast<int>(lines.size()) == kTitleMaxLines) {
      truncated = i + 1 < words.size();
      break;
    }
  }
  if (!line.empty()) lines.push_back(std::move(line));
  if (truncated) lines.back() = Ellipsize(cr, lines.back(), kTitleWidth);
  return lines;
}

void SelectFont(cairo_t* cr, double size) {
  cairo_select_font_face(cr, kFontFace, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, size);
}

Status CheckSpec(const BadgeImageSpec& spec) {
  if (spec.code.empty() || spec.code.size() > 16) {
    return Status::Invalid("badge image: code must be 1-16 bytes");
  }
  if (spec.title.size() > 300) return Status::Invalid("badge image: title longer than 300 bytes");
  if (!IsValidUtf8(spec.code) || !IsValidUtf8(spec.title)) {
    return Status::Invalid("badge image: code and title must be valid UTF-8");
  }
  for (char c : spec.code + spec.title) {
    if (static_cast<unsigned char>(c) < 0x20 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return Status::Invalid("badge image: control characters in code or title");
    }
  }
  if (spec.size_px < 64 || spec.size_px > 2048) {
    return Status::Invalid("badge image: size must be 64-2048 pixels");
  }
  return Status::Ok();
}

Result<Layout> ComputeLayout(const BadgeImageSpec& spec) {
  CAIRN_RETURN_IF_ERROR(CheckSpec(spec));
  Layout layout;
  CAIRN_ASSIGN_OR_RETURN(layout.fill, ParseHexColor(spec.color));
  auto darken = [](std::uint8_t channel) { return static_cast<std::uint8_t>(channel * 7 / 10); };
  layout.border = {darken(layout.fill.r), darken(layout.fill.g), darken(layout.fill.b)};
  double luma = 0.2126 * layout.fill.r + 0.7152 * layout.fill.g + 0.0722 * layout.fill.b;
  layout.ink = luma > 160 ? Rgb{0x1a, 0x1a, 0x1a} : Rgb{0xff, 0xff, 0xff};

  SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
  CairoPtr cr(cairo_create(scratch.get()));
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cairo: cannot create a measuring context");
  }
  for (layout.code_font = kCodeMaxFont; layout.code_font > kCodeMinFont; layout.code_font -= 2) {
    SelectFont(cr.get(), layout.code_font);
    if (TextWidth(cr.get(), spec.code) <= kCodeMaxWidth) break;
  }
  SelectFont(cr.get(), kTitleFont);
  layout.title_lines = WrapTitle(cr.get(), spec.title);
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("cairo: ") +
                            cairo_status_to_string(cairo_status(cr.get())));
  }
  return layout;
}

void SetColor(cairo_t* cr, Rgb color, double alpha = 1.0) {
  cairo_set_source_rgba(cr, color.r / 255.0, color.g / 255.0, color.b / 255.0, alpha);
}

void HexagonPath(cairo_t* cr, double radius) {
  auto points = Hexagon(radius);
  cairo_move_to(cr, points[0].first, points[0].second);
  for (std::size_t i = 1; i < points.size(); ++i)
    cairo_line_to(cr, points[i].first, points[i].second);
  cairo_close_path(cr);
}

void CenteredText(cairo_t* cr, const std::string& text, double baseline) {
  cairo_move_to(cr, kCenter - TextWidth(cr, text) / 2, baseline);
  cairo_show_text(cr, text.c_str());
}

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string SvgPoints(double radius) {
  std::string out;
  for (const auto& [x, y] : Hexagon(radius)) {
    if (!out.empty()) out += ' ';
    out += Number(x) + "," + Number(y);
  }
  return out;
}

std::string SvgText(const std::string& text, double baseline, double font_size, Rgb ink) {
  return "<text x=\"" + Number(kCenter) + "\" y=\"" + Number(baseline) +
         "\" text-anchor=\"middle\" font-family=\"" + kSvgFontFamily +
         "\" font-weight=\"bold\" font-size=\"" + Number(font_size) + "\" fill=\"" + HexColor(ink) +
         "\">" + XmlEscape(text) + "</text>\n";
}

}  // namespace

Result<Rgb> ParseHexColor(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '#') digits.remove_prefix(1);
  if (digits.size() != 3 && digits.size() != 6) {
    return Status::Invalid("colour '" + std::string(text) + "' is not #rgb or #rrggbb");
  }
  std::array<int, 6> values{};
  for (std::size_t i = 0; i < digits.size(); ++i) {
    values[i] = HexDigit(digits[i]);
    if (values[i] < 0) {
      return Status::Invalid("colour '" + std::string(text) + "' is not #rgb or #rrggbb");
    }
  }
  if (digits.size() == 3) {
    return Rgb{static_cast<std::uint8_t>(values[0] * 17), static_cast<std::uint8_t>(values[1] * 17),
               static_cast<std::uint8_t>(values[2] * 17)};
  }
  return Rgb{static_cast<std::uint8_t>(values[0] * 16 + values[1]),
             static_cast<std::uint8_t>(values[2] * 16 + values[3]),
             static_cast<std::uint8_t>(values[4] * 16 + values[5])};
}

Result<std::string> RenderBadgePng(const BadgeImageSpec& spec) {
  CAIRN_ASSIGN_OR_RETURN(Layout layout, ComputeLayout(spec));
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, spec.size_px, spec.size_px));
  CairoPtr cr(cairo_create(surface.get()));
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cairo: cannot create the image surface");
  }
  cairo_scale(cr.get(), spec.size_px / kDesign, spec.size_px / kDesign);

  HexagonPath(cr.get(), kOuterRadius);
  SetColor(cr.get(), layout.fill);
  cairo_fill_preserve(cr.get());
  SetColor(cr.get(), layout.border);
  cairo_set_line_width(cr.get(), 8);
  cairo_set_line_join(cr.get(), CAIRO_LINE_JOIN_ROUND);
  cairo_stroke(cr.get());

  HexagonPath(cr.get(), kInnerRadius);
  SetColor(cr.get(), layout.ink, 0.55);
  cairo_set_line_width(cr.get(), 4);
  cairo_stroke(cr.get());

  SetColor(cr.get(), layout.ink);
  SelectFont(cr.get(), layout.code_font);
  CenteredText(cr.get(), spec.code, kCodeBaseline);
  SelectFont(cr.get(), kTitleFont);
  for (std::size_t i = 0; i < layout.title_lines.size(); ++i) {
    CenteredText(cr.get(), layout.title_lines[i],
                 kTitleFirstBaseline + kTitleLineHeight * static_cast<double>(i));
  }
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("cairo: ") +
                            cairo_status_to_string(cairo_status(cr.get())));
  }
  cr.reset();
  cairo_surface_flush(surface.get());
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), AppendToString, &png) !=
      CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cairo: writing PNG failed");
  }
  return png;
}

Result<std::string> RenderBadgeSvg(const BadgeImageSpec& spec) {
  CAIRN_ASSIGN_OR_RETURN(Layout layout, ComputeLayout(spec));
  std::string label = spec.code;
  if (!spec.title.empty()) label += ": " + spec.title;
  std::string size = std::to_string(spec.size_px);
  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + size + "\" height=\"" + size +
         "\" viewBox=\"0 0 400 400\" role=\"img\" aria-label=\"" + XmlEscape(label) + "\">\n";
  svg += "<title>" + XmlEscape(label) + "</title>\n";
  svg += "<polygon points=\"" + SvgPoints(kOuterRadius) + "\" fill=\"" + HexColor(layout.fill) +
         "\" stroke=\"" + HexColor(layout.border) +
         "\" stroke-width=\"8\" stroke-linejoin=\"round\"/>\n";
  svg += "<polygon points=\"" + SvgPoints(kInnerRadius) + "\" fill=\"none\" stroke=\"" +
         HexColor(layout.ink) + "\" stroke-opacity=\"0.55\" stroke-width=\"4\"/>\n";
  svg += SvgText(spec.code, kCodeBaseline, layout.code_font, layout.ink);
  for (std::size_t i = 0; i < layout.title_lines.size(); ++i) {
    svg += SvgText(layout.title_lines[i],
                   kTitleFirstBaseline + kTitleLineHeight * static_cast<double>(i), kTitleFont,
                   layout.ink);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace cairn::credentials
