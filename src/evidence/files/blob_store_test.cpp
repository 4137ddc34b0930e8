#include "evidence/files/blob_store.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "evidence/files/test_fixtures.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;

// SHA-256("abc"), FIPS 180-2 appendix B.1.
constexpr std::string_view kAbcSha =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

int CountFiles(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  int count = 0;
  for ([[maybe_unused]] const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) ++count;
  }
  return count;
}

std::string ReadBlob(BlobStore& store, std::string_view sha) {
  auto file = store.Open(sha);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  std::string bytes;
  std::vector<std::byte> buffer(7);  // small, to exercise repeated reads
  for (;;) {
    auto got = file->Read(buffer);
    EXPECT_TRUE(got.ok());
    if (*got == 0) break;
    bytes.append(reinterpret_cast<const char*>(buffer.data()), *got);
  }
  return bytes;
}

TEST(BlobStoreTest, CommitsUnderHashInChunks) {
  ScratchDir dir;
  BlobStore store(dir.path());
  auto writer = store.BeginWrite(1024);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE(writer->Append("a").ok());
  ASSERT_TRUE(writer->Append(std::string_view("bc")).ok());
  EXPECT_EQ(writer->size(), 3u);
  auto ref = writer->Commit();
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  EXPECT_EQ(ref->sha256, kAbcSha);
  EXPECT_EQ(ref->size, 3u);
  EXPECT_TRUE(fs::exists(dir / "sha256/ba/78" / std::string(kAbcSha)));
  EXPECT_EQ(CountFiles(dir / "tmp"), 0);
  EXPECT_EQ(ReadBlob(store, kAbcSha), "abc");
  auto path = store.PathOf(kAbcSha);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, dir / "sha256/ba/78" / std::string(kAbcSha));
}

TEST(BlobStoreTest, EmptyBlob) {
  ScratchDir dir;
  BlobStore store(dir.path());
  auto writer = store.BeginWrite(10);
  auto ref = writer->Commit();
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ref->size, 0u);
}

TEST(BlobStoreTest, DeduplicatesIdenticalContent) {
  ScratchDir dir;
  BlobStore store(dir.path());
  for (int i = 0; i < 3; ++i) {
    auto writer = store.BeginWrite(10);
    ASSERT_TRUE(writer->Append("abc").ok());
    auto ref = writer->Commit();
    ASSERT_TRUE(ref.ok());
    EXPECT_EQ(ref->sha256, kAbcSha);
  }
  EXPECT_EQ(CountFiles(dir / "sha256"), 1);
  EXPECT_EQ(CountFiles(dir / "tmp"), 0);
}

// An old orphan that an upload dedupes against must look new to the orphan
// sweep, which keeps blobs younger than its grace period.
TEST(BlobStoreTest, DedupeMakesTheStoredBlobYoung) {
  ScratchDir dir;
  BlobStore store(dir.path());
  auto first = store.BeginWrite(10);
  ASSERT_TRUE(first->Append("abc").ok());
  ASSERT_TRUE(first->Commit().ok());
  const fs::path path = *store.PathOf(kAbcSha);
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(5);
  fs::last_write_time(path, old);
  auto again = store.BeginWrite(10);
  ASSERT_TRUE(again->Append("abc").ok());
  ASSERT_TRUE(again->Commit().ok());
  EXPECT_GT(fs::last_write_time(path), old + std::chrono::hours(4));
}

TEST(BlobStoreTest, RefusesOversizeAndDeletesTempAtOnce) {
  ScratchDir dir;
  BlobStore store(dir.path());
  auto writer = store.BeginWrite(5);
  ASSERT_TRUE(writer->Append("abcd").ok());
  EXPECT_EQ(CountFiles(dir / "tmp"), 1);
  Status over = writer->Append("ef");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(over.message(), "file exceeds the 5-byte limit");
  EXPECT_EQ(CountFiles(dir / "tmp"), 0);  // before the writer is destroyed
  EXPECT_EQ(writer->Append("x").message(), "file exceeds the 5-byte limit");
  EXPECT_FALSE(writer->Commit().ok());
  EXPECT_EQ(CountFiles(dir / "sha256"), 0);
}

