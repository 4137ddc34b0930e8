// `cairn tracking-sheet`: the district's badge completion tracking sheet.
#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "reports/tracking_sheet.h"
#include "service/explanation_json.h"

namespace cairn::cli {
namespace {

// `out_path` empty: standard output.
void RunTrackingSheet(CliContext& ctx, const std::string& out_path) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto rows = (*service)->TrackingSheet();
  if (!rows.ok()) return ctx.Fail(rows.status());
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

void AddTrackingSheetCommand(CLI::App& command, CliContext& ctx) {
  auto out_path = std::make_shared<std::string>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--out", *out_path, "Write to this file instead of standard output");
  command.callback([&ctx, out_path] { RunTrackingSheet(ctx, *out_path); });
}

}  // namespace cairn::cli
