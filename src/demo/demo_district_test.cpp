#include "demo/demo_district.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "store/sqlite_store.h"

namespace cairn {
namespace {

std::unique_ptr<CairnService> NewService() {
  auto store = SqliteStore::Open(":memory:");
  EXPECT_TRUE(store.ok());
  auto service = CairnService::Open(std::move(store).value(), [] { return Instant{1790000000}; });
  EXPECT_TRUE(service.ok());
  return std::move(service).value();
}

// Every rating as one line, for comparing two ledgers.
std::string Dump(CairnService& service) {
  std::string out;
  EXPECT_TRUE(service.store()
                  .ForEachRating(std::nullopt,
                                 [&](const RatingFact& r) {
                                   out += std::to_string(r.student_id) + r.cpe_id + r.level_id +
                                          std::to_string(r.demonstrated_on) +
                                          std::to_string(r.recorded_at) + "\n";
                                 })
                  .ok());
  return out;
}

TEST(DemoDistrictTest, SameSeedSameDistrictOtherSeedOtherDistrict) {
  auto a = NewService();
  auto b = NewService();
  auto c = NewService();
  auto sa = GenerateDemoDistrict(*a, {60, 7, 2});
  auto sb = GenerateDemoDistrict(*b, {60, 7, 2});
  auto sc = GenerateDemoDistrict(*c, {60, 8, 2});
  ASSERT_TRUE(sa.ok() && sb.ok() && sc.ok());
  EXPECT_EQ(Dump(*a), Dump(*b));
  EXPECT_NE(Dump(*a), Dump(*c));
  EXPECT_EQ(sa->ratings, sb->ratings);
}

TEST(DemoDistrictTest, HasEveryPartOfADistrict) {
  auto service = NewService();
  auto summary = GenerateDemoDistrict(*service, {200, 2026, 4});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->schools, 4);
  EXPECT_EQ(summary->students, 200);
  EXPECT_EQ(summary->guardians, 200);
  EXPECT_GE(summary->sections, 8);
  EXPECT_GT(summary->ratings, 200 * 10);
  EXPECT_GT(summary->awards_confirmed, 0);
  EXPECT_GT(summary->habits, 0);
  auto roster = service->store().LoadRoster();
  ASSERT_TRUE(roster.ok());
  for (const char* id : {"admin", "leader-district", "leader-school-1", "teacher-001",
                         "student-00001", "guardian-00001"}) {
    EXPECT_NE(roster->FindPersonBySourcedId(id), nullptr) << id;
  }
  // Every student is in a section with a teacher and badges.
  for (const Person& p : roster->people) {
    if (p.role != PersonRole::kStudent) continue;
    auto sections = roster->SectionsOf(p.id);
    ASSERT_EQ(sections.size(), 1u);
    EXPECT_FALSE(sections[0]->badges.empty());
    EXPECT_FALSE(roster->TeachersOf(sections[0]->id).empty());
  }
  // Tracking sheet covers every (student, section badge).
  auto rows = service->TrackingSheet();
  ASSERT_TRUE(rows.ok());
  int completed = 0;
  for (const TrackingRow& row : *rows) completed += row.completed ? 1 : 0;
  EXPECT_EQ(completed, summary->awards_confirmed);
}

// A district larger than one batch: progress after every committed batch,
// and the awards decided batch by batch are the ones the whole ledger's
// engine finds (the tracking sheet recomputes from the store).
TEST(DemoDistrictTest, WritesInBatchesAndReportsProgress) {
  auto service = NewService();
  std::vector<DemoProgress> steps;
  auto summary = GenerateDemoDistrict(*service, {2100, 5, 1},
                                      [&](const DemoProgress& step) { steps.push_back(step); });
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].students_done, 1000);
  EXPECT_EQ(steps[1].students_done, 2000);
  EXPECT_EQ(steps[2].students_done, 2100);
  for (const DemoProgress& step : steps) EXPECT_EQ(step.students_total, 2100);
  EXPECT_LT(steps[0].ratings, steps[1].ratings);
  EXPECT_EQ(steps[2].ratings, summary->ratings);
  std::int64_t stored = 0;
  ASSERT_TRUE(
      service->store().ForEachRating(std::nullopt, [&](const RatingFact&) { ++stored; }).ok());
  EXPECT_EQ(stored, summary->ratings);
  // Every badge the whole ledger's engine finds met has an award, and only
  // those: the batch engines judged each student like the full one.
  auto awards = service->store().Awards(std::nullopt);
  ASSERT_TRUE(awards.ok());
  EXPECT_EQ(static_cast<int>(awards->size()),
            2 * summary->awards_confirmed + summary->awards_proposed);
  std::set<std::pair<Id, std::string>> awarded;
  for (const AwardFact& fact : *awards) awarded.insert({fact.student_id, fact.badge_code});
  auto engine = service->BuildEngine(std::nullopt);
  ASSERT_TRUE(engine.ok());
  auto roster = service->store().LoadRoster();
  ASSERT_TRUE(roster.ok());
  int met = 0;
  for (const Person& p : roster->people) {
    if (p.role != PersonRole::kStudent) continue;
    for (const std::string& code : roster->SectionsOf(p.id).front()->badges) {
      const bool is_met = (*engine)->Explain(p.id, *service->catalog().FindBadge(code)).met;
      met += is_met ? 1 : 0;
      EXPECT_EQ(is_met, awarded.count({p.id, code}) == 1) << p.sourced_id << " " << code;
    }
  }
  EXPECT_EQ(met, summary->awards_confirmed + summary->awards_proposed);
}

TEST(DemoDistrictTest, RefusesToWriteIntoAnExistingDistrict) {
  auto service = NewService();
  ASSERT_TRUE(GenerateDemoDistrict(*service, {20, 1, 1}).ok());
  auto again = GenerateDemoDistrict(*service, {20, 1, 1});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace cairn
