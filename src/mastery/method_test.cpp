// Expected values are worked by hand in the comments, not copied from the
// implementation's output. Most tests use a 4-level scale, 1..4, mastery at 3.
#include "mastery/method.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cairn {
namespace {

constexpr ScaleBounds kFourLevel{1.0, 4.0, 3.0};
// Plain arithmetic (sums, means, weights) is exact to far better than this.
constexpr double kTol = 1e-12;
// Power-law expectations are worked to this many places with a calculator.
constexpr double kFitTol = 1e-6;

constexpr std::array<Method, 9> kAllMethods{
    Method::kMostRecent,        Method::kModeOfRecent, Method::kMeanOfRecent,
    Method::kHighest,           Method::kMean,         Method::kDecayingAverage,
    Method::kDecayingRecursive, Method::kPowerLaw,     Method::kNTimesAtMastery,
};

CalculationSpec Spec(Method method, int n = 3, double weight = 0.65) {
  CalculationSpec spec;
  spec.method = method;
  spec.n = n;
  spec.weight = weight;
  return spec;
}

MethodResult Apply(const CalculationSpec& spec, const std::vector<double>& scores,
                   const ScaleBounds& bounds = kFourLevel) {
  return ApplyMethod(spec, scores, bounds);
}

MethodResult Apply(Method method, const std::vector<double>& scores) {
  return Apply(Spec(method), scores);
}

// ---------------------------------------------------------------- all methods

TEST(ApplyMethodTest, NoScoresHasNoValueForEveryMethod) {
  for (Method method : kAllMethods) {
    const MethodResult r = Apply(method, {});
    EXPECT_FALSE(r.has_value) << MethodName(method);
    EXPECT_FALSE(r.mastered) << MethodName(method);
    EXPECT_EQ(r.at_mastery, 0) << MethodName(method);
    EXPECT_EQ(r.value, 0.0) << MethodName(method);
  }
}

TEST(ApplyMethodTest, NoScoresIsNotMasteredEvenWithNZero) {
  // "at least 0 scores at mastery" must not make an empty record mastered.
  const MethodResult r = Apply(Spec(Method::kNTimesAtMastery, 0), {});
  EXPECT_FALSE(r.has_value);
  EXPECT_FALSE(r.mastered);
}

TEST(ApplyMethodTest, SingleScoreBelowMasteryIsThatScoreForEveryMethod) {
  for (Method method : kAllMethods) {
    const MethodResult r = Apply(method, {2.0});
    EXPECT_TRUE(r.has_value) << MethodName(method);
    EXPECT_DOUBLE_EQ(r.value, 2.0) << MethodName(method);
    EXPECT_FALSE(r.mastered) << MethodName(method);
    EXPECT_EQ(r.at_mastery, 0) << MethodName(method);
  }
}

TEST(ApplyMethodTest, SingleScoreAtMasteryIsMasteredExceptWhenMoreAreRequired) {
  for (Method method : kAllMethods) {
    const MethodResult r = Apply(method, {3.0});
    EXPECT_DOUBLE_EQ(r.value, 3.0) << MethodName(method);
    EXPECT_EQ(r.at_mastery, 1) << MethodName(method);
    // n_times_at_mastery with the default n = 3 needs two more.
    EXPECT_EQ(r.mastered, method != Method::kNTimesAtMastery) << MethodName(method);
  }
}

TEST(ApplyMethodTest, AtMasteryCountsEveryScoreNotJustTheWindow) {
  // 2 1 3 3 4: the 3, 3 and 4 are at or above 3 -> 3, whatever the method.
  for (Method method : kAllMethods) {
    EXPECT_EQ(Apply(method, {2, 1, 3, 3, 4}).at_mastery, 3) << MethodName(method);
  }
}

// ---------------------------------------------------------------- most_recent

TEST(MostRecentTest, TakesTheLatestScore) {
  const MethodResult up = Apply(Method::kMostRecent, {4, 2, 3});
  EXPECT_DOUBLE_EQ(up.value, 3.0);  // latest is 3
  EXPECT_TRUE(up.mastered);

  const MethodResult down = Apply(Method::kMostRecent, {4, 3, 2});
  EXPECT_DOUBLE_EQ(down.value, 2.0);  // latest is 2, earlier 4 and 3 do not count
  EXPECT_FALSE(down.mastered);
  EXPECT_EQ(down.at_mastery, 2);
}

// ------------------------------------------------------------- mode_of_recent

TEST(ModeOfRecentTest, MostFrequentOfTheWindow) {
  // Last 3 of 1 3 3 2 are 3 3 2: 3 occurs twice -> 3.
  const MethodResult r = Apply(Spec(Method::kModeOfRecent, 3), {1, 3, 3, 2});
  EXPECT_DOUBLE_EQ(r.value, 3.0);
  EXPECT_TRUE(r.mastered);
}

TEST(ModeOfRecentTest, IgnoresScoresOutsideTheWindow) {
  // 2 2 2 4 3 4: the three 2s are older than the last 3 (4 3 4) -> 4.
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kModeOfRecent, 3), {2, 2, 2, 4, 3, 4}).value, 4.0);
}

