#include "evidence/files/preview.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "evidence/files/test_fixtures.h"

namespace cairn {
namespace {

using testing::ScratchDir;
using testing::WriteFile;

const ContentType kPng{"image/png", "png", ContentKind::kImage};
const ContentType kJpeg{"image/jpeg", "jpg", ContentKind::kImage};
const ContentType kPdf{"application/pdf", "pdf", ContentKind::kPdf};

void ExpectPng(const Result<RenderedImage>& image, int width, int height) {
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->width, width);
  EXPECT_EQ(image->height, height);
  ASSERT_GT(image->png.size(), 8u);
  EXPECT_EQ(image->png.substr(0, 8), "\x89PNG\r\n\x1a\n");
}

void ExpectInvalid(const Result<RenderedImage>& image, std::string_view message_part) {
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), StatusCode::kInvalidArgument) << image.status().ToString();
  EXPECT_NE(image.status().message().find(message_part), std::string::npos)
      << image.status().message();
}

std::string BigEndian(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
          static_cast<char>(value >> 8), static_cast<char>(value)};
}

std::string PngChunk(const std::string& type, const std::string& data) {
  const std::string body = type + data;
  const auto crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  return BigEndian(static_cast<std::uint32_t>(data.size())) + body + BigEndian(crc);
}

