#include "credentials/badge_image.h"

#include <cairo.h>
#include <gtest/gtest.h>
#include <png.h>

#include <vector>

#include "credentials/xml_scanner.h"

// fontconfig (reached through cairo's toy text API) keeps allocations it never
// frees; LeakSanitizer reports them at exit in the ASan build. They are not
// ours, so suppress exactly that library.

namespace cairn::credentials {
namespace {

struct Decoded {
  png_uint_32 width = 0;
  png_uint_32 height = 0;
  std::vector<unsigned char> rgba;
};

bool Decode(const std::string& png, Decoded& out) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&image, png.data(), png.size()) == 0) return false;
  image.format = PNG_FORMAT_RGBA;
  out.rgba.resize(PNG_IMAGE_SIZE(image));
  bool ok = png_image_finish_read(&image, nullptr, out.rgba.data(), 0, nullptr) != 0;
  out.width = image.width;
  out.height = image.height;
  png_image_free(&image);
  return ok;
}

// Pixel inside the hexagon but away from the text.
std::array<unsigned char, 4> FillPixel(const Decoded& image) {
  std::size_t x = image.width / 2;
  std::size_t y = image.height * 13 / 100;
  std::size_t at = (y * image.width + x) * 4;
  return {image.rgba[at], image.rgba[at + 1], image.rgba[at + 2], image.rgba[at + 3]};
}

TEST(BadgeImageTest, ParsesColours) {
  EXPECT_EQ(ParseHexColor("#1f6feb")->r, 0x1f);
  EXPECT_EQ(ParseHexColor("1F6FEB")->b, 0xeb);
  EXPECT_EQ(ParseHexColor("#abc")->g, 0xbb);
  EXPECT_FALSE(ParseHexColor("#12345").ok());
  EXPECT_FALSE(ParseHexColor("red").ok());
  EXPECT_FALSE(ParseHexColor("#12345g").ok());
}

TEST(BadgeImageTest, PngHasTheSizeAndColour) {
  auto png = RenderBadgePng({"M101", "Fractions and Decimals", "#1f6feb", 400});
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  Decoded image;
  ASSERT_TRUE(Decode(*png, image));
  EXPECT_EQ(image.width, 400u);
  EXPECT_EQ(image.height, 400u);
  auto blue = FillPixel(image);
  EXPECT_EQ(blue[0], 0x1f);
  EXPECT_EQ(blue[1], 0x6f);
  EXPECT_EQ(blue[2], 0xeb);
  EXPECT_EQ(blue[3], 0xff);
  EXPECT_EQ(image.rgba[3], 0);  // the corner is transparent

  auto red_png = RenderBadgePng({"M101", "Fractions and Decimals", "#d73a49", 128});
  ASSERT_TRUE(red_png.ok());
  Decoded red;
  ASSERT_TRUE(Decode(*red_png, red));
  EXPECT_EQ(red.width, 128u);
  EXPECT_EQ(FillPixel(red)[0], 0xd7);
  EXPECT_NE(FillPixel(red), blue);
}

TEST(BadgeImageTest, OutputIsDeterministic) {
  BadgeImageSpec spec{"S-204", "Scientific Inquiry: designing fair tests and explaining results",
                      "#2da44e", 400};
  EXPECT_EQ(*RenderBadgePng(spec), *RenderBadgePng(spec));
  EXPECT_EQ(*RenderBadgeSvg(spec), *RenderBadgeSvg(spec));
  BadgeImageSpec other = spec;
  other.code = "S-205";
  EXPECT_NE(*RenderBadgePng(spec), *RenderBadgePng(other));
}

TEST(BadgeImageTest, SvgIsWellFormedAndEscaped) {
  auto svg = RenderBadgeSvg({"<&\"", "Tom & Jerry's \"<script>\" badge", "#fff", 400});
  ASSERT_TRUE(svg.ok()) << svg.status().ToString();
  EXPECT_EQ(svg->find("<script>"), std::string::npos);
  EXPECT_NE(svg->find("&lt;&amp;&quot;"), std::string::npos);
  EXPECT_NE(svg->find("Tom &amp; Jerry&apos;s &quot;&lt;script&gt;&quot;"), std::string::npos);
  EXPECT_NE(svg->find("fill=\"#1a1a1a\""), std::string::npos);  // dark ink on white

  // Walk every token: well-formed, balanced, one <svg> root.
  XmlScanner scanner(*svg);
  std::vector<std::string> open;
  int roots = 0;
  while (true) {
    auto token = scanner.Next();
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    if (token->kind == XmlToken::Kind::kEnd) break;
    if (token->kind == XmlToken::Kind::kStartTag) {
      if (open.empty()) {
        ++roots;
        EXPECT_EQ(token->name, "svg");
      }
      if (!token->self_closing) open.emplace_back(token->name);
    } else if (token->kind == XmlToken::Kind::kEndTag) {
      ASSERT_FALSE(open.empty());
      EXPECT_EQ(open.back(), token->name);
      open.pop_back();
    }
  }
  EXPECT_TRUE(open.empty());
  EXPECT_EQ(roots, 1);
}

TEST(BadgeImageTest, LongTitlesWrapToThreeLinesWithEllipsis) {
  std::string title(40, 'W');
  title += " and a very long tail of words that cannot possibly fit in three short lines at all";
  auto svg = RenderBadgeSvg({"M1", title, "#000000", 400});
  ASSERT_TRUE(svg.ok());
  std::size_t lines = 0;
  for (std::size_t pos = svg->find("font-size=\"22\""); pos != std::string::npos;
       pos = svg->find("font-size=\"22\"", pos + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 3u);
  EXPECT_NE(svg->find("\xE2\x80\xA6"), std::string::npos);
  EXPECT_TRUE(RenderBadgePng({"M1", title, "#000000", 400}).ok());
}

TEST(BadgeImageTest, RefusesBadSpecs) {
  EXPECT_FALSE(RenderBadgePng({"", "t", "#000", 400}).ok());
  EXPECT_FALSE(RenderBadgePng({"M101", "t", "blue", 400}).ok());
  EXPECT_FALSE(RenderBadgePng({"M101", "t", "#000", 10}).ok());
  EXPECT_FALSE(RenderBadgePng({"M101", "\xff\xfe", "#000", 400}).ok());
  EXPECT_FALSE(RenderBadgeSvg({"M101", std::string("a\0b", 3), "#000", 400}).ok());
  EXPECT_FALSE(RenderBadgeSvg({"M101", std::string(301, 'x'), "#000", 400}).ok());
}

}  // namespace
}  // namespace cairn::credentials
