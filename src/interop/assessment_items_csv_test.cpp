// Interim assessment items from a district's CSV: read with its own column
// names, every problem at file:line:column, nothing written unless the whole
// file is good.
#include "interop/assessment_items_csv.h"

#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "testing/test_catalog.h"

namespace cairn::assessment_items {
namespace {

class AssessmentItemsCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(SqliteStore::Open(":memory:")).value();
    district_ = *store_->InsertDistrict({0, "d1", "District"});
    Person teacher;
    teacher.sourced_id = "t1";
    teacher.role = PersonRole::kTeacher;
    teacher.district_id = district_;
    options_.district = district_;
    options_.added_by = *store_->InsertPerson(teacher);
    options_.now = 1790000000;
  }

  Result<ImportReport> Import(const std::string& text, const std::string& badge = "B1") {
    return ImportAssessmentItemsCsv(*store_, catalog_, text, "items.csv", badge, options_);
  }

  std::vector<std::string> Problems(const ImportReport& report) {
    std::vector<std::string> out;
    for (const auto& p : report.problems) out.push_back(oneroster::FormatProblem(p));
    return out;
  }

  Catalog catalog_ = testing::ParseOrDie(testing::TestCatalogJson());
  std::unique_ptr<SqliteStore> store_;
  Id district_ = 0;
  ImportOptions options_;
};

TEST_F(AssessmentItemsCsvTest, TheGuidesColumnsImport) {
  auto report = Import(
      "Badge,Filename,Item ID,Target,Relevant Standard(s) / Cluster(s),CPE,Indicator\r\n"
      "B1,High School MATH - Algebra and Functions II (IAB),#13-5 1149,1J,"
      "\"A-REI 11, A.REI.D.11\",B1.1,B1.1.a\r\n"
      "B1,Seeing Structure (FIAB),#12-45390,1D,A.SSE.A.2; A.APR.D.6,B1.3,\r\n");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_TRUE(report->ok()) << Problems(*report)[0];
  EXPECT_EQ(report->rows, 2);
  ASSERT_EQ(report->added.size(), 2u);
  auto items = store_->AssessmentItems("B1");
  ASSERT_EQ(items->size(), 2u);
  const AssessmentItem& first = (*items)[0];
  EXPECT_EQ(first.item_key, "#13-5 1149");
  EXPECT_EQ(first.title, "High School MATH - Algebra and Functions II (IAB)");
  EXPECT_EQ(first.target, "1J");
  EXPECT_EQ(first.standards, (std::vector<std::string>{"A-REI 11", "A.REI.D.11"}));
  EXPECT_EQ(first.cpe_id, "B1.1");
  EXPECT_EQ(first.indicator_id, "B1.1.a");
  EXPECT_EQ(first.added_by, options_.added_by);
  EXPECT_EQ((*items)[1].standards, (std::vector<std::string>{"A.SSE.A.2", "A.APR.D.6"}));
  EXPECT_EQ((*items)[1].indicator_id, "");
}

TEST_F(AssessmentItemsCsvTest, EveryProblemIsNamedAndNothingIsWritten) {
  ASSERT_TRUE(Import("item id,cpe\nkept,B1.2\n")->ok());
  auto report = Import(
      "item id,file,cpe,indicator,badge\n"
      "#1,Test A,B1.1,,B1\n"    // good, but the file has problems: not written
      "#2,Test A,B2.1,,\n"      // a CPE of another badge
      "#1,Test B,B1.2,,\n"      // repeats line 2's id
      ",Test C,B1.3,,\n"        // no id
      "#5,Test D,B1.1,B1.9,\n"  // not an indicator of B1.1
      "kept,Test E,B1.1,,\n"    // taken by a stored item
      "#7,Test F,B1.1,,B2\n");  // another badge named
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(Problems(*report),
            (std::vector<std::string>{
                "items.csv:3:cpe: B2.1 is not a CPE of B1",
                "items.csv:4:item id: '#1' is also on line 2", "items.csv:5:item id: required",
                "items.csv:6:indicator: 'B1.9' is not an indicator of B1.1",
                "items.csv:7:item id: 'kept' is already an item of B1",
                "items.csv:8:badge: 'B2' is not the badge imported for (B1)"}));
  EXPECT_EQ(report->problems[0].column_number, 3);
  EXPECT_TRUE(report->added.empty());
  EXPECT_EQ(store_->AssessmentItems("B1")->size(), 1u);
}

TEST_F(AssessmentItemsCsvTest, AFileWithoutTheKeyColumnsReadsNoRow) {
  auto report = Import("file,target\nTest A,1J\n");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(Problems(*report), (std::vector<std::string>{"items.csv:1: no 'item id' column",
                                                         "items.csv:1: no 'cpe' column"}));
  EXPECT_EQ(Import("item id,cpe\n\"unterminated,B1.1\n")->problems.size(), 1u);
  EXPECT_EQ(Import("item id,cpe\nk,B1.1\n", "B7").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->AssessmentItems("")->empty());
}

TEST_F(AssessmentItemsCsvTest, ADryRunChecksAndWritesNothing) {
  options_.dry_run = true;
  auto report = Import("item id,cpe\na,B1.1\nb,B1.2\n");
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->rows, 2);
  EXPECT_TRUE(report->added.empty());
  EXPECT_TRUE(store_->AssessmentItems("B1")->empty());
}

}  // namespace
}  // namespace cairn::assessment_items