// A valid PNG header declaring width x height followed by a token IDAT: what
// a decompression bomb looks like up to the point where decoding would start.
std::string PngHeaderOnly(std::uint32_t width, std::uint32_t height) {
  const std::string ihdr = BigEndian(width) + BigEndian(height) + std::string("\x08\x02\0\0\0", 5);
  return "\x89PNG\r\n\x1a\n" + PngChunk("IHDR", ihdr) +
         PngChunk("IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8)) +
         PngChunk("IEND", "");
}

TEST(PreviewTest, PngThumbnailKeepsAspect) {
  ScratchDir dir;
  WriteFile(dir / "a.png", testing::MakePng(640, 480));
  ExpectPng(MakeThumbnail(dir / "a.png", kPng), 320, 240);
  WriteFile(dir / "tall.png", testing::MakePng(100, 1000, /*alpha=*/true));
  ExpectPng(MakeThumbnail(dir / "tall.png", kPng), 32, 320);
}

TEST(PreviewTest, SmallImagesAreNotEnlarged) {
  ScratchDir dir;
  WriteFile(dir / "small.png", testing::MakePng(40, 30));
  ExpectPng(MakeThumbnail(dir / "small.png", kPng), 40, 30);
}

TEST(PreviewTest, JpegThumbnail) {
  ScratchDir dir;
  WriteFile(dir / "a.jpg", testing::MakeJpeg(800, 600));
  ExpectPng(MakeThumbnail(dir / "a.jpg", kJpeg), 320, 240);
  // Large enough for libjpeg's 1/4 decode scale to kick in.
  WriteFile(dir / "big.jpg", testing::MakeJpeg(2600, 1300));
  ExpectPng(MakeThumbnail(dir / "big.jpg", kJpeg), 320, 160);
}

TEST(PreviewTest, JpegExifOrientationIsApplied) {
  ScratchDir dir;
  // Phones store portrait photos as landscape pixels plus "rotate 90".
  WriteFile(dir / "rot6.jpg", testing::MakeJpeg(800, 600, 6));
  ExpectPng(MakeThumbnail(dir / "rot6.jpg", kJpeg), 240, 320);
  WriteFile(dir / "rot8.jpg", testing::MakeJpeg(800, 600, 8));
  ExpectPng(MakeThumbnail(dir / "rot8.jpg", kJpeg), 240, 320);
  WriteFile(dir / "rot3.jpg", testing::MakeJpeg(800, 600, 3));
  ExpectPng(MakeThumbnail(dir / "rot3.jpg", kJpeg), 320, 240);
}

TEST(PreviewTest, PdfPagesCountThumbnailAndRender) {
  ScratchDir dir;
  testing::WritePdf(dir / "a.pdf", 3);
  auto pages = PdfPageCount(dir / "a.pdf");
  ASSERT_TRUE(pages.ok()) << pages.status().ToString();
  EXPECT_EQ(*pages, 3);
  // A4 is 595 x 842 pt.
  ExpectPng(MakeThumbnail(dir / "a.pdf", kPdf), 226, 320);
  ExpectPng(RenderPdfPage(dir / "a.pdf", 2), 1131, 1600);
  ExpectInvalid(RenderPdfPage(dir / "a.pdf", 3), "page 4 does not exist; the PDF has 3 pages");
  ExpectInvalid(RenderPdfPage(dir / "a.pdf", -1), "does not exist");
}

TEST(PreviewTest, RefusesHugeDeclaredDimensionsBeforeDecoding) {
  ScratchDir dir;
  WriteFile(dir / "bomb.png", PngHeaderOnly(10000, 10000));
  ExpectInvalid(MakeThumbnail(dir / "bomb.png", kPng),
                "image is 10000x10000 pixels; the limit is 50 megapixels");

  // A real, small JPEG whose SOF0 is patched to claim 60000 x 60000.
  std::string jpeg = testing::MakeJpeg(16, 16);
  const std::size_t sof = jpeg.find("\xff\xc0");
  ASSERT_NE(sof, std::string::npos);
  jpeg.replace(sof + 5, 4, std::string("\xea\x60\xea\x60", 4));
  WriteFile(dir / "bomb.jpg", jpeg);
  ExpectInvalid(MakeThumbnail(dir / "bomb.jpg", kJpeg),
                "image is 60000x60000 pixels; the limit is 50 megapixels");

  PreviewLimits tight;
  tight.max_source_pixels = 1000;
  WriteFile(dir / "a.png", testing::MakePng(100, 100));
  ExpectInvalid(MakeThumbnail(dir / "a.png", kPng, kThumbnailEdge, tight),
                "the limit is 1000 pixels");
}

TEST(PreviewTest, CorruptInputIsAStatus) {
  ScratchDir dir;
  const std::string png = testing::MakePng(200, 200);
  WriteFile(dir / "cut.png", png.substr(0, png.size() / 2));
  ExpectInvalid(MakeThumbnail(dir / "cut.png", kPng), "corrupt PNG");
  WriteFile(dir / "garbage.png", "\x89PNG\r\n\x1a\nnot really a png at all");
  ExpectInvalid(MakeThumbnail(dir / "garbage.png", kPng), "corrupt PNG");

  WriteFile(dir / "garbage.jpg", "\xff\xd8\xff\xe0 this is not a jpeg");
  ExpectInvalid(MakeThumbnail(dir / "garbage.jpg", kJpeg), "corrupt JPEG");
  // A truncated photo still previews (libjpeg fills the rest with grey).
  const std::string jpeg = testing::MakeJpeg(320, 240);
  WriteFile(dir / "cut.jpg", jpeg.substr(0, jpeg.size() * 2 / 3));
  EXPECT_TRUE(MakeThumbnail(dir / "cut.jpg", kJpeg).ok());

  WriteFile(dir / "garbage.pdf", "%PDF-1.7\nthis is not a pdf\n%%EOF\n");
  ExpectInvalid(MakeThumbnail(dir / "garbage.pdf", kPdf), "corrupt PDF");
  auto pages = PdfPageCount(dir / "garbage.pdf");
  ASSERT_FALSE(pages.ok());
  EXPECT_NE(pages.status().message().find("corrupt PDF"), std::string::npos);
}

TEST(PreviewTest, TypesWithoutPreviewAndBadSizes) {
  ScratchDir dir;
  WriteFile(dir / "a.png", testing::MakePng(10, 10));
  auto heic = MakeThumbnail(dir / "a.png", {"image/heic", "heic", ContentKind::kImage});
  ASSERT_FALSE(heic.ok());
  EXPECT_EQ(heic.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(heic.status().message(), "no preview for image/heic");
  ExpectInvalid(MakeThumbnail(dir / "a.png", kPng, 8), "between 16 and 4096");
  ExpectInvalid(RenderPdfPage(dir / "a.png", 0, 100000), "between 16 and 4096");
}

}  // namespace
}  // namespace cairn
