#include "reports/report_card.h"

#include <gtest/gtest.h>

#include "reports/report_card_test_support.h"
#include "service/cairn_service.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

using namespace cairn::testing;

class ReportCardTest : public ::testing::Test {
 protected:
  Result<ReportCard> Build(const ReportCardFacts& facts, const char* as_of = "2026-10-01") {
    const Person* student = roster_.FindPerson(kStudentId);
    return BuildReportCard(catalog_, roster_, *student, facts, ReportCardTestOptions(as_of));
  }

  Catalog catalog_ = TestCatalog();
  Roster roster_ = ReportCardRoster();
};

TEST_F(ReportCardTest, WhoWhereAndWhen) {
  auto card = Build(ReportCardTestFacts());
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  EXPECT_EQ(card->student_name, "Ava Lopez");
  EXPECT_EQ(card->student_id, "stu-1");
  EXPECT_EQ(card->grade, "9");
  EXPECT_EQ(card->school, "Riverbend High");
  EXPECT_EQ(card->district, "Riverbend Unified");
  EXPECT_EQ(FormatDate(card->as_of), "2026-10-01");
}

TEST_F(ReportCardTest, EarnedBadgesCarryTheirDateAndVerificationPage) {
  auto card = Build(ReportCardTestFacts());
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card->earned.size(), 1u);
  const ReportCardEarnedBadge& b1 = card->earned[0];
  EXPECT_EQ(b1.code, "B1");
  EXPECT_EQ(b1.title, "Badge one");
  EXPECT_EQ(FormatDate(b1.earned_on), "2026-09-21");
  ASSERT_TRUE(b1.credential.has_value());
  EXPECT_EQ(b1.credential->verification_url,
            std::string(kPublicUrl) + "/verify/" + kCredentialUuid);
  EXPECT_TRUE(b1.credential->is_public);
  ASSERT_EQ(b1.cpes.size(), 3u);
  EXPECT_EQ(b1.cpes[1].level_label, "Advanced");
  for (const ReportCardCpe& cpe : b1.cpes) EXPECT_TRUE(cpe.at_goal) << cpe.id;
  // Not also listed as in progress.
  for (const auto& b : card->in_progress) EXPECT_NE(b.code, "B1");
}

TEST_F(ReportCardTest, CredentialPrivacyAndAbsenceAreReported) {
  ReportCardFacts facts = ReportCardTestFacts();
  facts.public_credentials.clear();
  auto card = Build(facts);
  ASSERT_TRUE(card.ok());
  ASSERT_TRUE(card->earned[0].credential.has_value());
  EXPECT_FALSE(card->earned[0].credential->is_public);
  facts.credentials.clear();
  card = Build(facts);
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card->earned.size(), 1u);
  EXPECT_FALSE(card->earned[0].credential.has_value());
}

TEST_F(ReportCardTest, InProgressShowsEachCpeLevelInWordsAndWhatRemains) {
  auto card = Build(ReportCardTestFacts());
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card->in_progress.size(), 1u);
  const ReportCardBadgeInProgress& b2 = card->in_progress[0];
  EXPECT_EQ(b2.code, "B2");
  EXPECT_EQ(b2.goals_met, 0);
  EXPECT_EQ(b2.goals_needed, 1);
  EXPECT_FALSE(b2.awaiting_confirmation);
  ASSERT_EQ(b2.cpes.size(), 1u);
  // The voided "not yet" does not count: the current level is Emerging.
  EXPECT_EQ(b2.cpes[0].level_label, "Emerging");
  EXPECT_TRUE(b2.cpes[0].has_evidence);
  EXPECT_FALSE(b2.cpes[0].at_goal);
  EXPECT_EQ(b2.cpes[0].standing, "Not yet: Emerging. The goal is Proficient.");
  ASSERT_EQ(b2.remaining.size(), 1u);
  EXPECT_EQ(b2.remaining[0], "Reach Proficient on Only.");
}

