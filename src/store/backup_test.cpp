#include "store/backup.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "demo/demo_district.h"
#include "evidence/files/blob_store.h"
#include "service/cairn_service.h"
#include "store/blob_maintenance.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;

class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("cairn_backup_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void WriteFile(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One value per query row.
std::vector<std::string> Query(sqlite3* db, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int column = 0; column < sqlite3_column_count(stmt); ++column) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      row += sqlite3_column_type(stmt, column) == SQLITE_NULL ? "<null>" : (text ? text : "");
      row += '\x1f';
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  return rows;
}

// Every row of every table, sorted. With `ratings_up_to`, only the ratings
// with ids up to it: the snapshot of a ledger that grew after it.
std::map<std::string, std::vector<std::string>> DumpTables(const fs::path& db_path,
                                                           std::int64_t ratings_up_to = -1) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  std::map<std::string, std::vector<std::string>> tables;
  for (const std::string& row : Query(db,
                                      "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                                      "name NOT LIKE 'sqlite_%'")) {
    const std::string name = row.substr(0, row.size() - 1);
    std::string sql = "SELECT * FROM \"" + name + "\"";
    if (name == "ratings" && ratings_up_to >= 0) {
      sql += " WHERE id <= " + std::to_string(ratings_up_to);
    }
    auto rows = Query(db, sql);
    std::sort(rows.begin(), rows.end());
    tables[name] = std::move(rows);
  }
  sqlite3_close(db);
  return tables;
}

std::int64_t Scalar(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  auto rows = Query(db, sql);
  sqlite3_close(db);
  return rows.empty() ? -1 : std::stoll(rows.front());
}

// A small demo district with `files` portfolio files of student-00001, one
// file nobody refers to, an unfinished upload and a cached preview.
struct District {
  fs::path db;
  fs::path files;
  std::vector<std::string> referenced;
  std::string orphan;
  Id student = 0;
  Id teacher = 0;
};

District MakeDistrict(const fs::path& db_path, int files) {
  District d;
  d.db = db_path;
  d.files = DefaultFilesDir(db_path.string());
  auto store = SqliteStore::Open(db_path.string());
  EXPECT_TRUE(store.ok());
  auto service = CairnService::Open(std::move(store).value(), SystemClock());
  EXPECT_TRUE(service.ok());
  EXPECT_TRUE(GenerateDemoDistrict(**service, {20, 3, 1}).ok());
  Store& s = (*service)->store();
  d.student = (*s.FindPerson("student-00001"))->id;
  d.teacher = (*s.FindPerson("teacher-001"))->id;
  BlobStore blobs(d.files);
  for (int i = 0; i <= files; ++i) {
    auto writer = blobs.BeginWrite(1 << 20);
    const std::string bytes = "file " + std::to_string(i) + " " + std::string(5000 + i * 997, 'x');
    EXPECT_TRUE(writer->Append(bytes).ok());
    auto ref = writer->Commit();
    EXPECT_TRUE(ref.ok());
    if (i == files) {
      d.orphan = ref->sha256;  // written, never referred to (an upload killed before its row)
      break;
    }
    auto id = s.InsertArtifact({0, d.student, ref->sha256, static_cast<std::int64_t>(ref->size),
                                "text/plain", "work-" + std::to_string(i) + ".txt", d.student,
                                1700000000});
    EXPECT_TRUE(id.ok());
    d.referenced.push_back(ref->sha256);
  }
  WriteFile(d.files / "tmp" / "0123.part", "half an upload");
  WriteFile(d.files / "previews" / (d.referenced.front() + "-0.png"), "png");
  return d;
}

std::map<std::string, std::string> BlobDigests(const fs::path& root) {
  std::map<std::string, std::string> digests;
  auto blobs = ListStoredBlobs(root);
  EXPECT_TRUE(blobs.ok());
  for (const StoredBlob& blob : *blobs) {
    auto digest = DigestFile(blob.path);
    EXPECT_TRUE(digest.ok());
    digests[blob.sha256] = digest->sha256;
  }
  return digests;
}

