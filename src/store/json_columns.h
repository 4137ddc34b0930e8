// Reading the JSON text columns both store engines keep (id lists, string
// lists, objects). Not a public header. Lenient on purpose: these columns are
// written only by the store, so a value of the wrong shape reads as empty.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "roster/roster.h"

namespace cairn::json_columns {

inline nlohmann::json ParseJson(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json() : parsed;
}

inline std::vector<Id> IdList(const std::string& text) {
  std::vector<Id> out;
  nlohmann::json parsed = ParseJson(text);
  if (!parsed.is_array()) return out;
  for (const nlohmann::json& v : parsed) {
    if (v.is_number_integer()) out.push_back(v.get<Id>());
  }
  return out;
}

inline std::vector<std::string> StringList(const std::string& text) {
  std::vector<std::string> out;
  nlohmann::json parsed = ParseJson(text);
  if (!parsed.is_array()) return out;
  for (const nlohmann::json& v : parsed) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace cairn::json_columns
