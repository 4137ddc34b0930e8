// What lives in a portfolio blob store (evidence/files/blob_store.h) and what
// the database refers to, for backups, restores and the orphan sweep.
//
// A blob is written to the store before the row that refers to it
// (artifacts.sha256) is committed, so a server killed in between leaves an
// orphan: a committed blob nothing refers to. An upload killed mid-way leaves
// a temp file (tmp/*.part). SweepBlobs removes both, and the previews cached
// for blobs that are gone.
//
// Concurrency: every function here opens its own read-only SQLite connection
// and may run while servers use the same database and store. A blob younger
// than the sweep's grace period is never removed, because an upload in flight
// commits its blob before its row; BlobWriter::Commit refreshes the time of a
// blob it dedupes against, so an old orphan that an upload is about to reuse
// is young again. Run with a grace period of zero only when no server is
// running.
//
// Errors name the file or the database. Nothing here throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace cairn {

// "<db_path>-files": where `cairn serve` keeps a database's portfolio files.
std::string DefaultFilesDir(const std::string& db_path);

// One committed blob found under root/sha256/ab/cd/<hex>.
struct StoredBlob {
  std::string sha256;
  std::filesystem::path path;
  std::uint64_t size = 0;
  std::filesystem::file_time_type modified;
};

// Every committed blob in the store at `root`, ordered by hash. Files that do
// not follow the layout are skipped. An absent store has no blobs.
Result<std::vector<StoredBlob>> ListStoredBlobs(const std::filesystem::path& root);

// SHA-256 (lowercase hex) and size of a file, read in 64 kB chunks.
struct FileDigest {
  std::string sha256;
  std::uint64_t size = 0;
};
Result<FileDigest> DigestFile(const std::filesystem::path& path);

// Copies `from` to `to` (created with `mode`, fsynced, then renamed into
// place from a temp name beside it), hashing while copying. Fails, leaving
// nothing at `to`, if the bytes' SHA-256 is not `expected_sha256` (when
// given); the message names `from`.
Result<FileDigest> CopyFileVerified(const std::filesystem::path& from,
                                    const std::filesystem::path& to, unsigned mode,
                                    const std::string& expected_sha256 = "");

// sha256 -> size of every blob the database's artifacts refer to, read in
// one transaction.
Result<std::map<std::string, std::uint64_t>> ReferencedBlobs(const std::string& db_path);

struct SweepOptions {
  std::string db_path;
  std::string files_dir;  // empty: DefaultFilesDir(db_path)
  // Only files last modified longer ago than this are removed.
  std::chrono::minutes grace{60};
};

struct SweepReport {
  int temp_files_removed = 0;                // tmp/*.part from uploads that never finished
  std::vector<std::string> orphans_removed;  // blobs no artifact refers to
  std::uint64_t orphan_bytes = 0;
  int previews_removed = 0;          // cached previews of blobs that are gone
  int blobs_kept = 0;                // referenced, or younger than the grace period
  std::vector<std::string> missing;  // referenced by the database, absent from the store
};

// Removes stale temp files, orphan blobs and their previews. The blobs are
// listed before the database is read, so a blob committed and referenced in
// between is kept. kInternal when a file cannot be removed.
Result<SweepReport> SweepBlobs(const SweepOptions& options);

}  // namespace cairn