TEST(BackupTest, BackupWhileRatingsArriveRestoresOneMomentExactly) {
  ScratchDir dir;
  District d = MakeDistrict(dir / "live.db", 6);
  WriteFile(dir / "live.db.master-key", std::string(64, 'a') + "\n");

  // Another connection keeps appending ratings, as a server would.
  std::atomic<bool> stop{false};
  std::atomic<int> appended{0};
  std::thread writer([&] {
    auto store = SqliteStore::Open(d.db.string());
    ASSERT_TRUE(store.ok());
    RatingFact rating;
    rating.student_id = d.student;
    rating.cpe_id = "M101.1";
    rating.level_id = "proficient";
    rating.demonstrated_on = *ParseDate("2026-02-01");
    rating.recorded_at = 1770000000;
    rating.recorded_by = d.teacher;
    while (!stop) {
      rating.note = "during backup " + std::to_string(appended.load());
      ASSERT_TRUE((*store)->AppendRating(rating).ok());
      ++appended;
    }
  });
  while (appended < 5) std::this_thread::yield();
  const std::int64_t ratings_before = Scalar(d.db, "SELECT COUNT(*) FROM ratings");

  BackupOptions options;
  options.db_path = d.db.string();
  options.destination = (dir / "backup").string();
  options.pages_per_step = 8;  // many steps, so writes land between them
  options.pause_between_steps = std::chrono::milliseconds(1);
  const int appended_at_start = appended;
  auto backup = TakeBackup(options);
  const int appended_at_end = appended;
  EXPECT_GT(appended_at_end, appended_at_start) << "no rating arrived during the backup";
  while (appended < appended_at_end + 5) std::this_thread::yield();
  stop = true;
  writer.join();
  ASSERT_TRUE(backup.ok()) << backup.status().ToString();
  const std::int64_t ratings_after = Scalar(d.db, "SELECT COUNT(*) FROM ratings");
  EXPECT_GT(backup->steps, 10);
  EXPECT_TRUE(backup->problems.empty());
  EXPECT_GE(backup->tables.at("ratings"), ratings_before);
  EXPECT_LT(backup->tables.at("ratings"), ratings_after);
  EXPECT_EQ(backup->referenced_blobs, 6);
  EXPECT_EQ(backup->blobs, 7);  // and the orphan: its row may come after the snapshot
  EXPECT_FALSE(backup->master_key_copied);
  EXPECT_FALSE(fs::exists(dir / "backup" / "master-key"));
  EXPECT_EQ(fs::status(dir / "backup").permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_TRUE(fs::exists(dir / "backup" / "manifest.json"));

  RestoreOptions restore;
  restore.source = (dir / "backup").string();
  restore.db_path = (dir / "restored" / "cairn.db").string();
  auto restored = RestoreBackup(restore);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->tables, backup->tables);
  EXPECT_EQ(restored->blobs, 7);
  EXPECT_FALSE(restored->master_key_restored);
  EXPECT_FALSE(fs::exists(dir / "restored" / "cairn.db.master-key"));

  // Row by row: the restored database is the live one as of one moment,
  // that is every table as it is now and the ratings up to the last copied.
  const fs::path restored_db = dir / "restored" / "cairn.db";
  const std::int64_t last = Scalar(restored_db, "SELECT MAX(id) FROM ratings");
  const auto expected = DumpTables(d.db, last);
  const auto actual = DumpTables(restored_db);
  ASSERT_EQ(actual.size(), expected.size());
  for (const auto& [table, rows] : expected) {
    EXPECT_EQ(actual.at(table), rows) << table;
  }
  EXPECT_EQ(Scalar(restored_db, "SELECT COUNT(*) FROM ratings"), backup->tables.at("ratings"));

  // Every file, by its hash; nothing unfinished or derived came along.
  const fs::path restored_files = dir / "restored" / "cairn.db-files";
  EXPECT_EQ(BlobDigests(restored_files), BlobDigests(d.files));
  for (const auto& [name, digest] : BlobDigests(restored_files)) EXPECT_EQ(name, digest);
  EXPECT_FALSE(fs::exists(restored_files / "tmp"));
  EXPECT_FALSE(fs::exists(restored_files / "previews"));

  // The restored database opens and serves reads.
  auto reopened = SqliteStore::Open(restored_db.string());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto service = CairnService::Open(std::move(reopened).value(), SystemClock());
  ASSERT_TRUE(service.ok());
  EXPECT_TRUE((*service)->Progress("student-00001").ok());
}

