// An incremental multipart/form-data parser (RFC 7578, RFC 2046 section 5.1).
// The body is fed in chunks of any size as it arrives from the socket; file
// parts stream to a sink chunk by chunk, so an upload can go straight into a
// BlobWriter without being buffered. Memory is bounded by the limits below,
// whatever the body size.
//
// Parts with a filename are "files" and stream through OnFileBegin /
// OnFileData / OnFileEnd; parts without are "fields", collected (up to
// max_field_bytes) and delivered whole to OnField.
//
// Thread safety: a parser is used by one thread at a time; it holds a
// reference to its sink, which must outlive it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn {

struct MultipartPartHeaders {
  std::string name;                     // Content-Disposition name
  std::optional<std::string> filename;  // filename* (RFC 5987, UTF-8) wins over filename
  std::string content_type;             // "text/plain" when absent
  int index = 0;                        // 1-based position in the body
};

// Receives the parsed body. Any non-OK Status aborts parsing: Feed returns it
// unchanged, and the parser stays failed.
class MultipartSink {
 public:
  virtual ~MultipartSink() = default;
  virtual Status OnField(const MultipartPartHeaders& part, std::string value) = 0;
  virtual Status OnFileBegin(const MultipartPartHeaders& part) = 0;
  virtual Status OnFileData(std::string_view data) = 0;
  virtual Status OnFileEnd() = 0;
};

struct MultipartLimits {
  std::size_t max_header_bytes = 8 * 1024;  // all headers of one part
  int max_parts = 64;
  std::size_t max_field_bytes = 64 * 1024;  // one non-file field's value
};

class MultipartParser {
 public:
  // `boundary` without the leading "--" (as in the Content-Type header).
  MultipartParser(std::string boundary, MultipartSink& sink, MultipartLimits limits = {});

  // Parses the next chunk. Errors (kInvalidArgument) name the part:
  // "part 2: missing Content-Disposition", "part 3: field 'note' exceeds
  // 65536 bytes", "more than 64 parts"; sink errors pass through.
  Status Feed(std::string_view chunk);

  // Call at the end of the body: kInvalidArgument "body ended before closing
  // boundary" unless the closing delimiter was seen.
  Status Finish();

  // Bytes held internally now, and the most ever held: at most one slice
  // (64 KiB) plus max_header_bytes plus the delimiter length.
  std::size_t buffered_bytes() const { return buffer_.size(); }
  std::size_t max_buffered_bytes() const { return max_buffered_; }

 private:
  enum class State { kPreamble, kAfterDelimiter, kHeaders, kBody, kEpilogue, kFailed };

  Status Process(bool& progressed);
  Status ProcessPreamble(bool& progressed);
  Status ProcessAfterDelimiter(bool& progressed);
  Status ProcessHeaders(bool& progressed);
  Status ProcessBody(bool& progressed);
  Status EmitBody(std::string_view data);
  Status EndPart();
  Status Fail(Status status);
  std::string PartPrefix() const;

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartSink& sink_;
  MultipartLimits limits_;
  State state_ = State::kPreamble;
  Status failure_;
  std::string buffer_;
  std::size_t max_buffered_ = 0;
  int parts_ = 0;
  MultipartPartHeaders current_;
  bool current_is_file_ = false;
  std::string field_value_;
};

// The boundary parameter of a Content-Type header value such as
// `multipart/form-data; boundary="abc def"`. Errors: not multipart/form-data,
// no boundary, or a boundary that is empty, longer than 70 characters or
// holds characters RFC 2046 does not allow.
Result<std::string> MultipartBoundary(std::string_view content_type);

}  // namespace cairn
