#include "service/cairn_service.h"

#include <gtest/gtest.h>

#include <sstream>

#include "reports/tracking_sheet.h"
#include "store/sqlite_store.h"
#include "testing/test_catalog.h"

namespace cairn {
namespace {

class CairnServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    now_ = *ParseInstant("2026-10-01T12:00:00Z");
    auto store = SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.ok());
    auto service = CairnService::Open(std::move(store).value(), [this] { return now_; });
    ASSERT_TRUE(service.ok());
    service_ = std::move(service).value();
    ASSERT_TRUE(service_->LoadCatalog(testing::TestCatalogJson().dump(), "test.json").ok());
    Store& s = service_->store();
    Id district = *s.InsertDistrict({0, "d", "District"});
    Id school = *s.InsertSchool({0, "school-1", district, "Riverbend High"});
    Id course = *s.InsertCourse({0, "course-1", district, "Algebra I"});
    Section section;
    section.sourced_id = "sec-1";
    section.school_id = school;
    section.course_id = course;
    section.title = "Algebra I - P2";
    section.badges = {"B1", "B2"};
    Id section_id = *s.InsertSection(section);
    for (const auto& [id, role, name] :
         std::vector<std::tuple<std::string, PersonRole, std::string>>{
             {"stu-1", PersonRole::kStudent, "Ava"},
             {"stu-2", PersonRole::kStudent, "Noah"},
             {"tch-1", PersonRole::kTeacher, "Ms Rivera"},
             {"gdn-1", PersonRole::kGuardian, "Sam"}}) {
      Person p;
      p.sourced_id = id;
      p.role = role;
      p.given_name = name;
      p.family_name = "Test";
      p.district_id = district;
      p.school_id = school;
      Id pid = *s.InsertPerson(p);
      if (role != PersonRole::kGuardian) {
        ASSERT_TRUE(s.InsertEnrollment({section_id, pid, role == PersonRole::kTeacher}).ok());
      }
    }
  }

  RatingInput Input(const std::string& cpe, const std::string& level,
                    const std::string& date = "2026-09-15", const std::string& kind = "summative") {
    RatingInput input;
    input.student = "stu-1";
    input.cpe_id = cpe;
    input.level_id = level;
    input.demonstrated_on = date;
    input.recorded_by = "tch-1";
    input.kind = kind;
    return input;
  }

  std::size_t RatingCount() {
    std::size_t count = 0;
    EXPECT_TRUE(
        service_->store().ForEachRating(std::nullopt, [&](const RatingFact&) { ++count; }).ok());
    return count;
  }

  // Records enough to meet B1's rule for stu-1.
  void MeetB1() {
    ASSERT_TRUE(service_->RecordRating(Input("B1.1", "proficient")).ok());
    ASSERT_TRUE(service_->RecordRating(Input("B1.2", "advanced")).ok());
    ASSERT_TRUE(
        service_->RecordRating(Input("B1.3", "proficient", "2026-09-20", "performance_task")).ok());
  }

  Instant now_ = 0;
  std::unique_ptr<CairnService> service_;
};

TEST_F(CairnServiceTest, RecordingReturnsTheNewStatusAndExplanation) {
  auto outcome = service_->RecordRating(Input("B1.1", "emerging"));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_GT(outcome->fact_id, 0);
  EXPECT_TRUE(outcome->cpe.has_value);
  EXPECT_DOUBLE_EQ(outcome->cpe.value, 2.0);
  EXPECT_FALSE(outcome->badge.met);
  EXPECT_EQ(outcome->badge.badge_code, "B1");
  EXPECT_FALSE(outcome->award_action.has_value());
  auto stored = service_->store().FindRating(outcome->fact_id);
  EXPECT_EQ((*stored)->recorded_at, now_);
}