TEST_F(ReportCardTest, CpeCarriesTheGuidesCodeWhenTheCatalogHasOne) {
  auto plain = Build(ReportCardTestFacts());
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(plain->in_progress.size(), 1u);
  EXPECT_EQ(plain->in_progress[0].cpes[0].code, "");
  for (Badge& badge : catalog_.badges) {
    if (badge.code == "B2") badge.cpes[0].code = "2a";
  }
  auto coded = Build(ReportCardTestFacts());
  ASSERT_TRUE(coded.ok());
  ASSERT_EQ(coded->in_progress.size(), 1u);
  EXPECT_EQ(coded->in_progress[0].cpes[0].code, "2a");
}

TEST_F(ReportCardTest, RemainingNamesMissingWorkKindsAndPrerequisitesInPlainWords) {
  ReportCardFacts facts;
  facts.ratings = {Rating(1, "B1.1", "proficient", "2026-09-10"),
                   Rating(2, "B2.1", "proficient", "2026-09-11")};
  auto card = Build(facts);
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card->in_progress.size(), 2u);
  const auto& b1 = card->in_progress[0];
  EXPECT_EQ(b1.code, "B1");
  EXPECT_EQ(b1.goals_met, 1);
  EXPECT_EQ(b1.goals_needed, 3);
  EXPECT_EQ(b1.cpes[1].standing, "No evidence yet.");
  EXPECT_EQ(b1.cpes[0].standing, "Meets the goal (Proficient).");
  std::vector<std::string> expected{"Reach Proficient on Second.", "Reach Proficient on Third.",
                                    "Show Proficient work in a performance task."};
  EXPECT_EQ(b1.remaining, expected);
  const auto& b2 = card->in_progress[1];
  EXPECT_EQ(b2.code, "B2");
  EXPECT_EQ(b2.goals_met, 1);
  ASSERT_EQ(b2.remaining.size(), 1u);
  EXPECT_EQ(b2.remaining[0], "Earn the badge B1 Badge one first.");
}

TEST_F(ReportCardTest, ALevelCalledNotYetIsNotSaidTwice) {
  ReportCardFacts facts;
  facts.ratings = {Rating(1, "B1.1", "not_yet", "2026-09-10")};
  auto card = Build(facts);
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card->in_progress.size(), 1u);
  EXPECT_EQ(card->in_progress[0].cpes[0].level_label, "Not yet");
  EXPECT_EQ(card->in_progress[0].cpes[0].standing, "Not yet. The goal is Proficient.");
}

TEST_F(ReportCardTest, AProposedAwardIsInProgressAwaitingConfirmation) {
  ReportCardFacts facts = ReportCardTestFacts();
  facts.awards.pop_back();  // proposed, not confirmed
  auto card = Build(facts);
  ASSERT_TRUE(card.ok());
  EXPECT_TRUE(card->earned.empty());
  ASSERT_FALSE(card->in_progress.empty());
  EXPECT_EQ(card->in_progress[0].code, "B1");
  EXPECT_TRUE(card->in_progress[0].awaiting_confirmation);
  EXPECT_EQ(card->in_progress[0].goals_met, 3);
  ASSERT_EQ(card->in_progress[0].remaining.size(), 1u);
  EXPECT_NE(card->in_progress[0].remaining[0].find("a teacher will confirm"), std::string::npos);
}

TEST_F(ReportCardTest, HabitsOfWorkAreReportedApartAndNeverMoveBadges) {
  ReportCardFacts facts = ReportCardTestFacts();
  auto with = Build(facts);
  ASSERT_TRUE(with.ok());
  ASSERT_EQ(with->habits.size(), 1u);
  EXPECT_EQ(with->habits[0].label, "Persistence");
  EXPECT_EQ(with->habits[0].level_label, "Proficient");
  EXPECT_EQ(with->habits[0].observations, 1);
  EXPECT_EQ(with->habits[0].note, "Kept going after a hard start.");
  EXPECT_EQ(FormatDate(with->habits[0].observed_on), "2026-09-20");
  // The same card without habits: badges and levels are the same.
  facts.habits.clear();
  auto without = Build(facts);
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without->habits.empty());
  ASSERT_EQ(without->earned.size(), with->earned.size());
  ASSERT_EQ(without->in_progress.size(), with->in_progress.size());
  EXPECT_EQ(without->in_progress[0].cpes[0].level_label, with->in_progress[0].cpes[0].level_label);
  // A later observation replaces the level shown and counts as a second one.
  HabitFact later = ReportCardTestFacts().habits[0];
  later.id = 13;
  later.level_id = "advanced";
  later.observed_on = On("2026-09-28");
  later.recorded_at = At("2026-09-28T15:00:00Z");
  later.note = "";
  facts = ReportCardTestFacts();
  facts.habits.push_back(later);
  auto two = Build(facts);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->habits.size(), 1u);
  EXPECT_EQ(two->habits[0].level_label, "Advanced");
  EXPECT_EQ(two->habits[0].observations, 2);
  EXPECT_EQ(two->habits[0].note, "");
}

