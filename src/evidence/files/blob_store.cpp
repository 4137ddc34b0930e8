#include "evidence/files/blob_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "evidence/files/blob_io.h"

namespace cairn {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kTempSuffix = ".part";

Status WriteAll(int fd, const std::byte* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", errno);
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return Status::Ok();
}

Status EnsureSodium() {
  static const int rc = sodium_init();  // thread-safe, idempotent
  if (rc < 0) return Status::Internal("libsodium failed to initialise");
  return Status::Ok();
}

}  // namespace

struct BlobWriter::State {
  fs::path root;
  fs::path temp_path;
  int fd = -1;
  std::uint64_t max_bytes = 0;
  std::uint64_t size = 0;
  crypto_hash_sha256_state hash{};
  Status failed;
  bool finished = false;  // committed or failed; the temp file is gone

  ~State() { Discard(); }

  void Discard() {
    if (fd >= 0) ::close(fd);
    fd = -1;
    if (!finished && !temp_path.empty()) ::unlink(temp_path.c_str());
    finished = true;
  }

  Status Fail(Status status) {
    Discard();
    failed = status;
    return status;
  }
};

BlobWriter::BlobWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
BlobWriter::BlobWriter(BlobWriter&& other) noexcept = default;
BlobWriter& BlobWriter::operator=(BlobWriter&& other) noexcept = default;
BlobWriter::~BlobWriter() = default;

std::uint64_t BlobWriter::size() const { return state_ ? state_->size : 0; }

Status BlobWriter::Append(std::string_view chunk) {
  return Append(std::as_bytes(std::span<const char>(chunk.data(), chunk.size())));
}

Status BlobWriter::Append(std::span<const std::byte> chunk) {
  if (!state_) return Status::Precondition("blob writer was moved from");
  State& state = *state_;
  if (!state.failed.ok()) return state.failed;
  if (state.finished) return Status::Precondition("blob writer already committed");
  if (chunk.size() > state.max_bytes - state.size) {
    return state.Fail(
        Status::Invalid("file exceeds the " + std::to_string(state.max_bytes) + "-byte limit"));
  }
  if (Status written = WriteAll(state.fd, chunk.data(), chunk.size()); !written.ok()) {
    return state.Fail(written);
  }
  crypto_hash_sha256_update(&state.hash, reinterpret_cast<const unsigned char*>(chunk.data()),
                            chunk.size());
  state.size += chunk.size();
  return Status::Ok();
}

Result<BlobRef> BlobWriter::Commit() {
  if (!state_) return Status::Precondition("blob writer was moved from");
  State& state = *state_;
  if (!state.failed.ok()) return state.failed;
  if (state.finished) return Status::Precondition("blob writer already committed");

  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state.hash, digest);
  BlobRef ref{LowerHex(digest), state.size};
  const fs::path shard = state.root / "sha256" / ref.sha256.substr(0, 2) / ref.sha256.substr(2, 2);
  const fs::path final_path = shard / ref.sha256;

  std::error_code error;
  const bool created = fs::create_directories(shard, error);
  if (error)
    return state.Fail(Status::Internal("create " + shard.string() + ": " + error.message()));
  if (fs::exists(final_path, error)) {
    state.Discard();  // same bytes already stored
    // Young again: an orphan sweep's grace period (store/blob_maintenance.h)
    // now covers the row this upload is about to write. Best effort.
    ::utimensat(AT_FDCWD, final_path.c_str(), nullptr, 0);
    return ref;
  }
  // Durable before visible: data, then the name, then the directory entry.
  if (::fchmod(state.fd, 0444) != 0 || ::fsync(state.fd) != 0) {
    return state.Fail(ErrnoStatus("fsync " + state.temp_path.string(), errno));
  }
  if (::rename(state.temp_path.c_str(), final_path.c_str()) != 0) {
    return state.Fail(ErrnoStatus("rename to " + final_path.string(), errno));
  }
  ::close(state.fd);
  state.fd = -1;
  state.finished = true;
  CAIRN_RETURN_IF_ERROR(FsyncDirectory(shard));
  if (created) {
    CAIRN_RETURN_IF_ERROR(FsyncDirectory(shard.parent_path()));
    CAIRN_RETURN_IF_ERROR(FsyncDirectory(shard.parent_path().parent_path()));
  }
  return ref;
}

