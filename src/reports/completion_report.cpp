#include "reports/completion_report.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "reports/complementary_suppression.h"

namespace cairn {
namespace {

constexpr std::array<CompletionDimension, 3> kDimensions = {
    CompletionDimension::kBadge, CompletionDimension::kSchool, CompletionDimension::kCourse};

std::string_view KeyOf(const TrackingRow& row, CompletionDimension dimension) {
  switch (dimension) {
    case CompletionDimension::kBadge:
      return row.badge;
    case CompletionDimension::kSchool:
      return row.school;
    case CompletionDimension::kCourse:
      return row.course;
  }
  return row.badge;
}

// What is counted for one group, before suppression. Views point into the
// rows, which outlive the report's construction.
struct Tally {
  CompletionDimension dimension;
  std::string_view key;
  int students = 0;  // distinct
  int enrolments = 0;
  int completed = 0;
  std::map<std::string_view, int> by_month;
};

// The rows indexed for the suppression model: groups of every dimension,
// (school, course, badge) cells, and student profiles.
struct Index {
  std::vector<Tally> groups;
  std::array<std::map<std::string_view, std::size_t>, 3> group_of;  // per dimension, key order
  std::vector<std::array<std::size_t, 3>> cell_groups;  // per cell: its group per dimension
  std::vector<std::vector<std::size_t>> profiles;       // per profile: its cells (a multiset)
  std::vector<int> profile_students;                    // per profile: how many students
};

Index IndexRows(std::span<const TrackingRow> rows) {
  Index index;
  std::array<std::unordered_map<std::string_view, std::size_t>, 3> group_ids;
  std::map<std::array<std::size_t, 3>, std::size_t> cell_ids;
  std::unordered_map<std::string_view, std::size_t> student_ids;
  std::vector<std::vector<std::size_t>> cells_of_student;
  for (const TrackingRow& row : rows) {
    std::array<std::size_t, 3> groups{};
    for (std::size_t d = 0; d < kDimensions.size(); ++d) {
      const std::string_view key = KeyOf(row, kDimensions[d]);
      auto [it, added] = group_ids[d].try_emplace(key, index.groups.size());
      if (added) index.groups.push_back(Tally{kDimensions[d], key, 0, 0, 0, {}});
      Tally& tally = index.groups[it->second];
      ++tally.enrolments;
      if (row.completed) {
        ++tally.completed;
        ++tally.by_month[std::string_view(row.completed_on).substr(0, 7)];
      }
      groups[d] = it->second;
    }
    auto [cell, new_cell] = cell_ids.try_emplace(groups, index.cell_groups.size());
    if (new_cell) index.cell_groups.push_back(groups);
    auto [student, new_student] = student_ids.try_emplace(row.student_id, cells_of_student.size());
    if (new_student) cells_of_student.emplace_back();
    cells_of_student[student->second].push_back(cell->second);
  }
  for (std::size_t d = 0; d < kDimensions.size(); ++d) {
    index.group_of[d].insert(group_ids[d].begin(), group_ids[d].end());
  }
  std::map<std::vector<std::size_t>, std::size_t> profile_of;
  std::vector<std::size_t> touched;
  for (std::vector<std::size_t>& cells : cells_of_student) {
    std::sort(cells.begin(), cells.end());
    touched.clear();
    for (std::size_t cell : cells) {
      for (std::size_t g : index.cell_groups[cell]) touched.push_back(g);
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (std::size_t g : touched) ++index.groups[g].students;
    auto [it, added] = profile_of.try_emplace(std::move(cells), index.profiles.size());
    if (added) {
      index.profiles.push_back(it->first);
      index.profile_students.push_back(0);
    }
    ++index.profile_students[it->second];
  }
  return index;
}

// The linear forms of complementary_suppression.h. Unknowns: the number of
// students of each profile, then the completions of each cell (the same
// forms serve every month, since a month's completions are also sums over
// cells).
struct Forms {
  std::vector<LinearForm> known;
  std::vector<std::vector<LinearForm>> of_group;
};

Forms BuildForms(const Index& index) {
  const std::size_t profile_count = index.profiles.size();
  const std::size_t width = profile_count + index.cell_groups.size();
  Forms forms;
  // Grand totals: students, enrolments, completions.
  LinearForm students(width, 0), enrolments(width, 0), completions(width, 0);
  for (std::size_t p = 0; p < profile_count; ++p) {
    students[p] = 1;
    enrolments[p] = static_cast<std::int64_t>(index.profiles[p].size());
  }
  for (std::size_t c = 0; c < index.cell_groups.size(); ++c) completions[profile_count + c] = 1;
  forms.known = {students, enrolments, completions};

  // Per group: its students, its enrolments and its completions.
  std::vector<LinearForm> group_students(index.groups.size(), LinearForm(width, 0));
  std::vector<LinearForm> group_enrolments(index.groups.size(), LinearForm(width, 0));
  std::vector<LinearForm> group_completions(index.groups.size(), LinearForm(width, 0));
  for (std::size_t p = 0; p < profile_count; ++p) {
    for (std::size_t cell : index.profiles[p]) {
      for (std::size_t g : index.cell_groups[cell]) {
        group_students[g][p] = 1;
        ++group_enrolments[g][p];
      }
    }
  }
  for (std::size_t c = 0; c < index.cell_groups.size(); ++c) {
    for (std::size_t g : index.cell_groups[c]) group_completions[g][profile_count + c] = 1;
  }
  for (std::size_t g = 0; g < index.groups.size(); ++g) {
    std::vector<LinearForm> mine{std::move(group_students[g])};
    // A badge's students and enrolments are usually the same form.
    if (group_enrolments[g] != mine.front()) mine.push_back(std::move(group_enrolments[g]));
    mine.push_back(std::move(group_completions[g]));
    forms.of_group.push_back(std::move(mine));
  }
  return forms;
}

CompletionGroup Publish(const Tally& tally, CompletionSuppression suppression) {
  CompletionGroup group;
  group.key = std::string(tally.key);
  group.suppression = suppression;
  if (suppression != CompletionSuppression::kShown) return group;
  group.students = tally.students;
  group.badge_enrolments = tally.enrolments;
  group.completed = tally.completed;
  group.completion_rate = static_cast<double>(tally.completed) / tally.enrolments;
  for (const auto& [month, count] : tally.by_month) group.by_month.emplace(month, count);
  return group;
}

}  // namespace

std::string_view CompletionDimensionName(CompletionDimension dimension) {
  switch (dimension) {
    case CompletionDimension::kBadge:
      return "badge";
    case CompletionDimension::kSchool:
      return "school";
    case CompletionDimension::kCourse:
      return "course";
  }
  return "badge";
}

Result<CompletionDimension> ParseCompletionDimension(std::string_view name) {
  for (CompletionDimension dimension : kDimensions) {
    if (CompletionDimensionName(dimension) == name) return dimension;
  }
  return Status::Invalid("by: expected badge, school or course");
}

const std::vector<CompletionGroup>& CompletionReport::groups(CompletionDimension dimension) const {
  switch (dimension) {
    case CompletionDimension::kBadge:
      return by_badge;
    case CompletionDimension::kSchool:
      return by_school;
    case CompletionDimension::kCourse:
      return by_course;
  }
  return by_badge;
}

CompletionReport BuildCompletionReport(std::span<const TrackingRow> rows, int minimum_group_size) {
  const Index index = IndexRows(rows);
  Forms forms = BuildForms(index);

  // Smallest first, so that complementary suppression hides small groups
  // before large ones; ties by dimension, then key.
  std::vector<std::size_t> by_size(index.groups.size());
  for (std::size_t g = 0; g < by_size.size(); ++g) by_size[g] = g;
  std::sort(by_size.begin(), by_size.end(), [&](std::size_t a, std::size_t b) {
    const Tally& x = index.groups[a];
    const Tally& y = index.groups[b];
    if (x.students != y.students) return x.students < y.students;
    if (x.dimension != y.dimension) return x.dimension < y.dimension;
    return x.key < y.key;
  });
  SuppressionProblem problem;
  problem.known = std::move(forms.known);
  for (std::size_t g : by_size) {
    const bool too_small = index.groups[g].students < minimum_group_size;
    problem.groups.push_back({std::move(forms.of_group[g]), too_small});
  }
  const SuppressionResult decided = SuppressComplements(problem);

  std::vector<CompletionSuppression> suppression(index.groups.size(),
                                                 CompletionSuppression::kShown);
  for (std::size_t i = 0; i < by_size.size(); ++i) {
    if (problem.groups[i].too_small) {
      suppression[by_size[i]] = CompletionSuppression::kTooSmall;
    } else if (decided.suppressed[i]) {
      suppression[by_size[i]] = CompletionSuppression::kComplementary;
    }
  }

  CompletionReport report;
  report.minimum_group_size = minimum_group_size;
  for (std::size_t d = 0; d < kDimensions.size(); ++d) {
    auto& out = d == 0 ? report.by_badge : d == 1 ? report.by_school : report.by_course;
    for (const auto& [key, g] : index.group_of[d]) {
      out.push_back(Publish(index.groups[g], suppression[g]));
    }
  }
  return report;
}

nlohmann::json CompletionReportJson(const CompletionReport& report, CompletionDimension by) {
  nlohmann::json groups = nlohmann::json::array();
  for (const CompletionGroup& group : report.groups(by)) {
    nlohmann::json item{{"group", group.key}, {"suppressed", group.suppressed()}};
    if (!group.suppressed()) {
      item["students"] = group.students;
      item["badge_enrolments"] = group.badge_enrolments;
      item["completed"] = group.completed;
      item["completion_rate"] = group.completion_rate;
      nlohmann::json months = nlohmann::json::array();
      for (const auto& [month, count] : group.by_month) {
        months.push_back({{"month", month}, {"completed", count}});
      }
      item["by_month"] = std::move(months);
    }
    groups.push_back(std::move(item));
  }
  return {{"by", std::string(CompletionDimensionName(by))},
          {"minimum_group_size", report.minimum_group_size},
          {"groups", std::move(groups)}};
}

}  // namespace cairn
