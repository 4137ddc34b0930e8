#include "cli/cli_context.h"

#include <CLI/CLI.hpp>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "store/open_store.h"

namespace cairn::cli {

void CliContext::Fail(const Status& status) {
  if (json_output) {
    out << nlohmann::json{{"error",
                           {{"code", StatusCodeName(status.code())},
                            {"message", status.message()}}}}
               .dump(2)
        << "\n";
  }
  err << "cairn: " << StatusCodeName(status.code()) << ": " << status.message() << "\n";
  exit_code = 1;
}

Status EnsureParentDirectory(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return Status::Internal(parent.string() + ": cannot create directory: " + ec.message());
  return Status::Ok();
}

Result<std::unique_ptr<CairnService>> OpenService(const std::string& db_path) {
  // A SQLite file (its folder created) or a postgres:// URI.
  CAIRN_ASSIGN_OR_RETURN(auto store, OpenStore(db_path));
  return CairnService::Open(std::move(store), SystemClock());
}

void PrintExplanation(std::ostream& out, const BadgeExplanation& e) {
  out << e.badge_code << " " << e.badge_title << "\n";
  out << "  Rule: " << e.rule_summary << "\n";
  out << "  Status: " << (e.met ? "rule met" : "not yet") << " (" << e.cpes_counting << " of "
      << e.cpes_needed << " CPEs needed)\n";
  for (const CpeExplanation& c : e.cpes) {
    out << "  [" << (c.counts ? "x" : " ") << "] " << c.cpe_id << " " << c.label
        << (c.required ? " (required)" : "") << ": " << c.reason << "\n";
  }
  if (!e.remaining.empty()) {
    out << "  Remaining:\n";
    for (const std::string& item : e.remaining) out << "    - " << item << "\n";
  }
}

void AddDbOption(CLI::App& command, CliContext& ctx) {
  command.add_option("--db", ctx.db, "SQLite database file, or a postgres:// URI")
      ->capture_default_str();
}

void AddJsonFlag(CLI::App& command, CliContext& ctx) {
  command.add_flag("--json", ctx.json_output, "Print JSON instead of text");
}

}  // namespace cairn::cli
