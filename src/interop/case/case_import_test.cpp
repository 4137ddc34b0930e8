#include "interop/case/case_import.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "interop/case/test_support.h"
#include "store/sqlite_store.h"

namespace cairn::standards {
namespace {

using nlohmann::json;
using testing::ReadCaseFixture;
using testing::SampleItem;
using testing::SampleMathPackage;

class CaseImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  CaseImportReport Import(const std::string& text, bool dry_run = false) {
    CaseImportOptions options;
    options.dry_run = dry_run;
    options.now = *ParseInstant("2026-03-01T08:00:00Z");
    auto report = ImportCasePackage(*store_, text, "math.json", options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : CaseImportReport{};
  }

  std::size_t Versions() { return store_->CaseFrameworks()->size(); }

  std::unique_ptr<SqliteStore> store_;
};

TEST_F(CaseImportTest, AddsAFrameworkWithItsTreeAndCounts) {
  CaseImportReport report = Import(ReadCaseFixture(testing::kSampleMath));
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report.applied);
  EXPECT_EQ(report.outcome, CaseOutcome::kAdded);
  EXPECT_EQ(report.case_version, "1.1");
  EXPECT_EQ(report.title, "Sample State Mathematics Standards");
  EXPECT_EQ(report.items, 9);
  EXPECT_EQ(report.associations, 11);
  EXPECT_EQ(report.item_types, 3);
  EXPECT_EQ(report.rubrics, 1);
  EXPECT_EQ(report.external_associations, 1);  // the exactMatchOf to another framework
  EXPECT_EQ(report.unplaced_items, 0);
  EXPECT_TRUE(report.warnings.empty());

  auto frameworks = store_->CaseFrameworks();
  ASSERT_EQ(frameworks->size(), 1u);
  const CaseFrameworkRecord& f = (*frameworks)[0];
  EXPECT_EQ(f.id, report.framework_id);
  EXPECT_EQ(f.document_identifier, testing::kSampleMathDocument);
  EXPECT_EQ(f.version, "2025-06-01T12:00:00+00:00");
  EXPECT_EQ(f.imported_at, *ParseInstant("2026-03-01T08:00:00Z"));
  EXPECT_EQ(f.item_count, 9);
  EXPECT_TRUE(f.current);
  EXPECT_EQ(f.content_sha256.size(), 64u);
  auto items = store_->CaseItems(f.id);
  ASSERT_EQ(items->size(), 9u);
  EXPECT_EQ((*items)[4].human_coding_scheme, "A-CED.1");
  EXPECT_EQ((*items)[4].parent_identifier, SampleItem(4));  // isChildOf A-CED
  EXPECT_EQ((*items)[0].parent_identifier, testing::kSampleMathDocument);
  // The package is kept whole (canonical form): everything reads back.
  auto stored = store_->FindCaseFramework(f.id);
  const json kept = json::parse((*stored)->package);
  EXPECT_EQ(kept, SampleMathPackage());
}

TEST_F(CaseImportTest, ReimportingTheSameVersionChangesNothing) {
  const std::string text = ReadCaseFixture(testing::kSampleMath);
  const Id first = Import(text).framework_id;
  // Another layout of the same content is the same version.
  CaseImportReport again = Import(SampleMathPackage().dump(1));
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(again.outcome, CaseOutcome::kUnchanged);
  EXPECT_FALSE(again.applied);
  EXPECT_EQ(again.framework_id, first);
  EXPECT_EQ(again.versions_stored, 1);
  EXPECT_EQ(Versions(), 1u);
  EXPECT_EQ(CaseReportJson(again)["outcome"], "unchanged");
}

TEST_F(CaseImportTest, ANewerVersionBecomesCurrentAndTheOldStaysReadable) {
  const Id first = Import(ReadCaseFixture(testing::kSampleMath)).framework_id;
  json v2 = SampleMathPackage();
  v2["CFDocument"]["lastChangeDateTime"] = "2026-01-15T09:30:00-05:00";
  v2["CFItems"][4]["fullStatement"] = "Create equations in one variable and solve them.";
  CaseImportReport dry = Import(v2.dump(), /*dry_run=*/true);
  EXPECT_EQ(dry.outcome, CaseOutcome::kNewVersion);
  EXPECT_FALSE(dry.applied);
  EXPECT_EQ(Versions(), 1u);
  CaseImportReport report = Import(v2.dump());
  EXPECT_EQ(report.outcome, CaseOutcome::kNewVersion);
  EXPECT_EQ(report.current_version, "2025-06-01T12:00:00+00:00");
  EXPECT_TRUE(report.applied);
  EXPECT_EQ(Versions(), 2u);
  auto item = store_->FindCurrentCaseItem(SampleItem(5));
  EXPECT_EQ((*item)->item.full_statement, "Create equations in one variable and solve them.");
  EXPECT_EQ((*item)->item.framework_id, report.framework_id);
  auto old_items = store_->CaseItems(first);
  EXPECT_EQ((*old_items)[4].full_statement,
            "Write equations and inequalities in one variable that model a situation, and solve "
            "them.");
  // Importing the first version again: it is stored, nothing changes.
  CaseImportReport old = Import(ReadCaseFixture(testing::kSampleMath));
  EXPECT_EQ(old.outcome, CaseOutcome::kUnchanged);
  EXPECT_EQ(old.framework_id, first);
  ASSERT_EQ(old.warnings.size(), 1u);
  EXPECT_NE(old.warnings[0].find("older version"), std::string::npos);
}

TEST_F(CaseImportTest, AnOlderVersionWithOtherContentIsRefused) {
  json v2 = SampleMathPackage();
  v2["CFDocument"]["lastChangeDateTime"] = "2026-01-15T09:30:00Z";
  Import(v2.dump());
  json older = SampleMathPackage();
  older["CFItems"][0]["fullStatement"] = "Algebra (draft)";
  CaseImportReport report = Import(older.dump());
  EXPECT_FALSE(report.ok());
  EXPECT_FALSE(report.applied);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].field, "CFDocument.lastChangeDateTime");
  EXPECT_NE(report.problems[0].message.find("older than the current version"), std::string::npos);
  EXPECT_EQ(Versions(), 1u);
  // The same date with other content: a new version, with a warning.
  json same_date = v2;
  same_date["CFItems"][0]["fullStatement"] = "Algebra and functions";
  CaseImportReport warned = Import(same_date.dump());
  EXPECT_TRUE(warned.applied);
  ASSERT_EQ(warned.warnings.size(), 1u);
  EXPECT_EQ(Versions(), 2u);
}