TEST_F(CairnServiceTest, BadInputNamesTheFieldAndWritesNothing) {
  struct Case {
    std::function<void(RatingInput&)> mutate;
    StatusCode code;
    std::string field;
  };
  const std::vector<Case> cases{
      {[](RatingInput& i) { i.student = "nobody"; }, StatusCode::kNotFound, "student:"},
      {[](RatingInput& i) { i.student = "tch-1"; }, StatusCode::kInvalidArgument, "student:"},
      {[](RatingInput& i) { i.recorded_by = "gdn-1"; }, StatusCode::kInvalidArgument,
       "recorded_by:"},
      {[](RatingInput& i) { i.recorded_by = "stu-2"; }, StatusCode::kInvalidArgument,
       "recorded_by:"},
      {[](RatingInput& i) { i.cpe_id = "B7.1"; }, StatusCode::kNotFound, "cpe:"},
      {[](RatingInput& i) { i.level_id = "excellent"; }, StatusCode::kInvalidArgument, "level:"},
      {[](RatingInput& i) { i.indicator_id = "B1.2.z"; }, StatusCode::kInvalidArgument,
       "indicator:"},
      {[](RatingInput& i) { i.kind = "homework"; }, StatusCode::kInvalidArgument, "kind:"},
      {[](RatingInput& i) { i.demonstrated_on = "2026-02-30"; }, StatusCode::kInvalidArgument,
       "demonstrated_on:"},
      {[](RatingInput& i) { i.demonstrated_on = "2026-10-03"; }, StatusCode::kInvalidArgument,
       "demonstrated_on:"},
      {[](RatingInput& i) { i.corrects = 4242; }, StatusCode::kNotFound, "corrects:"},
  };
  for (const Case& c : cases) {
    RatingInput input = Input("B1.1", "proficient");
    c.mutate(input);
    auto outcome = service_->RecordRating(input);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.status().code(), c.code) << outcome.status().ToString();
    EXPECT_EQ(outcome.status().message().rfind(c.field, 0), 0u) << outcome.status().message();
  }
  EXPECT_EQ(RatingCount(), 0u);
}

TEST_F(CairnServiceTest, CorrectionMustBelongToTheSameStudent) {
  RatingInput other = Input("B1.1", "emerging");
  other.student = "stu-2";
  FactId theirs = service_->RecordRating(other)->fact_id;
  RatingInput fix = Input("B1.1", "advanced");
  fix.corrects = theirs;
  auto outcome = service_->RecordRating(fix);
  EXPECT_EQ(outcome.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RatingCount(), 1u);
}

TEST_F(CairnServiceTest, MeetingTheRuleProposesAndATeacherConfirms) {
  MeetB1();
  auto explanation = service_->Explain("stu-1", "B1");
  ASSERT_TRUE(explanation.ok());
  EXPECT_TRUE(explanation->met);
  auto progress = service_->Progress("stu-1");
  ASSERT_TRUE(progress.ok());
  EXPECT_EQ(progress->badges[0].award.state, AwardState::kProposed);
  EXPECT_EQ(progress->badges[0].standing.state, PathwayState::kInProgress);
  EXPECT_EQ(progress->badges[1].standing.state, PathwayState::kLocked);

  now_ += 86400;
  auto confirmed = service_->Award("stu-1", "B1", AwardAction::kConfirmed, "tch-1", "");
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_EQ(confirmed->state, AwardState::kConfirmed);
  EXPECT_EQ(confirmed->confirmed_at, now_);
  progress = service_->Progress("stu-1");
  EXPECT_EQ(progress->badges[0].standing.state, PathwayState::kEarned);
  EXPECT_EQ(progress->badges[1].standing.state, PathwayState::kAvailable);

  // Confirming twice is refused and writes nothing.
  auto again = service_->Award("stu-1", "B1", AwardAction::kConfirmed, "tch-1", "");
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_->store().Awards(std::nullopt)->size(), 2u);
}

TEST_F(CairnServiceTest, AutoAwardConfirmsWithoutATeacher) {
  ASSERT_TRUE(service_->SetAutoAward(true).ok());
  ASSERT_TRUE(service_->RecordRating(Input("B1.1", "proficient")).ok());
  ASSERT_TRUE(service_->RecordRating(Input("B1.2", "advanced")).ok());
  auto last = service_->RecordRating(Input("B1.3", "proficient", "2026-09-20", "performance_task"));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->award_action, AwardAction::kConfirmed);
  auto awards = service_->store().Awards(std::nullopt);
  ASSERT_EQ(awards->size(), 2u);  // proposed, then confirmed: both in the history
  EXPECT_EQ((*awards)[0].action, AwardAction::kProposed);
  EXPECT_EQ((*awards)[1].action, AwardAction::kConfirmed);
  EXPECT_FALSE((*awards)[1].recorded_by.has_value());
}

