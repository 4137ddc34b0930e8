#include "evidence/files/image_metadata.h"

#include <gtest/gtest.h>

#include "evidence/files/preview.h"
#include "evidence/files/test_fixtures.h"

namespace cairn {
namespace {

using namespace std::string_literals;
using testing::MakeJpeg;
using testing::MakePng;
using testing::ScratchDir;
using testing::WriteFile;

std::string Segment(unsigned char marker, const std::string& payload) {
  const std::size_t length = payload.size() + 2;
  std::string s = {'\xFF', static_cast<char>(marker), static_cast<char>(length >> 8),
                   static_cast<char>(length & 0xFF)};
  return s + payload;
}

// A real JPEG (with an EXIF orientation) plus the metadata a phone and an
// editor add: GPS in EXIF, XMP, IPTC, a comment.
std::string PhonePhoto(int orientation) {
  std::string jpeg = MakeJpeg(40, 20, orientation);
  const std::string gps = std::string("Exif\0\0", 6) + "MM GPS 47.6N 122.3W Lopez home";
  const std::string extra =
      Segment(0xE1, gps) +
      Segment(0xE1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Ava</x:xmpmeta>"s) +
      Segment(0xED, "Photoshop 3.0\0IPTC by Ava Lopez"s) + Segment(0xFE, "taken at 12 Elm Street");
  return jpeg.substr(0, 2) + extra + jpeg.substr(2);
}

TEST(ImageMetadata, JpegLosesEverythingButPixelsAndOrientation) {
  const std::string photo = PhonePhoto(6);
  auto stripped = StripImageMetadata(photo, "image/jpeg");
  ASSERT_TRUE(stripped.ok()) << stripped.status().ToString();
  for (const char* secret : {"GPS", "Lopez", "xmpmeta", "IPTC", "Elm Street"}) {
    EXPECT_EQ(stripped->find(secret), std::string::npos) << secret;
    EXPECT_NE(photo.find(secret), std::string::npos) << secret;
  }
  EXPECT_LT(stripped->size(), photo.size());
  // The scan is byte for byte the same, and the image still decodes upright.
  const auto sos = photo.find("\xFF\xDA");
  ASSERT_NE(sos, std::string::npos);
  EXPECT_EQ(stripped->substr(stripped->find("\xFF\xDA")), photo.substr(sos));
  ScratchDir dir;
  WriteFile(dir / "a.jpg", *stripped);
  WriteFile(dir / "b.jpg", photo);
  const ContentType jpeg{"image/jpeg", "jpg", ContentKind::kImage};
  auto a = MakeThumbnail(dir / "a.jpg", jpeg, 100);
  auto b = MakeThumbnail(dir / "b.jpg", jpeg, 100);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->width, b->width);  // orientation 6 turns 40x20 into 20 wide
  EXPECT_EQ(a->height, b->height);
  EXPECT_LT(a->width, a->height);
}

TEST(ImageMetadata, PngLosesTextChunksKeepsImageChunks) {
  std::string png = MakePng(8, 8);
  // Insert metadata chunks after IHDR (CRCs are not checked by the stripper).
  auto chunk = [](const std::string& type, const std::string& data) {
    const auto n = static_cast<std::uint32_t>(data.size());
    std::string c = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                     static_cast<char>(n >> 8), static_cast<char>(n)};
    return c + type + data + std::string(4, '\0');
  };
  const std::size_t after_ihdr = 8 + 25;
  const std::string with = png.substr(0, after_ihdr) + chunk("tEXt", "Author\0Ava Lopez"s) +
                           chunk("eXIf", "MM GPS 47.6N") + chunk("tIME", "2026xx") +
                           png.substr(after_ihdr);
  auto stripped = StripImageMetadata(with, "image/png");
  ASSERT_TRUE(stripped.ok()) << stripped.status().ToString();
  EXPECT_EQ(*stripped, png);
}

TEST(ImageMetadata, MalformedImagesAreRefusedOthersUntouched) {
  const std::string photo = PhonePhoto(1);
  EXPECT_FALSE(StripImageMetadata(photo.substr(0, 30), "image/jpeg").ok());
  EXPECT_FALSE(StripImageMetadata("not a png at all", "image/png").ok());
  EXPECT_EQ(*StripImageMetadata("%PDF-1.4 Author Ava", "application/pdf"), "%PDF-1.4 Author Ava");
  // No orientation (1) leaves no EXIF at all.
  auto plain = StripImageMetadata(photo, "image/jpeg");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->find("Exif"), std::string::npos);
}

}  // namespace
}  // namespace cairn
