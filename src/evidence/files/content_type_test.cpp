#include "evidence/files/content_type.h"

#include <gtest/gtest.h>

#include <random>

#include "evidence/files/test_fixtures.h"

namespace cairn {
namespace {

using testing::ScratchDir;
using testing::WriteFile;
using testing::ZipEntry;

Result<ContentType> DetectFile(const ScratchDir& dir, std::string_view bytes) {
  const auto path = dir / "upload";
  WriteFile(path, bytes);
  return DetectContentType(path);
}

void ExpectType(const Result<ContentType>& result, std::string_view mime, std::string_view ext,
                ContentKind kind) {
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->mime, mime);
  EXPECT_EQ(result->extension, ext);
  EXPECT_EQ(result->kind, kind);
}

void ExpectRefused(const Result<ContentType>& result, std::string_view message_part) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find(message_part), std::string::npos)
      << result.status().message();
}

std::string RandomBytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random() & 0xFF);
  return bytes;
}

// The entries a minimal DOCX needs for detection.
std::vector<ZipEntry> DocxEntries() {
  return {{"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"},
          {"_rels/.rels", "<Relationships/>"},
          {"word/document.xml", "<w:document>hello</w:document>"}};
}

TEST(ContentTypeTest, Images) {
  ExpectType(DetectContentTypeOfBytes(testing::MakePng(4, 4)), "image/png", "png",
             ContentKind::kImage);
  ExpectType(DetectContentTypeOfBytes(testing::MakeJpeg(8, 8)), "image/jpeg", "jpg",
             ContentKind::kImage);
  ExpectType(DetectContentTypeOfBytes("GIF89a\x01\x00\x01\x00"), "image/gif", "gif",
             ContentKind::kImage);
  ExpectType(DetectContentTypeOfBytes(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp",
             "webp", ContentKind::kImage);
}

TEST(ContentTypeTest, HeicAndHeifByFtypBrands) {
  // size 24: "ftyp", major brand, minor version, compatible brands.
  const std::string heic(
      "\0\0\0\x18"
      "ftypheic\0\0\0\0mif1heic",
      24);
  ExpectType(DetectContentTypeOfBytes(heic), "image/heic", "heic", ContentKind::kImage);
  const std::string heic_compatible(
      "\0\0\0\x18"
      "ftypmif1\0\0\0\0mif1heic",
      24);
  ExpectType(DetectContentTypeOfBytes(heic_compatible), "image/heic", "heic", ContentKind::kImage);
  const std::string heif(
      "\0\0\0\x14"
      "ftypmif1\0\0\0\0mif1",
      20);
  ExpectType(DetectContentTypeOfBytes(heif), "image/heif", "heif", ContentKind::kImage);
  const std::string mp4(
      "\0\0\0\x14"
      "ftypisom\0\0\0\0isom",
      20);
  ExpectRefused(DetectContentTypeOfBytes(mp4), "ISO media brand 'isom'");
}

TEST(ContentTypeTest, PdfFromFile) {
  ScratchDir dir;
  testing::WritePdf(dir / "a.pdf", 1);
  ExpectType(DetectContentType(dir / "a.pdf"), "application/pdf", "pdf", ContentKind::kPdf);
}

TEST(ContentTypeTest, Utf8Text) {
  ScratchDir dir;
  ExpectType(DetectFile(dir, "My reflection on the project.\nÉtape 2 — ✓\n"), "text/plain", "txt",
             ContentKind::kText);
  ExpectRefused(DetectFile(dir, "caf\xe9 au lait"), "text files must be UTF-8");  // Latin-1
  ExpectRefused(DetectFile(dir, "truncated \xe2\x82"), "text files must be UTF-8");
  ExpectRefused(DetectFile(dir, "overlong \xc0\xaf"), "text files must be UTF-8");
  ExpectRefused(DetectFile(dir, "surrogate \xed\xa0\x80"), "text files must be UTF-8");
  ExpectRefused(DetectFile(dir, std::string("nul\0byte", 8)), "file type not recognised");
  ExpectRefused(DetectFile(dir, ""), "the file is empty");
}

TEST(ContentTypeTest, TextValidatedBeyondTheFirstChunk) {
  ScratchDir dir;
  std::string text(200 * 1024, 'a');
  text += "\xff";
  ExpectRefused(DetectFile(dir, text), "text files must be UTF-8");
  // A multi-byte character straddling the 64 KiB read boundary is fine.
  std::string straddle(64 * 1024 - 1, 'a');
  straddle += "\xe2\x9c\x93 done";
  ExpectType(DetectFile(dir, straddle), "text/plain", "txt", ContentKind::kText);
}

TEST(ContentTypeTest, RefusesScriptableMarkup) {
  for (std::string_view markup :
       {"<!DOCTYPE html><html><body>x</body></html>", "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "<?xml version='1.0'?><root/>", "\xef\xbb\xbf  <HTML>",
        "hello <script>alert(1)</script>"}) {
    ExpectRefused(DetectContentTypeOfBytes(markup), "HTML, SVG and XML files are not accepted");
  }
}

TEST(ContentTypeTest, RefusesExecutablesAndArchives) {
  ExpectRefused(DetectContentTypeOfBytes("\x7f"
                                         "ELF\x02\x01\x01"),
                "executable");
  ExpectRefused(DetectContentTypeOfBytes(std::string("MZ\x90\0\x03\0\0\0", 8)), "executable");
  ExpectType(DetectContentTypeOfBytes("MZ is how I sign my notes."), "text/plain", "txt",
             ContentKind::kText);
  ExpectRefused(DetectContentTypeOfBytes("#!/bin/sh\nrm -rf /\n"), "executable");
  // Found by fuzz/content_type_fuzzer (fuzz/crashes/content_type/): an ISO
  // media "ftyp" box at byte 4 made these HEIF images.
  ExpectRefused(DetectContentTypeOfBytes("\x7f"
                                         "ELFftypmif1heic"),
                "executable");
  ExpectRefused(DetectContentTypeOfBytes("#!/bftypmif1heic\n"), "executable");
  ExpectRefused(DetectContentTypeOfBytes("\x1f\x8b\x08\x00"), "compressed archives");
  ExpectRefused(DetectContentTypeOfBytes(std::string("PK\x05\x06", 4) + std::string(18, '\0')),
                "zip archives are not accepted");
  ExpectRefused(DetectContentTypeOfBytes("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "old Office formats");
}

TEST(ContentTypeTest, OfficeOpenXml) {
  ScratchDir dir;
  testing::WriteZip(dir / "a.docx", DocxEntries());
  ExpectType(DetectContentType(dir / "a.docx"),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
             ContentKind::kDocument);
  testing::WriteZip(dir / "b.xlsx",
                    {{"[Content_Types].xml", "<Types/>"}, {"xl/workbook.xml", "x"}});
  ExpectType(DetectContentType(dir / "b.xlsx"),
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
             ContentKind::kDocument);
  testing::WriteZip(dir / "c.pptx",
                    {{"[Content_Types].xml", "<Types/>"}, {"ppt/presentation.xml", "x"}});
  ExpectType(DetectContentType(dir / "c.pptx"),
             "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
             ContentKind::kDocument);
  // The same bytes from memory.
  ExpectType(DetectContentTypeOfBytes(testing::ReadFile(dir / "a.docx")),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
             ContentKind::kDocument);
}

TEST(ContentTypeTest, OpenDocument) {
  ScratchDir dir;
  for (auto [kind, ext] : {std::pair{"text", "odt"}, std::pair{"spreadsheet", "ods"},
                           std::pair{"presentation", "odp"}}) {
    const std::string mime = std::string("application/vnd.oasis.opendocument.") + kind;
    testing::WriteZip(dir / "doc", {{"mimetype", mime, /*stored=*/true},
                                    {"content.xml", "<office:document-content/>"}});
    ExpectType(DetectContentType(dir / "doc"), mime, ext, ContentKind::kDocument);
  }
}

TEST(ContentTypeTest, RefusesPlainZipAndMacros) {
  ScratchDir dir;
  testing::WriteZip(dir / "a.zip", {{"photo.jpg", "data"}, {"notes.txt", "hi"}});
  ExpectRefused(DetectContentType(dir / "a.zip"),
                "zip archives are not accepted; upload the files themselves");
  auto entries = DocxEntries();
  entries.push_back({"word/vbaProject.bin", "macro"});
  testing::WriteZip(dir / "m.docm", entries);
  ExpectRefused(DetectContentType(dir / "m.docm"), "office documents with macros");
  testing::WriteFile(dir / "broken", std::string("PK\x03\x04", 4) + "garbage garbage garbage");
  ExpectRefused(DetectContentType(dir / "broken"), "the zip file is corrupt");
}

TEST(ContentTypeTest, ZipBombRefusedByDeclaredSize) {
  ScratchDir dir;
  // 300 MB of zeros in one entry, ~300 KB on disk; the header says 300 MB.
  testing::WriteZeroZip(dir / "bomb.docx", "word/document.xml", 300ull << 20);
  ExpectRefused(DetectContentType(dir / "bomb.docx"), "archive expands beyond 200 MB");
}

TEST(ContentTypeTest, ZipBombWithoutDeclaredSizeStoppedByRatio) {
  ScratchDir dir;
  // The ratio check trips after the first MiB, long before 300 MB is made.
  testing::WriteZeroZip(dir / "bomb.docx", "word/document.xml", 300ull << 20,
                        /*declare_size=*/false);
  ExpectRefused(DetectContentType(dir / "bomb.docx"),
                "archive entry 'word/document.xml' expands more than 100 times");
  ExpectRefused(DetectContentTypeOfBytes(testing::ReadFile(dir / "bomb.docx")),
                "archive entry 'word/document.xml' expands more than 100 times");
}

TEST(ContentTypeTest, ZipBombWithoutDeclaredSizeStoppedByCountedTotal) {
  ScratchDir dir;
  testing::WriteZeroZip(dir / "bomb.docx", "word/document.xml", 300ull << 20,
                        /*declare_size=*/false);
  ArchiveLimits limits;
  limits.max_entry_ratio = 1e9;  // only the total limit applies
  ExpectRefused(DetectContentType(dir / "bomb.docx", limits), "archive expands beyond 200 MB");
}

TEST(ContentTypeTest, TotalSizeCountsActualBytes) {
  // Incompressible entries: the ratio stays near 1, the total trips.
  ScratchDir dir;
  auto entries = DocxEntries();
  entries.push_back({"word/media/a.bin", RandomBytes(600 * 1024, 1)});
  entries.push_back({"word/media/b.bin", RandomBytes(600 * 1024, 2)});
  testing::WriteZip(dir / "big.docx", entries);
  ArchiveLimits limits;
  limits.max_total_uncompressed = 1 << 20;
  ExpectRefused(DetectContentType(dir / "big.docx", limits), "archive expands beyond 1 MB");
  ExpectType(DetectContentType(dir / "big.docx"),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
             ContentKind::kDocument);
}

TEST(ContentTypeTest, LargeOrdinaryEntriesPass) {
  // 4 MiB of text-like XML compresses ~5:1: well past the ratio grace, well
  // under the ratio limit, from a file and from memory alike.
  ScratchDir dir;
  std::mt19937 random(7);
  std::string xml = "<w:document>";
  while (xml.size() < (4u << 20)) {
    xml += "<w:t>word" + std::to_string(random() % 5000) + "</w:t>";
  }
  auto entries = DocxEntries();
  entries[2].data = xml;
  testing::WriteZip(dir / "long.docx", entries);
  const std::string docx =
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  ExpectType(DetectContentType(dir / "long.docx"), docx, "docx", ContentKind::kDocument);
  ExpectType(DetectContentTypeOfBytes(testing::ReadFile(dir / "long.docx")), docx, "docx",
             ContentKind::kDocument);
}

TEST(ContentTypeTest, EntryCountLimit) {
  ScratchDir dir;
  auto entries = DocxEntries();
  for (int i = 0; i < 20; ++i) entries.push_back({"word/part" + std::to_string(i) + ".xml", "x"});
  testing::WriteZip(dir / "many.docx", entries);
  ArchiveLimits limits;
  limits.max_entries = 10;
  ExpectRefused(DetectContentType(dir / "many.docx", limits), "archive has more than 10 entries");
}

TEST(ContentTypeTest, NestedArchivesAreNotExpanded) {
  ScratchDir dir;
  // A zip bomb inside a document is just an opaque ~300 KB entry.
  testing::WriteZeroZip(dir / "inner.zip", "zeros.bin", 300ull << 20);
  auto entries = DocxEntries();
  entries.push_back({"word/embeddings/inner.zip", testing::ReadFile(dir / "inner.zip")});
  testing::WriteZip(dir / "outer.docx", entries);
  ExpectType(DetectContentType(dir / "outer.docx"),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
             ContentKind::kDocument);
}

TEST(ContentTypeTest, MissingFileIsInternal) {
  auto result = DetectContentType("/nonexistent/cairn/upload");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace cairn
