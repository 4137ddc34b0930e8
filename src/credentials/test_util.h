// Test-only helpers: locate and read the conformance test data vendored in
// tests/conformance/ (CAIRN_TESTDATA_DIR).
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace cairn::testing {

inline std::string TestDataPath(const std::string& relative) {
  return std::string(CAIRN_TESTDATA_DIR) + "/" + relative;
}

inline bool TestDataExists(const std::string& relative) {
  std::error_code ec;
  return std::filesystem::exists(TestDataPath(relative), ec);
}

inline std::string MissingTestDataMessage(const std::string& relative) {
  return "conformance data not found: " + TestDataPath(relative) +
         " (vendored under tests/conformance/, see its README.md)";
}

// Returns "" when the file is missing; callers assert on content.
inline std::string ReadTestFile(const std::string& relative) {
  std::ifstream in(TestDataPath(relative), std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Throws, naming the file, when it is missing or not JSON (gtest reports the
// test as failed with that message).
inline nlohmann::json ReadTestJson(const std::string& relative) {
  if (!TestDataExists(relative)) throw std::runtime_error(MissingTestDataMessage(relative));
  return nlohmann::json::parse(ReadTestFile(relative));
}

// For parameter generators, which run while gtest registers tests (so also
// when ctest lists them): never throws. nullopt when the file is missing or
// not JSON; `problem` then says which.
inline std::optional<nlohmann::json> TryReadTestJson(const std::string& relative,
                                                     std::string* problem) {
  if (!TestDataExists(relative)) {
    *problem = MissingTestDataMessage(relative);
    return std::nullopt;
  }
  auto parsed = nlohmann::json::parse(ReadTestFile(relative), nullptr, false);
  if (parsed.is_discarded()) {
    *problem = TestDataPath(relative) + ": not JSON";
    return std::nullopt;
  }
  return parsed;
}

// gtest parameter names allow only [A-Za-z0-9_].
inline std::string SanitizeTestName(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace cairn::testing

// Skips the current test, with a message naming the path, when a conformance
// file or folder (relative to tests/conformance/) is missing.
#define CAIRN_SKIP_WITHOUT_TESTDATA(relative)                             \
  do {                                                                    \
    if (!::cairn::testing::TestDataExists(relative)) {                    \
      GTEST_SKIP() << ::cairn::testing::MissingTestDataMessage(relative); \
    }                                                                     \
  } while (false)
