// Evaluating a badge's award rule against a student's CPE statuses. One
// predicate serves both the engine's hot path (RuleMet: no allocation) and the
// explanation shown to people (ExplainRule), so the two can never disagree.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "mastery/cpe_status.h"

namespace cairn {

// Does this CPE count toward the badge: mastered with enough evidence.
inline bool CpeCounts(const CpeStatus& status, const AwardRule& rule) {
  return status.has_value && status.mastered && status.evidence_count >= rule.min_evidence_per_cpe;
}

// How many CPEs must count for the quorum clause.
int QuorumNeeded(const AwardRule& rule, int cpe_count);
// The badge's rule in words: "All 4 CPEs at Proficient or above, ...".
std::string DescribeRule(const Badge& badge, const Scale& scale);

// `statuses` are the student's statuses for this badge's CPEs, sorted by
// dense_cpe; CPEs without evidence are simply absent. `prerequisites_met`
// says whether every prerequisite badge is earned.
bool RuleMet(const Catalog& catalog, const Badge& badge, std::span<const CpeStatus> statuses,
             bool prerequisites_met, int* cpes_counting = nullptr);

struct CpeExplanation {
  std::string cpe_id;
  std::string label;
  bool required = false;  // named in required_cpes
  bool counts = false;    // counts toward the badge
  bool has_evidence = false;
  double value = 0;
  std::string level_id;  // level at or below the value
  std::string level_label;
  int evidence_count = 0;
  Day last_demonstrated = 0;
  std::string reason;  // one sentence, plain language
};

struct BadgeExplanation {
  std::string badge_code;
  std::string badge_title;
  bool met = false;
  std::string rule_summary;  // "All 4 CPEs at Proficient or above, with a performance task"
  int cpes_counting = 0;
  int cpes_needed = 0;
  std::vector<CpeExplanation> cpes;
  std::vector<std::string> missing_prerequisites;  // badge codes
  std::vector<EvidenceKind> missing_kinds;
  // What remains, in words, in the order a student would tackle it. Empty
  // exactly when `met` is true.
  std::vector<std::string> remaining;
};

BadgeExplanation ExplainRule(const Catalog& catalog, const Badge& badge,
                             std::span<const CpeStatus> statuses,
                             const std::vector<std::string>& missing_prerequisites);

}  // namespace cairn
