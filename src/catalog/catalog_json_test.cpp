#include "catalog/catalog_json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#ifndef CAIRN_SOURCE_DIR
#error "CAIRN_SOURCE_DIR must name the source tree"
#endif

namespace cairn {
namespace {

using nlohmann::json;

constexpr const char* kSource = "test.json";

// A small catalog that uses most of the format: two scales (one without a
// title), a framework without version or publisher, a district default
// calculation, a badge-level and a CPE-level override, an at_least rule, a
// prerequisite chain C1 -> B1 -> A1, habits and an example pathway.
json Fixture() {
  return json::parse(R"({
    "format": "cairn-catalog",
    "format_version": 1,
    "framework": {"id": "test", "title": "Test framework"},
    "scales": [
      {"id": "four", "levels": [
        {"id": "not_yet", "label": "Not yet", "score": 1},
        {"id": "emerging", "label": "Emerging", "score": 2, "mastery": false},
        {"id": "proficient", "label": "Proficient", "score": 3, "mastery": true,
         "description": "Independent and accurate."},
        {"id": "advanced", "label": "Advanced", "score": 4, "mastery": true}
      ]},
      {"id": "habits", "title": "Habits of work", "levels": [
        {"id": "beginning", "label": "Beginning", "score": 1},
        {"id": "consistent", "label": "Consistent", "score": 2, "mastery": true}
      ]}
    ],
    "default_scale": "four",
    "calculation": {"method": "mean_of_recent", "n": 2},
    "habits": {"scale": "habits", "items": [
      {"id": "persistence", "label": "Persistence", "description": "Keeps going."}
    ]},
    "badges": [
      {"code": "A1", "title": "Alpha", "grouping": "Algebra",
       "calculation": {"method": "decaying_average", "weight": 0.5},
       "cpes": [
         {"id": "A1.1", "label": "One", "statement": "Solves it.",
          "indicators": [{"id": "A1.1.a", "label": "a"}, {"id": "A1.1.b", "label": "b"}],
          "alignments": ["CCSS.HSA.REI.B.3"]},
         {"id": "A1.2", "label": "Two", "kind": "practice",
          "calculation": {"method": "highest", "include_formative": true}}
       ]},
      {"code": "B1", "title": "Beta", "prerequisites": ["A1"],
       "award_rule": {"quorum": "at_least", "at_least": 2, "required_cpes": ["B1.1"],
                      "min_evidence_per_cpe": 2,
                      "required_evidence_kinds": ["performance_task", "summative"],
                      "prerequisites_earned": false},
       "cpes": [
         {"id": "B1.1", "label": "One"},
         {"id": "B1.2", "label": "Two"},
         {"id": "B1.3", "label": "Three"}
       ]},
      {"code": "C1", "title": "Gamma", "scale": "four", "prerequisites": ["B1"],
       "cpes": [{"id": "C1.1", "label": "One"}]}
    ],
    "pathways": [
      {"id": "path", "title": "Path", "badges": ["A1", "B1", "C1"], "example": true}
    ]
  })");
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

Catalog ParseOk(const json& doc) {
  auto result = ParseCatalog(doc.dump(), kSource);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return Catalog{};
  return std::move(result).value();
}

// The error lines for a document that must be rejected.
std::vector<std::string> ErrorLines(const json& doc) {
  auto result = ParseCatalog(doc.dump(), kSource);
  EXPECT_FALSE(result.ok()) << "catalog unexpectedly valid";
  if (result.ok()) return {};
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  return Lines(result.status().message());
}

// Exactly one problem, at `path`, whose text contains `fragment`.
void ExpectOnlyError(const json& doc, const std::string& path, const std::string& fragment) {
  std::vector<std::string> lines = ErrorLines(doc);
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  const std::string prefix = std::string(kSource) + ": " + path + ": ";
  EXPECT_EQ(lines[0].rfind(prefix, 0), 0u) << lines[0] << "\n  should start with " << prefix;
  EXPECT_NE(lines[0].find(fragment), std::string::npos)
      << lines[0] << "\n  should contain " << fragment;
}

// ---------------------------------------------------------------------------
// The shipped XQ Math catalog.

struct AppendixBadge {
  const char* code;
  const char* title;
  std::size_t cpes;
  std::size_t indicators;
};

// XQ Math Badging System guide, Appendix A: code, title, CPEs, indicators.
const std::vector<AppendixBadge>& AppendixA() {
  static const std::vector<AppendixBadge> kBadges = {
      {"M100", "Quantitative Reasoning", 8, 19},
      {"M101", "Linear Equations: Concepts and Skills", 4, 10},
      {"M102", "Modeling with Linear Functions and Equations", 10, 23},
      {"M103", "Modeling with Functions of Quadratic Type", 9, 17},
      {"M104", "Modeling with Functions of Exponential Type", 9, 17},
      {"M111", "Modeling with Data: One-Variable Measurement Data", 7, 18},
      {"M112", "Modeling with Data: Two-Variable Measurement Data", 8, 20},
      {"M113", "Modeling with Probability", 6, 11},
      {"M151", "Modeling with Geometry", 8, 13},
      {"M152", "Reasoning and Proof Through Congruence", 11, 25},
      {"M153", "Reasoning and Proof Through Similarity", 8, 18},
      {"M154", "Coordinate Geometry", 5, 12},
      {"M155", "Right Triangle Trigonometry", 3, 6},
      {"M201", "Function Concepts", 6, 13},
      {"M202", "Rational Exponents and Complex Numbers", 3, 5},
      {"M203", "Polynomial and Rational Expressions, Functions, and Equations", 6, 13},
      {"M204", "Exponential and Logarithmic Functions and Equations", 4, 12},
      {"M205", "Trigonometric Functions", 5, 13},
      {"M211", "Data Management and Visualization", 8, 17},
      {"M212", "Predictive Modeling", 8, 22},
      {"M213", "Bayesian Reasoning and Probability Theory", 5, 14},
      {"M214", "Statistical Error and Predictive Model Validation", 5, 16},
      {"M215", "Inference and Making Conclusions", 5, 17},
  };
  return kBadges;
}

std::string ShippedCatalogText() {
  const std::string path = std::string(CAIRN_SOURCE_DIR) + "/data/catalogs/xq-math.json";
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class ShippedCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto result = ParseCatalog(ShippedCatalogText(), "xq-math.json");
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    catalog_ = std::move(result).value();
  }
  Catalog catalog_;
};

TEST_F(ShippedCatalogTest, Parses) {
  EXPECT_EQ(catalog_.framework_id, "xq-math");
  EXPECT_FALSE(catalog_.title.empty());
  ASSERT_NE(catalog_.FindScale("mastery-4"), nullptr);
}

TEST_F(ShippedCatalogTest, HasTheAppendixABadgesInOrder) {
  const auto& expected = AppendixA();
  ASSERT_EQ(catalog_.badges.size(), 23u);
  ASSERT_EQ(expected.size(), 23u);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].code);
    const Badge& badge = catalog_.badges[i];
    EXPECT_EQ(badge.code, expected[i].code);
    EXPECT_EQ(badge.title, expected[i].title);
    EXPECT_EQ(badge.cpes.size(), expected[i].cpes);
    std::size_t indicators = 0;
    for (const Cpe& cpe : badge.cpes) indicators += cpe.indicators.size();
    EXPECT_EQ(indicators, expected[i].indicators);
    EXPECT_EQ(catalog_.FindBadge(expected[i].code), &badge);
  }
}

