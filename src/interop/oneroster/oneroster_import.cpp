#include "interop/oneroster/oneroster_import.h"

#include <algorithm>
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

namespace {

// Enrollments for the planner, a piece at a time: from the set's reader
// (enrollments.csv read in pieces) or from the set's records (a set read
// whole), in runs of kRecordsPerBatch. Each piece's rows to write are a
// batch for the store; once any problem is known nothing is handed on (the
// import will keep nothing), but reading goes on to find every problem.
class EnrollmentFeed final : public RosterChangeSet::EnrollmentStream {
 public:
  static constexpr std::size_t kRecordsPerBatch = 8192;

  EnrollmentFeed(const OneRosterSet& set, RosterImportPlanner& planner,
                 const std::vector<ImportProblem>& read_problems, std::string_view phase,
                 const ProgressFn& progress)
      : set_(set),
        planner_(planner),
        read_problems_(read_problems),
        phase_(phase),
        progress_(progress) {}

  Status Next(std::vector<RosterChangeSet::EnrollmentRow>& batch) override {
    batch.clear();
    while (batch.empty() && !done_) {
      CAIRN_RETURN_IF_ERROR(Piece(batch));
      if (!ok()) batch.clear();
    }
    return Status::Ok();
  }

  Result<std::vector<RosterChangeSet::EnrollmentKey>> Deactivated() override {
    std::vector<RosterChangeSet::EnrollmentRow> rest;
    while (!done_) CAIRN_RETURN_IF_ERROR(Next(rest));
    return planner_.FinishEnrollments();
  }

  bool ok() const {
    return read_problems_.empty() && planner_.problems().empty() &&
           (!set_.enrollment_reader || set_.enrollment_reader->report().problems.empty());
  }

 private:
  Status Piece(std::vector<RosterChangeSet::EnrollmentRow>& rows) {
    if (const auto& reader = set_.enrollment_reader) {
      CAIRN_ASSIGN_OR_RETURN(const bool more, reader->Next([&](const EnrollmentRecord& e) {
        planner_.PlanEnrollment(e, rows);
      }));
      done_ = !more;
      Report(reader->bytes_read(), std::max(reader->size(), reader->bytes_read()));
      return Status::Ok();
    }
    const std::size_t end = std::min(next_ + kRecordsPerBatch, set_.enrollments.size());
    for (; next_ < end; ++next_) planner_.PlanEnrollment(set_.enrollments[next_], rows);
    done_ = next_ == set_.enrollments.size();
    return Status::Ok();
  }
  void Report(std::uint64_t done, std::uint64_t total) {
    if (progress_) progress_(ImportProgress{phase_, done, total, kEnrollmentsFile});
  }

  const OneRosterSet& set_;
  RosterImportPlanner& planner_;
  const std::vector<ImportProblem>& read_problems_;
  std::string_view phase_;
  const ProgressFn& progress_;
  std::size_t next_ = 0;
  bool done_ = false;
};

}  // namespace

Result<ImportReport> ImportOneRosterSet(RosterStore& store, const OneRosterSet& set,
                                        ReadReport read, const ImportOptions& options) {
  ImportReport report;
  report.version = set.version;
  report.modes = set.modes;
  report.dry_run = options.dry_run;
  report.read = std::move(read);

  auto step = [&](std::string_view phase, std::uint64_t done) {
    if (options.progress) options.progress(ImportProgress{phase, done, 1, ""});
  };
  // Set when the writes were undone because a problem turned up while
  // enrollments were being written: the report says why.
  bool undone_for_problems = false;
  auto plan_and_apply = [&]() -> Status {
    step("checking", 0);
    std::vector<StoredEnrollment> stored;
    CAIRN_ASSIGN_OR_RETURN(
        Roster roster, store.LoadRosterWithoutEnrollments([&](const Enrollment& e) {
          stored.push_back({e.section_id, e.person_id, StoredEnrollment::HashOf(e.sourced_id),
                            e.teacher, e.active});
        }));
    stored.shrink_to_fit();  // it stays for the whole import
    RosterImportPlanner planner(roster, set, std::move(stored));
    planner.PlanRoster();
    const bool write =
        !options.dry_run && report.read.problems.empty() && planner.problems().empty();
    // Classes new to Cairn start with their course's default badges; the
    // sections already here keep theirs.
    std::vector<std::string> created;
    if (write) {
      std::unordered_set<std::string_view> known;
      for (const Section& section : roster.sections) known.insert(section.sourced_id);
      for (const auto& row : planner.changes().sections) {
        if (!known.count(row.sourced_id)) created.push_back(row.sourced_id);
      }
    }
    EnrollmentFeed feed(set, planner, report.read.problems, write ? "writing" : "checking",
                        options.progress);
    if (write) {
      step("checking", 1);
      step("writing", 0);
      RosterChangeSet& changes = planner.changes();
      changes.enrollment_stream = &feed;
      const Status applied = store.ApplyRosterChanges(changes);
      changes.enrollment_stream = nullptr;
      CAIRN_RETURN_IF_ERROR(applied);
    } else {
      CAIRN_RETURN_IF_ERROR(feed.Deactivated().status());
      if (!set.enrollment_reader) step("checking", 1);
    }
    // Every problem, in the order of the files, then the plan's.
    report.problems = report.read.problems;
    if (const auto& reader = set.enrollment_reader) {
      const ReadReport& streamed = reader->report();
      report.problems.insert(
          report.problems.begin() + static_cast<std::ptrdiff_t>(std::min(set.enrollment_problems_at,
                                                                         report.problems.size())),
          streamed.problems.begin(), streamed.problems.end());
      report.read.problems = report.problems;
      for (const auto& [file, rows] : streamed.rows) report.read.rows[file] = rows;
      for (const auto& [file, columns] : streamed.ignored_columns) {
        report.read.ignored_columns[file] = columns;
      }
    }
    PlannedImport planned = planner.Take();
    report.problems.insert(report.problems.end(), planned.problems.begin(), planned.problems.end());
    if (!report.ok()) {
      if (!write) return Status::Ok();
      undone_for_problems = true;
      return Status::Invalid("the import has problems; nothing is kept");
    }
    report.plan = std::move(planned.plan);
    if (!write) return Status::Ok();
    CAIRN_RETURN_IF_ERROR(store.AddCourseBadgesToSections(created));
    if (!set.enrollment_reader) step("writing", 1);  // else the feed's bytes ended at 100%
    report.applied = !report.plan.empty();           // an empty plan wrote nothing
    return Status::Ok();
  };
  Status status = options.dry_run ? plan_and_apply() : store.Transact(plan_and_apply);
  if (!status.ok() && !undone_for_problems) return status;
  return report;
}

Result<ImportReport> ImportOneRoster(RosterStore& store, const std::string& path,
                                     const ImportOptions& options) {
  ReadReport read;
  CAIRN_ASSIGN_OR_RETURN(OneRosterSet set,
                         ReadOneRoster(path, read, options.limits, options.progress,
                                       /*stream_enrollments=*/true));
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