TEST_F(ReportCardTest, CommentsAreNewestFirstWithoutVoidedReplacedOrUnsharedOnes) {
  auto card = Build(ReportCardTestFacts());
  ASSERT_TRUE(card.ok());
  std::vector<std::string> texts;
  for (const ReportCardComment& c : card->comments) texts.push_back(c.text);
  std::vector<std::string> expected{"Check the units in step 2.", "Nice graph, label the axes.",
                                    "Corrected feedback.", "Clear model of the equation."};
  EXPECT_EQ(texts, expected);
  EXPECT_EQ(card->comments[0].teacher, "Maya Rivera");
  EXPECT_EQ(card->comments[0].about, "B2 · Only");
  EXPECT_EQ(card->comments[1].about, "B2 · Slope poster");
  EXPECT_EQ(FormatDate(card->comments[1].on), "2026-09-23");
}

TEST_F(ReportCardTest, CommentsAreCappedToTheNewest) {
  const Person* student = roster_.FindPerson(kStudentId);
  ReportCardOptions options = ReportCardTestOptions();
  options.max_comments = 2;
  auto card = BuildReportCard(catalog_, roster_, *student, ReportCardTestFacts(), options);
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card->comments.size(), 2u);
  EXPECT_EQ(card->comments[0].text, "Check the units in step 2.");
}

TEST_F(ReportCardTest, AsOfLeavesOutWhatWasRecordedLater) {
  // The 19th: B1 is met and proposed, not yet confirmed; B2 not begun; the
  // habit not yet observed; the poster's feedback not yet written.
  auto card = Build(ReportCardTestFacts(), "2026-09-19");
  ASSERT_TRUE(card.ok());
  EXPECT_TRUE(card->earned.empty());
  ASSERT_EQ(card->in_progress.size(), 1u);
  EXPECT_EQ(card->in_progress[0].code, "B1");
  EXPECT_TRUE(card->in_progress[0].awaiting_confirmation);
  EXPECT_TRUE(card->habits.empty());
  for (const ReportCardComment& c : card->comments) {
    EXPECT_LE(c.on, On("2026-09-19")) << c.text;
  }
  // The 21st, the day of the confirmation: earned, with its credential.
  card = Build(ReportCardTestFacts(), "2026-09-21");
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card->earned.size(), 1u);
  EXPECT_TRUE(card->earned[0].credential.has_value());
}

TEST_F(ReportCardTest, AFactRecordedAfterTheDayDoesNotCountEvenIfDatedBefore) {
  ReportCardFacts facts = ReportCardTestFacts();
  RatingFact late = Rating(20, "B2.1", "advanced", "2026-09-26");
  late.recorded_at = At("2026-10-05T09:00:00Z");  // entered after the grading period
  facts.ratings.push_back(late);
  auto card = Build(facts, "2026-10-01");
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card->in_progress.size(), 1u);
  EXPECT_EQ(card->in_progress[0].cpes[0].level_label, "Emerging");
  card = Build(facts, "2026-10-05");
  ASSERT_TRUE(card.ok());
  ASSERT_EQ(card->in_progress.size(), 1u);
  EXPECT_TRUE(card->in_progress[0].cpes[0].at_goal);
  EXPECT_EQ(card->in_progress[0].goals_met, 1);
}

