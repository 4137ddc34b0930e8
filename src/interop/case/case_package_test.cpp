#include "interop/case/case_package.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "interop/case/test_support.h"

namespace cairn::standards {
namespace {

using nlohmann::json;
using testing::ReadCaseFixture;
using testing::SampleItem;
using testing::SampleMathPackage;

std::vector<std::string> Problems(const Status& status) {
  std::vector<std::string> out;
  for (const FieldError& e : status.fields()) out.push_back(e.field + ": " + e.message);
  return out;
}

Status ParseJson(const json& package) {
  return ParseCasePackage(package.dump(), "t.json").status();
}

TEST(CasePackageTest, ReadsEveryOpenSaltFramework) {
  struct Expected {
    const char* file;
    std::size_t items, associations;
    const char* title;
  };
  const Expected cases[] = {
      {"opensalt/AdoptedTestFramework.json", 1, 1, "Adopted Test"},
      {"opensalt/EmptyExternalFramework.json", 0, 0, "Test Framework External Empty"},
      {"opensalt/ItemTypeTestFramework.json", 1, 1, "Item Type Test"},
      {"opensalt/MarkdownFramework.json", 2, 2, "Test Markdown Framework"},
      {"opensalt/SequenceNumberFramework.json", 2, 2, "Sequence Number Test"},
      {"opensalt/Utf8TestFramework.json", 1, 1, "UTF8 \xF0\x9D\x91\x91 Test"},
  };
  for (const Expected& c : cases) {
    auto package = ParseCasePackage(ReadCaseFixture(c.file), c.file);
    ASSERT_TRUE(package.ok()) << c.file << ": " << package.status().ToString();
    EXPECT_EQ(package->items.size(), c.items) << c.file;
    EXPECT_EQ(package->associations.size(), c.associations) << c.file;
    EXPECT_EQ(package->document.title, c.title);
    EXPECT_EQ(package->document.creator, "OpenSALT Testing");
    EXPECT_EQ(package->document.case_version, "1.0");
  }
  auto typed = ParseCasePackage(ReadCaseFixture("opensalt/ItemTypeTestFramework.json"), "x");
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed->items[0].item_type, "Standard");
  ASSERT_EQ(typed->item_types.size(), 1u);
  EXPECT_EQ(typed->item_types[0].title, "Standard");
  EXPECT_EQ(typed->document.adoption_status, "Draft");
  // "+00:00" is UTC: 2017-09-22T23:13:54Z.
  EXPECT_EQ(typed->document.last_change_at, *ParseInstant("2017-09-22T23:13:54Z"));
  auto sequenced = ParseCasePackage(ReadCaseFixture("opensalt/SequenceNumberFramework.json"), "x");
  ASSERT_TRUE(sequenced.ok());
  EXPECT_EQ(sequenced->associations[0].sequence_number, 2);
  EXPECT_EQ(sequenced->items[1].human_coding_scheme, "SNT.2");
  auto markdown = ParseCasePackage(ReadCaseFixture("opensalt/MarkdownFramework.json"), "x");
  ASSERT_TRUE(markdown.ok());
  EXPECT_NE(markdown->items[0].full_statement.find("| Column 1 | Column 2 |\r\n"),
            std::string::npos);
}

TEST(CasePackageTest, ReadsAWrappedCase11PackageWithDefinitionsAndRubrics) {
  auto package = ParseCasePackage(ReadCaseFixture(testing::kSampleMath), "math.json");
  ASSERT_TRUE(package.ok()) << package.status().ToString();
  EXPECT_EQ(package->document.identifier, testing::kSampleMathDocument);
  EXPECT_EQ(package->document.case_version, "1.1");
  EXPECT_EQ(package->document.publisher, "Cairn tests");
  ASSERT_EQ(package->items.size(), 9u);
  EXPECT_EQ(package->items[4].identifier, SampleItem(5));
  EXPECT_EQ(package->items[4].human_coding_scheme, "A-CED.1");
  EXPECT_EQ(package->items[4].item_type, "Standard");
  EXPECT_EQ(package->items[4].education_level.size(), 4u);
  EXPECT_EQ(package->associations.size(), 11u);
  EXPECT_EQ(package->associations[9].type, "exactMatchOf");
  EXPECT_EQ(package->item_types.size(), 3u);
  EXPECT_EQ(package->subjects.size(), 1u);
  EXPECT_EQ(package->licenses.size(), 1u);
  ASSERT_EQ(package->rubrics.size(), 1u);
  EXPECT_EQ(package->rubrics[0].criteria, 1);
}

TEST(CasePackageTest, LayoutAndKeyOrderDoNotChangeTheCanonicalForm) {
  const json package = SampleMathPackage();
  auto compact = ParseCasePackage(package.dump(), "a");
  auto pretty = ParseCasePackage(json{{"CFPackage", package}}.dump(4), "b");
  ASSERT_TRUE(compact.ok() && pretty.ok());
  EXPECT_EQ(compact->canonical_json, pretty->canonical_json);
  json changed = package;
  changed["CFItems"][0]["fullStatement"] = "Algebra and functions";
  EXPECT_NE(ParseCasePackage(changed.dump(), "c")->canonical_json, compact->canonical_json);
}

TEST(CasePackageTest, UnknownFieldsAreIgnored) {
  json package = SampleMathPackage();
  package["vendorExtension"] = {{"anything", 1}};
  package["CFDocument"]["extensions"] = json::array({1, 2});
  package["CFItems"][2]["customField"] = "kept out";
  package["CFAssociations"][0]["notes"] = nullptr;
  EXPECT_TRUE(ParseJson(package).ok());
}

TEST(CasePackageTest, EveryProblemIsListedWithItsPath) {
  json package = SampleMathPackage();
  package["CFDocument"].erase("creator");
  package["CFDocument"]["lastChangeDateTime"] = "yesterday";
  package["CFItems"][3].erase("fullStatement");
  package["CFItems"][4]["uri"] = "not a uri";
  package["CFItems"][5]["identifier"] = SampleItem(2);  // a duplicate
  package["CFItems"][6]["humanCodingScheme"] = 42;      // wrong type
  package["CFAssociations"][2]["associationType"] = "isCousinOf";
  package["CFAssociations"][7]["originNodeURI"]["identifier"] = "no-such-item";
  package["CFAssociations"][8]["sequenceNumber"] = 1.5;
  package["CFDefinitions"]["CFItemTypes"][0].erase("title");
  const Status status = ParseJson(package);
  ASSERT_EQ(status.code(), StatusCode::kInvalidArgument);
  const std::vector<std::string> expected = {
      "CFDocument.creator: missing",
      "CFDocument.lastChangeDateTime: expected a date and time like 2017-09-22T23:13:54+00:00, got "
      "'yesterday'",
      "CFItems[3].fullStatement: missing",
      "CFItems[4].uri: 'not a uri' is not an absolute URI",
      "CFItems[5].identifier: '" + SampleItem(2) + "' is also the identifier of CFItems[1]",
      "CFItems[6].humanCodingScheme: expected a string",
      "CFAssociations[2].associationType: 'isCousinOf' is not a CASE association type",
      "CFAssociations[8].sequenceNumber: expected a whole number from -2147483648 to 2147483647",
      "CFDefinitions.CFItemTypes[0].title: missing",
      "CFAssociations[4].originNodeURI.identifier: no CFItem '" + SampleItem(6) +
          "' in this package",
      "CFAssociations[7].originNodeURI.identifier: no CFItem 'no-such-item' in this package",
  };
  EXPECT_EQ(Problems(status), expected);
  EXPECT_NE(status.message().find("t.json"), std::string::npos) << status.message();
}

TEST(CasePackageTest, AssociationsMustReachIntoThePackage) {
  json package = SampleMathPackage();
  // A child of an item that is not there, and a match between two strangers.
  package["CFAssociations"][5]["destinationNodeURI"]["identifier"] = "missing-parent";
  package["CFAssociations"][9]["originNodeURI"]["identifier"] = "stranger-1";
  // The document cannot be a child.
  package["CFAssociations"][0]["originNodeURI"] =
      package["CFAssociations"][0]["destinationNodeURI"];
  package["CFAssociations"][0]["destinationNodeURI"] =
      package["CFAssociations"][1]["originNodeURI"];
  EXPECT_EQ(Problems(ParseJson(package)),
            (std::vector<std::string>{
                "CFAssociations[0].originNodeURI.identifier: the document cannot be a child",
                "CFAssociations[5].destinationNodeURI.identifier: no CFItem or CFDocument "
                "'missing-parent' in this package",
                "CFAssociations[9]: neither end ('stranger-1', "
                "'0ccs0000-0000-4000-8000-000000000001') is in this package"}));
}

TEST(CasePackageTest, ChildOfCyclesAreRefused) {
  json package = SampleMathPackage();
  // A (item 1) becomes a child of A-SSE.1 (item 3), whose grandparent A is.
  package["CFAssociations"][0]["destinationNodeURI"] =
      package["CFAssociations"][2]["originNodeURI"];
  auto problems = Problems(ParseJson(package));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("isChildOf makes a cycle"), std::string::npos) << problems[0];
  package = SampleMathPackage();
  package["CFAssociations"][2]["destinationNodeURI"] =
      package["CFAssociations"][2]["originNodeURI"];
  EXPECT_EQ(Problems(ParseJson(package)),
            (std::vector<std::string>{
                "CFAssociations[2].destinationNodeURI: an item cannot be its own child"}));
}

