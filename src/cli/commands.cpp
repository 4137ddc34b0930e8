#include "cli/commands.h"

#include <CLI/CLI.hpp>

#include <sstream>

#include "cli/cli_context.h"

#ifndef CAIRN_VERSION
#define CAIRN_VERSION "dev"
#endif

namespace cairn {
namespace cli {
namespace {

// Every subcommand, in the order --help lists them (Ninja's kSubtools).
constexpr CliCommand kCommands[] = {
    {"init", "Create or upgrade a Cairn database", AddInitCommand},
    {"catalog", "Load or show the badge catalog", AddCatalogCommand},
    {"settings", "Change district settings", AddSettingsCommand},
    {"demo", "Create a synthetic demo district", AddDemoCommand},
    {"record", "Record a rating (append a fact)", AddRecordCommand},
    {"habit", "Record a habit-of-work observation (kept apart from mastery)", AddHabitCommand},
    {"void", "Void a rating with a reason (append a fact)", AddVoidCommand},
    {"progress", "A student's badges and pathway", AddProgressCommand},
    {"explain", "Why a badge is or is not met", AddExplainCommand},
    {"award", "Propose, confirm or revoke a badge award", AddAwardCommand},
    {"serve", "Run the web app and REST API", AddServeCommand},
    {"verify", "Verify a badge credential (baked PNG or SVG, JSON, JWT) from a file or URL",
     AddVerifyCommand},
    {"tracking-sheet", "Badge completion tracking sheet (CSV)", AddTrackingSheetCommand},
    {"reports", "Reports: report cards and badge transcripts (PDF)", AddReportsCommand},
    {"backup", "Copy the database and its portfolio files while the server keeps serving",
     AddBackupCommand},
    {"restore", "Check a backup against its manifest and write it to a new database",
     AddRestoreCommand},
    {"blobs", "Maintain the portfolio file store", AddBlobsCommand},
    {"import", "Import people, sections and enrollments (OneRoster) or standards frameworks (CASE)",
     AddImportCommand},
    {"sections", "List sections and set the badges each works on", AddSectionsCommand},
    {"courses", "List courses and set the badges their new sections start with", AddCoursesCommand},
    {"standards", "Standards frameworks (CASE), the CPE crosswalk and its coverage",
     AddStandardsCommand},
    {"sign-in", "Which roles may sign in", AddSignInCommand},
    {"invite", "Invitation links that let imported people set up their sign-in", AddInviteCommand},
    {"export", "Grades for the student information system (OneRoster gradebook, CSV)",
     AddExportCommand},
    {"migrate", "Copy a SQLite database into an empty PostgreSQL one, checking every table",
     AddMigrateCommand},
    {"keys", "A district's signing keys; mark a compromised one revoked", AddKeysCommand},
    {"reissue", "Move every credential to a new public URL (sign anew, revoke the old)",
     AddReissueCommand},
};

}  // namespace

std::span<const CliCommand> CliCommands() { return kCommands; }

}  // namespace cli

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  cli::CliContext ctx(out, err);
  CLI::App app{"Cairn: mastery-based badges for schools."};
  app.name("cairn");
  app.require_subcommand(1);
  app.set_version_flag("--version", CAIRN_VERSION);
  for (const cli::CliCommand& command : cli::CliCommands()) {
    command.add(*app.add_subcommand(command.name, command.help), ctx);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that exit 0.
    std::ostringstream text_out, text_err;
    int code = app.exit(e, text_out, text_err);
    out << text_out.str();
    err << text_err.str();
    return code;
  }
  return ctx.exit_code;
}

}  // namespace cairn
