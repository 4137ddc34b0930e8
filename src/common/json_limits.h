// Parsing JSON that comes from outside (request bodies, uploaded credentials,
// catalogs, fetched documents). Depth and size are bounded while parsing, not
// after: a 420 kB body nested 70,000 deep must cost nothing but an error,
// because every recursive walk afterwards (copy, dump, JSON-LD expansion)
// would otherwise overflow the stack.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace cairn {

inline constexpr int kMaxJsonDepth = 64;
inline constexpr std::size_t kMaxJsonBytes = 16u << 20;

// Parses `text`. Errors name `what` ("body", "credential.json"):
// kInvalidArgument for malformed or too deep JSON, kResourceExhausted for
// too large.
Result<nlohmann::json> ParseUntrustedJson(std::string_view text, std::string_view what,
                                          std::size_t max_bytes = kMaxJsonBytes,
                                          int max_depth = kMaxJsonDepth);

// The same, for callers that only need "valid or not": a discarded value
// (is_discarded()) when the text is malformed, too deep or too large.
nlohmann::json ParseUntrustedJsonOrDiscarded(std::string_view text,
                                             std::size_t max_bytes = kMaxJsonBytes);

}  // namespace cairn
