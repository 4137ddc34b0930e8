// Typed reads of untrusted JSON that collect every problem with its place
// instead of throwing or quietly defaulting. The catalog reader and the API's
// parameter parsers share it, so a field of the wrong type is a 400 naming
// the field by construction, never a nlohmann::type_error or a silent "".
//
// Places are paths: from the root "" they read "level", "tags[0].cpe"; from
// "$" they read "$.badges[2].code" (the catalog's JSON paths).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace cairn {

class JsonFieldReader {
 public:
  // Collects at most `max_errors` problems: a hostile document may have millions.
  explicit JsonFieldReader(std::size_t max_errors = 100) : max_errors_(max_errors) {}

  // "a" under "" is "a"; under "$" it is "$.a".
  static std::string Join(std::string_view path, std::string_view key);
  // "tags" and 0 give "tags[0]".
  static std::string At(std::string_view path, std::size_t index);

  void Error(std::string path, std::string what);
  bool ok() const { return errors_.empty(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  // InvalidArgument with every problem (Status::InvalidFields), or OK.
  Status ToStatus(std::string_view source = {}) const;

  // True when `j` is an object whose keys are all in `allowed` (an empty
  // list allows any key); each unknown key is an error: a typo
  // ("prerequisite") must not be silently ignored.
  bool CheckObject(const nlohmann::json& j, const std::string& path,
                   std::initializer_list<std::string_view> allowed = {});

  // The string at `key`. Absent: "" (an error when `required`). Present but
  // empty: an error when `non_empty`.
  std::string String(const nlohmann::json& j, const std::string& path, const char* key,
                     bool required, bool non_empty = true);
  // Like String, nullopt when absent.
  std::optional<std::string> OptionalString(const nlohmann::json& j, const std::string& path,
                                            const char* key);
  // An array of non-empty strings; absent: empty.
  std::vector<std::string> Strings(const nlohmann::json& j, const std::string& path,
                                   const char* key);
  // The array or object at `key`, or null (absent, or the wrong type: an error).
  const nlohmann::json* Array(const nlohmann::json& j, const std::string& path, const char* key,
                              bool required);
  const nlohmann::json* Object(const nlohmann::json& j, const std::string& path, const char* key,
                               bool required);
  bool Bool(const nlohmann::json& j, const std::string& path, const char* key, bool fallback);
  // A whole number in [min, max] (1.5, "3" and 1e300 are errors); absent: `fallback`.
  std::int64_t Int(const nlohmann::json& j, const std::string& path, const char* key,
                   std::int64_t fallback, std::int64_t min, std::int64_t max);
  // Like Int, nullopt when absent (an error when `required`).
  std::optional<std::int64_t> OptionalInt(const nlohmann::json& j, const std::string& path,
                                          const char* key, std::int64_t min, std::int64_t max,
                                          bool required = false);
  // A finite number in [min, max]; absent: `fallback`.
  double Number(const nlohmann::json& j, const std::string& path, const char* key, double fallback,
                double min, double max);

 private:
  std::size_t max_errors_;
  std::vector<FieldError> errors_;
};

}  // namespace cairn
