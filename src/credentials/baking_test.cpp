#include "credentials/baking.h"

#include <cairo.h>
#include <gtest/gtest.h>
#include <png.h>
#include <zlib.h>

#include <nlohmann/json.hpp>
#include <random>

#include "credentials/badge_image.h"
#include "credentials/media_test_support.h"

namespace cairn::credentials {
namespace {

using testing::FixturePath;
using testing::ReadFile;
using testing::SharedPath;

constexpr char kOb3Json[] =
    R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential","OpenBadgeCredential"],"name":"Fractions ]]> & <more>"})";
constexpr char kJws[] = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UifQ.c2lnbmF0dXJl";

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string TinyPng() {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 8);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0.2, 0.4, 0.6);
  cairo_paint(cr);
  cairo_destroy(cr);
  std::string png;
  cairo_surface_write_to_png_stream(surface, Append, &png);
  cairo_surface_destroy(surface);
  return png;
}

std::string Be32(std::uint32_t value) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(value >> shift & 0xFF);
  return out;
}

std::string Chunk(const std::string& type, const std::string& data) {
  std::string body = type + data;
  auto crc = static_cast<std::uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(body.data()), body.size()));
  return Be32(static_cast<std::uint32_t>(data.size())) + body + Be32(crc);
}

std::string ZlibCompress(const std::string& text) {
  uLongf size = compressBound(static_cast<uLong>(text.size()));
  std::string out(size, '\0');
  compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(text.data()),
           static_cast<uLong>(text.size()));
  out.resize(size);
  return out;
}

// Inserts a raw chunk just before IEND (the last 12 bytes of a cairo PNG).
std::string WithChunkBeforeIend(const std::string& png, const std::string& chunk) {
  return png.substr(0, png.size() - 12) + chunk + png.substr(png.size() - 12);
}

bool LibpngDecodes(const std::string& png, png_uint_32& width) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&image, png.data(), png.size()) == 0) return false;
  image.format = PNG_FORMAT_RGBA;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  bool ok = png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) != 0;
  width = image.width;
  png_image_free(&image);
  return ok;
}