TEST(BackupTest, RestoreRefusesADamagedFileNamingIt) {
  ScratchDir dir;
  District d = MakeDistrict(dir / "live.db", 3);
  BackupOptions options;
  options.db_path = d.db.string();
  options.destination = (dir / "backup").string();
  ASSERT_TRUE(TakeBackup(options).ok());

  const std::string& victim = d.referenced[1];
  const fs::path copy =
      dir / "backup" / "files" / "sha256" / victim.substr(0, 2) / victim.substr(2, 2) / victim;
  fs::permissions(copy, fs::perms::owner_read | fs::perms::owner_write);
  std::string bytes = ReadFile(copy);
  bytes[bytes.size() / 2] ^= 0x20;
  WriteFile(copy, bytes);

  RestoreOptions restore;
  restore.source = (dir / "backup").string();
  restore.db_path = (dir / "new.db").string();
  auto restored = RestoreBackup(restore);
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(restored.status().message().find(copy.string()), std::string::npos)
      << restored.status().message();
  EXPECT_NE(restored.status().message().find("damaged"), std::string::npos);
  // Nothing left behind.
  EXPECT_FALSE(fs::exists(dir / "new.db"));
  EXPECT_FALSE(fs::exists(dir / "new.db.restoring"));
  EXPECT_FALSE(fs::exists(dir / "new.db-files"));
  EXPECT_FALSE(fs::exists(dir / "new.db-files.restoring"));
}

TEST(BackupTest, RestoreChecksTheManifestAndNeverOverwrites) {
  ScratchDir dir;
  District d = MakeDistrict(dir / "live.db", 1);
  BackupOptions options;
  options.db_path = d.db.string();
  options.destination = (dir / "backup").string();
  ASSERT_TRUE(TakeBackup(options).ok());

  // Into a non-empty destination: refused.
  auto again = TakeBackup(options);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);

  // Over an existing database: refused, the database untouched.
  RestoreOptions restore;
  restore.source = (dir / "backup").string();
  restore.db_path = d.db.string();
  const std::int64_t ratings = Scalar(d.db, "SELECT COUNT(*) FROM ratings");
  auto over = RestoreBackup(restore);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(over.status().message().find(d.db.string()), std::string::npos);
  EXPECT_EQ(Scalar(d.db, "SELECT COUNT(*) FROM ratings"), ratings);

  // A manifest whose counts do not match the database: refused, naming the table.
  const fs::path manifest = dir / "backup" / "manifest.json";
  const std::string original = ReadFile(manifest);
  auto edited = nlohmann::json::parse(original);
  edited["tables"]["ratings"] = edited["tables"]["ratings"].get<std::int64_t>() + 1;
  WriteFile(manifest, edited.dump());
  restore.db_path = (dir / "new.db").string();
  auto counted = RestoreBackup(restore);
  ASSERT_FALSE(counted.ok());
  EXPECT_NE(counted.status().message().find("table ratings"), std::string::npos)
      << counted.status().message();
  EXPECT_FALSE(fs::exists(dir / "new.db"));

  // A damaged database file: refused by its hash.
  WriteFile(manifest, original);
  const fs::path db_copy = dir / "backup" / "cairn.db";
  std::string bytes = ReadFile(db_copy);
  bytes[bytes.size() - 100] ^= 1;
  WriteFile(db_copy, bytes);
  auto damaged = RestoreBackup(restore);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.status().message().find(db_copy.string()), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "new.db"));

  // No manifest, no backup.
  fs::remove(manifest);
  EXPECT_EQ(RestoreBackup(restore).status().code(), StatusCode::kNotFound);
}

