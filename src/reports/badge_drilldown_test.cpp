#include "reports/badge_drilldown.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cairn {
namespace {

TrackingRow Row(const std::string& student, const std::string& school, const std::string& section,
                const std::string& badge, std::vector<std::string> remaining,
                const std::string& last_evidence = "") {
  TrackingRow row;
  row.student_id = student;
  row.student_name = "Name " + student;
  row.school = school;
  row.section = "Section " + section;
  row.section_sourced_id = section;
  row.badge = badge;
  row.completed = remaining.empty();
  row.completed_on = row.completed ? "2026-10-01" : "";
  row.remaining = std::move(remaining);
  row.last_evidence_on = last_evidence;
  return row;
}

const std::string kPrereq = "Prerequisite badge M102 Linear Functions";

std::vector<TrackingRow> Rows() {
  return {
      Row("s1", "North", "n1", "M201", {kPrereq, "M201.1 at mastery"}, "2026-09-01"),
      Row("s2", "North", "n1", "M201", {kPrereq}, "2026-11-01"),
      Row("s3", "North", "n2", "M201", {kPrereq, "M201.1 at mastery"}),
      Row("s4", "South", "s1", "M201", {}, "2026-10-01"),
      Row("s5", "South", "s1", "M201", {kPrereq}, "2026-10-15"),
      Row("s1", "North", "n1", "M101", {"M101.2 at mastery"}),  // another badge
  };
}

TEST(BadgeDrilldownTest, SaysWhatKeepsStudentsFromTheBadgeMostCommonFirst) {
  const auto rows = Rows();
  const DrilldownPage page = BuildBadgeDrilldown("M201", "Algebra II", rows, DrilldownFilter{});
  const nlohmann::json& out = page.json;
  EXPECT_EQ(out["students"], 5);
  EXPECT_EQ(out["completed"], 1);
  ASSERT_EQ(out["reasons"].size(), 2u);
  EXPECT_EQ(out["reasons"][0]["reason"], kPrereq);
  EXPECT_EQ(out["reasons"][0]["students"], 4);  // every student not done
  EXPECT_EQ(out["reasons"][1]["students"], 2);
  ASSERT_EQ(out["schools"].size(), 2u);
  EXPECT_EQ(out["schools"][0]["school"], "North");
  EXPECT_EQ(out["schools"][0]["students"], 3);
  EXPECT_EQ(out["schools"][1]["completed"], 1);
  // Not yet by default: four students, never-evidenced first, then oldest.
  EXPECT_EQ(out["total"], 4);
  ASSERT_EQ(out["rows"].size(), 4u);
  EXPECT_EQ(out["rows"][0]["student_id"], "s3");
  EXPECT_EQ(out["rows"][1]["student_id"], "s1");
  EXPECT_EQ(out["rows"][3]["student_id"], "s2");
  EXPECT_EQ(page.student_ids, (std::vector<std::string>{"s3", "s1", "s5", "s2"}));
}

TEST(BadgeDrilldownTest, NarrowsToASchoolThenASectionAndPages) {
  const auto rows = Rows();
  auto filter = ParseDrilldownFilter("North", "", "all", "1", "1");
  ASSERT_TRUE(filter.ok());
  DrilldownPage page = BuildBadgeDrilldown("M201", "Algebra II", rows, *filter);
  EXPECT_EQ(page.json["schools"].size(), 2u);   // schools stay whole, to go sideways
  EXPECT_EQ(page.json["sections"].size(), 2u);  // North's sections only
  EXPECT_EQ(page.json["total"], 3);
  ASSERT_EQ(page.json["rows"].size(), 1u);
  EXPECT_EQ(page.student_ids, (std::vector<std::string>{"s1"}));

  filter = ParseDrilldownFilter("North", "n2", "", "", "");
  ASSERT_TRUE(filter.ok());
  page = BuildBadgeDrilldown("M201", "Algebra II", rows, *filter);
  EXPECT_EQ(page.json["total"], 1);
  EXPECT_EQ(page.json["rows"][0]["student_id"], "s3");
  EXPECT_EQ(page.json["reasons"][0]["students"], 1);

  filter = ParseDrilldownFilter("", "", "completed", "", "");
  ASSERT_TRUE(filter.ok());
  page = BuildBadgeDrilldown("M201", "Algebra II", rows, *filter);
  EXPECT_EQ(page.student_ids, (std::vector<std::string>{"s4"}));
  EXPECT_EQ(page.json["rows"][0]["completed_on"], "2026-10-01");
}

TEST(BadgeDrilldownTest, BadQueryValuesNameTheirField) {
  EXPECT_NE(ParseDrilldownFilter("", "", "stuck", "", "").status().ToString().find("status"),
            std::string::npos);
  EXPECT_NE(ParseDrilldownFilter("", "", "", "0", "").status().ToString().find("limit"),
            std::string::npos);
  EXPECT_NE(ParseDrilldownFilter("", "", "", "5000", "").status().ToString().find("limit"),
            std::string::npos);
  EXPECT_NE(ParseDrilldownFilter("", "", "", "", "-1").status().ToString().find("offset"),
            std::string::npos);
}

}  // namespace
}  // namespace cairn