std::size_t Count(const std::string& haystack, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

// --- PNG -----------------------------------------------------------------------

TEST(BakingPngTest, RoundTripsOb3JsonAndStillDecodes) {
  std::string png = TinyPng();
  auto baked = BakePng(png, BadgeVersion::kOb30, kOb3Json);
  ASSERT_TRUE(baked.ok()) << baked.status().ToString();
  auto extracted = ExtractFromPng(*baked);
  ASSERT_TRUE(extracted.ok()) << extracted.status().ToString();
  EXPECT_EQ(extracted->version, BadgeVersion::kOb30);
  EXPECT_EQ(extracted->kind, BakedPayloadKind::kJson);
  EXPECT_EQ(extracted->carrier, "iTXt");
  EXPECT_EQ(extracted->payload, kOb3Json);
  // Keyword, flags, empty language tag and translated keyword, then the text.
  EXPECT_NE(baked->find(std::string("iTXtopenbadgecredential\0\0\0\0\0{", 29)), std::string::npos);
  png_uint_32 width = 0;
  EXPECT_TRUE(LibpngDecodes(*baked, width));
  EXPECT_EQ(width, 8u);
}

TEST(BakingPngTest, BakesTheGeneratedBadgeImage) {
  auto png = RenderBadgePng({"M101", "Fractions", "#1f6feb", 200});
  ASSERT_TRUE(png.ok());
  auto baked = BakeImage(*png, BadgeVersion::kOb30, kJws);
  ASSERT_TRUE(baked.ok()) << baked.status().ToString();
  EXPECT_EQ(ExtractBakedCredential(*baked)->payload, kJws);
  png_uint_32 width = 0;
  EXPECT_TRUE(LibpngDecodes(*baked, width));
  EXPECT_EQ(width, 200u);
}

TEST(BakingPngTest, RebakingReplacesTheCredential) {
  auto first = BakePng(TinyPng(), BadgeVersion::kOb20, "https://example.org/assertions/1");
  ASSERT_TRUE(first.ok());
  auto second = BakePng(*first, BadgeVersion::kOb30, kJws);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(Count(*second, "iTXt"), 1u);
  auto extracted = ExtractFromPng(*second);
  ASSERT_TRUE(extracted.ok());
  EXPECT_EQ(extracted->version, BadgeVersion::kOb30);
  EXPECT_EQ(extracted->kind, BakedPayloadKind::kCompactJws);
  EXPECT_EQ(extracted->payload, kJws);
  auto third = BakePng(*second, BadgeVersion::kOb30, kOb3Json);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(Count(*third, "openbadgecredential"), 1u);
  EXPECT_EQ(ExtractFromPng(*third)->payload, kOb3Json);
}

TEST(BakingPngTest, Ob2AcceptsUrlJsonAndJws) {
  for (std::string payload :
       {std::string("https://example.org/assertions/1"),
        std::string(R"({"id":"https://example.org/a/1"})"), std::string(kJws)}) {
    auto baked = BakePng(TinyPng(), BadgeVersion::kOb20, payload);
    ASSERT_TRUE(baked.ok()) << payload;
    auto extracted = ExtractFromPng(*baked);
    ASSERT_TRUE(extracted.ok());
    EXPECT_EQ(extracted->version, BadgeVersion::kOb20);
    EXPECT_EQ(extracted->payload, payload);
  }
}

TEST(BakingPngTest, RefusesBadPayloads) {
  std::string png = TinyPng();
  EXPECT_FALSE(BakePng(png, BadgeVersion::kOb30, "https://example.org/a/1").ok());  // OB3: no URL
  EXPECT_FALSE(BakePng(png, BadgeVersion::kOb30, "").ok());
  EXPECT_FALSE(BakePng(png, BadgeVersion::kOb30, "{not json").ok());
  EXPECT_FALSE(BakePng(png, BadgeVersion::kOb30, "{\"a\":\"\xff\"}").ok());  // not UTF-8
  EXPECT_FALSE(BakePng("GIF89a", BadgeVersion::kOb30, kJws).ok());
}

TEST(BakingPngTest, ReadsCompressedItxtTextAndZtxt) {
  std::string png = TinyPng();
  std::string compressed_itxt = std::string("openbadges\0\1\0\0\0", 15) + ZlibCompress(kOb3Json);
  auto from_itxt = ExtractFromPng(WithChunkBeforeIend(png, Chunk("iTXt", compressed_itxt)));
  ASSERT_TRUE(from_itxt.ok()) << from_itxt.status().ToString();
  EXPECT_EQ(from_itxt->carrier, "iTXt (compressed)");
  EXPECT_EQ(from_itxt->payload, kOb3Json);

  std::string legacy = std::string("openbadges\0", 11) + "https://example.org/a/1";
  auto from_text = ExtractFromPng(WithChunkBeforeIend(png, Chunk("tEXt", legacy)));
  ASSERT_TRUE(from_text.ok());
  EXPECT_EQ(from_text->carrier, "tEXt");
  EXPECT_EQ(from_text->kind, BakedPayloadKind::kUrl);

  std::string ztxt = std::string("openbadges\0\0", 12) + ZlibCompress("https://example.org/a/2");
  auto from_ztxt = ExtractFromPng(WithChunkBeforeIend(png, Chunk("zTXt", ztxt)));
  ASSERT_TRUE(from_ztxt.ok());
  EXPECT_EQ(from_ztxt->payload, "https://example.org/a/2");
}

TEST(BakingPngTest, PrefersOb3OverLeftoverOb2) {
  std::string png = WithChunkBeforeIend(
      TinyPng(), Chunk("tEXt", std::string("openbadges\0", 11) + "https://example.org/a/1"));
  png = WithChunkBeforeIend(png,
                            Chunk("iTXt", std::string("openbadgecredential\0\0\0\0\0", 24) + kJws));
  auto extracted = ExtractFromPng(png);
  ASSERT_TRUE(extracted.ok());
  EXPECT_EQ(extracted->version, BadgeVersion::kOb30);
}

TEST(BakingPngTest, NamesTheProblem) {
  std::string baked = *BakePng(TinyPng(), BadgeVersion::kOb30, kOb3Json);
  auto not_png = ExtractFromPng("hello world, not an image");
  EXPECT_NE(not_png.status().message().find("not a PNG"), std::string::npos);

  auto no_badge = ExtractFromPng(TinyPng());
  EXPECT_EQ(no_badge.status().code(), StatusCode::kNotFound);

  std::string corrupt = baked;
  std::size_t text_at = corrupt.find("Fractions");
  corrupt[text_at] = 'f';
  auto crc = ExtractFromPng(corrupt);
  EXPECT_NE(crc.status().message().find("CRC mismatch in iTXt chunk"), std::string::npos)
      << crc.status().message();

  // Cut inside the IDAT chunk.
  std::size_t idat = baked.find("IDAT");
  auto truncated = ExtractFromPng(baked.substr(0, idat + 10));
  EXPECT_NE(truncated.status().message().find("(IDAT) length"), std::string::npos)
      << truncated.status().message();
  EXPECT_NE(truncated.status().message().find("exceeds file"), std::string::npos);

  std::string huge = baked;
  huge.replace(idat - 4, 4, Be32(0xFFFFFFF0u));
  EXPECT_NE(ExtractFromPng(huge).status().message().find("exceeds the PNG maximum"),
            std::string::npos);

  auto no_iend = ExtractFromPng(baked.substr(0, baked.size() - 12));
  EXPECT_NE(no_iend.status().message().find("no IEND"), std::string::npos);
}

TEST(BakingPngTest, EveryPrefixAndRandomCorruptionIsHandled) {
  std::string baked = *BakePng(TinyPng(), BadgeVersion::kOb30, kOb3Json);
  for (std::size_t length = 0; length < baked.size(); ++length) {
    auto result = ExtractFromPng(std::string_view(baked).substr(0, length));
    EXPECT_FALSE(result.ok()) << "prefix " << length;
    EXPECT_FALSE(
        BakePng(std::string_view(baked).substr(0, length), BadgeVersion::kOb30, kJws).ok());
  }
  std::mt19937 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    std::string mutated = baked;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) {
      mutated[rng() % mutated.size()] = static_cast<char>(rng() & 0xFF);
    }
    (void)ExtractFromPng(mutated);  // any answer, as long as nothing crashes
    (void)BakePng(mutated, BadgeVersion::kOb20, kJws);
  }
}

TEST(BakingPngTest, Ob2SampleExtracts) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob20/simple-badge.png");
  for (const std::string& path :
       {FixturePath("simple-badge.png"), SharedPath("openbadges/ob20/simple-badge.png")}) {
    std::string png = ReadFile(path);
    ASSERT_FALSE(png.empty()) << path;
    auto extracted = ExtractFromPng(png);
    ASSERT_TRUE(extracted.ok()) << extracted.status().ToString();
    EXPECT_EQ(extracted->version, BadgeVersion::kOb20);
    EXPECT_EQ(extracted->kind, BakedPayloadKind::kJson);
    auto assertion = nlohmann::json::parse(extracted->payload);
    EXPECT_EQ(assertion["type"], "Assertion");
  }
}

