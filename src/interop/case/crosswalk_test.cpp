#include "interop/case/crosswalk.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "interop/case/case_import.h"
#include "interop/case/test_support.h"
#include "interop/oneroster/test_support.h"
#include "store/sqlite_store.h"
#include "testing/test_catalog.h"

namespace cairn::standards {
namespace {

using nlohmann::json;
using oneroster::testing::Formatted;
using testing::ReadCaseFixture;
using testing::SampleItem;

constexpr const char* kHeader = "badge,cpe,framework,item identifier,human code,statement\n";

class CrosswalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    catalog_ = ::cairn::testing::ParseOrDie(::cairn::testing::TestCatalogJson());
    auto imported = ImportCasePackage(*store_, ReadCaseFixture(testing::kSampleMath), "math", {});
    ASSERT_TRUE(imported.ok() && imported->applied);
    author_ = {std::nullopt, *ParseInstant("2026-03-02T10:00:00Z"), "test"};
  }

  CrosswalkImportReport Import(const std::string& csv, bool replace = false, bool dry_run = false) {
    CrosswalkImportOptions options;
    options.replace = replace;
    options.dry_run = dry_run;
    options.author = author_;
    options.author.source = "csv import crosswalk.csv";
    auto report = ImportCrosswalkCsv(*store_, catalog_, csv, "crosswalk.csv", options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : CrosswalkImportReport{};
  }

  // The current links as "cpe -> item".
  std::vector<std::string> Links() {
    std::vector<std::string> out;
    auto current = store_->CurrentCrosswalk(std::nullopt);
    for (const CrosswalkFact& f : *current) {
      out.push_back(f.cpe + " -> " + f.item_identifier);
    }
    return out;
  }

  std::unique_ptr<SqliteStore> store_;
  Catalog catalog_;
  CrosswalkAuthor author_;
};

TEST_F(CrosswalkTest, SettingACpesLinksLinksAndUnlinksOnlyTheDifference) {
  auto first = SetCpeAlignments(*store_, catalog_, "B1.1", {SampleItem(5), SampleItem(9)}, author_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->linked, 2);
  auto second =
      SetCpeAlignments(*store_, catalog_, "B1.1", {SampleItem(9), SampleItem(6)}, author_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->linked, 1);
  EXPECT_EQ(second->unlinked, 1);
  EXPECT_EQ(second->unchanged, 1);
  EXPECT_EQ(Links(),
            (std::vector<std::string>{"B1.1 -> " + SampleItem(9), "B1.1 -> " + SampleItem(6)}));
  // The same again writes no fact.
  const std::size_t facts = store_->CrosswalkHistory(std::nullopt)->size();
  EXPECT_EQ(SetCpeAlignments(*store_, catalog_, "B1.1", {SampleItem(9), SampleItem(6)}, author_)
                ->unchanged,
            2);
  EXPECT_EQ(store_->CrosswalkHistory(std::nullopt)->size(), facts);
  EXPECT_EQ(facts, 4u);  // link, link, unlink, link: nothing lost
}

TEST_F(CrosswalkTest, SettingRefusesUnknownCpesAndItemsWithTheirPlace) {
  auto unknown_cpe = SetCpeAlignments(*store_, catalog_, "Z9.9", {SampleItem(5)}, author_);
  EXPECT_EQ(unknown_cpe.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown_cpe.status().fields()[0].field, "cpe");
  auto bad = SetCpeAlignments(*store_, catalog_, "B1.1",
                              {SampleItem(5), "no-such-item", SampleItem(5)}, author_);
  ASSERT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(bad.status().fields().size(), 2u);
  EXPECT_EQ(bad.status().fields()[0].field, "items[1]");
  EXPECT_EQ(bad.status().fields()[1].field, "items[2]");
  EXPECT_TRUE(Links().empty());
}

TEST_F(CrosswalkTest, ExportThenImportRoundTrips) {
  ASSERT_TRUE(SetCpeAlignments(*store_, catalog_, "B2.1", {SampleItem(8)}, author_).ok());
  ASSERT_TRUE(
      SetCpeAlignments(*store_, catalog_, "B1.2", {SampleItem(5), SampleItem(3)}, author_).ok());
  auto csv = ExportCrosswalkCsv(*store_, catalog_);
  ASSERT_TRUE(csv.ok());
  const std::string framework = "Sample State Mathematics Standards";
  EXPECT_EQ(*csv,
            std::string("badge,cpe,framework,item identifier,human code,statement\r\n") +
                "B1,B1.2," + framework + "," + SampleItem(5) +
                ",A-CED.1,\"Write equations and inequalities in one variable that model a "
                "situation, and solve them.\"\r\n" +
                "B1,B1.2," + framework + "," + SampleItem(3) +
                ",A-SSE.1,\"Interpret the parts of an expression, such as terms, factors and "
                "coefficients, in terms of its context.\"\r\n" +
                "B2,B2.1," + framework + "," + SampleItem(8) +
                ",A-APR.1,\"Add, subtract and multiply polynomials and explain why the results "
                "are polynomials.\"\r\n");
  // Into an empty crosswalk: the same links.
  const std::vector<std::string> before = Links();
  for (const std::string& pair : before) {
    const std::string cpe = pair.substr(0, pair.find(' '));
    ASSERT_TRUE(SetCpeAlignments(*store_, catalog_, cpe, {}, author_).ok());
  }
  EXPECT_TRUE(Links().empty());
  CrosswalkImportReport report = Import(*csv);
  EXPECT_TRUE(report.ok()) << CrosswalkReportJson(report).dump();
  EXPECT_EQ(report.rows, 3);
  EXPECT_EQ(report.changes.linked, 3);
  EXPECT_TRUE(report.applied);
  EXPECT_EQ(Links(),
            (std::vector<std::string>{"B1.2 -> " + SampleItem(5), "B1.2 -> " + SampleItem(3),
                                      "B2.1 -> " + SampleItem(8)}));
  // Again: nothing to do.
  CrosswalkImportReport again = Import(*csv);
  EXPECT_EQ(again.changes.unchanged, 3);
  EXPECT_FALSE(again.applied);
  const auto history = store_->CrosswalkHistory(std::nullopt);
  EXPECT_EQ(history->back().source, "csv import crosswalk.csv");
}

TEST_F(CrosswalkTest, RowsMayNameItemsByFrameworkAndCode) {
  CrosswalkImportReport report =
      Import(std::string("CPE,Framework,Human Code\n") +  // header case and fewer columns
             "B1.1,Sample State Mathematics Standards,A-CED.1\n" + "B1.3," +
             testing::kSampleMathDocument + ",A-REI.3\n");
  EXPECT_TRUE(report.ok()) << CrosswalkReportJson(report).dump();
  EXPECT_EQ(Links(),
            (std::vector<std::string>{"B1.1 -> " + SampleItem(5), "B1.3 -> " + SampleItem(9)}));
}

TEST_F(CrosswalkTest, AnyProblemWritesNothingAndEveryOneHasItsPlace) {
  ASSERT_TRUE(SetCpeAlignments(*store_, catalog_, "B1.1", {SampleItem(5)}, author_).ok());
  const std::string csv =
      std::string(kHeader) + "B1,B1.1,," + SampleItem(6) + ",,\n" +  // 2: fine
      "B2,B1.2,," + SampleItem(6) + ",,\n" +                         // 3: wrong badge
      ",Z9.9,," + SampleItem(6) + ",,\n" +                           // 4: unknown CPE
      ",B1.3,,no-such-item,,\n" +                                    // 5: unknown item
      ",B1.3,Another framework," + SampleItem(3) + ",,\n" +          // 6: wrong framework
      ",B1.3,Sample State Mathematics Standards,,A-XYZ.9,\n" +       // 7: unknown code
      ",B1.3,,,,\n" +                                                // 8: no item
      "B1,B1.1,," + SampleItem(6) + ",,\n" +                         // 9: repeats line 2
      ",,," + SampleItem(6) + ",,\n" +                               // 10: no CPE
      ",\"B1.2\n";                                                   // 11: unterminated quote
  CrosswalkImportReport report = Import(csv, /*replace=*/true);
  EXPECT_FALSE(report.ok());
  EXPECT_FALSE(report.applied);
  const auto problems = Formatted(report.problems);
  ASSERT_EQ(problems.size(), 9u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[1], "crosswalk.csv:3:badge: 'B2' is not the badge of B1.2 (B1)");
  EXPECT_EQ(problems[2], "crosswalk.csv:4:cpe: no CPE 'Z9.9' in the catalog");
  EXPECT_EQ(problems[3],
            "crosswalk.csv:5:item identifier: no CFItem 'no-such-item' in a current framework");
  EXPECT_EQ(problems[4],
            "crosswalk.csv:6:framework: the item is in 'Sample State Mathematics Standards', not "
            "'Another framework'");
  EXPECT_EQ(problems[5],
            "crosswalk.csv:7:human code: no item 'A-XYZ.9' in a current framework 'Sample State "
            "Mathematics Standards'");
  EXPECT_EQ(problems[6],
            "crosswalk.csv:8:item identifier: missing (or give both 'framework' and 'human "
            "code')");
  EXPECT_EQ(problems[7], "crosswalk.csv:9: repeats line 2");
  EXPECT_EQ(problems[8], "crosswalk.csv:10:cpe: missing");
  // Nothing written, the replace included.
  EXPECT_EQ(Links(), (std::vector<std::string>{"B1.1 -> " + SampleItem(5)}));
}

TEST_F(CrosswalkTest, ReplaceUnlinksWhatTheFileLeavesOutAndDryRunWritesNothing) {
  ASSERT_TRUE(SetCpeAlignments(*store_, catalog_, "B1.1", {SampleItem(5)}, author_).ok());
  ASSERT_TRUE(SetCpeAlignments(*store_, catalog_, "B2.1", {SampleItem(8)}, author_).ok());
  const std::string csv = std::string(kHeader) + "B1,B1.1,," + SampleItem(5) + ",,\n" +
                          "B1,B1.3,," + SampleItem(9) + ",,\n";
  CrosswalkImportReport dry = Import(csv, true, /*dry_run=*/true);
  EXPECT_EQ(dry.changes.linked, 1);
  EXPECT_EQ(dry.changes.unlinked, 1);
  EXPECT_EQ(dry.changes.unchanged, 1);
  EXPECT_FALSE(dry.applied);
  EXPECT_EQ(Links().size(), 2u);
  // Without replace the file only adds.
  CrosswalkImportReport add = Import(csv, false, true);
  EXPECT_EQ(add.changes.unlinked, 0);
  CrosswalkImportReport real = Import(csv, true);
  EXPECT_TRUE(real.applied);
  EXPECT_EQ(Links(),
            (std::vector<std::string>{"B1.1 -> " + SampleItem(5), "B1.3 -> " + SampleItem(9)}));
  // An empty file never means "unlink everything".
  CrosswalkImportReport empty = Import("", true);
  EXPECT_FALSE(empty.ok());
  EXPECT_EQ(Links().size(), 2u);
}

TEST_F(CrosswalkTest, FormulaLookingCellsAreNeutralisedAndComeBack) {
  // A framework whose code and statement look like formulas.
  json package = testing::SampleMathPackage();
  package["CFDocument"]["lastChangeDateTime"] = "2026-02-01T00:00:00Z";
  package["CFItems"][4]["humanCodingScheme"] = "=HYPERLINK(\"http://evil\")";
  package["CFItems"][4]["fullStatement"] = "+1 and -1 @ once";
  ASSERT_TRUE(ImportCasePackage(*store_, package.dump(), "v2", {})->applied);
  ASSERT_TRUE(SetCpeAlignments(*store_, catalog_, "B1.1", {SampleItem(5)}, author_).ok());
  auto csv = ExportCrosswalkCsv(*store_, catalog_);
  EXPECT_NE(csv->find(",\"'=HYPERLINK(\"\"http://evil\"\")\",'+1 and -1 @ once\r\n"),
            std::string::npos)
      << *csv;
  ASSERT_TRUE(SetCpeAlignments(*store_, catalog_, "B1.1", {}, author_).ok());
  // Coming back by code, the quote is taken off again.
  const std::string by_code = std::string(kHeader) +
                              "B1,B1.1,Sample State Mathematics Standards,,"
                              "\"'=HYPERLINK(\"\"http://evil\"\")\",\n";
  CrosswalkImportReport report = Import(by_code);
  EXPECT_TRUE(report.ok()) << CrosswalkReportJson(report).dump();
  EXPECT_EQ(Links(), (std::vector<std::string>{"B1.1 -> " + SampleItem(5)}));
}

TEST_F(CrosswalkTest, StaleLinksAreKeptAndShown) {
  ASSERT_TRUE(SetCpeAlignments(*store_, catalog_, "B1.1", {SampleItem(9)}, author_).ok());
  // A newer version drops A-REI.3.
  json package = testing::SampleMathPackage();
  package["CFDocument"]["lastChangeDateTime"] = "2026-02-01T00:00:00Z";
  package["CFItems"].erase(8);
  json associations = json::array();
  for (const json& a : package["CFAssociations"]) {
    if (a["originNodeURI"]["identifier"] != SampleItem(9)) associations.push_back(a);
  }
  package["CFAssociations"] = associations;
  ASSERT_TRUE(ImportCasePackage(*store_, package.dump(), "v2", {})->applied);
  auto aligned = CurrentAlignments(*store_, std::string("B1.1"));
  ASSERT_EQ(aligned->size(), 1u);
  EXPECT_FALSE((*aligned)[0].item.has_value());
  auto csv = ExportCrosswalkCsv(*store_, catalog_);
  EXPECT_NE(csv->find("B1,B1.1,," + SampleItem(9) + ",,\r\n"), std::string::npos) << *csv;
}

TEST_F(CrosswalkTest, AHeaderWithoutTheKeyColumnsReadsNoRow) {
  CrosswalkImportReport report = Import("badge,statement\nB1,anything\n", /*replace=*/true);
  EXPECT_EQ(
      Formatted(report.problems),
      (std::vector<std::string>{
          "crosswalk.csv:1: no 'cpe' column",
          "crosswalk.csv:1: no 'item identifier' column (nor 'framework' and 'human code')"}));
  EXPECT_FALSE(report.applied);
}

}  // namespace
}  // namespace cairn::standards
