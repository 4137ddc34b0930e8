// `cairn courses list|badges` (the badges a course's new sections start
// with) and `cairn import assessment-items` (a district's interim assessment
// items for one badge, from CSV, all or nothing).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "interop/assessment_items_csv.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

void PrintCourse(CliContext& ctx, const Course& course, const std::vector<std::string>& badges) {
  if (ctx.json_output) {
    ctx.out << json{{"id", course.sourced_id}, {"title", course.title}, {"badges", badges}}.dump(2)
            << "\n";
    return;
  }
  std::string list;
  for (const std::string& b : badges) list += (list.empty() ? "" : " ") + b;
  ctx.out << course.sourced_id << "  " << course.title << "  ["
          << (list.empty() ? "no default badges" : list) << "]\n";
}

void RunList(CliContext& ctx) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  Store& store = (*service)->store();
  auto roster = store.LoadRoster();
  if (!roster.ok()) return ctx.Fail(roster.status());
  json out = json::array();
  for (const Course& course : roster->courses) {
    auto badges = store.CourseBadges(course.id);
    if (!badges.ok()) return ctx.Fail(badges.status());
    if (!ctx.json_output) {
      PrintCourse(ctx, course, *badges);
      continue;
    }
    out.push_back({{"id", course.sourced_id}, {"title", course.title}, {"badges", *badges}});
  }
  if (ctx.json_output) ctx.out << out.dump(2) << "\n";
}

struct BadgesOptions {
  std::string course;
  std::vector<std::string> set;
  bool set_given = false;
  bool clear = false;
};

void RunBadges(CliContext& ctx, const BadgesOptions& options) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  Store& store = (*service)->store();
  auto roster = store.LoadRoster();
  if (!roster.ok()) return ctx.Fail(roster.status());
  auto course = std::find_if(roster->courses.begin(), roster->courses.end(),
                             [&](const Course& c) { return c.sourced_id == options.course; });
  if (course == roster->courses.end()) {
    return ctx.Fail(
        Status::AtField(StatusCode::kNotFound, "course", "no course '" + options.course + "'"));
  }
  if (options.set_given || options.clear) {
    if (!(*service)->has_catalog()) {
      return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
    }
    const std::vector<std::string> badges =
        options.clear ? std::vector<std::string>{} : options.set;
    std::vector<FieldError> problems;
    for (std::size_t i = 0; i < badges.size(); ++i) {
      const std::string where = "--set[" + std::to_string(i) + "]";
      if (!(*service)->catalog().FindBadge(badges[i])) {
        problems.push_back({where, "no badge '" + badges[i] + "' in the catalog"});
      } else if (std::find(badges.begin(), badges.begin() + static_cast<long>(i), badges[i]) !=
                 badges.begin() + static_cast<long>(i)) {
        problems.push_back({where, "'" + badges[i] + "' is listed twice"});
      }
    }
    if (!problems.empty()) return ctx.Fail(Status::InvalidFields(std::move(problems)));
    if (Status s = store.SetCourseBadges(course->id, badges); !s.ok()) return ctx.Fail(s);
  }
  auto badges = store.CourseBadges(course->id);
  if (!badges.ok()) return ctx.Fail(badges.status());
  PrintCourse(ctx, *course, *badges);
}

struct ItemsOptions {
  std::string file;
  std::string badge;
  std::string by;
  bool dry_run = false;
};

void RunImportItems(CliContext& ctx, const ItemsOptions& options) {
  std::ifstream in(options.file, std::ios::binary);
  if (!in) return ctx.Fail(Status::NotFound(options.file + ": cannot be read"));
  std::ostringstream text;
  text << in.rdbuf();
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!(*service)->has_catalog()) {
    return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
  }
  Store& store = (*service)->store();
  auto by = store.FindPerson(options.by);
  if (!by.ok()) return ctx.Fail(by.status());
  if (!*by || (*by)->role == PersonRole::kStudent || (*by)->role == PersonRole::kGuardian) {
    return ctx.Fail(
        Status::AtField(StatusCode::kNotFound, "--by", "no staff member '" + options.by + "'"));
  }
  assessment_items::ImportOptions import;
  import.district = (*by)->district_id;
  import.added_by = (*by)->id;
  import.now = SystemClock()();
  import.dry_run = options.dry_run;
  const std::string name = std::filesystem::path(options.file).filename().string();
  auto report = assessment_items::ImportAssessmentItemsCsv(store, (*service)->catalog(), text.str(),
                                                           name, options.badge, import);
  if (!report.ok()) return ctx.Fail(report.status());
  if (ctx.json_output) {
    json problems = json::array();
    for (const auto& p : report->problems) {
      problems.push_back({{"file", p.file},
                          {"line", p.line},
                          {"column", p.column},
                          {"column_number", p.column_number},
                          {"reason", p.reason}});
    }
    ctx.out << json{{"file", report->file},       {"badge", report->badge}, {"rows", report->rows},
                    {"dry_run", options.dry_run}, {"added", report->added}, {"problems", problems}}
                   .dump(2)
            << "\n";
  } else if (!report->ok()) {
    for (const auto& p : report->problems) ctx.err << oneroster::FormatProblem(p) << "\n";
    ctx.err << "Nothing was imported (" << report->problems.size() << " problem(s)).\n";
  } else {
    ctx.out << report->rows << " item(s) of " << report->badge
            << (options.dry_run ? " checked (dry run; nothing written).\n" : " imported.\n");
  }
  ctx.exit_code = report->ok() ? 0 : 1;
}

}  // namespace

void AddCoursesCommand(CLI::App& command, CliContext& ctx) {
  command.require_subcommand(1);
  CLI::App* list = command.add_subcommand("list", "Every course with its default badges");
  AddDbOption(*list, ctx);
  AddJsonFlag(*list, ctx);
  list->callback([&ctx] { RunList(ctx); });

  auto options = std::make_shared<BadgesOptions>();
  CLI::App* badges = command.add_subcommand(
      "badges",
      "Show or set the badges new sections of a course start with (existing sections keep "
      "theirs)");
  AddDbOption(*badges, ctx);
  AddJsonFlag(*badges, ctx);
  badges->add_option("COURSE", options->course, "The course's sourced id")->required();
  CLI::Option* set =
      badges->add_option("--set", options->set, "Badge codes, e.g. M101,M102")->delimiter(',');
  badges->add_flag("--clear", options->clear, "No default badges")->excludes(set);
  badges->callback([&ctx, options, set] {
    options->set_given = set->count() > 0;
    RunBadges(ctx, *options);
  });
}

void AddAssessmentItemsImport(CLI::App& import_command, CliContext& ctx) {
  auto options = std::make_shared<ItemsOptions>();
  CLI::App* items = import_command.add_subcommand(
      "assessment-items",
      "Import interim assessment items for a badge from CSV (item id, file, target, standards, "
      "cpe, indicator), all or nothing");
  AddDbOption(*items, ctx);
  AddJsonFlag(*items, ctx);
  items->add_option("FILE", options->file, "The CSV file")->required();
  items->add_option("--badge", options->badge, "The badge the items are for, e.g. M101")
      ->required();
  items->add_option("--by", options->by, "Sourced id of the staff member adding them")->required();
  items->add_flag("--dry-run", options->dry_run, "Check the file; write nothing");
  items->callback([&ctx, options] { RunImportItems(ctx, *options); });
}

}  // namespace cairn::cli
