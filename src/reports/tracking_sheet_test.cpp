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
                      "M101.2 CPE 2 at mastery; Performance task at mastery\r\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace cairn
