#include "interop/oneroster/oneroster_import.h"

#include <unordered_set>

#include <nlohmann/json.hpp>

namespace cairn::oneroster {
namespace {

using nlohmann::json;

json ProblemsJson(const std::vector<ImportProblem>& problems) {
  json out = json::array();
  for (const ImportProblem& p : problems) {
    out.push_back({{"file", p.file},
                   {"line", p.line},
                   {"column", p.column},
                   {"column_number", p.column_number},
                   {"reason", p.reason}});
  }
  return out;
}

json CountsJson(const EntityCounts& counts) {
  return {
      {"added", counts.added}, {"updated", counts.updated}, {"deactivated", counts.deactivated}};
}

}  // namespace

std::string_view FileModeName(FileMode mode) {
  switch (mode) {
    case FileMode::kBulk:
      return "bulk";
    case FileMode::kDelta:
      return "delta";
    case FileMode::kAbsent:
      break;
  }
  return "absent";
}

Result<ImportReport> ImportOneRosterSet(RosterStore& store, const OneRosterSet& set,
                                        ReadReport read, const ImportOptions& options) {
  ImportReport report;
  report.version = set.version;
  report.modes = set.modes;
  report.dry_run = options.dry_run;
  report.problems = read.problems;
  report.read = std::move(read);

  auto step = [&](std::string_view phase, std::uint64_t done) {
    if (options.progress) options.progress(ImportProgress{phase, done, 1, ""});
  };
  auto plan_and_apply = [&]() -> Status {
    step("checking", 0);
    CAIRN_ASSIGN_OR_RETURN(Roster roster, store.LoadRoster());
    PlannedImport planned = PlanRosterImport(roster, set);
    step("checking", 1);
    report.problems.insert(report.problems.end(), planned.problems.begin(), planned.problems.end());
    if (!report.ok()) return Status::Ok();
    report.plan = std::move(planned.plan);
    if (options.dry_run || report.plan.empty()) return Status::Ok();
    // Classes new to Cairn start with their course's default badges; the
    // sections already here keep theirs.
    std::unordered_set<std::string> known;
    for (const Section& section : roster.sections) known.insert(section.sourced_id);
    std::vector<std::string> created;
    for (const auto& row : report.plan.changes.sections) {
      if (!known.count(row.sourced_id)) created.push_back(row.sourced_id);
    }
    step("writing", 0);
    CAIRN_RETURN_IF_ERROR(store.ApplyRosterChanges(report.plan.changes));
    CAIRN_RETURN_IF_ERROR(store.AddCourseBadgesToSections(created));
    step("writing", 1);
    report.applied = true;
    return Status::Ok();
  };
  Status status = options.dry_run ? plan_and_apply() : store.Transact(plan_and_apply);
  if (!status.ok()) return status;
  return report;
}

Result<ImportReport> ImportOneRoster(RosterStore& store, const std::string& path,
                                     const ImportOptions& options) {
  ReadReport read;
  CAIRN_ASSIGN_OR_RETURN(OneRosterSet set,
                         ReadOneRoster(path, read, options.limits, options.progress));
  return ImportOneRosterSet(store, set, std::move(read), options);
}

json ReportJson(const ImportReport& report) {
  json files = json::object();
  for (const auto& [name, mode] : report.modes) {
    json file = {{"mode", FileModeName(mode)}};
    if (auto rows = report.read.rows.find(name); rows != report.read.rows.end()) {
      file["rows"] = rows->second;
    }
    auto ignored = report.read.ignored_columns.find(name);
    file["ignored_columns"] =
        ignored == report.read.ignored_columns.end() ? json::array() : json(ignored->second);
    files[name] = std::move(file);
  }
  const RosterImportPlan& plan = report.plan;
  return {{"version", report.version},
          {"dry_run", report.dry_run},
          {"applied", report.applied},
          {"ok", report.ok()},
          {"files", std::move(files)},
          {"ignored_files", report.read.ignored_files},
          {"changes",
           {{"districts", CountsJson(plan.districts)},
            {"schools", CountsJson(plan.schools)},
            {"courses", CountsJson(plan.courses)},
            {"academic_sessions", CountsJson(plan.academic_sessions)},
            {"sections", CountsJson(plan.sections)},
            {"people", CountsJson(plan.people)},
            {"enrollments", CountsJson(plan.enrollments)},
            {"guardian_links", CountsJson(plan.guardian_links)}}},
          {"orgs_not_kept", plan.orgs_not_kept},
          {"problems", ProblemsJson(report.problems)},
          {"warnings", ProblemsJson(plan.warnings)}};
}

}  // namespace cairn::oneroster
