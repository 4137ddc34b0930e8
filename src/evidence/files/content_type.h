// What an uploaded file is, decided from its bytes and never from its name or
// the browser's Content-Type. Only types a portfolio needs are accepted:
// images, PDF, office documents and plain UTF-8 text. Executables, plain zip
// archives and scriptable markup (HTML, SVG, XML) are refused, as is anything
// unrecognised.
//
// Office documents are zip files, so detection looks inside them (entry names
// only; nested archives are never expanded). Because a small zip can expand to
// gigabytes, every entry is decompressed into a fixed buffer and counted
// against ArchiveLimits; the declared sizes in the headers are not trusted.
//
// Functions are reentrant; they keep no state between calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn {

enum class ContentKind {
  kImage,     // PNG, JPEG, GIF, WebP, HEIC/HEIF
  kPdf,       //
  kDocument,  // DOCX/XLSX/PPTX, ODT/ODS/ODP
  kText,      // UTF-8 without NULs
};

struct ContentType {
  std::string mime;       // "image/png"
  std::string extension;  // "png", without the dot
  ContentKind kind = ContentKind::kText;

  bool operator==(const ContentType&) const = default;
};

// Zip-bomb limits for office documents.
struct ArchiveLimits {
  std::size_t max_entries = 10'000;
  std::uint64_t max_total_uncompressed = 200ull << 20;  // 200 MB
  // Per entry: uncompressed bytes / compressed bytes. Checked once an entry
  // has produced more than `ratio_grace_bytes`, so tiny, very repetitive XML
  // parts do not trip it. Deflate tops out near 1032:1; real office parts
  // stay far below 100:1.
  double max_entry_ratio = 100.0;
  std::uint64_t ratio_grace_bytes = 1u << 20;
};

// Detects the type of the file at `path` (reads it; for text, all of it).
// Errors:
//  - kInvalidArgument with a message for the user, e.g. "executable files are
//    not accepted", "zip archives are not accepted; upload the files
//    themselves", "archive expands beyond 200 MB", "file type not recognised";
//  - kInternal when the file cannot be read.
Result<ContentType> DetectContentType(const std::filesystem::path& path,
                                      const ArchiveLimits& limits = {});

// The same for bytes already in memory (tests, small inline uploads).
Result<ContentType> DetectContentTypeOfBytes(std::string_view bytes,
                                             const ArchiveLimits& limits = {});

std::string_view ContentKindName(ContentKind kind);  // "image", "pdf", "document", "text"

}  // namespace cairn
