// zlib/gzip compression with a hard cap on the decompressed size, so a few
// hostile bytes (a "zip bomb") cannot make us allocate gigabytes. Used for PNG
// text chunks (zlib) and Bitstring Status Lists (gzip). Pure functions, safe
// from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::credentials {

enum class CompressionFormat {
  kZlib,  // RFC 1950, as in PNG zTXt/iTXt
  kGzip,  // RFC 1952, as in Bitstring Status List encodedList
};

// Decompresses exactly one complete stream. kInvalidArgument when the data is
// corrupt, truncated, followed by trailing bytes, or would exceed
// `max_output` bytes (checked while inflating, before allocating more).
Result<std::string> Decompress(std::string_view data, CompressionFormat format,
                               std::size_t max_output);

// Maximum compression; the output depends only on the input (gzip header with
// mtime 0, no file name), so the same list encodes to the same string.
Result<std::string> Compress(std::string_view data, CompressionFormat format);

}  // namespace cairn::credentials
