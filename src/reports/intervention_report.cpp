#include "reports/intervention_report.h"

#include <algorithm>
#include <array>
#include <vector>

#include "common/time.h"

namespace cairn {
namespace {

constexpr std::array<InterventionKind, 5> kKinds = {
    InterventionKind::kReteach, InterventionKind::kFlexTime, InterventionKind::kTutoring,
    InterventionKind::kSummer, InterventionKind::kOther};

struct Tally {
  int started = 0, open = 0, closed = 0, reached = 0;
  std::vector<long> days;

  void Add(const InterventionOutcome& outcome) {
    ++started;
    (outcome.intervention->open() ? open : closed) += 1;
    if (outcome.mastered_on.empty()) return;
    ++reached;
    auto from = ParseDate(outcome.intervention->started_on);
    auto to = ParseDate(outcome.mastered_on);
    if (from.ok() && to.ok()) days.push_back(std::max<long>(0, static_cast<long>(*to - *from)));
  }

  nlohmann::json Json() {
    nlohmann::json median = nullptr;
    if (!days.empty()) {
      std::sort(days.begin(), days.end());
      const std::size_t n = days.size();
      median = n % 2 ? static_cast<double>(days[n / 2])
                     : static_cast<double>(days[n / 2 - 1] + days[n / 2]) / 2;
    }
    return {{"started", started},
            {"open", open},
            {"closed", closed},
            {"reached_mastery", reached},
            {"median_days_to_mastery", median}};
  }
};

}  // namespace

nlohmann::json InterventionReportJson(std::span<const InterventionOutcome> outcomes) {
  std::array<Tally, kKinds.size()> by_kind;
  Tally total;
  for (const InterventionOutcome& outcome : outcomes) {
    by_kind[static_cast<std::size_t>(outcome.intervention->kind)].Add(outcome);
    total.Add(outcome);
  }
  nlohmann::json kinds = nlohmann::json::array();
  for (InterventionKind kind : kKinds) {
    nlohmann::json item = by_kind[static_cast<std::size_t>(kind)].Json();
    item["kind"] = InterventionKindName(kind);
    item["label"] = InterventionKindLabel(kind);
    kinds.push_back(std::move(item));
  }
  return {{"kinds", std::move(kinds)}, {"total", total.Json()}};
}

}  // namespace cairn
