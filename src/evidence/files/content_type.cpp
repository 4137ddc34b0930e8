#include "evidence/files/content_type.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <memory>

namespace cairn {
namespace {

constexpr std::size_t kSniffBytes = 4096;
constexpr std::size_t kChunkBytes = 64 * 1024;

// How to read one upload, whether it is a file or bytes in memory.
struct Source {
  std::string head;  // the first kSniffBytes (or fewer)
  // Calls `sink` with successive chunks of the whole content.
  std::function<Status(const std::function<Status(std::string_view)>& sink)> for_each_chunk;
  // archive_read_open_* for libarchive; returns an ARCHIVE_* code.
  std::function<int(archive*)> open_archive;
};

ContentType Type(std::string mime, std::string extension, ContentKind kind) {
  return {std::move(mime), std::move(extension), kind};
}

std::string Megabytes(std::uint64_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MB";
  return std::to_string(bytes) + " bytes";
}

bool StartsWith(std::string_view data, std::string_view prefix) { return data.starts_with(prefix); }

std::uint32_t BigEndian32(std::string_view data, std::size_t pos) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<unsigned char>(data[pos + i]);
  return value;
}

// ISO base media ("ftyp" box): HEIC/HEIF stills; other brands (mp4, mov,
// avif) are not accepted.
Result<ContentType> FromFtyp(std::string_view head) {
  static constexpr std::array<std::string_view, 8> kHeic = {"heic", "heix", "heim", "heis",
                                                            "hevc", "hevx", "hevm", "hevs"};
  static constexpr std::array<std::string_view, 3> kHeif = {"mif1", "msf1", "mif2"};
  auto is_one_of = [](std::string_view brand, auto& brands) {
    return std::find(brands.begin(), brands.end(), brand) != brands.end();
  };
  const std::string_view major = head.substr(8, 4);
  if (is_one_of(major, kHeic)) return Type("image/heic", "heic", ContentKind::kImage);
  bool heif = is_one_of(major, kHeif);
  bool avif = major == "avif" || major == "avis";
  const std::size_t box_end = std::min<std::size_t>(BigEndian32(head, 0), head.size());
  for (std::size_t pos = 16; pos + 4 <= box_end; pos += 4) {
    const std::string_view brand = head.substr(pos, 4);
    if (is_one_of(brand, kHeic) && !avif) return Type("image/heic", "heic", ContentKind::kImage);
    avif = avif || brand == "avif" || brand == "avis";
  }
  if (heif && !avif) return Type("image/heif", "heif", ContentKind::kImage);
  return Status::Invalid("file type not recognised (ISO media brand '" + std::string(major) +
                         "'); images must be PNG, JPEG, GIF, WebP or HEIC");
}

bool IsExecutable(std::string_view head) {
  static constexpr std::array<std::string_view, 8> kMagics = {
      "\x7f"
      "ELF",
      "#!",
      "\xfe\xed\xfa\xce",
      "\xfe\xed\xfa\xcf",
      "\xce\xfa\xed\xfe",
      "\xcf\xfa\xed\xfe",
      "\xca\xfe\xba\xbe",
      std::string_view("\0asm", 4)};
  if (std::any_of(kMagics.begin(), kMagics.end(),
                  [&](std::string_view magic) { return StartsWith(head, magic); })) {
    return true;
  }
  // DOS/Windows "MZ" headers are full of zero bytes; a note that happens to
  // start with "MZ" has none.
  return StartsWith(head, "MZ") && head.substr(0, 64).find('\0') != std::string_view::npos;
}

bool IsOtherArchive(std::string_view head) {
  static constexpr std::array<std::string_view, 5> kMagics = {"\x1f\x8b", "7z\xbc\xaf\x27\x1c",
                                                              "Rar!\x1a\x07", "BZh",
                                                              std::string_view("\xfd"
                                                                               "7zXZ\0",
                                                                               6)};
  return std::any_of(kMagics.begin(), kMagics.end(),
                     [&](std::string_view magic) { return StartsWith(head, magic); });
}

// Browsers sniff markup anywhere near the start, so look at the first KiB.
bool LooksLikeMarkup(std::string_view head) {
  std::string lower(head.substr(0, 1024));
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  static constexpr std::array<std::string_view, 9> kMarkers = {
      "<!doctype", "<html", "<svg", "<?xml", "<script", "<head", "<body", "<iframe", "<?php"};
  return std::any_of(kMarkers.begin(), kMarkers.end(), [&](std::string_view marker) {
    return lower.find(marker) != std::string::npos;
  });
}

// Validates UTF-8 across chunk boundaries, refusing NUL and control bytes
// other than tab, line feed, carriage return and form feed.
class TextValidator {
 public:
  enum class Verdict { kText, kBinary, kNotUtf8 };

