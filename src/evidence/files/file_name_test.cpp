#include "evidence/files/file_name.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(FileNameTest, KeepsOrdinaryNamesAndReplacesExtension) {
  EXPECT_EQ(SanitizeFileName("Lab report.docx", "docx"), "Lab report.docx");
  EXPECT_EQ(SanitizeFileName("IMG_0042.HEIC", "jpg"), "IMG_0042.jpg");
  EXPECT_EQ(SanitizeFileName("essay.final.v2.pdf", "pdf"), "essay.final.v2.pdf");
  EXPECT_EQ(SanitizeFileName("notes", "txt"), "notes.txt");
  EXPECT_EQ(SanitizeFileName("Chapter 3. Summary", "pdf"), "Chapter 3. Summary.pdf");
  EXPECT_EQ(SanitizeFileName("Éducation – été.png", "png"), "Éducation – été.png");
}

TEST(FileNameTest, StripsDirectoriesBothWays) {
  EXPECT_EQ(SanitizeFileName("/etc/passwd", "txt"), "passwd.txt");
  EXPECT_EQ(SanitizeFileName("C:\\Users\\ana\\Desktop\\photo.jpg", "jpg"), "photo.jpg");
  EXPECT_EQ(SanitizeFileName("../../secret.pdf", "pdf"), "secret.pdf");
  EXPECT_EQ(SanitizeFileName("..", "pdf"), "file.pdf");
  EXPECT_EQ(SanitizeFileName("dir/..", "pdf"), "file.pdf");
  EXPECT_EQ(SanitizeFileName("a..b...c.pdf", "pdf"), "a.b.c.pdf");
}

TEST(FileNameTest, DropsControlAndBidiCharacters) {
  // U+202E RIGHT-TO-LEFT OVERRIDE would display "invoiceexe.pdf" as "invoicefdp.exe".
  EXPECT_EQ(SanitizeFileName("invoice\u202Efdp.exe", "pdf"), "invoicefdp.pdf");
  EXPECT_EQ(SanitizeFileName("a\u2066b\u2069c\u200Fd.txt", "txt"), "abcd.txt");
  EXPECT_EQ(SanitizeFileName(std::string("nul\0byte.txt", 12), "txt"), "nulbyte.txt");
  EXPECT_EQ(SanitizeFileName("bell\a\x1b[31mred.txt", "txt"), "bell[31mred.txt");
  EXPECT_EQ(SanitizeFileName("c1\xc2\x85"
                             "char.txt",
                             "txt"),
            "c1char.txt");  // U+0085
  EXPECT_EQ(SanitizeFileName("quote\"and<tags>|?*:.txt", "txt"), "quote_and_tags_____.txt");
  EXPECT_EQ(SanitizeFileName("bad\xff\xfe utf8.txt", "txt"), "bad__ utf8.txt");
}

TEST(FileNameTest, NormalisesWhitespaceAndDots) {
  EXPECT_EQ(SanitizeFileName("  my \t\n  file\u00A0\u3000name  .pdf", "pdf"), "my file name.pdf");
  EXPECT_EQ(SanitizeFileName(".bashrc", "txt"), "bashrc.txt");
  EXPECT_EQ(SanitizeFileName("...hidden...", "txt"), "hidden.txt");
  EXPECT_EQ(SanitizeFileName("trailing. . .", "txt"), "trailing.txt");
}

TEST(FileNameTest, ReservedWindowsNames) {
  EXPECT_EQ(SanitizeFileName("CON", "txt"), "_CON.txt");
  EXPECT_EQ(SanitizeFileName("nul.pdf", "pdf"), "_nul.pdf");
  EXPECT_EQ(SanitizeFileName("Com3.tar.gz", "pdf"), "_Com3.tar.pdf");
  EXPECT_EQ(SanitizeFileName("lpt9", "pdf"), "_lpt9.pdf");
  EXPECT_EQ(SanitizeFileName("console", "txt"), "console.txt");
  EXPECT_EQ(SanitizeFileName("COM0", "txt"), "COM0.txt");
}

TEST(FileNameTest, EmptyBecomesFile) {
  EXPECT_EQ(SanitizeFileName("", "png"), "file.png");
  EXPECT_EQ(SanitizeFileName("   ", "png"), "file.png");
  EXPECT_EQ(SanitizeFileName("\u202E", "png"), "file.png");
  EXPECT_EQ(SanitizeFileName("folder/", "png"), "file.png");
  EXPECT_EQ(SanitizeFileName(".pdf", "pdf"), "pdf.pdf");  // a lone dot-word is a name
  EXPECT_EQ(SanitizeFileName("x", ""), "x");
  EXPECT_EQ(SanitizeFileName("x.exe", "../P N G"), "x.png");
}

TEST(FileNameTest, CapsLengthOnUtf8BoundaryKeepingExtension) {
  const std::string long_ascii(300, 'a');
  const std::string capped = SanitizeFileName(long_ascii + ".pdf", "pdf");
  EXPECT_EQ(capped.size(), kMaxFileNameBytes);
  EXPECT_EQ(capped, std::string(116, 'a') + ".pdf");

  // "é" is two bytes. With a leading "x" the 116-byte budget ends inside the
  // 58th "é", so the cut falls back to 115 bytes: "x" and 57 of them.
  std::string accents = "x";
  for (int i = 0; i < 100; ++i) accents += "é";
  const std::string cut = SanitizeFileName(accents, "pdf");
  EXPECT_EQ(
      cut, "x" + [] {
        std::string s;
        for (int i = 0; i < 57; ++i) s += "é";
        return s;
      }() + ".pdf");
  EXPECT_LE(cut.size(), kMaxFileNameBytes);

  EXPECT_EQ(SanitizeFileName(std::string(50, 'b'), "txt", 20), std::string(16, 'b') + ".txt");
}

TEST(FileNameTest, ContentDisposition) {
  EXPECT_EQ(ContentDispositionValue("Lab report.pdf"),
            "attachment; filename=\"Lab report.pdf\"; filename*=UTF-8''Lab%20report.pdf");
  EXPECT_EQ(ContentDispositionValue("été 100%.png", /*inline_disposition=*/true),
            "inline; filename=\"_t_ 100_.png\"; filename*=UTF-8''%C3%A9t%C3%A9%20100%25.png");
  // Defensive even for unsanitised input: no quotes, CR/LF or backslashes leak.
  EXPECT_EQ(ContentDispositionValue("a\"b\r\nSet-Cookie: x\\y"),
            "attachment; filename=\"a_bSet-Cookie: x_y\"; "
            "filename*=UTF-8''a%22bSet-Cookie%3A%20x%5Cy");
  EXPECT_EQ(ContentDispositionValue(""), "attachment; filename=\"file\"; filename*=UTF-8''file");
}

}  // namespace
}  // namespace cairn
