#include "cli/cmd_backup.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "store/backup.h"
#include "store/blob_maintenance.h"

#ifndef CAIRN_VERSION
#define CAIRN_VERSION "dev"
#endif

namespace cairn {
namespace {

using nlohmann::json;

// Option values, owned by the commands' callbacks (so by the App).
struct BackupCommandState {
  int* result = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  bool json_output = false;
  BackupOptions backup;
  RestoreOptions restore;
  std::string sweep_db;
  int sweep_minutes = 60;
};

void Fail(BackupCommandState& state, const Status& status) {
  if (state.json_output) {
    *state.out << json{{"error",
                        {{"code", StatusCodeName(status.code())}, {"message", status.message()}}}}
                      .dump(2)
               << "\n";
  }
  *state.err << "cairn: " << StatusCodeName(status.code()) << ": " << status.message() << "\n";
  *state.result = 1;
}

std::int64_t TotalRows(const std::map<std::string, std::int64_t>& tables) {
  std::int64_t rows = 0;
  for (const auto& [name, count] : tables) rows += count;
  return rows;
}

void RunBackup(BackupCommandState& state) {
  state.backup.cairn_version = CAIRN_VERSION;
  auto report = TakeBackup(state.backup);
  if (!report.ok()) return Fail(state, report.status());
  const BackupReport& r = *report;
  for (const std::string& problem : r.problems) {
    *state.err << "cairn: warning: file " << problem << "\n";
  }
  if (!r.problems.empty()) *state.result = 1;
  if (state.json_output) {
    *state.out << json{{"destination", state.backup.destination},
                       {"schema_version", r.schema_version},
                       {"tables", r.tables},
                       {"database_bytes", r.database_bytes},
                       {"steps", r.steps},
                       {"blobs", r.blobs},
                       {"referenced_blobs", r.referenced_blobs},
                       {"blob_bytes", r.blob_bytes},
                       {"problems", r.problems},
                       {"master_key_copied", r.master_key_copied}}
                      .dump(2)
               << "\n";
    return;
  }
  *state.out << "Backed up " << state.backup.db_path << " to " << state.backup.destination
             << ": schema " << r.schema_version << ", " << r.tables.size() << " tables, "
             << TotalRows(r.tables) << " rows (" << r.database_bytes << " bytes, " << r.steps
             << " steps), " << r.blobs << " files (" << r.blob_bytes << " bytes, "
             << r.referenced_blobs << " referenced), each checked against its SHA-256; "
             << "manifest.json lists them all.\n";
  if (r.master_key_copied) {
    *state.out << "The master key (" << r.master_key_path
               << ") is in the backup as master-key (mode 0600): whoever holds the backup can "
                  "sign as the district.\n";
  } else {
    *state.out << "The master key (" << r.master_key_path
               << (state.backup.include_master_key ? ", not found; is CAIRN_MASTER_KEY set?" : "")
               << ") is NOT in the backup: keep a copy of it apart from the backup, or a "
                  "restored server cannot sign with the districts' current keys "
                  "(--include-master-key copies it, mode 0600).\n";
  }
}

void RunRestore(BackupCommandState& state) {
  auto report = RestoreBackup(state.restore);
  if (!report.ok()) return Fail(state, report.status());
  const RestoreReport& r = *report;
  for (const std::string& problem : r.problems) {
    *state.err << "cairn: warning: the backup lacked file " << problem << "\n";
  }
  const std::string files = state.restore.files_dir.empty() ? DefaultFilesDir(state.restore.db_path)
                                                            : state.restore.files_dir;
  if (state.json_output) {
    *state.out << json{{"db", state.restore.db_path},
                       {"files", files},
                       {"created_at", r.created_at},
                       {"schema_version", r.schema_version},
                       {"tables", r.tables},
                       {"blobs", r.blobs},
                       {"blob_bytes", r.blob_bytes},
                       {"problems", r.problems},
                       {"master_key_restored", r.master_key_restored}}
                      .dump(2)
               << "\n";
    return;
  }
  *state.out << "Restored the backup of " << r.created_at << " (schema " << r.schema_version
             << ") to " << state.restore.db_path << " and " << files << ": PRAGMA "
             << "integrity_check ok, " << r.tables.size() << " tables (" << TotalRows(r.tables)
             << " rows) and " << r.blobs << " files (" << r.blob_bytes
             << " bytes) match the manifest.\n";
  if (r.master_key_restored) {
    *state.out << "Master key restored beside the database (mode 0600).\n";
  } else {
    *state.out << "The backup holds no master key: put it at " << state.restore.db_path
               << ".master-key (mode 0600) or set CAIRN_MASTER_KEY before `cairn serve`.\n";
  }
}

void RunSweep(BackupCommandState& state) {
  if (state.sweep_minutes < 0) {
    return Fail(state, Status::Invalid("--older-than: expected minutes, 0 or more"));
  }
  SweepOptions options;
  options.db_path = state.sweep_db;
  options.grace = std::chrono::minutes(state.sweep_minutes);
  auto report = SweepBlobs(options);
  if (!report.ok()) return Fail(state, report.status());
  const SweepReport& r = *report;
  const std::string files = DefaultFilesDir(state.sweep_db);
  for (const std::string& sha256 : r.missing) {
    *state.err << "cairn: warning: file " << sha256 << " is referenced by the database but not in "
               << files << "\n";
  }
  if (!r.missing.empty()) *state.result = 1;
  if (state.json_output) {
    *state.out << json{{"files", files},
                       {"temp_files_removed", r.temp_files_removed},
                       {"orphans_removed", r.orphans_removed},
                       {"orphan_bytes", r.orphan_bytes},
                       {"previews_removed", r.previews_removed},
                       {"blobs_kept", r.blobs_kept},
                       {"missing", r.missing}}
                      .dump(2)
               << "\n";
    return;
  }
  *state.out << "Swept " << files << " (files older than " << state.sweep_minutes
             << " minutes): removed " << r.temp_files_removed << " unfinished uploads, "
             << r.orphans_removed.size() << " orphan files (" << r.orphan_bytes << " bytes), "
             << r.previews_removed << " previews; kept " << r.blobs_kept << " files.\n";
}

}  // namespace

void AddBackupCommands(CLI::App& app, int& result, std::ostream& out, std::ostream& err) {
  auto state = std::make_shared<BackupCommandState>();
  state->result = &result;
  state->out = &out;
  state->err = &err;

  CLI::App* backup = app.add_subcommand(
      "backup", "Copy the database and its portfolio files while the server keeps serving");
  backup->add_option("--db", state->backup.db_path, "SQLite database file")->required();
  backup->add_option("--to", state->backup.destination, "New (or empty) backup directory")
      ->required();
  backup->add_flag("--include-master-key", state->backup.include_master_key,
                   "Also copy <db>.master-key (mode 0600); left out by default");
  backup->add_flag("--json", state->json_output, "Print JSON instead of text");
  backup->callback([state] { RunBackup(*state); });

  CLI::App* restore = app.add_subcommand(
      "restore", "Check a backup against its manifest and write it to a new database");
  restore->add_option("--from", state->restore.source, "Backup directory")->required();
  restore->add_option("--db", state->restore.db_path, "New database file (must not exist)")
      ->required();
  restore->add_flag("--json", state->json_output, "Print JSON instead of text");
  restore->callback([state] { RunRestore(*state); });

  CLI::App* blobs = app.add_subcommand("blobs", "Maintain the portfolio file store");
  blobs->require_subcommand(1);
  CLI::App* sweep = blobs->add_subcommand(
      "sweep", "Remove unfinished uploads, files no record refers to and their previews");
  sweep->add_option("--db", state->sweep_db, "SQLite database file")->required();
  sweep
      ->add_option("--older-than", state->sweep_minutes,
                   "Leave files younger than this many minutes (uploads in flight); 0 only "
                   "when no server is running")
      ->capture_default_str();
  sweep->add_flag("--json", state->json_output, "Print JSON instead of text");
  sweep->callback([state] { RunSweep(*state); });
}

}  // namespace cairn