TEST(ModeOfRecentTest, TieGoesToTheValueSeenMostRecently) {
  // Window 3 2 3 2: 3 twice, 2 twice; the latest of the tied values is 2.
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kModeOfRecent, 4), {3, 2, 3, 2}).value, 2.0);
  // Window 3 2 2 3 (last 4 of 1 3 2 2 3): tie again, latest is 3.
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kModeOfRecent, 4), {1, 3, 2, 2, 3}).value, 3.0);
  // All different (4 3 2): every value occurs once -> the latest, 2.
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kModeOfRecent, 3), {4, 3, 2}).value, 2.0);
}

TEST(ModeOfRecentTest, NLargerThanTheScoresUsesAllOfThem) {
  // n = 10 with three scores: window is 2 4 4 -> 4.
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kModeOfRecent, 10), {2, 4, 4}).value, 4.0);
}

TEST(ModeOfRecentTest, NOfOneOrLessIsTheLatestScore) {
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kModeOfRecent, 1), {4, 4, 2}).value, 2.0);
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kModeOfRecent, 0), {4, 4, 2}).value, 2.0);
}

// ------------------------------------------------------------- mean_of_recent

TEST(MeanOfRecentTest, MeanOfTheWindow) {
  // Last 3 of 1 2 3 4: (2 + 3 + 4) / 3 = 3 -> mastered.
  const MethodResult r = Apply(Spec(Method::kMeanOfRecent, 3), {1, 2, 3, 4});
  EXPECT_NEAR(r.value, 3.0, kTol);
  EXPECT_TRUE(r.mastered);
  // Last 2: (3 + 4) / 2 = 3.5.
  EXPECT_NEAR(Apply(Spec(Method::kMeanOfRecent, 2), {1, 2, 3, 4}).value, 3.5, kTol);
}

TEST(MeanOfRecentTest, NLargerThanTheScoresUsesAllOfThem) {
  // n = 5 with two scores: (2 + 3) / 2 = 2.5 -> not mastered.
  const MethodResult r = Apply(Spec(Method::kMeanOfRecent, 5), {2, 3});
  EXPECT_NEAR(r.value, 2.5, kTol);
  EXPECT_FALSE(r.mastered);
}

TEST(MeanOfRecentTest, NOfOneIsTheLatestScore) {
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kMeanOfRecent, 1), {4, 4, 2}).value, 2.0);
}

// -------------------------------------------------------------------- highest

TEST(HighestTest, BestScoreEverEvenIfLaterScoresAreLower) {
  // max(2, 4, 1) = 4: the slip to 1 afterwards does not matter.
  const MethodResult r = Apply(Method::kHighest, {2, 4, 1});
  EXPECT_DOUBLE_EQ(r.value, 4.0);
  EXPECT_TRUE(r.mastered);
}

// ----------------------------------------------------------------------- mean

TEST(MeanTest, MeanOfAllScores) {
  // (2 + 1 + 3 + 3 + 4) / 5 = 13 / 5 = 2.6 -> not mastered.
  const MethodResult r = Apply(Method::kMean, {2, 1, 3, 3, 4});
  EXPECT_NEAR(r.value, 2.6, kTol);
  EXPECT_FALSE(r.mastered);
  // (3 + 3 + 3) / 3 = 3 -> mastered.
  EXPECT_TRUE(Apply(Method::kMean, {3, 3, 3}).mastered);
}

