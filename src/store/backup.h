// Backups of a Cairn database and its portfolio files, taken while servers
// keep writing, and their restore into a new place.
//
// A backup directory holds:
//   cairn.db       the database as of one moment (SQLite's online backup API,
//                  copied a few pages per step from inside one read
//                  transaction: a consistent snapshot, and in WAL mode writers
//                  are never blocked; the log only cannot restart until the
//                  copy is done)
//   files/sha256/ab/cd/<hex>
//                  every blob the snapshot refers to, and the other committed
//                  blobs present (uploads whose rows came after the snapshot),
//                  each hashed while copied. Blobs never change once
//                  committed, so copying them after the snapshot is
//                  consistent. Temp files and cached previews are left out.
//   master-key     only with include_master_key (mode 0600). Without it the
//                  backup cannot unseal the districts' signing keys: keep the
//                  key (<db>.master-key or $CAIRN_MASTER_KEY) apart.
//   manifest.json  written last, so a directory without it is no backup:
//                  format, cairn and schema versions, time, the database
//                  file's SHA-256 and size and PRAGMA integrity_check, the row
//                  count of every table, every blob's path, SHA-256 and size,
//                  and the blobs the snapshot refers to that the store lacked.
//
// Restore never overwrites: it refuses an existing database, a non-empty
// files directory or an existing master-key file. It checks everything (the
// database file's hash, PRAGMA integrity_check, the schema version and every
// table's row count against the manifest, every blob's hash while copying)
// into temp names beside the targets and renames them into place only when
// all is well; on failure nothing is left behind and the message names the
// file.
//
// Thread safety: the functions share nothing; run any number at once on
// different directories. Both run beside live servers (restore only into a
// place no server uses).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace cairn {

// The manifest's "format" value; restore refuses any other.
inline constexpr const char* kBackupFormat = "cairn-backup-1";

struct BackupOptions {
  std::string db_path;      // required; must exist
  std::string files_dir;    // empty: DefaultFilesDir(db_path)
  std::string destination;  // required; created, or must be an empty directory
  bool include_master_key = false;
  std::string master_key_path;  // empty: DefaultMasterKeyPath(db_path)
  // Database pages copied per step, and the pause between steps that lets
  // the server's writer and checkpointer in.
  int pages_per_step = 256;
  std::chrono::milliseconds pause_between_steps{2};
  std::string cairn_version = "dev";
  Clock clock;  // empty: the system clock
};

struct BackupReport {
  int schema_version = 0;
  std::map<std::string, std::int64_t> tables;  // name -> rows in the snapshot
  std::int64_t blobs = 0;                      // copied
  std::int64_t referenced_blobs = 0;           // of those, referenced by the snapshot
  std::uint64_t blob_bytes = 0;
  std::uint64_t database_bytes = 0;
  int steps = 0;  // online-backup steps taken
  // Referenced by the snapshot but absent or damaged in the store, each
  // "<sha256>: <why>". The backup is complete otherwise; the caller should
  // treat these as failures to act on.
  std::vector<std::string> problems;
  bool master_key_copied = false;
  std::string master_key_path;  // where the key was (or would have been) read
};

// Takes a backup. Errors: kInvalidArgument for missing options, kNotFound for
// a missing database, kAlreadyExists for a non-empty destination, kInternal
// for I/O failures (the partial destination is then removed).
Result<BackupReport> TakeBackup(const BackupOptions& options);

struct RestoreOptions {
  std::string source;           // a backup directory
  std::string db_path;          // must not exist
  std::string files_dir;        // empty: DefaultFilesDir(db_path); must not exist or be empty
  std::string master_key_path;  // empty: DefaultMasterKeyPath(db_path)
};

struct RestoreReport {
  int schema_version = 0;
  std::string created_at;  // the backup's time
  std::map<std::string, std::int64_t> tables;
  std::int64_t blobs = 0;
  std::uint64_t blob_bytes = 0;
  bool master_key_restored = false;
  std::vector<std::string> problems;  // carried over from the backup's manifest
};

// Restores a backup. Errors: kAlreadyExists when a target exists,
// kNotFound for a missing manifest or file, kInvalidArgument when a check
// fails (naming the file), kInternal for I/O failures.
Result<RestoreReport> RestoreBackup(const RestoreOptions& options);

}  // namespace cairn
