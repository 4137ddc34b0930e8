// The tolerant CSV reader: what real exports do that it accepts, and the
// exact place of what it refuses.
#include "interop/oneroster/csv_table.h"

#include <gtest/gtest.h>

namespace cairn::oneroster {
namespace {

using Fields = std::vector<std::string>;

CsvTable Parse(std::string_view text, std::vector<ImportProblem>& problems) {
  return CsvTable::Parse(text, "users.csv", problems);
}

TEST(CsvTableTest, ReadsBomCrlfAndHeaderInAnyCase) {
  std::vector<ImportProblem> problems;
  CsvTable table = Parse("\xEF\xBB\xBFSourcedID,GivenName\r\nu1,Ann\r\nu2,Bo", problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(table.header(), (Fields{"SourcedID", "GivenName"}));
  ASSERT_EQ(table.records().size(), 2u);
  EXPECT_EQ(table.Column("sourcedId"), 0u);
  EXPECT_EQ(table.Column("givenname"), 1u);
  EXPECT_EQ(table.Field(table.records()[1], "givenName"), "Bo");
  EXPECT_EQ(table.records()[1].line, 3);
  EXPECT_EQ(table.Field(table.records()[0], "email"), "");  // no such column
}

TEST(CsvTableTest, QuotedFieldsHoldCommasLineBreaksAndDoubledQuotes) {
  std::vector<ImportProblem> problems;
  CsvTable table = Parse(
      "a,b,c\n"
      "\"x, y\",\"line one\r\nline two\",\"say \"\"hi\"\"\"\n"
      "next,\"\",plain\n",
      problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(table.records().size(), 2u);
  EXPECT_EQ(table.records()[0].fields, (Fields{"x, y", "line one\nline two", "say \"hi\""}));
  EXPECT_EQ(table.records()[0].line, 2);
  // The record after a two-line record starts on line 4.
  EXPECT_EQ(table.records()[1].line, 4);
  EXPECT_EQ(table.records()[1].fields, (Fields{"next", "", "plain"}));
}

TEST(CsvTableTest, BlankLinesLoneCrAndSpacesAroundQuotesAreTolerated) {
  std::vector<ImportProblem> problems;
  CsvTable table = Parse("a,b\r\rx,\"y\" \n\n  \"z\",w\n", problems);
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : FormatProblem(problems[0]));
  ASSERT_EQ(table.records().size(), 2u);
  EXPECT_EQ(table.records()[0].line, 3);
  EXPECT_EQ(table.records()[0].fields, (Fields{"x", "y"}));
  EXPECT_EQ(table.records()[1].line, 5);
  EXPECT_EQ(table.records()[1].fields, (Fields{"z", "w"}));
}

TEST(CsvTableTest, AQuoteInsideAnUnquotedFieldIsText) {
  std::vector<ImportProblem> problems;
  CsvTable table = Parse("a,b\nO\"Brien,x\n", problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(table.records()[0].fields[0], "O\"Brien");
}

TEST(CsvTableTest, UnterminatedQuoteNamesWhereItOpened) {
  std::vector<ImportProblem> problems;
  CsvTable table = Parse("a,b\nok,1\nx,\"never closed\nmore\n", problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], (ImportProblem{"users.csv", 3, "", 2,
                                        "quoted field opened on line 3 is never closed (a "
                                        "missing \")"}));
  EXPECT_EQ(table.records().size(), 1u);
}

TEST(CsvTableTest, TextAfterClosingQuoteIsAProblemAtItsColumn) {
  std::vector<ImportProblem> problems;
  CsvTable table = Parse("a,b,c\n1,\"two\"x,3\n4,5,6\n", problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_EQ(problems[0].column_number, 2);
  EXPECT_EQ(problems[0].reason, "text after the closing quote of a quoted field");
  ASSERT_EQ(table.records().size(), 1u);  // the bad record is left out, the rest read
  EXPECT_EQ(table.records()[0].line, 3);
}

TEST(CsvTableTest, EveryWrongFieldCountIsReported) {
  std::vector<ImportProblem> problems;
  Parse("a,b\n1,2,3\n4\n5,6\n", problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0],
            (ImportProblem{"users.csv", 2, "", 0, "the record has 3 fields but the header has 2"}));
  EXPECT_EQ(problems[1],
            (ImportProblem{"users.csv", 3, "", 0, "the record has 1 fields but the header has 2"}));
}

TEST(CsvTableTest, InvalidUtf8NamesTheColumn) {
  std::vector<ImportProblem> problems;
  Parse("sourcedId,givenName\nu1,Jos\xE9\n", problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], (ImportProblem{"users.csv", 2, "givenName", 2, "not valid UTF-8"}));
}

TEST(CsvTableTest, RepeatedHeaderAndEmptyFile) {
  std::vector<ImportProblem> problems;
  Parse("sourcedId,SOURCEDID\n", problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 1);
  EXPECT_EQ(problems[0].column_number, 2);
  problems.clear();
  Parse("\xEF\xBB\xBF", problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].reason, "the file is empty (no header line)");
}

// Streaming keeps no record: each goes to the callback once, in order, with
// the byte offset past it, and the table returned holds the header only (a
// million-row file is never a table of strings).
TEST(CsvTableTest, StreamHandsOverEveryRecordAndKeepsNone) {
  std::string text = "sourcedId,classSourcedId\n";
  constexpr int kRows = 5000;
  for (int i = 0; i < kRows; ++i) {
    text += "e" + std::to_string(i) + ",k" + std::to_string(i % 7) + "\n";
  }
  text += "bad,row,with,too,many\n";
  std::vector<ImportProblem> problems;
  int seen = 0;
  std::size_t last_end = 0;
  CsvTable table = CsvTable::Stream(
      text, "enrollments.csv", problems, [&](const CsvTable& header, const CsvRecord& record) {
        EXPECT_EQ(header.Field(record, "sourcedId"), "e" + std::to_string(seen));
        EXPECT_EQ(record.line, seen + 2);
        EXPECT_GT(record.end, last_end);
        last_end = record.end;
        ++seen;
      });
  EXPECT_EQ(seen, kRows);
  EXPECT_EQ(last_end, text.size() - std::string("bad,row,with,too,many\n").size());
  EXPECT_TRUE(table.records().empty());
  EXPECT_EQ(table.header(), (Fields{"sourcedId", "classSourcedId"}));
  ASSERT_EQ(problems.size(), 1u);  // the bad record is still reported
  EXPECT_EQ(problems[0].line, kRows + 2);
  // Parse is the same stream, kept.
  problems.clear();
  EXPECT_EQ(Parse(text, problems).records().size(), static_cast<std::size_t>(kRows));
}

TEST(CsvTableTest, FormatProblemNamesFileLineAndColumn) {
  EXPECT_EQ(FormatProblem({"users.csv", 12, "role", 6, "bad"}), "users.csv:12:role: bad");
  EXPECT_EQ(FormatProblem({"users.csv", 3, "", 2, "bad"}), "users.csv:3:column 2: bad");
  EXPECT_EQ(FormatProblem({"manifest.csv", 0, "", 0, "missing"}), "manifest.csv: missing");
}

}  // namespace
}  // namespace cairn::oneroster
