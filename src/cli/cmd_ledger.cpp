// `cairn record`, `cairn habit` and `cairn void`: the commands that append
// facts to the ledger.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "service/explanation_json.h"
#include "store/alignment_store.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

struct RecordOptions {
  RatingInput input;
  FactId corrects = 0;  // 0: corrects nothing
  std::string item;     // an assessment item's key, as in the district's file
};

// The current item called `key` of the badge that `cpe_id` belongs to: the
// key is what a teacher knows (the item id column of the imported file).
// The service still checks that it evidences the rating's CPE.
Result<Id> FindItem(CairnService& service, const std::string& cpe_id, const std::string& key) {
  auto ref = service.catalog().FindCpe(cpe_id);
  if (!ref) return Status::AtField(StatusCode::kNotFound, "--cpe", "no CPE '" + cpe_id + "'");
  const std::string& badge = service.catalog().badges[ref->badge].code;
  CAIRN_ASSIGN_OR_RETURN(auto items, service.store().AssessmentItems(badge));
  for (const AssessmentItem& item : items) {
    if (item.item_key == key && !item.retired_at) return item.id;
  }
  return Status::AtField(StatusCode::kNotFound, "--item",
                         "no current assessment item '" + key + "' of " + badge);
}

void RunRecord(CliContext& ctx, RecordOptions& options) {
  if (options.corrects > 0) options.input.corrects = options.corrects;
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!options.item.empty()) {
    if (!(*service)->has_catalog()) {
      return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
    }
    auto item = FindItem(**service, options.input.cpe_id, options.item);
    if (!item.ok()) return ctx.Fail(item.status());
    options.input.assessment_item = *item;
  }
  auto outcome = (*service)->RecordRating(options.input);
  if (!outcome.ok()) return ctx.Fail(outcome.status());
  if (ctx.json_output) {
    ctx.out << ToJson(*outcome, (*service)->catalog()).dump(2) << "\n";
    return;
  }
  ctx.out << "Recorded rating " << outcome->fact_id << ".\n";
  if (outcome->award_action) {
    ctx.out << "Badge " << outcome->badge.badge_code << ": award "
            << AwardActionName(*outcome->award_action) << ".\n";
  }
  PrintExplanation(ctx.out, outcome->badge);
}

void RunHabit(CliContext& ctx, const HabitInput& input) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto id = (*service)->RecordHabit(input);
  if (!id.ok()) return ctx.Fail(id.status());
  if (ctx.json_output) {
    ctx.out << json{{"fact_id", *id}}.dump(2) << "\n";
  } else {
    ctx.out << "Recorded habit observation " << *id << ".\n";
  }
}

struct VoidOptions {
  FactId target = 0;
  std::string reason;
  std::string by;
};

void RunVoid(CliContext& ctx, const VoidOptions& options) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  Status s = (*service)->Void(options.target, options.reason, options.by);
  if (!s.ok()) return ctx.Fail(s);
  ctx.out << "Voided rating " << options.target << ".\n";
}

}  // namespace

void AddRecordCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<RecordOptions>();
  RatingInput& input = options->input;
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--student", input.student, "Student id")->required();
  command.add_option("--cpe", input.cpe_id, "CPE id, e.g. M101.2")->required();
  command.add_option("--level", input.level_id, "Scale level id, e.g. proficient")->required();
  command.add_option("--date", input.demonstrated_on, "Date the work was done, YYYY-MM-DD")
      ->required();
  command.add_option("--by", input.recorded_by, "Teacher id")->required();
  command
      .add_option("--kind", input.kind,
                  "formative|summative|performance_task|portfolio_item|external_assessment|"
                  "outside_school")
      ->capture_default_str();
  command.add_option("--indicator", input.indicator_id, "Indicator id");
  command.add_option("--note", input.note, "Feedback to the student");
  command.add_option("--artifact", input.artifact_ref, "Artifact reference (URL, portfolio item)");
  command.add_option("--corrects", options->corrects, "Id of the rating this one corrects");
  command.add_option("--item", options->item,
                     "Item id of the interim assessment item the work answered (cairn import "
                     "assessment-items)");
  command.callback([&ctx, options] { RunRecord(ctx, *options); });
}

void AddHabitCommand(CLI::App& command, CliContext& ctx) {
  auto input = std::make_shared<HabitInput>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--student", input->student, "Student id")->required();
  command.add_option("--habit", input->habit_id, "Habit id, e.g. persistence")->required();
  command.add_option("--level", input->level_id, "Habit scale level id")->required();
  command.add_option("--date", input->observed_on, "Date observed, YYYY-MM-DD")->required();
  command.add_option("--by", input->recorded_by, "Teacher id")->required();
  command.add_option("--note", input->note, "Note to the student");
  command.callback([&ctx, input] { RunHabit(ctx, *input); });
}

void AddVoidCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<VoidOptions>();
  AddDbOption(command, ctx);
  command.add_option("--fact", options->target, "Rating id")->required();
  command.add_option("--reason", options->reason, "Why it is withdrawn")->required();
  command.add_option("--by", options->by, "Teacher id")->required();
  command.callback([&ctx, options] { RunVoid(ctx, *options); });
}

}  // namespace cairn::cli
