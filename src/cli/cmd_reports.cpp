// `cairn tracking-sheet`: the district's badge completion tracking sheet;
// `cairn reports ...`: the reports, one subcommand each (a table, like the
// command table in commands.cpp).
#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "reports/tracking_sheet.h"
#include "reports/tracking_xlsx.h"
#include "service/explanation_json.h"

namespace cairn::cli {
namespace {

// `out_path` empty: standard output (not for the XLSX workbook).
void RunTrackingSheet(CliContext& ctx, const std::string& out_path, bool xlsx) {
  if (xlsx && out_path.empty())
    return ctx.Fail(Status::InvalidField("--out", "required with --xlsx"));
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto rows = (*service)->TrackingSheet();
  if (!rows.ok()) return ctx.Fail(rows.status());
  if (xlsx) {
    auto workbook = TrackingSheetXlsx(*rows);
    if (!workbook.ok()) return ctx.Fail(workbook.status());
    std::ofstream file(out_path, std::ios::binary);
    if (!file || !file.write(workbook->data(), static_cast<std::streamsize>(workbook->size()))) {
      return ctx.Fail(Status::Invalid(out_path + ": cannot write file"));
    }
    ctx.out << "Wrote " << rows->size() << " rows to " << out_path << "\n";
    return;
  }
  std::ofstream file;
  std::ostream* sink = &ctx.out;
  if (!out_path.empty()) {
    file.open(out_path, std::ios::binary);
    if (!file) return ctx.Fail(Status::Invalid(out_path + ": cannot write file"));
    sink = &file;
  }
  if (ctx.json_output) {
    nlohmann::json array = nlohmann::json::array();
    for (const TrackingRow& row : *rows) array.push_back(ToJson(row));
    *sink << array.dump(2) << "\n";
  } else {
    WriteTrackingSheetCsv(*sink, *rows);
  }
  if (!out_path.empty()) ctx.out << "Wrote " << rows->size() << " rows to " << out_path << "\n";
}

}  // namespace

void AddReportsCommand(CLI::App& command, CliContext& ctx) {
  static constexpr CliCommand kReports[] = {
      {"report-card", "Report cards or badge transcripts as PDF (a student, section or school)",
       AddReportCardCommand},
      {"report-card-settings", "The district's report card wording, paper and logo",
       AddReportCardSettingsCommand},
  };
  command.require_subcommand(1);
  for (const CliCommand& report : kReports) {
    report.add(*command.add_subcommand(report.name, report.help), ctx);
  }
}

void AddTrackingSheetCommand(CLI::App& command, CliContext& ctx) {
  auto out_path = std::make_shared<std::string>();
  auto xlsx = std::make_shared<bool>(false);
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--out", *out_path, "Write to this file instead of standard output");
  command
      .add_flag("--xlsx", *xlsx,
                "An Excel workbook (one sheet per section, filters, colours) instead of CSV; "
                "needs --out")
      ->excludes("--json");
  command.callback([&ctx, out_path, xlsx] { RunTrackingSheet(ctx, *out_path, *xlsx); });
}

}  // namespace cairn::cli
