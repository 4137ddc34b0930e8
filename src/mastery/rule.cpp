#include "mastery/rule.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "catalog/calculation.h"

namespace cairn {
namespace {

// The status for dense CPE `dense`, or null when the student has no evidence.
const CpeStatus* FindStatus(std::span<const CpeStatus> statuses, std::uint32_t dense) {
  auto it = std::lower_bound(statuses.begin(), statuses.end(), dense,
                             [](const CpeStatus& s, std::uint32_t d) { return s.dense_cpe < d; });
  return (it != statuses.end() && it->dense_cpe == dense) ? &*it : nullptr;
}

std::uint8_t MasteryKindsOf(std::span<const CpeStatus> statuses) {
  std::uint8_t kinds = 0;
  for (const CpeStatus& s : statuses) kinds |= s.mastery_kinds;
  return kinds;
}

std::string FormatScore(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  std::string text = buf;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string MasteryLabel(const Scale& scale) {
  for (const ScaleLevel& level : scale.levels) {
    if (level.mastery) return level.label;
  }
  return scale.levels.back().label;
}

std::string Summarize(const Badge& badge, const Scale& scale, int needed) {
  const AwardRule& rule = badge.rule;
  const int total = static_cast<int>(badge.cpes.size());
  std::string text;
  if (rule.quorum == AwardRule::Quorum::kAll) {
    text = "All " + std::to_string(total) + " CPEs";
  } else {
    text = std::to_string(needed) + " of " + std::to_string(total) + " CPEs";
  }
  text += " at " + MasteryLabel(scale) + " or above";
  if (rule.min_evidence_per_cpe > 1) {
    text +=
        ", each with at least " + std::to_string(rule.min_evidence_per_cpe) + " pieces of evidence";
  }
  if (!rule.required_cpes.empty()) {
    text += "; required: ";
    for (std::size_t i = 0; i < rule.required_cpes.size(); ++i) {
      text += (i ? ", " : "") + rule.required_cpes[i];
    }
  }
  for (EvidenceKind kind : rule.required_kinds) {
    std::string label(EvidenceKindLabel(kind));
    label[0] = static_cast<char>(std::tolower(label[0]));
    text += "; a " + label + " at mastery";
  }
  if (rule.prerequisites_earned && !badge.prerequisites.empty()) {
    text += "; prerequisites earned first";
  }
  return text;
}

}  // namespace

std::string DescribeRule(const Badge& badge, const Scale& scale) {
  return Summarize(badge, scale, QuorumNeeded(badge.rule, static_cast<int>(badge.cpes.size())));
}

int QuorumNeeded(const AwardRule& rule, int cpe_count) {
  switch (rule.quorum) {
    case AwardRule::Quorum::kAll:
      return cpe_count;
    case AwardRule::Quorum::kAtLeast:
      return std::min(rule.at_least, cpe_count);
    case AwardRule::Quorum::kMajority:
      return cpe_count / 2 + 1;
  }
  return cpe_count;
}

bool RuleMet(const Catalog& catalog, const Badge& badge, std::span<const CpeStatus> statuses,
             bool prerequisites_met, int* cpes_counting) {
  (void)catalog;
  const AwardRule& rule = badge.rule;
  int counting = 0;
  for (const CpeStatus& status : statuses) counting += CpeCounts(status, rule) ? 1 : 0;
  if (cpes_counting) *cpes_counting = counting;
  if (counting < QuorumNeeded(rule, static_cast<int>(badge.cpes.size()))) return false;
  for (std::uint32_t dense : badge.required_dense) {
    const CpeStatus* status = FindStatus(statuses, dense);
    if (!status || !CpeCounts(*status, rule)) return false;
  }
  if (!rule.required_kinds.empty()) {
    const std::uint8_t kinds = MasteryKindsOf(statuses);
    for (EvidenceKind kind : rule.required_kinds) {
      if (!(kinds & KindBit(kind))) return false;
    }
  }
  return prerequisites_met || !rule.prerequisites_earned;
}

BadgeExplanation ExplainRule(const Catalog& catalog, const Badge& badge,
                             std::span<const CpeStatus> statuses,
                             const std::vector<std::string>& missing_prerequisites) {
  const AwardRule& rule = badge.rule;
  const Scale& scale = catalog.ScaleOf(badge);
  const int total = static_cast<int>(badge.cpes.size());
  BadgeExplanation out;
  out.badge_code = badge.code;
  out.badge_title = badge.title;
  out.cpes_needed = QuorumNeeded(rule, total);
  out.rule_summary = Summarize(badge, scale, out.cpes_needed);
  const std::string mastery_label = MasteryLabel(scale);

  std::vector<std::string> not_yet;           // CPEs not counting, in badge order
  std::vector<std::string> required_missing;  // required CPEs not counting
  for (std::size_t i = 0; i < badge.cpes.size(); ++i) {
    const Cpe& cpe = badge.cpes[i];
    const std::uint32_t dense = badge.first_dense_cpe + static_cast<std::uint32_t>(i);
    CpeExplanation item;
    item.cpe_id = cpe.id;
    item.label = cpe.label;
    item.required = std::find(rule.required_cpes.begin(), rule.required_cpes.end(), cpe.id) !=
                    rule.required_cpes.end();
    const CpeStatus* status = FindStatus(statuses, dense);
    const std::string method = DescribeCalculation(catalog.CalculationFor(badge, cpe));
    if (!status || !status->has_value) {
      item.reason = "No evidence yet.";
    } else {
      const ScaleLevel& level = scale.LevelAtOrBelow(status->value);
      item.has_evidence = true;
      item.value = status->value;
      item.level_id = level.id;
      item.level_label = level.label;
      item.evidence_count = status->evidence_count;
      item.last_demonstrated = status->last_demonstrated;
      item.counts = CpeCounts(*status, rule);
      const std::string standing =
          level.label + " (" + FormatScore(status->value) + ") by " + method;
      if (!status->mastered) {
        item.reason = "Not yet at mastery: " + standing + "; mastery starts at " + mastery_label +
                      " (" + FormatScore(scale.MasteryThreshold()) + ").";
      } else if (status->evidence_count < rule.min_evidence_per_cpe) {
        item.reason = "At mastery, but the badge asks for " +
                      std::to_string(rule.min_evidence_per_cpe) + " pieces of evidence (" +
                      std::to_string(status->evidence_count) + " so far).";
      } else {
        item.reason = "At mastery: " + standing + ", from " +
                      std::to_string(status->evidence_count) + " piece" +
                      (status->evidence_count == 1 ? "" : "s") + " of evidence.";
      }
    }
    // What remains is read by teachers and families: by the guide's code
    // ("101a") when the catalog has one, else by the id.
    std::string name = (cpe.code.empty() ? cpe.id : cpe.code) + " " + cpe.label;
    if (item.required && !item.counts) required_missing.push_back(name);
    if (item.counts) {
      ++out.cpes_counting;
    } else {
      not_yet.push_back(std::move(name));
    }
    out.cpes.push_back(std::move(item));
  }

  const bool required_ok = required_missing.empty();
  for (const std::string& name : required_missing) {
    out.remaining.push_back("Required CPE " + name + " at mastery");
  }
  if (out.cpes_counting < out.cpes_needed) {
    if (rule.quorum == AwardRule::Quorum::kAll) {
      for (const std::string& name : not_yet) out.remaining.push_back(name + " at mastery");
    } else {
      const int more = out.cpes_needed - out.cpes_counting;
      out.remaining.push_back(std::to_string(more) + " more CPE" + (more == 1 ? "" : "s") +
                              " at mastery (" + std::to_string(out.cpes_counting) + " of " +
                              std::to_string(out.cpes_needed) + " so far)");
    }
  }
  const std::uint8_t kinds = MasteryKindsOf(statuses);
  for (EvidenceKind kind : rule.required_kinds) {
    if (!(kinds & KindBit(kind))) {
      out.missing_kinds.push_back(kind);
      out.remaining.push_back(std::string(EvidenceKindLabel(kind)) + " at mastery");
    }
  }
  if (rule.prerequisites_earned) {
    out.missing_prerequisites = missing_prerequisites;
    for (const std::string& code : missing_prerequisites) {
      const Badge* pre = catalog.FindBadge(code);
      out.remaining.push_back("Prerequisite badge " + code + (pre ? " " + pre->title : "") +
                              " earned");
    }
  }
  out.met = out.cpes_counting >= out.cpes_needed && required_ok && out.missing_kinds.empty() &&
            out.missing_prerequisites.empty();
  return out;
}

}  // namespace cairn