// ----------------------------------------------------------- decaying_average

TEST(DecayingAverageTest, LatestWeightedAgainstMeanOfEarlier) {
  // Earlier 2 1 3 3 have mean 9/4 = 2.25; latest 4.
  // 4 * 0.65 + 2.25 * 0.35 = 2.6 + 0.7875 = 3.3875 -> mastered.
  const MethodResult r = Apply(Spec(Method::kDecayingAverage, 3, 0.65), {2, 1, 3, 3, 4});
  EXPECT_NEAR(r.value, 3.3875, kTol);
  EXPECT_TRUE(r.mastered);
}

TEST(DecayingAverageTest, TwoScores) {
  // 4 * 0.65 + 2 * 0.35 = 2.6 + 0.7 = 3.3.
  EXPECT_NEAR(Apply(Spec(Method::kDecayingAverage, 3, 0.65), {2, 4}).value, 3.3, kTol);
}

TEST(DecayingAverageTest, WeightOneIsTheLatestScore) {
  // 1 * 1 + mean(4, 4) * 0 = 1.
  const MethodResult r = Apply(Spec(Method::kDecayingAverage, 3, 1.0), {4, 4, 1});
  EXPECT_DOUBLE_EQ(r.value, 1.0);
  EXPECT_FALSE(r.mastered);
}

// --------------------------------------------------------- decaying_recursive

TEST(DecayingRecursiveTest, RunningAverageFromTheFirstScore) {
  // w = 0.65, so each step is d * 0.35 + s * 0.65:
  //   d1 = 2
  //   d2 = 2 * 0.35 + 1 * 0.65        = 0.7 + 0.65      = 1.35
  //   d3 = 1.35 * 0.35 + 3 * 0.65     = 0.4725 + 1.95   = 2.4225
  //   d4 = 2.4225 * 0.35 + 3 * 0.65   = 0.847875 + 1.95 = 2.797875
  //   d5 = 2.797875 * 0.35 + 4 * 0.65 = 0.97925625 + 2.6 = 3.57925625
  const MethodResult r = Apply(Spec(Method::kDecayingRecursive, 3, 0.65), {2, 1, 3, 3, 4});
  EXPECT_NEAR(r.value, 3.57925625, kTol);
  EXPECT_TRUE(r.mastered);
}

TEST(DecayingRecursiveTest, EarlyLowScoresFadeButDoNotVanish) {
  // w = 0.5: d = 1, then 1 * 0.5 + 4 * 0.5 = 2.5, then 2.5 * 0.5 + 4 * 0.5 = 3.25.
  EXPECT_NEAR(Apply(Spec(Method::kDecayingRecursive, 3, 0.5), {1, 4, 4}).value, 3.25, kTol);
  // w = 0.5: d = 4, then 4 * 0.5 + 1 * 0.5 = 2.5 -> not mastered.
  EXPECT_FALSE(Apply(Spec(Method::kDecayingRecursive, 3, 0.5), {4, 1}).mastered);
}

TEST(DecayingRecursiveTest, WeightOneIsTheLatestScore) {
  // d = d * 0 + s * 1 = s at every step.
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kDecayingRecursive, 3, 1.0), {4, 1, 2}).value, 2.0);
}

// ------------------------------------------------------------------ power_law

TEST(PowerLawTest, TwoScoresFitExactly) {
  // Through (1, 1) and (2, 4): a = 1, 2^b = 4 so b = 2; value at k = 2 is 4.
  EXPECT_NEAR(Apply(Method::kPowerLaw, {1, 4}).value, 4.0, kFitTol);
}

TEST(PowerLawTest, PerfectPowerCurve) {
  // 1 2 3: ln s = ln k exactly, so a = 1, b = 1; value = 1 * 3^1 = 3.
  const MethodResult r = Apply(Method::kPowerLaw, {1, 2, 3});
  EXPECT_NEAR(r.value, 3.0, kFitTol);
  EXPECT_TRUE(r.mastered);
}

