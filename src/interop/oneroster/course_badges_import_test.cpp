// A class new to Cairn starts with its course's default badges; sections
// already imported keep theirs, whatever the default says now (issue #11).
#include <gtest/gtest.h>

#include "interop/oneroster/oneroster_import.h"
#include "interop/oneroster/test_support.h"

namespace cairn::oneroster {
namespace {

using testing::Files;
using testing::LoadFixture;
using testing::OpenMemoryStore;

ImportReport ImportFiles(Store& store, const Files& files, bool dry_run = false) {
  ReadReport read;
  OneRosterSet set = ReadOneRosterFiles(files, read);
  ImportOptions options;
  options.dry_run = dry_run;
  auto report = ImportOneRosterSet(store, set, read, options);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? *report : ImportReport{};
}

std::map<std::string, std::vector<std::string>> BadgesBySection(Store& store) {
  std::map<std::string, std::vector<std::string>> out;
  auto roster = store.LoadRoster();
  EXPECT_TRUE(roster.ok()) << roster.status().ToString();
  if (!roster.ok()) return out;
  for (const Section& s : roster->sections) out[s.sourced_id] = s.badges;
  return out;
}

TEST(CourseBadgesImportTest, NewClassesStartWithTheirCoursesBadges) {
  auto store = OpenMemoryStore();
  Files files = LoadFixture("handmade/v1p1");
  ASSERT_TRUE(ImportFiles(*store, files).applied);
  auto roster = store->LoadRoster();
  Id algebra = 0;
  for (const Course& c : roster->courses) {
    if (c.sourced_id == "c-alg1") algebra = c.id;
  }
  ASSERT_NE(algebra, 0);
  ASSERT_TRUE(store->SetCourseBadges(algebra, {"M101", "M102"}).ok());
  const Section* period1 = nullptr;
  for (const Section& s : roster->sections) {
    if (s.sourced_id == "k-alg1-p1") period1 = &s;
  }
  ASSERT_NE(period1, nullptr);
  ASSERT_TRUE(store->SetSectionBadges(period1->id, {"M100"}).ok());

  // A fourth Algebra I class and a changed title for period 2.
  files["classes.csv"] +=
      "k-alg1-p4,,,Algebra I - Period 4,09,c-alg1,ALG1-4,scheduled,Room 101,s1,t1,Mathematics,,4\n";
  const std::size_t at = files["classes.csv"].find("Algebra I - Period 2");
  ASSERT_NE(at, std::string::npos);
  files["classes.csv"].replace(at, 20, "Algebra I - Period 2b");

  EXPECT_FALSE(ImportFiles(*store, files, /*dry_run=*/true).applied);
  EXPECT_EQ(BadgesBySection(*store).count("k-alg1-p4"), 0u);

  ImportReport report = ImportFiles(*store, files);
  ASSERT_TRUE(report.applied) << (report.problems.empty() ? "" : report.problems[0].reason);
  auto badges = BadgesBySection(*store);
  EXPECT_EQ(badges["k-alg1-p4"], (std::vector<std::string>{"M101", "M102"}));
  EXPECT_EQ(badges["k-alg1-p1"], (std::vector<std::string>{"M100"}));
  EXPECT_TRUE(badges["k-alg1-p2"].empty());  // updated, not new
  EXPECT_TRUE(badges["k-geo-p3"].empty());   // another course

  // Importing the same set again adds nothing anywhere.
  ASSERT_TRUE(store->SetCourseBadges(algebra, {"M103"}).ok());
  ImportFiles(*store, files);
  EXPECT_EQ(BadgesBySection(*store)["k-alg1-p4"], (std::vector<std::string>{"M101", "M102"}));
}

}  // namespace
}  // namespace cairn::oneroster