TEST_F(ShippedCatalogTest, CpeCountIsTheAppendixTotal) {
  std::size_t total = 0;
  for (const AppendixBadge& b : AppendixA()) total += b.cpes;
  EXPECT_EQ(catalog_.CpeCount(), total);
  EXPECT_EQ(total, 151u);
}

TEST_F(ShippedCatalogTest, EveryBadgeHasThreeToElevenCpes) {
  for (const Badge& badge : catalog_.badges) {
    EXPECT_GE(badge.cpes.size(), 3u) << badge.code;
    EXPECT_LE(badge.cpes.size(), 11u) << badge.code;
  }
}

TEST_F(ShippedCatalogTest, HasExampleAlgebraPathways) {
  const std::vector<std::string> algebra1 = {"M101", "M102", "M103", "M104"};
  const std::vector<std::string> algebra2 = {"M201", "M202", "M203", "M204"};
  bool found1 = false;
  bool found2 = false;
  ASSERT_FALSE(catalog_.pathways.empty());
  for (const Pathway& pathway : catalog_.pathways) {
    EXPECT_TRUE(pathway.example) << pathway.id;
    if (pathway.badges == algebra1) found1 = true;
    if (pathway.badges == algebra2) found2 = true;
    for (const std::string& code : pathway.badges) {
      EXPECT_NE(catalog_.FindBadge(code), nullptr) << pathway.id << " " << code;
    }
  }
  EXPECT_TRUE(found1);
  EXPECT_TRUE(found2);
}

// The guide's Table 2.1 quotes M101's first two CPEs and three indicators;
// the catalog carries that wording and the guide's codes.
TEST_F(ShippedCatalogTest, M101CarriesTheGuidesWordingAndCodes) {
  const Badge* m101 = catalog_.FindBadge("M101");
  ASSERT_NE(m101, nullptr);
  ASSERT_EQ(m101->cpes.size(), 4u);
  EXPECT_EQ(m101->cpes[0].code, "101a");
  EXPECT_EQ(m101->cpes[0].statement,
            "Reason about and solve one-variable equations and inequalities.");
  ASSERT_GE(m101->cpes[0].indicators.size(), 2u);
  EXPECT_EQ(m101->cpes[0].indicators[0].code, "i");
  EXPECT_EQ(m101->cpes[0].indicators[1].code, "ii");
  EXPECT_NE(
      m101->cpes[0].indicators[1].description.find("a variable can represent an unknown number"),
      std::string::npos);
  EXPECT_EQ(m101->cpes[1].code, "101b");
  EXPECT_EQ(m101->cpes[1].statement,
            "Solve real-life and mathematical word problems using linear expressions, equations, "
            "and inequalities.");
  EXPECT_EQ(m101->cpes[2].code, "101c");
  EXPECT_EQ(m101->cpes[3].code, "101d");
}

// Every CPE has a code in the guide's form; what the guide does not quote
// says plainly that the district writes it.
TEST_F(ShippedCatalogTest, EveryCpeHasAGuideCodeAndUnquotedWordingIsMarked) {
  std::size_t quoted = 0;
  for (const Badge& badge : catalog_.badges) {
    for (std::size_t i = 0; i < badge.cpes.size(); ++i) {
      const Cpe& cpe = badge.cpes[i];
      SCOPED_TRACE(cpe.id);
      EXPECT_EQ(cpe.code, badge.code.substr(1) + static_cast<char>('a' + i));
      if (cpe.statement.rfind("District to write: ", 0) != 0) ++quoted;
      for (const Indicator& indicator : cpe.indicators) EXPECT_FALSE(indicator.code.empty());
    }
  }
  EXPECT_EQ(quoted, 2u);
}

TEST_F(ShippedCatalogTest, RoundTrips) {
  const json once = CatalogToJson(catalog_);
  auto again = ParseCatalog(once.dump(), "round trip");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(CatalogToJson(*again), once);
}

// ---------------------------------------------------------------------------
// Round trip of the fixture.

TEST(CatalogJsonTest, FixtureParses) {
  Catalog c = ParseOk(Fixture());
  EXPECT_EQ(c.framework_id, "test");
  EXPECT_EQ(c.title, "Test framework");
  EXPECT_EQ(c.version, "");
  EXPECT_EQ(c.publisher, "");
  EXPECT_EQ(c.badges.size(), 3u);
  EXPECT_EQ(c.scales.size(), 2u);
}

