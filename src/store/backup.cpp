#include "store/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include <nlohmann/json.hpp>

#include "store/blob_maintenance.h"

namespace cairn {
namespace fs = std::filesystem;
using nlohmann::json;
namespace {

constexpr const char* kDatabaseFile = "cairn.db";
constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kMasterKeyFile = "master-key";

// Where credentials/key_vault.h's DefaultMasterKeyPath puts the key; repeated
// here so backups do not link the credential code.
std::string MasterKeyPathFor(const std::string& db_path) { return db_path + ".master-key"; }

using Db = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;

Result<Db> OpenDb(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw, sqlite3_close);
  if (rc != SQLITE_OK) {
    return Status::Internal("cannot open database '" + path +
                            "': " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Status Exec(sqlite3* db, const std::string& sql, const std::string& where) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    return Status::Internal(where + ": " + message);
  }
  return Status::Ok();
}

// Every row of a one-column query, as text.
Result<std::vector<std::string>> Column(sqlite3* db, const std::string& sql,
                                        const std::string& where) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return Status::Internal(where + ": " + sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  std::vector<std::string> values;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
    values.emplace_back(text ? text : "");
  }
  if (rc != SQLITE_DONE) return Status::Internal(where + ": " + sqlite3_errmsg(db));
  return values;
}

// What restore and backup both read from a database file.
struct DatabaseFacts {
  std::string integrity;  // PRAGMA integrity_check, lines joined; "ok" when sound
  int schema_version = 0;
  std::map<std::string, std::int64_t> tables;
};

Result<DatabaseFacts> ReadDatabaseFacts(sqlite3* db, const std::string& where) {
  DatabaseFacts facts;
  CAIRN_ASSIGN_OR_RETURN(auto integrity, Column(db, "PRAGMA integrity_check", where));
  for (const std::string& line : integrity) {
    facts.integrity += (facts.integrity.empty() ? "" : "; ") + line;
  }
  CAIRN_ASSIGN_OR_RETURN(
      auto version, Column(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", where));
  facts.schema_version = version.empty() ? 0 : std::stoi(version.front());
  CAIRN_ASSIGN_OR_RETURN(auto names,
                         Column(db,
                                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                                "LIKE 'sqlite_%' ORDER BY name",
                                where));
  for (const std::string& name : names) {
    // Names come from the schema; quoted all the same.
    std::string quoted = "\"";
    for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += "\"";
    CAIRN_ASSIGN_OR_RETURN(auto count, Column(db, "SELECT COUNT(*) FROM " + quoted, where));
    facts.tables[name] = count.empty() ? 0 : std::stoll(count.front());
  }
  return facts;
}

// Copies the database as of one moment: the source connection holds a read
// transaction for the whole copy, so every step sees the same snapshot and a
// write elsewhere does not restart the copy (SQLite restarts a backup whose
// source changed between steps when the source has no open transaction).
Result<int> SnapshotDatabase(const std::string& from, const std::string& to, int pages_per_step,
                             std::chrono::milliseconds pause) {
  CAIRN_ASSIGN_OR_RETURN(Db source, OpenDb(from, SQLITE_OPEN_READONLY));
  CAIRN_RETURN_IF_ERROR(Exec(source.get(), "BEGIN", from));
  CAIRN_RETURN_IF_ERROR(Column(source.get(), "SELECT COUNT(*) FROM sqlite_schema", from).status());
  CAIRN_ASSIGN_OR_RETURN(Db target, OpenDb(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
  if (!backup)
    return Status::Internal(to + ": cannot start the backup: " + sqlite3_errmsg(target.get()));
  int steps = 0;
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, pages_per_step);
    ++steps;
    if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(pause);
    }
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return Status::Internal(to + ": backup step failed: " + sqlite3_errstr(rc));
  }
  CAIRN_RETURN_IF_ERROR(Exec(source.get(), "COMMIT", from));
  // The copy carries the source's WAL flag; a backup is one self-contained
  // file. (The restored database goes back to WAL when a server opens it.)
  CAIRN_RETURN_IF_ERROR(Column(target.get(), "PRAGMA journal_mode = DELETE", to).status());
  return steps;
}

Status FsyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Internal("open " + dir.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) return Status::Internal("fsync " + dir.string() + ": " + std::strerror(error));
  return Status::Ok();
}

// Written to a temp name, fsynced, renamed: a reader sees all of it or none.
Status WriteFileDurably(const fs::path& path, const std::string& text) {
  const fs::path temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("create " + temp.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t put = ::write(fd, text.data() + done, text.size() - done);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) break;
    done += static_cast<std::size_t>(put);
  }
  const bool ok = done == text.size() && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return Status::Internal("write " + path.string() + ": " + std::strerror(error));
  }
  return FsyncDirectory(path.parent_path());
}

