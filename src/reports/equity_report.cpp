#include "reports/equity_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "reports/complementary_suppression.h"

namespace cairn {
static_assert(std::tuple_size_v<decltype(TrackingRow::demographics)> == kDemographicFieldCount);
namespace {

// Key order with Unknown last, so the reported groups come first.
bool GroupBefore(const std::string& a, const std::string& b) {
  const bool a_unknown = a == kUnknownGroup, b_unknown = b == kUnknownGroup;
  if (a_unknown != b_unknown) return b_unknown;
  return a < b;
}

struct Tally {
  std::size_t field = 0;
  std::string key;
  int students = 0, enrolments = 0, completed = 0, not_progressing = 0;
};

std::string Fixed(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

}  // namespace

EquityReport BuildEquityReport(std::span<const TrackingRow> rows, int minimum_group_size) {
  using Profile = std::array<std::string, kDemographicFieldCount>;
  // Each student once, with their profile; a row without groups (not built
  // from the roster) is Unknown throughout.
  std::unordered_map<std::string_view, const TrackingRow*> student_rows;
  EquityReport report;
  report.minimum_group_size = minimum_group_size;
  std::array<std::map<std::string, Tally>, kDemographicFieldCount> tallies;
  auto group_of = [](const TrackingRow& row, std::size_t f) {
    return row.demographics[f].empty() ? std::string(kUnknownGroup) : row.demographics[f];
  };
  for (const TrackingRow& row : rows) {
    const bool new_student = student_rows.try_emplace(row.student_id, &row).second;
    ++report.badge_enrolments;
    if (row.completed) ++report.completed;
    if (row.not_progressing) ++report.not_progressing;
    if (new_student) ++report.students;
    for (std::size_t f = 0; f < kDemographicFieldCount; ++f) {
      const std::string key = group_of(row, f);
      Tally& tally = tallies[f].try_emplace(key, Tally{f, key}).first->second;
      ++tally.enrolments;
      if (row.completed) ++tally.completed;
      if (row.not_progressing) ++tally.not_progressing;
      if (new_student) ++tally.students;
    }
  }

  // The suppression model: one unknown per distinct profile.
  std::map<Profile, std::size_t> profiles;
  for (const auto& [id, row] : student_rows) {
    Profile profile;
    for (std::size_t f = 0; f < kDemographicFieldCount; ++f) profile[f] = group_of(*row, f);
    profiles.try_emplace(std::move(profile), profiles.size());
  }
  const std::size_t width = profiles.size();
  std::vector<const Tally*> groups;
  for (const auto& field : tallies) {
    for (const auto& [key, tally] : field) groups.push_back(&tally);
  }
  std::sort(groups.begin(), groups.end(), [](const Tally* a, const Tally* b) {
    if (a->students != b->students) return a->students < b->students;
    if (a->field != b->field) return a->field < b->field;
    return a->key < b->key;
  });
  SuppressionProblem problem;
  problem.known.push_back(LinearForm(width, 1));
  for (const Tally* tally : groups) {
    LinearForm form(width, 0);
    for (const auto& [profile, column] : profiles) {
      if (profile[tally->field] == tally->key) form[column] = 1;
    }
    problem.groups.push_back({{std::move(form)}, tally->students < minimum_group_size});
  }
  const SuppressionResult decided = SuppressComplements(problem);
  std::map<const Tally*, CompletionSuppression> suppression;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    suppression[groups[i]] = problem.groups[i].too_small ? CompletionSuppression::kTooSmall
                             : decided.suppressed[i]     ? CompletionSuppression::kComplementary
                                                         : CompletionSuppression::kShown;
  }

