#include "store/blob_maintenance.h"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <set>
#include <system_error>
#include <utility>

#include "evidence/files/blob_io.h"
#include "evidence/files/blob_store.h"

namespace cairn {
namespace fs = std::filesystem;
namespace {

// Closes a descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

std::string DefaultFilesDir(const std::string& db_path) { return db_path + "-files"; }

Result<std::vector<StoredBlob>> ListStoredBlobs(const fs::path& root) {
  std::vector<StoredBlob> blobs;
  const fs::path top = root / "sha256";
  std::error_code error;
  if (!fs::exists(top, error)) return blobs;
  // root/sha256/ab/cd/<hex>: exactly three levels, names checked at each.
  for (fs::directory_iterator a(top, error), end; !error && a != end; a.increment(error)) {
    const std::string ab = a->path().filename().string();
    if (!IsLowerHex(ab, 2) || !a->is_directory(error)) continue;
    for (fs::directory_iterator c(a->path(), error); !error && c != end; c.increment(error)) {
      const std::string cd = c->path().filename().string();
      if (!IsLowerHex(cd, 2) || !c->is_directory(error)) continue;
      for (fs::directory_iterator f(c->path(), error); !error && f != end; f.increment(error)) {
        const std::string hex = f->path().filename().string();
        if (!IsLowerHex(hex, 64) || hex.compare(0, 2, ab) != 0 || hex.compare(2, 2, cd) != 0) {
          continue;
        }
        if (!f->is_regular_file(error)) continue;
        StoredBlob blob{hex, f->path(), f->file_size(error), f->last_write_time(error)};
        if (error) return Status::Internal("stat " + f->path().string() + ": " + error.message());
        blobs.push_back(std::move(blob));
      }
    }
  }
  if (error) return Status::Internal("list " + top.string() + ": " + error.message());
  std::sort(blobs.begin(), blobs.end(),
            [](const StoredBlob& x, const StoredBlob& y) { return x.sha256 < y.sha256; });
  return blobs;
}

Result<FileDigest> DigestFile(const fs::path& path) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status::NotFound(path.string() + ": no such file");
    return ErrnoStatus("open " + path.string(), errno);
  }
  crypto_hash_sha256_state hash;
  crypto_hash_sha256_init(&hash);
  std::vector<unsigned char> buffer(64 * 1024);
  FileDigest digest;
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read " + path.string(), errno);
    }
    if (got == 0) break;
    crypto_hash_sha256_update(&hash, buffer.data(), static_cast<std::size_t>(got));
    digest.size += static_cast<std::uint64_t>(got);
  }
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&hash, out);
  digest.sha256 = LowerHex(out);
  return digest;
}

Result<FileDigest> CopyFileVerified(const fs::path& from, const fs::path& to, unsigned mode,
                                    const std::string& expected_sha256) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) {
    if (errno == ENOENT) return Status::NotFound(from.string() + ": no such file");
    return ErrnoStatus("open " + from.string(), errno);
  }
  std::error_code error;
  fs::create_directories(to.parent_path(), error);
  if (error)
    return Status::Internal("create " + to.parent_path().string() + ": " + error.message());
  const fs::path temp = to.string() + ".copying";
  Fd out(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (out.get() < 0) return ErrnoStatus("create " + temp.string(), errno);
  auto fail = [&](Status status) {
    ::unlink(temp.c_str());
    return status;
  };

  crypto_hash_sha256_state hash;
  crypto_hash_sha256_init(&hash);
  std::vector<unsigned char> buffer(64 * 1024);
  FileDigest digest;
  for (;;) {
    const ssize_t got = ::read(in.get(), buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail(ErrnoStatus("read " + from.string(), errno));
    }
    if (got == 0) break;
    const auto count = static_cast<std::size_t>(got);
    crypto_hash_sha256_update(&hash, buffer.data(), count);
    digest.size += count;
    for (std::size_t done = 0; done < count;) {
      const ssize_t put = ::write(out.get(), buffer.data() + done, count - done);
      if (put < 0) {
        if (errno == EINTR) continue;
        return fail(ErrnoStatus("write " + temp.string(), errno));
      }
      done += static_cast<std::size_t>(put);
    }
  }
  unsigned char sum[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&hash, sum);
  digest.sha256 = LowerHex(sum);
  if (!expected_sha256.empty() && digest.sha256 != expected_sha256) {
    return fail(Status::Invalid(from.string() + ": SHA-256 is " + digest.sha256 + ", expected " +
                                expected_sha256 + " (the file is damaged)"));
  }
  if (::fchmod(out.get(), static_cast<mode_t>(mode)) != 0 || ::fsync(out.get()) != 0) {
    return fail(ErrnoStatus("fsync " + temp.string(), errno));
  }
  if (::close(out.release()) != 0) return fail(ErrnoStatus("close " + temp.string(), errno));
  if (::rename(temp.c_str(), to.c_str()) != 0) {
    return fail(ErrnoStatus("rename to " + to.string(), errno));
  }
  CAIRN_RETURN_IF_ERROR(FsyncDirectory(to.parent_path()));
  return digest;
}