TEST(BackupTest, MasterKeyOnlyWhenAskedAndPrivate) {
  ScratchDir dir;
  District d = MakeDistrict(dir / "live.db", 1);
  const std::string key = std::string(64, 'b') + "\n";
  WriteFile(dir / "live.db.master-key", key);
  BackupOptions options;
  options.db_path = d.db.string();
  options.destination = (dir / "backup").string();
  options.include_master_key = true;
  auto backup = TakeBackup(options);
  ASSERT_TRUE(backup.ok()) << backup.status().ToString();
  EXPECT_TRUE(backup->master_key_copied);
  const auto private_file = fs::perms::owner_read | fs::perms::owner_write;
  EXPECT_EQ(fs::status(dir / "backup" / "master-key").permissions() & fs::perms::all, private_file);

  RestoreOptions restore;
  restore.source = (dir / "backup").string();
  restore.db_path = (dir / "new.db").string();
  auto restored = RestoreBackup(restore);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_TRUE(restored->master_key_restored);
  EXPECT_EQ(ReadFile(dir / "new.db.master-key"), key);
  EXPECT_EQ(fs::status(dir / "new.db.master-key").permissions() & fs::perms::all, private_file);
}

TEST(BlobSweepTest, RemovesOldOrphansAndUnfinishedUploadsOnly) {
  ScratchDir dir;
  District d = MakeDistrict(dir / "live.db", 2);
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(3);
  BlobStore blobs(d.files);
  for (const std::string& sha : {d.referenced[0], d.orphan}) {
    fs::last_write_time(*blobs.PathOf(sha), old);
  }
  fs::last_write_time(d.files / "tmp" / "0123.part", old);
  WriteFile(d.files / "previews" / (d.orphan + "-0.png"), "png");
  // A young orphan: an upload whose row is not written yet.
  auto writer = blobs.BeginWrite(100);
  ASSERT_TRUE(writer->Append("in flight").ok());
  auto young = writer->Commit();
  ASSERT_TRUE(young.ok());
  // A row whose file is gone.
  auto store = SqliteStore::Open(d.db.string());
  ASSERT_TRUE(store.ok());
  const std::string lost(64, 'c');
  ASSERT_TRUE((*store)
                  ->InsertArtifact({0, d.student, lost, 3, "text/plain", "lost.txt", d.student, 1})
                  .ok());

  SweepOptions options;
  options.db_path = d.db.string();
  auto report = SweepBlobs(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->temp_files_removed, 1);
  EXPECT_EQ(report->orphans_removed, std::vector<std::string>{d.orphan});
  EXPECT_EQ(report->previews_removed, 1);
  EXPECT_EQ(report->blobs_kept, 3);  // two referenced (one old), one young
  EXPECT_EQ(report->missing, std::vector<std::string>{lost});
  EXPECT_FALSE(fs::exists(*blobs.PathOf(d.orphan)));
  EXPECT_TRUE(fs::exists(*blobs.PathOf(d.referenced[0])));
  EXPECT_TRUE(fs::exists(*blobs.PathOf(young->sha256)));
  EXPECT_TRUE(fs::exists(d.files / "previews" / (d.referenced.front() + "-0.png")));

  // With no grace (no server running) the young orphan goes too.
  options.grace = std::chrono::minutes(0);
  report = SweepBlobs(options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->orphans_removed, std::vector<std::string>{young->sha256});
}

}  // namespace
}  // namespace cairn