TEST(CasePackageTest, ShapeErrorsAndOtherVersions) {
  EXPECT_EQ(Problems(ParseJson(json::array())),
            (std::vector<std::string>{"CFPackage: expected an object"}));
  EXPECT_EQ(Problems(ParseJson(json::object())), (std::vector<std::string>{"CFDocument: missing"}));
  json package = SampleMathPackage();
  package["CFItems"] = {{"key", "an object, not a list"}};
  package["CFAssociations"][0] = "a string";
  package["CFDocument"]["caseVersion"] = "2.0";
  EXPECT_EQ(Problems(ParseJson(package)),
            (std::vector<std::string>{
                "CFDocument.caseVersion: Cairn reads CASE 1.0 and 1.1, not '2.0'",
                "CFItems: expected an array",
                "CFAssociations[0]: expected an object",
            }));
  auto not_json = ParseCasePackage("{\"CFDocument\": ", "broken.json");
  EXPECT_EQ(not_json.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(not_json.status().message().find("broken.json"), std::string::npos);
}

TEST(CasePackageTest, LimitsAreRefusedBeforeTheWork) {
  const std::string text = ReadCaseFixture(testing::kSampleMath);
  CaseLimits small;
  small.max_bytes = 1024;
  auto too_big = ParseCasePackage(text, "big.json", small);
  EXPECT_EQ(too_big.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(too_big.status().message().find("big.json"), std::string::npos);
  CaseLimits few_items;
  few_items.max_items = 8;
  auto many = ParseCasePackage(text, "many.json", few_items);
  EXPECT_EQ(many.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(many.status().message().find("9 CFItems"), std::string::npos);
  CaseLimits short_text;
  short_text.max_text = 100;
  auto long_statement = ParseCasePackage(text, "x", short_text);
  ASSERT_EQ(long_statement.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Problems(long_statement.status())[0],
            "CFPackage.CFDocument.description: longer than 100 bytes");
  // 70,000 levels deep costs an error, not the stack.
  EXPECT_FALSE(ParseCasePackage(std::string(70000, '[') + std::string(70000, ']'), "deep").ok());
}

TEST(CasePackageTest, AHostileNumberOfProblemsIsCountedNotListed) {
  json package = SampleMathPackage();
  json broken = json::array();
  for (int i = 0; i < 2000; ++i) broken.push_back(json::object());  // 4 missing fields each
  package["CFItems"] = broken;
  package["CFAssociations"] = json::array();
  CaseLimits limits;
  limits.max_problems = 10;
  auto parsed = ParseCasePackage(package.dump(), "x", limits);
  const auto problems = Problems(parsed.status());
  ASSERT_EQ(problems.size(), 11u);
  EXPECT_EQ(problems[0], "CFItems[0].identifier: missing");
  EXPECT_EQ(problems[10], "CFPackage: 7990 more problems not listed (fix these first)");
}

TEST(CasePackageTest, DateTimesAndUris) {
  EXPECT_EQ(*ParseCaseDateTime("2017-09-22T23:13:54Z"), *ParseInstant("2017-09-22T23:13:54Z"));
  EXPECT_EQ(*ParseCaseDateTime("2017-09-22T23:13:54.123+02:00"),
            *ParseInstant("2017-09-22T21:13:54Z"));
  EXPECT_EQ(*ParseCaseDateTime("2017-09-22T23:13:54-05:30"), *ParseInstant("2017-09-23T04:43:54Z"));
  EXPECT_EQ(*ParseCaseDateTime("2017-09-22T23:13:54"), *ParseInstant("2017-09-22T23:13:54Z"));
  for (const char* bad :
       {"2017-09-22", "2017-02-30T00:00:00Z", "2017-09-22T24:00:00Z", "2017-09-22T23:13:54+0200",
        "2017-09-22T23:13:54.Z", "2017-09-22 23:13:54Z"}) {
    EXPECT_FALSE(ParseCaseDateTime(bad).ok()) << bad;
  }
  EXPECT_TRUE(IsAbsoluteUri("https://case.example.org/CFItems/1"));
  EXPECT_TRUE(IsAbsoluteUri("urn:uuid:5a3e0000-0000-4000-8000-000000000000"));
  for (const char* bad :
       {"", "/relative/path", "no scheme", "1http://x", "https:", "ht tp://x", "https://x y"}) {
    EXPECT_FALSE(IsAbsoluteUri(bad)) << bad;
  }
  EXPECT_TRUE(IsCaseAssociationType("isChildOf"));
  EXPECT_TRUE(IsCaseAssociationType("ext:hasProgressionLevel"));
  EXPECT_FALSE(IsCaseAssociationType("ext:"));
  EXPECT_FALSE(IsCaseAssociationType("ischildof"));
}

}  // namespace
}  // namespace cairn::standards