Result<std::map<std::string, std::uint64_t>> ReferencedBlobs(const std::string& db_path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(db, sqlite3_close);
  if (rc != SQLITE_OK) {
    return Status::Internal("cannot open database '" + db_path +
                            "': " + (db ? sqlite3_errmsg(db) : "out of memory"));
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT sha256, MAX(size) FROM artifacts GROUP BY sha256", -1, &raw,
                         nullptr) != SQLITE_OK) {
    return Status::Internal(db_path + ": cannot read artifacts: " + sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  std::map<std::string, std::uint64_t> referenced;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(raw)) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
    referenced.emplace(text ? text : "", static_cast<std::uint64_t>(sqlite3_column_int64(raw, 1)));
  }
  if (step != SQLITE_DONE) {
    return Status::Internal(db_path + ": cannot read artifacts: " + sqlite3_errmsg(db));
  }
  return referenced;
}

Result<SweepReport> SweepBlobs(const SweepOptions& options) {
  if (options.db_path.empty()) return Status::Invalid("db: required");
  std::error_code error;
  if (!fs::is_regular_file(options.db_path, error)) {
    return Status::NotFound(options.db_path + ": no such database");
  }
  const fs::path root =
      fs::path(options.files_dir.empty() ? DefaultFilesDir(options.db_path) : options.files_dir);
  const auto now = fs::file_time_type::clock::now();
  const auto cutoff = now - options.grace;
  SweepReport report;
  CAIRN_ASSIGN_OR_RETURN(report.temp_files_removed, BlobStore(root).Sweep(options.grace, now));

  // Listed first, then the references: a blob committed and referenced in
  // between is young, and kept either way.
  CAIRN_ASSIGN_OR_RETURN(const std::vector<StoredBlob> stored, ListStoredBlobs(root));
  CAIRN_ASSIGN_OR_RETURN(const auto referenced, ReferencedBlobs(options.db_path));
  std::set<std::string> present;
  for (const StoredBlob& blob : stored) {
    present.insert(blob.sha256);
    if (referenced.count(blob.sha256) || blob.modified >= cutoff) {
      ++report.blobs_kept;
      continue;
    }
    // Looked at again just before removing: an upload deduping against it
    // refreshed its time.
    const auto modified = fs::last_write_time(blob.path, error);
    if (error || modified >= cutoff) {
      error.clear();
      ++report.blobs_kept;
      continue;
    }
    if (!fs::remove(blob.path, error) && error) {
      return Status::Internal("remove " + blob.path.string() + ": " + error.message());
    }
    present.erase(blob.sha256);
    report.orphans_removed.push_back(blob.sha256);
    report.orphan_bytes += blob.size;
  }
  for (const auto& [sha256, size] : referenced) {
    if (!present.count(sha256)) report.missing.push_back(sha256);
  }

  // Previews are named "<sha256>-<page>.png" (and "*.tmp*" while written).
  const fs::path previews = root / "previews";
  if (fs::exists(previews, error)) {
    for (fs::directory_iterator it(previews, error), end; !error && it != end;
         it.increment(error)) {
      const std::string name = it->path().filename().string();
      const std::string sha256 = name.substr(0, 64);
      const bool stale_temp =
          name.find(".tmp") != std::string::npos && it->last_write_time(error) < cutoff;
      if (error) break;
      if (!stale_temp && (!IsLowerHex(sha256, 64) || present.count(sha256))) continue;
      std::error_code remove_error;
      if (fs::remove(it->path(), remove_error)) ++report.previews_removed;
    }
    if (error) return Status::Internal("sweep " + previews.string() + ": " + error.message());
  }
  return report;
}

}  // namespace cairn
