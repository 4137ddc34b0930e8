#include "toolkit/round_results.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cairn {
namespace {

// Two domains on a 5-point scale, a third on a 3-point scale, and a text item.
constexpr const char* kInstrument = R"({
  "format": "cairn-instrument", "format_version": 1, "id": "tiny", "title": "Tiny",
  "kind": "survey", "respondents": ["teacher"], "anonymous": true, "repeat": {"every": "none"},
  "scales": [
    {"id": "five", "points": [{"value": 1, "label": "Disagree"}, {"value": 2, "label": "Somewhat Disagree"},
                              {"value": 3, "label": "Neutral"}, {"value": 4, "label": "Somewhat Agree"},
                              {"value": 5, "label": "Agree"}]},
    {"id": "three", "points": [{"value": 1, "label": "Low"}, {"value": 2, "label": "Mid"},
                               {"value": 3, "label": "High"}]}],
  "sections": [
    {"id": "a", "title": "Domain A", "items": [
      {"id": "a1", "prompt": "A one", "response": {"type": "scale", "scale": "five"}},
      {"id": "a2", "prompt": "A two", "response": {"type": "scale", "scale": "five"}}]},
    {"id": "b", "title": "Domain B", "items": [
      {"id": "b1", "prompt": "B one", "response": {"type": "scale", "scale": "three"}},
      {"id": "b2", "prompt": "B two", "response": {"type": "text"}}]}]
})";

Instrument Tiny() {
  auto parsed = ParseInstrument(kInstrument, "tiny");
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return *parsed;
}

const ItemResult& Item(const RoundResults& results, const std::string& id) {
  for (const ItemResult& item : results.items) {
    if (item.item_id == id) return item;
  }
  ADD_FAILURE() << "no item " << id;
  return results.items.front();
}

const DomainResult& Domain(const RoundResults& results, const std::string& id) {
  for (const DomainResult& domain : results.domains) {
    if (domain.section_id == id) return domain;
  }
  ADD_FAILURE() << "no domain " << id;
  return results.domains.front();
}

TEST(RoundResultsTest, LeikDispersionRunsFromConsensusToAnEvenSplitBetweenTheEnds) {
  EXPECT_DOUBLE_EQ(LeikDispersion({0, 0, 4, 0, 0}), 0.0);
  EXPECT_DOUBLE_EQ(LeikDispersion({2, 0, 0, 0, 2}), 1.0);
  // Cumulative shares .25 .5 .5 .75: 2 * (.25 + .5 + .5 + .25) / 4.
  EXPECT_DOUBLE_EQ(LeikDispersion({1, 1, 0, 1, 1}), 0.75);
  // Neighbours disagree less than the two ends.
  EXPECT_LT(LeikDispersion({0, 0, 2, 2, 0}), LeikDispersion({2, 0, 0, 0, 2}));
  EXPECT_DOUBLE_EQ(LeikDispersion({0, 0, 0}), 0.0);
}

