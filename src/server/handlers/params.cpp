#include "server/handlers/params.h"

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

}  // namespace cairn
