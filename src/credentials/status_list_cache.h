// Signed status list credentials kept between requests, so a verifier's
// fetch costs a lookup instead of a canonicalisation and a signature.
//
// A list's bits change only when an award fact is appended (a revocation is
// one), its URLs only with the roster, its proof only with the district's
// active key. Those values, read from the database on each fetch, are the
// entry's version: several servers sharing one PostgreSQL database each see
// a revocation on their next fetch without telling each other, and a list is
// re-signed only once per change per server.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "roster/roster.h"

namespace cairn {

class StatusListCache {
 public:
  struct Version {
    std::int64_t award_mark = 0;   // newest award fact id (Store::Marks)
    std::int64_t roster_mark = 0;  // roster change counter
    std::string key_id;            // the district's active Ed25519 key
    bool operator==(const Version&) const = default;
  };

  // The list signed at `version`, if that is the one kept.
  std::optional<nlohmann::json> Find(Id district, int list, const Version& version) const;
  // Keeps `document` as the list at `version`, replacing an older one.
  void Put(Id district, int list, Version version, nlohmann::json document);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<Id, int>, std::pair<Version, nlohmann::json>> entries_;
};

}  // namespace cairn
