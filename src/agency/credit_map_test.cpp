#include "agency/credit_map.h"

#include <gtest/gtest.h>

#include "testing/test_catalog.h"

namespace cairn {
namespace {

constexpr const char* kMap = R"({"requirements": [
  {"id": "alg", "title": "Algebra", "kind": "credit", "credits": 1, "badges": ["B1", "B2"]},
  {"id": "half", "title": "Half", "kind": "credit", "credits": 0.5, "badges": ["B1", "B2"],
   "min_badges": 1},
  {"id": "grad", "title": "Graduation math", "kind": "graduation",
   "credits_from": ["alg", "half"], "credits_needed": 1.5},
  {"id": "grad-b2", "title": "Must hold B2", "kind": "graduation", "badges": ["B2"]}]})";

TEST(CreditMapTest, ParsesAndRoundTrips) {
  const Catalog catalog = testing::TestCatalog();
  auto map = ParseCreditMap(kMap, &catalog);
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  ASSERT_EQ(map->requirements.size(), 4u);
  EXPECT_EQ(map->requirements[0].min_badges, 2);  // all of them when omitted
  EXPECT_EQ(map->requirements[1].min_badges, 1);
  EXPECT_EQ(map->requirements[2].kind, RequirementKind::kGraduation);
  auto again = ParseCreditMap(CreditMapToJson(*map), &catalog);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *map);
}

TEST(CreditMapTest, BadMapsNameThePlace) {
  const Catalog catalog = testing::TestCatalog();
  auto error = [&](const char* text) {
    auto map = ParseCreditMap(text, &catalog);
    EXPECT_FALSE(map.ok()) << text;
    return map.ok() ? std::string() : map.status().ToString();
  };
  auto has = [](const std::string& s, const char* part) {
    return s.find(part) != std::string::npos;
  };
  EXPECT_TRUE(has(error("[1]"), "credit_map: expected a JSON object"));
  EXPECT_TRUE(has(error(R"({"requirements": [{"id": "a", "title": "A", "kind": "credit",
      "credits": 1, "badges": ["B1", "B9"]}]})"),
                  "credit_map.requirements[0].badges[1]: no badge 'B9'"));
  EXPECT_TRUE(has(error(R"({"requirements": [
      {"id": "a", "title": "A", "kind": "credit", "credits": 1, "badges": ["B1"]},
      {"id": "a", "title": "B", "kind": "credit", "credits": 1, "badges": ["B2"]}]})"),
                  "credit_map.requirements[1].id: duplicate"));
  EXPECT_TRUE(has(error(R"({"requirements": [{"id": "a", "title": "A", "kind": "credit",
      "credits": 1, "badges": ["B1"], "min_badges": 2}]})"),
                  "requirements[0].min_badges"));
  EXPECT_TRUE(has(error(R"({"requirements": [
      {"id": "g1", "title": "G1", "kind": "graduation", "badges": ["B1"]},
      {"id": "g2", "title": "G2", "kind": "graduation", "credits_from": ["g1"],
       "credits_needed": 1}]})"),
                  "requirements[1].credits_from[0]: 'g1' is not a credit requirement"));
  EXPECT_TRUE(has(error(R"({"requirements": [
      {"id": "a", "title": "A", "kind": "credit", "credits": 1, "badges": ["B1"]},
      {"id": "g", "title": "G", "kind": "graduation", "credits_from": ["a"],
       "credits_needed": 2}]})"),
                  "requirements[1].credits_needed: more than the 1 credit"));
  EXPECT_TRUE(has(error(R"({"requirements": [{"id": "A b", "title": "A", "kind": "term",
      "credits": -1, "badges": ["B1"], "color": "red"}]})"),
                  "requirements[0].color: unknown field"));
  // Every problem of a map is reported at once.
  auto map = ParseCreditMap(R"({"requirements": [{"id": "A b", "title": "A", "kind": "term",
      "credits": -1, "badges": ["B1"]}]})",
                            &catalog);
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.status().fields().size(), 3u) << map.status().ToString();
}

TEST(CreditMapTest, ProgressCountsEarnedBadgesAndCredits) {
  const Catalog catalog = testing::TestCatalog();
  auto map = ParseCreditMap(kMap, &catalog);
  ASSERT_TRUE(map.ok());

  auto none = CreditProgress(*map, {});
  ASSERT_EQ(none.size(), 4u);
  EXPECT_FALSE(none[0].met);
  EXPECT_EQ(none[0].standing, "0 of 2 badges earned; 2 more needed for 1 credit.");
  EXPECT_EQ(none[2].standing, "0 of 1.5 credits earned.");

  auto one = CreditProgress(*map, {"B1"});
  EXPECT_FALSE(one[0].met);
  EXPECT_EQ(one[0].missing_badges, std::vector<std::string>{"B2"});
  EXPECT_TRUE(one[1].met);
  EXPECT_EQ(one[1].credits_earned, 0.5);
  EXPECT_EQ(one[1].standing, "Met: 0.5 credits.");
  EXPECT_FALSE(one[2].met);
  EXPECT_EQ(one[2].credits_earned, 0.5);
  EXPECT_FALSE(one[3].met);
  EXPECT_EQ(one[3].standing, "0 of 1 badge earned.");

  auto both = CreditProgress(*map, {"B1", "B2"});
  EXPECT_TRUE(both[0].met);
  EXPECT_TRUE(both[2].met);
  EXPECT_EQ(both[2].credits_earned, 1.5);
  EXPECT_EQ(both[2].standing, "Met.");
  EXPECT_TRUE(both[3].met);
  EXPECT_EQ(both[3].requirement, &map->requirements[3]);
}

}  // namespace
}  // namespace cairn
