#include "common/json_fields.h"

#include <algorithm>
#include <cmath>

namespace cairn {

using nlohmann::json;

namespace {

std::string FormatNumber(double x) {
  if (x == std::floor(x) && std::fabs(x) < 1e15) return std::to_string(static_cast<long long>(x));
  std::string s = std::to_string(x);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

}  // namespace

std::string JsonFieldReader::Join(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

std::string JsonFieldReader::At(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

void JsonFieldReader::Error(std::string path, std::string what) {
  if (errors_.size() < max_errors_) errors_.push_back({std::move(path), std::move(what)});
}

Status JsonFieldReader::ToStatus(std::string_view source) const {
  return errors_.empty() ? Status::Ok() : Status::InvalidFields(errors_, source);
}

bool JsonFieldReader::CheckObject(const json& j, const std::string& path,
                                  std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) {
    Error(path.empty() ? "body" : path, "expected an object");
    return false;
  }
  if (allowed.size() == 0) return true;
  for (const auto& item : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      Error(Join(path, item.key()), "unknown field");
    }
  }
  return true;
}

std::string JsonFieldReader::String(const json& j, const std::string& path, const char* key,
                                    bool required, bool non_empty) {
  auto it = j.is_object() ? j.find(key) : j.end();
  if (it == j.end() || it->is_null()) {
    if (required) Error(Join(path, key), "missing");
    return {};
  }
  if (!it->is_string()) {
    Error(Join(path, key), "expected a string");
    return {};
  }
  std::string value = it->get<std::string>();
  if (value.empty() && (non_empty || required)) Error(Join(path, key), "must not be empty");
  return value;
}

std::optional<std::string> JsonFieldReader::OptionalString(const json& j, const std::string& path,
                                                           const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::nullopt;
  const std::size_t before = errors_.size();
  std::string value = String(j, path, key, false, false);
  if (errors_.size() != before) return std::nullopt;
  return value;
}

std::vector<std::string> JsonFieldReader::Strings(const json& j, const std::string& path,
                                                  const char* key) {
  std::vector<std::string> out;
  auto it = j.is_object() ? j.find(key) : j.end();
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) {
    Error(Join(path, key), "expected an array of strings");
    return out;
  }
  const json* array = &*it;
  const std::string where = Join(path, key);
  for (std::size_t i = 0; i < array->size(); ++i) {
    const json& item = (*array)[i];
    if (!item.is_string() || item.get<std::string>().empty()) {
      Error(At(where, i), "expected a non-empty string");
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

const json* JsonFieldReader::Array(const json& j, const std::string& path, const char* key,
                                   bool required) {
  auto it = j.is_object() ? j.find(key) : j.end();
  if (it == j.end() || it->is_null()) {
    if (required) Error(Join(path, key), "missing");
    return nullptr;
  }
  if (!it->is_array()) {
    Error(Join(path, key), "expected an array");
    return nullptr;
  }
  return &*it;
}

const json* JsonFieldReader::Object(const json& j, const std::string& path, const char* key,
                                    bool required) {
  auto it = j.is_object() ? j.find(key) : j.end();
  if (it == j.end() || it->is_null()) {
    if (required) Error(Join(path, key), "missing");
    return nullptr;
  }
  if (!it->is_object()) {
    Error(Join(path, key), "expected an object");
    return nullptr;
  }
  return &*it;
}

bool JsonFieldReader::Bool(const json& j, const std::string& path, const char* key, bool fallback) {
  auto it = j.is_object() ? j.find(key) : j.end();
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) {
    Error(Join(path, key), "expected true or false");
    return fallback;
  }
  return it->get<bool>();
}

std::optional<std::int64_t> JsonFieldReader::OptionalInt(const json& j, const std::string& path,
                                                         const char* key, std::int64_t min,
                                                         std::int64_t max, bool required) {
  auto it = j.is_object() ? j.find(key) : j.end();
  if (it == j.end() || it->is_null()) {
    if (required) Error(Join(path, key), "missing");
    return std::nullopt;
  }
  // Unsigned values above INT64_MAX and floats are refused before any
  // conversion: get<int>() of 1e300 is undefined behaviour.
  bool in_range = false;
  std::int64_t value = 0;
  if (it->is_number_unsigned()) {
    const auto u = it->get<std::uint64_t>();
    in_range = u <= static_cast<std::uint64_t>(max) && max >= 0;
    value = in_range ? static_cast<std::int64_t>(u) : 0;
    in_range = in_range && value >= min;
  } else if (it->is_number_integer()) {
    value = it->get<std::int64_t>();
    in_range = value >= min && value <= max;
  }
  if (!in_range) {
    Error(Join(path, key),
          "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::int64_t JsonFieldReader::Int(const json& j, const std::string& path, const char* key,
                                  std::int64_t fallback, std::int64_t min, std::int64_t max) {
  return OptionalInt(j, path, key, min, max).value_or(fallback);
}

double JsonFieldReader::Number(const json& j, const std::string& path, const char* key,
                               double fallback, double min, double max) {
  auto it = j.is_object() ? j.find(key) : j.end();
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < min ||
      it->get<double>() > max) {
    Error(Join(path, key),
          "expected a number from " + FormatNumber(min) + " to " + FormatNumber(max));
    return fallback;
  }
  return it->get<double>();
}

}  // namespace cairn
