#include "evidence/files/file_name.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace cairn {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one code point at `pos` (strict: no overlongs, surrogates or values
// above U+10FFFF). Returns kInvalid and length 1 for a bad sequence.
char32_t DecodeUtf8(std::string_view text, std::size_t pos, std::size_t& length) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char lead = byte(0);
  length = 1;
  if (lead < 0x80) return lead;
  std::size_t needed = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    needed = 1, cp = lead & 0x1Fu, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    needed = 2, cp = lead & 0x0Fu, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    needed = 3, cp = lead & 0x07u, min = 0x10000;
  } else {
    return kInvalid;
  }
  if (pos + needed >= text.size()) return kInvalid;
  for (std::size_t i = 1; i <= needed; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return kInvalid;
    cp = (cp << 6) | (byte(i) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalid;
  length = needed + 1;
  return cp;
}

bool IsInvisibleFormatting(char32_t cp) {
  return cp == 0x200B || cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0xFEFF ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool IsControl(char32_t cp) { return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F); }

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
         cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool IsWindowsForbidden(char32_t cp) {
  return cp == '<' || cp == '>' || cp == ':' || cp == '"' || cp == '|' || cp == '?' || cp == '*';
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

void Trim(std::string& text) {
  const auto is_trimmed = [](char c) { return c == ' ' || c == '.'; };
  std::size_t end = text.size();
  while (end > 0 && is_trimmed(text[end - 1])) --end;
  std::size_t begin = 0;
  while (begin < end && is_trimmed(text[begin])) ++begin;
  text = text.substr(begin, end - begin);
}

// Characters kept, others dropped or replaced; whitespace and dot runs folded.
std::string CleanCharacters(std::string_view name) {
  std::string clean;
  for (std::size_t pos = 0; pos < name.size();) {
    std::size_t length = 1;
    const char32_t cp = DecodeUtf8(name, pos, length);
    const std::string_view bytes = name.substr(pos, length);
    pos += length;
    if (cp == kInvalid || IsWindowsForbidden(cp)) {
      clean += '_';
    } else if (IsSpace(cp)) {
      if (!clean.empty() && clean.back() != ' ') clean += ' ';
    } else if (IsControl(cp) || IsInvisibleFormatting(cp)) {
      continue;
    } else if (cp == '.') {
      if (clean.empty() || clean.back() != '.') clean += '.';
    } else {
      clean += bytes;
    }
  }
  return clean;
}

// Drops the user's extension ("report.final.PDF" -> "report.final") when the
// last dot is followed by a short alphanumeric word.
void DropExtension(std::string& stem) {
  const std::size_t dot = stem.rfind('.');
  if (dot == std::string::npos || dot == 0) return;
  const std::string_view ext = std::string_view(stem).substr(dot + 1);
  if (ext.empty() || ext.size() > 10) return;
  if (!std::all_of(ext.begin(), ext.end(), IsAsciiAlnum)) return;
  stem.resize(dot);
}

bool IsReservedWindowsName(std::string_view stem) {
  std::string base(stem.substr(0, stem.find('.')));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  std::transform(base.begin(), base.end(), base.begin(), AsciiLower);
  static constexpr std::array<std::string_view, 4> kNames = {"con", "prn", "aux", "nul"};
  if (std::find(kNames.begin(), kNames.end(), base) != kNames.end()) return true;
  return base.size() == 4 && (base.starts_with("com") || base.starts_with("lpt")) &&
         base[3] >= '1' && base[3] <= '9';
}

std::string CleanExtension(std::string_view extension) {
  std::string ext;
  for (char c : extension) {
    if (IsAsciiAlnum(c) && ext.size() < 10) ext += AsciiLower(c);
  }
  return ext;
}

// Cuts to at most `max` bytes without splitting a UTF-8 sequence.
void CutOnBoundary(std::string& text, std::size_t max) {
  if (text.size() <= max) return;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
}

}  // namespace

std::string SanitizeFileName(std::string_view user_name, std::string_view extension,
                             std::size_t max_bytes) {
  const std::size_t separator = user_name.find_last_of("/\\");
  if (separator != std::string_view::npos) user_name.remove_prefix(separator + 1);

  std::string stem = CleanCharacters(user_name);
  Trim(stem);
  DropExtension(stem);
  Trim(stem);
  if (IsReservedWindowsName(stem)) stem.insert(0, "_");

  const std::string ext = CleanExtension(extension);
  const std::string suffix = ext.empty() ? "" : "." + ext;
  const std::size_t budget = std::max<std::size_t>(max_bytes, 16) - suffix.size();
  CutOnBoundary(stem, budget);
  Trim(stem);
  if (stem.empty()) stem = "file";
  return stem + suffix;
}

std::string ContentDispositionValue(std::string_view name, bool inline_disposition) {
  std::string fallback;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t pos = 0; pos < name.size();) {
    std::size_t length = 1;
    const char32_t cp = DecodeUtf8(name, pos, length);
    const std::string_view bytes =
        cp == kInvalid ? std::string_view("_") : name.substr(pos, length);
    pos += length;
    if (cp != kInvalid && (IsControl(cp) || IsInvisibleFormatting(cp))) continue;
    // The quoted fallback is ASCII without quote, backslash or percent (some
    // agents percent-decode it).
    const bool plain_ascii = cp >= 0x20 && cp < 0x7F && cp != '"' && cp != '\\' && cp != '%';
    fallback += plain_ascii ? static_cast<char>(cp) : '_';
    for (char c : bytes) {
      // RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"
      const bool attr_char =
          IsAsciiAlnum(c) || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
      if (attr_char) {
        encoded += c;
      } else {
        const auto byte = static_cast<unsigned char>(c);
        encoded += '%';
        encoded += kHex[byte >> 4];
        encoded += kHex[byte & 0x0F];
      }
    }
  }
  if (fallback.empty()) fallback = encoded = "file";
  std::string value = inline_disposition ? "inline" : "attachment";
  value += "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
  return value;
}

}  // namespace cairn
