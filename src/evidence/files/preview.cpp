#include "evidence/files/preview.h"

// Third-party C libraries; glib and poppler stay inside this file.
#include <cairo.h>
#include <glib.h>
#include <jpeglib.h>
#include <png.h>
#include <poppler.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace cairn {
namespace {

using SurfacePtr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using CairoPtr = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

SurfacePtr MakeSurface(cairo_surface_t* surface) { return {surface, &cairo_surface_destroy}; }

Status CheckEdge(int max_edge) {
  if (max_edge < 16 || max_edge > 4096) {
    return Status::Invalid("preview size must be between 16 and 4096 pixels");
  }
  return Status::Ok();
}

Status CheckPixels(std::uint64_t width, std::uint64_t height, const PreviewLimits& limits) {
  if (width == 0 || height == 0) return Status::Invalid("image has no pixels");
  if (width * height > limits.max_source_pixels) {
    const std::uint64_t limit = limits.max_source_pixels;
    const std::string limit_text = limit % 1'000'000 == 0
                                       ? std::to_string(limit / 1'000'000) + " megapixels"
                                       : std::to_string(limit) + " pixels";
    return Status::Invalid("image is " + std::to_string(width) + "x" + std::to_string(height) +
                           " pixels; the limit is " + limit_text);
  }
  return Status::Ok();
}

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (...) {
    return CAIRO_STATUS_WRITE_ERROR;
  }
}

Result<RenderedImage> EncodePng(cairo_surface_t* surface) {
  RenderedImage image;
  cairo_surface_flush(surface);
  if (cairo_surface_write_to_png_stream(surface, &AppendToString, &image.png) !=
      CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cannot encode the preview as PNG");
  }
  image.width = cairo_image_surface_get_width(surface);
  image.height = cairo_image_surface_get_height(surface);
  return image;
}

int Fit(double length, double scale) {
  return std::max(1, static_cast<int>(std::lround(length * scale)));
}

// EXIF orientation 1..8 (how the stored pixels must be turned for display).
// Maps source pixel coordinates to upright ones for a w x h source.
cairo_matrix_t OrientationMatrix(int orientation, double w, double h) {
  cairo_matrix_t m;
  switch (orientation) {
    case 2:
      cairo_matrix_init(&m, -1, 0, 0, 1, w, 0);
      break;  // mirror
    case 3:
      cairo_matrix_init(&m, -1, 0, 0, -1, w, h);
      break;  // 180
    case 4:
      cairo_matrix_init(&m, 1, 0, 0, -1, 0, h);
      break;  // flip
    case 5:
      cairo_matrix_init(&m, 0, 1, 1, 0, 0, 0);
      break;  // transpose
    case 6:
      cairo_matrix_init(&m, 0, 1, -1, 0, h, 0);
      break;  // 90 clockwise
    case 7:
      cairo_matrix_init(&m, 0, -1, -1, 0, h, w);
      break;  // transverse
    case 8:
      cairo_matrix_init(&m, 0, -1, 1, 0, 0, w);
      break;  // 90 counter-clockwise
    default:
      cairo_matrix_init_identity(&m);
      break;
  }
  return m;
}

// Scales `source` (upright after `orientation`) to fit max_edge, never up.
Result<RenderedImage> ScaleToFit(cairo_surface_t* source, int orientation, int max_edge) {
  const double w = cairo_image_surface_get_width(source);
  const double h = cairo_image_surface_get_height(source);
  const bool swapped = orientation >= 5 && orientation <= 8;
  const double upright_w = swapped ? h : w;
  const double upright_h = swapped ? w : h;
  const double scale = std::min(1.0, max_edge / std::max(upright_w, upright_h));
  SurfacePtr target = MakeSurface(cairo_image_surface_create(
      CAIRO_FORMAT_ARGB32, Fit(upright_w, scale), Fit(upright_h, scale)));
  if (cairo_surface_status(target.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cannot allocate the preview");
  }
  CairoPtr cr(cairo_create(target.get()), &cairo_destroy);
  cairo_scale(cr.get(), scale, scale);
  const cairo_matrix_t orient = OrientationMatrix(orientation, w, h);
  cairo_transform(cr.get(), &orient);
  cairo_set_source_surface(cr.get(), source, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr.get()), CAIRO_FILTER_GOOD);
  cairo_paint(cr.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) return Status::Internal("cannot scale");
  return EncodePng(target.get());
}