TEST(PowerLawTest, ImprovingSequenceFit) {
  // Scores 1 2 2 at attempts 1 2 3. With L2 = ln 2, L3 = ln 3, L6 = ln 6:
  //   x = ln k = 0, L2, L3              y = ln s = 0, L2, L2
  //   Sx  = L2 + L3 = L6         = 1.791759469
  //   Sy  = 2 L2                 = 1.386294361
  //   Sxy = L2*L2 + L2*L3 = L2 L6 = 1.241953024
  //   Sxx = L2^2 + L3^2          = 0.480453014 + 1.206948961 = 1.687401975
  //   b = (3 Sxy - Sx Sy) / (3 Sxx - Sx^2)
  //     = (3 L2 L6 - 2 L2 L6) / (5.062205924 - 3.210401996)
  //     = 1.241953024 / 1.851803929 = 0.670671989
  //   ln a = (Sy - b Sx) / 3 = (1.386294361 - 1.201682887) / 3 = 0.061537158
  //   value = exp(ln a + b L3) = exp(0.061537158 + 0.736808489)
  //         = exp(0.798345647) = 2.221862142
  const MethodResult r = Apply(Method::kPowerLaw, {1, 2, 2});
  EXPECT_NEAR(r.value, 2.221862142, kFitTol);
  EXPECT_FALSE(r.mastered);
}

TEST(PowerLawTest, WorkedExampleFromTheDocs) {
  // docs/mastery-methods.md: 2 1 3 3 4 fits b = 0.536186, a = 1.407670,
  // value = 1.407670 * 5^0.536186 = 1.407670 * 2.370162 = 3.336406.
  EXPECT_NEAR(Apply(Method::kPowerLaw, {2, 1, 3, 3, 4}).value, 3.336406, kFitTol);
}

TEST(PowerLawTest, FlatScoresStayFlat) {
  // ln s constant -> b = 0, a = 3; value 3.
  EXPECT_NEAR(Apply(Method::kPowerLaw, {3, 3, 3}).value, 3.0, kFitTol);
}

TEST(PowerLawTest, ZeroBasedScaleShiftsScoresSoZeroIsFittable) {
  constexpr ScaleBounds kZeroBased{0.0, 3.0, 2.0};
  // s' = s - 0 + 1: 0 1 2 -> 1 2 3, a perfect fit with value 3 at k = 3;
  // back on the scale 3 + 0 - 1 = 2 -> mastered.
  const MethodResult exact = Apply(Spec(Method::kPowerLaw), {0, 1, 2}, kZeroBased);
  EXPECT_NEAR(exact.value, 2.0, kFitTol);
  EXPECT_TRUE(exact.mastered);
  // 0 1 1 -> 1 2 2, the fit worked above (2.221862142); minus 1 -> 1.221862142.
  EXPECT_NEAR(Apply(Spec(Method::kPowerLaw), {0, 1, 1}, kZeroBased).value, 1.221862142, kFitTol);
  // All zeros -> s' all 1, ln 1 = 0, so a = 1, b = 0; 1 - 1 = 0 (not NaN).
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kPowerLaw), {0, 0, 0}, kZeroBased).value, 0.0);
}

TEST(PowerLawTest, ExtrapolationIsClampedToTheScale) {
  // 1 4 4: y = 0, 2 L2, 2 L2 is twice the y of 1 2 2 above, so b doubles:
  // b = 2 * 0.670671989 = 1.341343978, Sy = 4 L2 = 2.772588722,
  // ln a = (Sy - b Sx) / 3 = (2.772588722 - 2.403365775) / 3 = 0.123074316,
  // value = exp(0.123074316 + 1.341343978 * L3) = exp(1.596691294) = 4.936671
  // > 4 -> clamped to 4.
  EXPECT_DOUBLE_EQ(Apply(Method::kPowerLaw, {1, 4, 4}).value, 4.0);
  // 4 1 1: mirror image, b = -1.341343978, ln a = 1.263220045,
  // value = exp(1.263220045 - 1.341343978 * L3) = 0.810263 < 1 -> clamped to 1.
  EXPECT_DOUBLE_EQ(Apply(Method::kPowerLaw, {4, 1, 1}).value, 1.0);
}

// --------------------------------------------------------- n_times_at_mastery

