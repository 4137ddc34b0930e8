#include "cli/cmd_import.h"

#include <CLI/CLI.hpp>

#include <memory>

#include "cli/cli_context.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/http_fetch.h"
#include "interop/case/case_import.h"
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

ProgressPrinter::~ProgressPrinter() {
  if (line_open_) err_ << "\n" << std::flush;  // stopped before "done"
}

void ProgressPrinter::operator()(const oneroster::ImportProgress& progress) {
  const int percent =
      progress.total == 0 ? 100 : static_cast<int>(progress.done * 100 / progress.total);
  if (progress.phase == "done") {  // the report follows: leave the line clean
    if (line_open_) err_ << "\r\033[K" << std::flush;
    line_open_ = false;
    return;
  }
  const bool new_phase = phase_ != progress.phase;
  phase_ = std::string(progress.phase);
  std::string what = phase_;
  if (!progress.file.empty()) what += " " + std::string(progress.file);
  if (terminal_) {
    if (!new_phase && percent == last_percent_) return;
    last_percent_ = percent;
    err_ << "\r\033[K" << what << "  " << percent << "%" << std::flush;
    line_open_ = true;
    return;
  }
  const int tenth = percent / 10;
  if (!new_phase && tenth == last_tenth_) return;
  last_tenth_ = tenth;
  err_ << what << " " << percent << "%\n" << std::flush;
}

int RunImportOneRoster(const std::string& db_path, const std::string& path, bool dry_run, bool json,
                       std::ostream& out, std::ostream& err,
                       const oneroster::ProgressFn& progress) {
  auto store = OpenStore(db_path);
  if (!store.ok()) return Fail(store.status(), json, out, err);
  oneroster::ImportOptions options;
  options.dry_run = dry_run;
  options.progress = progress;
  auto report = oneroster::ImportOneRoster(**store, path, options);
  if (progress) progress(oneroster::ImportProgress{"done", 1, 1, ""});
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
namespace {

// The package at `source`: a file, or an http(s) URL fetched like a
// verifier fetches (certificates checked), both bounded by the parser's
// size limit before anything is parsed.
Result<std::string> ReadCaseSource(const std::string& source, std::size_t max_bytes) {
  if (source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) {
    FetchLimits limits;
    limits.max_bytes = max_bytes;
    limits.timeout_seconds = 60;
    return HttpGet(source, limits);
  }
  std::error_code error;
  const auto size = std::filesystem::file_size(source, error);
  if (error) return Status::NotFound(source + ": cannot read (" + error.message() + ")");
  if (size > max_bytes) {
    return Status::TooLarge(source + ": " + std::to_string(size >> 20) + " MB is more than the " +
                            std::to_string(max_bytes >> 20) + " MB a CASE package may have");
  }
  std::ifstream in(source, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void PrintCaseReport(const standards::CaseImportReport& report, std::ostream& out) {
  out << "CASE " << (report.case_version.empty() ? "?" : report.case_version) << " package "
      << report.source << "\n";
  if (!report.ok()) {
    out << report.problems.size() << " problem" << (report.problems.size() == 1 ? "" : "s")
        << "; nothing was changed:\n";
    for (const FieldError& p : report.problems) {
      out << "  " << (p.field.empty() ? "" : p.field + ": ") << p.message << "\n";
    }
    return;
  }
  out << "  " << report.title << " (" << report.document_identifier << "), version "
      << report.version << "\n";
  out << "  " << report.items << " items, " << report.associations << " associations ("
      << report.external_associations << " to other frameworks), " << report.item_types
      << " item types, " << report.rubrics << " rubrics\n";
  switch (report.outcome) {
    case standards::CaseOutcome::kUnchanged:
      out << "Unchanged: this version is stored already.\n";
      break;
    case standards::CaseOutcome::kAdded:
      out << (report.applied ? "Added as a new framework.\n"
                             : "Would be added as a new framework (dry run).\n");
      break;
    case standards::CaseOutcome::kNewVersion:
      out << (report.applied ? "Stored as the new current version (was "
                             : "Would become the new current version (dry run; now ")
          << report.current_version << ").\n";
      break;
  }
  for (const std::string& warning : report.warnings) out << "  warning: " << warning << "\n";
}

void RunImportCase(CliContext& ctx, const std::string& source, bool dry_run) {
  standards::CaseImportOptions options;
  options.dry_run = dry_run;
  options.now = SystemClock()();
  auto text = ReadCaseSource(source, options.limits.max_bytes);
  if (!text.ok()) return ctx.Fail(text.status());
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto report = standards::ImportCasePackage((*service)->store(), *text, source, options);
  if (!report.ok()) return ctx.Fail(report.status());
  if (ctx.json_output) {
    ctx.out << standards::CaseReportJson(*report).dump(2) << "\n";
  } else {
    PrintCaseReport(*report, ctx.out);
  }
  ctx.exit_code = report->ok() ? 0 : 1;
}

}  // namespace

void AddImportCommand(CLI::App& command, CliContext& ctx) {
  command.require_subcommand(1);
  struct CaseOptions {
    std::string source;
    bool dry_run = false;
  };
  auto case_options = std::make_shared<CaseOptions>();
  CLI::App* case_package = command.add_subcommand(
      "case", "Import a CASE 1.0 or 1.1 standards framework (a JSON package, a file or a URL)");
  AddDbOption(*case_package, ctx);
  AddJsonFlag(*case_package, ctx);
  case_package->add_option("SOURCE", case_options->source, "The package: a file or an http(s) URL")
      ->required();
  case_package->add_flag("--dry-run", case_options->dry_run,
                         "Check the package and report what would change; write nothing");
  case_package->callback(
      [&ctx, case_options] { RunImportCase(ctx, case_options->source, case_options->dry_run); });

  AddAssessmentItemsImport(command, ctx);

  CLI::App* oneroster = command.add_subcommand(
      "oneroster", "Import a OneRoster 1.1 or 1.2 CSV set (a folder or a .zip), all or nothing");
  struct Options {
    std::string path;
    bool dry_run = false;
    bool quiet = false;
  };
  auto options = std::make_shared<Options>();
  AddDbOption(*oneroster, ctx);
  AddJsonFlag(*oneroster, ctx);
  oneroster->add_option("PATH", options->path, "The set: a folder of CSV files or a zip")
      ->required();
  oneroster->add_flag("--dry-run", options->dry_run,
                      "Check the set and report what would change; write nothing");
  oneroster->add_flag("--quiet", options->quiet, "Show no progress on stderr");
  oneroster->callback([&ctx, options] {
    oneroster::ProgressFn progress;
    std::shared_ptr<ProgressPrinter> printer;
    if (!options->quiet) {
      const bool terminal = &ctx.err == &std::cerr && isatty(STDERR_FILENO) == 1;
      printer = std::make_shared<ProgressPrinter>(ctx.err, terminal);
      progress = [printer](const oneroster::ImportProgress& step) { (*printer)(step); };
    }
    ctx.exit_code = RunImportOneRoster(ctx.db, options->path, options->dry_run, ctx.json_output,
                                       ctx.out, ctx.err, progress);
  });
}

}  // namespace cairn::cli