// --- PNG: libpng's simplified API reports errors as values (no setjmp here).

Result<RenderedImage> PngThumbnail(const std::filesystem::path& path, int max_edge,
                                   const PreviewLimits& limits) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path.c_str())) {
    png_image_free(&image);
    return Status::Invalid(std::string("corrupt PNG: ") + image.message);
  }
  if (Status size = CheckPixels(image.width, image.height, limits); !size.ok()) {
    png_image_free(&image);
    return size;
  }
  // Cairo's ARGB32 is a native-endian 0xAARRGGBB word.
  image.format = std::endian::native == std::endian::little ? PNG_FORMAT_BGRA : PNG_FORMAT_ARGB;
  const int width = static_cast<int>(image.width);
  const int height = static_cast<int>(image.height);
  SurfacePtr source = MakeSurface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
  if (cairo_surface_status(source.get()) != CAIRO_STATUS_SUCCESS) {
    png_image_free(&image);
    return Status::Internal("cannot allocate " + std::to_string(width) + "x" +
                            std::to_string(height) + " pixels");
  }
  const int stride = cairo_image_surface_get_stride(source.get());
  unsigned char* pixels = cairo_image_surface_get_data(source.get());
  cairo_surface_flush(source.get());
  if (!png_image_finish_read(&image, nullptr, pixels, stride, nullptr)) {
    png_image_free(&image);
    return Status::Invalid(std::string("corrupt PNG: ") + image.message);
  }
  png_image_free(&image);
  // libpng gives straight alpha; cairo wants it premultiplied.
  for (int y = 0; y < height; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(pixels + static_cast<std::ptrdiff_t>(y) * stride);
    for (int x = 0; x < width; ++x) {
      const std::uint32_t pixel = row[x];
      const std::uint32_t alpha = pixel >> 24;
      if (alpha == 255) continue;
      auto channel = [&](int shift) { return (((pixel >> shift) & 0xFFu) * alpha + 127) / 255; };
      row[x] = (alpha << 24) | (channel(16) << 16) | (channel(8) << 8) | channel(0);
    }
  }
  cairo_surface_mark_dirty(source.get());
  return ScaleToFit(source.get(), 1, max_edge);
}

// --- JPEG: libjpeg reports fatal errors by longjmp. DecodeJpeg keeps only C
// state (in JpegJob) across the setjmp so no C++ destructor is skipped.

struct JpegJob {
  FILE* file = nullptr;
  std::uint64_t max_pixels = 0;
  int max_edge = 0;
  // Results.
  unsigned source_width = 0;
  unsigned source_height = 0;
  bool too_large = false;
  int orientation = 1;
  cairo_surface_t* surface = nullptr;  // owned by the caller on success
  JSAMPLE* row = nullptr;
  char message[JMSG_LENGTH_MAX] = {};
};

struct JpegError {
  jpeg_error_mgr manager;  // first, so the library's pointer converts back
  std::jmp_buf jump;
  JpegJob* job;
};

[[noreturn]] void JpegErrorExit(j_common_ptr info) {
  auto* error = reinterpret_cast<JpegError*>(info->err);
  (*info->err->format_message)(info, error->job->message);
  std::longjmp(error->jump, 1);
}

void JpegSilence(j_common_ptr /*info*/) {}  // warnings (e.g. truncated data) are tolerated

std::uint32_t ReadUnsigned(const JOCTET* data, bool little_endian, int bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    const int index = little_endian ? bytes - 1 - i : i;
    value = (value << 8) | data[index];
  }
  return value;
}

