#include "agency/learning_plan.h"

#include <gtest/gtest.h>

#include "testing/test_catalog.h"

namespace cairn {
namespace {

using nlohmann::json;

JournalEntry Entry(const json& body, Id by, Instant at) {
  JournalEntry e;
  e.stream = std::string(kPlanStream);
  e.key = "student:1";
  e.student_id = 1;
  e.body = body.dump();
  e.recorded_by = by;
  e.recorded_at = at;
  return e;
}

TEST(LearningPlanTest, BadEntriesNameTheField) {
  const Catalog catalog = testing::TestCatalog();
  auto field = [&](PlanEntryKind kind, const json& body) {
    auto checked = CheckPlanEntry(kind, body, catalog);
    EXPECT_FALSE(checked.ok()) << body.dump();
    return checked.ok() ? std::string() : checked.status().ToString();
  };
  EXPECT_NE(field(PlanEntryKind::kGoals, {{"goals", {{{"badge", "B9"}}}}}).find("goals[0].badge"),
            std::string::npos);
  EXPECT_NE(field(PlanEntryKind::kGoals, {{"goals", {{{"badge", "B1"}, {"by", "soon"}}}}})
                .find("goals[0].by"),
            std::string::npos);
  EXPECT_NE(
      field(PlanEntryKind::kGoals, {{"goals", json::array()}, {"pathway", "x"}}).find("pathway"),
      std::string::npos);
  EXPECT_NE(field(PlanEntryKind::kReflection, json::object()).find("text"), std::string::npos);
  EXPECT_NE(field(PlanEntryKind::kRequest, {{"badge", "B2"}, {"reason", "bored"}}).find("reason"),
            std::string::npos);
  EXPECT_NE(
      field(PlanEntryKind::kSelfAssessment, {{"cpe", "B1.1"}, {"level", "superb"}}).find("level"),
      std::string::npos);
  EXPECT_NE(field(PlanEntryKind::kDecision, {{"badge", "B2"}, {"accept", "yes"}}).find("accept"),
            std::string::npos);
  EXPECT_NE(field(PlanEntryKind::kReflection, {{"text", "hi"}, {"typo", 1}}).find("typo"),
            std::string::npos);
}

TEST(LearningPlanTest, FoldsEveryRevisionIntoThePlan) {
  const Catalog catalog = testing::TestCatalog();
  auto entry = [&](PlanEntryKind kind, const json& body, Id by, Instant at) {
    auto checked = CheckPlanEntry(kind, body, catalog);
    EXPECT_TRUE(checked.ok()) << checked.status().ToString();
    return Entry(checked.ok() ? *checked : json::object(), by, at);
  };
  std::vector<JournalEntry> entries{
      entry(PlanEntryKind::kGoals, {{"goals", {{{"badge", "B1"}, {"by", "2027-01-31"}}}}}, 1, 10),
      entry(PlanEntryKind::kGoals,
            {{"goals", {{{"badge", "B2"}, {"by", "2027-05-31"}, {"note", "after B1"}}}},
             {"pathway", "p"}},
            1, 20),
      entry(PlanEntryKind::kReflection, {{"text", "Graphs help me."}}, 1, 30),
      entry(PlanEntryKind::kRequest, {{"badge", "B2"}, {"reason", "independent_study"}}, 1, 40),
      entry(PlanEntryKind::kDecision, {{"badge", "B2"}, {"accept", false}}, 7, 50),
      entry(PlanEntryKind::kRequest, {{"badge", "B2"}, {"reason", "cte"}}, 1, 60),
      entry(PlanEntryKind::kDecision, {{"badge", "B2"}, {"accept", true}}, 7, 70),
      entry(PlanEntryKind::kSelfAssessment, {{"cpe", "B1.2"}, {"level", "emerging"}}, 1, 80),
      entry(PlanEntryKind::kConferenceNote, {{"text", "Proud of you."}}, 9, 90),
  };
  const LearningPlan plan = FoldLearningPlan(entries);
  EXPECT_EQ(plan.revisions, 9);
  ASSERT_EQ(plan.goals.size(), 1u);  // the newest goals replace the older
  EXPECT_EQ(plan.goals[0]["badge"], "B2");
  EXPECT_EQ(plan.pathway, "p");
  ASSERT_EQ(plan.reflections.size(), 1u);
  EXPECT_EQ(plan.reflections[0].at, 30);
  ASSERT_EQ(plan.requests.size(), 1u);  // asked again after a decline
  EXPECT_EQ(plan.requests[0].state, "accepted");
  EXPECT_EQ(plan.requests[0].reason, "cte");
  EXPECT_EQ(plan.requests[0].decided_by, 7);
  ASSERT_EQ(plan.self_assessments.size(), 1u);
  EXPECT_EQ(plan.self_assessments[0].level, "emerging");
  ASSERT_EQ(plan.conference_notes.size(), 1u);
  EXPECT_EQ(plan.conference_notes[0].by, 9);
  // Up to the first decline, the request reads declined.
  const LearningPlan earlier =
      FoldLearningPlan(std::vector<JournalEntry>(entries.begin(), entries.begin() + 5));
  EXPECT_EQ(earlier.requests[0].state, "declined");
}

}  // namespace
}  // namespace cairn