TEST(CatalogJsonTest, RoundTripKeepsEverything) {
  Catalog c = ParseOk(Fixture());
  const json once = CatalogToJson(c);
  auto again = ParseCatalog(once.dump(), "round trip");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(CatalogToJson(*again), once);

  const Catalog& r = *again;
  EXPECT_EQ(r.framework_id, "test");
  EXPECT_EQ(r.version, "");
  EXPECT_EQ(r.scales[0].title, "");
  EXPECT_EQ(r.scales[0].levels[2].description, "Independent and accurate.");
  EXPECT_EQ(r.default_calculation, c.default_calculation);
  ASSERT_TRUE(r.badges[0].calculation.has_value());
  EXPECT_EQ(*r.badges[0].calculation, *c.badges[0].calculation);
  ASSERT_TRUE(r.badges[0].cpes[1].calculation.has_value());
  EXPECT_TRUE(r.badges[0].cpes[1].calculation->include_formative);
  EXPECT_FALSE(r.badges[1].calculation.has_value());
  EXPECT_EQ(r.badges[0].cpes[1].kind, CpeKind::kPractice);
  EXPECT_EQ(r.badges[0].cpes[0].alignments, std::vector<std::string>{"CCSS.HSA.REI.B.3"});
  EXPECT_EQ(r.badges[0].cpes[0].indicators.size(), 2u);
  EXPECT_EQ(r.badges[1].rule.quorum, AwardRule::Quorum::kAtLeast);
  EXPECT_EQ(r.badges[1].rule.at_least, 2);
  EXPECT_EQ(r.badges[1].rule.required_kinds,
            (std::vector<EvidenceKind>{EvidenceKind::kPerformanceTask, EvidenceKind::kSummative}));
  EXPECT_FALSE(r.badges[1].rule.prerequisites_earned);
  EXPECT_EQ(r.habits.size(), 1u);
  EXPECT_EQ(r.habit_scale_id, "habits");
  ASSERT_EQ(r.pathways.size(), 1u);
  EXPECT_TRUE(r.pathways[0].example);
}

TEST(CatalogJsonTest, RoundTripKeepsFrameworkVersionAndPublisher) {
  json doc = Fixture();
  doc["framework"]["version"] = "2025-1";
  doc["framework"]["publisher"] = "District 9";
  Catalog c = ParseOk(doc);
  auto again = ParseCatalog(CatalogToJson(c).dump(), "round trip");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->version, "2025-1");
  EXPECT_EQ(again->publisher, "District 9");
}

TEST(CatalogJsonTest, CatalogWithoutCodesOrLevelDescriptionsReadsAsBefore) {
  Catalog c = ParseOk(Fixture());
  const Cpe& cpe = c.badges[0].cpes[0];
  EXPECT_EQ(cpe.code, "");
  EXPECT_EQ(cpe.DisplayCode(), "A1.1");
  EXPECT_TRUE(cpe.level_descriptions.empty());
  EXPECT_EQ(cpe.indicators[0].code, "");
  const json out = CatalogToJson(c);
  EXPECT_FALSE(out["badges"][0]["cpes"][0].contains("code"));
  EXPECT_FALSE(out["badges"][0]["cpes"][0].contains("level_descriptions"));
  EXPECT_FALSE(out["badges"][0]["cpes"][0]["indicators"][0].contains("code"));
}

TEST(CatalogJsonTest, RoundTripKeepsCodesAndLevelDescriptions) {
  json doc = Fixture();
  doc["badges"][0]["cpes"][0]["code"] = "101a";
  doc["badges"][0]["cpes"][0]["indicators"][0]["code"] = "i";
  doc["badges"][0]["cpes"][0]["indicators"][1]["code"] = "ii";
  doc["badges"][0]["cpes"][0]["level_descriptions"] = {
      {"proficient", "Solves one-variable equations on their own."},
      {"not_yet", "Starts an equation but does not reach a solution."}};
  // The same code in another badge is another CPE's code there.
  doc["badges"][1]["cpes"][0]["code"] = "101a";
  Catalog c = ParseOk(doc);
  const Cpe& cpe = c.badges[0].cpes[0];
  EXPECT_EQ(cpe.code, "101a");
  EXPECT_EQ(cpe.DisplayCode(), "101a");
  EXPECT_EQ(cpe.indicators[1].code, "ii");
  ASSERT_EQ(cpe.level_descriptions.size(), 2u);
  const Scale& scale = c.ScaleOf(c.badges[0]);
  EXPECT_EQ(cpe.LevelDescription(scale.levels[2]), "Solves one-variable equations on their own.");
  // A level the CPE does not describe falls back to the scale's words.
  EXPECT_EQ(c.badges[0].cpes[1].LevelDescription(scale.levels[2]), "Independent and accurate.");

  const json once = CatalogToJson(c);
  auto again = ParseCatalog(once.dump(), "round trip");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(CatalogToJson(*again), once);
  EXPECT_EQ(again->badges[0].cpes[0].code, "101a");
  EXPECT_EQ(again->badges[0].cpes[0].indicators[0].code, "i");
  EXPECT_EQ(again->badges[0].cpes[0].level_descriptions, cpe.level_descriptions);
}

// ---------------------------------------------------------------------------
// Validation errors.

TEST(CatalogJsonErrorTest, InvalidJsonNamesSourceAndPosition) {
  auto result =
      ParseCatalog("{\n  \"format\": \"cairn-catalog\",\n  \"badges\": [,]\n}", "bad.json");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = result.status().message();
  EXPECT_EQ(message.rfind("bad.json: not valid JSON", 0), 0u) << message;
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("column"), std::string::npos) << message;
}

TEST(CatalogJsonErrorTest, EmptyInputIsInvalidJson) {
  auto result = ParseCatalog("", "empty.json");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message().rfind("empty.json: not valid JSON", 0), 0u);
}

TEST(CatalogJsonErrorTest, RootMustBeAnObject) {
  ExpectOnlyError(json::array(), "$", "expected an object");
}

TEST(CatalogJsonErrorTest, WrongFormat) {
  json doc = Fixture();
  doc["format"] = "cairn-catalogue";
  ExpectOnlyError(doc, "$.format", "expected \"cairn-catalog\"");
}

TEST(CatalogJsonErrorTest, MissingFormat) {
  json doc = Fixture();
  doc.erase("format");
  ExpectOnlyError(doc, "$.format", "missing");
}

TEST(CatalogJsonErrorTest, WrongFormatVersion) {
  json doc = Fixture();
  doc["format_version"] = 2;
  ExpectOnlyError(doc, "$.format_version", "format_version 1");
}

TEST(CatalogJsonErrorTest, MissingFormatVersion) {
  json doc = Fixture();
  doc.erase("format_version");
  ExpectOnlyError(doc, "$.format_version", "format_version 1");
}

