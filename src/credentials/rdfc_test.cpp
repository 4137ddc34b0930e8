// W3C rdf-canon (RDFC-1.0) test suite, one parameterized test per manifest
// entry: eval tests compare canonical N-Quads byte for byte, map tests compare
// the issued identifier map, negative tests must fail within the work limit.
#include "credentials/rdfc.h"

#include <gtest/gtest.h>

#include <chrono>

#include "credentials/test_util.h"

namespace cairn::rdf {
namespace {

struct RdfcCase {
  std::string id;
  std::string type;
  std::string action;
  std::string result;
  HashAlgorithm hash = HashAlgorithm::kSha256;
  // Set on the one stand-in case when the manifest cannot be read.
  std::string problem;
  bool data_missing = false;
};

void PrintTo(const RdfcCase& c, std::ostream* os) { *os << c.id; }

constexpr const char* kManifest = "rdf-canon/manifest.jsonld";

// Runs while gtest registers tests (and so when ctest lists them): must not
// throw. An unreadable manifest yields one case that reports why.
std::vector<RdfcCase> LoadManifest() {
  RdfcCase unreadable;
  unreadable.id = "manifest";
  auto manifest = testing::TryReadTestJson(kManifest, &unreadable.problem);
  if (!manifest) {
    unreadable.data_missing = !testing::TestDataExists(kManifest);
    return {unreadable};
  }
  std::vector<RdfcCase> cases;
  try {
    for (const auto& entry : manifest->at("entries")) {
      RdfcCase c;
      c.id = entry.at("id").get<std::string>().substr(1);
      c.type = entry.at("type").get<std::string>();
      c.action = entry.at("action").get<std::string>();
      if (entry.contains("result")) c.result = entry.at("result").get<std::string>();
      if (entry.value("hashAlgorithm", "") == "SHA384") c.hash = HashAlgorithm::kSha384;
      cases.push_back(std::move(c));
    }
  } catch (const nlohmann::json::exception& e) {
    unreadable.problem = std::string(kManifest) + ": " + e.what();
    return {unreadable};
  }
  return cases;
}

class RdfcManifestTest : public ::testing::TestWithParam<RdfcCase> {};

TEST_P(RdfcManifestTest, Conforms) {
  const RdfcCase& c = GetParam();
  if (c.data_missing) GTEST_SKIP() << c.problem;
  ASSERT_TRUE(c.problem.empty()) << c.problem;
  // The manifest is there, so its files must be too (a partial copy fails).
  for (const std::string& file : {c.action, c.result}) {
    if (!file.empty()) {
      ASSERT_TRUE(testing::TestDataExists("rdf-canon/" + file))
          << testing::MissingTestDataMessage("rdf-canon/" + file);
    }
  }
  auto input = ParseNQuads(testing::ReadTestFile("rdf-canon/" + c.action));
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  CanonicalizeOptions options;
  options.hash = c.hash;
  auto started = std::chrono::steady_clock::now();
  auto canonical = Canonicalize(*input, options);
  if (c.type == "rdfc:RDFC10NegativeEvalTest") {
    EXPECT_FALSE(canonical.ok());
    EXPECT_NE(canonical.status().message().find("work limit"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
    return;
  }
  ASSERT_TRUE(canonical.ok()) << canonical.status().ToString();
  if (c.type == "rdfc:RDFC10EvalTest") {
    EXPECT_EQ(canonical->nquads, testing::ReadTestFile("rdf-canon/" + c.result));
  } else {
    ASSERT_EQ(c.type, "rdfc:RDFC10MapTest");
    auto expected = testing::ReadTestJson("rdf-canon/" + c.result);
    std::map<std::string, std::string> expected_map = expected;
    EXPECT_EQ(canonical->issued, expected_map);
  }
}

INSTANTIATE_TEST_SUITE_P(Rdfc10, RdfcManifestTest, ::testing::ValuesIn(LoadManifest()),
                         [](const auto& param_info) {
                           return testing::SanitizeTestName(param_info.param.id);
                         });

TEST(RdfcTest, ManifestHasAllEntries) {
  CAIRN_SKIP_WITHOUT_TESTDATA(kManifest);
  EXPECT_EQ(LoadManifest().size(), 86u);
}

TEST(RdfcTest, Sha256Hex) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace cairn::rdf
