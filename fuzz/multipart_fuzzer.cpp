// multipart/form-data uploads: the first line of the input is the request's
// Content-Type value (MultipartBoundary), the rest is the body. The body is
// parsed twice, whole and in chunks of 1 to 7 bytes, and both must report
// the same parts, the same bytes and the same verdict; memory stays within
// the documented bound. A Content-Type written with a capital 'M' picks
// small limits, so the limit paths are reached with small inputs.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "server/multipart.h"

namespace {

using cairn::fuzz::Check;

// Records everything the parser reports, file data joined per file.
class RecordingSink : public cairn::MultipartSink {
 public:
  cairn::Status OnField(const cairn::MultipartPartHeaders& part, std::string value) override {
    Check(!in_file_, "field inside a file part");
    Check(!part.filename.has_value(), "field with a filename");
    events_.push_back("field " + Describe(part) + " = " + value);
    return cairn::Status::Ok();
  }
  cairn::Status OnFileBegin(const cairn::MultipartPartHeaders& part) override {
    Check(!in_file_, "file begins inside a file");
    Check(part.filename.has_value(), "file without a filename");
    in_file_ = true;
    events_.push_back("file " + Describe(part) + " = ");
    return cairn::Status::Ok();
  }
  cairn::Status OnFileData(std::string_view data) override {
    Check(in_file_, "file data outside a file");
    Check(!data.empty(), "empty file data");
    events_.back().append(data);
    return cairn::Status::Ok();
  }
  cairn::Status OnFileEnd() override {
    Check(in_file_, "file ends outside a file");
    in_file_ = false;
    events_.push_back("end");
    return cairn::Status::Ok();
  }
  const std::vector<std::string>& events() const { return events_; }

 private:
  static std::string Describe(const cairn::MultipartPartHeaders& part) {
    return std::to_string(part.index) + " [" + part.name + "] [" + part.filename.value_or("-") +
           "] [" + part.content_type + "]";
  }
  std::vector<std::string> events_;
  bool in_file_ = false;
};

struct Outcome {
  std::vector<std::string> events;
  cairn::Status status;
};

Outcome Parse(const std::string& boundary, std::string_view body,
              const cairn::MultipartLimits& limits, std::size_t max_chunk) {
  RecordingSink sink;
  cairn::MultipartParser parser(boundary, sink, limits);
  cairn::Status status;
  std::size_t step = 0;
  while (!body.empty() && status.ok()) {
    const std::size_t take =
        std::min(body.size(), max_chunk == 0 ? body.size() : 1 + step % max_chunk);
    status = parser.Feed(body.substr(0, take));
    body.remove_prefix(take);
    ++step;
    // One slice (64 KiB) + the headers of one part + the delimiter.
    Check(parser.max_buffered_bytes() <= 64 * 1024 + limits.max_header_bytes + boundary.size() + 4,
          "parser buffered more than its bound");
  }
  if (status.ok()) status = parser.Finish();
  if (!status.ok()) {
    Check(status.code() == cairn::StatusCode::kInvalidArgument, "error is not kInvalidArgument");
    Check(!status.message().empty(), "error without a message");
  }
  return {sink.events(), status};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = cairn::fuzz::AsText(data, size);
  const std::size_t newline = input.find('\n');
  if (newline == std::string_view::npos) {
    (void)cairn::MultipartBoundary(input);
    return 0;
  }
  const auto boundary = cairn::MultipartBoundary(input.substr(0, newline));
  if (!boundary.ok()) return 0;
  Check(!boundary->empty() && boundary->size() <= 70, "boundary length out of range");
  Check(boundary->find_first_of("\r\n\"") == std::string::npos, "boundary holds CR, LF or quote");

  cairn::MultipartLimits limits;
  if (data[0] == 'M') {
    limits.max_header_bytes = 64;
    limits.max_parts = 3;
    limits.max_field_bytes = 16;
  }
  const std::string_view body = input.substr(newline + 1);
  const Outcome whole = Parse(*boundary, body, limits, 0);
  const Outcome chunked = Parse(*boundary, body, limits, 7);
  Check(whole.status.ok() == chunked.status.ok(), "chunking changed the verdict");
  Check(whole.status.message() == chunked.status.message(), "chunking changed the error");
  Check(whole.events == chunked.events, "chunking changed the parts");
  return 0;
}