TEST(CatalogJsonErrorTest, MissingFramework) {
  json doc = Fixture();
  doc.erase("framework");
  ExpectOnlyError(doc, "$.framework", "missing");
}

TEST(CatalogJsonErrorTest, MissingFrameworkTitle) {
  json doc = Fixture();
  doc["framework"].erase("title");
  ExpectOnlyError(doc, "$.framework.title", "missing");
}

TEST(CatalogJsonErrorTest, DuplicateBadgeCodeNamesFirstOccurrence) {
  json doc = Fixture();
  doc["badges"][2]["code"] = "A1";
  ExpectOnlyError(doc, "$.badges[2].code", "duplicate badge code 'A1' (first at $.badges[0].code)");
}

TEST(CatalogJsonErrorTest, DuplicateCpeIdAcrossBadges) {
  json doc = Fixture();
  doc["badges"][1]["cpes"][2]["id"] = "A1.2";
  ExpectOnlyError(doc, "$.badges[1].cpes[2].id",
                  "duplicate CPE id 'A1.2' (first at $.badges[0].cpes[1].id)");
}

TEST(CatalogJsonErrorTest, DuplicateIndicatorId) {
  json doc = Fixture();
  doc["badges"][0]["cpes"][0]["indicators"][1]["id"] = "A1.1.a";
  ExpectOnlyError(
      doc, "$.badges[0].cpes[0].indicators[1].id",
      "duplicate indicator id 'A1.1.a' (first at $.badges[0].cpes[0].indicators[0].id)");
}

TEST(CatalogJsonErrorTest, DuplicateLevelId) {
  json doc = Fixture();
  doc["scales"][0]["levels"][1]["id"] = "not_yet";
  ExpectOnlyError(doc, "$.scales[0].levels[1].id",
                  "duplicate level id 'not_yet' (first at $.scales[0].levels[0].id)");
}

TEST(CatalogJsonErrorTest, SameLevelIdInTwoScalesIsFine) {
  json doc = Fixture();
  doc["scales"][1]["levels"][0]["id"] = "not_yet";
  ParseOk(doc);
}

TEST(CatalogJsonErrorTest, DuplicateScaleId) {
  json doc = Fixture();
  doc["scales"][1]["id"] = "four";
  std::vector<std::string> lines = ErrorLines(doc);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0],
            "test.json: $.scales[1].id: duplicate scale id 'four' (first at $.scales[0].id)");
}

TEST(CatalogJsonErrorTest, DuplicatePathwayId) {
  json doc = Fixture();
  doc["pathways"].push_back(doc["pathways"][0]);
  ExpectOnlyError(doc, "$.pathways[1].id", "duplicate pathway id 'path'");
}

TEST(CatalogJsonErrorTest, DuplicateHabitId) {
  json doc = Fixture();
  doc["habits"]["items"].push_back(doc["habits"]["items"][0]);
  ExpectOnlyError(doc, "$.habits.items[1].id", "duplicate habit id 'persistence'");
}

TEST(CatalogJsonErrorTest, UnknownPrerequisite) {
  json doc = Fixture();
  doc["badges"][1]["prerequisites"] = {"A1", "Z9"};
  ExpectOnlyError(doc, "$.badges[1].prerequisites[1]", "unknown badge 'Z9'");
}

TEST(CatalogJsonErrorTest, SelfPrerequisite) {
  json doc = Fixture();
  doc["badges"][0]["prerequisites"] = {"A1"};
  ExpectOnlyError(doc, "$.badges[0].prerequisites[0]", "cannot be its own prerequisite");
}

TEST(CatalogJsonErrorTest, PrerequisiteCycleOfThreeBadges) {
  // C1 needs B1, B1 needs A1; making A1 need C1 closes the loop.
  json doc = Fixture();
  doc["badges"][0]["prerequisites"] = {"C1"};
  ExpectOnlyError(doc, "$.badges[1].prerequisites", "prerequisite cycle: A1 -> C1 -> B1 -> A1");
}

TEST(CatalogJsonErrorTest, PrerequisiteCycleOfTwoBadges) {
  json doc = Fixture();
  doc["badges"][0]["prerequisites"] = {"B1"};
  ExpectOnlyError(doc, "$.badges[1].prerequisites", "prerequisite cycle: A1 -> B1 -> A1");
}

TEST(CatalogJsonErrorTest, SharedPrerequisitesAreNotACycle) {
  json doc = Fixture();
  doc["badges"][2]["prerequisites"] = {"A1", "B1"};
  ParseOk(doc);
}

TEST(CatalogJsonErrorTest, EmptyBadge) {
  json doc = Fixture();
  doc["badges"][2]["cpes"] = json::array();
  ExpectOnlyError(doc, "$.badges[2].cpes", "a badge needs at least one CPE");
}

TEST(CatalogJsonErrorTest, MissingCpes) {
  json doc = Fixture();
  doc["badges"][2].erase("cpes");
  ExpectOnlyError(doc, "$.badges[2].cpes", "missing");
}

TEST(CatalogJsonErrorTest, MissingCpeId) {
  json doc = Fixture();
  doc["badges"][1]["cpes"][1].erase("id");
  ExpectOnlyError(doc, "$.badges[1].cpes[1].id", "missing");
}

TEST(CatalogJsonErrorTest, EmptyBadgeTitle) {
  json doc = Fixture();
  doc["badges"][0]["title"] = "";
  ExpectOnlyError(doc, "$.badges[0].title", "must not be empty");
}

TEST(CatalogJsonErrorTest, UnknownCpeKind) {
  json doc = Fixture();
  doc["badges"][0]["cpes"][0]["kind"] = "skill";
  ExpectOnlyError(doc, "$.badges[0].cpes[0].kind", "expected \"content\" or \"practice\"");
}

TEST(CatalogJsonErrorTest, NoScales) {
  json doc = Fixture();
  doc["scales"] = json::array();
  std::vector<std::string> lines = ErrorLines(doc);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "test.json: $.scales: at least one proficiency scale is needed");
}

TEST(CatalogJsonErrorTest, ScaleWithoutMasteryLevel) {
  json doc = Fixture();
  doc["scales"][1]["levels"][1]["mastery"] = false;
  ExpectOnlyError(doc, "$.scales[1].levels", "no level counts as mastery");
}

