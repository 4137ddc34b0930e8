#include "store/open_store.h"

#include <filesystem>

#include "store/pg_store.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

StoreLocation ParseStoreLocation(std::string_view location) {
  if (StartsWith(location, "postgres://") || StartsWith(location, "postgresql://")) {
    return {StoreEngine::kPostgres, std::string(location)};
  }
  if (StartsWith(location, "sqlite://")) {
    return {StoreEngine::kSqlite, std::string(location.substr(9))};
  }
  if (StartsWith(location, "sqlite:"))
    return {StoreEngine::kSqlite, std::string(location.substr(7))};
  return {StoreEngine::kSqlite, std::string(location)};
}

bool IsPostgresLocation(std::string_view location) {
  return ParseStoreLocation(location).engine == StoreEngine::kPostgres;
}

Result<std::unique_ptr<Store>> OpenStore(std::string_view location, int* schema_version) {
  const StoreLocation parsed = ParseStoreLocation(location);
  if (parsed.engine == StoreEngine::kPostgres) {
    CAIRN_ASSIGN_OR_RETURN(auto store, PgStore::Open(parsed.target));
    if (schema_version) *schema_version = store->SchemaVersion();
    return std::unique_ptr<Store>(std::move(store));
  }
  if (parsed.target.empty()) return Status::Invalid("no database file given");
  if (parsed.target != ":memory:") {
    std::error_code ec;
    const auto parent = std::filesystem::path(parsed.target).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Status::Internal(parent.string() + ": cannot create directory: " + ec.message());
    }
  }
  CAIRN_ASSIGN_OR_RETURN(auto store, SqliteStore::Open(parsed.target));
  if (schema_version) *schema_version = store->SchemaVersion();
  return std::unique_ptr<Store>(std::move(store));
}

StoreFactory StoreFactoryFor(std::string location) {
  return [location = std::move(location)]() { return OpenStore(location); };
}

std::string RedactedLocation(std::string_view location) {
  if (!IsPostgresLocation(location)) return std::string(location);
  // scheme://user:password@host...: the password ends at the last '@'
  // before the path.
  const std::size_t authority = location.find("://") + 3;
  const std::size_t path = location.find_first_of("/?", authority);
  const std::string_view userinfo_host = location.substr(
      authority, path == std::string_view::npos ? std::string_view::npos : path - authority);
  std::string out(location);
  const std::size_t at = userinfo_host.rfind('@');
  const std::size_t colon =
      at == std::string_view::npos ? std::string_view::npos : userinfo_host.substr(0, at).find(':');
  if (colon != std::string_view::npos) {
    out = std::string(location.substr(0, authority + colon + 1)) + "***" +
          std::string(location.substr(authority + at));
  }
  // ...?password=secret&... as a parameter.
  for (std::size_t p = out.find("password="); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    if (p > 0 && out[p - 1] != '?' && out[p - 1] != '&') continue;
    const std::size_t value = p + 9;
    const std::size_t end = out.find('&', value);
    out.replace(value, end == std::string::npos ? std::string::npos : end - value, "***");
  }
  return out;
}

}  // namespace cairn