TEST(NTimesAtMasteryTest, NotYetMet) {
  // 3 2 4 with n = 3: only 3 and 4 are at mastery (2 < 3) -> not mastered.
  // The value is still the mean of those two: (3 + 4) / 2 = 3.5.
  const MethodResult r = Apply(Spec(Method::kNTimesAtMastery, 3), {3, 2, 4});
  EXPECT_EQ(r.at_mastery, 2);
  EXPECT_FALSE(r.mastered);
  EXPECT_NEAR(r.value, 3.5, kTol);
}

TEST(NTimesAtMasteryTest, Met) {
  // 3 2 4 3 with n = 3: 3, 4, 3 at mastery -> mastered; (3 + 4 + 3) / 3 = 10/3.
  const MethodResult r = Apply(Spec(Method::kNTimesAtMastery, 3), {3, 2, 4, 3});
  EXPECT_EQ(r.at_mastery, 3);
  EXPECT_TRUE(r.mastered);
  EXPECT_NEAR(r.value, 10.0 / 3.0, kTol);
}

TEST(NTimesAtMasteryTest, NoneAtMasteryShowsTheLatestScore) {
  // 1 2: nothing at 3 or above, so the value falls back to the latest, 2.
  const MethodResult r = Apply(Spec(Method::kNTimesAtMastery, 2), {1, 2});
  EXPECT_EQ(r.at_mastery, 0);
  EXPECT_FALSE(r.mastered);
  EXPECT_DOUBLE_EQ(r.value, 2.0);
}

TEST(NTimesAtMasteryTest, NLargerThanTheScoresCannotBeMet) {
  // Both 3 and 4 at mastery, but 2 < 5.
  EXPECT_FALSE(Apply(Spec(Method::kNTimesAtMastery, 5), {3, 4}).mastered);
}

TEST(NTimesAtMasteryTest, NOfOneOrLessNeedsOneScoreAtMastery) {
  // n = 1: one 3 is enough; value = mean of (3) = 3.
  const MethodResult one = Apply(Spec(Method::kNTimesAtMastery, 1), {2, 3});
  EXPECT_TRUE(one.mastered);
  EXPECT_DOUBLE_EQ(one.value, 3.0);
  // n = 0 is read as 1, so a record with nothing at mastery is not mastered.
  EXPECT_FALSE(Apply(Spec(Method::kNTimesAtMastery, 0), {1, 2}).mastered);
}

// ------------------------------------------------------------------- clamping

TEST(ClampingTest, ValuesAreBoundedByTheScale) {
  // A stray 5 on a 1..4 scale reads as 4; a stray 0 as 1.
  EXPECT_DOUBLE_EQ(Apply(Method::kMostRecent, {2, 5}).value, 4.0);
  EXPECT_DOUBLE_EQ(Apply(Method::kHighest, {2, 5}).value, 4.0);
  EXPECT_DOUBLE_EQ(Apply(Method::kMostRecent, {2, 0}).value, 1.0);
  // (4 + 4 + 5.5) / 3 = 4.5 -> 4.
  EXPECT_DOUBLE_EQ(Apply(Method::kMean, {4, 4, 5.5}).value, 4.0);
}

TEST(ClampingTest, WeightOutsideRangeIsClamped) {
  // w = 1.5 behaves as w = 1 (latest); w = -1 as w = 0 (mean of earlier = 4).
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kDecayingAverage, 3, 1.5), {4, 4, 1}).value, 1.0);
  EXPECT_DOUBLE_EQ(Apply(Spec(Method::kDecayingAverage, 3, -1.0), {4, 4, 1}).value, 4.0);
}

// -------------------------------------------------------------------- epsilon

TEST(EpsilonTest, MeanExactlyAtThresholdIsMastery) {
  // Half-point threshold: (1.4 + 2.8 + 3.3) / 3 = 7.5 / 3 = 2.5 on paper, but
  // in binary floating point the sum divides to just under 2.5.
  constexpr ScaleBounds kHalfPoint{1.0, 4.0, 2.5};
  const MethodResult r = Apply(Spec(Method::kMean), {1.4, 2.8, 3.3}, kHalfPoint);
  EXPECT_NEAR(r.value, 2.5, 1e-12);
  EXPECT_TRUE(r.mastered);
}