TEST_F(CairnServiceTest, AwardsSurviveVoidsAndStricterRules) {
  ASSERT_TRUE(service_->SetAutoAward(true).ok());
  MeetB1();
  // A void makes the rule unmet, but the award stays until a person acts.
  ASSERT_TRUE(service_->Void(1, "entered twice", "tch-1").ok());
  EXPECT_FALSE(service_->Explain("stu-1", "B1")->met);
  EXPECT_EQ(service_->Progress("stu-1")->badges[0].award.state, AwardState::kConfirmed);

  // A stricter rule in a new catalog version does not remove it either.
  auto json = testing::TestCatalogJson();
  json["badges"][0]["award_rule"]["min_evidence_per_cpe"] = 3;
  ASSERT_TRUE(service_->LoadCatalog(json.dump(), "stricter.json").ok());
  EXPECT_EQ(service_->Progress("stu-1")->badges[0].award.state, AwardState::kConfirmed);

  // Revocation needs a reason, and is itself a fact.
  EXPECT_EQ(service_->Award("stu-1", "B1", AwardAction::kRevoked, "tch-1", "").status().code(),
            StatusCode::kInvalidArgument);
  auto revoked = service_->Award("stu-1", "B1", AwardAction::kRevoked, "tch-1",
                                 "evidence was not the student's own");
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->state, AwardState::kRevoked);
  EXPECT_EQ(service_->store().Awards(std::nullopt)->size(), 3u);
}

