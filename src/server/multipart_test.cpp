#include "server/multipart.h"

#include <gtest/gtest.h>

#include <vector>

#include "evidence/files/blob_store.h"
#include "evidence/files/test_fixtures.h"

namespace cairn {
namespace {

using namespace std::string_literals;

// Records what the parser reports, as comparable lines.
class RecordingSink : public MultipartSink {
 public:
  Status OnField(const MultipartPartHeaders& part, std::string value) override {
    events.push_back("field #" + std::to_string(part.index) + " " + part.name + "=" + value);
    return Status::Ok();
  }
  Status OnFileBegin(const MultipartPartHeaders& part) override {
    events.push_back("file #" + std::to_string(part.index) + " " + part.name + " '" +
                     *part.filename + "' " + part.content_type);
    data.clear();
    return Status::Ok();
  }
  Status OnFileData(std::string_view chunk) override {
    data.append(chunk);
    return Status::Ok();
  }
  Status OnFileEnd() override {
    events.push_back("data " + data);
    return Status::Ok();
  }

  std::vector<std::string> events;
  std::string data;
};

// Counts file bytes without keeping them.
class CountingSink : public MultipartSink {
 public:
  Status OnField(const MultipartPartHeaders&, std::string) override { return Status::Ok(); }
  Status OnFileBegin(const MultipartPartHeaders&) override { return Status::Ok(); }
  Status OnFileData(std::string_view chunk) override {
    bytes += chunk.size();
    for (char c : chunk) checksum = checksum * 31 + static_cast<unsigned char>(c);
    return Status::Ok();
  }
  Status OnFileEnd() override {
    ++files;
    return Status::Ok();
  }
  std::uint64_t bytes = 0;
  std::uint64_t checksum = 0;
  int files = 0;
};

const std::string kBoundary = "----cairnXyZ";

// Preamble, a field, a file whose bytes include near-misses of the
// delimiter, a file named with filename*, an empty field, and an epilogue.
const std::string kBody =
    "preamble to ignore\r\n"
    "------cairnXyZ\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "My lab report\r\n"
    "------cairnXyZ  \r\n"  // transport padding after the boundary
    "content-disposition: FORM-DATA; name=\"file\"; filename=\"C:\\Users\\ana\\report.pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    "%PDF\r\n-\r\n--\r\n------cairnXy\r\n----cairnXyZ\0\x01\xff\r\n\r\n"
    "\r\n------cairnXyZ\r\n"
    "Content-Disposition: form-data; name=\"photo\"; filename=\"x.jpg\"; "
    "filename*=UTF-8''%C3%A9t%C3%A9.jpg\r\n"
    "Content-Type: image/jpeg\r\n"
    "\r\n"
    "JPEGDATA\r\n"
    "------cairnXyZ\r\n"
    "Content-Disposition: form-data; name=\"empty\"\r\n"
    "\r\n"
    "\r\n"
    "------cairnXyZ--\r\n"
    "epilogue to ignore\r\n"s;

const std::vector<std::string> kExpected = {
    "field #1 title=My lab report",
    "file #2 file 'C:\\Users\\ana\\report.pdf' application/pdf",
    "data %PDF\r\n-\r\n--\r\n------cairnXy\r\n----cairnXyZ\0\x01\xff\r\n\r\n"s,
    "file #3 photo 'été.jpg' image/jpeg",
    "data JPEGDATA",
    "field #4 empty=",
};

TEST(MultipartTest, ParsesWholeBody) {
  RecordingSink sink;
  MultipartParser parser(kBoundary, sink);
  ASSERT_TRUE(parser.Feed(kBody).ok());
  ASSERT_TRUE(parser.Finish().ok());
  EXPECT_EQ(sink.events, kExpected);
}

TEST(MultipartTest, EverySplitPointGivesTheSameResult) {
  for (std::size_t split = 0; split <= kBody.size(); ++split) {
    RecordingSink sink;
    MultipartParser parser(kBoundary, sink);
    ASSERT_TRUE(parser.Feed(std::string_view(kBody).substr(0, split)).ok()) << split;
    ASSERT_TRUE(parser.Feed(std::string_view(kBody).substr(split)).ok()) << split;
    ASSERT_TRUE(parser.Finish().ok()) << split;
    ASSERT_EQ(sink.events, kExpected) << "split at " << split;
  }
}

TEST(MultipartTest, ByteByByte) {
  RecordingSink sink;
  MultipartParser parser(kBoundary, sink);
  for (char c : kBody) ASSERT_TRUE(parser.Feed(std::string_view(&c, 1)).ok());
  ASSERT_TRUE(parser.Finish().ok());
  EXPECT_EQ(sink.events, kExpected);
}

// Found by fuzz/multipart_fuzzer (fuzz/crashes/multipart/): a header block
// of exactly max_header_bytes was accepted when its blank line arrived with
// it, and refused when it arrived in smaller pieces.
TEST(MultipartTest, HeaderLimitDoesNotDependOnChunking) {
  MultipartLimits limits;
  limits.max_header_bytes = 64;
  const std::string headers =
      "Content-Disposition: form-data; name=\"" + std::string(25, 'n') + "\"";
  ASSERT_EQ(headers.size(), 64u);
  const std::string body = "--b\r\n" + headers + "\r\n\r\nv\r\n--b--";
  for (std::size_t split = 0; split <= body.size(); ++split) {
    RecordingSink sink;
    MultipartParser parser("b", sink, limits);
    ASSERT_TRUE(parser.Feed(std::string_view(body).substr(0, split)).ok()) << split;
    ASSERT_TRUE(parser.Feed(std::string_view(body).substr(split)).ok()) << split;
    ASSERT_TRUE(parser.Finish().ok()) << split;
    ASSERT_EQ(sink.events, std::vector<std::string>{"field #1 " + std::string(25, 'n') + "=v"});
  }
}

TEST(MultipartTest, BodyWithoutPreambleOrEpilogue) {
  RecordingSink sink;
  MultipartParser parser("b", sink);
  ASSERT_TRUE(parser
                  .Feed("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
                        "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
                        "\r\n\r\n--b--")
                  .ok());
  ASSERT_TRUE(parser.Finish().ok());
  EXPECT_EQ(sink.events,
            (std::vector<std::string>{"field #1 a=1", "file #2 f '' text/plain", "data "}));
}

TEST(MultipartTest, FiftyMegabyteFileStreamsWithFlatMemory) {
  CountingSink sink;
  MultipartParser parser(kBoundary, sink);
  ASSERT_TRUE(parser
                  .Feed("------cairnXyZ\r\nContent-Disposition: form-data; name=\"file\"; "
                        "filename=\"video-essay.bin\"\r\nContent-Type: "
                        "application/octet-stream\r\n\r\n")
                  .ok());
  // Data with frequent delimiter near-misses, fed in chunks of varied sizes.
  std::string block;
  for (int i = 0; block.size() < (1u << 20); ++i) {
    block += "chunk " + std::to_string(i) + " \r\n------cairnXy\r\n-";
  }
  block.resize(1u << 20);
  constexpr std::uint64_t kTotal = 50ull << 20;
  std::uint64_t expected_checksum = 0;
  std::uint64_t sent = 0;
  std::size_t step = 1;
  while (sent < kTotal) {
    const std::size_t size = std::min<std::uint64_t>({step, kTotal - sent, block.size()});
    const std::string_view chunk = std::string_view(block).substr(0, size);
    for (char c : chunk) expected_checksum = expected_checksum * 31 + static_cast<unsigned char>(c);
    ASSERT_TRUE(parser.Feed(chunk).ok());
    sent += size;
    step = step * 7 % (block.size() + 13) + 1;  // 1 byte up to 1 MiB
  }
  ASSERT_TRUE(parser.Feed("\r\n------cairnXyZ--\r\n").ok());
  ASSERT_TRUE(parser.Finish().ok());
  EXPECT_EQ(sink.files, 1);
  EXPECT_EQ(sink.bytes, kTotal);
  EXPECT_EQ(sink.checksum, expected_checksum);
  const MultipartLimits limits;
  EXPECT_LE(parser.max_buffered_bytes(), 64u * 1024 + limits.max_header_bytes + 64);
}

// How an upload handler wires the parser to storage: each file part goes
// straight into a BlobWriter, whose size limit stops the upload early.
class BlobSink : public MultipartSink {
 public:
  explicit BlobSink(const BlobStore& store) : store_(store) {}
  Status OnField(const MultipartPartHeaders&, std::string) override { return Status::Ok(); }
  Status OnFileBegin(const MultipartPartHeaders&) override {
    CAIRN_ASSIGN_OR_RETURN(BlobWriter writer, store_.BeginWrite(1 << 20));
    writer_.emplace(std::move(writer));
    return Status::Ok();
  }
  Status OnFileData(std::string_view chunk) override { return writer_->Append(chunk); }
  Status OnFileEnd() override {
    CAIRN_ASSIGN_OR_RETURN(BlobRef ref, writer_->Commit());
    refs.push_back(ref);
    writer_.reset();
    return Status::Ok();
  }
  std::vector<BlobRef> refs;

