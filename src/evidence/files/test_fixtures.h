// Test fixtures generated on the fly (nothing binary is committed): images
// drawn with cairo and libjpeg, PDFs from cairo's PDF surface, zips written
// with libarchive, and a scratch directory removed at the end of a test.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::testing {

// A fresh directory under the system temp dir; removed on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void WriteFile(const std::filesystem::path& path, std::string_view bytes);
std::string ReadFile(const std::filesystem::path& path);

// A width x height PNG (a gradient, with alpha when `alpha`).
std::string MakePng(int width, int height, bool alpha = false);
// A width x height JPEG; with an EXIF APP1 Orientation tag when orientation > 0.
std::string MakeJpeg(int width, int height, int exif_orientation = 0);
// A PDF of `pages` A4 pages, page n showing n bars.
void WritePdf(const std::filesystem::path& path, int pages);

struct ZipEntry {
  std::string name;
  std::string data;
  bool stored = false;  // no compression (ODF's mimetype entry)
};
// Errors abort the test (ADD_FAILURE) rather than returning.
void WriteZip(const std::filesystem::path& path, const std::vector<ZipEntry>& entries);
// A zip whose only entry, `name`, holds `zero_bytes` zeros, deflated
// (300 MB compresses to ~300 KB). Streamed: memory stays small. Without
// `declare_size` the header carries no size (a data descriptor follows the
// data), as a lying or streaming writer would produce.
void WriteZeroZip(const std::filesystem::path& path, const std::string& name,
                  std::uint64_t zero_bytes, bool declare_size = true);

}  // namespace cairn::testing