TEST(CatalogJsonErrorTest, ScaleWithOneLevel) {
  json doc = Fixture();
  doc["scales"][1]["levels"].erase(0);
  ExpectOnlyError(doc, "$.scales[1].levels", "at least two levels");
}

TEST(CatalogJsonErrorTest, LevelsNotAscending) {
  json doc = Fixture();
  doc["scales"][0]["levels"][2]["score"] = 1.5;
  ExpectOnlyError(doc, "$.scales[0].levels[2].score", "ascending score order");
}

TEST(CatalogJsonErrorTest, EqualLevelScoresAreNotAscending) {
  json doc = Fixture();
  doc["scales"][0]["levels"][1]["score"] = 1;
  ExpectOnlyError(doc, "$.scales[0].levels[1].score", "ascending score order");
}

TEST(CatalogJsonErrorTest, NonMasteryLevelAboveMasteryLevel) {
  json doc = Fixture();
  doc["scales"][0]["levels"][3]["mastery"] = false;
  ExpectOnlyError(doc, "$.scales[0].levels[3].mastery",
                  "a level above a mastery level must count as mastery too");
}

TEST(CatalogJsonErrorTest, LowestLevelCannotBeMastery) {
  json doc = Fixture();
  doc["scales"][1]["levels"][0]["mastery"] = true;
  ExpectOnlyError(doc, "$.scales[1].levels", "the lowest level cannot count as mastery");
}

TEST(CatalogJsonErrorTest, LevelScoreMustBeANumber) {
  json doc = Fixture();
  doc["scales"][1]["levels"][0]["score"] = "1";
  ExpectOnlyError(doc, "$.scales[1].levels[0].score", "expected a number");
}

TEST(CatalogJsonErrorTest, UnknownDefaultScale) {
  json doc = Fixture();
  doc["default_scale"] = "five";
  // Reported once, not again for every badge that relies on the default.
  ExpectOnlyError(doc, "$.default_scale", "unknown scale 'five'");
}

TEST(CatalogJsonErrorTest, UnknownBadgeScale) {
  json doc = Fixture();
  doc["badges"][2]["scale"] = "five";
  ExpectOnlyError(doc, "$.badges[2].scale", "unknown scale 'five'");
}

TEST(CatalogJsonErrorTest, UnknownHabitScale) {
  json doc = Fixture();
  doc["habits"]["scale"] = "five";
  ExpectOnlyError(doc, "$.habits.scale", "unknown scale 'five'");
}

TEST(CatalogJsonErrorTest, UnknownPathwayBadge) {
  json doc = Fixture();
  doc["pathways"][0]["badges"][1] = "Q7";
  ExpectOnlyError(doc, "$.pathways[0].badges[1]", "unknown badge 'Q7'");
}

TEST(CatalogJsonErrorTest, EmptyPathway) {
  json doc = Fixture();
  doc["pathways"][0]["badges"] = json::array();
  ExpectOnlyError(doc, "$.pathways[0].badges", "a pathway needs at least one badge");
}

TEST(CatalogJsonErrorTest, RequiredCpeOfAnotherBadge) {
  json doc = Fixture();
  doc["badges"][1]["award_rule"]["required_cpes"] = {"B1.1", "A1.1"};
  ExpectOnlyError(doc, "$.badges[1].award_rule.required_cpes[1]",
                  "CPE 'A1.1' is not a CPE of badge B1");
}

TEST(CatalogJsonErrorTest, AtLeastAboveCpeCount) {
  json doc = Fixture();
  doc["badges"][1]["award_rule"]["at_least"] = 4;
  ExpectOnlyError(doc, "$.badges[1].award_rule.at_least", "from 1 to 3");
}

TEST(CatalogJsonErrorTest, AtLeastZero) {
  json doc = Fixture();
  doc["badges"][1]["award_rule"]["at_least"] = 0;
  ExpectOnlyError(doc, "$.badges[1].award_rule.at_least", "from 1 to 3");
}

TEST(CatalogJsonErrorTest, AtLeastWithoutAtLeastQuorum) {
  json doc = Fixture();
  doc["badges"][1]["award_rule"]["quorum"] = "majority";
  ExpectOnlyError(doc, "$.badges[1].award_rule.at_least",
                  "only meaningful with \"quorum\": \"at_least\"");
}

TEST(CatalogJsonErrorTest, AtLeastQuorumWithoutCount) {
  json doc = Fixture();
  doc["badges"][1]["award_rule"].erase("at_least");
  ExpectOnlyError(doc, "$.badges[1].award_rule.at_least", "missing (quorum is at_least)");
}

TEST(CatalogJsonErrorTest, UnknownQuorum) {
  json doc = Fixture();
  doc["badges"][0]["award_rule"] = {{"quorum", "most"}};
  ExpectOnlyError(doc, "$.badges[0].award_rule.quorum", "expected \"all\", \"majority\"");
}

TEST(CatalogJsonErrorTest, UnknownEvidenceKind) {
  json doc = Fixture();
  doc["badges"][1]["award_rule"]["required_evidence_kinds"] = {"summative", "performance-task"};
  ExpectOnlyError(doc, "$.badges[1].award_rule.required_evidence_kinds[1]",
                  "unknown evidence kind 'performance-task'");
}

TEST(CatalogJsonErrorTest, MinEvidenceZero) {
  json doc = Fixture();
  doc["badges"][1]["award_rule"]["min_evidence_per_cpe"] = 0;
  ExpectOnlyError(doc, "$.badges[1].award_rule.min_evidence_per_cpe", "from 1 to 100");
}

TEST(CatalogJsonErrorTest, UnknownCalculationMethod) {
  json doc = Fixture();
  doc["calculation"]["method"] = "median";
  ExpectOnlyError(doc, "$.calculation.method", "unknown method 'median'");
}

TEST(CatalogJsonErrorTest, UnknownCpeCalculationMethod) {
  json doc = Fixture();
  doc["badges"][0]["cpes"][1]["calculation"]["method"] = "best";
  ExpectOnlyError(doc, "$.badges[0].cpes[1].calculation.method", "unknown method 'best'");
}