  report.overall_shown = report.students >= minimum_group_size && report.students > 0;
  if (report.overall_shown) {
    report.completion_rate = static_cast<double>(report.completed) / report.badge_enrolments;
    report.not_progressing_rate =
        static_cast<double>(report.not_progressing) / report.badge_enrolments;
  } else {
    report.students = report.badge_enrolments = report.completed = report.not_progressing = 0;
  }
  for (std::size_t f = 0; f < kDemographicFieldCount; ++f) {
    for (const auto& [key, tally] : tallies[f]) {
      EquityGroup group;
      group.key = key;
      group.suppression =
          report.overall_shown ? suppression[&tally] : CompletionSuppression::kTooSmall;
      if (!group.suppressed()) {
        group.students = tally.students;
        group.badge_enrolments = tally.enrolments;
        group.completed = tally.completed;
        group.not_yet = tally.enrolments - tally.completed;
        group.completion_rate = static_cast<double>(tally.completed) / tally.enrolments;
        group.gap = group.completion_rate - report.completion_rate;
        group.not_progressing = tally.not_progressing;
        group.not_progressing_rate = static_cast<double>(tally.not_progressing) / tally.enrolments;
        group.not_progressing_gap = group.not_progressing_rate - report.not_progressing_rate;
      }
      report.by_field[f].push_back(std::move(group));
    }
    std::stable_sort(
        report.by_field[f].begin(), report.by_field[f].end(),
        [](const EquityGroup& a, const EquityGroup& b) { return GroupBefore(a.key, b.key); });
  }
  return report;
}

nlohmann::json EquityReportJson(const EquityReport& report, DemographicField field) {
  nlohmann::json groups = nlohmann::json::array();
  for (const EquityGroup& group : report.groups(field)) {
    nlohmann::json item{{"group", group.key}, {"suppressed", group.suppressed()}};
    if (!group.suppressed()) {
      item["students"] = group.students;
      item["badge_enrolments"] = group.badge_enrolments;
      item["completed"] = group.completed;
      item["not_yet"] = group.not_yet;
      item["completion_rate"] = group.completion_rate;
      item["gap"] = group.gap;
      item["not_progressing"] = group.not_progressing;
      item["not_progressing_rate"] = group.not_progressing_rate;
      item["not_progressing_gap"] = group.not_progressing_gap;
    }
    groups.push_back(std::move(item));
  }
  nlohmann::json overall = nullptr;
  if (report.overall_shown) {
    overall = {{"students", report.students},
               {"badge_enrolments", report.badge_enrolments},
               {"completed", report.completed},
               {"not_yet", report.badge_enrolments - report.completed},
               {"completion_rate", report.completion_rate},
               {"not_progressing", report.not_progressing},
               {"not_progressing_rate", report.not_progressing_rate}};
  }
  return {{"field", std::string(DemographicFieldName(field))},
          {"title", std::string(DemographicFieldTitle(field))},
          {"minimum_group_size", report.minimum_group_size},
          {"overall", std::move(overall)},
          {"groups", std::move(groups)}};
}

std::vector<std::vector<std::string>> EquityReportTable(const EquityReport& report,
                                                        DemographicField field) {
  std::vector<std::vector<std::string>> table;
  table.push_back({std::string(DemographicFieldTitle(field)), "Students", "Badges taken on",
                   "Completed", "Not yet", "Completion rate", "Gap to everyone", "Not progressing",
                   "Not progressing rate"});
  for (const EquityGroup& group : report.groups(field)) {
    if (group.suppressed()) {
      table.push_back({group.key, "suppressed", "", "", "", "", "", "", ""});
      continue;
    }
    table.push_back({group.key, std::to_string(group.students),
                     std::to_string(group.badge_enrolments), std::to_string(group.completed),
                     std::to_string(group.not_yet), Fixed(group.completion_rate), Fixed(group.gap),
                     std::to_string(group.not_progressing), Fixed(group.not_progressing_rate)});
  }
  if (report.overall_shown) {
    table.push_back({"Everyone", std::to_string(report.students),
                     std::to_string(report.badge_enrolments), std::to_string(report.completed),
                     std::to_string(report.badge_enrolments - report.completed),
                     Fixed(report.completion_rate), Fixed(0),
                     std::to_string(report.not_progressing), Fixed(report.not_progressing_rate)});
  }
  return table;
}

}  // namespace cairn