TEST(EpsilonTest, DecayingAverageOfEqualScoresIsMastery) {
  // w = 0.3: 3 * 0.3 + 3 * 0.7 = 0.9 + 2.1 = 3 on paper; in doubles it comes
  // out a hair below 3, which the epsilon absorbs.
  const MethodResult r = Apply(Spec(Method::kDecayingAverage, 3, 0.3), {3, 3});
  EXPECT_NEAR(r.value, 3.0, 1e-12);
  EXPECT_TRUE(r.mastered);
}

TEST(EpsilonTest, ScoresANoiseWidthBelowCountAtMasteryButRealShortfallsDoNot) {
  EXPECT_EQ(Apply(Method::kMostRecent, {3.0 - 1e-12}).at_mastery, 1);
  EXPECT_TRUE(Apply(Method::kMostRecent, {3.0 - 1e-12}).mastered);
  // 2.99 is 0.01 short: a real shortfall, not noise.
  EXPECT_EQ(Apply(Method::kMostRecent, {2.99}).at_mastery, 0);
  EXPECT_FALSE(Apply(Method::kMostRecent, {2.99}).mastered);
}

// ------------------------------------------------------- purity and ordering

void ExpectSameResult(const MethodResult& a, const MethodResult& b, Method method) {
  EXPECT_EQ(a.has_value, b.has_value) << MethodName(method);
  EXPECT_EQ(a.value, b.value) << MethodName(method);  // bit-for-bit, not approximately
  EXPECT_EQ(a.mastered, b.mastered) << MethodName(method);
  EXPECT_EQ(a.at_mastery, b.at_mastery) << MethodName(method);
}

TEST(PurityTest, SameScoresGiveTheSameResultEveryTime) {
  const std::vector<double> scores{2, 1, 3, 3, 4};
  const std::vector<double> copy = scores;  // a different buffer with the same contents
  const std::vector<double> other{4, 4, 1, 2};
  for (Method method : kAllMethods) {
    const MethodResult first = Apply(method, scores);
    (void)Apply(method, other);  // an unrelated call in between leaves no trace
    ExpectSameResult(first, Apply(method, copy), method);
  }
}

TEST(PurityTest, IncludeFormativeDoesNotChangeTheArithmetic) {
  // include_formative decides which scores the caller passes in, not how they
  // are combined.
  for (Method method : kAllMethods) {
    CalculationSpec with = Spec(method);
    with.include_formative = true;
    ExpectSameResult(Apply(Spec(method), {2, 1, 3, 3, 4}), Apply(with, {2, 1, 3, 3, 4}), method);
  }
}

TEST(PurityTest, ParametersAMethodDoesNotUseAreIgnored) {
  // n matters only to mode/mean_of_recent and n_times; weight only to the
  // decaying methods.
  ExpectSameResult(Apply(Spec(Method::kMean, 1, 0.1), {2, 1, 3}),
                   Apply(Spec(Method::kMean, 7, 0.9), {2, 1, 3}), Method::kMean);
  ExpectSameResult(Apply(Spec(Method::kDecayingAverage, 1, 0.5), {2, 1, 3}),
                   Apply(Spec(Method::kDecayingAverage, 7, 0.5), {2, 1, 3}),
                   Method::kDecayingAverage);
  ExpectSameResult(Apply(Spec(Method::kMeanOfRecent, 2, 0.1), {2, 1, 3}),
                   Apply(Spec(Method::kMeanOfRecent, 2, 0.9), {2, 1, 3}), Method::kMeanOfRecent);
}

TEST(PurityTest, OrderMattersOnlyToMethodsThatReadIt) {
  const std::vector<double> forward{2, 1, 3, 3, 4};
  std::vector<double> backward = forward;
  std::reverse(backward.begin(), backward.end());  // 4 3 3 1 2
  // Latest 4 vs latest 2.
  EXPECT_DOUBLE_EQ(Apply(Method::kMostRecent, forward).value, 4.0);
  EXPECT_DOUBLE_EQ(Apply(Method::kMostRecent, backward).value, 2.0);
  // Recursive: 3.57925625 forward (worked above) vs not mastered backward:
  //   4 -> 4*0.35+3*0.65 = 3.35 -> 3.35*0.35+1.95 = 3.1225
  //   -> 3.1225*0.35+0.65 = 1.742875 -> 1.742875*0.35+1.3 = 1.91000625.
  EXPECT_NEAR(Apply(Method::kDecayingRecursive, backward).value, 1.91000625, kTol);
  // Mean, highest and the at-mastery count do not care about order.
  for (Method method : {Method::kMean, Method::kHighest}) {
    ExpectSameResult(Apply(method, forward), Apply(method, backward), method);
  }
  EXPECT_EQ(Apply(Method::kMostRecent, backward).at_mastery, 3);
}