TEST(BakingPngTest, Ob3SamplesExtract) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob30");
  struct Sample {
    const char* path;
    BakedPayloadKind kind;
  };
  for (const Sample& sample :
       {Sample{"openbadges/ob30/simple-json.png", BakedPayloadKind::kJson},
        Sample{"openbadges/ob30/simple-jwt.png", BakedPayloadKind::kCompactJws},
        Sample{"openbadges/ob30/simple-jwt_v1.png", BakedPayloadKind::kCompactJws}}) {
    std::string png = ReadFile(SharedPath(sample.path));
    ASSERT_FALSE(png.empty()) << sample.path;
    auto extracted = ExtractBakedCredential(png);
    ASSERT_TRUE(extracted.ok()) << sample.path << ": " << extracted.status().ToString();
    EXPECT_EQ(extracted->version, BadgeVersion::kOb30) << sample.path;
    EXPECT_EQ(extracted->kind, sample.kind) << sample.path;
    // Re-baking our way gives the same payload back.
    auto rebaked = BakePng(png, BadgeVersion::kOb30, extracted->payload);
    ASSERT_TRUE(rebaked.ok());
    EXPECT_EQ(ExtractFromPng(*rebaked)->payload, extracted->payload);
  }
  auto json = ExtractFromPng(ReadFile(SharedPath("openbadges/ob30/simple-json.png")));
  EXPECT_EQ(nlohmann::json::parse(json->payload)["id"], "http://example.com/credentials/3527");
}

