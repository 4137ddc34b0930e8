// The storage contract, written once for every engine (kEngines): SQLite in
// memory, and PostgreSQL on the test binary's throwaway cluster
// (testing/pg_cluster.h), a fresh database per test. Engine specifics are in
// the SqliteStoreTest cases below and in pg_store_test.cpp.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <algorithm>

#include <unistd.h>

#include <filesystem>
#include <functional>

#include "store/pg_store.h"
#include "store/sqlite_store.h"
#include "testing/pg_cluster.h"

namespace cairn {
namespace {

struct Engine {
  const char* name;
  // A new, empty store; null with the reason in `why` when the engine is
  // not available here (the test is skipped, or fails in CI).
  std::function<std::unique_ptr<Store>(std::string* why)> open;
};

void PrintTo(const Engine& engine, std::ostream* os) { *os << engine.name; }

std::unique_ptr<Store> OpenSqliteMemory(std::string* why) {
  auto store = SqliteStore::Open(":memory:");
  if (!store.ok()) {
    *why = store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

std::unique_ptr<Store> OpenPostgres(std::string* why) {
  auto uri = testing::PgTestDatabase(why);
  if (!uri) return nullptr;
  auto store = PgStore::Open(*uri);
  if (!store.ok()) {
    [&] { FAIL() << store.status().ToString(); }();  // fatal: SetUp's skip runs no body
    *why = store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

class StoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    std::string why;
    store_ = GetParam().open(&why);
    if (!store_) GTEST_SKIP() << why;
    district_ = *store_->InsertDistrict({0, "d1", "District"});
    school_ = *store_->InsertSchool({0, "s1", district_, "School"});
    student_ = *store_->InsertPerson(MakePerson("stu-1", PersonRole::kStudent));
    teacher_ = *store_->InsertPerson(MakePerson("tch-1", PersonRole::kTeacher));
  }

  Person MakePerson(const std::string& sourced_id, PersonRole role) {
    Person p;
    p.sourced_id = sourced_id;
    p.role = role;
    p.given_name = "Given";
    p.family_name = "Family";
    p.district_id = district_;
    p.school_id = school_;
    return p;
  }

  RatingFact MakeRating(const std::string& level = "proficient") {
    RatingFact fact;
    fact.student_id = student_;
    fact.cpe_id = "M101.1";
    fact.level_id = level;
    fact.demonstrated_on = *ParseDate("2026-09-14");
    fact.recorded_at = *ParseInstant("2026-09-20T10:00:00Z");
    fact.recorded_by = teacher_;
    fact.kind = EvidenceKind::kPerformanceTask;
    fact.note = "Clear model, check units";
    return fact;
  }

  // The stored ratings' levels, in id order.
  std::vector<std::string> StoredLevels() {
    std::vector<std::string> levels;
    EXPECT_TRUE(store_
                    ->ForEachRating(std::nullopt,
                                    [&](const RatingFact& r) { levels.push_back(r.level_id); })
                    .ok());
    return levels;
  }

  std::size_t RatingCount() {
    std::size_t count = 0;
    EXPECT_TRUE(store_->ForEachRating(std::nullopt, [&](const RatingFact&) { ++count; }).ok());
    return count;
  }

  std::unique_ptr<Store> store_;
  Id district_ = 0, school_ = 0, student_ = 0, teacher_ = 0;
};

TEST_P(StoreTest, RatingsRoundTripWithEveryField) {
  RatingFact fact = MakeRating();
  fact.indicator_id = "M101.1.a";
  fact.artifact_ref = "https://example.test/work/1";
  auto id = store_->AppendRating(fact);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto read = store_->FindRating(*id);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->has_value());
  const RatingFact& r = **read;
  EXPECT_EQ(r.id, *id);
  EXPECT_EQ(r.student_id, student_);
  EXPECT_EQ(r.cpe_id, "M101.1");
  EXPECT_EQ(r.indicator_id, "M101.1.a");
  EXPECT_EQ(r.level_id, "proficient");
  EXPECT_EQ(r.demonstrated_on, fact.demonstrated_on);
  EXPECT_EQ(r.recorded_at, fact.recorded_at);
  EXPECT_EQ(r.recorded_by, teacher_);
  EXPECT_EQ(r.kind, EvidenceKind::kPerformanceTask);
  EXPECT_EQ(r.note, fact.note);
  EXPECT_EQ(r.artifact_ref, fact.artifact_ref);
  EXPECT_FALSE(r.corrects.has_value());
  EXPECT_FALSE(store_->FindRating(*id + 100)->has_value());
}

TEST_P(StoreTest, CorrectionsAndVoidsAreNewFacts) {
  FactId first = *store_->AppendRating(MakeRating("emerging"));
  RatingFact fix = MakeRating("proficient");
  fix.corrects = first;
  FactId second = *store_->AppendRating(fix);
  EXPECT_EQ((*store_->FindRating(second))->corrects, first);
  VoidFact v{0, second, student_, "duplicate entry", fix.recorded_at, teacher_};
  ASSERT_TRUE(store_->AppendVoid(v).ok());
  // A second void of the same rating is refused.
  EXPECT_EQ(store_->AppendVoid(v).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(RatingCount(), 2u);
  auto voids = store_->Voids(student_);
  ASSERT_EQ(voids->size(), 1u);
  EXPECT_EQ((*voids)[0].reason, "duplicate entry");
  // The original is still there, unchanged.
  EXPECT_EQ((*store_->FindRating(first))->level_id, "emerging");
}

TEST_P(StoreTest, UnknownReferencesAreRefusedAndWriteNothing) {
  RatingFact fact = MakeRating();
  fact.student_id = 999;
  EXPECT_EQ(store_->AppendRating(fact).status().code(), StatusCode::kNotFound);
  fact = MakeRating();
  fact.corrects = 12345;
  EXPECT_EQ(store_->AppendRating(fact).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(RatingCount(), 0u);
  EXPECT_EQ(store_->InsertSchool({0, "s2", 999, "Nowhere"}).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreTest, DuplicateSourcedIdsAreRefused) {
  auto again = store_->InsertPerson(MakePerson("stu-1", PersonRole::kStudent));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("stu-1"), std::string::npos);
}

TEST_P(StoreTest, FailedTransactionLeavesNothingBehind) {
  Status status = store_->Transact([&]() -> Status {
    CAIRN_RETURN_IF_ERROR(store_->AppendRating(MakeRating()).status());
    CAIRN_RETURN_IF_ERROR(store_->AppendRating(MakeRating()).status());
    return Status::Invalid("row 3: bad level");
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RatingCount(), 0u);
  ASSERT_TRUE(
      store_->Transact([&]() -> Status { return store_->AppendRating(MakeRating()).status(); })
          .ok());
  EXPECT_EQ(RatingCount(), 1u);
}

TEST_P(StoreTest, NestedTransactionsJoinTheOuterOne) {
  Status status = store_->Transact([&]() -> Status {
    CAIRN_RETURN_IF_ERROR(
        store_->Transact([&]() -> Status { return store_->AppendRating(MakeRating()).status(); }));
    return Status::Invalid("outer fails");
  });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(RatingCount(), 0u);
}

TEST_P(StoreTest, FailedNestedTransactionUndoesOnlyItsOwnWrites) {
  Status status = store_->Transact([&]() -> Status {
    CAIRN_RETURN_IF_ERROR(store_->AppendRating(MakeRating("emerging")).status());
    Status inner = store_->Transact([&]() -> Status {
      CAIRN_RETURN_IF_ERROR(store_->AppendRating(MakeRating("advanced")).status());
      return Status::Invalid("level: rejected");
    });
    EXPECT_FALSE(inner.ok());
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(StoredLevels(), std::vector<std::string>{"emerging"});
}

// The writer's shape (server/group_commit.h): each request in a savepoint,
// services nesting their own inside; some write nothing, some fail after a
// released inner one, some fail on a statement. Only the failed ones leave
// nothing (the PostgreSQL engine defers and merges its savepoint commands).
TEST_P(StoreTest, SavepointsNestAndRollBackInAnyShape) {
  auto append = [&](const char* level) { return store_->AppendRating(MakeRating(level)).status(); };
  Status status = store_->Transact([&]() -> Status {
    // Writes, inside a nested one: kept.
    EXPECT_TRUE(
        store_->Transact([&] { return store_->Transact([&] { return append("emerging"); }); })
            .ok());
    // Writes nothing and succeeds, then nothing and fails.
    EXPECT_TRUE(store_->Transact([&] { return Status::Ok(); }).ok());
    EXPECT_FALSE(store_->Transact([&] { return Status::Invalid("refused"); }).ok());
    // A released inner write, then the outer one fails: both undone.
    EXPECT_FALSE(store_
                     ->Transact([&]() -> Status {
                       CAIRN_RETURN_IF_ERROR(store_->Transact([&] { return append("advanced"); }));
                       return Status::Invalid("refused after the inner one");
                     })
                     .ok());
    // A statement fails inside (an unknown student): undone, the rest goes on.
    EXPECT_FALSE(store_
                     ->Transact([&]() -> Status {
                       RatingFact bad = MakeRating("advanced");
                       bad.student_id = 987654;
                       return store_->AppendRating(bad).status();
                     })
                     .ok());
    // A failed inner one under a kept outer one.
    EXPECT_TRUE(store_
                    ->Transact([&]() -> Status {
                      CAIRN_RETURN_IF_ERROR(append("proficient"));
                      EXPECT_FALSE(store_
                                       ->Transact([&]() -> Status {
                                         CAIRN_RETURN_IF_ERROR(append("advanced"));
                                         return Status::Invalid("refused");
                                       })
                                       .ok());
                      return Status::Ok();
                    })
                    .ok());
    return append("not_yet");
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(StoredLevels(), (std::vector<std::string>{"emerging", "proficient", "not_yet"}));
}

TEST_P(StoreTest, RosterRoundTrip) {
  Id course = *store_->InsertCourse({0, "c1", district_, "Algebra I"});
  Section section;
  section.sourced_id = "sec-1";
  section.school_id = school_;
  section.course_id = course;
  section.title = "Algebra I - P1";
  section.term = "2026-27";
  section.badges = {"M101", "M102"};
  Id section_id = *store_->InsertSection(section);
  ASSERT_TRUE(store_->InsertEnrollment({section_id, student_, false}).ok());
  ASSERT_TRUE(store_->InsertEnrollment({section_id, teacher_, true}).ok());
  Person guardian = MakePerson("gdn-1", PersonRole::kGuardian);
  guardian.school_id.reset();
  Id guardian_id = *store_->InsertPerson(guardian);
  ASSERT_TRUE(store_->InsertGuardianLink({guardian_id, student_, "parent"}).ok());

  auto roster = store_->LoadRoster();
  ASSERT_TRUE(roster.ok());
  ASSERT_EQ(roster->sections.size(), 1u);
  EXPECT_EQ(roster->sections[0].badges, (std::vector<std::string>{"M101", "M102"}));
  ASSERT_EQ(roster->StudentsIn(section_id).size(), 1u);
  EXPECT_EQ(roster->StudentsIn(section_id)[0]->sourced_id, "stu-1");
  EXPECT_EQ(roster->TeachersOf(section_id)[0]->sourced_id, "tch-1");
  EXPECT_EQ(roster->FindPersonBySourcedId("gdn-1")->role, PersonRole::kGuardian);
  EXPECT_FALSE(roster->FindPersonBySourcedId("gdn-1")->school_id.has_value());
  ASSERT_EQ(roster->guardian_links.size(), 1u);
  EXPECT_EQ(roster->guardian_links[0].student_id, student_);
  auto found = store_->FindPerson("tch-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, teacher_);
  EXPECT_FALSE(store_->FindPerson("nobody")->has_value());
}

TEST_P(StoreTest, DemographicsKeepUnknownApartFromNo) {
  Person p = MakePerson("stu-2", PersonRole::kStudent);
  p.demographics.grade = "10";
  p.demographics.english_learner = false;
  p.demographics.disability = true;
  ASSERT_TRUE(store_->InsertPerson(p).ok());
  auto read = store_->FindPerson("stu-2");
  const Demographics& d = (*read)->demographics;
  EXPECT_EQ(d.grade, "10");
  EXPECT_EQ(d.english_learner, std::optional<bool>(false));
  EXPECT_EQ(d.disability, std::optional<bool>(true));
  EXPECT_FALSE(d.economically_disadvantaged.has_value());
}

TEST_P(StoreTest, AwardsHabitsCatalogAndSettings) {
  AwardFact award;
  award.student_id = student_;
  award.badge_code = "M101";
  award.action = AwardAction::kProposed;
  award.recorded_at = 1000;
  award.explanation_json = "{}";
  ASSERT_TRUE(store_->AppendAward(award).ok());
  award.action = AwardAction::kConfirmed;
  award.recorded_by = teacher_;
  ASSERT_TRUE(store_->AppendAward(award).ok());
  auto awards = store_->Awards(student_);
  ASSERT_EQ(awards->size(), 2u);
  EXPECT_FALSE((*awards)[0].recorded_by.has_value());
  EXPECT_EQ((*awards)[1].recorded_by, teacher_);
  EXPECT_EQ((*awards)[1].action, AwardAction::kConfirmed);

  HabitFact habit{0, student_, "persistence", "consistent", 20000, 20000 * 86400, teacher_, ""};
  ASSERT_TRUE(store_->AppendHabit(habit).ok());
  EXPECT_EQ((*store_->Habits(student_))[0].habit_id, "persistence");

  EXPECT_FALSE(store_->LatestCatalog()->has_value());
  ASSERT_TRUE(store_->AddCatalogVersion({0, 5, "a.json", "{\"v\":1}"}).ok());
  ASSERT_TRUE(store_->AddCatalogVersion({0, 6, "b.json", "{\"v\":2}"}).ok());
  EXPECT_EQ((*store_->LatestCatalog())->source, "b.json");

  EXPECT_FALSE(store_->GetSetting("auto_award")->has_value());
  ASSERT_TRUE(store_->PutSetting("auto_award", "true").ok());
  ASSERT_TRUE(store_->PutSetting("auto_award", "false").ok());
  EXPECT_EQ(**store_->GetSetting("auto_award"), "false");
}

// Sign-in caches trust an entry while this mark stands still, so anything
// that ends or narrows access must move it; a new session need not.
TEST_P(StoreTest, AccessMarkMovesWhenAccessEnds) {
  auto access = [&] { return store_->Marks()->access; };
  Id account = *store_->InsertAccount({0, teacher_, "tch", "hash", false, 1});
  const std::int64_t start = access();
  ASSERT_TRUE(store_->InsertSession({"h1", account, "csrf", 1, 100}).ok());
  ASSERT_TRUE(store_->InsertSession({"h2", account, "csrf", 1, 100}).ok());
  Id token = *store_->InsertApiToken({0, account, "sis", "t1", {"read"}, 1, std::nullopt});
  EXPECT_EQ(access(), start);

  std::int64_t before = access();
  ASSERT_TRUE(store_->DeleteSession("h1").ok());
  EXPECT_GT(access(), before);
  before = access();
  ASSERT_TRUE(store_->DeleteSessionsOf(account).ok());
  EXPECT_GT(access(), before);
  before = access();
  ASSERT_TRUE(store_->SetAccountDisabled(account, true).ok());
  EXPECT_GT(access(), before);
  before = access();
  ASSERT_TRUE(store_->SetPasswordHash(account, "other").ok());
  EXPECT_GT(access(), before);
  before = access();
  ASSERT_TRUE(store_->RevokeApiToken(token, 5).ok());
  EXPECT_GT(access(), before);
}

TEST_P(StoreTest, InvitationsCloseOnceAndKeepTheirHistory) {
  Invitation invitation;
  invitation.person_id = teacher_;
  invitation.token_hash = "h-invite";
  invitation.created_by = std::nullopt;
  invitation.created_at = 10;
  invitation.expires_at = 100;
  auto id = store_->InsertInvitation(invitation);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  invitation.token_hash = "h-other";
  invitation.person_id = 999999;  // nobody
  EXPECT_FALSE(store_->InsertInvitation(invitation).ok());

  auto found = store_->FindInvitation("h-invite");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->person_id, teacher_);
  EXPECT_EQ((*found)->expires_at, 100);
  EXPECT_TRUE((*found)->Open(50));
  EXPECT_FALSE((*found)->Open(100));
  EXPECT_FALSE(store_->FindInvitation("h-none")->has_value());

  ASSERT_TRUE(store_->CloseInvitation(*id, 20, /*used=*/true).ok());
  EXPECT_EQ(store_->CloseInvitation(*id, 21, /*used=*/false).code(), StatusCode::kNotFound);
  auto all = store_->Invitations();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].used_at, std::optional<Instant>(20));
  EXPECT_FALSE((*all)[0].revoked_at.has_value());
}

TEST_P(StoreTest, PortfolioRoundTripsAndRefusesUnknownReferences) {
  Artifact file{0, student_, std::string(64, 'a'), 2048, "image/png", "scan.png", teacher_, 100};
  Id artifact = *store_->InsertArtifact(file);
  EXPECT_EQ((*store_->FindArtifact(artifact))->name, "scan.png");
  EXPECT_FALSE(store_->FindArtifact(artifact + 1)->has_value());
  Artifact bad_hash = file;
  bad_hash.sha256 = "abc";
  EXPECT_EQ(store_->InsertArtifact(bad_hash).status().code(), StatusCode::kInvalidArgument);

  Id sub = *store_->InsertSubmission({0, student_, "M101", "Work", student_, 200});
  SubmissionVersion v;
  v.submission_id = sub;
  v.number = 1;
  v.author = student_;
  v.at = 210;
  v.text = "line one\nline two";
  v.link = "https://example.org/a";
  v.reflection = "mine";
  v.tags = {{"M101.1", "M101.1.a"}, {"M101.2", ""}};
  v.artifact_ids = {artifact};
  Id vid = *store_->AppendSubmissionVersion(v);
  SubmissionVersion same_number = v;
  EXPECT_EQ(store_->AppendSubmissionVersion(same_number).status().code(),
            StatusCode::kAlreadyExists);
  PortfolioEvent e;
  e.submission_id = sub;
  e.version_id = vid;
  e.kind = PortfolioEventKind::kFeedback;
  e.actor = teacher_;
  e.at = 220;
  e.message = "look here";
  e.anchor = Anchor{artifact, 2, 0.1, 0.2, 0.3, 0.4};
  ASSERT_TRUE(store_->AppendPortfolioEvent(e).ok());
  PortfolioEvent orphan = e;
  orphan.submission_id = sub + 100;
  EXPECT_FALSE(store_->AppendPortfolioEvent(orphan).ok());

  auto loaded = store_->LoadSubmission(sub);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  const SubmissionRecord& r = **loaded;
  EXPECT_EQ(r.submission.badge_code, "M101");
  ASSERT_EQ(r.versions.size(), 1u);
  EXPECT_EQ(r.versions[0].tags, v.tags);
  EXPECT_EQ(r.versions[0].artifact_ids, std::vector<Id>{artifact});
  EXPECT_EQ(r.versions[0].text, v.text);
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_TRUE(r.events[0].anchor.has_value());
  EXPECT_EQ(r.events[0].anchor->page, 2);
  EXPECT_DOUBLE_EQ(r.events[0].anchor->h, 0.4);
  EXPECT_EQ(r.events[0].kind, PortfolioEventKind::kFeedback);
  EXPECT_EQ(**store_->SubmissionOfVersion(vid), sub);
  EXPECT_EQ(store_->LoadSubmissions(student_)->size(), 1u);
  EXPECT_EQ(store_->LoadSubmissions(teacher_)->size(), 0u);
  EXPECT_EQ((*store_->LoadSubmissions(std::nullopt))[0].events.size(), 1u);

  CalibrationSession c{0, "Fall check", "M101", {"M101.1"}, {vid}, {teacher_}, teacher_, 300};
  Id cid = *store_->InsertCalibrationSession(c);
  CalibrationEvent ce{
      0, cid, CalibrationEventKind::kRating, teacher_, 310, 1, "M101.1", "proficient", ""};
  ASSERT_TRUE(store_->AppendCalibrationEvent(ce).ok());
  auto cal = store_->LoadCalibration(cid);
  ASSERT_TRUE(cal.ok() && cal->has_value());
  EXPECT_EQ((*cal)->session.items, std::vector<Id>{vid});
  EXPECT_EQ((*cal)->session.raters, std::vector<Id>{teacher_});
  ASSERT_EQ((*cal)->events.size(), 1u);
  EXPECT_EQ((*cal)->events[0].level, "proficient");
}

// Issue #12: a status list entry is unique per district and list, each
// list's fill is counted as credentials are inserted, and revoked credentials
// come from the revoke facts, each with the first revoke after its award.
TEST_P(StoreTest, StatusListEntriesAndRevokedCredentials) {
  auto award = [&](const std::string& badge, AwardAction action, const std::string& reason = "") {
    AwardFact a;
    a.student_id = student_;
    a.badge_code = badge;
    a.action = action;
    a.recorded_at = *ParseInstant("2026-10-01T10:00:00Z");
    a.reason = reason;
    return *store_->AppendAward(a);
  };
  auto credential = [&](FactId award_id, const std::string& badge, int list, std::int64_t index) {
    IssuedCredential c;
    c.uuid = "uuid-" + std::to_string(award_id);
    c.award_id = award_id;
    c.student_id = student_;
    c.district_id = district_;
    c.badge_code = badge;
    c.status_list = list;
    c.status_index = index;
    c.issued_at = 1000;
    c.body = "{}";
    return store_->InsertCredential(c);
  };
  EXPECT_EQ(store_->NewestStatusList(district_)->list, 0);
  EXPECT_EQ(store_->NewestStatusList(district_)->taken, 0);
  const FactId m101 = award("M101", AwardAction::kConfirmed);
  ASSERT_TRUE(credential(m101, "M101", 0, 7).ok());
  const FactId m102 = award("M102", AwardAction::kConfirmed);
  EXPECT_EQ(credential(m102, "M102", 0, 7).status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(credential(m102, "M102", 1, 7).ok());  // the same index in the next list
  const FactId m103 = award("M103", AwardAction::kConfirmed);
  ASSERT_TRUE(credential(m103, "M103", 1, 9).ok());
  EXPECT_TRUE(*store_->StatusSlotTaken(district_, 0, 7));
  EXPECT_FALSE(*store_->StatusSlotTaken(district_, 0, 9));
  EXPECT_TRUE(*store_->StatusSlotTaken(district_, 1, 9));
  Id elsewhere = *store_->InsertDistrict({0, "d2", "Elsewhere"});
  EXPECT_FALSE(*store_->StatusSlotTaken(elsewhere, 0, 7));
  auto newest = store_->NewestStatusList(district_);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(newest->list, 1);
  EXPECT_EQ(newest->taken, 2);
  EXPECT_EQ((*store_->FindCredential("uuid-" + std::to_string(m102)))->status_list, 1);
  EXPECT_EQ((*store_->FindCredential("uuid-" + std::to_string(m102)))->status_index, 7);

  EXPECT_TRUE(store_->RevokedCredentials(district_, std::nullopt)->empty());
  // M102 revoked twice: the first reason is the one. M101 revoked, then
  // confirmed again with a new credential, which is not revoked.
  award("M102", AwardAction::kRevoked, "first");
  award("M102", AwardAction::kRevoked, "second");
  award("M101", AwardAction::kRevoked, "wrong student");
  const FactId again = award("M101", AwardAction::kConfirmed);
  ASSERT_TRUE(credential(again, "M101", 1, 3).ok());
  auto all = store_->RevokedCredentials(district_, std::nullopt);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].uuid, "uuid-" + std::to_string(m101));
  EXPECT_EQ((*all)[0].status_list, 0);
  EXPECT_EQ((*all)[0].status_index, 7);
  EXPECT_EQ((*all)[0].reason, "wrong student");
  EXPECT_EQ((*all)[0].revoked_at, *ParseInstant("2026-10-01T10:00:00Z"));
  EXPECT_EQ((*all)[1].uuid, "uuid-" + std::to_string(m102));
  EXPECT_EQ((*all)[1].status_list, 1);
  EXPECT_EQ((*all)[1].reason, "first");
  auto list1 = store_->RevokedCredentials(district_, 1);
  ASSERT_EQ(list1->size(), 1u);
  EXPECT_EQ((*list1)[0].uuid, "uuid-" + std::to_string(m102));
  EXPECT_EQ(store_->RevokedCredentials(district_, 0)->size(), 1u);
  EXPECT_TRUE(store_->RevokedCredentials(district_, 2)->empty());
  EXPECT_TRUE(store_->RevokedCredentials(elsewhere, std::nullopt)->empty());
}

// ApplyRosterChanges past one batch of either engine (SQLite writes 128
// rows per statement, PostgreSQL 1,000): every row lands with its fields, a
// moved enrollment gives up its sourced id, deactivations keep the rows, and
// a change set with an unknown reference writes nothing.
TEST_P(StoreTest, RosterChangesApplyInBatchesAllOrNothing) {
  constexpr int kStudents = 1050;
  RosterChangeSet changes;
  changes.schools.push_back({"s2", "d1", "North"});
  changes.courses.push_back({"c1", "d1", "Algebra"});
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    changes.sections.push_back({"sec-" + n, "s2", "c1", "Period " + n, "Fall", "term-1"});
  }
  for (int i = 0; i < kStudents; ++i) {
    const std::string n = std::to_string(i);
    RosterChangeSet::PersonRow person;
    person.sourced_id = "p-" + n;
    person.given_name = "Given \"" + n + "\" \\";  // quoting survives
    person.family_name = "Family";
    person.district = "d1";
    if (i % 2 == 1) person.school = "s2";
    if (i % 3 == 0) person.demographics.english_learner = i % 2 == 0;
    changes.people.push_back(person);
    changes.enrollments.push_back({"e-" + n, "sec-" + std::to_string(i % 3), "p-" + n, false});
  }
  changes.guardian_links.push_back({"tch-1", "p-0", "mentor"});
  Status applied = store_->ApplyRosterChanges(changes);
  ASSERT_TRUE(applied.ok()) << applied.ToString();
  auto roster = store_->LoadRoster();
  ASSERT_TRUE(roster.ok());
  EXPECT_EQ(roster->people.size(), 2u + kStudents);
  EXPECT_EQ(roster->enrollments.size(), static_cast<std::size_t>(kStudents));
  ASSERT_EQ(roster->sections.size(), 3u);
  const Person* p3 = roster->FindPersonBySourcedId("p-3");
  ASSERT_NE(p3, nullptr);
  EXPECT_EQ(p3->given_name, "Given \"3\" \\");
  EXPECT_EQ(p3->demographics.english_learner, std::optional<bool>(false));
  EXPECT_FALSE(roster->FindPersonBySourcedId("p-1")->demographics.english_learner.has_value());
  EXPECT_TRUE(roster->FindPersonBySourcedId("p-1")->school_id.has_value());
  EXPECT_FALSE(roster->FindPersonBySourcedId("p-2")->school_id.has_value());
  const Id sec0 = roster->sections[0].id, sec1 = roster->sections[1].id;
  EXPECT_EQ(roster->StudentsIn(sec0).size(), 350u);
  ASSERT_EQ(roster->guardian_links.size(), 1u);
  EXPECT_EQ(roster->guardian_links[0].relationship, "mentor");

  RosterChangeSet next;
  next.enrollments.push_back({"e-0", "sec-1", "p-0", false});  // moved to another class
  next.people_deactivated.push_back("p-5");
  next.enrollments_deactivated.push_back({"sec-1", "p-7"});
  applied = store_->ApplyRosterChanges(next);
  ASSERT_TRUE(applied.ok()) << applied.ToString();
  roster = store_->LoadRoster();
  const Id p0 = roster->FindPersonBySourcedId("p-0")->id;
  const Id p7 = roster->FindPersonBySourcedId("p-7")->id;
  EXPECT_EQ(roster->enrollments.size(), kStudents + 1u);
  for (const Enrollment& e : roster->enrollments) {
    if (e.person_id == p0 && e.section_id == sec0) {
      EXPECT_FALSE(e.active);
      EXPECT_EQ(e.sourced_id, "");
    }
    if (e.person_id == p0 && e.section_id == sec1) {
      EXPECT_TRUE(e.active);
      EXPECT_EQ(e.sourced_id, "e-0");
    }
    if (e.person_id == p7) {
      EXPECT_FALSE(e.active);
    }
  }
  EXPECT_FALSE(roster->FindPersonBySourcedId("p-5")->active);
  EXPECT_TRUE(roster->FindPersonBySourcedId("p-6")->active);

  const std::int64_t roster_mark = store_->Marks()->roster;
  RosterChangeSet bad;
  RosterChangeSet::PersonRow newcomer;
  newcomer.sourced_id = "p-new";
  newcomer.district = "d1";
  bad.people.push_back(newcomer);
  bad.enrollments.push_back({"e-new", "sec-missing", "p-new", false});
  Status refused = store_->ApplyRosterChanges(bad);
  EXPECT_EQ(refused.code(), StatusCode::kNotFound);
  EXPECT_NE(refused.message().find("sec-missing"), std::string::npos) << refused.ToString();
  EXPECT_FALSE(store_->FindPerson("p-new")->has_value());
  EXPECT_EQ(store_->Marks()->roster, roster_mark);
}

const Engine kEngines[] = {{"sqlite", OpenSqliteMemory}, {"postgres", OpenPostgres}};
INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::ValuesIn(kEngines),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// SQLite specifics: the schema itself refuses to rewrite history, and data
// survives reopening the file.
TEST(SqliteStoreTest, SchemaRefusesUpdatesAndDeletesOfFacts) {
  auto store = SqliteStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  sqlite3* db = (*store)->handle();
  ASSERT_TRUE((*store)->AddCatalogVersion({0, 1, "x", "{}"}).ok());
  char* error = nullptr;
  EXPECT_NE(
      sqlite3_exec(db, "UPDATE catalog_versions SET body = 'changed'", nullptr, nullptr, &error),
      SQLITE_OK);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("append-only"), std::string::npos);
  sqlite3_free(error);
  error = nullptr;
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM catalog_versions", nullptr, nullptr, &error), SQLITE_OK);
  sqlite3_free(error);
  EXPECT_EQ((*(*store)->LatestCatalog())->body, "{}");
}

TEST(SqliteStoreTest, RatingsCannotBeEditedOrDeleted) {
  auto store = SqliteStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  Id district = *s.InsertDistrict({0, "d", "D"});
  Person p;
  p.sourced_id = "stu";
  p.given_name = p.family_name = "x";
  p.district_id = district;
  Id student = *s.InsertPerson(p);
  RatingFact fact;
  fact.student_id = student;
  fact.recorded_by = student;
  fact.cpe_id = "M101.1";
  fact.level_id = "emerging";
  FactId id = *s.AppendRating(fact);
  sqlite3* db = (*store)->handle();
  EXPECT_NE(sqlite3_exec(db, "UPDATE ratings SET level_id = 'advanced'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM ratings", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ((*s.FindRating(id))->level_id, "emerging");
  // The portfolio's tables are append-only too.
  for (const char* sql :
       {"UPDATE artifacts SET name = 'x'", "DELETE FROM artifacts",
        "UPDATE submissions SET title = 'x'", "DELETE FROM submissions",
        "UPDATE submission_versions SET body = 'x'", "DELETE FROM submission_versions",
        "UPDATE portfolio_events SET message = 'x'", "DELETE FROM portfolio_events",
        "UPDATE calibration_sessions SET title = 'x'", "DELETE FROM calibration_sessions",
        "UPDATE calibration_events SET level = 'x'", "DELETE FROM calibration_events"}) {
    char* error = nullptr;
    // One row in every table, or the statement touches nothing.
    ASSERT_TRUE(
        s.InsertArtifact({0, student, std::string(64, 'b'), 1, "text/plain", "a.txt", student, 1})
            .ok());
    Id sub = *s.InsertSubmission({0, student, "M101", "t", student, 1});
    SubmissionVersion v;
    v.submission_id = sub;
    v.number = 1;
    v.author = student;
    Id vid = *s.AppendSubmissionVersion(v);
    PortfolioEvent e;
    e.submission_id = sub;
    e.version_id = vid;
    e.actor = student;
    ASSERT_TRUE(s.AppendPortfolioEvent(e).ok());
    Id cal = *s.InsertCalibrationSession({0, "c", "M101", {}, {vid}, {student}, student, 1});
    ASSERT_TRUE(
        s.AppendCalibrationEvent({0, cal, CalibrationEventKind::kNote, student, 1, 0, "", "", "n"})
            .ok());
    EXPECT_NE(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << sql;
    EXPECT_NE(error ? std::string(error).find("append-only") : std::string::npos, std::string::npos)
        << sql;
    sqlite3_free(error);
  }
}

// Migration 9 (issue #12) rebuilds the credential tables: a database written
// before keeps its credentials (in list 0, same index) and share choices.
TEST(SqliteStoreTest, MigrationNineKeepsCredentialsInListZero) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("cairn_store_m9_test_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  Id district = 0, student = 0;
  FactId confirmed = 0;
  {
    auto store = SqliteStore::Open(path.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Store& s = **store;
    district = *s.InsertDistrict({0, "d", "D"});
    Person p;
    p.sourced_id = "stu";
    p.district_id = district;
    student = *s.InsertPerson(p);
    AwardFact a;
    a.student_id = student;
    a.badge_code = "M101";
    a.action = AwardAction::kConfirmed;
    a.recorded_at = 1000;
    confirmed = *s.AppendAward(a);
    // Back to the version 8 schema (migration 5's tables), as it was written.
    const std::string sql =
        "DROP TRIGGER credentials_fill_status_list; DROP TABLE status_lists; "
        "DROP INDEX awards_revoked; DROP TABLE credential_shares; DROP TABLE credentials; "
        "CREATE TABLE credentials (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, "
        "award_id INTEGER NOT NULL UNIQUE REFERENCES awards(id), "
        "student_id INTEGER NOT NULL REFERENCES people(id), "
        "district_id INTEGER NOT NULL REFERENCES districts(id), badge_code TEXT NOT NULL, "
        "status_index INTEGER NOT NULL, issued_at TEXT NOT NULL, body TEXT NOT NULL, "
        "UNIQUE (district_id, status_index)); "
        "CREATE TABLE credential_shares (id INTEGER PRIMARY KEY, "
        "credential_id INTEGER NOT NULL REFERENCES credentials(id), public INTEGER NOT NULL, "
        "actor INTEGER NOT NULL REFERENCES people(id), at TEXT NOT NULL); "
        "INSERT INTO credentials VALUES (1, 'u1', " +
        std::to_string(confirmed) + ", " + std::to_string(student) + ", " +
        std::to_string(district) +
        ", 'M101', 4242, '2026-01-01T00:00:00Z', '{}'); "
        "INSERT INTO credential_shares(credential_id, public, actor, at) VALUES (1, 1, " +
        std::to_string(student) +
        ", '2026-01-01T00:00:00Z'); "
        // Tables of the migrations after 9, so they run again too.
        "DROP TABLE IF EXISTS crosswalk_facts; DROP TABLE IF EXISTS case_associations; "
        "DROP TABLE IF EXISTS case_items; DROP TABLE IF EXISTS case_frameworks; "
        "DROP TABLE IF EXISTS invitations; "
        "DROP TABLE IF EXISTS assessment_item_retirements; "
        "DROP TABLE IF EXISTS curriculum_resource_retirements; "
        "ALTER TABLE ratings DROP COLUMN assessment_item_id; "
        "DROP TABLE IF EXISTS assessment_items; DROP TABLE IF EXISTS curriculum_resources; "
        "DROP TABLE IF EXISTS course_badges; DROP TABLE IF EXISTS journal; "
        "DROP TABLE IF EXISTS notification_steps; DROP TABLE IF EXISTS notification_marks; "
        "DROP TABLE IF EXISTS notifications; "
        "DELETE FROM schema_migrations WHERE version >= 9;";
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec((*store)->handle(), sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
  }
  auto store = SqliteStore::Open(path.string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Store& s = **store;
  EXPECT_EQ((*store)->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  auto kept = s.FindCredential("u1");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->status_list, 0);
  EXPECT_EQ((*kept)->status_index, 4242);
  EXPECT_TRUE(*s.CredentialIsPublic((*kept)->id));
  auto newest = s.NewestStatusList(district);
  EXPECT_EQ(newest->list, 0);
  EXPECT_EQ(newest->taken, 1);
  EXPECT_TRUE(*s.StatusSlotTaken(district, 0, 4242));
  // The rebuilt tables are still append-only and still checked.
  char* error = nullptr;
  EXPECT_NE(sqlite3_exec((*store)->handle(), "DELETE FROM credentials", nullptr, nullptr, &error),
            SQLITE_OK);
  sqlite3_free(error);
  EXPECT_EQ(s.AppendCredentialShare(999, true, student, 1000).code(), StatusCode::kNotFound);
  int dangling = -1;
  sqlite3_exec((*store)->handle(), "SELECT COUNT(*) FROM pragma_foreign_key_check",
               [](void* out, int, char** values, char**) {
                 *static_cast<int*>(out) = std::atoi(values[0]);
                 return 0;
               },
               &dangling, nullptr);
  EXPECT_EQ(dangling, 0);
  store->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
}

TEST(SqliteStoreTest, DataSurvivesReopenAndMigrationIsIdempotent) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("cairn_store_test_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto store = SqliteStore::Open(path.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->SchemaVersion(), SqliteStore::LatestSchemaVersion());
    ASSERT_TRUE((*store)->InsertDistrict({0, "d", "D"}).ok());
  }
  {
    auto store = SqliteStore::Open(path.string());
    ASSERT_TRUE(store.ok());
    EXPECT_EQ((*store)->SchemaVersion(), SqliteStore::LatestSchemaVersion());
    EXPECT_EQ((*store)->LoadRoster()->districts.size(), 1u);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

// Standards frameworks and the crosswalk (standards_store.h).
CaseFrameworkRecord MakeFramework(const std::string& version, const std::string& sha) {
  CaseFrameworkRecord f;
  f.document_identifier = "doc-1";
  f.uri = "https://case.example.org/CFDocuments/doc-1";
  f.title = "Sample Standards " + version;
  f.creator = "State";
  f.publisher = "State Board";
  f.version = version + "T00:00:00+00:00";
  f.version_at = *ParseInstant(version);
  f.content_sha256 = sha;
  f.imported_at = *ParseInstant("2026-01-10T09:00:00Z");
  f.package = "{\"sha\":\"" + sha + "\"}";
  return f;
}

CaseItemRecord MakeItem(const std::string& id, const std::string& statement, int position) {
  CaseItemRecord i;
  i.identifier = id;
  i.uri = "https://case.example.org/CFItems/" + id;
  i.human_coding_scheme = "A-" + id;
  i.full_statement = statement;
  i.item_type = "Standard";
  i.list_enumeration = std::to_string(position + 1);
  i.parent_identifier = "doc-1";
  i.position = position;
  return i;
}

std::vector<CaseAssociationRecord> ChildOfDocument(const std::vector<CaseItemRecord>& items) {
  std::vector<CaseAssociationRecord> out;
  for (const CaseItemRecord& item : items) {
    CaseAssociationRecord a;
    a.identifier = "assoc-" + item.identifier;
    a.type = "isChildOf";
    a.origin_identifier = item.identifier;
    a.origin_uri = item.uri;
    a.destination_identifier = "doc-1";
    a.destination_uri = "https://case.example.org/CFDocuments/doc-1";
    a.sequence_number = item.position + 1;
    a.position = static_cast<int>(out.size());
    out.push_back(std::move(a));
  }
  return out;
}

TEST_P(StoreTest, FrameworkVersionsAreKeptAndTheLatestIsCurrent) {
  const std::vector<CaseItemRecord> v1_items = {MakeItem("i1", "Solve equations", 0),
                                                MakeItem("i2", "Graph lines", 1)};
  auto v1 = store_->InsertCaseFramework(MakeFramework("2025-01-01", "sha-1"), v1_items,
                                        ChildOfDocument(v1_items));
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  // The newer version rewords i1 and drops i2.
  const std::vector<CaseItemRecord> v2_items = {MakeItem("i1", "Solve linear equations", 0),
                                                MakeItem("i3", "Model with functions", 1)};
  auto v2 = store_->InsertCaseFramework(MakeFramework("2025-06-01", "sha-2"), v2_items,
                                        ChildOfDocument(v2_items));
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_NE(*v1, *v2);

  auto all = store_->CaseFrameworks();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, *v2);  // newest first
  EXPECT_TRUE((*all)[0].current);
  EXPECT_FALSE((*all)[1].current);
  EXPECT_EQ((*all)[1].item_count, 2);
  EXPECT_TRUE((*all)[0].package.empty());  // listings leave the bodies out
  EXPECT_EQ((*all)[0].version_at, *ParseInstant("2025-06-01"));
  EXPECT_EQ((*all)[0].imported_at, *ParseInstant("2026-01-10T09:00:00Z"));
  EXPECT_FALSE((*all)[0].imported_by.has_value());

  // The old version stays readable, whole.
  auto old = store_->FindCaseFramework(*v1);
  ASSERT_TRUE(old.ok() && old->has_value());
  EXPECT_EQ((*old)->package, "{\"sha\":\"sha-1\"}");
  EXPECT_EQ((*old)->publisher, "State Board");
  EXPECT_FALSE((*old)->current);
  auto old_items = store_->CaseItems(*v1);
  ASSERT_EQ(old_items->size(), 2u);
  EXPECT_EQ((*old_items)[0].full_statement, "Solve equations");
  EXPECT_EQ((*old_items)[1].human_coding_scheme, "A-i2");
  auto associations = store_->CaseAssociations(*v2);
  ASSERT_EQ(associations->size(), 2u);
  EXPECT_EQ((*associations)[1].origin_identifier, "i3");
  EXPECT_EQ((*associations)[1].sequence_number, 2);
  EXPECT_FALSE(store_->FindCaseFramework(*v2 + 100)->has_value());

  // Items are looked up in current versions only.
  auto current = store_->FindCurrentCaseItem("i1");
  ASSERT_TRUE(current.ok() && current->has_value());
  EXPECT_EQ((*current)->item.full_statement, "Solve linear equations");
  EXPECT_EQ((*current)->item.framework_id, *v2);
  EXPECT_EQ((*current)->framework_title, "Sample Standards 2025-06-01");
  EXPECT_EQ((*current)->framework_identifier, "doc-1");
  EXPECT_FALSE(store_->FindCurrentCaseItem("i2")->has_value());

  // The same content again is refused and writes nothing.
  EXPECT_EQ(store_->InsertCaseFramework(MakeFramework("2025-06-01", "sha-2"), v2_items, {})
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CaseFrameworks()->size(), 2u);
}

TEST_P(StoreTest, AmongEqualVersionsTheLatestImportedIsCurrent) {
  const std::vector<CaseItemRecord> items = {MakeItem("i1", "First wording", 0)};
  Id first = *store_->InsertCaseFramework(MakeFramework("2025-01-01", "a"), items, {});
  const std::vector<CaseItemRecord> reworded = {MakeItem("i1", "Second wording", 0)};
  Id second = *store_->InsertCaseFramework(MakeFramework("2025-01-01", "b"), reworded, {});
  // An older version imported later does not become current.
  Id older = *store_->InsertCaseFramework(MakeFramework("2024-01-01", "c"), items, {});
  auto frameworks = store_->CaseFrameworks();
  for (const CaseFrameworkRecord& f : *frameworks) {
    EXPECT_EQ(f.current, f.id == second) << f.id;
  }
  EXPECT_NE(first, older);
  EXPECT_EQ((*store_->FindCurrentCaseItem("i1"))->item.full_statement, "Second wording");
}

TEST_P(StoreTest, AFailedFrameworkWriteLeavesNothing) {
  // Two items with one identifier: the second insert fails, the framework
  // row goes with it.
  const std::vector<CaseItemRecord> items = {MakeItem("i1", "One", 0), MakeItem("i1", "Two", 1)};
  auto failed = store_->InsertCaseFramework(MakeFramework("2025-01-01", "x"), items, {});
  EXPECT_EQ(failed.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(store_->CaseFrameworks()->empty());
  EXPECT_FALSE(store_->FindCurrentCaseItem("i1")->has_value());
  CaseFrameworkRecord by_nobody = MakeFramework("2025-01-01", "y");
  by_nobody.imported_by = 999;
  EXPECT_EQ(store_->InsertCaseFramework(by_nobody, {}, {}).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->CaseFrameworks()->empty());
}

TEST_P(StoreTest, CrosswalkKeepsItsHistoryAndTheLatestFactCounts) {
  const Instant t0 = *ParseInstant("2026-02-01T10:00:00Z");
  auto fact = [&](std::string cpe, std::string item, bool linked, Instant at) {
    CrosswalkFact f;
    f.cpe = std::move(cpe);
    f.item_identifier = std::move(item);
    f.linked = linked;
    f.actor = teacher_;
    f.at = at;
    f.source = "test";
    return f;
  };
  ASSERT_TRUE(store_
                  ->AppendCrosswalkFacts({fact("M101.1", "i1", true, t0),
                                          fact("M101.1", "i2", true, t0 + 1),
                                          fact("M101.2", "i1", true, t0 + 2)})
                  .ok());
  ASSERT_TRUE(store_->AppendCrosswalkFacts({fact("M101.1", "i1", false, t0 + 3)}).ok());
  auto current = store_->CurrentCrosswalk(std::nullopt);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  ASSERT_EQ(current->size(), 2u);
  EXPECT_EQ((*current)[0].cpe, "M101.1");
  EXPECT_EQ((*current)[0].item_identifier, "i2");
  EXPECT_EQ((*current)[1].cpe, "M101.2");
  EXPECT_EQ((*current)[1].actor, teacher_);
  EXPECT_EQ((*current)[1].at, t0 + 2);
  // Linked again: the pair is current once more, with its newest fact.
  ASSERT_TRUE(store_->AppendCrosswalkFacts({fact("M101.1", "i1", true, t0 + 4)}).ok());
  auto m101_1 = store_->CurrentCrosswalk(std::string("M101.1"));
  ASSERT_EQ(m101_1->size(), 2u);
  EXPECT_EQ((*m101_1)[1].item_identifier, "i1");
  EXPECT_EQ((*m101_1)[1].at, t0 + 4);
  // Nothing is lost: every fact, in order.
  auto history = store_->CrosswalkHistory(std::string("M101.1"));
  ASSERT_EQ(history->size(), 4u);
  EXPECT_TRUE((*history)[0].linked);
  EXPECT_FALSE((*history)[2].linked);
  EXPECT_EQ((*history)[2].item_identifier, "i1");
  EXPECT_EQ((*history)[3].source, "test");
  EXPECT_EQ(store_->CrosswalkHistory(std::nullopt)->size(), 5u);
  // A fact by an unknown person is refused with the rest of its batch.
  CrosswalkFact stranger = fact("M101.3", "i9", true, t0 + 5);
  stranger.actor = 999;
  EXPECT_EQ(store_->AppendCrosswalkFacts({fact("M101.3", "i8", true, t0 + 5), stranger}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->CrosswalkHistory(std::nullopt)->size(), 5u);
  // From the command line: no person.
  CrosswalkFact cli = fact("M101.3", "i8", true, t0 + 6);
  cli.actor.reset();
  ASSERT_TRUE(store_->AppendCrosswalkFacts({cli}).ok());
  EXPECT_FALSE((*store_->CurrentCrosswalk(std::string("M101.3")))[0].actor.has_value());
}

TEST(SqliteStoreTest, StandardsTablesAreAppendOnly) {
  auto store = SqliteStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  const std::vector<CaseItemRecord> items = {MakeItem("i1", "One", 0)};
  ASSERT_TRUE(
      (*store)
          ->InsertCaseFramework(MakeFramework("2025-01-01", "x"), items, ChildOfDocument(items))
          .ok());
  CrosswalkFact f;
  f.cpe = "M101.1";
  f.item_identifier = "i1";
  ASSERT_TRUE((*store)->AppendCrosswalkFacts({f}).ok());
  for (const char* sql :
       {"UPDATE case_frameworks SET title = 'x'", "DELETE FROM case_frameworks",
        "UPDATE case_items SET full_statement = 'x'", "DELETE FROM case_items",
        "UPDATE case_associations SET association_type = 'x'", "DELETE FROM case_associations",
        "UPDATE crosswalk_facts SET action = 'unlink'", "DELETE FROM crosswalk_facts"}) {
    char* error = nullptr;
    EXPECT_NE(sqlite3_exec((*store)->handle(), sql, nullptr, nullptr, &error), SQLITE_OK) << sql;
    EXPECT_NE(std::string(error ? error : "").find("append-only"), std::string::npos) << sql;
    sqlite3_free(error);
  }
  EXPECT_EQ((*store)->CurrentCrosswalk(std::nullopt)->size(), 1u);
}

// Issue #11: course default badges, curriculum resources, assessment items.

TEST_P(StoreTest, CourseBadgesGoToNewSectionsOnly) {
  Id course = *store_->InsertCourse({0, "c1", district_, "Algebra I"});
  Section old_section;
  old_section.sourced_id = "sec-old";
  old_section.school_id = school_;
  old_section.course_id = course;
  old_section.title = "Old";
  old_section.badges = {"M100"};
  ASSERT_TRUE(store_->InsertSection(old_section).ok());
  EXPECT_TRUE(store_->CourseBadges(course)->empty());
  ASSERT_TRUE(store_->SetCourseBadges(course, {"M102", "M101"}).ok());
  EXPECT_EQ(*store_->CourseBadges(course), (std::vector<std::string>{"M102", "M101"}));
  Section fresh = old_section;
  fresh.sourced_id = "sec-new";
  fresh.badges = {"M101"};  // already one of the defaults: kept once
  ASSERT_TRUE(store_->InsertSection(fresh).ok());
  ASSERT_TRUE(store_->AddCourseBadgesToSections({"sec-new"}).ok());
  auto roster = store_->LoadRoster();
  ASSERT_TRUE(roster.ok());
  ASSERT_EQ(roster->sections.size(), 2u);
  EXPECT_EQ(roster->sections[0].badges, (std::vector<std::string>{"M100"}));
  EXPECT_EQ(roster->sections[1].badges, (std::vector<std::string>{"M101", "M102"}));
  // Replaced whole; an unknown course or section changes nothing.
  ASSERT_TRUE(store_->SetCourseBadges(course, {"M103"}).ok());
  EXPECT_EQ(*store_->CourseBadges(course), (std::vector<std::string>{"M103"}));
  EXPECT_EQ(store_->SetCourseBadges(course + 100, {"M101"}).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CourseBadges(course + 100).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->AddCourseBadgesToSections({"sec-old", "nope"}).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->LoadRoster()->sections[0].badges, (std::vector<std::string>{"M100"}));
}

TEST_P(StoreTest, CurriculumResourcesAreRetiredNotDeleted) {
  const Instant t0 = *ParseInstant("2026-09-01T08:00:00Z");
  CurriculumResource r;
  r.district_id = district_;
  r.cpe_id = "M101.1";
  r.title = "Order of operations practice";
  r.url = "https://www.khanacademy.org/math/x";
  r.provider = "Khan Academy";
  r.kind = "practice";
  r.note = "Start with level 1";
  r.added_by = teacher_;
  r.added_at = t0;
  auto first = store_->InsertCurriculumResource(r);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  r.cpe_id = "M101.2";
  r.indicator_id = "ii";
  r.title = "Desmos activity";
  auto second = store_->InsertCurriculumResource(r);
  ASSERT_TRUE(second.ok());
  auto all = store_->CurriculumResources({});
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, *first);
  EXPECT_EQ((*all)[0].url, "https://www.khanacademy.org/math/x");
  EXPECT_EQ((*all)[0].provider, "Khan Academy");
  EXPECT_EQ((*all)[0].note, "Start with level 1");
  EXPECT_EQ((*all)[0].added_at, t0);
  EXPECT_EQ((*all)[1].indicator_id, "ii");
  EXPECT_EQ(store_->CurriculumResources({"M101.2"})->size(), 1u);

  ASSERT_TRUE(store_->RetireCurriculumResource(*first, teacher_, t0 + 60).ok());
  auto current = store_->CurriculumResources({"M101.1", "M101.2"});
  ASSERT_EQ(current->size(), 1u);
  EXPECT_EQ((*current)[0].id, *second);
  auto retired = store_->FindCurriculumResource(*first);
  ASSERT_TRUE(retired.ok() && retired->has_value());
  EXPECT_EQ((*retired)->retired_at, t0 + 60);
  EXPECT_EQ((*retired)->retired_by, teacher_);
  EXPECT_EQ((*retired)->title, "Order of operations practice");
  EXPECT_EQ(store_->RetireCurriculumResource(*first, teacher_, t0 + 61).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->RetireCurriculumResource(*second + 100, teacher_, t0).code(),
            StatusCode::kNotFound);
  r.added_by = teacher_ + 1000;  // nobody
  EXPECT_EQ(store_->InsertCurriculumResource(r).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CurriculumResources({})->size(), 1u);
}

TEST_P(StoreTest, AssessmentItemsAndRatingsThatNameThem) {
  const Instant t0 = *ParseInstant("2026-09-01T08:00:00Z");
  auto item = [&](std::string key, std::string cpe) {
    AssessmentItem i;
    i.district_id = district_;
    i.badge_code = "M101";
    i.item_key = std::move(key);
    i.title = "High School MATH - Algebra and Functions II (IAB)";
    i.target = "1J";
    i.standards = {"A-REI 11", "A.REI.D.11"};
    i.cpe_id = std::move(cpe);
    i.added_by = teacher_;
    i.added_at = t0;
    return i;
  };
  auto ids = store_->InsertAssessmentItems({item("#13-5 1149", "M101.1"), item("#1", "M101.2")});
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  ASSERT_EQ(ids->size(), 2u);
  auto found = store_->FindAssessmentItem((*ids)[0]);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->item_key, "#13-5 1149");
  EXPECT_EQ((*found)->standards, (std::vector<std::string>{"A-REI 11", "A.REI.D.11"}));
  EXPECT_EQ((*found)->target, "1J");
  EXPECT_FALSE((*found)->retired_at.has_value());
  EXPECT_EQ(store_->AssessmentItems("M101")->size(), 2u);
  EXPECT_TRUE(store_->AssessmentItems("M102")->empty());
  EXPECT_EQ(store_->AssessmentItems("")->size(), 2u);

  // A taken key refuses the whole batch.
  auto clash = store_->InsertAssessmentItems({item("#2", "M101.1"), item("#1", "M101.1")});
  EXPECT_EQ(clash.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(clash.status().message().find("'#1'"), std::string::npos);
  EXPECT_EQ(store_->AssessmentItems("M101")->size(), 2u);

  // A rating names the item; both engines read it back.
  RatingFact fact = MakeRating();
  fact.assessment_item = (*ids)[0];
  auto rating = store_->AppendRating(fact);
  ASSERT_TRUE(rating.ok()) << rating.status().ToString();
  EXPECT_EQ((*store_->FindRating(*rating))->assessment_item, (*ids)[0]);
  EXPECT_FALSE((*store_->FindRating(*store_->AppendRating(MakeRating())))->assessment_item);
  EXPECT_EQ(store_->RatingsAfter(0)->front().assessment_item, (*ids)[0]);
  fact.assessment_item = (*ids)[1] + 100;
  EXPECT_EQ(store_->AppendRating(fact).status().code(), StatusCode::kNotFound);

  // Retired: out of the list, its key free again, the rating still names it.
  ASSERT_TRUE(store_->RetireAssessmentItem((*ids)[1], teacher_, t0 + 5).ok());
  EXPECT_EQ(store_->AssessmentItems("M101")->size(), 1u);
  EXPECT_EQ((*store_->FindAssessmentItem((*ids)[1]))->retired_at, t0 + 5);
  EXPECT_EQ(store_->RetireAssessmentItem((*ids)[1], teacher_, t0 + 6).code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->InsertAssessmentItems({item("#1", "M101.3")}).ok());
  EXPECT_EQ((*store_->FindRating(*rating))->assessment_item, (*ids)[0]);
}

TEST_P(StoreTest, JournalKeepsEveryRevisionAndFindsTheCurrentOne) {
  const Instant t0 = *ParseInstant("2026-10-01T09:00:00Z");
  auto entry = [&](std::string stream, std::string key, std::string body, Instant at) {
    JournalEntry e;
    e.district_id = district_;
    e.stream = std::move(stream);
    e.key = std::move(key);
    e.body = std::move(body);
    e.recorded_by = teacher_;
    e.recorded_at = at;
    return e;
  };
  JournalEntry plan = entry("plp", "student:1", R"({"goal":"M101"})", t0);
  plan.student_id = student_;
  JournalEntry anonymous = entry("response", "r1:x", R"({"q1":4})", t0 + 2);
  anonymous.recorded_by = 0;
  auto ids = store_->AppendJournal({entry("round", "b", R"({"v":1})", t0),
                                    entry("round", "a", R"({"v":1})", t0 + 1),
                                    entry("round", "b", R"({"v":2})", t0 + 2), plan, anonymous});
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  ASSERT_EQ(ids->size(), 5u);
  EXPECT_TRUE(std::is_sorted(ids->begin(), ids->end()));

  auto all = store_->Journal(district_, "round", std::nullopt);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].body, R"({"v":2})");
  EXPECT_EQ((*all)[2].recorded_at, t0 + 2);
  EXPECT_EQ((*all)[2].recorded_by, teacher_);
  EXPECT_FALSE((*all)[2].student_id);
  auto b = store_->Journal(district_, "round", std::string_view("b"));
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].body, R"({"v":1})");

  auto latest = store_->JournalLatest(district_, "round");
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_EQ((*latest)[0].key, "a");
  EXPECT_EQ((*latest)[1].key, "b");
  EXPECT_EQ((*latest)[1].body, R"({"v":2})");

  auto mine = store_->StudentJournal(student_, "plp");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().student_id, student_);
  EXPECT_TRUE(store_->StudentJournal(student_, "round")->empty());
  auto withheld = store_->Journal(district_, "response", std::nullopt);
  ASSERT_TRUE(withheld.ok());
  ASSERT_EQ(withheld->size(), 1u);
  EXPECT_EQ(withheld->front().recorded_by, 0);
  EXPECT_TRUE(store_->Journal(district_ + 1, "round", std::nullopt)->empty());
}

TEST_P(StoreTest, BadJournalEntriesAreRefusedAndWriteNothing) {
  auto entry = [&](std::string key, std::string body) {
    JournalEntry e;
    e.district_id = district_;
    e.stream = "tracker";
    e.key = std::move(key);
    e.body = std::move(body);
    e.recorded_by = teacher_;
    return e;
  };
  const JournalEntry good = entry("row-1", "{}");
  auto refused = [&](const JournalEntry& bad) {
    return store_->AppendJournal({good, bad}).status();
  };
  EXPECT_EQ(refused(entry("", "{}")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused(entry("k", "[1]")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused(entry("k", "{nope")).code(), StatusCode::kInvalidArgument);
  JournalEntry no_stream = entry("k", "{}");
  no_stream.stream.clear();
  EXPECT_EQ(refused(no_stream).code(), StatusCode::kInvalidArgument);
  JournalEntry unknown_district = entry("k", "{}");
  unknown_district.district_id = district_ + 100;
  EXPECT_EQ(refused(unknown_district).code(), StatusCode::kNotFound);
  JournalEntry unknown_student = entry("k", "{}");
  unknown_student.student_id = student_ + 100;
  EXPECT_EQ(refused(unknown_student).code(), StatusCode::kNotFound);
  JournalEntry unknown_recorder = entry("k", "{}");
  unknown_recorder.recorded_by = teacher_ + 100;
  EXPECT_EQ(refused(unknown_recorder).code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->Journal(district_, "tracker", std::nullopt)->empty());
  // Inside an outer transaction a refused append undoes only itself.
  Status outer = store_->Transact([&]() -> Status {
    CAIRN_RETURN_IF_ERROR(store_->AppendJournal({good}).status());
    EXPECT_FALSE(store_->AppendJournal({entry("", "{}")}).ok());
    return Status::Ok();
  });
  ASSERT_TRUE(outer.ok());
  EXPECT_EQ(store_->Journal(district_, "tracker", std::nullopt)->size(), 1u);
}

TEST(SqliteStoreTest, JournalIsAppendOnly) {
  auto store = SqliteStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  JournalEntry e;
  e.district_id = *s.InsertDistrict({0, "d1", "District"});
  e.stream = "plp";
  e.key = "k";
  e.body = "{}";
  ASSERT_TRUE(s.AppendJournal({e}).ok());
  for (const char* sql : {"UPDATE journal SET body = '{}'", "DELETE FROM journal"}) {
    char* error = nullptr;
    EXPECT_NE(sqlite3_exec((*store)->handle(), sql, nullptr, nullptr, &error), SQLITE_OK) << sql;
    EXPECT_NE(std::string(error ? error : "").find("append-only"), std::string::npos) << sql;
    sqlite3_free(error);
  }
}

TEST(SqliteStoreTest, AlignmentTablesAreAppendOnly) {
  auto store = SqliteStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  // The triggers fire per row: each table gets one to refuse.
  Store& s = **store;
  const Id district = *s.InsertDistrict({0, "d1", "District"});
  Person teacher;
  teacher.sourced_id = "t1";
  teacher.role = PersonRole::kTeacher;
  teacher.district_id = district;
  const Id by = *s.InsertPerson(teacher);
  CurriculumResource r;
  r.district_id = district;
  r.cpe_id = "M101.1";
  r.title = "t";
  r.url = "https://example.org";
  r.added_by = by;
  const Id resource = *s.InsertCurriculumResource(r);
  ASSERT_TRUE(s.RetireCurriculumResource(resource, by, 1).ok());
  AssessmentItem i;
  i.district_id = district;
  i.badge_code = "M101";
  i.item_key = "k";
  i.cpe_id = "M101.1";
  i.added_by = by;
  const Id item = s.InsertAssessmentItems({i})->front();
  ASSERT_TRUE(s.RetireAssessmentItem(item, by, 1).ok());
  for (const char* sql :
       {"UPDATE curriculum_resources SET url = 'x'", "DELETE FROM curriculum_resources",
        "UPDATE curriculum_resource_retirements SET retired_at = 'x'",
        "DELETE FROM curriculum_resource_retirements", "UPDATE assessment_items SET cpe_id = 'x'",
        "DELETE FROM assessment_items", "UPDATE assessment_item_retirements SET retired_at = 'x'",
        "DELETE FROM assessment_item_retirements"}) {
    char* error = nullptr;
    EXPECT_NE(sqlite3_exec((*store)->handle(), sql, nullptr, nullptr, &error), SQLITE_OK) << sql;
    EXPECT_NE(std::string(error ? error : "").find("append-only"), std::string::npos) << sql;
    sqlite3_free(error);
  }
}

TEST_P(StoreTest, AuditBatchesKeepOrderAndTheStudentsEachEntryNamed) {
  const Id other = *store_->InsertPerson(MakePerson("stu-2", PersonRole::kStudent));
  std::vector<AuditEntry> batch = {
      {0, 10, teacher_, "read", "GET /grid", std::nullopt, "r1", 200, {student_, other}, ""},
      {0,
       11,
       std::nullopt,
       "read",
       "GET /x, \"quoted\" {braces}\\",
       student_,
       "r2",
       403,
       {},
       "refused: not theirs"},
      {0, 12, teacher_, "write", "POST /ratings", other, "r3", 201, {}, ""},
  };
  ASSERT_TRUE(store_->AppendAudit(batch).ok());
  ASSERT_TRUE(store_->AppendAudit(std::span<const AuditEntry>()).ok());

  auto all = store_->Audit(std::nullopt, 10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  // Newest first, ids in the batch's order.
  EXPECT_EQ((*all)[0].request_id, "r3");
  EXPECT_EQ((*all)[2].request_id, "r1");
  EXPECT_LT((*all)[2].id, (*all)[1].id);
  EXPECT_LT((*all)[1].id, (*all)[0].id);
  const AuditEntry& refused = (*all)[1];
  EXPECT_EQ(refused.resource, "GET /x, \"quoted\" {braces}\\");
  EXPECT_EQ(refused.detail, "refused: not theirs");
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(refused.actor_person_id.has_value());
  EXPECT_EQ(refused.at, 11);

  // The student named by an entry, or among its students.
  auto seen = [&](Id student) {
    std::vector<std::string> requests;
    auto entries = store_->Audit(student, 10);
    EXPECT_TRUE(entries.ok());
    for (const AuditEntry& e : entries.value()) requests.push_back(e.request_id);
    return requests;
  };
  EXPECT_EQ(seen(student_), (std::vector<std::string>{"r2", "r1"}));
  EXPECT_EQ(seen(other), (std::vector<std::string>{"r3", "r1"}));
  EXPECT_EQ(seen(teacher_), std::vector<std::string>{});
}

}  // namespace
}  // namespace cairn
