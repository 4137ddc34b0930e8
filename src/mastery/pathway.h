// Where a student stands on every badge: earned, in progress, available now
// (prerequisites earned) or locked (with what is missing).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "mastery/awards.h"
#include "mastery/engine.h"

namespace cairn {

enum class PathwayState { kEarned, kInProgress, kAvailable, kLocked };
std::string_view PathwayStateName(PathwayState state);

struct BadgeStanding {
  std::uint32_t badge = 0;  // index into Catalog::badges
  PathwayState state = PathwayState::kAvailable;
  AwardState award = AwardState::kNone;
  bool rule_met = false;
  int cpes_counting = 0;
  int cpes_needed = 0;
  int cpes_with_evidence = 0;
  std::vector<std::string> missing_prerequisites;
};

// One standing per catalog badge, in catalog order. `awards` comes from
// FoldAwards for this student; the engine must know the same earned badges.
std::vector<BadgeStanding> StudentPathway(const Catalog& catalog, const MasteryEngine& engine,
                                          Id student,
                                          const std::map<std::string, AwardRecord>& awards);

}  // namespace cairn
