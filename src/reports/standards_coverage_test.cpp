#include "reports/standards_coverage.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/test_catalog.h"

namespace cairn {
namespace {

// A framework: domain D with clusters C1 (standards S1, S2) and C2 (S3),
// and S4 straight under the document.
CoverageFrameworkInput Framework() {
  CoverageFrameworkInput in;
  in.framework.id = 7;
  in.framework.document_identifier = "doc";
  in.framework.title = "State Math";
  in.framework.version = "2025-06-01T00:00:00Z";
  int position = 0;
  auto item = [&](const std::string& id, const std::string& parent) {
    CaseItemRecord i;
    i.framework_id = 7;
    i.identifier = id;
    i.human_coding_scheme = "code-" + id;
    i.full_statement = "Statement " + id;
    i.parent_identifier = parent;
    i.position = position++;
    in.items.push_back(i);
    CaseAssociationRecord a;
    a.identifier = "a-" + id;
    a.type = "isChildOf";
    a.origin_identifier = id;
    a.destination_identifier = parent;
    in.associations.push_back(a);
  };
  item("D", "doc");
  item("C1", "D");
  item("S1", "C1");
  item("S2", "C1");
  item("C2", "D");
  item("S3", "C2");
  item("S4", "doc");
  return in;
}

CrosswalkFact Link(const std::string& cpe, const std::string& item) {
  CrosswalkFact f;
  f.cpe = cpe;
  f.item_identifier = item;
  return f;
}

TEST(StandardsCoverageTest, StandardsAndCpesPerFrameworkAndBadge) {
  const Catalog catalog = testing::ParseOrDie(testing::TestCatalogJson());
  // B1.1 -> S1 directly; B2.1 -> cluster C2 (covers S3); stale: an item no
  // framework has and a CPE the catalog lacks.
  const StandardsCoverage c = ComputeCoverage(
      catalog, {Framework()},
      {Link("B1.1", "S1"), Link("B2.1", "C2"), Link("B1.2", "gone"), Link("Z9.1", "S2")});
  ASSERT_EQ(c.frameworks.size(), 1u);
  const FrameworkCoverage& f = c.frameworks[0];
  EXPECT_EQ(f.id, 7);
  EXPECT_EQ(f.standards, 4);  // S1..S4; D, C1, C2 are headings
  EXPECT_EQ(f.covered, 2);    // S1, S3 (through C2)
  ASSERT_EQ(f.uncovered.size(), 2u);
  EXPECT_EQ(f.uncovered[0].identifier, "S2");
  EXPECT_EQ(f.uncovered[1].identifier, "S4");
  EXPECT_EQ(f.uncovered[1].human_code, "code-S4");
  EXPECT_EQ(f.badges, (std::map<std::string, int>{{"B1", 1}, {"B2", 1}}));

  ASSERT_EQ(c.badges.size(), 2u);
  EXPECT_EQ(c.badges[0].code, "B1");
  EXPECT_EQ(c.badges[0].cpes, 3);
  EXPECT_EQ(c.badges[0].aligned_cpes, 1);  // B1.2's only link is stale
  ASSERT_EQ(c.badges[0].unaligned.size(), 2u);
  EXPECT_EQ(c.badges[0].unaligned[0].id, "B1.2");
  EXPECT_EQ(c.badges[0].unaligned[1].id, "B1.3");
  EXPECT_EQ(c.badges[0].frameworks, (std::map<std::string, int>{{"doc", 1}}));
  EXPECT_EQ(c.badges[1].aligned_cpes, 1);
  EXPECT_TRUE(c.badges[1].unaligned.empty());
  ASSERT_EQ(c.stale_links.size(), 2u);
  EXPECT_EQ(c.stale_links[0].item_identifier, "gone");
  EXPECT_EQ(c.stale_links[1].cpe, "Z9.1");

  const nlohmann::json j = CoverageJson(c);
  EXPECT_EQ(j["frameworks"][0]["uncovered"][0]["identifier"], "S2");
  EXPECT_EQ(j["badges"][0]["unaligned"][1]["id"], "B1.3");
  EXPECT_EQ(j["stale_links"][1]["cpe"], "Z9.1");

  EXPECT_EQ(CoverageCsv(c),
            "gap,badge,cpe,cpe statement,framework,item identifier,human code,statement\r\n"
            "standard not covered,,,,State Math,S2,code-S2,Statement S2\r\n"
            "standard not covered,,,,State Math,S4,code-S4,Statement S4\r\n"
            "CPE without standard,B1,B1.2,,,,,\r\n"
            "CPE without standard,B1,B1.3,,,,,\r\n"
            "stale link,,B1.2,,,gone,,\r\n"
            "stale link,,Z9.1,,,S2,,\r\n");
}

TEST(StandardsCoverageTest, NothingImportedMeansEveryCpeIsAGap) {
  const Catalog catalog = testing::ParseOrDie(testing::TestCatalogJson());
  const StandardsCoverage c = ComputeCoverage(catalog, {}, {});
  EXPECT_TRUE(c.frameworks.empty());
  EXPECT_EQ(c.badges[0].unaligned.size(), 3u);
  EXPECT_EQ(c.badges[1].unaligned.size(), 1u);
}

TEST(StandardsCoverageTest, SpreadsheetFormulasAreNeutralised) {
  const Catalog catalog = testing::ParseOrDie(testing::TestCatalogJson());
  CoverageFrameworkInput in = Framework();
  in.items[6].full_statement = "=cmd|' /C calc'!A0";
  const std::string csv = CoverageCsv(ComputeCoverage(catalog, {in}, {}));
  EXPECT_NE(csv.find(",'=cmd|' /C calc'!A0\r\n"), std::string::npos) << csv;
}

}  // namespace
}  // namespace cairn