 private:
  const BlobStore& store_;
  std::optional<BlobWriter> writer_;
};

TEST(MultipartTest, FilePartsStreamIntoBlobStore) {
  testing::ScratchDir dir;
  BlobStore store(dir.path());
  {
    BlobSink sink(store);
    MultipartParser parser("b", sink);
    ASSERT_TRUE(
        parser
            .Feed("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
                  "\r\nabc\r\n--b--\r\n")
            .ok());
    ASSERT_TRUE(parser.Finish().ok());
    ASSERT_EQ(sink.refs.size(), 1u);
    EXPECT_EQ(sink.refs[0].sha256,
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
  BlobSink sink(store);
  MultipartParser parser("b", sink);
  const Status status =
      parser.Feed("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big\"\r\n\r\n" +
                  std::string(2 << 20, 'x'));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "file exceeds the 1048576-byte limit");
  EXPECT_TRUE(std::filesystem::is_empty(dir / "tmp"));
}

Status ParseAll(std::string_view body, MultipartLimits limits = {}) {
  RecordingSink sink;
  MultipartParser parser("b", sink, limits);
  CAIRN_RETURN_IF_ERROR(parser.Feed(body));
  return parser.Finish();
}

void ExpectError(const Status& status, std::string_view message) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), message);
}

TEST(MultipartTest, Errors) {
  const std::string field = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n";
  ExpectError(ParseAll(field + "--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--"),
              "part 2: missing Content-Disposition");
  ExpectError(ParseAll(field + "--b\r\n\r\nv\r\n--b--"), "part 2: missing Content-Disposition");
  ExpectError(ParseAll(field), "body ended before closing boundary");
  ExpectError(ParseAll(""), "body ended before closing boundary");
  ExpectError(ParseAll("--b\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nv\r\n--b--"),
              "part 1: Content-Disposition has no name");
  ExpectError(ParseAll("--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nv\r\n--b--"),
              "part 1: Content-Disposition is not form-data");
  ExpectError(ParseAll("--b\r\nno colon here\r\n\r\nv\r\n--b--"), "part 1: malformed header line");
  ExpectError(ParseAll(field + "--bX\r\n"), "part 2: boundary followed by unexpected bytes");

  MultipartLimits limits;
  limits.max_header_bytes = 64;
  ExpectError(ParseAll("--b\r\nContent-Disposition: form-data; name=\"" + std::string(100, 'n') +
                           "\"\r\n\r\nv\r\n--b--",
                       limits),
              "part 1: headers exceed 64 bytes");
  limits = {};
  limits.max_parts = 2;
  ExpectError(ParseAll(field + field + field + "--b--", limits), "more than 2 parts");
  limits = {};
  limits.max_field_bytes = 16;
  ExpectError(ParseAll("--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n" +
                           std::string(17, 'x') + "\r\n--b--",
                       limits),
              "part 1: field 'note' exceeds 16 bytes");
}

TEST(MultipartTest, ErrorsAreStickyAndSinkErrorsPassThrough) {
  class RefusingSink : public RecordingSink {
   public:
    Status OnFileData(std::string_view) override { return Status::Invalid("file too large"); }
  };
  RefusingSink sink;
  MultipartParser parser("b", sink);
  const Status status =
      parser.Feed("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n" +
                  std::string(100, 'x'));
  ExpectError(status, "file too large");
  ExpectError(parser.Feed("more"), "file too large");
  ExpectError(parser.Finish(), "file too large");
}

TEST(MultipartTest, BoundaryFromContentType) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk"),
            "----WebKitFormBoundary7MA4YWxk");
  EXPECT_EQ(*MultipartBoundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\""), "a b:c");
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"quoted\\\"q\"").ok());
  auto not_multipart = MultipartBoundary("application/json");
  ASSERT_FALSE(not_multipart.ok());
  EXPECT_EQ(not_multipart.status().message(), "Content-Type is not multipart/form-data");
  auto missing = MultipartBoundary("multipart/form-data");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "multipart/form-data Content-Type has no boundary");
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'a')).ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"bad\r\nheader\"").ok());
}

}  // namespace
}  // namespace cairn
