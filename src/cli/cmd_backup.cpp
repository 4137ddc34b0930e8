// `cairn backup`, `cairn restore` and `cairn blobs sweep`: the command-line
// faces of store/backup.h and store/blob_maintenance.h.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "store/backup.h"
#include "store/blob_maintenance.h"
#include "store/open_store.h"

#ifndef CAIRN_VERSION
#define CAIRN_VERSION "dev"
#endif

namespace cairn::cli {
namespace {

using nlohmann::json;

// `cairn blobs sweep`'s options (SweepOptions takes a duration).
struct SweepCommandOptions {
  std::string db;
  int minutes = 60;
};

// Backups and sweeps work on a SQLite file and the folder beside it.
Status RefusePostgres(const std::string& db_path) {
  if (!IsPostgresLocation(db_path)) return Status::Ok();
  return Status::AtField(StatusCode::kInvalidArgument, "db",
                         "--db: backup, restore and blob sweeps work on a SQLite file; back up a "
                         "PostgreSQL database with pg_dump and copy its files folder");
}

std::int64_t TotalRows(const std::map<std::string, std::int64_t>& tables) {
  std::int64_t rows = 0;
  for (const auto& [name, count] : tables) rows += count;
  return rows;
}

void RunBackup(CliContext& ctx, BackupOptions& options) {
  if (Status s = RefusePostgres(options.db_path); !s.ok()) return ctx.Fail(s);
  options.cairn_version = CAIRN_VERSION;
  auto report = TakeBackup(options);
  if (!report.ok()) return ctx.Fail(report.status());
  const BackupReport& r = *report;
  for (const std::string& problem : r.problems) {
    ctx.err << "cairn: warning: file " << problem << "\n";
  }
  if (!r.problems.empty()) ctx.exit_code = 1;
  if (ctx.json_output) {
    ctx.out << json{{"destination", options.destination},
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
  ctx.out << "Backed up " << options.db_path << " to " << options.destination << ": schema "
          << r.schema_version << ", " << r.tables.size() << " tables, " << TotalRows(r.tables)
          << " rows (" << r.database_bytes << " bytes, " << r.steps << " steps), " << r.blobs
          << " files (" << r.blob_bytes << " bytes, " << r.referenced_blobs
          << " referenced), each checked against its SHA-256; "
          << "manifest.json lists them all.\n";
  if (r.master_key_copied) {
    ctx.out << "The master key (" << r.master_key_path
            << ") is in the backup as master-key (mode 0600): whoever holds the backup can "
               "sign as the district.\n";
  } else {
    ctx.out << "The master key (" << r.master_key_path
            << (options.include_master_key ? ", not found; is CAIRN_MASTER_KEY set?" : "")
            << ") is NOT in the backup: keep a copy of it apart from the backup, or a "
               "restored server cannot sign with the districts' current keys "
               "(--include-master-key copies it, mode 0600).\n";
  }
}

void RunRestore(CliContext& ctx, const RestoreOptions& options) {
  if (Status s = RefusePostgres(options.db_path); !s.ok()) return ctx.Fail(s);
  auto report = RestoreBackup(options);
  if (!report.ok()) return ctx.Fail(report.status());
  const RestoreReport& r = *report;
  for (const std::string& problem : r.problems) {
    ctx.err << "cairn: warning: the backup lacked file " << problem << "\n";
  }
  const std::string files =
      options.files_dir.empty() ? DefaultFilesDir(options.db_path) : options.files_dir;
  if (ctx.json_output) {
    ctx.out << json{{"db", options.db_path},
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
  ctx.out << "Restored the backup of " << r.created_at << " (schema " << r.schema_version << ") to "
          << options.db_path << " and " << files << ": PRAGMA "
          << "integrity_check ok, " << r.tables.size() << " tables (" << TotalRows(r.tables)
          << " rows) and " << r.blobs << " files (" << r.blob_bytes
          << " bytes) match the manifest.\n";
  if (r.master_key_restored) {
    ctx.out << "Master key restored beside the database (mode 0600).\n";
  } else {
    ctx.out << "The backup holds no master key: put it at " << options.db_path
            << ".master-key (mode 0600) or set CAIRN_MASTER_KEY before `cairn serve`.\n";
  }
}

void RunSweep(CliContext& ctx, const SweepCommandOptions& sweep) {
  if (sweep.minutes < 0) {
    return ctx.Fail(Status::Invalid("--older-than: expected minutes, 0 or more"));
  }
  if (Status s = RefusePostgres(sweep.db); !s.ok()) return ctx.Fail(s);
  SweepOptions options;
  options.db_path = sweep.db;
  options.grace = std::chrono::minutes(sweep.minutes);
  auto report = SweepBlobs(options);
  if (!report.ok()) return ctx.Fail(report.status());
  const SweepReport& r = *report;
  const std::string files = DefaultFilesDir(sweep.db);
  for (const std::string& sha256 : r.missing) {
    ctx.err << "cairn: warning: file " << sha256 << " is referenced by the database but not in "
            << files << "\n";
  }
  if (!r.missing.empty()) ctx.exit_code = 1;
  if (ctx.json_output) {
    ctx.out << json{{"files", files},
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
  ctx.out << "Swept " << files << " (files older than " << sweep.minutes << " minutes): removed "
          << r.temp_files_removed << " unfinished uploads, " << r.orphans_removed.size()
          << " orphan files (" << r.orphan_bytes << " bytes), " << r.previews_removed
          << " previews; kept " << r.blobs_kept << " files.\n";
}

}  // namespace

void AddBackupCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<BackupOptions>();
  command.add_option("--db", options->db_path, "SQLite database file")->required();
  command.add_option("--to", options->destination, "New (or empty) backup directory")->required();
  command.add_flag("--include-master-key", options->include_master_key,
                   "Also copy <db>.master-key (mode 0600); left out by default");
  AddJsonFlag(command, ctx);
  command.callback([&ctx, options] { RunBackup(ctx, *options); });
}

void AddRestoreCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<RestoreOptions>();
  command.add_option("--from", options->source, "Backup directory")->required();
  command.add_option("--db", options->db_path, "New database file (must not exist)")->required();
  AddJsonFlag(command, ctx);
  command.callback([&ctx, options] { RunRestore(ctx, *options); });
}

void AddBlobsCommand(CLI::App& command, CliContext& ctx) {
  command.require_subcommand(1);
  auto options = std::make_shared<SweepCommandOptions>();
  CLI::App* sweep = command.add_subcommand(
      "sweep", "Remove unfinished uploads, files no record refers to and their previews");
  sweep->add_option("--db", options->db, "SQLite database file")->required();
  sweep
      ->add_option("--older-than", options->minutes,
                   "Leave files younger than this many minutes (uploads in flight); 0 only "
                   "when no server is running")
      ->capture_default_str();
  AddJsonFlag(*sweep, ctx);
  sweep->callback([&ctx, options] { RunSweep(ctx, *options); });
}

}  // namespace cairn::cli