TEST(BakingPngTest, UnbakedSampleImagesHaveNoCredential) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob20/assets");
  for (const char* path : {"openbadges/ob20/assets/beths-robot-badge.png",
                           "openbadges/ob20/assets/robotics-badge.png"}) {
    std::string png = ReadFile(SharedPath(path));
    ASSERT_FALSE(png.empty()) << path;
    EXPECT_EQ(ExtractFromPng(png).status().code(), StatusCode::kNotFound) << path;
    EXPECT_TRUE(BakePng(png, BadgeVersion::kOb20, "https://example.org/a/1").ok()) << path;
  }
}

// --- SVG -----------------------------------------------------------------------

std::string PlainSvg() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">"
         "<rect width=\"10\" height=\"10\"/></svg>\n";
}

TEST(BakingSvgTest, Ob3JsonGoesInCdataAsFirstChild) {
  auto baked = BakeSvg(PlainSvg(), BadgeVersion::kOb30, kOb3Json);
  ASSERT_TRUE(baked.ok()) << baked.status().ToString();
  EXPECT_NE(baked->find("<svg xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\" "
                        "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">"
                        "<openbadges:credential><![CDATA["),
            std::string::npos)
      << *baked;
  auto extracted = ExtractFromSvg(*baked);
  ASSERT_TRUE(extracted.ok()) << extracted.status().ToString();
  EXPECT_EQ(extracted->version, BadgeVersion::kOb30);
  EXPECT_EQ(extracted->payload, kOb3Json);  // including the "]]>" inside a string
  EXPECT_EQ(extracted->carrier, "svg:openbadges:credential");
}

TEST(BakingSvgTest, Ob3JwsGoesInVerifyAttribute) {
  auto baked = BakeSvg(PlainSvg(), BadgeVersion::kOb30, kJws);
  ASSERT_TRUE(baked.ok());
  EXPECT_NE(baked->find(std::string("<openbadges:credential verify=\"") + kJws +
                        "\"></openbadges:credential>"),
            std::string::npos);
  auto extracted = ExtractFromSvg(*baked);
  ASSERT_TRUE(extracted.ok());
  EXPECT_EQ(extracted->kind, BakedPayloadKind::kCompactJws);
  EXPECT_EQ(extracted->payload, kJws);
}

