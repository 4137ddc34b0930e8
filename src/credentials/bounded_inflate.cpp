#include "credentials/bounded_inflate.h"

#include <zlib.h>

#include <algorithm>
#include <array>

namespace cairn::credentials {
namespace {

int WindowBits(CompressionFormat format) {
  return format == CompressionFormat::kGzip ? 15 + 16 : 15;  // +16: gzip wrapper only
}

const char* FormatName(CompressionFormat format) {
  return format == CompressionFormat::kGzip ? "gzip" : "zlib";
}

}  // namespace

Result<std::string> Decompress(std::string_view data, CompressionFormat format,
                               std::size_t max_output) {
  z_stream stream{};
  if (inflateInit2(&stream, WindowBits(format)) != Z_OK) {
    return Status::Internal("inflateInit2 failed");
  }
  std::string out;
  std::array<unsigned char, 16384> buffer{};
  std::size_t consumed = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (stream.avail_in == 0 && consumed < data.size()) {
      std::size_t take = std::min<std::size_t>(data.size() - consumed, 1u << 20);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
      stream.avail_in = static_cast<uInt>(take);
      consumed += take;
    }
    stream.next_out = buffer.data();
    stream.avail_out = static_cast<uInt>(buffer.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      inflateEnd(&stream);
      return Status::Invalid(std::string(FormatName(format)) + " data is corrupt" +
                             (stream.msg ? std::string(": ") + stream.msg : std::string()));
    }
    std::size_t produced = buffer.size() - stream.avail_out;
    if (produced > max_output - out.size()) {
      inflateEnd(&stream);
      return Status::Invalid(std::string(FormatName(format)) + " data decompresses to more than " +
                             std::to_string(max_output) + " bytes");
    }
    out.append(reinterpret_cast<const char*>(buffer.data()), produced);
    if (rc == Z_BUF_ERROR && produced == 0 && stream.avail_in == 0 && consumed == data.size()) {
      inflateEnd(&stream);
      return Status::Invalid(std::string(FormatName(format)) + " data is truncated");
    }
  }
  bool trailing = stream.avail_in != 0 || consumed != data.size();
  inflateEnd(&stream);
  if (trailing) {
    return Status::Invalid(std::string(FormatName(format)) + " data has trailing bytes");
  }
  return out;
}

Result<std::string> Compress(std::string_view data, CompressionFormat format) {
  if (data.size() > (1u << 30)) return Status::Invalid("data too large to compress in one call");
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, WindowBits(format), 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&stream, Z_FINISH);
  std::size_t written = out.size() - stream.avail_out;
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) return Status::Internal("deflate did not finish");
  out.resize(written);
  return out;
}

}  // namespace cairn::credentials