TEST(CatalogJsonErrorTest, MissingCalculationMethod) {
  json doc = Fixture();
  doc["calculation"].erase("method");
  ExpectOnlyError(doc, "$.calculation.method", "missing");
}

TEST(CatalogJsonErrorTest, WeightAboveOne) {
  json doc = Fixture();
  doc["badges"][0]["calculation"]["weight"] = 1.5;
  ExpectOnlyError(doc, "$.badges[0].calculation.weight",
                  "expected a number greater than 0 and at most 1");
}

TEST(CatalogJsonErrorTest, WeightZero) {
  json doc = Fixture();
  doc["badges"][0]["calculation"]["weight"] = 0;
  ExpectOnlyError(doc, "$.badges[0].calculation.weight", "greater than 0");
}

TEST(CatalogJsonErrorTest, WeightOneIsAllowed) {
  json doc = Fixture();
  doc["badges"][0]["calculation"]["weight"] = 1;
  Catalog c = ParseOk(doc);
  ASSERT_FALSE(c.badges.empty());
  EXPECT_EQ(c.badges[0].calculation->weight, 1.0);
}

TEST(CatalogJsonErrorTest, NZero) {
  json doc = Fixture();
  doc["calculation"]["n"] = 0;
  ExpectOnlyError(doc, "$.calculation.n", "expected a whole number from 1 to 100");
}

TEST(CatalogJsonErrorTest, NNotWhole) {
  json doc = Fixture();
  doc["calculation"]["n"] = 2.5;
  ExpectOnlyError(doc, "$.calculation.n", "whole number");
}

TEST(CatalogJsonErrorTest, UnknownBadgeField) {
  json doc = Fixture();
  doc["badges"][2].erase("prerequisites");
  doc["badges"][2]["prerequisite"] = {"B1"};
  ExpectOnlyError(doc, "$.badges[2].prerequisite", "unknown field");
}

TEST(CatalogJsonErrorTest, UnknownTopLevelField) {
  json doc = Fixture();
  doc["pathway"] = json::array();
  ExpectOnlyError(doc, "$.pathway", "unknown field");
}

TEST(CatalogJsonErrorTest, UnknownRuleField) {
  json doc = Fixture();
  doc["badges"][1]["award_rule"]["required_kinds"] = {"summative"};
  ExpectOnlyError(doc, "$.badges[1].award_rule.required_kinds", "unknown field");
}

TEST(CatalogJsonErrorTest, UnknownLevelField) {
  json doc = Fixture();
  doc["scales"][0]["levels"][2]["is_mastery"] = true;
  ExpectOnlyError(doc, "$.scales[0].levels[2].is_mastery", "unknown field");
}

TEST(CatalogJsonErrorTest, StringWhereArrayExpected) {
  json doc = Fixture();
  doc["badges"][1]["prerequisites"] = "A1";
  ExpectOnlyError(doc, "$.badges[1].prerequisites", "expected an array of strings");
}

TEST(CatalogJsonErrorTest, CpesNotAnArray) {
  json doc = Fixture();
  doc["badges"][2]["cpes"] = "C1.1";
  ExpectOnlyError(doc, "$.badges[2].cpes", "expected an array");
}

TEST(CatalogJsonErrorTest, NumberInStringArray) {
  json doc = Fixture();
  doc["pathways"][0]["badges"][0] = 7;
  ExpectOnlyError(doc, "$.pathways[0].badges[0]", "expected a non-empty string");
}

TEST(CatalogJsonErrorTest, NumberWhereStringExpected) {
  json doc = Fixture();
  doc["badges"][0]["code"] = 101;
  ExpectOnlyError(doc, "$.badges[0].code", "expected a string");
}

TEST(CatalogJsonErrorTest, StringWhereBoolExpected) {
  json doc = Fixture();
  doc["pathways"][0]["example"] = "yes";
  ExpectOnlyError(doc, "$.pathways[0].example", "expected true or false");
}

TEST(CatalogJsonErrorTest, StringWhereObjectExpected) {
  json doc = Fixture();
  doc["badges"][0]["award_rule"] = "all";
  ExpectOnlyError(doc, "$.badges[0].award_rule", "expected an object");
}

TEST(CatalogJsonErrorTest, SeveralProblemsAreAllReportedOnePerLine) {
  json doc = Fixture();
  doc["colour"] = "blue";
  doc["badges"][1]["cpes"][2]["id"] = "A1.2";
  doc["badges"][1]["award_rule"]["required_evidence_kinds"] = {"essay"};
  doc["calculation"]["n"] = 0;
  std::vector<std::string> lines = ErrorLines(doc);
  ASSERT_EQ(lines.size(), 4u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0], "test.json: $.colour: unknown field");
  EXPECT_EQ(lines[1], "test.json: $.calculation.n: expected a whole number from 1 to 100");
  EXPECT_EQ(lines[2],
            "test.json: $.badges[1].cpes[2].id: duplicate CPE id 'A1.2' (first at "
            "$.badges[0].cpes[1].id)");
  EXPECT_EQ(lines[3],
            "test.json: $.badges[1].award_rule.required_evidence_kinds[0]: unknown evidence "
            "kind 'essay'");
}

TEST(CatalogJsonErrorTest, SeveralReferenceProblemsAreAllReported) {
  json doc = Fixture();
  doc["badges"][0]["scale"] = "five";
  doc["badges"][1]["prerequisites"] = {"Z9"};
  doc["pathways"][0]["badges"][2] = "Q7";
  std::vector<std::string> lines = ErrorLines(doc);
  ASSERT_EQ(lines.size(), 3u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0], "test.json: $.badges[0].scale: unknown scale 'five'");
  EXPECT_EQ(lines[1], "test.json: $.badges[1].prerequisites[0]: unknown badge 'Z9'");
  EXPECT_EQ(lines[2], "test.json: $.pathways[0].badges[2]: unknown badge 'Q7'");
}

TEST(CatalogJsonErrorTest, DuplicateCpeCodeWithinABadge) {
  json doc = Fixture();
  doc["badges"][0]["cpes"][0]["code"] = "101a";
  doc["badges"][0]["cpes"][1]["code"] = "101a";
  ExpectOnlyError(doc, "$.badges[0].cpes[1].code",
                  "duplicate CPE code '101a' (first at $.badges[0].cpes[0].code)");
}

