// JSON-LD 1.1 toRdf conformance (w3c/json-ld-api tests, toRdf-manifest):
// every manifest entry is a parameterized test named by its id. Positive
// tests compare RDFC-1.0 canonical forms of our output and the expected
// N-Quads; negative tests must fail with the expected JSON-LD error code.
// Entries outside our scope are skipped with a reason (see kSkipped and
// src/credentials/README.md).
#include "credentials/jsonld.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <mutex>

#include "credentials/rdfc.h"
#include "credentials/test_util.h"

namespace cairn::jsonld {
namespace {

constexpr std::string_view kSuiteBase = "https://w3c.github.io/json-ld-api/tests/";

// Serves https://w3c.github.io/json-ld-api/tests/... from the local copy.
class SuiteLoader : public DocumentLoader {
 public:
  Result<std::shared_ptr<const Json>> Load(const std::string& url) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto cached = cache_.find(url);
    if (cached != cache_.end()) return cached->second;
    if (url.rfind(kSuiteBase, 0) != 0) return Status::NotFound("not in the test suite: " + url);
    std::string text = testing::ReadTestFile("json-ld-toRdf/" + url.substr(kSuiteBase.size()));
    if (text.empty()) return Status::NotFound("missing: " + url);
    auto parsed = Json::parse(text, nullptr, false);
    if (parsed.is_discarded()) return Status::Invalid("not JSON: " + url);
    auto doc = std::make_shared<const Json>(std::move(parsed));
    cache_[url] = doc;
    return doc;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const Json>> cache_;
};

struct ToRdfCase {
  std::string id;
  std::string kind;  // positive, negative, syntax
  std::string input;
  std::string expect;
  std::string error_code;
  Json option;
  // Set on the one stand-in case when the manifest cannot be read.
  std::string problem;
  bool data_missing = false;
};

void PrintTo(const ToRdfCase& c, std::ostream* os) { *os << c.id; }

// Manifest entries we skip, with the reason (kept in sync with README.md).
const std::map<std::string, std::string>& Skipped() {
  static const std::map<std::string, std::string> skipped = {};
  return skipped;
}

std::string SkipReason(const ToRdfCase& c) {
  auto it = Skipped().find(c.id);
  if (it != Skipped().end()) return it->second;
  if (c.option.value("specVersion", "") == "json-ld-1.0") return "json-ld-1.0 only behaviour";
  if (c.option.value("produceGeneralizedRdf", false)) return "generalized RDF is out of scope";
  if (c.input.size() > 5 && c.input.substr(c.input.size() - 5) == ".html") return "HTML input";
  return {};
}

constexpr const char* kManifest = "json-ld-toRdf/toRdf-manifest.jsonld";

// Runs while gtest registers tests (and so when ctest lists them): must not
// throw. An unreadable manifest yields one case that reports why.
std::vector<ToRdfCase> LoadCases() {
  ToRdfCase unreadable;
  unreadable.id = "manifest";
  auto manifest = testing::TryReadTestJson(kManifest, &unreadable.problem);
  if (!manifest) {
    unreadable.data_missing = !testing::TestDataExists(kManifest);
    return {unreadable};
  }
  std::vector<ToRdfCase> cases;
  try {
    for (const Json& entry : manifest->at("sequence")) {
      ToRdfCase c;
      c.id = entry.at("@id").get<std::string>().substr(1);
      std::string type = entry.at("@type").at(0).get<std::string>();
      c.kind = type == "jld:PositiveEvaluationTest"   ? "positive"
               : type == "jld:NegativeEvaluationTest" ? "negative"
                                                      : "syntax";
      c.input = entry.at("input").get<std::string>();
      c.expect = entry.value("expect", "");
      c.error_code = entry.value("expectErrorCode", "");
      c.option = entry.value("option", Json::object());
      cases.push_back(std::move(c));
    }
  } catch (const Json::exception& e) {
    unreadable.problem = std::string(kManifest) + ": " + e.what();
    return {unreadable};
  }
  return cases;
}

const SuiteLoader& Loader() {
  static const SuiteLoader loader;
  return loader;
}

class ToRdfTest : public ::testing::TestWithParam<ToRdfCase> {};

TEST_P(ToRdfTest, Conforms) {
  const ToRdfCase& c = GetParam();
  if (c.data_missing) GTEST_SKIP() << c.problem;
  ASSERT_TRUE(c.problem.empty()) << c.problem;
  if (std::string reason = SkipReason(c); !reason.empty()) GTEST_SKIP() << reason;
  // The manifest is there, so the expected output it names must be too (only
  // the entries that run are vendored; a partial copy fails). A missing
  // input fails below unless the test expects an error (ter56 names
  // expand/er56-in.jsonld, from the suite's expand tests, not in this copy).
  if (!c.expect.empty()) {
    ASSERT_TRUE(testing::TestDataExists("json-ld-toRdf/" + c.expect))
        << testing::MissingTestDataMessage("json-ld-toRdf/" + c.expect);
  }
  Processor processor(Loader());
  Options options;
  options.base = c.option.value("base", std::string(kSuiteBase) + c.input);
  if (c.option.value("processingMode", "") == "json-ld-1.0") options.processing_mode_1_0 = true;
  std::string direction = c.option.value("rdfDirection", "");
  if (direction == "i18n-datatype") options.rdf_direction = RdfDirection::kI18nDatatype;
  if (direction == "compound-literal") options.rdf_direction = RdfDirection::kCompoundLiteral;
  if (c.option.contains("expandContext")) {
    auto context =
        Loader().Load(std::string(kSuiteBase) + c.option["expandContext"].get<std::string>());
    ASSERT_TRUE(context.ok());
    options.expand_context = *context;
  }
  Json input = Json::parse(testing::ReadTestFile("json-ld-toRdf/" + c.input), nullptr, false);
  if (input.is_discarded()) {
    EXPECT_EQ(c.kind, "negative") << "input is not JSON";
    return;
  }
  auto dataset = processor.ToRdf(input, options);
  if (c.kind == "negative") {
    ASSERT_FALSE(dataset.ok()) << "expected error " << c.error_code;
    EXPECT_EQ(dataset.status().message().rfind(c.error_code, 0), 0u)
        << "expected " << c.error_code << ", got " << dataset.status().message();
    return;
  }
  ASSERT_TRUE(dataset.ok()) << dataset.status().ToString();
  if (c.kind == "syntax") return;
  auto actual = rdf::CanonicalizeToNQuads(*dataset);
  ASSERT_TRUE(actual.ok()) << actual.status().ToString();
  auto expected_quads = rdf::ParseNQuads(testing::ReadTestFile("json-ld-toRdf/" + c.expect));
  ASSERT_TRUE(expected_quads.ok()) << expected_quads.status().ToString();
  auto expected = rdf::CanonicalizeToNQuads(*expected_quads);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(*actual, *expected);
}

INSTANTIATE_TEST_SUITE_P(JsonLd11, ToRdfTest, ::testing::ValuesIn(LoadCases()),
                         [](const auto& param_info) {
                           return testing::SanitizeTestName(param_info.param.id);
                         });

TEST(JsonLdTest, ResolvesRelativeIris) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(ResolveIri(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(ResolveIri(base, "../g"), "http://a/b/g");
  EXPECT_EQ(ResolveIri(base, "../../../g"), "http://a/g");
  EXPECT_EQ(ResolveIri(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(ResolveIri(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(ResolveIri(base, "//g"), "http://g");
  EXPECT_EQ(ResolveIri(base, ""), "http://a/b/c/d;p?q");
  EXPECT_EQ(ResolveIri(base, "./g/."), "http://a/b/c/g/");
}

TEST(JsonLdTest, CanonicalJsonMatchesJcsVectors) {
  CAIRN_SKIP_WITHOUT_TESTDATA("jcs");
  for (const char* name : {"arrays", "french", "structures", "unicode", "values"}) {
    Json input = testing::ReadTestJson(std::string("jcs/input/") + name + ".json");
    std::string expected = testing::ReadTestFile(std::string("jcs/output/") + name + ".json");
    while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r')) {
      expected.pop_back();
    }
    EXPECT_EQ(CanonicalJson(input), expected) << name;
  }
}

// Found by fuzz/jsonld_fuzzer (fuzz/crashes/jsonld/): @direction or
// @language left on a node object was walked as a property, and its string
// value as a node object whose items() is itself: unbounded recursion, a
// stack overflow in anyone's POST /api/v1/verify.
TEST(JsonLdTest, KeywordsOnANodeObjectStateNothing) {
  const Processor processor(BundledContexts());
  for (const char* text :
       {R"({"http://example.org/p": {"@direction": "rtl", "http://example.org/q": "x"}})",
        R"({"http://example.org/p": {"@id": "http://example.org/o", "@language": "en"}})"}) {
    auto dataset = processor.ToRdf(Json::parse(text));
    ASSERT_TRUE(dataset.ok()) << text << ": " << dataset.status().ToString();
    EXPECT_FALSE(dataset->empty()) << text;
  }
}

}  // namespace
}  // namespace cairn::jsonld
