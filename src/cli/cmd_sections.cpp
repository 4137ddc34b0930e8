// `cairn sections list|set-badges`: which badges each section works on.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

void RunList(CliContext& ctx) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto roster = (*service)->store().LoadRoster();
  if (!roster.ok()) return ctx.Fail(roster.status());
  json out = json::array();
  for (const Section& s : roster->sections) {
    out.push_back(
        {{"id", s.sourced_id}, {"title", s.title}, {"term", s.term}, {"badges", s.badges}});
  }
  if (ctx.json_output) {
    ctx.out << out.dump(2) << "\n";
    return;
  }
  for (const json& s : out) {
    std::string badges;
    for (const json& b : s["badges"]) badges += (badges.empty() ? "" : " ") + b.get<std::string>();
    ctx.out << s["id"].get<std::string>() << "  " << s["title"].get<std::string>() << "  ["
            << (badges.empty() ? "no badges" : badges) << "]\n";
  }
}

void RunSetBadges(CliContext& ctx, const std::string& section_ref,
                  const std::vector<std::string>& badges) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!(*service)->has_catalog()) {
    return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
  }
  auto roster = (*service)->store().LoadRoster();
  if (!roster.ok()) return ctx.Fail(roster.status());
  auto section = std::find_if(roster->sections.begin(), roster->sections.end(),
                              [&](const Section& s) { return s.sourced_id == section_ref; });
  if (section == roster->sections.end()) {
    return ctx.Fail(Status::NotFound("section: no section '" + section_ref + "'"));
  }
  std::vector<FieldError> problems;
  for (std::size_t i = 0; i < badges.size(); ++i) {
    if (!(*service)->catalog().FindBadge(badges[i])) {
      problems.push_back({badges[i], "not a badge of the catalog"});
    } else if (std::find(badges.begin(), badges.begin() + static_cast<long>(i), badges[i]) !=
               badges.begin() + static_cast<long>(i)) {
      problems.push_back({badges[i], "listed twice"});
    }
  }
  if (!problems.empty()) return ctx.Fail(Status::InvalidFields(std::move(problems)));
  if (Status s = (*service)->store().SetSectionBadges(section->id, badges); !s.ok()) {
    return ctx.Fail(s);
  }
  if (ctx.json_output) {
    ctx.out << json{{"id", section->sourced_id}, {"badges", badges}}.dump(2) << "\n";
    return;
  }
  ctx.out << section->sourced_id << " now works on "
          << (badges.empty() ? std::string("no badges")
                             : std::to_string(badges.size()) + " badge(s)")
          << ".\n";
}

}  // namespace

void AddSectionsCommand(CLI::App& command, CliContext& ctx) {
  command.require_subcommand(1);
  CLI::App* list = command.add_subcommand("list", "Every section with the badges it works on");
  AddDbOption(*list, ctx);
  AddJsonFlag(*list, ctx);
  list->callback([&ctx] { RunList(ctx); });

  struct Options {
    std::string section;
    std::vector<std::string> badges;
  };
  auto options = std::make_shared<Options>();
  CLI::App* set = command.add_subcommand(
      "set-badges", "Set the badges a section works on, in order (none: clears the list)");
  AddDbOption(*set, ctx);
  AddJsonFlag(*set, ctx);
  set->add_option("SECTION", options->section, "The section's sourced id")->required();
  set->add_option("BADGE", options->badges, "Badge codes, e.g. M101 M102");
  set->callback([&ctx, options] { RunSetBadges(ctx, options->section, options->badges); });
}

}  // namespace cairn::cli
