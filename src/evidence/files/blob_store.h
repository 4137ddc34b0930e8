// Content-addressed storage for uploaded files: a blob's name is the SHA-256
// of its bytes, so identical uploads are stored once and a stored blob never
// changes. Layout under `root`:
//   root/tmp/<random>.part      uploads in progress
//   root/sha256/ab/cd/<hex>     committed blobs (read-only files)
//
// Writes stream: a BlobWriter hashes and writes each chunk as it arrives and
// holds no more than the chunk in memory. A commit is durable (file fsync,
// atomic rename, directory fsync) and a crash leaves at most a stale temp
// file, which Sweep() removes.
//
// Thread safety: BlobStore is immutable after construction; any number of
// threads may call its methods concurrently, and concurrent writers (even of
// the same content) are safe. A BlobWriter or BlobFile is used by one thread
// at a time. Writers and files do not refer to the store and may outlive it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn {

struct BlobRef {
  std::string sha256;  // 64 lowercase hex digits
  std::uint64_t size = 0;

  bool operator==(const BlobRef&) const = default;
};

// One upload in progress. Destroying it without Commit() deletes the temp
// file. Move-only.
class BlobWriter {
 public:
  BlobWriter(BlobWriter&& other) noexcept;
  BlobWriter& operator=(BlobWriter&& other) noexcept;
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;
  ~BlobWriter();

  // Writes and hashes `chunk`. If the total would pass max_bytes the temp file
  // is deleted at once and kInvalidArgument "file exceeds the N-byte limit" is
  // returned; after any error the writer is dead and every call fails.
  Status Append(std::span<const std::byte> chunk);
  Status Append(std::string_view chunk);

  // Makes the blob durable under its hash and returns it. If a blob with that
  // hash exists the temp file is dropped (dedupe) and the blob's modification
  // time set to now, so an orphan sweep does not take it from the caller who
  // is about to refer to it. The writer is spent after.
  Result<BlobRef> Commit();

  std::uint64_t size() const;

 private:
  friend class BlobStore;
  struct State;
  explicit BlobWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// A committed blob open for reading. Move-only; closes on destruction.
class BlobFile {
 public:
  BlobFile(BlobFile&& other) noexcept;
  BlobFile& operator=(BlobFile&& other) noexcept;
  BlobFile(const BlobFile&) = delete;
  BlobFile& operator=(const BlobFile&) = delete;
  ~BlobFile();

  // Reads up to buffer.size() bytes; 0 at the end.
  Result<std::size_t> Read(std::span<std::byte> buffer);
  std::uint64_t size() const { return size_; }
  int fd() const { return fd_; }  // for sendfile(); owned by this object

 private:
  friend class BlobStore;
  BlobFile(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

class BlobStore {
 public:
  // Does no I/O; directories are created on first write.
  explicit BlobStore(std::filesystem::path root);

  // Starts an upload of at most `max_bytes`. Errors: kInternal if the temp
  // directory or file cannot be created.
  Result<BlobWriter> BeginWrite(std::uint64_t max_bytes) const;

  // Where the blob lives. kInvalidArgument unless `sha256` is 64 lowercase hex
  // digits, so the path never leaves the store. Does not check existence.
  Result<std::filesystem::path> PathOf(std::string_view sha256) const;

  // Opens a committed blob; kNotFound if there is none.
  Result<BlobFile> Open(std::string_view sha256) const;

  // Removes temp files last modified before `now - max_age` (uploads that
  // crashed or were abandoned). Returns how many were removed.
  Result<int> Sweep(
      std::chrono::minutes max_age,
      std::filesystem::file_time_type now = std::filesystem::file_time_type::clock::now()) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace cairn