BlobFile::BlobFile(BlobFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}

BlobFile& BlobFile::operator=(BlobFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
  }
  return *this;
}

BlobFile::~BlobFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::size_t> BlobFile::Read(std::span<std::byte> buffer) {
  for (;;) {
    const ssize_t got = ::read(fd_, buffer.data(), buffer.size());
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) return ErrnoStatus("read blob", errno);
  }
}

BlobStore::BlobStore(fs::path root) : root_(std::move(root)) {}

Result<BlobWriter> BlobStore::BeginWrite(std::uint64_t max_bytes) const {
  CAIRN_RETURN_IF_ERROR(EnsureSodium());
  const fs::path temp_dir = root_ / "tmp";
  std::error_code error;
  fs::create_directories(temp_dir, error);
  if (error) return Status::Internal("create " + temp_dir.string() + ": " + error.message());

  auto state = std::make_unique<BlobWriter::State>();
  state->root = root_;
  state->max_bytes = max_bytes;
  crypto_hash_sha256_init(&state->hash);
  // Random names keep concurrent writers apart; O_EXCL makes a clash an error
  // rather than a shared file.
  for (int attempt = 0; attempt < 4 && state->fd < 0; ++attempt) {
    unsigned char random[16];
    randombytes_buf(random, sizeof random);
    state->temp_path = temp_dir / (LowerHex(random) + std::string(kTempSuffix));
    state->fd = ::open(state->temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (state->fd < 0 && errno != EEXIST) {
      const int open_error = errno;
      state->finished = true;  // nothing to delete
      return ErrnoStatus("create " + state->temp_path.string(), open_error);
    }
  }
  if (state->fd < 0) {
    state->finished = true;
    return Status::Internal("could not create a unique temp file in " + temp_dir.string());
  }
  return BlobWriter(std::move(state));
}

Result<fs::path> BlobStore::PathOf(std::string_view sha256) const {
  if (!IsLowerHex(sha256, 64)) {
    return Status::Invalid("blob id must be 64 lowercase hex digits");
  }
  const std::string hex(sha256);
  return root_ / "sha256" / hex.substr(0, 2) / hex.substr(2, 2) / hex;
}

Result<BlobFile> BlobStore::Open(std::string_view sha256) const {
  CAIRN_ASSIGN_OR_RETURN(const fs::path path, PathOf(sha256));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("no blob " + std::string(sha256));
    return ErrnoStatus("open " + path.string(), errno);
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    return ErrnoStatus("stat " + path.string(), error);
  }
  return BlobFile(fd, static_cast<std::uint64_t>(info.st_size));
}

Result<int> BlobStore::Sweep(std::chrono::minutes max_age, fs::file_time_type now) const {
  const fs::path temp_dir = root_ / "tmp";
  std::error_code error;
  if (!fs::exists(temp_dir, error)) return 0;
  const fs::file_time_type cutoff = now - max_age;
  int removed = 0;
  for (fs::directory_iterator it(temp_dir, error), end; !error && it != end; it.increment(error)) {
    const fs::path& path = it->path();
    if (path.extension() != kTempSuffix || !it->is_regular_file(error)) continue;
    const fs::file_time_type modified = fs::last_write_time(path, error);
    if (error) continue;  // removed by its writer meanwhile
    if (modified < cutoff && fs::remove(path, error)) ++removed;
    error.clear();
  }
  if (error) return Status::Internal("sweep " + temp_dir.string() + ": " + error.message());
  return removed;
}

}  // namespace cairn