TEST_F(CairnServiceTest, VoidNeedsReasonAndKnownRatingAndOnlyOnce) {
  FactId id = service_->RecordRating(Input("B1.1", "proficient"))->fact_id;
  EXPECT_EQ(service_->Void(id, "", "tch-1").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->Void(999, "typo", "tch-1").code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Void(id, "typo", "stu-1").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(service_->Void(id, "typo", "tch-1").ok());
  EXPECT_EQ(service_->Void(id, "typo", "tch-1").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(service_->Explain("stu-1", "B1")->cpes[0].reason, "No evidence yet.");
}

TEST_F(CairnServiceTest, DistrictCalculationSettingApplies) {
  ASSERT_TRUE(service_->RecordRating(Input("B1.1", "advanced", "2026-09-01")).ok());
  ASSERT_TRUE(service_->RecordRating(Input("B1.1", "emerging", "2026-09-02")).ok());
  EXPECT_DOUBLE_EQ(service_->Explain("stu-1", "B1")->cpes[0].value, 2.0);
  ASSERT_TRUE(service_->SetDefaultCalculation({Method::kHighest, 3, 0.65, false}).ok());
  EXPECT_DOUBLE_EQ(service_->Explain("stu-1", "B1")->cpes[0].value, 4.0);
}

TEST_F(CairnServiceTest, CatalogValidationFailureKeepsTheCatalogInForce) {
  auto json = testing::TestCatalogJson();
  json["badges"][1]["prerequisites"] = {"B9"};
  auto loaded = service_->LoadCatalog(json.dump(), "broken.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("broken.json: $.badges[1].prerequisites[0]"),
            std::string::npos)
      << loaded.status().message();
  EXPECT_EQ((*service_->store().LatestCatalog())->source, "test.json");
  EXPECT_TRUE(service_->has_catalog());
}

TEST_F(CairnServiceTest, TrackingSheetListsWhatRemains) {
  MeetB1();
  now_ = *ParseInstant("2026-10-03T09:00:00Z");
  ASSERT_TRUE(service_->Award("stu-1", "B1", AwardAction::kConfirmed, "tch-1", "").ok());
  auto rows = service_->TrackingSheet();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);  // 2 students x 2 badges
  const TrackingRow& done = (*rows)[0];
  EXPECT_EQ(done.student_id, "stu-1");
  EXPECT_EQ(done.badge, "B1");
  EXPECT_TRUE(done.completed);
  EXPECT_EQ(done.completed_on, "2026-10-03");
  EXPECT_EQ(done.teacher_name, "Ms Rivera Test");
  EXPECT_EQ(done.school, "Riverbend High");
  EXPECT_EQ(done.course, "Algebra I");
  const TrackingRow& next = (*rows)[1];
  EXPECT_EQ(next.badge, "B2");
  EXPECT_FALSE(next.completed);
  EXPECT_EQ(next.remaining, std::vector<std::string>{"B2.1 Only at mastery"});

  std::ostringstream csv;
  WriteTrackingSheetCsv(csv, *rows);
  const std::string text = csv.str();
  EXPECT_EQ(text.substr(0, text.find("\r\n")),
            "Student Name,Student ID,Teacher Name,School,Course,Section,Badge,Completed,"
            "Date of Completion,What Remains Incomplete,Last Evidence,Supports");
  EXPECT_NE(text.find("Ava Test,stu-1,Ms Rivera Test,Riverbend High,Algebra I,Algebra I - P2,"
                      "B1,Yes,2026-10-03,N/A,"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Noah Test,stu-2,Ms Rivera Test,Riverbend High,Algebra I,Algebra I - P2,"
                      "B1,No,N/A,B1.1 First at mastery; B1.2 Second at mastery; B1.3 Third at "
                      "mastery; Performance task at mastery,"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

TEST_F(CairnServiceTest, HabitsOfWorkStayOutOfMastery) {
  ASSERT_TRUE(service_->RecordRating(Input("B1.1", "emerging")).ok());
  HabitInput habit{"stu-1", "persistence", "advanced", "2026-09-10", "tch-1", "kept revising"};
  ASSERT_TRUE(service_->RecordHabit(habit).ok());
  habit.level_id = "not_yet";
  habit.observed_on = "2026-09-01";  // older observation, recorded later
  ASSERT_TRUE(service_->RecordHabit(habit).ok());
  auto progress = service_->Progress("stu-1");
  ASSERT_TRUE(progress.ok());
  ASSERT_EQ(progress->habits.size(), 1u);
  EXPECT_EQ(progress->habits[0].level_id, "advanced");  // the latest observed
  EXPECT_EQ(progress->habits[0].observations, 2);
  // The academic status is untouched by habit observations.
  EXPECT_DOUBLE_EQ(progress->badges[0].explanation.cpes[0].value, 2.0);
  EXPECT_EQ(progress->badges[0].explanation.cpes[0].evidence_count, 1);

  habit.habit_id = "charm";
  EXPECT_EQ(service_->RecordHabit(habit).status().code(), StatusCode::kNotFound);
  habit.habit_id = "persistence";
  habit.recorded_by = "gdn-1";
  EXPECT_EQ(service_->RecordHabit(habit).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->store().Habits(std::nullopt)->size(), 2u);
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

// The writer keeps a live index; its answers must equal the per-call ones.
TEST_F(CairnServiceTest, LiveIndexAnswersLikeAFreshRead) {
  service_->KeepLiveIndex();
  ASSERT_TRUE(service_->RecordRating(Input("B1.1", "proficient")).ok());
  ASSERT_TRUE(service_->RecordRating(Input("B1.2", "advanced")).ok());
  auto last = service_->RecordRating(Input("B1.3", "proficient", "2026-09-20", "performance_task"));
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->badge.met);
  EXPECT_EQ(last->award_action, AwardAction::kProposed);
  ASSERT_TRUE(service_->Void(last->fact_id, "wrong task", "tch-1").ok());
  auto after_void = service_->RecordRating(Input("B1.1", "advanced", "2026-09-21"));
  ASSERT_TRUE(after_void.ok());
  // The void reached the live index: B1.3 has no evidence left.
  EXPECT_FALSE(after_void->badge.met);
  EXPECT_EQ(after_void->badge.cpes[2].reason, "No evidence yet.");
  EXPECT_EQ(after_void->badge.cpes[0].level_id, "advanced");
  // Same as a fresh read of the store.
  auto fresh = service_->Explain("stu-1", "B1");
  EXPECT_EQ(fresh->cpes[0].level_id, "advanced");
  EXPECT_EQ(fresh->cpes[2].reason, "No evidence yet.");
}

// As the server's writer works: Refresh, then a batch of requests in one
// transaction, where new ratings go straight into the live index unless a
// void or an award was written in between.
TEST_F(CairnServiceTest, LiveIndexInsideABatchAnswersLikeAFreshRead) {
  service_->KeepLiveIndex();
  ASSERT_TRUE(service_->RecordRating(Input("B1.1", "emerging")).ok());  // loads the index
  ASSERT_TRUE(service_->Refresh().ok());
  Status batch = service_->store().Transact([&]() -> Status {
    EXPECT_TRUE(service_->RecordRating(Input("B1.1", "proficient", "2026-09-16")).ok());
    EXPECT_TRUE(service_->RecordRating(Input("B1.2", "advanced")).ok());
    auto last =
        service_->RecordRating(Input("B1.3", "proficient", "2026-09-20", "performance_task"));
    EXPECT_TRUE(last.ok() && last->badge.met);
    EXPECT_EQ(last->award_action, AwardAction::kProposed);
    EXPECT_TRUE(service_->Void(last->fact_id, "wrong task", "tch-1").ok());
    auto after_void = service_->RecordRating(Input("B1.1", "advanced", "2026-09-21"));
    EXPECT_TRUE(after_void.ok());
    EXPECT_FALSE(after_void->badge.met);
    EXPECT_EQ(after_void->badge.cpes[2].reason, "No evidence yet.");
    RatingInput other = Input("B1.1", "not_yet", "2026-09-22");
    other.student = "stu-2";
    auto second_student = service_->RecordRating(other);
    EXPECT_TRUE(second_student.ok());
    EXPECT_EQ(second_student->badge.cpes[0].evidence_count, 1);
    return Status::Ok();
  });
  ASSERT_TRUE(batch.ok());
  // The live index saw each rating once: three on B1.1, one on B1.2, none
  // left on B1.3, and stu-2's own.
  auto live = service_->RecordRating(Input("B1.2", "advanced", "2026-09-23"));
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->badge.cpes[0].evidence_count, 3);
  EXPECT_EQ(live->badge.cpes[0].level_id, "advanced");
  EXPECT_EQ(live->badge.cpes[1].evidence_count, 2);
  EXPECT_EQ(live->badge.cpes[2].evidence_count, 0);
  RatingInput other = Input("B1.2", "emerging");
  other.student = "stu-2";
  auto live_other = service_->RecordRating(other);
  ASSERT_TRUE(live_other.ok());
  EXPECT_EQ(live_other->badge.cpes[0].evidence_count, 1);
  EXPECT_EQ(live_other->badge.cpes[0].level_id, "not_yet");
}

// A settings change reloads the catalog and drops the live index, also in
// the middle of a batch; the next rating rebuilds it.
TEST_F(CairnServiceTest, SettingsChangeInsideABatchRebuildsTheLiveIndex) {
  service_->KeepLiveIndex();
  ASSERT_TRUE(service_->Refresh().ok());
  Status batch = service_->store().Transact([&]() -> Status {
    EXPECT_TRUE(service_->RecordRating(Input("B1.1", "proficient")).ok());
    EXPECT_TRUE(service_->RecordRating(Input("B1.2", "advanced")).ok());
    EXPECT_TRUE(service_->SetAutoAward(true).ok());
    auto next = service_->RecordRating(Input("B1.1", "advanced", "2026-09-17"));
    EXPECT_TRUE(next.ok());
    EXPECT_EQ(next->badge.cpes[0].evidence_count, 2);
    EXPECT_EQ(next->badge.cpes[1].evidence_count, 1);
    return Status::Ok();
  });
  EXPECT_TRUE(batch.ok());
}

TEST_F(CairnServiceTest, LiveIndexAheadOfARollbackIsDropped) {
  service_->KeepLiveIndex();
  ASSERT_TRUE(service_->RecordRating(Input("B1.1", "emerging")).ok());
  const ChangeMarks before = service_->LiveIndexApplied();
  Status rolled_back = service_->store().Transact([&]() -> Status {
    EXPECT_TRUE(service_->RecordRating(Input("B1.1", "advanced", "2026-09-16")).ok());
    return Status::Invalid("a later step failed");
  });
  EXPECT_FALSE(rolled_back.ok());
  EXPECT_FALSE(service_->LiveIndexApplied() == before);  // saw the rolled-back rating
  service_->DropLiveIndex();
  auto next = service_->RecordRating(Input("B1.2", "emerging"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->badge.cpes[0].level_id, "emerging");  // the rollback left no trace
}

}  // namespace
}  // namespace cairn
