// Test-only helpers for the credential media tests: fixture paths and file reads.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace cairn::credentials::testing {

// Shared 1EdTech samples (../shared/testdata, present in CI).
inline std::string SharedPath(const std::string& relative) {
  return std::string(CAIRN_TESTDATA_DIR) + "/" + relative;
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