TEST(CatalogJsonErrorTest, DuplicateIndicatorCodeWithinACpe) {
  json doc = Fixture();
  doc["badges"][0]["cpes"][0]["indicators"][0]["code"] = "i";
  doc["badges"][0]["cpes"][0]["indicators"][1]["code"] = "i";
  ExpectOnlyError(doc, "$.badges[0].cpes[0].indicators[1].code", "duplicate indicator code 'i'");
}

TEST(CatalogJsonErrorTest, CpeCodeMustBeShortAndOnOneLine) {
  for (const char* bad : {" 101a", "101a ", "101\na", "a code far longer than any guide prints"}) {
    SCOPED_TRACE(bad);
    json doc = Fixture();
    doc["badges"][0]["cpes"][0]["code"] = bad;
    ExpectOnlyError(doc, "$.badges[0].cpes[0].code", "expected a short code");
  }
}

TEST(CatalogJsonErrorTest, EmptyCpeCode) {
  json doc = Fixture();
  doc["badges"][0]["cpes"][0]["code"] = "";
  ExpectOnlyError(doc, "$.badges[0].cpes[0].code", "");
}

TEST(CatalogJsonErrorTest, LevelDescriptionForALevelTheBadgeScaleLacks) {
  json doc = Fixture();
  // "consistent" is a level of the habits scale, not of the badge's "four".
  doc["badges"][2]["cpes"][0]["level_descriptions"] = {{"proficient", "Fine."},
                                                       {"consistent", "Wrong scale."}};
  ExpectOnlyError(doc, "$.badges[2].cpes[0].level_descriptions.consistent",
                  "unknown level 'consistent' of scale 'four'");
}

TEST(CatalogJsonErrorTest, LevelDescriptionMustBeText) {
  json doc = Fixture();
  doc["badges"][0]["cpes"][0]["level_descriptions"] = {{"proficient", 3}};
  ExpectOnlyError(doc, "$.badges[0].cpes[0].level_descriptions.proficient",
                  "expected a non-empty text");
  doc["badges"][0]["cpes"][0]["level_descriptions"] = {{"proficient", ""}};
  ExpectOnlyError(doc, "$.badges[0].cpes[0].level_descriptions.proficient",
                  "expected a non-empty text");
  doc["badges"][0]["cpes"][0]["level_descriptions"] = json::array({"proficient"});
  ExpectOnlyError(doc, "$.badges[0].cpes[0].level_descriptions", "expected an object");
}

// ---------------------------------------------------------------------------
// Lookups on a parsed catalog.

class CatalogLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto result = ParseCatalog(Fixture().dump(), kSource);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    catalog_ = std::move(result).value();
  }
  Catalog catalog_;
};

TEST_F(CatalogLookupTest, FindBadge) {
  const Badge* beta = catalog_.FindBadge("B1");
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->title, "Beta");
  EXPECT_EQ(beta, &catalog_.badges[1]);
  EXPECT_EQ(catalog_.BadgeIndex("C1"), 2u);
  EXPECT_EQ(catalog_.FindBadge("Z9"), nullptr);
  EXPECT_EQ(catalog_.FindBadge(""), nullptr);
  EXPECT_FALSE(catalog_.BadgeIndex("a1").has_value());
}

TEST_F(CatalogLookupTest, FindCpeNumbersDenselyInBadgeOrder) {
  const std::vector<std::string> order = {"A1.1", "A1.2", "B1.1", "B1.2", "B1.3", "C1.1"};
  ASSERT_EQ(catalog_.CpeCount(), order.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    SCOPED_TRACE(order[i]);
    auto ref = catalog_.FindCpe(order[i]);
    ASSERT_TRUE(ref.has_value());
    EXPECT_EQ(ref->dense, i);
    EXPECT_EQ(catalog_.CpeAt(*ref).id, order[i]);
    const CpeRef& by_dense = catalog_.DenseCpe(i);
    EXPECT_EQ(by_dense.badge, ref->badge);
    EXPECT_EQ(by_dense.cpe, ref->cpe);
    EXPECT_EQ(by_dense.dense, i);
  }
  auto b13 = catalog_.FindCpe("B1.3");
  ASSERT_TRUE(b13.has_value());
  EXPECT_EQ(b13->badge, 1u);
  EXPECT_EQ(b13->cpe, 2u);
  EXPECT_FALSE(catalog_.FindCpe("B1.4").has_value());
  EXPECT_FALSE(catalog_.FindCpe("A1.1.a").has_value());  // an indicator, not a CPE
}

TEST_F(CatalogLookupTest, FirstDenseCpeOfEachBadge) {
  EXPECT_EQ(catalog_.badges[0].first_dense_cpe, 0u);
  EXPECT_EQ(catalog_.badges[1].first_dense_cpe, 2u);
  EXPECT_EQ(catalog_.badges[2].first_dense_cpe, 5u);
  EXPECT_EQ(catalog_.badges[1].required_dense, std::vector<std::uint32_t>{2});
  EXPECT_TRUE(catalog_.badges[0].required_dense.empty());
}

TEST_F(CatalogLookupTest, CalculationPrecedence) {
  const Badge& alpha = catalog_.badges[0];
  const Badge& beta = catalog_.badges[1];
  // CPE override beats the badge's.
  const CalculationSpec& cpe_level = catalog_.CalculationFor(alpha, alpha.cpes[1]);
  EXPECT_EQ(cpe_level.method, Method::kHighest);
  EXPECT_TRUE(cpe_level.include_formative);
  // Badge override beats the district default.
  const CalculationSpec& badge_level = catalog_.CalculationFor(alpha, alpha.cpes[0]);
  EXPECT_EQ(badge_level.method, Method::kDecayingAverage);
  EXPECT_EQ(badge_level.weight, 0.5);
  EXPECT_FALSE(badge_level.include_formative);
  // Neither: the district default.
  const CalculationSpec& default_level = catalog_.CalculationFor(beta, beta.cpes[0]);
  EXPECT_EQ(default_level.method, Method::kMeanOfRecent);
  EXPECT_EQ(default_level.n, 2);
  EXPECT_EQ(&default_level, &catalog_.default_calculation);
}

