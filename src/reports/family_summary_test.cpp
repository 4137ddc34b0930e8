#include "reports/family_summary.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/test_catalog.h"

namespace cairn {
namespace {

using testing::TestCatalog;

constexpr Id kChild = 10;
constexpr Id kTeacher = 77;

// One child working through the test catalog: B1 (three CPEs, all needed,
// a performance task at mastery required) and B2 (one CPE, B1 first).
struct Family {
  Catalog catalog = TestCatalog();
  MasteryEngine engine{catalog};
  std::vector<AwardFact> awards;
  std::vector<RatingFact> ratings;
  std::vector<CurriculumResource> resources;
  Person child;
  FactId next = 1;

  Family() {
    child.id = kChild;
    child.sourced_id = "stu10";
    child.given_name = "Maya";
    child.family_name = "Lopez";
  }

  void Rate(const std::string& cpe, const std::string& level, Day day, std::string note = "",
            EvidenceKind kind = EvidenceKind::kSummative) {
    RatingFact fact;
    fact.id = next++;
    fact.student_id = kChild;
    fact.cpe_id = cpe;
    fact.level_id = level;
    fact.demonstrated_on = day;
    fact.recorded_at = StartOf(day) + 60;
    fact.recorded_by = kTeacher;
    fact.kind = kind;
    fact.note = std::move(note);
    ASSERT_TRUE(engine.AddRating(fact).ok());
    ratings.push_back(fact);
  }

  void Confirm(const std::string& badge, Day day) {
    AwardFact fact;
    fact.id = next++;
    fact.student_id = kChild;
    fact.badge_code = badge;
    fact.action = AwardAction::kConfirmed;
    fact.recorded_at = StartOf(day);
    awards.push_back(fact);
    engine.SetEarned(
        kChild, static_cast<std::uint32_t>(catalog.FindBadge(badge) - catalog.badges.data()), true);
  }

  void Link(const std::string& cpe, const std::string& title) {
    CurriculumResource r;
    r.id = static_cast<Id>(resources.size() + 1);
    r.cpe_id = cpe;
    r.title = title;
    r.url = "https://example.org/" + title;
    r.provider = "district";
    resources.push_back(r);
  }