  Verdict Feed(std::string_view chunk) {
    for (char c : chunk) {
      const auto byte = static_cast<unsigned char>(c);
      if (remaining_ == 0) {
        if (byte < 0x80) {
          if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r' && byte != '\f') {
            return Verdict::kBinary;
          }
          if (byte == 0x7f) return Verdict::kBinary;
          continue;
        }
        if (!Lead(byte)) return Verdict::kNotUtf8;
        continue;
      }
      if (byte < lower_ || byte > upper_) return Verdict::kNotUtf8;
      lower_ = 0x80;
      upper_ = 0xBF;
      --remaining_;
    }
    return Verdict::kText;
  }
  bool complete() const { return remaining_ == 0; }

 private:
  // Sets the continuation count and the allowed range of the next byte
  // (excluding overlongs, surrogates and code points above U+10FFFF).
  bool Lead(unsigned char byte) {
    lower_ = 0x80;
    upper_ = 0xBF;
    if (byte >= 0xC2 && byte <= 0xDF) {
      remaining_ = 1;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      remaining_ = 2;
      if (byte == 0xE0) lower_ = 0xA0;
      if (byte == 0xED) upper_ = 0x9F;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      remaining_ = 3;
      if (byte == 0xF0) lower_ = 0x90;
      if (byte == 0xF4) upper_ = 0x8F;
    } else {
      return false;
    }
    return true;
  }

  int remaining_ = 0;
  unsigned char lower_ = 0x80;
  unsigned char upper_ = 0xBF;
};

Result<ContentType> DetectText(const Source& source) {
  if (LooksLikeMarkup(source.head)) {
    return Status::Invalid(
        "HTML, SVG and XML files are not accepted (they can carry scripts); upload a PDF or an "
        "image instead");
  }
  TextValidator validator;
  TextValidator::Verdict verdict = TextValidator::Verdict::kText;
  // The sink stops the read at the first bad byte; any other failure is I/O.
  const Status read = source.for_each_chunk([&](std::string_view chunk) {
    verdict = validator.Feed(chunk);
    return verdict == TextValidator::Verdict::kText ? Status::Ok() : Status::Invalid("stop");
  });
  if (!read.ok() && verdict == TextValidator::Verdict::kText) return read;
  if (verdict == TextValidator::Verdict::kText && !validator.complete()) {
    verdict = TextValidator::Verdict::kNotUtf8;
  }
  switch (verdict) {
    case TextValidator::Verdict::kText:
      return Type("text/plain", "txt", ContentKind::kText);
    case TextValidator::Verdict::kNotUtf8:
      return Status::Invalid("text files must be UTF-8; save the file as UTF-8 and upload again");
    case TextValidator::Verdict::kBinary:
      break;
  }
  return Status::Invalid(
      "file type not recognised; upload an image (PNG, JPEG, GIF, WebP, HEIC), a PDF, an office "
      "document or UTF-8 text");
}

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

// What the entries of a zip say about it.
struct ZipFacts {
  bool content_types = false;  // [Content_Types].xml (OOXML)
  bool word = false;
  bool xl = false;
  bool ppt = false;
  bool macros = false;  // vbaProject.bin
  std::string odf_mimetype;
};

Status ArchiveError(archive* reader) {
  const char* detail = archive_error_string(reader);
  return Status::Invalid(std::string("the zip file is corrupt") + (detail ? ": " : "") +
                         (detail ? detail : ""));
}

