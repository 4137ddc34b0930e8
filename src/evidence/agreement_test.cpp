#include "evidence/agreement.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

using Row = std::vector<std::optional<int>>;

// Four items, two raters, levels 1..4.
//   item:    1  2  3  4
//   rater A: 1  2  3  4
//   rater B: 1  2  4  4
RatingMatrix SmallPair() { return {1, 4, {Row{1, 1}, Row{2, 2}, Row{3, 4}, Row{4, 4}}}; }

TEST(AgreementTest, PairwiseSmallCase) {
  // 4 comparisons; 3 exact (items 1, 2, 4); item 3 is one level apart.
  auto result = ComputePairwiseAgreement(SmallPair());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->comparisons, 4);
  EXPECT_DOUBLE_EQ(*result->exact_percent, 75.0);
  EXPECT_DOUBLE_EQ(*result->adjacent_percent, 100.0);
}

TEST(AgreementTest, CohenSmallCaseUnweighted) {
  // po = 3/4. Margins: A = (1,1,1,1)/4, B = (1,1,0,2)/4.
  // pe = (1*1 + 1*1 + 1*0 + 1*2) / 16 = 4/16 = 1/4.
  // kappa = (3/4 - 1/4) / (1 - 1/4) = 2/3.
  auto kappa = CohensKappa(SmallPair(), 0, 1);
  ASSERT_TRUE(kappa.ok());
  ASSERT_TRUE(kappa->value.has_value()) << kappa->reason;
  EXPECT_NEAR(*kappa->value, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(kappa->items_used, 4);
}

TEST(AgreementTest, CohenSmallCaseLinearWeighted) {
  // Weights w(i,j) = 1 - |i-j|/3. Observed: (1 + 1 + 2/3 + 1) / 4 = 11/12.
  // Expected: sum_ij w(i,j) pA_i pB_j with pA_i = 1/4, so 1/4 * sum_j pB_j * colsum_j;
  // weight column sums are (2, 8/3, 8/3, 2), pB = (1/4, 1/4, 0, 1/2):
  // 1/4 * (1/2 + 2/3 + 0 + 1) = 13/24.
  // kappa_w = (11/12 - 13/24) / (1 - 13/24) = (9/24) / (11/24) = 9/11.
  auto kappa = CohensKappa(SmallPair(), 0, 1, KappaWeights::kLinear);
  ASSERT_TRUE(kappa.ok());
  EXPECT_NEAR(*kappa->value, 9.0 / 11.0, 1e-12);
}

TEST(AgreementTest, FleissSmallCase) {
  // n = 2 raters. P_i = (sum n_ij^2 - 2) / 2 = 1, 1, 0, 1 -> P-bar = 3/4.
  // Category shares over 8 ratings: (2, 2, 1, 3)/8 -> Pe = (4+4+1+9)/64 = 18/64.
  // kappa = (48/64 - 18/64) / (46/64) = 30/46 = 15/23.
  auto kappa = FleissKappa(SmallPair());
  ASSERT_TRUE(kappa.ok());
  EXPECT_NEAR(*kappa->value, 15.0 / 23.0, 1e-12);
}

TEST(AgreementTest, CohenWikipediaYesNoExample) {
  // https://en.wikipedia.org/wiki/Cohen%27s_kappa: 50 proposals, yes=2, no=1.
  // A yes/B yes 20, A yes/B no 5, A no/B yes 10, both no 15.
  // po = 35/50 = 0.7; pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4.
  RatingMatrix matrix{1, 2, {}};
  auto add = [&](int count, int a, int b) {
    for (int i = 0; i < count; ++i) matrix.ratings.push_back(Row{a, b});
  };
  add(20, 2, 2);
  add(5, 2, 1);
  add(10, 1, 2);
  add(15, 1, 1);
  auto kappa = CohensKappa(matrix, 0, 1);
  ASSERT_TRUE(kappa.ok());
  EXPECT_NEAR(*kappa->value, 0.4, 1e-12);
  // With two levels, linear weights equal the unweighted ones.
  auto linear = CohensKappa(matrix, 0, 1, KappaWeights::kLinear);
  EXPECT_NEAR(*linear->value, 0.4, 1e-12);
}

// Fleiss (1971) as tabulated on https://en.wikipedia.org/wiki/Fleiss%27_kappa:
// 10 items, 14 raters, 5 categories; P-bar = 0.378, Pe = 0.213, kappa = 0.210.
const std::vector<std::vector<int>> kFleissTable = {
    {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
    {7, 7, 0, 0, 0},  {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7},
};

TEST(AgreementTest, FleissWikipediaExampleFromCounts) {
  auto kappa = FleissKappaFromCounts(kFleissTable);
  ASSERT_TRUE(kappa.ok());
  EXPECT_NEAR(*kappa->value, 0.210, 0.0005);
  EXPECT_EQ(kappa->items_used, 10);
}

TEST(AgreementTest, FleissWikipediaExampleFromMatrix) {
  // The same table spelled out as 14 rater columns; which rater gave which
  // level does not matter to Fleiss' kappa.
  RatingMatrix matrix{1, 5, {}};
  for (const auto& counts : kFleissTable) {
    Row row;
    for (std::size_t category = 0; category < counts.size(); ++category) {
      for (int i = 0; i < counts[category]; ++i) row.push_back(static_cast<int>(category) + 1);
    }
    matrix.ratings.push_back(row);
  }
  auto kappa = FleissKappa(matrix);
  ASSERT_TRUE(kappa.ok());
  EXPECT_NEAR(*kappa->value, 0.210, 0.0005);
}

TEST(AgreementTest, DegenerateSingleLevelIsNulloptWithReason) {
  RatingMatrix matrix{1, 4, {Row{3, 3, 3}, Row{3, 3, 3}}};
  auto report = ComputeAgreement(matrix);
  ASSERT_TRUE(report.ok());
  EXPECT_DOUBLE_EQ(*report->pairwise.exact_percent, 100.0);
  EXPECT_FALSE(report->fleiss.value.has_value());
  EXPECT_NE(report->fleiss.reason.find("same level"), std::string::npos);

  RatingMatrix pair{1, 4, {Row{2, 2}, Row{2, 2}}};
  auto cohen = CohensKappa(pair, 0, 1);
  ASSERT_TRUE(cohen.ok());
  EXPECT_FALSE(cohen->value.has_value());
  EXPECT_NE(cohen->reason.find("chance agreement is 1"), std::string::npos);
}

TEST(AgreementTest, MissingRatingsExcludedFromFleissAndPairs) {
  // Item 2 lacks rater C: pairs are A-B, A-C, B-C on item 1 (3, all exact),
  // A-B on item 2 (1, exact) = 4 comparisons; Fleiss uses item 1 only.
  RatingMatrix matrix{1, 4, {Row{2, 2, 2}, Row{1, 1, std::nullopt}}};
  auto report = ComputeAgreement(matrix);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->pairwise.comparisons, 4);
  EXPECT_EQ(report->fleiss.items_used, 1);
  EXPECT_EQ(report->fleiss.items_excluded, 1);
  // One item, one level: undefined, not NaN.
  EXPECT_FALSE(report->fleiss.value.has_value());
  EXPECT_FALSE(report->cohen.has_value());  // three raters
}

TEST(AgreementTest, NoOverlapMeansNoComparisons) {
  RatingMatrix matrix{1, 4, {Row{1, std::nullopt}, Row{std::nullopt, 2}}};
  auto report = ComputeAgreement(matrix);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->pairwise.comparisons, 0);
  EXPECT_FALSE(report->pairwise.exact_percent.has_value());
  ASSERT_TRUE(report->cohen.has_value());
  EXPECT_FALSE(report->cohen->value.has_value());
  EXPECT_EQ(report->cohen->reason, "no item was rated by both raters");
}

TEST(AgreementTest, RejectsBadInput) {
  auto out_of_scale = ComputeAgreement({1, 4, {Row{1, 5}}});
  ASSERT_FALSE(out_of_scale.ok());
  EXPECT_EQ(out_of_scale.status().message(), "item 0, rater 1: level 5 is outside the scale 1..4");

  auto ragged = ComputeAgreement({1, 4, {Row{1, 2}, Row{1}}});
  ASSERT_FALSE(ragged.ok());
  EXPECT_EQ(ragged.status().message(), "item 1: has 1 ratings, expected 2 (one per rater)");

  auto uneven = FleissKappaFromCounts({{1, 1}, {3, 0}});
  ASSERT_FALSE(uneven.ok());
  EXPECT_NE(uneven.status().message().find("same number of ratings per item"), std::string::npos);

  auto same_rater = CohensKappa(SmallPair(), 1, 1);
  EXPECT_FALSE(same_rater.ok());
}

}  // namespace
}  // namespace cairn
