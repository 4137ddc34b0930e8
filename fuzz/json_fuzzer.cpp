// Untrusted JSON (request bodies, uploaded credentials, catalogs):
// ParseUntrustedJson must answer every input with a value or a Status (never
// an exception), keep its depth and size bounds, agree with
// ParseUntrustedJsonOrDiscarded, and what it accepts must survive a
// dump/parse round trip.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "fuzz_check.h"

namespace {

using cairn::fuzz::Check;

// The deepest depth the parser's callback sees (json_limits.cpp): a value
// inside k containers, and an object's keys, are at depth k; the outermost
// value at 0.
int Depth(const nlohmann::json& value, int enclosing = 0) {
  int deepest = enclosing;
  if (value.is_structured()) {
    for (const auto& child : value) deepest = std::max(deepest, Depth(child, enclosing + 1));
    if (value.is_object() && !value.empty()) deepest = std::max(deepest, enclosing + 1);
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = cairn::fuzz::AsText(data, size);
  const auto parsed = cairn::ParseUntrustedJson(text, "body");
  const nlohmann::json discarded = cairn::ParseUntrustedJsonOrDiscarded(text);
  Check(parsed.ok() == !discarded.is_discarded(), "the two entry points disagree");

  // Tighter bounds, as for a small body: 8 levels, half the input.
  const auto tight = cairn::ParseUntrustedJson(text, "tight", size / 2, 8);
  if (size > size / 2) {
    Check(!tight.ok() && tight.status().code() == cairn::StatusCode::kResourceExhausted,
          "input over max_bytes accepted");
  }
  if (!parsed.ok()) {
    Check(parsed.status().code() == cairn::StatusCode::kInvalidArgument,
          "malformed JSON is not kInvalidArgument");
    Check(parsed.status().message().starts_with("body: "), "error does not name the input");
    return 0;
  }
  Check(Depth(*parsed) < cairn::kMaxJsonDepth, "nested deeper than kMaxJsonDepth");
  Check(*parsed == discarded, "the two entry points parsed differently");
  const auto small = cairn::ParseUntrustedJson(text, "small", size, 8);
  Check(small.ok() == (Depth(*parsed) < 8), "max_depth 8 not applied exactly");

  const std::string dumped = parsed->dump();
  const auto again = cairn::ParseUntrustedJson(dumped, "again");
  Check(again.ok(), "dump() of a parsed value does not parse");
  Check(*again == *parsed, "dump/parse round trip changed the value");
  return 0;
}