TEST_F(ReportCardTest, RefusesAPersonWhoIsNotAStudentAndAMissingDay) {
  const Person* teacher = roster_.FindPerson(kTeacherId);
  auto card = BuildReportCard(catalog_, roster_, *teacher, {}, ReportCardTestOptions());
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(card.status().message().find("student"), std::string::npos);
  ReportCardOptions no_day = ReportCardTestOptions();
  no_day.as_of = 0;
  card = BuildReportCard(catalog_, roster_, *roster_.FindPerson(kStudentId), {}, no_day);
  ASSERT_FALSE(card.ok());
  EXPECT_NE(card.status().message().find("as_of"), std::string::npos);
}

// The same card from a store: what LoadReportCard reads is what the facts say.
TEST(ReportCardStoreTest, LoadsOneStudentsFactsFromTheStore) {
  auto store = SqliteStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  Instant now = At("2026-10-01T12:00:00Z");
  auto service = CairnService::Open(std::move(store).value(), [&] { return now; });
  ASSERT_TRUE(service.ok());
  CairnService& svc = **service;
  ASSERT_TRUE(svc.LoadCatalog(TestCatalogJson().dump(), "test.json").ok());
  Store& s = svc.store();
  Id district = *s.InsertDistrict({0, "d", "Riverbend Unified"});
  Id school = *s.InsertSchool({0, "school-1", district, "Riverbend High"});
  Id course = *s.InsertCourse({0, "course-1", district, "Algebra I"});
  Id section = *s.InsertSection({0, "sec-1", school, course, "Algebra I", "2026-27", {"B1"}});
  for (auto [id, role] :
       {std::pair{"stu-1", PersonRole::kStudent}, std::pair{"stu-2", PersonRole::kStudent},
        std::pair{"tch-1", PersonRole::kTeacher}}) {
    Person p;
    p.sourced_id = id;
    p.role = role;
    p.given_name = id;
    p.family_name = "Test";
    p.district_id = district;
    p.school_id = school;
    Id pid = *s.InsertPerson(p);
    ASSERT_TRUE(s.InsertEnrollment({section, pid, role == PersonRole::kTeacher}).ok());
  }
  for (const char* cpe : {"B1.1", "B1.2", "B1.3"}) {
    RatingInput in;
    in.student = "stu-1";
    in.cpe_id = cpe;
    in.level_id = "proficient";
    in.demonstrated_on = "2026-09-15";
    in.recorded_by = "tch-1";
    in.kind = std::string(cpe) == "B1.3" ? "performance_task" : "summative";
    in.note = std::string("note on ") + cpe;
    ASSERT_TRUE(svc.RecordRating(in).ok());
  }
  RatingInput other;
  other.student = "stu-2";
  other.cpe_id = "B1.1";
  other.level_id = "emerging";
  other.demonstrated_on = "2026-09-15";
  other.recorded_by = "tch-1";
  other.note = "Not for Ava";
  ASSERT_TRUE(svc.RecordRating(other).ok());
  ASSERT_TRUE(svc.Award("stu-1", "B1", AwardAction::kConfirmed, "tch-1", "").ok());
  HabitInput habit{"stu-1", "persistence", "advanced", "2026-09-16", "tch-1", ""};
  ASSERT_TRUE(svc.RecordHabit(habit).ok());

  auto roster = s.LoadRoster();
  ASSERT_TRUE(roster.ok());
  const Person* ava = roster->FindPersonBySourcedId("stu-1");
  auto card = LoadReportCard(s, svc.catalog(), *roster, *ava, ReportCardTestOptions());
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  EXPECT_EQ(card->school, "Riverbend High");
  ASSERT_EQ(card->earned.size(), 1u);
  EXPECT_EQ(card->earned[0].code, "B1");
  EXPECT_FALSE(card->earned[0].credential.has_value());  // nothing issued it
  ASSERT_EQ(card->habits.size(), 1u);
  EXPECT_EQ(card->habits[0].level_label, "Advanced");
  ASSERT_EQ(card->comments.size(), 3u);
  for (const ReportCardComment& c : card->comments) EXPECT_NE(c.text, "Not for Ava");
}

}  // namespace
}  // namespace cairn
