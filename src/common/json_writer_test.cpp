#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

namespace cairn {
namespace {

TEST(JsonWriterTest, NestsWithCommasInTheRightPlaces) {
  JsonWriter w;
  w.BeginObject().Field("a", 1).Key("list").BeginArray();
  w.Int(1).BeginObject().EndObject().BeginArray().EndArray().Null();
  w.EndArray().Field("b", true).Key("empty").BeginObject().EndObject().EndObject();
  EXPECT_EQ(w.text(), R"({"a":1,"list":[1,{},[],null],"b":true,"empty":{}})");
}

TEST(JsonWriterTest, EscapesWhatJsonRequires) {
  JsonWriter w;
  const std::string input = "q\" b\\ n\n t\t \x01 \x1f é";
  w.String(input);
  const std::string text = w.text();
  EXPECT_EQ(text, "\"q\\\" b\\\\ n\\n t\\t \\u0001 \\u001f \xc3\xa9\"");
  EXPECT_EQ(nlohmann::json::parse(text).get<std::string>(), input);
}

TEST(JsonWriterTest, DoublesReadBackExactlyAndStayFloatingPoint) {
  for (double d : {0.0, 3.0, -2.5, 0.1, 1.0 / 3.0, 1e300, 2.5e-8, 123456789.0}) {
    JsonWriter w;
    w.Double(d);
    const auto parsed = nlohmann::json::parse(w.text());
    EXPECT_TRUE(parsed.is_number_float()) << w.text();
    EXPECT_EQ(parsed.get<double>(), d) << w.text();
  }
  JsonWriter w;
  w.BeginArray().Double(std::numeric_limits<double>::quiet_NaN()).Double(INFINITY).EndArray();
  EXPECT_EQ(w.text(), "[null,null]");
}

TEST(JsonWriterTest, IntegersAtTheLimits) {
  JsonWriter w;
  w.BeginArray()
      .Int(std::numeric_limits<std::int64_t>::min())
      .Int(0)
      .Int(std::numeric_limits<std::int64_t>::max());
  w.EndArray();
  EXPECT_EQ(w.text(), "[-9223372036854775808,0,9223372036854775807]");
}

// One escaping for JSON and canonical N-Quads: the latter only writes its
// hex in upper case and escapes U+007F too.
TEST(AppendEscapedTest, JsonAndCanonicalNQuadsDifferOnlyInHexCaseAndDelete) {
  const std::string value =
      std::string("a\"b\\c\b\f\n\r\t") + '\x01' + '\x1f' + '\x7f' + "\xc3\xa9";
  std::string json;
  AppendEscaped(value, json);
  EXPECT_EQ(json, "a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\xc3\xa9");
  std::string nquads;
  AppendEscaped(value, nquads, {.upper_case_hex = true, .escape_delete = true});
  EXPECT_EQ(nquads, "a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001F\\u007F\xc3\xa9");
}

}  // namespace
}  // namespace cairn
