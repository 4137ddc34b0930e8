#include "cli/cmd_import.h"

#include <CLI/CLI.hpp>

#include <memory>

#include "cli/cli_context.h"

#include <nlohmann/json.hpp>

#include "interop/oneroster/oneroster_import.h"
#include "store/open_store.h"

namespace cairn {
namespace {

using oneroster::EntityCounts;
using oneroster::ImportReport;

int Fail(const Status& status, bool json, std::ostream& out, std::ostream& err) {
  if (json) {
    out << nlohmann::json{{"error",
                           {{"code", StatusCodeName(status.code())},
                            {"message", status.message()}}}}
               .dump(2)
        << "\n";
  }
  err << "cairn: " << StatusCodeName(status.code()) << ": " << status.message() << "\n";
  return 2;
}

void PrintCounts(std::ostream& out, const char* entity, const EntityCounts& counts) {
  out << "  " << entity << ": " << counts.added << " added, " << counts.updated << " updated, "
      << counts.deactivated << " deactivated\n";
}

void PrintText(const ImportReport& report, std::ostream& out) {
  out << "OneRoster " << (report.version.empty() ? "?" : report.version) << "\n";
  for (const auto& [name, mode] : report.modes) {
    if (mode == oneroster::FileMode::kAbsent) continue;
    auto rows = report.read.rows.find(name);
    out << "  " << name << " (" << oneroster::FileModeName(mode)
        << "): " << (rows == report.read.rows.end() ? 0 : rows->second) << " rows";
    if (auto ignored = report.read.ignored_columns.find(name);
        ignored != report.read.ignored_columns.end()) {
      out << ", " << ignored->second.size() << " extension columns ignored";
    }
    out << "\n";
  }
  for (const std::string& file : report.read.ignored_files) out << "  ignored: " << file << "\n";
  if (!report.ok()) {
    out << report.problems.size() << " problem" << (report.problems.size() == 1 ? "" : "s")
        << "; nothing was changed:\n";
    for (const auto& problem : report.problems) {
      out << "  " << oneroster::FormatProblem(problem) << "\n";
    }
    return;
  }
  const auto& plan = report.plan;
  out << (report.applied        ? "Changes made:\n"
          : report.plan.empty() ? "Nothing to change (the roster already matches).\n"
                                : "Changes this import would make (dry run):\n");
  if (!report.plan.empty()) {
    PrintCounts(out, "districts", plan.districts);
    PrintCounts(out, "schools", plan.schools);
    PrintCounts(out, "courses", plan.courses);
    PrintCounts(out, "academic sessions", plan.academic_sessions);
    PrintCounts(out, "sections", plan.sections);
    PrintCounts(out, "people", plan.people);
    PrintCounts(out, "enrollments", plan.enrollments);
    PrintCounts(out, "guardian links", plan.guardian_links);
  }
  if (plan.orgs_not_kept > 0) {
    out << "  " << plan.orgs_not_kept << " orgs of other types (department, local, state, "
        << "national) not kept\n";
  }
  for (const auto& warning : plan.warnings) {
    out << "  warning: " << oneroster::FormatProblem(warning) << "\n";
  }
}

}  // namespace

int RunImportOneRoster(const std::string& db_path, const std::string& path, bool dry_run, bool json,
                       std::ostream& out, std::ostream& err) {
  auto store = OpenStore(db_path);
  if (!store.ok()) return Fail(store.status(), json, out, err);
  oneroster::ImportOptions options;
  options.dry_run = dry_run;
  auto report = oneroster::ImportOneRoster(**store, path, options);
  if (!report.ok()) return Fail(report.status(), json, out, err);
  if (json) {
    out << oneroster::ReportJson(*report).dump(2) << "\n";
  } else {
    PrintText(*report, out);
  }
  return report->ok() ? 0 : 1;
}

}  // namespace cairn

namespace cairn::cli {

void AddImportCommand(CLI::App& command, CliContext& ctx) {
  command.require_subcommand(1);
  CLI::App* oneroster = command.add_subcommand(
      "oneroster", "Import a OneRoster 1.1 or 1.2 CSV set (a folder or a .zip), all or nothing");
  struct Options {
    std::string path;
    bool dry_run = false;
  };
  auto options = std::make_shared<Options>();
  AddDbOption(*oneroster, ctx);
  AddJsonFlag(*oneroster, ctx);
  oneroster->add_option("PATH", options->path, "The set: a folder of CSV files or a zip")
      ->required();
  oneroster->add_flag("--dry-run", options->dry_run,
                      "Check the set and report what would change; write nothing");
  oneroster->callback([&ctx, options] {
    ctx.exit_code = RunImportOneRoster(ctx.db, options->path, options->dry_run, ctx.json_output,
                                       ctx.out, ctx.err);
  });
}

}  // namespace cairn::cli
