// `cairn export gradebook`: a section's grades for one grading period, as of
// a date, for the student information system (reports/gradebook.h): a
// OneRoster 1.2 CSV set (a .zip, or a folder of CSV files) or a plain CSV.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "reports/gradebook.h"
#include "reports/oneroster_gradebook.h"

namespace cairn::cli {
namespace {

namespace fs = std::filesystem;

struct GradebookOptions {
  GradebookRequest request;
  std::string format = "oneroster";
  std::string out;
};

Status WriteFile(const fs::path& path, const std::string& bytes) {
  CAIRN_RETURN_IF_ERROR(EnsureParentDirectory(path.string()));
  std::ofstream file(path, std::ios::binary);
  if (!file || !file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return Status::InvalidField("--out", path.string() + ": cannot write file");
  }
  return Status::Ok();
}

// A path ending in .zip gets the zip; any other names a folder of CSV files.
Status WriteOneRoster(const Gradebook& gradebook, const std::string& out) {
  const std::vector<ExportFile> files = OneRosterGradebookFiles(gradebook);
  if (fs::path(out).extension() == ".zip") {
    CAIRN_ASSIGN_OR_RETURN(std::string zip, ZipFiles(files, gradebook.as_of));
    return WriteFile(out, zip);
  }
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return Status::InvalidField("--out", out + ": cannot create folder: " + ec.message());
  for (const ExportFile& file : files)
    CAIRN_RETURN_IF_ERROR(WriteFile(fs::path(out) / file.name, file.bytes));
  return Status::Ok();
}

void RunGradebook(CliContext& ctx, const GradebookOptions& options) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!(*service)->has_catalog()) {
    return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
  }
  auto roster = (*service)->store().LoadRoster();
  if (!roster.ok()) return ctx.Fail(roster.status());
  auto gradebook = LoadGradebook((*service)->store(), (*service)->catalog(), *roster,
                                 options.request, SystemClock()());
  if (!gradebook.ok()) return ctx.Fail(gradebook.status());

  Status written;
  if (options.format == "csv") {
    std::ostringstream csv;
    WriteGradebookCsv(csv, *gradebook);
    written = WriteFile(options.out, csv.str());
  } else {
    written = WriteOneRoster(*gradebook, options.out);
  }
  if (!written.ok()) return ctx.Fail(written);

  const std::string as_of = FormatInstant(gradebook->as_of);
  if (ctx.json_output) {
    ctx.out << nlohmann::json{{"section", gradebook->section_sourced_id},
                              {"period", gradebook->period.sourced_id},
                              {"as_of", as_of},
                              {"format", options.format},
                              {"line_items", gradebook->badges.size()},
                              {"results", gradebook->entries.size()},
                              {"out", options.out}}
                   .dump(2)
            << "\n";
    return;
  }
  ctx.out << "Wrote the gradebook of " << gradebook->section_sourced_id << " for "
          << gradebook->period.title << " as of " << as_of << ": " << gradebook->badges.size()
          << " badge(s), " << gradebook->entries.size() << " result(s) to " << options.out << "\n";
}

void AddGradebook(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<GradebookOptions>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--section", options->request.section, "The section's sourced id")->required();
  auto* period = command.add_option("--period", options->request.period,
                                    "The grading period: an academic session's sourcedId");
  auto* from = command.add_option("--from", options->request.from,
                                  "The period's first day (YYYY-MM-DD), with --to");
  auto* to = command.add_option("--to", options->request.to, "The period's last day, with --from");
  period->excludes(from)->excludes(to);
  from->needs(to);
  to->needs(from);
  command.add_option("--as-of", options->request.as_of,
                     "Only facts recorded by the end of this day (or this UTC instant) count; "
                     "default: the end of the period, or now");
  command.add_option("--format", options->format, "oneroster (a .zip or a folder) or csv")
      ->check(CLI::IsMember({"oneroster", "csv"}))
      ->capture_default_str();
  command.add_option("--out", options->out, "Where to write: a .zip, a folder, or a .csv file")
      ->required();
  command.callback([&ctx, options] { RunGradebook(ctx, *options); });
}

}  // namespace

void AddExportCommand(CLI::App& command, CliContext& ctx) {
  command.require_subcommand(1);
  AddGradebook(
      *command.add_subcommand("gradebook",
                              "A section's pass / not yet and grades for a grading period, "
                              "as of a date, for the student information system"),
      ctx);
}

}  // namespace cairn::cli
