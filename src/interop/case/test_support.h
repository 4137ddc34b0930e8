// Helpers shared by the CASE tests: the vendored packages (tests/conformance/
// case/), read whole or as JSON a test edits.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace cairn::standards::testing {

inline std::string CaseFixturePath(const std::string& relative) {
  return std::string(CAIRN_TESTDATA_DIR) + "/case/" + relative;
}

inline std::string ReadCaseFixture(const std::string& relative) {
  std::ifstream in(CaseFixturePath(relative), std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing test data " << CaseFixturePath(relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline constexpr const char* kSampleMath = "handmade/sample-state-math-v1p1.json";
inline constexpr const char* kSampleMathDocument = "5a3e0000-0000-4000-8000-000000000000";

// Identifier of the handmade sample's item `n` (1: domain A ... 9: A-REI.3).
inline std::string SampleItem(int n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "5a3e0000-0000-4000-8000-0000000001%02d", n);
  return buffer;
}

// The handmade sample's package object (unwrapped from "CFPackage").
inline nlohmann::json SampleMathPackage() {
  return nlohmann::json::parse(ReadCaseFixture(kSampleMath))["CFPackage"];
}

}  // namespace cairn::standards::testing