std::string BlobRelativePath(const std::string& sha256) {
  return "files/sha256/" + sha256.substr(0, 2) + "/" + sha256.substr(2, 2) + "/" + sha256;
}

bool IsSha256(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool IsEmptyDirectory(const fs::path& dir) {
  std::error_code error;
  return fs::is_directory(dir, error) && fs::is_empty(dir, error) && !error;
}

// Removes what a failed run made, whatever happens to the result.
class Cleanup {
 public:
  void Add(fs::path path) { paths_.push_back(std::move(path)); }
  void Dismiss() { paths_.clear(); }
  ~Cleanup() {
    for (const fs::path& path : paths_) {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  }

 private:
  std::vector<fs::path> paths_;
};

// A manifest's member, or null.
json Member(const json& object, const char* key) {
  return object.is_object() && object.contains(key) ? object[key] : json();
}

}  // namespace

Result<BackupReport> TakeBackup(const BackupOptions& options) {
  if (options.db_path.empty()) return Status::Invalid("db: required");
  if (options.destination.empty()) return Status::Invalid("to: required");
  if (options.pages_per_step < 1) return Status::Invalid("pages per step: must be at least 1");
  std::error_code error;
  if (!fs::is_regular_file(options.db_path, error)) {
    return Status::NotFound(options.db_path + ": no such database");
  }
  const fs::path destination = options.destination;
  const bool existed = fs::exists(destination, error);
  if (existed && !IsEmptyDirectory(destination)) {
    return Status::Exists(destination.string() +
                          ": exists and is not an empty directory; back up into a new one");
  }
  fs::create_directories(destination, error);
  if (error) return Status::Internal("create " + destination.string() + ": " + error.message());
  // The backup holds student records: this user only.
  if (!existed) fs::permissions(destination, fs::perms::owner_all, error);
  Cleanup cleanup;
  if (existed) {
    cleanup.Add(destination / kDatabaseFile);
    cleanup.Add(destination / "files");
    cleanup.Add(destination / kMasterKeyFile);
  } else {
    cleanup.Add(destination);
  }

  BackupReport report;
  const fs::path db_copy = destination / kDatabaseFile;
  // Created empty first, so SQLite keeps its mode: readable by this user only.
  const int fd = ::open(db_copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("create " + db_copy.string() + ": " + std::strerror(errno));
  ::close(fd);
  CAIRN_ASSIGN_OR_RETURN(report.steps,
                         SnapshotDatabase(options.db_path, db_copy.string(), options.pages_per_step,
                                          options.pause_between_steps));
  DatabaseFacts facts;
  {
    CAIRN_ASSIGN_OR_RETURN(Db copy, OpenDb(db_copy.string(), SQLITE_OPEN_READONLY));
    CAIRN_ASSIGN_OR_RETURN(facts, ReadDatabaseFacts(copy.get(), db_copy.string()));
  }
  if (facts.integrity != "ok") {
    return Status::Internal(options.db_path +
                            ": the copy fails PRAGMA integrity_check: " + facts.integrity);
  }
  report.schema_version = facts.schema_version;
  report.tables = facts.tables;
  CAIRN_ASSIGN_OR_RETURN(const FileDigest db_digest, DigestFile(db_copy));
  report.database_bytes = db_digest.size;

  // Blobs: the snapshot's references decide what must be there.
  const fs::path files_dir =
      fs::path(options.files_dir.empty() ? DefaultFilesDir(options.db_path) : options.files_dir);
  CAIRN_ASSIGN_OR_RETURN(const auto referenced, ReferencedBlobs(db_copy.string()));
  CAIRN_ASSIGN_OR_RETURN(const std::vector<StoredBlob> stored, ListStoredBlobs(files_dir));
  json blobs = json::array();
  std::set<std::string> copied;
  for (const StoredBlob& blob : stored) {
    const bool is_referenced = referenced.count(blob.sha256) > 0;
    auto digest =
        CopyFileVerified(blob.path, destination / BlobRelativePath(blob.sha256), 0444, blob.sha256);
    if (!digest.ok()) {
      if (digest.status().code() == StatusCode::kNotFound) continue;  // removed meanwhile
      if (digest.status().code() != StatusCode::kInvalidArgument) return digest.status();
      report.problems.push_back(blob.sha256 + ": " + digest.status().message());
      continue;
    }
    if (is_referenced && referenced.at(blob.sha256) != digest->size) {
      report.problems.push_back(blob.sha256 + ": " + std::to_string(digest->size) +
                                " bytes in the store, the database says " +
                                std::to_string(referenced.at(blob.sha256)));
    }
    copied.insert(blob.sha256);
    ++report.blobs;
    report.referenced_blobs += is_referenced ? 1 : 0;
    report.blob_bytes += digest->size;
    blobs.push_back({{"path", BlobRelativePath(blob.sha256)},
                     {"sha256", digest->sha256},
                     {"size", digest->size},
                     {"referenced", is_referenced}});
  }
  for (const auto& [sha256, size] : referenced) {
    if (copied.count(sha256)) continue;
    bool damaged = false;
    for (const std::string& problem : report.problems) damaged |= problem.rfind(sha256, 0) == 0;
    if (!damaged) {
      report.problems.push_back(sha256 + ": referenced by the database, not in " +
                                files_dir.string());
    }
  }

  report.master_key_path =
      options.master_key_path.empty() ? MasterKeyPathFor(options.db_path) : options.master_key_path;
  if (options.include_master_key && fs::exists(report.master_key_path, error)) {
    CAIRN_RETURN_IF_ERROR(
        CopyFileVerified(report.master_key_path, destination / kMasterKeyFile, 0600).status());
    report.master_key_copied = true;
  }

  const Instant now = options.clock ? options.clock()
                                    : std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count();
  json manifest{{"format", kBackupFormat},
                {"cairn_version", options.cairn_version},
                {"schema_version", report.schema_version},
                {"created_at", FormatInstant(now)},
                {"source", fs::absolute(options.db_path, error).string()},
                {"database",
                 {{"path", kDatabaseFile},
                  {"sha256", db_digest.sha256},
                  {"size", db_digest.size},
                  {"integrity_check", facts.integrity},
                  {"pages_per_step", options.pages_per_step},
                  {"steps", report.steps}}},
                {"tables", report.tables},
                {"blobs", std::move(blobs)},
                {"problems", report.problems},
                {"master_key",
                 {{"included", report.master_key_copied},
                  {"path", report.master_key_copied ? json(kMasterKeyFile) : json(nullptr)}}}};
  CAIRN_RETURN_IF_ERROR(WriteFileDurably(destination / kManifestFile, manifest.dump(2) + "\n"));
  cleanup.Dismiss();
  return report;
}

Result<RestoreReport> RestoreBackup(const RestoreOptions& options) {
  if (options.source.empty()) return Status::Invalid("from: required");
  if (options.db_path.empty()) return Status::Invalid("db: required");
  const fs::path source = options.source;
  const fs::path db_path = options.db_path;
  const fs::path files_dir =
      fs::path(options.files_dir.empty() ? DefaultFilesDir(options.db_path) : options.files_dir);
  const fs::path key_path = options.master_key_path.empty()
                                ? fs::path(MasterKeyPathFor(options.db_path))
                                : fs::path(options.master_key_path);
  std::error_code error;
  for (const char* suffix : {"", "-wal", "-journal"}) {
    const fs::path existing = db_path.string() + suffix;
    if (fs::exists(existing, error)) {
      return Status::Exists(existing.string() +
                            ": exists; restore writes only a new database (choose another --db)");
    }
  }
  if (fs::exists(files_dir, error) && !IsEmptyDirectory(files_dir)) {
    return Status::Exists(files_dir.string() +
                          ": exists and is not empty; restore writes files "
                          "only into a new directory");
  }

  // The manifest.
  const fs::path manifest_path = source / kManifestFile;
  std::ifstream in(manifest_path, std::ios::binary);
  if (!in) {
    return Status::NotFound(manifest_path.string() +
                            ": cannot read it (not a finished cairn backup?)");
  }
  std::stringstream text;
  text << in.rdbuf();
  const json manifest = json::parse(text.str(), nullptr, false);
  if (!manifest.is_object() || manifest.value("format", "") != kBackupFormat) {
    return Status::Invalid(manifest_path.string() + ": not a " + std::string(kBackupFormat) +
                           " manifest");
  }
  const json database = Member(manifest, "database");
  const json tables = Member(manifest, "tables");
  const json blobs = Member(manifest, "blobs");
  if (!database.is_object() || database.value("path", "") != kDatabaseFile ||
      !database.contains("sha256") || !tables.is_object() || !blobs.is_array()) {
    return Status::Invalid(manifest_path.string() + ": database, tables or blobs missing");
  }
  const json key_entry = Member(manifest, "master_key");
  const bool has_key = key_entry.is_object() && key_entry.value("included", false);
  if (has_key && fs::exists(key_path, error)) {
    return Status::Exists(key_path.string() + ": exists; restore does not replace a master key");
  }

  RestoreReport report;
  report.created_at = manifest.value("created_at", "");
  report.schema_version = manifest.value("schema_version", 0);
  for (const json& problem : manifest.value("problems", json::array())) {
    if (problem.is_string()) report.problems.push_back(problem.get<std::string>());
  }

  // The database, checked under a temp name.
  Cleanup cleanup;
  const fs::path db_temp = db_path.string() + ".restoring";
  cleanup.Add(db_temp);
  const fs::path db_source = source / kDatabaseFile;
  if (!db_path.parent_path().empty()) fs::create_directories(db_path.parent_path(), error);
  CAIRN_ASSIGN_OR_RETURN(const FileDigest db_digest,
                         CopyFileVerified(db_source, db_temp, 0600, database.value("sha256", "")));
  if (db_digest.size != database.value("size", std::uint64_t{0})) {
    return Status::Invalid(db_source.string() + ": size differs from the manifest");
  }
  DatabaseFacts facts;
  {
    CAIRN_ASSIGN_OR_RETURN(Db db, OpenDb(db_temp.string(), SQLITE_OPEN_READONLY));
    CAIRN_ASSIGN_OR_RETURN(facts, ReadDatabaseFacts(db.get(), db_source.string()));
  }
  if (facts.integrity != "ok") {
    return Status::Invalid(db_source.string() + ": PRAGMA integrity_check: " + facts.integrity);
  }
  if (facts.schema_version != report.schema_version) {
    return Status::Invalid(db_source.string() + ": schema version " +
                           std::to_string(facts.schema_version) + ", the manifest says " +
                           std::to_string(report.schema_version));
  }
  for (const auto& [name, rows] : facts.tables) {
    if (!tables.contains(name) || tables[name] != rows) {
      return Status::Invalid(db_source.string() + ": table " + name + " has " +
                             std::to_string(rows) + " rows, the manifest says " +
                             (tables.contains(name) ? tables[name].dump() : "none"));
    }
  }
  for (const auto& [name, rows] : tables.items()) {
    if (!facts.tables.count(name)) {
      return Status::Invalid(db_source.string() + ": table " + name +
                             " is in the manifest, not in the database");
    }
  }
  report.tables = facts.tables;

  // The blobs, hashed while copied into a staging directory.
  const fs::path staging = files_dir.string() + ".restoring";
  fs::remove_all(staging, error);  // left by an interrupted restore
  cleanup.Add(staging);
  std::set<std::string> held;
  for (const json& blob : blobs) {
    const std::string sha256 = blob.is_object() ? blob.value("sha256", "") : "";
    if (!IsSha256(sha256) || blob.value("path", "") != BlobRelativePath(sha256)) {
      return Status::Invalid(manifest_path.string() + ": blob entry " + blob.dump() +
                             " is not files/sha256/ab/cd/<sha256>");
    }
    const fs::path from = source / BlobRelativePath(sha256);
    const fs::path to = staging / BlobRelativePath(sha256).substr(std::string("files/").size());
    CAIRN_ASSIGN_OR_RETURN(const FileDigest digest, CopyFileVerified(from, to, 0444, sha256));
    if (digest.size != blob.value("size", std::uint64_t{0})) {
      return Status::Invalid(from.string() + ": " + std::to_string(digest.size) +
                             " bytes, the manifest says " + blob.value("size", json()).dump());
    }
    held.insert(sha256);
    ++report.blobs;
    report.blob_bytes += digest.size;
  }
  CAIRN_ASSIGN_OR_RETURN(const auto referenced, ReferencedBlobs(db_temp.string()));
  for (const auto& [sha256, size] : referenced) {
    if (held.count(sha256)) continue;
    bool known = false;  // the backup already said the store lacked it
    for (const std::string& problem : report.problems) known |= problem.rfind(sha256, 0) == 0;
    if (!known) {
      return Status::Invalid(db_source.string() + ": refers to file " + sha256 +
                             ", which the backup does not hold");
    }
  }

  // All checked: move into place, files first, so a database never appears
  // without its files.
  if (fs::exists(files_dir, error)) fs::remove(files_dir, error);  // empty, checked above
  if (!files_dir.parent_path().empty()) fs::create_directories(files_dir.parent_path(), error);
  if (fs::exists(staging, error)) {
    fs::rename(staging, files_dir, error);
  } else {
    fs::create_directories(files_dir, error);
  }
  if (error)
    return Status::Internal("move files to " + files_dir.string() + ": " + error.message());
  cleanup.Add(files_dir);
  if (has_key) {
    CAIRN_RETURN_IF_ERROR(CopyFileVerified(source / kMasterKeyFile, key_path, 0600).status());
    cleanup.Add(key_path);
    report.master_key_restored = true;
  }
  if (::rename(db_temp.c_str(), db_path.c_str()) != 0) {
    return Status::Internal("rename to " + db_path.string() + ": " + std::strerror(errno));
  }
  const fs::path parent = db_path.parent_path().empty() ? fs::path(".") : db_path.parent_path();
  CAIRN_RETURN_IF_ERROR(FsyncDirectory(parent));
  cleanup.Dismiss();
  return report;
}

}  // namespace cairn
