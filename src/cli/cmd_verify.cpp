// `cairn verify`: check a credential from a file, a URL or standard input,
// against the issuer's published documents or a Cairn database.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "cli/http_fetch.h"
#include "cli/verify_hooks.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

struct VerifyOptions {
  std::string input;  // a file, an http(s) URL, or "-" for standard input
  std::string db;     // empty: fetch keys and status lists over the network
};

// The credential's bytes from wherever `input` names.
Result<std::string> ReadInput(const std::string& input) {
  if (input.rfind("http://", 0) == 0 || input.rfind("https://", 0) == 0) return HttpGet(input);
  std::ifstream file;
  std::istream* in = &std::cin;
  if (input != "-") {
    file.open(input, std::ios::binary);
    if (!file) return Status::NotFound(input + ": cannot read file");
    in = &file;
  }
  std::ostringstream buffer;
  buffer << in->rdbuf();
  return buffer.str();
}

void PrintReport(std::ostream& out, const VerificationReport& report) {
  const json& s = report.summary;
  out << (report.valid() ? "VALID" : "NOT VALID") << " (" << report.status << ", " << report.format
      << ")\n";
  if (s.is_object() && !s.value("earner", "").empty()) {
    out << "  " << s.value("earner", "") << " earned " << s["badge"].value("name", "")
        << "\n  from " << s["issuer"].value("name", "") << " (" << s["issuer"].value("id", "")
        << ")\n  awarded " << s.value("awarded", s.value("valid_from", "")) << "\n";
  }
  for (const VerificationCheck& c : report.checks) {
    out << "  [" << (c.ok ? "ok" : "!!") << "] " << c.check << ": " << c.message << "\n";
  }
}

void RunVerify(CliContext& ctx, const VerifyOptions& options) {
  auto bytes = ReadInput(options.input);
  if (!bytes.ok()) return ctx.Fail(bytes.status());
  std::unique_ptr<CairnService> service;  // borrowed by DatabaseHooks
  VerifierHooks hooks;
  if (options.db.empty()) {
    hooks = NetworkHooks();
  } else {
    auto opened = OpenService(options.db);
    if (!opened.ok()) return ctx.Fail(opened.status());
    service = std::move(opened).value();
    auto made = DatabaseHooks(*service, options.db);
    if (!made.ok()) return ctx.Fail(made.status());
    hooks = std::move(made).value();
  }
  VerificationReport report = VerifyCredentialBytes(*bytes, hooks);
  if (ctx.json_output) {
    ctx.out << report.ToJson().dump(2) << "\n";
  } else {
    PrintReport(ctx.out, report);
  }
  ctx.exit_code = report.valid() ? 0 : 1;
}

}  // namespace

void AddVerifyCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<VerifyOptions>();
  command.add_option("input", options->input, "File, URL, or - for standard input")->required();
  command.add_option("--db", options->db,
                     "Check against this Cairn database instead of fetching the issuer's keys "
                     "and status list over the network");
  AddJsonFlag(command, ctx);
  command.callback([&ctx, options] { RunVerify(ctx, *options); });
}

}  // namespace cairn::cli
