#include "server/handlers/params.h"

#include <algorithm>

#include "catalog/catalog.h"

#include "server/responses.h"

namespace cairn {

BodyReader::BodyReader(const nlohmann::json& body, bool optional) : body_(body) {
  if (!(optional && body.is_null())) CheckObject(body, "");
}

Result<std::int64_t> QueryNumber(const std::map<std::string, std::string>& query, const char* key,
                                 std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
  auto it = query.find(key);
  if (it == query.end()) return fallback;
  auto n = BoundedNumber(it->second, lo, hi);
  if (!n) {
    return Status::InvalidField(
        key, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return static_cast<std::int64_t>(*n);
}

Result<std::vector<std::string>> ParseBadgeList(const nlohmann::json& body,
                                                const Catalog* catalog) {
  BodyReader r(body);
  const nlohmann::json* list = r.Array(body, "", "badges", true);
  std::vector<std::string> badges;
  for (std::size_t i = 0; list && i < list->size(); ++i) {
    const std::string where = JsonFieldReader::At("badges", i);
    const nlohmann::json& code = (*list)[i];
    if (!code.is_string()) {
      r.Error(where, "expected a badge code");
    } else if (!catalog || !catalog->FindBadge(code.get<std::string>())) {
      r.Error(where, "no badge '" + code.get<std::string>() + "' in the catalog");
    } else if (std::find(badges.begin(), badges.end(), code) != badges.end()) {
      r.Error(where, "'" + code.get<std::string>() + "' is listed twice");
    } else {
      badges.push_back(code.get<std::string>());
    }
  }
  CAIRN_RETURN_IF_ERROR(r.Done());
  return badges;
}

}  // namespace cairn