TEST(BakingSvgTest, Ob2AssertionUsesItsOwnNamespaceAndVerifyUrl) {
  std::string assertion = R"({"id":"https://example.org/assertions/123","type":"Assertion"})";
  auto baked = BakeSvg(PlainSvg(), BadgeVersion::kOb20, assertion);
  ASSERT_TRUE(baked.ok()) << baked.status().ToString();
  EXPECT_NE(baked->find("xmlns:openbadges=\"http://openbadges.org\""), std::string::npos);
  EXPECT_NE(baked->find("<openbadges:assertion verify=\"https://example.org/assertions/123\">"
                        "<![CDATA["),
            std::string::npos);
  auto extracted = ExtractFromSvg(*baked);
  ASSERT_TRUE(extracted.ok());
  EXPECT_EQ(extracted->version, BadgeVersion::kOb20);
  EXPECT_EQ(extracted->payload, assertion);
  EXPECT_EQ(extracted->verify_attribute, "https://example.org/assertions/123");

  auto signed_badge = BakeSvg(PlainSvg(), BadgeVersion::kOb20, kJws);
  ASSERT_TRUE(signed_badge.ok());
  EXPECT_NE(signed_badge->find(std::string("<openbadges:assertion verify=\"") + kJws + "\"/>"),
            std::string::npos);
  EXPECT_FALSE(BakeSvg(PlainSvg(), BadgeVersion::kOb20, R"({"type":"Assertion"})").ok());
  EXPECT_TRUE(
      BakeSvg(PlainSvg(), BadgeVersion::kOb20, R"({"type":"Assertion"})", "https://example.org/a/9")
          .ok());
}

TEST(BakingSvgTest, RebakingReplacesAndFixesTheNamespace) {
  auto ob2 = BakeSvg(PlainSvg(), BadgeVersion::kOb20, "https://example.org/a/1");
  ASSERT_TRUE(ob2.ok());
  auto ob3 = BakeSvg(*ob2, BadgeVersion::kOb30, kOb3Json);
  ASSERT_TRUE(ob3.ok()) << ob3.status().ToString();
  EXPECT_EQ(Count(*ob3, "openbadges:assertion"), 0u);
  EXPECT_EQ(Count(*ob3, "<openbadges:credential>"), 1u);
  EXPECT_EQ(Count(*ob3, "xmlns:openbadges="), 1u);
  EXPECT_NE(ob3->find("xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\""),
            std::string::npos);
  auto again = BakeSvg(*ob3, BadgeVersion::kOb30, kJws);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Count(*again, "<openbadges:credential"), 1u);
  EXPECT_EQ(ExtractFromSvg(*again)->payload, kJws);
}

// Found by fuzz/baking_fuzzer (fuzz/crashes/baking/): binding the prefix to
// our namespace turned the image's own <openbadges:credential> elements (of
// another namespace) into credentials, and the baked badge did not extract.
TEST(BakingSvgTest, RefusesAPrefixBoundToAnotherNamespaceInUse) {
  const std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"urn:example:other\">"
      "<openbadges:credential><path d=\"M0 0\"/></openbadges:credential></svg>";
  EXPECT_FALSE(ExtractFromSvg(svg).ok());
  EXPECT_FALSE(BakeSvg(svg, BadgeVersion::kOb30, kOb3Json).ok());
  // Unused, the foreign binding is simply replaced.
  auto baked =
      BakeSvg("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"urn:example:other\"/>",
              BadgeVersion::kOb30, kOb3Json);
  ASSERT_TRUE(baked.ok()) << baked.status().ToString();
  EXPECT_TRUE(ExtractFromSvg(*baked).ok());
}

TEST(BakingSvgTest, SelfClosingRootAndGeneratedBadge) {
  auto baked = BakeSvg("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", BadgeVersion::kOb30, kJws);
  ASSERT_TRUE(baked.ok()) << baked.status().ToString();
  EXPECT_EQ(ExtractFromSvg(*baked)->payload, kJws);
  EXPECT_NE(baked->find("</svg>"), std::string::npos);

  auto generated = RenderBadgeSvg({"M101", "Fractions & <Decimals>", "#1f6feb", 400});
  ASSERT_TRUE(generated.ok());
  auto baked_generated = BakeImage(*generated, BadgeVersion::kOb30, kOb3Json);
  ASSERT_TRUE(baked_generated.ok()) << baked_generated.status().ToString();
  EXPECT_EQ(ExtractBakedCredential(*baked_generated)->payload, kOb3Json);
}