TEST_F(CaseImportTest, AnyProblemWritesNothingAndEveryOneIsReported) {
  json broken = SampleMathPackage();
  broken["CFItems"][1].erase("fullStatement");
  broken["CFItems"][2].erase("uri");
  CaseImportReport report = Import(broken.dump());
  EXPECT_FALSE(report.ok());
  EXPECT_FALSE(report.applied);
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_EQ(report.problems[0].field, "CFItems[1].fullStatement");
  EXPECT_EQ(report.problems[1].field, "CFItems[2].uri");
  EXPECT_EQ(Versions(), 0u);
  const json j = CaseReportJson(report);
  EXPECT_FALSE(j["ok"]);
  EXPECT_TRUE(j["outcome"].is_null());
  EXPECT_EQ(j["problems"][1]["field"], "CFItems[2].uri");
  // Not JSON at all: one problem, no Status error.
  CaseImportReport garbage = Import("<html>not a package</html>");
  ASSERT_EQ(garbage.problems.size(), 1u);
  EXPECT_EQ(Versions(), 0u);
  // Over a limit: an error, nothing written.
  CaseImportOptions options;
  options.limits.max_bytes = 100;
  EXPECT_EQ(ImportCasePackage(*store_, ReadCaseFixture(testing::kSampleMath), "x", options)
                .status()
                .code(),
            StatusCode::kResourceExhausted);
}

TEST_F(CaseImportTest, ItemsOutsideTheTreeAreKeptWithAWarning) {
  json package = SampleMathPackage();
  // A-REI.3 loses its isChildOf; it keeps its other associations.
  package["CFAssociations"].erase(8);
  CaseImportReport report = Import(package.dump());
  EXPECT_TRUE(report.applied);
  EXPECT_EQ(report.unplaced_items, 1);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ((*store_->CaseItems(report.framework_id))[8].parent_identifier, "");
}

TEST(CaseImportSamplesTest, EveryOpenSaltSampleImports) {
  for (const char* file :
       {"opensalt/AdoptedTestFramework.json", "opensalt/EmptyExternalFramework.json",
        "opensalt/ItemTypeTestFramework.json", "opensalt/MarkdownFramework.json",
        "opensalt/SequenceNumberFramework.json", "opensalt/Utf8TestFramework.json"}) {
    auto store = SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.ok());
    auto report = ImportCasePackage(**store, ReadCaseFixture(file), file, {});
    ASSERT_TRUE(report.ok()) << file;
    EXPECT_TRUE(report->ok()) << file << ": " << CaseReportJson(*report).dump();
    EXPECT_TRUE(report->applied) << file;
    EXPECT_EQ((*store)->CaseFrameworks()->size(), 1u);
  }
}

// The samples share one CFDocument identifier: to Cairn they are versions
// of one framework, and an older one cannot replace a newer one.
TEST_F(CaseImportTest, OpenSaltSamplesAsVersionsOfOneDocument) {
  EXPECT_TRUE(Import(ReadCaseFixture("opensalt/AdoptedTestFramework.json")).applied);
  CaseImportReport older = Import(ReadCaseFixture("opensalt/EmptyExternalFramework.json"));
  ASSERT_EQ(older.problems.size(), 1u);
  EXPECT_EQ(older.problems[0].field, "CFDocument.lastChangeDateTime");
  CaseImportReport newer = Import(ReadCaseFixture("opensalt/SequenceNumberFramework.json"));
  EXPECT_EQ(newer.outcome, CaseOutcome::kNewVersion);
  EXPECT_EQ(newer.current_version, "2017-09-22T23:13:54+00:00");
  EXPECT_EQ(Versions(), 2u);
}

}  // namespace
}  // namespace cairn::standards
