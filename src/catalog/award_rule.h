// A badge's award rule, declared in the catalog and evaluated by
// mastery/rule.h. Each clause must hold for the badge to be proposed.
#pragma once

#include <string>
#include <vector>

#include "catalog/evidence_kind.h"

namespace cairn {

struct AwardRule {
  enum class Quorum {
    kAll,       // every CPE at mastery
    kAtLeast,   // at least `at_least` CPEs at mastery
    kMajority,  // more than half of the CPEs at mastery
  };
  Quorum quorum = Quorum::kAll;
  int at_least = 0;  // kAtLeast only; 1..number of CPEs
  // CPEs that must be at mastery whatever the quorum.
  std::vector<std::string> required_cpes;
  // A CPE counts only with at least this many pieces of counted evidence.
  int min_evidence_per_cpe = 1;
  // The badge needs at least one piece of evidence of each kind rated at
  // mastery (e.g. a performance task), on any of its CPEs.
  std::vector<EvidenceKind> required_kinds;
  // Every prerequisite badge must be earned first.
  bool prerequisites_earned = true;
};

}  // namespace cairn