TEST(BakingSvgTest, OneEdTechSamplesExtract) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob30");
  for (const std::string& path :
       {FixturePath("simple-json.svg"), SharedPath("openbadges/ob30/simple-json.svg")}) {
    std::string svg = ReadFile(path);
    ASSERT_FALSE(svg.empty()) << path;
    auto extracted = ExtractFromSvg(svg);
    ASSERT_TRUE(extracted.ok()) << extracted.status().ToString();
    EXPECT_EQ(extracted->version, BadgeVersion::kOb30);
    EXPECT_EQ(extracted->kind, BakedPayloadKind::kJson);
    auto credential = nlohmann::json::parse(extracted->payload);
    EXPECT_EQ(credential["id"], "http://example.com/credentials/3527");
  }
  for (const char* path : {"openbadges/ob30/simple-jwt.svg", "openbadges/ob30/simple-jwt_v1.svg"}) {
    std::string svg = ReadFile(SharedPath(path));
    ASSERT_FALSE(svg.empty()) << path;
    auto extracted = ExtractBakedCredential(svg);
    ASSERT_TRUE(extracted.ok()) << path << ": " << extracted.status().ToString();
    EXPECT_EQ(extracted->kind, BakedPayloadKind::kCompactJws) << path;
    // The sample keeps its DOCTYPE (external id only); re-baking keeps one credential.
    auto rebaked = BakeSvg(svg, BadgeVersion::kOb30, extracted->payload);
    ASSERT_TRUE(rebaked.ok()) << rebaked.status().ToString();
    EXPECT_EQ(Count(*rebaked, "<openbadges:credential"), 1u);
    EXPECT_EQ(ExtractFromSvg(*rebaked)->payload, extracted->payload);
  }
}

TEST(BakingSvgTest, RefusesEntityTricksAndBrokenMarkup) {
  std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY lol \"lol\">]>"
      "<svg xmlns=\"http://www.w3.org/2000/svg\"><openbadges:credential>&lol;"
      "</openbadges:credential></svg>";
  auto refused = ExtractFromSvg(laughs);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("internal subset"), std::string::npos);
  EXPECT_FALSE(BakeSvg(laughs, BadgeVersion::kOb30, kJws).ok());

  std::string undefined_entity = "<svg><openbadges:credential>&xxe;</openbadges:credential></svg>";
  EXPECT_NE(ExtractFromSvg(undefined_entity).status().message().find("undefined entity"),
            std::string::npos);

  EXPECT_FALSE(ExtractFromSvg("<html><body/></html>").ok());
  EXPECT_FALSE(ExtractFromSvg("<svg><g></svg>").ok());
  EXPECT_FALSE(ExtractFromSvg("<svg a=\"1\" a=\"2\"/>").ok());
  EXPECT_FALSE(
      ExtractFromSvg("<svg><openbadges:credential><b/></openbadges:credential></svg>").ok());
  EXPECT_EQ(ExtractFromSvg("<svg/>").status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(ExtractBakedCredential("just text").ok());

  // Entities and character references in the payload decode.
  auto decoded = ExtractFromSvg("<svg><openbadges:credential verify=\"a&amp;b&#x2E;c\"/></svg>");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->payload, "a&b.c");
}

TEST(BakingSvgTest, EveryPrefixIsHandled) {
  std::string baked = *BakeSvg(PlainSvg(), BadgeVersion::kOb30, kOb3Json);
  for (std::size_t length = 0; length < baked.size(); ++length) {
    std::string_view prefix = std::string_view(baked).substr(0, length);
    (void)ExtractFromSvg(prefix);
    (void)BakeSvg(prefix, BadgeVersion::kOb30, kJws);
  }
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string mutated = baked;
    mutated[rng() % mutated.size()] = "<>&\"'/![]x\0"[rng() % 11];
    (void)ExtractFromSvg(mutated);
    (void)BakeSvg(mutated, BadgeVersion::kOb20, kJws);
  }
}

}  // namespace
}  // namespace cairn::credentials
