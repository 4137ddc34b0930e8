#include "evidence/files/test_fixtures.h"

#include <archive.h>
#include <archive_entry.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <gtest/gtest.h>
#include <jpeglib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>

namespace cairn::testing {
namespace fs = std::filesystem;

ScratchDir::ScratchDir() {
  std::random_device random;
  path_ = fs::temp_directory_path() /
          ("cairn-artifacts-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

void WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << path;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

namespace {

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;

ArchivePtr OpenZipWriter(const fs::path& path) {
  ArchivePtr writer(archive_write_new(), &archive_write_free);
  archive_write_set_format_zip(writer.get());
  EXPECT_EQ(archive_write_open_filename(writer.get(), path.c_str()), ARCHIVE_OK)
      << archive_error_string(writer.get());
  return writer;
}

void WriteHeader(archive* writer, const std::string& name, std::optional<std::uint64_t> size) {
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                      &archive_entry_free);
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  if (size) archive_entry_set_size(entry.get(), static_cast<la_int64_t>(*size));
  EXPECT_EQ(archive_write_header(writer, entry.get()), ARCHIVE_OK) << archive_error_string(writer);
}

}  // namespace

std::string MakePng(int width, int height, bool alpha) {
  cairo_surface_t* surface =
      cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, width, height);
  cairo_t* cr = cairo_create(surface);
  cairo_pattern_t* gradient = cairo_pattern_create_linear(0, 0, width, height);
  cairo_pattern_add_color_stop_rgba(gradient, 0, 1, 0, 0, 1);
  cairo_pattern_add_color_stop_rgba(gradient, 1, 0, 0, 1, alpha ? 0.5 : 1);
  cairo_set_source(cr, gradient);
  cairo_paint(cr);
  cairo_pattern_destroy(gradient);
  cairo_destroy(cr);
  std::string png;
  cairo_surface_write_to_png_stream(surface, &Append, &png);
  cairo_surface_destroy(surface);
  return png;
}

std::string MakeJpeg(int width, int height, int exif_orientation) {
  jpeg_compress_struct info;
  jpeg_error_mgr error;
  info.err = jpeg_std_error(&error);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 80, TRUE);
  jpeg_start_compress(&info, TRUE);
  if (exif_orientation > 0) {
    // "Exif\0\0", big-endian TIFF header, IFD0 at 8 with one SHORT entry
    // (0x0112 Orientation), then a zero next-IFD offset.
    const unsigned char exif[] = {'E',  'x',
                                  'i',  'f',
                                  0,    0,
                                  'M',  'M',
                                  0,    42,
                                  0,    0,
                                  0,    8,
                                  0,    1,
                                  0x01, 0x12,
                                  0,    3,
                                  0,    0,
                                  0,    1,
                                  0,    static_cast<unsigned char>(exif_orientation),
                                  0,    0,
                                  0,    0,
                                  0,    0};
    jpeg_write_marker(&info, JPEG_APP0 + 1, exif, sizeof exif);
  }
  std::vector<JSAMPLE> row(static_cast<std::size_t>(width) * 3);
  while (info.next_scanline < info.image_height) {
    for (int x = 0; x < width; ++x) {
      row[static_cast<std::size_t>(x) * 3] = static_cast<JSAMPLE>(x * 255 / width);
      row[static_cast<std::size_t>(x) * 3 + 1] =
          static_cast<JSAMPLE>(info.next_scanline * 255 / info.image_height);
      row[static_cast<std::size_t>(x) * 3 + 2] = 128;
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&info, rows, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::string jpeg(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  return jpeg;
}

void WritePdf(const fs::path& path, int pages) {
  cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), 595, 842);
  cairo_t* cr = cairo_create(surface);
  for (int page = 1; page <= pages; ++page) {
    cairo_set_source_rgb(cr, 0.1, 0.2, 0.6);
    cairo_rectangle(cr, 50, 50, 495, 100);
    cairo_fill(cr);
    // One bar per page number; shapes only, because text would load
    // fontconfig, whose process-lifetime cache LeakSanitizer reports.
    for (int bar = 0; bar < page; ++bar) {
      cairo_rectangle(cr, 60 + bar * 40, 300, 30, 200);
    }
    cairo_fill(cr);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  ASSERT_EQ(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(surface);
}

void WriteZip(const fs::path& path, const std::vector<ZipEntry>& entries) {
  ArchivePtr writer = OpenZipWriter(path);
  for (const ZipEntry& entry : entries) {
    if (entry.stored) {
      archive_write_zip_set_compression_store(writer.get());
    } else {
      archive_write_zip_set_compression_deflate(writer.get());
    }
    WriteHeader(writer.get(), entry.name, entry.data.size());
    EXPECT_EQ(archive_write_data(writer.get(), entry.data.data(), entry.data.size()),
              static_cast<la_ssize_t>(entry.data.size()));
  }
  EXPECT_EQ(archive_write_close(writer.get()), ARCHIVE_OK);
}

void WriteZeroZip(const fs::path& path, const std::string& name, std::uint64_t zero_bytes,
                  bool declare_size) {
  ArchivePtr writer = OpenZipWriter(path);
  archive_write_zip_set_compression_deflate(writer.get());
  WriteHeader(writer.get(), name,
              declare_size ? std::optional<std::uint64_t>(zero_bytes) : std::nullopt);
  const std::vector<char> zeros(1 << 20, 0);
  for (std::uint64_t left = zero_bytes; left > 0;) {
    const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
    ASSERT_EQ(archive_write_data(writer.get(), zeros.data(), chunk),
              static_cast<la_ssize_t>(chunk));
    left -= chunk;
  }
  EXPECT_EQ(archive_write_close(writer.get()), ARCHIVE_OK);
}

}  // namespace cairn::testing
