#include "service/ledger_index.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "store/sqlite_store.h"
#include "testing/test_catalog.h"

namespace cairn {
namespace {

// Everything the index's engine computes for a student, for comparisons.
std::string Snapshot(const MasteryEngine& engine, Id student) {
  std::string out;
  for (const CpeStatus& s : engine.CpeStatuses(student)) {
    out += std::to_string(s.dense_cpe) + ":" + std::to_string(s.value) + "/" +
           std::to_string(s.evidence_count) + "/" + std::to_string(s.at_mastery) + "/" +
           std::to_string(s.mastered) + "/" + std::to_string(s.kinds) + "/" +
           std::to_string(s.mastery_kinds) + "/" + std::to_string(s.last_demonstrated) + " ";
  }
  for (const BadgeStatus& b : engine.BadgeStatuses(student)) {
    out += "b" + std::to_string(b.badge) + ":" + std::to_string(b.rule_met) + "/" +
           std::to_string(b.cpes_counting) + " ";
  }
  return out;
}

class LedgerIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    catalog_ = std::make_shared<const Catalog>(testing::TestCatalog());
    Id district = *store_->InsertDistrict({0, "d", "District"});
    Id school = *store_->InsertSchool({0, "school-1", district, "Riverbend High"});
    for (int i = 0; i < kStudents; ++i) {
      Person p;
      p.sourced_id = "stu-" + std::to_string(i);
      p.role = PersonRole::kStudent;
      p.given_name = "Student";
      p.family_name = std::to_string(i);
      p.district_id = district;
      p.school_id = school;
      students_.push_back(*store_->InsertPerson(p));
    }
  }

  static constexpr int kStudents = 7;
  std::unique_ptr<SqliteStore> store_;
  std::shared_ptr<const Catalog> catalog_;
  std::vector<Id> students_;
};

// Property: for random ledgers in the store (same-day retakes at the same
// recording time, corrections, voids, an earned prerequisite), the index
// loaded in bulk at server start equals one that followed the ledger fact by
// fact with CatchUp and AddNextRating.
TEST_F(LedgerIndexTest, BulkLoadEqualsIndexBuiltFactByFact) {
  auto live_or = LedgerIndex::Load(*store_, catalog_);
  ASSERT_TRUE(live_or.ok());
  std::unique_ptr<LedgerIndex> live = std::move(live_or).value();

  std::mt19937 rng(12);
  const std::vector<std::string> cpes{"B1.1", "B1.2", "B1.3", "B2.1"};
  const std::vector<std::string> levels{"not_yet", "emerging", "proficient", "advanced"};
  std::vector<RatingFact> appended;
  std::set<FactId> voided;
  for (int i = 0; i < 600; ++i) {
    RatingFact fact;
    fact.student_id = students_[rng() % students_.size()];
    fact.cpe_id = cpes[rng() % cpes.size()];
    fact.level_id = levels[rng() % levels.size()];
    fact.demonstrated_on = static_cast<Day>(20300 + rng() % 10);
    fact.recorded_at = StartOf(fact.demonstrated_on) + static_cast<Instant>(rng() % 2) * 3600;
    fact.kind = static_cast<EvidenceKind>(rng() % kEvidenceKindCount);
    fact.recorded_by = students_[0];  // any person; the store checks it exists
    if (!appended.empty() && rng() % 10 == 0) {
      const RatingFact& target = appended[rng() % appended.size()];
      fact.student_id = target.student_id;
      fact.corrects = target.id;
    }
    auto id = store_->AppendRating(fact);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    fact.id = *id;
    appended.push_back(fact);
    if (rng() % 2 == 0) {
      // Applies only when nothing since the last applied rating was skipped.
      const bool next = fact.id == live->applied().rating + 1;
      EXPECT_EQ(live->AddNextRating(fact), next);
    }
    if (rng() % 15 == 0) {
      const RatingFact& target = appended[rng() % appended.size()];
      if (!voided.insert(target.id).second) continue;  // a fact is voided once
      VoidFact v;
      v.target = target.id;
      v.student_id = target.student_id;
      v.reason = "entered twice";
      v.recorded_at = target.recorded_at + 60;
      v.recorded_by = students_[0];
      ASSERT_TRUE(store_->AppendVoid(v).ok());
    }
    if (i == 300) {
      AwardFact award;
      award.student_id = students_[0];
      award.badge_code = "B1";
      award.action = AwardAction::kConfirmed;
      award.recorded_at = fact.recorded_at;
      award.recorded_by = students_[0];
      ASSERT_TRUE(store_->AppendAward(award).ok());
    }
    if (rng() % 7 == 0) {
      ASSERT_TRUE(live->CatchUp(*store_).ok());
    }
  }
  ASSERT_TRUE(live->CatchUp(*store_).ok());

  auto bulk = LedgerIndex::Load(*store_, catalog_);
  ASSERT_TRUE(bulk.ok());
  EXPECT_FALSE((*bulk)->engine().BulkLoadPending());
  EXPECT_EQ((*bulk)->engine().EntryCount(), live->engine().EntryCount());
  EXPECT_EQ((*bulk)->applied().rating, live->applied().rating);
  int with_status = 0;
  for (Id student : students_) {
    const std::string expected = Snapshot(live->engine(), student);
    EXPECT_EQ(Snapshot((*bulk)->engine(), student), expected) << "student " << student;
    if (!expected.empty()) ++with_status;
  }
  EXPECT_EQ(with_status, kStudents);
  EXPECT_TRUE((*bulk)->engine().Earned(students_[0], 0));
}

}  // namespace
}  // namespace cairn
