#include "common/json_limits.h"

#include <string>

namespace cairn {

namespace {

struct TooDeep {};

}  // namespace

Result<nlohmann::json> ParseUntrustedJson(std::string_view text, std::string_view what,
                                          std::size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    return Status(StatusCode::kResourceExhausted,
                  std::string(what) + ": larger than " + std::to_string(max_bytes) + " bytes");
  }
  // The callback sees every value as it is parsed, with its depth; throwing
  // stops the parser before anything deeper is built.
  auto limit = [max_depth](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth >= max_depth) throw TooDeep{};  // the outermost value is at depth 0
    return true;
  };
  try {
    nlohmann::json parsed = nlohmann::json::parse(text, limit, /*allow_exceptions=*/true);
    return parsed;
  } catch (const TooDeep&) {
    return Status::InvalidField(std::string(what),
                                "nested deeper than " + std::to_string(max_depth) + " levels");
  } catch (const nlohmann::json::parse_error& e) {
    // Where, as an editor shows it.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return Status::InvalidField(
        std::string(what),
        "not valid JSON at line " + std::to_string(line) + ", column " + std::to_string(column));
  } catch (const nlohmann::json::out_of_range&) {
    // A number beyond a double ("1e400") is not a parse_error: nlohmann
    // throws out_of_range, even to a parser told to report errors.
    return Status::InvalidField(std::string(what), "a number is out of range");
  }
}

nlohmann::json ParseUntrustedJsonOrDiscarded(std::string_view text, std::size_t max_bytes) {
  auto parsed = ParseUntrustedJson(text, "json", max_bytes);
  if (!parsed.ok()) return nlohmann::json(nlohmann::json::value_t::discarded);
  return std::move(parsed).value();
}

}  // namespace cairn
