#include "credentials/status_list_cache.h"

namespace cairn {

std::optional<nlohmann::json> StatusListCache::Find(Id district, int list,
                                                    const Version& version) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find({district, list});
  if (it == entries_.end() || !(it->second.first == version)) return std::nullopt;
  return it->second.second;
}

void StatusListCache::Put(Id district, int list, Version version, nlohmann::json document) {
  std::lock_guard lock(mutex_);
  auto& entry = entries_[{district, list}];
  // Two fetches may race past a change: the newer ledger wins, so a late
  // writer of an older list never hides a revocation.
  if (entry.first.award_mark > version.award_mark) return;
  entry = {std::move(version), std::move(document)};
}

std::size_t StatusListCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace cairn
