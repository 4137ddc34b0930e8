// `cairn progress` and `cairn explain`: what a student has earned, and why.
#include <CLI/CLI.hpp>

#include <iomanip>
#include <memory>
#include <string>

#include "cli/cli_context.h"
#include "service/explanation_json.h"

namespace cairn::cli {
namespace {

void RunProgress(CliContext& ctx, const std::string& student_id) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto p = (*service)->Progress(student_id);
  if (!p.ok()) return ctx.Fail(p.status());
  const Catalog& c = (*service)->catalog();
  std::ostream& out = ctx.out;
  if (ctx.json_output) {
    out << ToJson(*p, c).dump(2) << "\n";
    return;
  }
  out << p->student.DisplayName() << " (" << p->student.sourced_id << ")\n";
  for (const BadgeProgress& item : p->badges) {
    const Badge& badge = c.badges[item.standing.badge];
    out << "  " << badge.code << "  " << std::left << std::setw(12)
        << PathwayStateName(item.standing.state) << " " << item.standing.cpes_counting << "/"
        << item.standing.cpes_needed << " CPEs";
    if (item.award.state == AwardState::kConfirmed) {
      out << ", awarded " << FormatDate(DayOf(item.award.confirmed_at));
    } else if (item.award.state == AwardState::kProposed) {
      out << ", award proposed";
    }
    if (!item.standing.missing_prerequisites.empty()) {
      out << ", needs";
      for (const std::string& code : item.standing.missing_prerequisites) out << " " << code;
    }
    out << "  " << badge.title << "\n";
  }
  if (!p->habits.empty()) {
    out << "Habits of work (reported apart from mastery):\n";
    for (const HabitSummary& h : p->habits) {
      out << "  " << h.label << ": " << h.level_label << " (" << FormatDate(h.observed_on) << ", "
          << h.observations << " observation" << (h.observations == 1 ? "" : "s") << ")\n";
    }
  }
}

struct ExplainOptions {
  std::string student_id;
  std::string badge_code;
};

void RunExplain(CliContext& ctx, const ExplainOptions& options) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto e = (*service)->Explain(options.student_id, options.badge_code);
  if (!e.ok()) return ctx.Fail(e.status());
  if (ctx.json_output) {
    ctx.out << ToJson(*e).dump(2) << "\n";
    return;
  }
  PrintExplanation(ctx.out, *e);
}

}  // namespace

void AddProgressCommand(CLI::App& command, CliContext& ctx) {
  auto student_id = std::make_shared<std::string>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--student", *student_id, "Student id")->required();
  command.callback([&ctx, student_id] { RunProgress(ctx, *student_id); });
}

void AddExplainCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<ExplainOptions>();
  AddDbOption(command, ctx);
  AddJsonFlag(command, ctx);
  command.add_option("--student", options->student_id, "Student id")->required();
  command.add_option("--badge", options->badge_code, "Badge code")->required();
  command.callback([&ctx, options] { RunExplain(ctx, *options); });
}

}  // namespace cairn::cli
