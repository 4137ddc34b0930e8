// Upload type detection from content (evidence/files/content_type.h), with
// the default zip-bomb limits. Whatever the bytes, the answer is a type or a
// Status; an accepted type is one of the documented ones; executables,
// scripts and markup are never accepted; "text" is UTF-8 without NUL or
// other control bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "evidence/files/content_type.h"
#include "fuzz_check.h"

namespace {

using cairn::fuzz::Check;

bool ValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07u;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    const std::uint32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (code < smallest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return lower;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = cairn::fuzz::AsText(data, size);
  const auto type = cairn::DetectContentTypeOfBytes(bytes);
  if (!type.ok()) {
    Check(type.status().code() == cairn::StatusCode::kInvalidArgument,
          "refusal is not kInvalidArgument");
    Check(!type.status().message().empty(), "refusal without a message");
    return 0;
  }
  Check(!bytes.empty(), "an empty file was accepted");
  Check(!type->mime.empty() && !type->extension.empty(), "type without mime or extension");
  Check(cairn::ContentKindName(type->kind) != "unknown", "unknown kind");
  Check(!bytes.starts_with("\x7f"
                           "ELF") &&
            !bytes.starts_with("#!"),
        "an executable was accepted");
  switch (type->kind) {
    case cairn::ContentKind::kImage:
      Check(type->mime.starts_with("image/"), "image kind with another mime type");
      Check(type->mime != "image/svg+xml", "SVG accepted as an image");
      break;
    case cairn::ContentKind::kPdf:
      Check(type->mime == "application/pdf" && bytes.starts_with("%PDF-"), "PDF without %PDF-");
      break;
    case cairn::ContentKind::kDocument:
      Check(bytes.starts_with("PK\x03\x04"), "document that is not a zip");
      break;
    case cairn::ContentKind::kText: {
      Check(type->mime == "text/plain", "text kind with another mime type");
      Check(ValidUtf8(bytes), "text that is not UTF-8");
      const bool controls = std::any_of(bytes.begin(), bytes.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || byte == 0x7f;
      });
      Check(!controls, "text with NUL or control bytes");
      const std::string head = Lower(bytes.substr(0, 1024));
      for (std::string_view marker : {"<html", "<svg", "<script", "<?xml", "<!doctype"}) {
        Check(head.find(marker) == std::string::npos, "markup accepted as text");
      }
      break;
    }
  }
  return 0;
}