// Reads every entry through a fixed buffer, counting what it expands to.
Result<ZipFacts> ScanZip(const Source& source, const ArchiveLimits& limits) {
  ArchivePtr reader(archive_read_new(), &archive_read_free);
  if (!reader) return Status::Internal("libarchive: out of memory");
  archive_read_support_format_zip_streamable(reader.get());
  if (source.open_archive(reader.get()) != ARCHIVE_OK) return ArchiveError(reader.get());

  ZipFacts facts;
  std::size_t entries = 0;
  std::uint64_t total = 0;
  std::vector<char> buffer(kChunkBytes);
  const Status too_big =
      Status::Invalid("archive expands beyond " + Megabytes(limits.max_total_uncompressed));
  for (;;) {
    archive_entry* entry = nullptr;
    const int header = archive_read_next_header(reader.get(), &entry);
    if (header == ARCHIVE_EOF) break;
    if (header < ARCHIVE_WARN) return ArchiveError(reader.get());
    if (++entries > limits.max_entries) {
      return Status::Invalid("archive has more than " + std::to_string(limits.max_entries) +
                             " entries");
    }
    const char* raw_name = archive_entry_pathname(entry);
    const std::string name = raw_name ? raw_name : "";
    if (archive_entry_is_encrypted(entry)) {
      return Status::Invalid("encrypted or password-protected documents are not accepted");
    }
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) >= 0 &&
        static_cast<std::uint64_t>(archive_entry_size(entry)) >
            limits.max_total_uncompressed - total) {
      return too_big;
    }
    facts.content_types |= name == "[Content_Types].xml";
    facts.word |= name.starts_with("word/");
    facts.xl |= name.starts_with("xl/");
    facts.ppt |= name.starts_with("ppt/");
    facts.macros |= name.ends_with("vbaProject.bin");
    const bool is_mimetype = name == "mimetype";

    // Nested archives are read as opaque bytes like any entry: never opened.
    const la_int64_t compressed_start = archive_filter_bytes(reader.get(), -1);
    std::uint64_t entry_bytes = 0;
    for (;;) {
      const la_ssize_t got = archive_read_data(reader.get(), buffer.data(), buffer.size());
      if (got < 0) return ArchiveError(reader.get());
      if (got == 0) break;
      const auto bytes = static_cast<std::uint64_t>(got);
      if (is_mimetype && facts.odf_mimetype.size() < 128) {
        facts.odf_mimetype.append(buffer.data(), std::min<std::size_t>(bytes, 128));
      }
      entry_bytes += bytes;
      total += bytes;
      if (total > limits.max_total_uncompressed) return too_big;
      if (entry_bytes > limits.ratio_grace_bytes) {
        const la_int64_t compressed = archive_filter_bytes(reader.get(), -1) - compressed_start;
        const double ratio = static_cast<double>(entry_bytes) /
                             static_cast<double>(std::max<la_int64_t>(compressed, 1));
        if (ratio > limits.max_entry_ratio) {
          return Status::Invalid("archive entry '" + name + "' expands more than " +
                                 std::to_string(static_cast<int>(limits.max_entry_ratio)) +
                                 " times its compressed size (zip bomb?)");
        }
      }
    }
  }
  return facts;
}

Result<ContentType> DetectZip(const Source& source, const ArchiveLimits& limits) {
  CAIRN_ASSIGN_OR_RETURN(ZipFacts facts, ScanZip(source, limits));
  if (facts.macros) {
    return Status::Invalid(
        "office documents with macros are not accepted; save the file without macros");
  }
  if (facts.content_types && facts.word) {
    return Type("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
                ContentKind::kDocument);
  }
  if (facts.content_types && facts.xl) {
    return Type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
                ContentKind::kDocument);
  }
  if (facts.content_types && facts.ppt) {
    return Type("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
                ContentKind::kDocument);
  }
  const std::string& odf = facts.odf_mimetype;
  if (odf == "application/vnd.oasis.opendocument.text") {
    return Type(odf, "odt", ContentKind::kDocument);
  }
  if (odf == "application/vnd.oasis.opendocument.spreadsheet") {
    return Type(odf, "ods", ContentKind::kDocument);
  }
  if (odf == "application/vnd.oasis.opendocument.presentation") {
    return Type(odf, "odp", ContentKind::kDocument);
  }
  return Status::Invalid("zip archives are not accepted; upload the files themselves");
}

