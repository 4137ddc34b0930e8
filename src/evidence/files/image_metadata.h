// Removes what a photo says beyond its pixels. A phone photo of homework
// carries EXIF: where it was taken (often the student's home), when, on what
// device; editors add XMP, IPTC and comments. None of it is evidence of
// learning, and all of it is personal data.
//
// JPEG: APP1 (EXIF, XMP), APP3-APP13 and APP15 (IPTC, vendor data) and COM
// segments are dropped; APP0 (JFIF), APP2 (ICC colour profile) and APP14
// (Adobe colour transform) are kept because the pixels' colours depend on
// them; everything from the first SOS on is copied unchanged.
// PNG: eXIf, tEXt, zTXt, iTXt and tIME chunks are dropped; every other chunk
// is copied unchanged (with its CRC).
//
// Pure functions over bytes; an image is at most the upload limit (25 MB).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn {

// The image without its metadata, for "image/jpeg" and "image/png"; other
// types come back unchanged. kInvalidArgument for a truncated or malformed
// file of those types.
Result<std::string> StripImageMetadata(std::string_view bytes, std::string_view mime);

}  // namespace cairn
