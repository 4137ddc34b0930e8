#include "reports/pace_report.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>
#include <utility>

#include "mastery/awards.h"

namespace cairn {
namespace {

double Median(std::vector<int> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return values[mid];
  return (values[mid - 1] + values[mid]) / 2.0;
}

// The rows of one section and badge, before flags that need the section's
// median.
PaceRow Measure(const MasteryEngine& engine, const Person& student, const Badge& badge,
                const AwardRecord* award, const PaceOptions& options, Day window_start,
                int plan_weeks) {
  PaceRow row;
  row.plan_weeks = plan_weeks;
  row.student_name = student.DisplayName();
  row.student_id = student.sourced_id;
  row.badge = badge.code;
  row.badge_title = badge.title;
  const AwardState state = award ? award->state : AwardState::kNone;
  row.award_state = AwardStateName(state);
  for (const CpeStatus& status : engine.CpeStatusesOfBadge(student.id, badge)) {
    if (status.has_value) row.last_evidence = std::max(row.last_evidence, status.last_demonstrated);
    if (!status.mastered) continue;
    const Day since = engine.MasteredSince(student.id, status.dense_cpe);
    if (since == 0) continue;
    row.last_mastery = std::max(row.last_mastery, since);
    if (since >= window_start && since <= options.today) ++row.cpes_gained;
  }
  row.cpes_per_week = static_cast<double>(row.cpes_gained) / options.window_weeks;
  if (row.last_mastery > 0) row.weeks_stalled = std::max(0, (options.today - row.last_mastery) / 7);

  const BadgeExplanation explanation = engine.Explain(student.id, badge);
  row.cpes_counting = explanation.cpes_counting;
  row.cpes_needed = explanation.cpes_needed;
  for (const CpeExplanation& cpe : explanation.cpes) {
    if (!cpe.counts) row.short_cpes.push_back(cpe.cpe_id);
  }
  row.missing_prerequisites = explanation.missing_prerequisites;
  for (EvidenceKind kind : explanation.missing_kinds) {
    row.missing_kinds.emplace_back(EvidenceKindName(kind));
  }
  const int planned = row.cpes_needed > 0 ? row.cpes_needed : static_cast<int>(badge.cpes.size());
  row.expected_cpes_per_week = static_cast<double>(planned) / std::max(1, row.plan_weeks);
  row.pace_ratio =
      row.expected_cpes_per_week > 0 ? row.cpes_per_week / row.expected_cpes_per_week : 0;
  row.behind_plan =
      state != AwardState::kConfirmed && row.cpes_counting < row.cpes_needed && row.pace_ratio < 1;
  row.not_progressing = state != AwardState::kConfirmed && row.cpes_gained == 0;
  if (row.not_progressing) {
    if (state == AwardState::kRevoked) row.why.push_back("Award revoked: " + award->reason);
    row.why.insert(row.why.end(), explanation.remaining.begin(), explanation.remaining.end());
    if (explanation.remaining.empty()) {
      row.why.push_back(state == AwardState::kProposed
                            ? "Teacher confirmation of the proposed award"
                            : "Award to be proposed");
    }
  }
  return row;
}

double Round2(double value) { return std::round(value * 100) / 100; }

auto NameKey(const PaceRow& row) {
  return std::tie(row.student_name, row.student_id, row.section_id, row.badge);
}

// Never reached mastery sorts as the longest stall; no evidence as the oldest.
int StalledKey(const PaceRow& row) {
  return row.weeks_stalled < 0 ? std::numeric_limits<int>::max() : row.weeks_stalled;
}

}  // namespace

PaceReport BuildPaceReport(const Catalog& catalog, const Roster& roster,
                           const MasteryEngine& engine,
                           const std::map<Id, std::vector<AwardFact>>& awards,
                           std::span<const Section* const> sections,
                           const std::function<bool(const Person&)>& include,
                           const PaceOptions& options) {
  PaceReport report;
  report.today = options.today;
  report.window_weeks = std::max(1, options.window_weeks);
  report.window_start = options.today - 7 * report.window_weeks + 1;
  PaceOptions used = options;
  used.window_weeks = report.window_weeks;

  for (const Section* section : sections) {
    const School* school = roster.FindSchool(section->school_id);
    const Course* course = roster.FindCourse(section->course_id);
    std::vector<std::pair<const Person*, std::map<std::string, AwardRecord>>> students;
    for (const Person* student : roster.StudentsIn(section->id)) {
      if (!student->active || (include && !include(*student))) continue;
      auto found = awards.find(student->id);
      students.emplace_back(student, found == awards.end() ? std::map<std::string, AwardRecord>{}
                                                           : FoldAwards(found->second));
    }
    std::sort(students.begin(), students.end(), [](const auto& a, const auto& b) {
      return std::make_pair(a.first->DisplayName(), a.first->sourced_id) <
             std::make_pair(b.first->DisplayName(), b.first->sourced_id);
    });
    std::vector<PaceRow> section_rows;
    const int plan_weeks = options.plan.WeeksPerBadge(course ? course->sourced_id : "");
    for (const std::string& code : section->badges) {
      const Badge* badge = catalog.FindBadge(code);
      if (!badge) continue;
      std::vector<PaceRow> badge_rows;
      std::vector<int> gains;
      for (const auto& [student, records] : students) {
        auto it = records.find(code);
        badge_rows.push_back(Measure(engine, *student, *badge,
                                     it == records.end() ? nullptr : &it->second, used,
                                     report.window_start, plan_weeks));
        gains.push_back(badge_rows.back().cpes_gained);
      }
      const double median = Median(std::move(gains));
      const double rapid_at = std::max(2 * median, median + 2);
      for (PaceRow& row : badge_rows) {
        row.school = school ? school->name : "";
        row.course = course ? course->title : "";
        row.section = section->title;
        row.section_id = section->sourced_id;
        row.section_median = median;
        row.advancing_rapidly = row.cpes_gained >= rapid_at;
        ++report.enrolments;
        report.not_progressing += row.not_progressing ? 1 : 0;
        report.advancing_rapidly += row.advancing_rapidly ? 1 : 0;
        report.behind_plan += row.behind_plan ? 1 : 0;
        if (row.not_progressing || row.advancing_rapidly || row.behind_plan) {
          section_rows.push_back(std::move(row));
        }
      }
    }
    std::stable_sort(section_rows.begin(), section_rows.end(),
                     [](const PaceRow& a, const PaceRow& b) { return NameKey(a) < NameKey(b); });
    for (PaceRow& row : section_rows) report.rows.push_back(std::move(row));
  }
  return report;
}

Result<PaceFilter> ParsePaceFilter(std::string_view name) {
  if (name == "any") return PaceFilter::kAny;
  if (name == "not_progressing") return PaceFilter::kNotProgressing;
  if (name == "advancing_rapidly") return PaceFilter::kAdvancingRapidly;
  if (name == "behind_plan") return PaceFilter::kBehindPlan;
  return Status::InvalidField("flag",
                              "expected any, not_progressing, advancing_rapidly or behind_plan");
}

Result<PaceSort> ParsePaceSort(std::string_view name) {
  if (name == "weeks_stalled") return PaceSort::kWeeksStalled;
  if (name == "last_evidence") return PaceSort::kLastEvidence;
  if (name == "pace_ratio") return PaceSort::kPaceRatio;
  return Status::InvalidField("sort", "expected weeks_stalled, last_evidence or pace_ratio");
}

void FilterAndSortPaceRows(std::vector<PaceRow>& rows, PaceFilter filter, PaceSort sort) {
  std::erase_if(rows, [&](const PaceRow& row) {
    switch (filter) {
      case PaceFilter::kAny:
        return !row.not_progressing && !row.advancing_rapidly && !row.behind_plan;
      case PaceFilter::kNotProgressing:
        return !row.not_progressing;
      case PaceFilter::kAdvancingRapidly:
        return !row.advancing_rapidly;
      case PaceFilter::kBehindPlan:
        return !row.behind_plan;
    }
    return false;
  });
  std::sort(rows.begin(), rows.end(), [&](const PaceRow& a, const PaceRow& b) {
    const int stalled_a = StalledKey(a), stalled_b = StalledKey(b);
    if (sort == PaceSort::kPaceRatio) {
      if (a.pace_ratio != b.pace_ratio) return a.pace_ratio < b.pace_ratio;
      if (stalled_a != stalled_b) return stalled_a > stalled_b;
    } else if (sort == PaceSort::kWeeksStalled) {
      if (stalled_a != stalled_b) return stalled_a > stalled_b;
      if (a.last_evidence != b.last_evidence) return a.last_evidence < b.last_evidence;
    } else {
      if (a.last_evidence != b.last_evidence) return a.last_evidence < b.last_evidence;
      if (stalled_a != stalled_b) return stalled_a > stalled_b;
    }
    return NameKey(a) < NameKey(b);
  });
}

void MarkNotProgressing(std::vector<TrackingRow>& rows, const PaceReport& report) {
  std::set<std::tuple<std::string_view, std::string_view, std::string_view>> stalled;
  for (const PaceRow& row : report.rows) {
    if (row.not_progressing) stalled.emplace(row.student_id, row.section_id, row.badge);
  }
  for (TrackingRow& row : rows) {
    row.not_progressing = stalled.count({row.student_id, row.section_sourced_id, row.badge}) > 0;
  }
}

nlohmann::json PaceReportJson(const PaceReport& report) {
  auto date_or_null = [](Day day) -> nlohmann::json {
    return day > 0 ? nlohmann::json(FormatDate(day)) : nlohmann::json(nullptr);
  };
  nlohmann::json rows = nlohmann::json::array();
  for (const PaceRow& row : report.rows) {
    rows.push_back({{"student", row.student_name},
                    {"student_id", row.student_id},
                    {"school", row.school},
                    {"course", row.course},
                    {"section", row.section},
                    {"section_id", row.section_id},
                    {"badge", row.badge},
                    {"badge_title", row.badge_title},
                    {"award_state", row.award_state},
                    {"not_progressing", row.not_progressing},
                    {"advancing_rapidly", row.advancing_rapidly},
                    {"last_evidence", date_or_null(row.last_evidence)},
                    {"last_mastery", date_or_null(row.last_mastery)},
                    {"weeks_stalled", row.weeks_stalled < 0 ? nlohmann::json(nullptr)
                                                            : nlohmann::json(row.weeks_stalled)},
                    {"cpes_gained", row.cpes_gained},
                    {"cpes_per_week", row.cpes_per_week},
                    {"section_median", row.section_median},
                    {"plan_weeks", row.plan_weeks},
                    {"expected_cpes_per_week", Round2(row.expected_cpes_per_week)},
                    {"pace_ratio", Round2(row.pace_ratio)},
                    {"behind_plan", row.behind_plan},
                    {"cpes_counting", row.cpes_counting},
                    {"cpes_needed", row.cpes_needed},
                    {"short_cpes", row.short_cpes},
                    {"missing_prerequisites", row.missing_prerequisites},
                    {"missing_kinds", row.missing_kinds},
                    {"why", row.why}});
  }
  return {{"today", FormatDate(report.today)},
          {"window_weeks", report.window_weeks},
          {"window_start", FormatDate(report.window_start)},
          {"enrolments", report.enrolments},
          {"not_progressing", report.not_progressing},
          {"advancing_rapidly", report.advancing_rapidly},
          {"behind_plan", report.behind_plan},
          {"rows", std::move(rows)}};
}

}  // namespace cairn
