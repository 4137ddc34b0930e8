// What the `cairn` subcommands share, internal to src/cli: the streams they
// write to, the --db and --json options, how a failure is reported, and the
// shape of an entry in RunCli's command table (commands.cpp), which lists
// one `Add...Command` function per subcommand, each defined in a cmd_*.cpp.
//
// Adding a command: write cmd_<name>.cpp with its Add function, declare it
// below, and add one line to the table.
#pragma once

#include <memory>
#include <ostream>
#include <span>
#include <string>

#include "common/status.h"
#include "service/cairn_service.h"

namespace CLI {
class App;
}

namespace cairn::cli {

// --db when a command is given none.
inline constexpr const char* kDefaultDb = "cairn-data/cairn.db";

// One run of RunCli. Commands bind their shared options (--db, --json) into
// it; the one command CLI11 picks runs its callback, which writes to `out`
// and `err` and leaves its exit code in `exit_code`. Lives for one RunCli
// call and must outlive the CLI::App it is bound to. Not thread-safe.
struct CliContext {
  CliContext(std::ostream& out_stream, std::ostream& err_stream)
      : out(out_stream), err(err_stream) {}

  // A failed command: "cairn: <code>: <message>" on `err` and, with --json,
  // {"error": {"code", "message"}} on `out`. Sets exit_code to 1.
  void Fail(const Status& status);

  std::ostream& out;
  std::ostream& err;
  std::string db = kDefaultDb;  // --db, for the commands that take it
  bool json_output = false;     // --json
  int exit_code = 0;
};

// Creates the folder that will hold `path` (a file), if it has one.
Status EnsureParentDirectory(const std::string& path);

// Opens the database at `db_path` (creating it and its folder, or migrating
// it) and the service on it, with the system clock.
Result<std::unique_ptr<CairnService>> OpenService(const std::string& db_path);

// A badge's explanation as text (`cairn explain`, and after `cairn record`).
void PrintExplanation(std::ostream& out, const BadgeExplanation& explanation);

// `--db PATH` bound to ctx.db (default shown in --help), and `--json` bound to
// ctx.json_output, on `command`.
void AddDbOption(CLI::App& command, CliContext& ctx);
void AddJsonFlag(CLI::App& command, CliContext& ctx);

// Declares a subcommand's options, its own subcommands and its callback on
// `command` (already named and described from the table). Option values live
// in state the callback owns, so as long as the App.
using AddCommandFn = void (*)(CLI::App& command, CliContext& ctx);

// One entry of the command table, in the order --help lists them.
struct CliCommand {
  const char* name;
  const char* help;
  AddCommandFn add;
};

// The table RunCli walks (commands.cpp).
std::span<const CliCommand> CliCommands();

// The table's entries, by file.
void AddInitCommand(CLI::App& command, CliContext& ctx);                // cmd_init.cpp
void AddCatalogCommand(CLI::App& command, CliContext& ctx);             // cmd_catalog.cpp
void AddSettingsCommand(CLI::App& command, CliContext& ctx);            // cmd_settings.cpp
void AddDemoCommand(CLI::App& command, CliContext& ctx);                // cmd_demo.cpp
void AddRecordCommand(CLI::App& command, CliContext& ctx);              // cmd_ledger.cpp
void AddHabitCommand(CLI::App& command, CliContext& ctx);               // cmd_ledger.cpp
void AddVoidCommand(CLI::App& command, CliContext& ctx);                // cmd_ledger.cpp
void AddProgressCommand(CLI::App& command, CliContext& ctx);            // cmd_progress.cpp
void AddExplainCommand(CLI::App& command, CliContext& ctx);             // cmd_progress.cpp
void AddAwardCommand(CLI::App& command, CliContext& ctx);               // cmd_award.cpp
void AddServeCommand(CLI::App& command, CliContext& ctx);               // cmd_serve.cpp
void AddVerifyCommand(CLI::App& command, CliContext& ctx);              // cmd_verify.cpp
void AddTrackingSheetCommand(CLI::App& command, CliContext& ctx);       // cmd_reports.cpp
void AddReportsCommand(CLI::App& command, CliContext& ctx);             // cmd_reports.cpp
void AddReportCardCommand(CLI::App& command, CliContext& ctx);          // cmd_report_card.cpp
void AddReportCardSettingsCommand(CLI::App& command, CliContext& ctx);  // cmd_report_card.cpp
void AddBackupCommand(CLI::App& command, CliContext& ctx);              // cmd_backup.cpp
void AddRestoreCommand(CLI::App& command, CliContext& ctx);             // cmd_backup.cpp
void AddBlobsCommand(CLI::App& command, CliContext& ctx);               // cmd_backup.cpp
void AddImportCommand(CLI::App& command, CliContext& ctx);              // cmd_import.cpp
void AddSectionsCommand(CLI::App& command, CliContext& ctx);            // cmd_sections.cpp
void AddStandardsCommand(CLI::App& command, CliContext& ctx);           // cmd_standards.cpp
void AddSignInCommand(CLI::App& command, CliContext& ctx);              // cmd_invite.cpp
void AddInviteCommand(CLI::App& command, CliContext& ctx);              // cmd_invite.cpp
void AddExportCommand(CLI::App& command, CliContext& ctx);              // cmd_export.cpp
void AddMigrateCommand(CLI::App& command, CliContext& ctx);             // cmd_migrate.cpp
void AddKeysCommand(CLI::App& command, CliContext& ctx);                // cmd_keys.cpp
void AddReissueCommand(CLI::App& command, CliContext& ctx);             // cmd_keys.cpp
void AddCoursesCommand(CLI::App& command, CliContext& ctx);             // cmd_alignment.cpp
// `import assessment-items`, added to the import command (cmd_alignment.cpp).
void AddAssessmentItemsImport(CLI::App& import_command, CliContext& ctx);

}  // namespace cairn::cli