// ------------------------------------------------------------ names and text

TEST(MethodNameTest, NamesAreTheDocumentedOnes) {
  EXPECT_EQ(MethodName(Method::kMostRecent), "most_recent");
  EXPECT_EQ(MethodName(Method::kModeOfRecent), "mode_of_recent");
  EXPECT_EQ(MethodName(Method::kMeanOfRecent), "mean_of_recent");
  EXPECT_EQ(MethodName(Method::kHighest), "highest");
  EXPECT_EQ(MethodName(Method::kMean), "mean");
  EXPECT_EQ(MethodName(Method::kDecayingAverage), "decaying_average");
  EXPECT_EQ(MethodName(Method::kDecayingRecursive), "decaying_recursive");
  EXPECT_EQ(MethodName(Method::kPowerLaw), "power_law");
  EXPECT_EQ(MethodName(Method::kNTimesAtMastery), "n_times_at_mastery");
}

TEST(MethodNameTest, ParseRoundTripsEveryMethod) {
  for (Method method : kAllMethods) {
    const std::optional<Method> parsed = ParseMethod(MethodName(method));
    ASSERT_TRUE(parsed.has_value()) << MethodName(method);
    EXPECT_EQ(*parsed, method);
  }
}

TEST(MethodNameTest, ParseRejectsUnknownNames) {
  EXPECT_FALSE(ParseMethod("").has_value());
  EXPECT_FALSE(ParseMethod("Most_Recent").has_value());  // names are case-sensitive
  EXPECT_FALSE(ParseMethod("most recent").has_value());
  EXPECT_FALSE(ParseMethod("median").has_value());
  EXPECT_FALSE(ParseMethod("unknown").has_value());
}

TEST(DescribeCalculationTest, OneSentencePerMethodWithDefaults) {
  EXPECT_EQ(DescribeCalculation(Spec(Method::kMostRecent)), "most recent score");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kModeOfRecent)),
            "most frequent of the 3 most recent scores (ties go to the latest)");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kMeanOfRecent)), "mean of the 3 most recent scores");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kHighest)), "highest score");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kMean)), "mean of all scores");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kDecayingAverage)),
            "decaying average (latest × 0.65 + mean of earlier × 0.35)");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kDecayingRecursive)),
            "running decaying average (each new score × 0.65 + previous average × 0.35)");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kPowerLaw)),
            "power-law trend of all scores, read at the latest attempt");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kNTimesAtMastery, 2)),
            "at least 2 scores at mastery, then their mean");
}

TEST(DescribeCalculationTest, ParametersAppearInTheText) {
  EXPECT_EQ(DescribeCalculation(Spec(Method::kMeanOfRecent, 5)),
            "mean of the 5 most recent scores");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kMeanOfRecent, 1)), "mean of the most recent score");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kNTimesAtMastery, 1)),
            "at least 1 score at mastery, then their mean");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kDecayingAverage, 3, 1.0)),
            "decaying average (latest × 1 + mean of earlier × 0)");
  EXPECT_EQ(DescribeCalculation(Spec(Method::kDecayingAverage, 3, 0.5)),
            "decaying average (latest × 0.5 + mean of earlier × 0.5)");
}

TEST(DescribeCalculationTest, FormativeSuffix) {
  CalculationSpec spec = Spec(Method::kMeanOfRecent, 3);
  spec.include_formative = true;
  EXPECT_EQ(DescribeCalculation(spec),
            "mean of the 3 most recent scores, formative checks included");
  spec.method = Method::kMostRecent;
  EXPECT_EQ(DescribeCalculation(spec), "most recent score, formative checks included");
}

}  // namespace
}  // namespace cairn