TEST(RoundResultsTest, QuantilesInterpolateBetweenOrderStatistics) {
  const std::vector<int> values{1, 2, 4, 5};
  EXPECT_DOUBLE_EQ(Quantile(values, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(Quantile(values, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(Quantile(values, 0.75), 4.25);
  EXPECT_DOUBLE_EQ(Quantile({3}, 0.25), 3.0);
}

TEST(RoundResultsTest, PerItemMedianSpreadDistributionAndDisagreement) {
  const Instrument instrument = Tiny();
  std::vector<RespondentAnswers> answers(4);
  const int a1[] = {1, 2, 4, 5};
  const int a2[] = {4, 4, 4, 5};
  for (int i = 0; i < 4; ++i) {
    answers[i].values = {{"a1", a1[i]}, {"a2", a2[i]}, {"b1", 1 + i % 3}};
  }
  const RoundResults results = ComputeRoundResults(instrument, answers, /*anonymous=*/true);
  EXPECT_EQ(results.respondents, 4);

  const ItemResult& one = Item(results, "a1");
  EXPECT_EQ(one.n, 4);
  EXPECT_FALSE(one.suppressed);
  EXPECT_DOUBLE_EQ(*one.median, 3.0);
  EXPECT_DOUBLE_EQ(*one.iqr, 2.5);
  EXPECT_EQ(*one.lowest, 1);
  EXPECT_EQ(*one.highest, 5);
  ASSERT_EQ(one.distribution.size(), 5u);
  EXPECT_EQ(one.distribution[0], (PointCount{1, "Disagree", 1}));
  EXPECT_EQ(one.distribution[2], (PointCount{3, "Neutral", 0}));
  EXPECT_DOUBLE_EQ(*one.disagreement, 0.75);

  const ItemResult& two = Item(results, "a2");
  EXPECT_DOUBLE_EQ(*two.median, 4.0);
  EXPECT_DOUBLE_EQ(*two.mean, 4.25);
  EXPECT_LT(*two.disagreement, *one.disagreement);

  // Most disagreement first; the text item is not ranked.
  ASSERT_EQ(results.by_disagreement.size(), 3u);
  EXPECT_EQ(results.items[results.by_disagreement[0]].item_id, "a1");
  for (std::size_t i = 1; i < results.by_disagreement.size(); ++i) {
    EXPECT_GE(*results.items[results.by_disagreement[i - 1]].disagreement,
              *results.items[results.by_disagreement[i]].disagreement);
  }

  const DomainResult& a = Domain(results, "a");
  EXPECT_EQ(a.items, 2);
  EXPECT_EQ(a.items_counted, 2);
  EXPECT_EQ(a.respondents, 4);
  EXPECT_EQ(a.answers, 8);
  EXPECT_DOUBLE_EQ(*a.mean, (1 + 2 + 4 + 5 + 4 + 4 + 4 + 5) / 8.0);
  EXPECT_DOUBLE_EQ(*a.median, 4.0);
  EXPECT_DOUBLE_EQ(*a.disagreement, (*one.disagreement + *two.disagreement) / 2);
  EXPECT_EQ(a.distribution[3].count, 4);  // "Somewhat Agree": three in a2, one in a1
  EXPECT_EQ(*a.scale_max, 5);
  EXPECT_EQ(*Domain(results, "b").scale_max, 3);
}

TEST(RoundResultsTest, AnonymousRoundsSuppressItemsWithFewerThanThreeAnswers) {
  const Instrument instrument = Tiny();
  std::vector<RespondentAnswers> answers(4);
  for (auto& a : answers) a.values["a1"] = 2;
  answers[0].values["a2"] = 5;  // only two answered a2
  answers[1].values["a2"] = 1;
  answers[0].texts["b2"] = "only me";

  const RoundResults anonymous = ComputeRoundResults(instrument, answers, true);
  const ItemResult& a2 = Item(anonymous, "a2");
  EXPECT_EQ(a2.n, 2);
  EXPECT_TRUE(a2.suppressed);
  EXPECT_FALSE(a2.median.has_value());
  EXPECT_FALSE(a2.disagreement.has_value());
  EXPECT_TRUE(a2.distribution.empty());
  EXPECT_TRUE(Item(anonymous, "b2").suppressed);
  EXPECT_TRUE(Item(anonymous, "b2").texts.empty());
  // The domain leaves the suppressed item out, so it cannot be subtracted back.
  const DomainResult& a = Domain(anonymous, "a");
  EXPECT_EQ(a.items_counted, 1);
  EXPECT_EQ(a.answers, 4);
  EXPECT_DOUBLE_EQ(*a.mean, 2.0);
  EXPECT_EQ(anonymous.by_disagreement.size(), 1u);

  const RoundResults named = ComputeRoundResults(instrument, answers, false);
  EXPECT_FALSE(Item(named, "a2").suppressed);
  EXPECT_DOUBLE_EQ(*Item(named, "a2").median, 3.0);
  EXPECT_EQ(Item(named, "b2").texts, std::vector<std::string>{"only me"});
  EXPECT_EQ(Domain(named, "a").answers, 6);
}

TEST(RoundResultsTest, ResultsDoNotDependOnTheOrderPeopleAnswered) {
  const Instrument instrument = Tiny();
  std::vector<RespondentAnswers> answers(5);
  for (int i = 0; i < 5; ++i) {
    answers[i].values = {{"a1", 1 + (i * 3) % 5}, {"b1", 1 + i % 3}};
    answers[i].texts["b2"] = std::string(1, static_cast<char>('e' - i));
  }
  const RoundResults forward = ComputeRoundResults(instrument, answers, true);
  std::reverse(answers.begin(), answers.end());
  const RoundResults backward = ComputeRoundResults(instrument, answers, true);
  EXPECT_EQ(Item(forward, "a1").distribution, Item(backward, "a1").distribution);
  EXPECT_EQ(Item(forward, "a1").median, Item(backward, "a1").median);
  EXPECT_EQ(Item(forward, "b2").texts, Item(backward, "b2").texts);
  EXPECT_EQ(Item(forward, "b2").texts, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(forward.by_disagreement, backward.by_disagreement);
}

TEST(RoundResultsTest, AnswersOffTheScaleOrForUnknownItemsAreNotCounted) {
  const Instrument instrument = Tiny();
  std::vector<RespondentAnswers> answers(3);
  for (auto& a : answers) a.values = {{"a1", 3}, {"b1", 4}, {"zz", 1}};
  const RoundResults results = ComputeRoundResults(instrument, answers, false);
  EXPECT_EQ(Item(results, "a1").n, 3);
  EXPECT_EQ(Item(results, "b1").n, 0);  // 4 is not a point of "three"
  EXPECT_FALSE(Domain(results, "b").mean.has_value());
}

TEST(RoundResultsTest, MovementPerDomainBetweenTwoRounds) {
  const Instrument instrument = Tiny();
  std::vector<RespondentAnswers> first(3), second(3);
  for (int i = 0; i < 3; ++i) {
    first[i].values = {{"a1", 2}, {"a2", 2}};
    second[i].values = {{"a1", 4}, {"a2", 3}, {"b1", 2}};
  }
  const auto moves = CompareRounds(ComputeRoundResults(instrument, first, true),
                                   ComputeRoundResults(instrument, second, true));
  ASSERT_EQ(moves.size(), 2u);
  EXPECT_EQ(moves[0].section_id, "a");
  EXPECT_DOUBLE_EQ(*moves[0].before, 2.0);
  EXPECT_DOUBLE_EQ(*moves[0].after, 3.5);
  EXPECT_DOUBLE_EQ(*moves[0].change, 1.5);
  EXPECT_EQ(moves[1].section_id, "b");
  EXPECT_FALSE(moves[1].before.has_value());  // nobody answered b in the first round
  EXPECT_DOUBLE_EQ(*moves[1].after, 2.0);
  EXPECT_FALSE(moves[1].change.has_value());
}

TEST(RoundResultsTest, ReadinessInstrumentHasOneDomainPerSection) {
  const Instrument* readiness = FindBundledInstrument("readiness-s1-4");
  ASSERT_NE(readiness, nullptr);
  std::vector<RespondentAnswers> answers(4);
  for (int r = 0; r < 4; ++r) {
    for (const InstrumentSection& s : readiness->sections) {
      for (const InstrumentItem& item : s.items) answers[r].values[item.id] = 1 + (r * 2) % 5;
    }
  }
  const RoundResults results = ComputeRoundResults(*readiness, answers, true);
  EXPECT_EQ(results.domains.size(), readiness->sections.size());
  EXPECT_EQ(results.by_disagreement.size(), readiness->ItemCount());
  for (const DomainResult& d : results.domains) EXPECT_EQ(d.respondents, 4);
}

}  // namespace
}  // namespace cairn
