#include "interop/case/case_export.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "interop/case/case_import.h"
#include "interop/case/case_package.h"
#include "store/sqlite_store.h"
#include "testing/test_catalog.h"

namespace cairn::standards {
namespace {

using nlohmann::json;

Catalog TestCatalog() { return ::cairn::testing::ParseOrDie(::cairn::testing::TestCatalogJson()); }

CaseExportOptions Options() {
  CaseExportOptions options;
  options.last_change = *ParseInstant("2026-03-01T00:00:00Z");
  return options;
}

TEST(CaseExportTest, TheCatalogReadsBackAsAValidPackage) {
  auto exported = CatalogAsCase(TestCatalog(), Options());
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  auto parsed = ParseCasePackage(exported->dump(), "export.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const CasePackage& p = *parsed;
  EXPECT_EQ(p.document.title, "Test framework");
  EXPECT_EQ(p.document.case_version, "1.1");
  EXPECT_EQ(p.document.last_change, "2026-03-01T00:00:00Z");
  // 2 badges, 4 CPEs, 1 indicator.
  ASSERT_EQ(p.items.size(), 7u);
  std::map<std::string, std::string> type_of;
  for (const CaseItem& item : p.items) type_of[item.human_coding_scheme] = item.item_type;
  EXPECT_EQ(type_of["B1"], "Badge");
  EXPECT_EQ(type_of["B1.2"], "CPE");
  EXPECT_EQ(type_of["B1.1.a"], "Indicator");
  EXPECT_EQ(p.item_types.size(), 3u);
  // isChildOf: badges under the document, CPEs under badges, the indicator
  // under its CPE; B1 precedes B2 (B2's prerequisite).
  std::map<std::string, std::string> code_of{{p.document.identifier, "(document)"}};
  for (const CaseItem& item : p.items) code_of[item.identifier] = item.human_coding_scheme;
  std::set<std::string> edges;
  for (const CaseAssociation& a : p.associations) {
    edges.insert(code_of[a.origin.identifier] + " " + a.type + " " +
                 code_of[a.destination.identifier]);
  }
  EXPECT_EQ(edges, (std::set<std::string>{"B1 isChildOf (document)", "B2 isChildOf (document)",
                                          "B1.1 isChildOf B1", "B1.2 isChildOf B1",
                                          "B1.3 isChildOf B1", "B2.1 isChildOf B2",
                                          "B1.1.a isChildOf B1.1", "B1 precedes B2"}));
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (const CaseItem& item : p.items) {
    EXPECT_TRUE(std::regex_match(item.identifier, uuid)) << item.identifier;
    EXPECT_EQ(item.uri, "urn:uuid:" + item.identifier);
  }
}

TEST(CaseExportTest, ExportingAgainNamesTheSameItemsAndImportsAsTheSameVersion) {
  const Catalog catalog = TestCatalog();
  auto first = CatalogAsCase(catalog, Options());
  auto second = CatalogAsCase(catalog, Options());
  EXPECT_EQ(*first, *second);
  auto store = SqliteStore::Open(":memory:");
  ASSERT_TRUE(store.ok());
  auto imported = ImportCasePackage(**store, first->dump(), "cairn.json", {});
  ASSERT_TRUE(imported.ok());
  EXPECT_TRUE(imported->ok()) << CaseReportJson(*imported).dump();
  EXPECT_EQ(imported->outcome, CaseOutcome::kAdded);
  EXPECT_EQ(imported->unplaced_items, 0);
  auto again = ImportCasePackage(**store, second->dump(2), "cairn.json", {});
  EXPECT_EQ(again->outcome, CaseOutcome::kUnchanged);
  // A reworded CPE in a later catalog version: the same document, a new version.
  json changed = ::cairn::testing::TestCatalogJson();
  changed["badges"][0]["cpes"][1]["statement"] = "Explains the second thing";
  CaseExportOptions later = Options();
  later.last_change += 86400;
  auto third = CatalogAsCase(::cairn::testing::ParseOrDie(changed), later);
  auto reimported = ImportCasePackage(**store, third->dump(), "cairn.json", {});
  EXPECT_EQ(reimported->outcome, CaseOutcome::kNewVersion);
  EXPECT_EQ(reimported->document_identifier, imported->document_identifier);
}

TEST(CaseExportTest, NameUuidsAreStableAndDistinct) {
  EXPECT_EQ(NameUuid("a"), NameUuid("a"));
  EXPECT_NE(NameUuid("a"), NameUuid("b"));
  EXPECT_EQ(NameUuid("a").size(), 36u);
  Catalog empty;
  EXPECT_EQ(CatalogAsCase(empty, Options()).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace cairn::standards