Result<ContentType> Detect(const Source& source, const ArchiveLimits& limits) {
  const std::string_view head = source.head;
  if (head.empty()) return Status::Invalid("the file is empty");
  // First: an executable's magic must win over a type sniffed at an offset
  // (ISO media's "ftyp" at byte 4 fits after "\x7fELF" or "#!/b").
  if (IsExecutable(head)) return Status::Invalid("executable files and scripts are not accepted");
  if (StartsWith(head, "\x89PNG\r\n\x1a\n")) return Type("image/png", "png", ContentKind::kImage);
  if (StartsWith(head, "\xff\xd8\xff")) return Type("image/jpeg", "jpg", ContentKind::kImage);
  if (StartsWith(head, "GIF87a") || StartsWith(head, "GIF89a")) {
    return Type("image/gif", "gif", ContentKind::kImage);
  }
  if (head.size() >= 12 && StartsWith(head, "RIFF") && head.substr(8, 4) == "WEBP") {
    return Type("image/webp", "webp", ContentKind::kImage);
  }
  if (head.size() >= 16 && head.substr(4, 4) == "ftyp") return FromFtyp(head);
  if (StartsWith(head, "%PDF-")) return Type("application/pdf", "pdf", ContentKind::kPdf);
  if (StartsWith(head, "PK\x03\x04")) return DetectZip(source, limits);
  if (StartsWith(head, "PK\x05\x06")) {
    return Status::Invalid("zip archives are not accepted; upload the files themselves");
  }
  if (StartsWith(head, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
    return Status::Invalid(
        "old Office formats (.doc, .xls, .ppt) are not accepted; save as .docx, .xlsx, .pptx or "
        "PDF");
  }
  if (IsOtherArchive(head)) {
    return Status::Invalid("compressed archives are not accepted; upload the files themselves");
  }
  return DetectText(source);
}

}  // namespace

Result<ContentType> DetectContentType(const std::filesystem::path& path,
                                      const ArchiveLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Internal("cannot open " + path.string());
  Source source;
  source.head.resize(kSniffBytes);
  in.read(source.head.data(), static_cast<std::streamsize>(kSniffBytes));
  source.head.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return Status::Internal("cannot read " + path.string());
  source.for_each_chunk = [&path](const std::function<Status(std::string_view)>& sink) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return Status::Internal("cannot open " + path.string());
    std::vector<char> buffer(kChunkBytes);
    while (file) {
      file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const auto got = static_cast<std::size_t>(file.gcount());
      if (got == 0) break;
      CAIRN_RETURN_IF_ERROR(sink(std::string_view(buffer.data(), got)));
    }
    if (file.bad()) return Status::Internal("cannot read " + path.string());
    return Status::Ok();
  };
  source.open_archive = [&path](archive* reader) {
    return archive_read_open_filename(reader, path.c_str(), kChunkBytes);
  };
  return Detect(source, limits);
}

Result<ContentType> DetectContentTypeOfBytes(std::string_view bytes, const ArchiveLimits& limits) {
  Source source;
  source.head = std::string(bytes.substr(0, kSniffBytes));
  source.for_each_chunk = [bytes](const std::function<Status(std::string_view)>& sink) {
    return sink(bytes);
  };
  source.open_archive = [bytes](archive* reader) {
    return archive_read_open_memory(reader, bytes.data(), bytes.size());
  };
  return Detect(source, limits);
}

std::string_view ContentKindName(ContentKind kind) {
  switch (kind) {
    case ContentKind::kImage:
      return "image";
    case ContentKind::kPdf:
      return "pdf";
    case ContentKind::kDocument:
      return "document";
    case ContentKind::kText:
      return "text";
  }
  return "unknown";
}

}  // namespace cairn
