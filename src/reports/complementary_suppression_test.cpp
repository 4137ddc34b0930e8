#include "reports/complementary_suppression.h"

#include <gtest/gtest.h>

#include <random>

namespace cairn {
namespace {

using Group = SuppressionProblem::Group;

TEST(ComplementarySuppressionTest, NothingTooSmallHidesNothing) {
  SuppressionProblem problem;
  problem.known = {{1, 1, 1}};
  problem.groups = {Group{{{1, 0, 0}}, false}, Group{{{0, 1, 1}}, false}};
  const SuppressionResult result = SuppressComplements(problem);
  EXPECT_EQ(result.suppressed, (std::vector<bool>{false, false}));
  EXPECT_FALSE(result.used_unbounded_integers);
}

TEST(ComplementarySuppressionTest, HidesTheSmallestGroupThatCompletesTheTotal) {
  // Three parts of a known total: showing two gives the third away.
  SuppressionProblem problem;
  problem.known = {{1, 1, 1}};
  problem.groups = {Group{{{0, 0, 1}}, true},    // too small
                    Group{{{0, 1, 0}}, false},   // smaller
                    Group{{{1, 0, 0}}, false}};  // larger
  const SuppressionResult result = SuppressComplements(problem);
  EXPECT_EQ(result.suppressed, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(result.from_totals, (std::vector<bool>{false, false, false}));
}

TEST(ComplementarySuppressionTest, ProtectsTheGroupsItHidesToo) {
  // Unknowns a, b, c, d with a known total. Showing {a}, {b}, {c} and
  // {a+b} gives {d} away; hiding {c} protects {d}, and {c} itself is then
  // underivable too (only c + d = total - (a+b) is known).
  SuppressionProblem problem;
  problem.known = {{1, 1, 1, 1}};
  problem.groups = {Group{{{0, 0, 0, 1}}, true},    // d, too small
                    Group{{{0, 0, 1, 0}}, false},   // c
                    Group{{{0, 1, 0, 0}}, false},   // b
                    Group{{{1, 0, 0, 0}}, false},   // a
                    Group{{{1, 1, 0, 0}}, false}};  // a + b
  const SuppressionResult result = SuppressComplements(problem);
  EXPECT_EQ(result.suppressed, (std::vector<bool>{true, true, false, false, false}));
}

TEST(ComplementarySuppressionTest, SkipsGroupsWhoseHidingWouldNotHelp) {
  // c = (b+c) - b: hiding the smallest group {c} would protect nothing while
  // {b} and {b+c} are shown. d = total - a - (b+c) needs {a} or {b+c}; {a}
  // is the smaller.
  SuppressionProblem problem;
  problem.known = {{1, 1, 1, 1}};
  problem.groups = {Group{{{0, 0, 0, 1}}, true},    // d, too small
                    Group{{{0, 0, 1, 0}}, false},   // c
                    Group{{{0, 1, 0, 0}}, false},   // b
                    Group{{{1, 0, 0, 0}}, false},   // a
                    Group{{{0, 1, 1, 0}}, false}};  // b + c
  const SuppressionResult result = SuppressComplements(problem);
  EXPECT_EQ(result.suppressed, (std::vector<bool>{true, false, false, true, false}));
}

TEST(ComplementarySuppressionTest, ReportsWhatTheTotalsAloneGiveAway) {
  SuppressionProblem problem;
  problem.known = {{1, 1}};
  problem.groups = {Group{{{1, 1}}, true}, Group{{{1, 0}}, false}};
  const SuppressionResult result = SuppressComplements(problem);
  EXPECT_TRUE(result.suppressed[0]);
  EXPECT_TRUE(result.from_totals[0]);
  EXPECT_FALSE(result.suppressed[1]);  // hiding it would change nothing
}

SuppressionProblem RandomProblem(std::mt19937& rng, std::int64_t magnitude) {
  std::uniform_int_distribution<int> count(1, 12), width_of(1, 10), coin(0, 3);
  std::uniform_int_distribution<std::int64_t> value(-magnitude, magnitude);
  const int width = width_of(rng);
  auto form = [&] {
    LinearForm f(static_cast<std::size_t>(width));
    for (auto& v : f) v = coin(rng) == 0 ? value(rng) : 0;
    return f;
  };
  SuppressionProblem problem;
  problem.known = {form()};
  const int groups = count(rng);
  for (int g = 0; g < groups; ++g) {
    Group group;
    group.figures = {form()};
    if (coin(rng) == 0) group.figures.push_back(form());
    group.too_small = coin(rng) == 0;
    problem.groups.push_back(group);
  }
  return problem;
}

TEST(ComplementarySuppressionTest, Int64AndUnboundedAgree) {
  std::mt19937 rng(20261110);
  for (int i = 0; i < 300; ++i) {
    const SuppressionProblem problem = RandomProblem(rng, 3);
    const SuppressionResult fast = SuppressComplements(problem);
    const SuppressionResult big = SuppressComplements(problem, SuppressionArithmetic::kUnbounded);
    EXPECT_EQ(fast.suppressed, big.suppressed) << "problem " << i;
    EXPECT_EQ(fast.from_totals, big.from_totals) << "problem " << i;
    EXPECT_TRUE(big.used_unbounded_integers);
  }
}

TEST(ComplementarySuppressionTest, OverflowIsRedoneWithUnboundedIntegers) {
  std::mt19937 rng(7);
  int overflowed = 0;
  for (int i = 0; i < 100; ++i) {
    const SuppressionProblem problem = RandomProblem(rng, std::int64_t{1} << 40);
    const SuppressionResult fast = SuppressComplements(problem);
    const SuppressionResult big = SuppressComplements(problem, SuppressionArithmetic::kUnbounded);
    EXPECT_EQ(fast.suppressed, big.suppressed) << "problem " << i;
    EXPECT_EQ(fast.from_totals, big.from_totals) << "problem " << i;
    overflowed += fast.used_unbounded_integers ? 1 : 0;
  }
  EXPECT_GT(overflowed, 10);  // the fallback really ran
}

}  // namespace
}  // namespace cairn
