// What handlers' parameter parsers share: typed reads of a JSON body that
// name the field at fault (common/json_fields.h), and query parameters.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_fields.h"
#include "common/status.h"

namespace cairn {

class Catalog;

// A request body's fields, read from the root ("level", "tags[0].cpe").
// Wrong types and missing required fields are collected; Done() is the 400.
class BodyReader : public JsonFieldReader {
 public:
  // `body` must outlive the reader. A body that is not an object (absent,
  // an array, a string) is an error unless `optional` and null.
  explicit BodyReader(const nlohmann::json& body, bool optional = false);
  const nlohmann::json& body() const { return body_; }
  std::string Required(const char* key) { return String(body_, "", key, true); }
  std::string Optional(const char* key) { return String(body_, "", key, false, false); }
  Status Done() const { return ToStatus(); }

 private:
  const nlohmann::json& body_;
};

// A query parameter as a whole number in [lo, hi]; absent: `fallback`;
// otherwise an error naming the parameter.
Result<std::int64_t> QueryNumber(const std::map<std::string, std::string>& query, const char* key,
                                 std::int64_t fallback, std::int64_t lo, std::int64_t hi);

// A body's {"badges": ["M101", ...]} (a section's or a course's): each a
// badge of `catalog` (none when null), no repeats, in the order given;
// every bad entry named ("badges[2]").
Result<std::vector<std::string>> ParseBadgeList(const nlohmann::json& body, const Catalog* catalog);

}  // namespace cairn
