// Test-only helpers for the credential media tests: fixture paths and file reads.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "credentials/test_util.h"  // CAIRN_SKIP_WITHOUT_TESTDATA

namespace cairn::credentials::testing {

// 1EdTech samples vendored in tests/conformance/ (CAIRN_TESTDATA_DIR); a
// test that reads one starts with CAIRN_SKIP_WITHOUT_TESTDATA(relative).
inline std::string SharedPath(const std::string& relative) {
  return ::cairn::testing::TestDataPath(relative);
}

// Small copies kept beside the code (src/credentials/testdata/media).
inline std::string FixturePath(const std::string& relative) {
  return std::string(CAIRN_MEDIA_FIXTURES_DIR) + "/" + relative;
}

// "" when the file is missing; callers assert on content.
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace cairn::credentials::testing
