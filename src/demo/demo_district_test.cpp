#include "demo/demo_district.h"

#include <gtest/gtest.h>

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

TEST(DemoDistrictTest, RefusesToWriteIntoAnExistingDistrict) {
  auto service = NewService();
  ASSERT_TRUE(GenerateDemoDistrict(*service, {20, 1, 1}).ok());
  auto again = GenerateDemoDistrict(*service, {20, 1, 1});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace cairn
