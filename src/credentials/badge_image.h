// A generated badge image for badges whose district uploaded none: a hexagonal
// badge in the badge's colour, the badge code large, the title wrapped small.
//
// Both renderers are deterministic: the same spec gives the same bytes on the
// same machine (same cairo and fonts), so images can be cached and compared.
// The SVG is plain text written here (every user string XML-escaped) with a
// single <svg> root and no DOCTYPE, so it can be baked (baking.h). Layout (code
// size, title line breaks) is measured with cairo for both formats, so the PNG
// and the SVG look alike.
//
// Safe to call from several threads at once (each call owns its cairo surface).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::credentials {

struct BadgeImageSpec {
  std::string code;   // e.g. "M101"; 1-16 bytes UTF-8
  std::string title;  // up to 300 bytes UTF-8; wrapped to at most 3 lines, then "…"
  std::string color;  // "#1f6feb", "1f6feb" or "#16b"
  int size_px = 400;  // square; 64-2048
};

struct Rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
};

Result<Rgb> ParseHexColor(std::string_view text);

// kInvalidArgument for a bad spec (colour, lengths, invalid UTF-8, size);
// kInternal if cairo fails.
Result<std::string> RenderBadgePng(const BadgeImageSpec& spec);
Result<std::string> RenderBadgeSvg(const BadgeImageSpec& spec);

}  // namespace cairn::credentials