TEST(BlobStoreTest, ExactlyMaxBytesIsAccepted) {
  ScratchDir dir;
  BlobStore store(dir.path());
  auto writer = store.BeginWrite(3);
  ASSERT_TRUE(writer->Append("abc").ok());
  EXPECT_TRUE(writer->Commit().ok());
}

TEST(BlobStoreTest, DestroyingUncommittedWriterDeletesTemp) {
  ScratchDir dir;
  BlobStore store(dir.path());
  {
    auto writer = store.BeginWrite(100);
    ASSERT_TRUE(writer->Append("partial upload").ok());
    EXPECT_EQ(CountFiles(dir / "tmp"), 1);
    BlobWriter moved = std::move(*writer);  // ownership moves; still one temp file
    EXPECT_EQ(CountFiles(dir / "tmp"), 1);
  }
  EXPECT_EQ(CountFiles(dir / "tmp"), 0);
  EXPECT_EQ(CountFiles(dir / "sha256"), 0);
}

TEST(BlobStoreTest, ValidatesHashBeforeTouchingPaths) {
  ScratchDir dir;
  BlobStore store(dir.path());
  for (std::string_view bad :
       {std::string_view(""), std::string_view("../../../../etc/passwd"),
        std::string_view("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
        std::string_view("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a/"),
        std::string_view("ba78")}) {
    auto path = store.PathOf(bad);
    ASSERT_FALSE(path.ok()) << bad;
    EXPECT_EQ(path.status().code(), StatusCode::kInvalidArgument);
    EXPECT_FALSE(store.Open(bad).ok());
  }
  auto missing = store.Open(kAbcSha);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(BlobStoreTest, ConcurrentWritersOfSameAndDifferentContent) {
  ScratchDir dir;
  BlobStore store(dir.path());
  constexpr int kThreads = 8;
  std::vector<std::string> hashes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto writer = store.BeginWrite(1 << 20);
      // Even threads write the same bytes, odd ones their own.
      const std::string content =
          t % 2 == 0 ? std::string(50000, 's') : std::string(50000, static_cast<char>('a' + t));
      for (std::size_t pos = 0; pos < content.size(); pos += 4096) {
        if (!writer->Append(std::string_view(content).substr(pos, 4096)).ok()) return;
      }
      auto ref = writer->Commit();
      if (ref.ok()) hashes[static_cast<std::size_t>(t)] = ref->sha256;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(hashes[static_cast<std::size_t>(t)].size(), 64u) << t;
    EXPECT_EQ(ReadBlob(store, hashes[static_cast<std::size_t>(t)]).size(), 50000u);
  }
  EXPECT_EQ(CountFiles(dir / "sha256"), 1 + kThreads / 2);
  EXPECT_EQ(CountFiles(dir / "tmp"), 0);
}

TEST(BlobStoreTest, SweepRemovesOnlyStaleTempFiles) {
  ScratchDir dir;
  BlobStore store(dir.path());
  auto fresh = store.BeginWrite(100);
  ASSERT_TRUE(fresh->Append("in progress").ok());
  fs::create_directories(dir / "tmp");
  testing::WriteFile(dir / "tmp/old.part", "crashed upload");
  testing::WriteFile(dir / "tmp/keep.txt", "not ours");
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(dir / "tmp/old.part", now - std::chrono::hours(2));
  fs::last_write_time(dir / "tmp/keep.txt", now - std::chrono::hours(2));

  auto removed = store.Sweep(std::chrono::minutes(60), now);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 1);
  EXPECT_FALSE(fs::exists(dir / "tmp/old.part"));
  EXPECT_TRUE(fs::exists(dir / "tmp/keep.txt"));
  EXPECT_TRUE(fresh->Commit().ok());  // the live upload was left alone

  ScratchDir empty;
  EXPECT_EQ(*BlobStore(empty / "never-written").Sweep(std::chrono::minutes(1)), 0);
}

TEST(BlobStoreTest, LargeStreamedWrite) {
  ScratchDir dir;
  BlobStore store(dir.path());
  auto writer = store.BeginWrite(20u << 20);
  const std::string chunk(64 * 1024, 'z');
  for (int i = 0; i < 160; ++i) ASSERT_TRUE(writer->Append(chunk).ok());  // 10 MiB
  auto ref = writer->Commit();
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->size, 10u << 20);
  auto file = store.Open(ref->sha256);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->size(), 10u << 20);
}

}  // namespace
}  // namespace cairn