TEST_F(CatalogLookupTest, CalculationDefaultsWhenAbsent) {
  json doc = Fixture();
  doc.erase("calculation");
  Catalog c = ParseOk(doc);
  EXPECT_EQ(c.default_calculation, CalculationSpec{});
  EXPECT_EQ(c.default_calculation.method, Method::kMostRecent);
}

TEST_F(CatalogLookupTest, ScaleThresholdAndLevels) {
  const Scale* four = catalog_.FindScale("four");
  ASSERT_NE(four, nullptr);
  EXPECT_EQ(four->MasteryThreshold(), 3.0);
  EXPECT_EQ(four->MinScore(), 1.0);
  EXPECT_EQ(four->MaxScore(), 4.0);
  EXPECT_EQ(four->LevelAtOrBelow(2.6).id, "emerging");
  EXPECT_EQ(four->LevelAtOrBelow(2.6).score, 2.0);
  EXPECT_EQ(four->LevelAtOrBelow(3.0).id, "proficient");
  EXPECT_EQ(four->LevelAtOrBelow(2.9999999999).id, "proficient");  // rounding noise
  EXPECT_EQ(four->LevelAtOrBelow(2.99).id, "emerging");
  EXPECT_EQ(four->LevelAtOrBelow(4.0).id, "advanced");
  EXPECT_EQ(four->LevelAtOrBelow(0.5).id, "not_yet");  // below the scale: the lowest level
  EXPECT_EQ(four->LevelIndex("not_yet"), 0);
  EXPECT_EQ(four->LevelIndex("proficient"), 2);
  EXPECT_EQ(four->LevelIndex("advanced"), 3);
  EXPECT_EQ(four->LevelIndex("Proficient"), -1);  // the label, not the id
  EXPECT_EQ(four->LevelIndex("nope"), -1);
  EXPECT_FALSE(four->levels[0].mastery);  // "mastery" defaults to false

  const Scale* habits = catalog_.FindScale("habits");
  ASSERT_NE(habits, nullptr);
  EXPECT_EQ(habits->MasteryThreshold(), 2.0);
  EXPECT_EQ(catalog_.FindScale("five"), nullptr);
}

TEST_F(CatalogLookupTest, BadgesWithoutScaleUseTheDefault) {
  for (const Badge& badge : catalog_.badges) {
    EXPECT_EQ(badge.scale_id, "four") << badge.code;
    EXPECT_EQ(&catalog_.ScaleOf(badge), catalog_.FindScale("four"));
  }
}

TEST_F(CatalogLookupTest, WithoutDefaultScaleTheFirstScaleApplies) {
  json doc = Fixture();
  doc.erase("default_scale");
  std::swap(doc["scales"][0], doc["scales"][1]);
  doc["badges"][2].erase("scale");
  Catalog c = ParseOk(doc);
  for (const Badge& badge : c.badges) EXPECT_EQ(badge.scale_id, "habits") << badge.code;
}

TEST_F(CatalogLookupTest, AwardRuleDefaultsAndValues) {
  const AwardRule& defaults = catalog_.badges[0].rule;
  EXPECT_EQ(defaults.quorum, AwardRule::Quorum::kAll);
  EXPECT_EQ(defaults.min_evidence_per_cpe, 1);
  EXPECT_TRUE(defaults.required_cpes.empty());
  EXPECT_TRUE(defaults.required_kinds.empty());
  EXPECT_TRUE(defaults.prerequisites_earned);

  const AwardRule& rule = catalog_.badges[1].rule;
  EXPECT_EQ(rule.quorum, AwardRule::Quorum::kAtLeast);
  EXPECT_EQ(rule.at_least, 2);
  EXPECT_EQ(rule.required_cpes, std::vector<std::string>{"B1.1"});
  EXPECT_EQ(rule.min_evidence_per_cpe, 2);
  EXPECT_EQ(rule.required_kinds,
            (std::vector<EvidenceKind>{EvidenceKind::kPerformanceTask, EvidenceKind::kSummative}));
  EXPECT_FALSE(rule.prerequisites_earned);
}

TEST_F(CatalogLookupTest, MajorityQuorum) {
  json doc = Fixture();
  doc["badges"][1]["award_rule"] = {{"quorum", "majority"}};
  Catalog c = ParseOk(doc);
  ASSERT_EQ(c.badges.size(), 3u);
  EXPECT_EQ(c.badges[1].rule.quorum, AwardRule::Quorum::kMajority);
}

TEST_F(CatalogLookupTest, CpeFieldsHabitsAndPathways) {
  const Cpe& a11 = catalog_.badges[0].cpes[0];
  EXPECT_EQ(a11.kind, CpeKind::kContent);
  EXPECT_EQ(a11.statement, "Solves it.");
  ASSERT_EQ(a11.indicators.size(), 2u);
  EXPECT_EQ(a11.indicators[1].id, "A1.1.b");
  EXPECT_EQ(catalog_.badges[0].cpes[1].kind, CpeKind::kPractice);
  EXPECT_EQ(catalog_.badges[0].grouping, "Algebra");
  EXPECT_EQ(catalog_.badges[2].prerequisites, std::vector<std::string>{"B1"});

  EXPECT_EQ(catalog_.habit_scale_id, "habits");
  const Habit* habit = catalog_.FindHabit("persistence");
  ASSERT_NE(habit, nullptr);
  EXPECT_EQ(habit->label, "Persistence");
  EXPECT_EQ(catalog_.FindHabit("nope"), nullptr);

  ASSERT_EQ(catalog_.pathways.size(), 1u);
  EXPECT_TRUE(catalog_.pathways[0].example);
  EXPECT_EQ(catalog_.pathways[0].badges, (std::vector<std::string>{"A1", "B1", "C1"}));
}

TEST_F(CatalogLookupTest, OptionalSectionsMayBeLeftOut) {
  json doc = Fixture();
  doc.erase("habits");
  doc.erase("pathways");
  doc.erase("calculation");
  doc.erase("default_scale");
  Catalog c = ParseOk(doc);
  EXPECT_TRUE(c.habits.empty());
  EXPECT_TRUE(c.pathways.empty());
  EXPECT_FALSE(c.FindHabit("persistence"));
}

}  // namespace
}  // namespace cairn