// The Orientation tag (0x0112) from IFD0 of an APP1 "Exif" segment; 1 when
// absent or malformed.
int ExifOrientation(const jpeg_saved_marker_ptr markers) {
  for (jpeg_saved_marker_ptr marker = markers; marker; marker = marker->next) {
    if (marker->marker != JPEG_APP0 + 1 || marker->data_length < 14) continue;
    const JOCTET* data = marker->data;
    if (std::memcmp(data, "Exif\0\0", 6) != 0) continue;
    const JOCTET* tiff = data + 6;
    const std::uint32_t size = marker->data_length - 6;
    const bool little = tiff[0] == 'I' && tiff[1] == 'I';
    if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) continue;
    const std::uint32_t ifd = ReadUnsigned(tiff + 4, little, 4);
    if (ifd > size - 2 || ifd < 8) continue;
    const std::uint32_t count = ReadUnsigned(tiff + ifd, little, 2);
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::uint32_t entry = ifd + 2 + i * 12;
      if (entry + 12 > size) break;
      if (ReadUnsigned(tiff + entry, little, 2) != 0x0112) continue;
      const std::uint32_t value = ReadUnsigned(tiff + entry + 8, little, 2);
      return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
    }
  }
  return 1;
}

bool DecodeJpeg(JpegJob* job) {
  jpeg_decompress_struct info;
  JpegError error;
  info.err = jpeg_std_error(&error.manager);
  error.manager.error_exit = &JpegErrorExit;
  error.manager.output_message = &JpegSilence;
  error.job = job;
  if (setjmp(error.jump)) {
    jpeg_destroy_decompress(&info);
    if (job->surface) cairo_surface_destroy(job->surface);
    job->surface = nullptr;
    std::free(job->row);
    job->row = nullptr;
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_stdio_src(&info, job->file);
  jpeg_save_markers(&info, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header(&info, TRUE);
  job->source_width = info.image_width;
  job->source_height = info.image_height;
  if (static_cast<std::uint64_t>(info.image_width) * info.image_height > job->max_pixels ||
      info.image_width == 0 || info.image_height == 0) {
    job->too_large = true;
    jpeg_destroy_decompress(&info);
    return false;
  }
  job->orientation = ExifOrientation(info.marker_list);
  // Let libjpeg shrink by 1/2, 1/4 or 1/8 while decoding if the result still
  // covers the target: far less work and memory for large photos.
  const unsigned long_edge = std::max(info.image_width, info.image_height);
  unsigned denominator = 8;
  while (denominator > 1 &&
         (long_edge + denominator - 1) / denominator < static_cast<unsigned>(job->max_edge)) {
    denominator /= 2;
  }
  info.scale_num = 1;
  info.scale_denom = denominator;
  info.out_color_space = JCS_RGB;
  jpeg_start_decompress(&info);
  const int width = static_cast<int>(info.output_width);
  const int height = static_cast<int>(info.output_height);
  job->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  job->row = static_cast<JSAMPLE*>(std::malloc(static_cast<std::size_t>(width) * 3));
  if (cairo_surface_status(job->surface) != CAIRO_STATUS_SUCCESS || !job->row) {
    std::snprintf(job->message, sizeof job->message, "cannot allocate %dx%d pixels", width, height);
    std::longjmp(error.jump, 1);
  }
  unsigned char* pixels = cairo_image_surface_get_data(job->surface);
  const int stride = cairo_image_surface_get_stride(job->surface);
  while (info.output_scanline < info.output_height) {
    const auto y = static_cast<std::ptrdiff_t>(info.output_scanline);
    JSAMPROW rows[1] = {job->row};
    jpeg_read_scanlines(&info, rows, 1);
    auto* out = reinterpret_cast<std::uint32_t*>(pixels + y * stride);
    for (int x = 0; x < width; ++x) {
      const JSAMPLE* rgb = job->row + x * 3;
      out[x] = 0xFF000000u | (std::uint32_t{rgb[0]} << 16) | (std::uint32_t{rgb[1]} << 8) | rgb[2];
    }
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  std::free(job->row);
  job->row = nullptr;
  cairo_surface_mark_dirty(job->surface);
  return true;
}

Result<RenderedImage> JpegThumbnail(const std::filesystem::path& path, int max_edge,
                                    const PreviewLimits& limits) {
  std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Status::Internal("cannot open " + path.string());
  JpegJob job;
  job.file = file.get();
  job.max_pixels = limits.max_source_pixels;
  job.max_edge = max_edge;
  if (!DecodeJpeg(&job)) {
    if (job.too_large) {
      CAIRN_RETURN_IF_ERROR(CheckPixels(job.source_width, job.source_height, limits));
    }
    return Status::Invalid(std::string("corrupt JPEG: ") + job.message);
  }
  SurfacePtr surface = MakeSurface(job.surface);
  return ScaleToFit(surface.get(), job.orientation, max_edge);
}

// --- PDF via poppler-glib.

struct GObjectDeleter {
  void operator()(gpointer object) const { g_object_unref(object); }
};
using DocumentPtr = std::unique_ptr<PopplerDocument, GObjectDeleter>;
using PagePtr = std::unique_ptr<PopplerPage, GObjectDeleter>;

Result<DocumentPtr> OpenPdf(const std::filesystem::path& path) {
  GError* error = nullptr;
  gchar* uri = g_filename_to_uri(std::filesystem::absolute(path).c_str(), nullptr, &error);
  if (!uri) {
    const std::string detail = error ? error->message : "bad path";
    if (error) g_error_free(error);
    return Status::Internal("cannot open " + path.string() + ": " + detail);
  }
  PopplerDocument* document = poppler_document_new_from_file(uri, nullptr, &error);
  g_free(uri);
  if (!document) {
    const bool encrypted =
        error && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED;
    const std::string detail = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    if (encrypted) return Status::Invalid("the PDF is password-protected");
    return Status::Invalid("corrupt PDF: " + detail);
  }
  return DocumentPtr(document);
}

Result<RenderedImage> RenderPage(PopplerDocument* document, int page_index, int max_edge) {
  const int pages = poppler_document_get_n_pages(document);
  if (page_index < 0 || page_index >= pages) {
    return Status::Invalid("page " + std::to_string(page_index + 1) +
                           " does not exist; the PDF has " + std::to_string(pages) + " pages");
  }
  PagePtr page(poppler_document_get_page(document, page_index));
  if (!page)
    return Status::Invalid("corrupt PDF: cannot read page " + std::to_string(page_index + 1));
  double width_pt = 0;
  double height_pt = 0;
  poppler_page_get_size(page.get(), &width_pt, &height_pt);
  if (!(width_pt > 0 && height_pt > 0 && std::isfinite(width_pt) && std::isfinite(height_pt))) {
    return Status::Invalid("corrupt PDF: page " + std::to_string(page_index + 1) + " has no size");
  }
  const double scale = max_edge / std::max(width_pt, height_pt);
  SurfacePtr surface = MakeSurface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, Fit(width_pt, scale), Fit(height_pt, scale)));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Internal("cannot allocate the page image");
  }
  CairoPtr cr(cairo_create(surface.get()), &cairo_destroy);
  cairo_set_source_rgb(cr.get(), 1, 1, 1);
  cairo_paint(cr.get());
  cairo_scale(cr.get(), scale, scale);
  poppler_page_render(page.get(), cr.get());
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return Status::Invalid("corrupt PDF: cannot render page " + std::to_string(page_index + 1));
  }
  return EncodePng(surface.get());
}

}  // namespace

Result<RenderedImage> MakeThumbnail(const std::filesystem::path& path, const ContentType& type,
                                    int max_edge, const PreviewLimits& limits) {
  CAIRN_RETURN_IF_ERROR(CheckEdge(max_edge));
  if (type.mime == "image/png") return PngThumbnail(path, max_edge, limits);
  if (type.mime == "image/jpeg") return JpegThumbnail(path, max_edge, limits);
  if (type.kind == ContentKind::kPdf) return RenderPdfPage(path, 0, max_edge);
  return Status::Precondition("no preview for " + type.mime);
}

Result<int> PdfPageCount(const std::filesystem::path& path) {
  CAIRN_ASSIGN_OR_RETURN(DocumentPtr document, OpenPdf(path));
  return poppler_document_get_n_pages(document.get());
}

Result<RenderedImage> RenderPdfPage(const std::filesystem::path& path, int page_index,
                                    int max_edge) {
  CAIRN_RETURN_IF_ERROR(CheckEdge(max_edge));
  CAIRN_ASSIGN_OR_RETURN(DocumentPtr document, OpenPdf(path));
  return RenderPage(document.get(), page_index, max_edge);
}

}  // namespace cairn
