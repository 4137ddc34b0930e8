// `cairn settings`: auto-award and the district's default calculation.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "cli/cli_context.h"

namespace cairn::cli {
namespace {

struct SettingsOptions {
  std::string auto_award;  // "on", "off" or "" (unchanged)
  std::string method;      // "" leaves the calculation unchanged
  int method_n = 3;
  double method_weight = 0.65;
  bool include_formative = false;
};

void RunSettings(CliContext& ctx, const SettingsOptions& options) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!options.auto_award.empty()) {
    Status s = (*service)->SetAutoAward(options.auto_award == "on");
    if (!s.ok()) return ctx.Fail(s);
  }
  if (!options.method.empty()) {
    auto parsed = ParseMethod(options.method);
    if (!parsed) {
      return ctx.Fail(Status::Invalid("--method: unknown method '" + options.method + "'"));
    }
    if (options.method_n < 1 || options.method_weight <= 0 || options.method_weight > 1) {
      return ctx.Fail(Status::Invalid("--n must be >= 1 and --weight in (0, 1]"));
    }
    Status s = (*service)->SetDefaultCalculation(CalculationSpec{
        *parsed, options.method_n, options.method_weight, options.include_formative});
    if (!s.ok()) return ctx.Fail(s);
  }
  ctx.out << "Auto-award: " << ((*service)->auto_award() ? "on" : "off") << "\n";
  if ((*service)->has_catalog()) {
    ctx.out << "Default calculation: "
            << DescribeCalculation((*service)->catalog().default_calculation) << "\n";
  }
}

}  // namespace

void AddSettingsCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<SettingsOptions>();
  AddDbOption(command, ctx);
  command
      .add_option("--auto-award", options->auto_award, "Confirm awards without a teacher: on|off")
      ->check(CLI::IsMember({"on", "off"}));
  command.add_option("--method", options->method,
                     "Default calculation method (docs/mastery-methods.md)");
  command.add_option("--n", options->method_n, "The method's n (recent scores, times at mastery)");
  command.add_option("--weight", options->method_weight, "The decaying average weight, (0, 1]");
  command.add_flag("--include-formative", options->include_formative,
                   "Count formative checks in the calculation");
  command.callback([&ctx, options] { RunSettings(ctx, *options); });
}

}  // namespace cairn::cli
