#include "mastery/rule.h"

#include <gtest/gtest.h>

#include <random>

#include "testing/test_catalog.h"

namespace cairn {
namespace {

using testing::ParseOrDie;
using testing::TestCatalogJson;

CpeStatus Status(std::uint32_t dense, double value, int evidence, bool performance_task = false) {
  CpeStatus s;
  s.dense_cpe = dense;
  s.value = value;
  s.has_value = true;
  s.mastered = value >= 3;
  s.evidence_count = static_cast<std::uint16_t>(evidence);
  s.at_mastery = s.mastered ? 1 : 0;
  s.kinds = KindBit(EvidenceKind::kSummative);
  if (performance_task && s.mastered) s.mastery_kinds |= KindBit(EvidenceKind::kPerformanceTask);
  return s;
}

Catalog WithRule(const nlohmann::json& rule) {
  auto json = TestCatalogJson();
  json["badges"][0]["award_rule"] = rule;
  return ParseOrDie(json);
}

TEST(RuleTest, QuorumNeeded) {
  AwardRule rule;
  EXPECT_EQ(QuorumNeeded(rule, 5), 5);
  rule.quorum = AwardRule::Quorum::kMajority;
  EXPECT_EQ(QuorumNeeded(rule, 5), 3);
  EXPECT_EQ(QuorumNeeded(rule, 4), 3);  // more than half of 4
  EXPECT_EQ(QuorumNeeded(rule, 3), 2);
  rule.quorum = AwardRule::Quorum::kAtLeast;
  rule.at_least = 2;
  EXPECT_EQ(QuorumNeeded(rule, 5), 2);
}

TEST(RuleTest, MajorityOfThreeNeedsTwo) {
  Catalog catalog = WithRule({{"quorum", "majority"}});
  const Badge& badge = catalog.badges[0];
  std::vector<CpeStatus> one{Status(0, 3, 1), Status(1, 2, 1)};
  std::vector<CpeStatus> two{Status(0, 3, 1), Status(2, 4, 1)};
  int counting = 0;
  EXPECT_FALSE(RuleMet(catalog, badge, one, true, &counting));
  EXPECT_EQ(counting, 1);
  EXPECT_TRUE(RuleMet(catalog, badge, two, true, &counting));
  EXPECT_EQ(counting, 2);
  BadgeExplanation e = ExplainRule(catalog, badge, one, {});
  ASSERT_EQ(e.remaining.size(), 1u);
  EXPECT_EQ(e.remaining[0], "1 more CPE at mastery (1 of 2 so far)");
  EXPECT_EQ(e.rule_summary, "2 of 3 CPEs at Proficient or above");
}

TEST(RuleTest, RequiredCpeMustCountEvenWhenQuorumIsMet) {
  Catalog catalog =
      WithRule({{"quorum", "at_least"}, {"at_least", 2}, {"required_cpes", {"B1.3"}}});
  const Badge& badge = catalog.badges[0];
  std::vector<CpeStatus> without{Status(0, 3, 1), Status(1, 4, 1), Status(2, 2, 1)};
  std::vector<CpeStatus> with{Status(0, 3, 1), Status(2, 3, 1)};
  EXPECT_FALSE(RuleMet(catalog, badge, without, true));
  EXPECT_TRUE(RuleMet(catalog, badge, with, true));
  BadgeExplanation e = ExplainRule(catalog, badge, without, {});
  EXPECT_FALSE(e.met);
  ASSERT_EQ(e.remaining.size(), 1u);
  EXPECT_EQ(e.remaining[0], "Required CPE B1.3 Third at mastery");
  EXPECT_TRUE(e.cpes[2].required);
}

// Teachers and families read what remains by the guide's code when there is
// one.
TEST(RuleTest, RemainingNamesCpesByTheirCodeWhenTheyHaveOne) {
  Catalog catalog = WithRule({{"quorum", "all"}, {"required_cpes", {"B1.3"}}});
  catalog.badges[0].cpes[1].code = "1b";
  catalog.badges[0].cpes[2].code = "1c";
  std::vector<CpeStatus> first_only{Status(0, 3, 1)};
  BadgeExplanation e = ExplainRule(catalog, catalog.badges[0], first_only, {});
  EXPECT_EQ(e.remaining, (std::vector<std::string>{"Required CPE 1c Third at mastery",
                                                   "1b Second at mastery", "1c Third at mastery"}));
}

TEST(RuleTest, MinimumEvidencePerCpe) {
  Catalog catalog = WithRule({{"min_evidence_per_cpe", 2}});
  const Badge& badge = catalog.badges[0];
  std::vector<CpeStatus> thin{Status(0, 3, 2), Status(1, 3, 2), Status(2, 4, 1)};
  EXPECT_FALSE(RuleMet(catalog, badge, thin, true));
  BadgeExplanation e = ExplainRule(catalog, badge, thin, {});
  EXPECT_EQ(e.cpes[2].reason,
            "At mastery, but the badge asks for 2 pieces of evidence (1 so far).");
  thin[2].evidence_count = 2;
  EXPECT_TRUE(RuleMet(catalog, badge, thin, true));
}

TEST(RuleTest, PrerequisitesCanBeSwitchedOff) {
  auto json = TestCatalogJson();
  Catalog strict = ParseOrDie(json);
  json["badges"][1]["award_rule"] = {{"prerequisites_earned", false}};
  Catalog relaxed = ParseOrDie(json);
  std::vector<CpeStatus> done{Status(3, 4, 1)};
  EXPECT_FALSE(RuleMet(strict, strict.badges[1], done, false));
  EXPECT_TRUE(RuleMet(relaxed, relaxed.badges[1], done, false));
  EXPECT_TRUE(ExplainRule(relaxed, relaxed.badges[1], done, {"B1"}).met);
  EXPECT_FALSE(ExplainRule(strict, strict.badges[1], done, {"B1"}).met);
}

// The explanation and the hot-path predicate share one definition; check
// they agree on many random inputs and rules.
TEST(RuleTest, ExplanationAgreesWithRuleMet) {
  std::mt19937 rng(5);
  const std::vector<nlohmann::json> rules{
      {{"quorum", "all"}},
      {{"quorum", "majority"}, {"required_evidence_kinds", {"performance_task"}}},
      {{"quorum", "at_least"}, {"at_least", 1}, {"required_cpes", {"B1.2"}}},
      {{"quorum", "all"}, {"min_evidence_per_cpe", 2}}};
  for (const auto& rule : rules) {
    Catalog catalog = WithRule(rule);
    const Badge& badge = catalog.badges[0];
    for (int i = 0; i < 300; ++i) {
      std::vector<CpeStatus> statuses;
      for (std::uint32_t dense = 0; dense < 3; ++dense) {
        if (rng() % 4 == 0) continue;
        statuses.push_back(Status(dense, static_cast<double>(1 + rng() % 4),
                                  1 + static_cast<int>(rng() % 3), rng() % 2 == 1));
      }
      const bool prereqs = rng() % 2;
      const bool met = RuleMet(catalog, badge, statuses, prereqs);
      const std::vector<std::string> missing =
          prereqs ? std::vector<std::string>{} : std::vector<std::string>{"B2"};
      BadgeExplanation e = ExplainRule(catalog, badge, statuses, missing);
      EXPECT_EQ(met, e.met) << rule.dump();
      EXPECT_EQ(e.met, e.remaining.empty());
    }
  }
}

}  // namespace
}  // namespace cairn
