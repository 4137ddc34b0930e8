// Test-only helpers: locate and read the shared conformance test data.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace cairn::testing {

inline std::string TestDataPath(const std::string& relative) {
  return std::string(CAIRN_TESTDATA_DIR) + "/" + relative;
}

// Returns "" when the file is missing; callers assert on content.
inline std::string ReadTestFile(const std::string& relative) {
  std::ifstream in(TestDataPath(relative), std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline nlohmann::json ReadTestJson(const std::string& relative) {
  return nlohmann::json::parse(ReadTestFile(relative));
}

// gtest parameter names allow only [A-Za-z0-9_].
inline std::string SanitizeTestName(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace cairn::testing
