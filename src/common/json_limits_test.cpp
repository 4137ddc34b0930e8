#include "common/json_limits.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(JsonLimits, DepthIsBoundedWhileParsing) {
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_TRUE(ParseUntrustedJson(nested(64), "body").ok());
  auto deep = ParseUntrustedJson(nested(65), "body");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().message(), "body: nested deeper than 64 levels");
  // The probe's request: 70,000 levels, refused without recursion.
  EXPECT_FALSE(ParseUntrustedJson(nested(70000), "body").ok());
  const std::string objects = [] {
    std::string s;
    for (int i = 0; i < 100; ++i) s += "{\"a\":";
    s += "1";
    for (int i = 0; i < 100; ++i) s += "}";
    return s;
  }();
  EXPECT_FALSE(ParseUntrustedJson(objects, "body").ok());
  EXPECT_TRUE(ParseUntrustedJsonOrDiscarded(nested(65)).is_discarded());
}

TEST(JsonLimits, SizeAndSyntaxErrorsNameThePlace) {
  auto big = ParseUntrustedJson(std::string(100, ' ') + "1", "upload", 50);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kResourceExhausted);
  auto bad = ParseUntrustedJson("{\n  \"a\": 1,\n  oops\n}", "catalog.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("catalog.json: not valid JSON at line 3"),
            std::string::npos)
      << bad.status().message();
  EXPECT_EQ(ParseUntrustedJson("{\"a\":[1,2]}", "x")->at("a").size(), 2u);
}

// Found by fuzz/json_fuzzer (fuzz/crashes/json/): a number beyond a double
// escaped as nlohmann's out_of_range exception, a 500 from every JSON route.
TEST(JsonLimits, NumberOutOfRangeIsAnErrorNotAnException) {
  auto huge = ParseUntrustedJson("[2.32e5616]", "body");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(huge.status().message(), "body: a number is out of range");
  EXPECT_TRUE(ParseUntrustedJsonOrDiscarded("{\"a\":-1e400}").is_discarded());
}

}  // namespace
}  // namespace cairn
