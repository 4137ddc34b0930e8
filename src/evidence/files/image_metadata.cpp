#include "evidence/files/image_metadata.h"

#include <array>
#include <cstdint>

namespace cairn {

namespace {

unsigned Byte(std::string_view bytes, std::size_t at) {
  return static_cast<unsigned char>(bytes[at]);
}

// The Orientation tag (0x0112) of an APP1 "Exif" segment's IFD0, or 0.
unsigned ExifOrientation(std::string_view payload) {
  if (payload.size() < 14 || payload.substr(0, 6) != std::string_view("Exif\0\0", 6)) return 0;
  const std::string_view tiff = payload.substr(6);
  const bool little = tiff[0] == 'I' && tiff[1] == 'I';
  if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return 0;
  auto read = [&](std::size_t at, int n) -> std::uint32_t {
    std::uint32_t v = 0;
    for (int i = 0; i < n; ++i) {
      const unsigned b = Byte(tiff, at + static_cast<std::size_t>(little ? n - 1 - i : i));
      v = (v << 8) | b;
    }
    return v;
  };
  const std::uint32_t ifd = read(4, 4);
  if (ifd < 8 || ifd + 2 > tiff.size()) return 0;
  const std::uint32_t count = read(ifd, 2);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t entry = ifd + 2 + std::size_t{i} * 12;
    if (entry + 12 > tiff.size()) break;
    if (read(entry, 2) != 0x0112) continue;
    const std::uint32_t value = read(entry + 8, 2);
    return value >= 1 && value <= 8 ? value : 0;
  }
  return 0;
}

// An APP1 segment holding nothing but the Orientation tag: how the stored
// pixels are turned for display is not personal, and phones rely on it.
std::string OrientationOnlyExif(unsigned orientation) {
  const unsigned char segment[] = {0xFF, 0xE1,
                                   0x00, 0x22,  // APP1, length 34
                                   'E',  'x',
                                   'i',  'f',
                                   0x00, 0x00,  // "Exif\0\0"
                                   'M',  'M',
                                   0x00, 0x2A,
                                   0x00, 0x00,
                                   0x00, 0x08,  // big-endian TIFF, IFD0 at 8
                                   0x00, 0x01,  // one entry
                                   0x01, 0x12,
                                   0x00, 0x03,
                                   0x00, 0x00,
                                   0x00, 0x01,  // Orientation, SHORT, 1 value
                                   0x00, static_cast<unsigned char>(orientation),
                                   0x00, 0x00,  // the value
                                   0x00, 0x00,
                                   0x00, 0x00};  // no next IFD
  return std::string(reinterpret_cast<const char*>(segment), sizeof segment);
}

Result<std::string> StripJpeg(std::string_view in) {
  if (in.size() < 4 || Byte(in, 0) != 0xFF || Byte(in, 1) != 0xD8) {
    return Status::Invalid("not a JPEG file");
  }
  std::string out(in.substr(0, 2));  // SOI
  std::size_t at = 2;
  while (at < in.size()) {
    if (Byte(in, at) != 0xFF)
      return Status::Invalid("JPEG: marker expected at byte " + std::to_string(at));
    // Fill bytes (0xFF repeated) may precede a marker.
    std::size_t marker_at = at;
    while (marker_at + 1 < in.size() && Byte(in, marker_at + 1) == 0xFF) ++marker_at;
    if (marker_at + 1 >= in.size()) return Status::Invalid("JPEG: truncated");
    const unsigned marker = Byte(in, marker_at + 1);
    // Markers without a length.
    if (marker == 0xD9 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      out.append(in.substr(marker_at, 2));
      at = marker_at + 2;
      if (marker == 0xD9) return out;  // EOI
      continue;
    }
    if (marker_at + 4 > in.size()) return Status::Invalid("JPEG: truncated segment");
    const std::size_t length = (Byte(in, marker_at + 2) << 8) | Byte(in, marker_at + 3);
    if (length < 2 || marker_at + 2 + length > in.size()) {
      return Status::Invalid("JPEG: segment runs past the end at byte " +
                             std::to_string(marker_at));
    }
    const std::string_view segment = in.substr(marker_at, 2 + length);
    if (marker == 0xDA) {
      // Start of scan: the entropy-coded data and everything after it is
      // pixels (and, rarely, trailing bytes): copied as they are.
      out.append(in.substr(marker_at));
      return out;
    }
    const bool metadata =
        marker == 0xE1 || (marker >= 0xE3 && marker <= 0xED) || marker == 0xEF || marker == 0xFE;
    if (!metadata) {
      out.append(segment);
    } else if (marker == 0xE1) {
      if (unsigned orientation = ExifOrientation(segment.substr(4)); orientation > 1) {
        out += OrientationOnlyExif(orientation);
      }
    }
    at = marker_at + 2 + length;
  }
  return Status::Invalid("JPEG: no image data");
}

Result<std::string> StripPng(std::string_view in) {
  static constexpr std::array<unsigned char, 8> kSignature = {0x89, 'P',  'N',  'G',
                                                              '\r', '\n', 0x1A, '\n'};
  if (in.size() < 8) return Status::Invalid("not a PNG file");
  for (std::size_t i = 0; i < 8; ++i) {
    if (Byte(in, i) != kSignature[i]) return Status::Invalid("not a PNG file");
  }
  std::string out(in.substr(0, 8));
  std::size_t at = 8;
  while (at < in.size()) {
    if (at + 12 > in.size())
      return Status::Invalid("PNG: truncated chunk at byte " + std::to_string(at));
    const std::uint64_t length = (std::uint64_t{Byte(in, at)} << 24) | (Byte(in, at + 1) << 16) |
                                 (Byte(in, at + 2) << 8) | Byte(in, at + 3);
    if (length > in.size() - at - 12) {
      return Status::Invalid("PNG: chunk runs past the end at byte " + std::to_string(at));
    }
    const std::string_view type = in.substr(at + 4, 4);
    const std::size_t total = 12 + static_cast<std::size_t>(length);
    const bool metadata =
        type == "eXIf" || type == "tEXt" || type == "zTXt" || type == "iTXt" || type == "tIME";
    if (!metadata) out.append(in.substr(at, total));
    at += total;
    if (type == "IEND") return out;
  }
  return Status::Invalid("PNG: no IEND chunk");
}

}  // namespace

Result<std::string> StripImageMetadata(std::string_view bytes, std::string_view mime) {
  if (mime == "image/jpeg") return StripJpeg(bytes);
  if (mime == "image/png") return StripPng(bytes);
  return std::string(bytes);
}

}  // namespace cairn
