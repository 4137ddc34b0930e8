#include "reports/badge_drilldown.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>

namespace cairn {
namespace {

struct Count {
  int students = 0, completed = 0;
};

Result<std::size_t> ParseCount(const std::string& field, const std::string& text,
                               std::size_t fallback, std::size_t low, std::size_t high) {
  if (text.empty()) return fallback;
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return Status::InvalidField(field, "expected a whole number from " + std::to_string(low) +
                                           " to " + std::to_string(high));
  }
  return value;
}

}  // namespace

Result<DrilldownFilter> ParseDrilldownFilter(const std::string& school,
                                             const std::string& section_id,
                                             const std::string& status, const std::string& limit,
                                             const std::string& offset) {
  DrilldownFilter filter;
  filter.school = school;
  filter.section_id = section_id;
  if (status == "all") {
    filter.status = DrilldownFilter::Status::kAll;
  } else if (status == "completed") {
    filter.status = DrilldownFilter::Status::kCompleted;
  } else if (status.empty() || status == "not_yet") {
    filter.status = DrilldownFilter::Status::kNotYet;
  } else {
    return Status::InvalidField("status", "expected all, not_yet or completed");
  }
  auto parsed_limit = ParseCount("limit", limit, 100, 1, kMaxDrilldownLimit);
  if (!parsed_limit.ok()) return parsed_limit.status();
  auto parsed_offset = ParseCount("offset", offset, 0, 0, std::size_t{1} << 40);
  if (!parsed_offset.ok()) return parsed_offset.status();
  filter.limit = *parsed_limit;
  filter.offset = *parsed_offset;
  return filter;
}

DrilldownPage BuildBadgeDrilldown(const std::string& badge, const std::string& title,
                                  std::span<const TrackingRow> rows,
                                  const DrilldownFilter& filter) {
  Count all;
  std::map<std::string, Count> schools;
  std::map<std::string, std::pair<const TrackingRow*, Count>> sections;
  std::map<std::string, int> reasons;
  std::vector<const TrackingRow*> matching;
  for (const TrackingRow& row : rows) {
    if (row.badge != badge) continue;
    const int done = row.completed ? 1 : 0;
    all.students += 1;
    all.completed += done;
    Count& school = schools[row.school];
    school.students += 1;
    school.completed += done;
    if (!filter.school.empty() && row.school != filter.school) continue;
    auto& section = sections[row.section_sourced_id];
    section.first = &row;
    section.second.students += 1;
    section.second.completed += done;
    if (!filter.section_id.empty() && row.section_sourced_id != filter.section_id) continue;
    if (!row.completed) {
      // Each reason once per student (a row is one student's badge).
      for (const std::string& reason :
           std::set<std::string>(row.remaining.begin(), row.remaining.end())) {
        ++reasons[reason];
      }
    }
    const bool wanted = filter.status == DrilldownFilter::Status::kAll ||
                        (filter.status == DrilldownFilter::Status::kCompleted) == row.completed;
    if (wanted) matching.push_back(&row);
  }
  // Longest without evidence first ("" = never, before any date), then name.
  std::sort(matching.begin(), matching.end(), [](const TrackingRow* a, const TrackingRow* b) {
    return std::tie(a->last_evidence_on, a->student_name, a->student_id, a->section_sourced_id) <
           std::tie(b->last_evidence_on, b->student_name, b->student_id, b->section_sourced_id);
  });

  DrilldownPage page;
  nlohmann::json& out = page.json;
  out = {
      {"badge", badge}, {"title", title}, {"students", all.students}, {"completed", all.completed}};
  out["schools"] = nlohmann::json::array();
  for (const auto& [name, count] : schools) {
    out["schools"].push_back(
        {{"school", name}, {"students", count.students}, {"completed", count.completed}});
  }
  out["sections"] = nlohmann::json::array();
  for (const auto& [id, entry] : sections) {
    out["sections"].push_back({{"section_id", id},
                               {"section", entry.first->section},
                               {"school", entry.first->school},
                               {"students", entry.second.students},
                               {"completed", entry.second.completed}});
  }
  std::vector<std::pair<std::string, int>> by_count(reasons.begin(), reasons.end());
  std::stable_sort(by_count.begin(), by_count.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  out["reasons"] = nlohmann::json::array();
  for (const auto& [reason, students] : by_count) {
    out["reasons"].push_back({{"reason", reason}, {"students", students}});
  }
  out["total"] = matching.size();
  out["rows"] = nlohmann::json::array();
  const std::size_t end = std::min(matching.size(), filter.offset + filter.limit);
  for (std::size_t i = std::min(filter.offset, end); i < end; ++i) {
    const TrackingRow& row = *matching[i];
    out["rows"].push_back({{"student_id", row.student_id},
                           {"student_name", row.student_name},
                           {"school", row.school},
                           {"section", row.section},
                           {"section_id", row.section_sourced_id},
                           {"completed", row.completed},
                           {"completed_on", row.completed_on},
                           {"award_state", row.award_state},
                           {"remaining", row.remaining},
                           {"last_evidence_on", row.last_evidence_on}});
    page.student_ids.push_back(row.student_id);
  }
  return page;
}

}  // namespace cairn
