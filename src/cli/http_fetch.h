// A small blocking HTTP(S) GET for the CLI's `verify`: a verifier outside
// Cairn fetches the issuer's keys, status list and hosted assertions the same
// way. Certificates are checked against the system's trust store.
#pragma once

#include <string>

#include "common/status.h"

namespace cairn {

struct FetchLimits {
  std::size_t max_bytes = 16 * 1024 * 1024;
  int timeout_seconds = 15;
  int max_redirects = 3;
};

// The body of a 200 response. kNotFound for 404/410 (with the status in the
// message), kInvalidArgument for a malformed URL, kInternal otherwise.
Result<std::string> HttpGet(const std::string& url, const FetchLimits& limits = {});

}  // namespace cairn
