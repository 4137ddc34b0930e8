// `cairn award propose|confirm|revoke`.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"

namespace cairn::cli {
namespace {

struct AwardOptions {
  std::string action;  // propose, confirm or revoke (checked by CLI11)
  std::string student_id;
  std::string badge_code;
  std::string by;
  std::string reason;
};

void RunAward(CliContext& ctx, const AwardOptions& options) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  const AwardAction action = options.action == "propose"   ? AwardAction::kProposed
                             : options.action == "confirm" ? AwardAction::kConfirmed
                                                           : AwardAction::kRevoked;
  auto updated =
      (*service)->Award(options.student_id, options.badge_code, action, options.by, options.reason);
  if (!updated.ok()) return ctx.Fail(updated.status());
  if (ctx.json_output) {
    ctx.out << nlohmann::json{{"student", options.student_id},
                              {"badge", options.badge_code},
                              {"state", AwardStateName(updated->state)}}
                   .dump(2)
            << "\n";
    return;
  }
  ctx.out << "Badge " << options.badge_code << " for " << options.student_id << " is now "
          << AwardStateName(updated->state) << ".\n";
}

}  // namespace

void AddAwardCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<AwardOptions>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("action", options->action, "propose|confirm|revoke")
      ->required()
      ->check(CLI::IsMember({"propose", "confirm", "revoke"}));
  command.add_option("--student", options->student_id, "Student id")->required();
  command.add_option("--badge", options->badge_code, "Badge code")->required();
  command.add_option("--by", options->by, "Teacher id")->required();
  command.add_option("--reason", options->reason, "Reason (required to revoke)");
  command.callback([&ctx, options] { RunAward(ctx, *options); });
}

}  // namespace cairn::cli
