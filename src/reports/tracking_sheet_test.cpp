#include "reports/tracking_sheet.h"

#include <gtest/gtest.h>

#include <sstream>

#include "reports/csv.h"

namespace cairn {
namespace {

TEST(CsvTest, QuotesOnlyWhatNeedsQuoting) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("Smith, Jr."), "\"Smith, Jr.\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField(""), "");
}

TEST(CsvTest, NeutralizesSpreadsheetFormulas) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-1"), "'-1");
  EXPECT_EQ(CsvField("@cmd"), "'@cmd");
  // Some spreadsheets skip a leading TAB or CR before looking for "=".
  EXPECT_EQ(CsvField("\t=1+1"), "'\t=1+1");
  EXPECT_EQ(CsvField("\r=cmd"), "\"'\r=cmd\"");
}

TEST(TrackingSheetTest, OneLinePerRowWithJoinedRemainders) {
  TrackingRow row;
  row.student_name = "Ava Lopez";
  row.student_id = "s1";
  row.teacher_name = "Kim";
  row.school = "Riverbend";
  row.course = "Algebra I";
  row.section = "P1";
  row.badge = "M101";
  row.remaining = {"M101.2 CPE 2 at mastery", "Performance task at mastery"};
  std::ostringstream out;
  WriteTrackingSheetCsv(out, {row});
  std::string text = out.str();
  EXPECT_NE(text.find("Ava Lopez,s1,Kim,Riverbend,Algebra I,P1,M101,No,N/A,"
                      "M101.2 CPE 2 at mastery; Performance task at mastery,,\r\n"),
            std::string::npos)
      << text;
}

TEST(TrackingSheetTest, SupportsAreTheOpenInterventionsOnTheRowsBadge) {
  Roster roster;
  Person ava;
  ava.id = 7;
  ava.sourced_id = "s1";
  roster.people.push_back(ava);
  roster.Index();
  auto intervention = [](std::string id, std::string badge, std::string started,
                         std::string ended) {
    Intervention i;
    i.id = std::move(id);
    i.student = 7;
    i.badge = std::move(badge);
    i.kind = InterventionKind::kTutoring;
    i.started_on = std::move(started);
    i.ended_on = std::move(ended);
    return i;
  };
  std::vector<Intervention> all = {intervention("b", "M101", "2026-02-09", ""),
                                   intervention("a", "M101", "2026-02-02", ""),
                                   intervention("c", "M101", "2026-01-05", "2026-01-30"),
                                   intervention("d", "M102", "2026-02-01", "")};
  all[1].provider = "Ms. Lee";
  all[1].cpe = "M101.2";
  all[1].note = "two sessions a week";
  all[0].kind = InterventionKind::kFlexTime;
  TrackingRow m101, m103, other;
  m101.student_id = "s1";
  m101.badge = "M101";
  m103 = m101;
  m103.badge = "M103";
  other.student_id = "s2";
  other.badge = "M101";
  std::vector<TrackingRow> rows = {m101, m103, other};
  AttachSupports(rows, all, roster);
  // Open ones only, by start; the closed one is history.
  EXPECT_EQ(rows[0].supports,
            (std::vector<std::string>{
                "Tutoring with Ms. Lee since 2026-02-02, on M101.2: two sessions a week",
                "Flex time since 2026-02-09"}));
  EXPECT_TRUE(rows[1].supports.empty());
  EXPECT_TRUE(rows[2].supports.empty());
  std::ostringstream out;
  WriteTrackingSheetCsv(out, rows);
  EXPECT_NE(out.str().find(",\"Tutoring with Ms. Lee since 2026-02-02, on M101.2: two sessions a "
                           "week; Flex time since 2026-02-09\"\r\n"),
            std::string::npos)
      << out.str();
  EXPECT_EQ(ToJson(rows[0])["supports"].size(), 2u);
}

}  // namespace
}  // namespace cairn
