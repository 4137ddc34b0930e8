#include "mastery/pathway.h"

#include <array>

namespace cairn {

std::string_view PathwayStateName(PathwayState state) {
  static constexpr std::array<std::string_view, 4> kNames{"earned", "in_progress", "available",
                                                          "locked"};
  return kNames[static_cast<std::size_t>(state)];
}

std::vector<BadgeStanding> StudentPathway(const Catalog& catalog, const MasteryEngine& engine,
                                          Id student,
                                          const std::map<std::string, AwardRecord>& awards) {
  std::vector<BadgeStanding> out;
  out.reserve(catalog.badges.size());
  for (std::uint32_t b = 0; b < catalog.badges.size(); ++b) {
    const Badge& badge = catalog.badges[b];
    BadgeStanding standing;
    standing.badge = b;
    auto award = awards.find(badge.code);
    standing.award = award == awards.end() ? AwardState::kNone : award->second.state;
    standing.cpes_needed = QuorumNeeded(badge.rule, static_cast<int>(badge.cpes.size()));
    standing.cpes_with_evidence =
        static_cast<int>(engine.CpeStatusesOfBadge(student, badge).size());
    if (const BadgeStatus* status = engine.FindBadgeStatus(student, b)) {
      standing.rule_met = status->rule_met;
      standing.cpes_counting = status->cpes_counting;
    }
    standing.missing_prerequisites = engine.MissingPrerequisites(student, badge);
    if (standing.award == AwardState::kConfirmed) {
      standing.state = PathwayState::kEarned;
    } else if (standing.cpes_with_evidence > 0 || standing.award == AwardState::kProposed) {
      standing.state = PathwayState::kInProgress;
    } else if (standing.missing_prerequisites.empty()) {
      standing.state = PathwayState::kAvailable;
    } else {
      standing.state = PathwayState::kLocked;
    }
    out.push_back(std::move(standing));
  }
  return out;
}

}  // namespace cairn
