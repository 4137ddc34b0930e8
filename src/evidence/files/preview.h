// Server-side previews of uploaded evidence: PNG thumbnails of photos, scans
// and PDFs, and full pages of a PDF for the side-by-side review screen.
//
// Inputs are untrusted. Image dimensions are checked against a pixel budget
// from the header, before any pixel is decoded, so a small file declaring a
// huge image is refused cheaply; corrupt files come back as a Status. JPEGs
// are decoded at a reduced scale when the target is small, and their EXIF
// orientation is applied. PNGs are decoded at full size (at most
// max_source_pixels * 4 bytes while a thumbnail is made).
//
// Thread safety: every function opens its own decoder state; calls on
// different threads are independent. PDF rendering is CPU-bound and can be
// slow on hostile files: run it off the request thread with a time budget.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/status.h"
#include "evidence/files/content_type.h"

namespace cairn {

struct RenderedImage {
  std::string png;  // encoded PNG
  int width = 0;
  int height = 0;
};

struct PreviewLimits {
  std::uint64_t max_source_pixels = 50'000'000;  // declared width * height of an image
};

inline constexpr int kThumbnailEdge = 320;
inline constexpr int kPageEdge = 1600;

// A PNG that fits in max_edge x max_edge (aspect kept, never enlarged) for a
// PNG, JPEG or PDF (first page) whose type came from DetectContentType.
// Errors: kFailedPrecondition "no preview for image/heic" for types without a
// decoder here (GIF, WebP, HEIC, office documents, text: show an icon);
// kInvalidArgument for corrupt or oversized input ("image is 10000x10000
// pixels; the limit is 50 megapixels"), for a password-protected PDF, or for
// max_edge outside 16..4096.
Result<RenderedImage> MakeThumbnail(const std::filesystem::path& path, const ContentType& type,
                                    int max_edge = kThumbnailEdge,
                                    const PreviewLimits& limits = {});

// Number of pages of a PDF. Errors: kInvalidArgument if it cannot be opened.
Result<int> PdfPageCount(const std::filesystem::path& path);

// Page `page_index` (0-based) of a PDF rendered on white to fit in
// max_edge x max_edge. Errors: kInvalidArgument for a page out of range, a
// corrupt or protected PDF, or max_edge outside 16..4096.
Result<RenderedImage> RenderPdfPage(const std::filesystem::path& path, int page_index,
                                    int max_edge = kPageEdge);

}  // namespace cairn