  FamilySummary Build() {
    StudentProgress progress = BuildStudentProgress(catalog, engine, child, awards, {});
    return BuildFamilySummary(
        catalog, progress, ratings,
        [](Id id) { return id == kTeacher ? std::string("Ms. Lee") : std::string("?"); },
        resources);
  }
};

const FamilyBadge* Find(const std::vector<FamilyBadge>& list, const std::string& code) {
  for (const FamilyBadge& b : list) {
    if (b.code == code) return &b;
  }
  return nullptr;
}

TEST(FamilySummaryTest, NamesTheNextSkillByItsTitleWithTheLevelItNeeds) {
  Family f;
  f.Rate("B1.1", "proficient", 10, "", EvidenceKind::kPerformanceTask);
  f.Rate("B1.2", "emerging", 12, "Check the sign when you divide by a negative.");
  f.Link("B1.2", "Balancing practice");
  f.Link("B1.3", "Not the next skill");
  FamilySummary s = f.Build();
  EXPECT_EQ(s.child, "Maya");
  ASSERT_EQ(s.working.size(), 1u);
  const FamilyBadge& b = s.working[0];
  EXPECT_EQ(b.title, "Badge one");
  EXPECT_EQ(b.state, "working");
  EXPECT_EQ(b.done, 1);
  EXPECT_EQ(b.needed, 3);
  // The started skill comes before the untouched one.
  EXPECT_EQ(b.next_cpe, "B1.2");
  EXPECT_EQ(b.next_step, "Next: show Proficient work on \u201cSecond\u201d (B1, skill 2 of 3).");
  // The same sentence in parts, for a page that says it in another language.
  EXPECT_EQ(b.next.kind, "show");
  EXPECT_EQ(b.next.cpe, "B1.2");
  EXPECT_EQ(b.next.cpe_label, "Second");
  EXPECT_EQ(b.next.skill, 2);
  EXPECT_EQ(b.next.of, 3);
  EXPECT_EQ(b.next.level, "Proficient");
  ASSERT_TRUE(b.last_note);
  EXPECT_EQ(b.last_note->text, "Check the sign when you divide by a negative.");
  EXPECT_EQ(b.last_note->by, "Ms. Lee");
  EXPECT_EQ(b.last_note->on, 12);
  ASSERT_EQ(b.help.size(), 1u);
  EXPECT_EQ(b.help[0].title, "Balancing practice");
  // B2 is not started: a family is not told about every badge there is.
  EXPECT_EQ(Find(s.working, "B2"), nullptr);
  EXPECT_TRUE(s.earned.empty());
}

TEST(FamilySummaryTest, SaysWhatRemainsInPlainWordsWhenSkillsAreDone) {
  Family f;
  // Every skill at mastery, but no performance task: the kind is missing.
  for (const char* cpe : {"B1.1", "B1.2", "B1.3"}) f.Rate(cpe, "proficient", 20);
  FamilySummary s = f.Build();
  ASSERT_EQ(s.working.size(), 1u);
  EXPECT_EQ(s.working[0].next_step,
            "Next: complete a longer project that uses the skills together for this badge.");
  EXPECT_EQ(s.working[0].next_cpe, "");
  EXPECT_EQ(s.working[0].next.kind, "evidence_kind");
  EXPECT_EQ(s.working[0].next.evidence_kind, "performance_task");
  // No jargon: the evidence kind's name never reaches the family.
  EXPECT_EQ(s.working[0].next_step.find("performance_task"), std::string::npos);
  EXPECT_EQ(s.working[0].next_step.find("Performance task"), std::string::npos);
}

TEST(FamilySummaryTest, AMetRuleWaitsForTheTeacherAndEarnedBadgesComeNewestFirst) {
  Family f;
  f.Rate("B1.1", "advanced", 10, "", EvidenceKind::kPerformanceTask);
  f.Rate("B1.2", "proficient", 11);
  f.Rate("B1.3", "proficient", 12);
  FamilySummary waiting = f.Build();
  ASSERT_EQ(waiting.working.size(), 1u);
  EXPECT_EQ(waiting.working[0].state, "confirming");
  EXPECT_NE(waiting.working[0].next_step.find("Maya has shown everything"), std::string::npos);
  EXPECT_EQ(waiting.working[0].next.kind, "confirming");

  f.Confirm("B1", 15);
  f.Rate("B2.1", "proficient", 30, "Lovely explanation.");
  FamilySummary later = f.Build();
  ASSERT_EQ(later.earned.size(), 1u);
  EXPECT_EQ(later.earned[0].code, "B1");
  EXPECT_EQ(later.earned[0].earned_on, 15);
  EXPECT_EQ(later.earned[0].next_step, "");
  EXPECT_EQ(later.earned[0].next.kind, "");
  ASSERT_EQ(later.working.size(), 1u);
  EXPECT_EQ(later.working[0].code, "B2");
  EXPECT_EQ(later.working[0].last_note->text, "Lovely explanation.");

  f.Rate("B2.1", "proficient", 40);
  f.Confirm("B2", 41);
  FamilySummary both = f.Build();
  ASSERT_EQ(both.earned.size(), 2u);
  EXPECT_EQ(both.earned[0].code, "B2");
  EXPECT_EQ(both.earned[1].code, "B1");
  EXPECT_TRUE(both.working.empty());
}

TEST(FamilySummaryTest, APrerequisiteIsNamedByItsTitle) {
  Family f;
  f.Rate("B2.1", "proficient", 10);
  FamilySummary s = f.Build();
  const FamilyBadge* b2 = Find(s.working, "B2");
  ASSERT_NE(b2, nullptr);
  EXPECT_EQ(b2->next_step, "Next: earn Badge one first. This badge builds on it.");
  nlohmann::json json = FamilySummaryJson(s);
  EXPECT_EQ(json["child"], "Maya");
  ASSERT_EQ(json["working"].size(), s.working.size());
  EXPECT_TRUE(json["working"][0]["earned_on"].is_null());
  EXPECT_TRUE(json["working"][0]["help"].is_array());
  const nlohmann::json& next = json["working"][0]["next"];
  EXPECT_EQ(next["kind"], "prerequisite");
  EXPECT_EQ(next["prerequisite"]["code"], "B1");
  EXPECT_EQ(next["prerequisite"]["title"], "Badge one");
  EXPECT_TRUE(next["cpe"].is_null());
  EXPECT_TRUE(next["evidence_kind"].is_null());
}

}  // namespace
}  // namespace cairn
