#include "reports/tracking_xlsx.h"

#include <gtest/gtest.h>

#include <regex>

#include "testing/unzip.h"

namespace cairn {
namespace {

TrackingRow Row(const std::string& section_id, const std::string& section,
                const std::string& student, bool completed) {
  TrackingRow row;
  row.student_name = student;
  row.student_id = "id-" + student;
  row.teacher_name = "Kim Rivera";
  row.school = "Riverbend High";
  row.course = "Algebra I";
  row.section = section;
  row.section_sourced_id = section_id;
  row.badge = "M101";
  row.completed = completed;
  row.completed_on = completed ? "2026-01-15" : "";
  row.award_state = completed ? "confirmed" : "none";
  if (!completed) row.remaining = {"M101.2 at Proficient", "A performance task"};
  row.last_evidence_on = "2026-01-10";
  return row;
}

std::size_t Count(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST(UniqueSheetNameTest, ValidForExcelAndUnique) {
  std::vector<std::string> taken;
  EXPECT_EQ(UniqueSheetName("Algebra I - P2", taken), "Algebra I - P2");
  EXPECT_EQ(UniqueSheetName("algebra i - p2", taken), "algebra i - p2 (2)");  // case-insensitive
  EXPECT_EQ(UniqueSheetName("Q1: [Alg]/Geo*?\\x", taken), "Q1_ _Alg__Geo___x");
  EXPECT_EQ(UniqueSheetName("'quoted'", taken), "quoted");
  EXPECT_EQ(UniqueSheetName("", taken), "Section");
  EXPECT_EQ(UniqueSheetName("History", taken), "History 1");
  const std::string long_title = "Integrated Mathematics II Honors - Period 7 (Room 204)";
  const std::string first = UniqueSheetName(long_title, taken);
  EXPECT_EQ(first, long_title.substr(0, 31));
  const std::string second = UniqueSheetName(long_title, taken);
  EXPECT_EQ(second.size(), 31u);
  EXPECT_EQ(second.substr(second.size() - 4), " (2)");
  // 31 characters, not bytes: a name of accented letters is cut between them.
  const std::string accents = UniqueSheetName(std::string(40, 'a'), taken);
  EXPECT_EQ(accents.size(), 31u);
  std::string e_acute;
  for (int i = 0; i < 40; ++i) e_acute += "\xC3\xA9";
  EXPECT_EQ(UniqueSheetName(e_acute, taken).size(), 62u);
  for (const std::string& name : taken) {
    EXPECT_EQ(name.find_first_of("[]:*?/\\"), std::string::npos) << name;
  }
}

TEST(TrackingXlsxTest, OneSheetPerSectionWithFrozenHeaderFilterAndColours) {
  std::vector<TrackingRow> rows = {
      Row("sec-1", "Algebra I - P2", "Ava Lopez", true),
      Row("sec-1", "Algebra I - P2", "=cmd|' /C calc'!A0", false),
      Row("sec-2", "Algebra I - P2", "Noah Kim", false),  // same title, another section
  };
  rows[1].supports = {"Tutoring since 2026-02-02", "Flex time since 2026-02-09"};
  auto xlsx = TrackingSheetXlsx(rows);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().ToString();
  auto files = testing::Unzip(*xlsx);
  ASSERT_TRUE(files.count("xl/workbook.xml"));
  const std::string& workbook = files["xl/workbook.xml"];
  EXPECT_NE(workbook.find("<sheet name=\"Algebra I - P2\""), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("<sheet name=\"Algebra I - P2 (2)\""), std::string::npos) << workbook;
  ASSERT_TRUE(files.count("xl/worksheets/sheet1.xml"));
  ASSERT_TRUE(files.count("xl/worksheets/sheet2.xml"));
  EXPECT_FALSE(files.count("xl/worksheets/sheet3.xml"));

  const std::string& sheet = files["xl/worksheets/sheet1.xml"];
  // The header row frozen, a filter over all 13 columns and both rows.
  EXPECT_TRUE(std::regex_search(sheet, std::regex("<pane ySplit=\"1\"[^>]*state=\"frozen\"")))
      << sheet;
  EXPECT_NE(sheet.find("<autoFilter ref=\"A1:M3\"/>"), std::string::npos) << sheet;
  // Headers and cells as strings.
  for (const char* header :
       {"Student Name", "Completed", "Date of Completion", "What Remains Incomplete",
        "Last Evidence", "Next Opportunity", "Supports"}) {
    EXPECT_NE(sheet.find(std::string("<t>") + header + "</t>"), std::string::npos) << header;
  }
  EXPECT_NE(sheet.find("<c r=\"A2\" t=\"inlineStr\"><is><t>Ava Lopez</t></is></c>"),
            std::string::npos)
      << sheet;
  EXPECT_NE(sheet.find("<c r=\"H2\" t=\"inlineStr\"><is><t>Yes</t></is></c>"), std::string::npos);
  EXPECT_NE(sheet.find("<c r=\"H3\" t=\"inlineStr\"><is><t>Not yet</t></is></c>"),
            std::string::npos);
  EXPECT_NE(sheet.find("<t>M101.2 at Proficient; A performance task</t>"), std::string::npos);
  // Supports: the open interventions, in the last column.
  EXPECT_TRUE(std::regex_search(
      sheet, std::regex("<c r=\"M3\" s=\"[0-9]+\" t=\"inlineStr\"><is><t>Tutoring since "
                        "2026-02-02; Flex time since 2026-02-09</t></is></c>")))
      << sheet;
  // Dates are dates: 2026-01-15 is Excel serial 46037, with a date style.
  EXPECT_TRUE(std::regex_search(sheet, std::regex("<c r=\"I2\" s=\"[0-9]+\"><v>46037</v></c>")))
      << sheet;
  EXPECT_TRUE(std::regex_search(sheet, std::regex("<c r=\"K3\" s=\"[0-9]+\"><v>46032</v></c>")));
  // A formula-looking name is text, neutralised, and no cell holds a formula.
  EXPECT_NE(sheet.find("<t>'=cmd|' /C calc'!A0</t>"), std::string::npos) << sheet;
  EXPECT_EQ(sheet.find("<f>"), std::string::npos);
  // The earned / not yet colours: two conditional rules over the rows.
  EXPECT_EQ(Count(sheet, "<conditionalFormatting sqref=\"A2:M3\">"), 1u) << sheet;
  EXPECT_EQ(Count(sheet, "<cfRule type=\"expression\""), 2u) << sheet;
  EXPECT_NE(sheet.find("<formula>$H2=\"Yes\"</formula>"), std::string::npos);
  EXPECT_NE(sheet.find("<formula>$H2=\"Not yet\"</formula>"), std::string::npos);
  const std::string& styles = files["xl/styles.xml"];
  EXPECT_NE(styles.find("FFC6EFCE"), std::string::npos) << styles;
  EXPECT_NE(styles.find("FFFFEB9C"), std::string::npos);

  const std::string& other = files["xl/worksheets/sheet2.xml"];
  EXPECT_NE(other.find("<t>Noah Kim</t>"), std::string::npos);
  EXPECT_EQ(other.find("Ava Lopez"), std::string::npos);
  EXPECT_NE(other.find("<autoFilter ref=\"A1:M2\"/>"), std::string::npos);
}

TEST(TrackingXlsxTest, NoRowsGiveOneSheetWithTheHeader) {
  auto xlsx = TrackingSheetXlsx({});
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().ToString();
  auto files = testing::Unzip(*xlsx);
  EXPECT_NE(files["xl/workbook.xml"].find("<sheet name=\"Tracking\""), std::string::npos);
  const std::string& sheet = files["xl/worksheets/sheet1.xml"];
  EXPECT_NE(sheet.find("<t>Student Name</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<autoFilter ref=\"A1:M1\"/>"), std::string::npos) << sheet;
  EXPECT_EQ(sheet.find("conditionalFormatting"), std::string::npos);
}

TEST(TrackingXlsxTest, TooManySectionsIsRefused) {
  std::vector<TrackingRow> rows;
  for (std::size_t i = 0; i <= kMaxTrackingSheets; ++i) {
    rows.push_back(Row("sec-" + std::to_string(i), "Section " + std::to_string(i), "A", false));
  }
  auto xlsx = TrackingSheetXlsx(rows);
  ASSERT_FALSE(xlsx.ok());
  EXPECT_EQ(xlsx.status().code(), StatusCode::kResourceExhausted);
  rows.pop_back();
  EXPECT_TRUE(TrackingSheetXlsx(rows).ok());
}

}  // namespace
}  // namespace cairn
