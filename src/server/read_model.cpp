#include "server/read_model.h"

#include <algorithm>

#include "service/cairn_service.h"

namespace cairn {

Status ReadModel::Refresh(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(ChangeMarks marks, store.Marks());
  {
    std::shared_lock lock(mutex_);
    const ChangeMarks applied = state_.index ? state_.index->applied() : ChangeMarks{};
    if (marks.catalog == state_.marks.catalog && marks.settings == state_.marks.settings &&
        marks.roster == state_.marks.roster && marks.rating == applied.rating &&
        marks.void_fact == applied.void_fact && marks.award == applied.award &&
        marks.habit == applied.habit && marks.access == state_.marks.access) {
      return Status::Ok();
    }
  }
  std::unique_lock lock(mutex_);
  state_.marks.access = marks.access;
  if (marks.catalog != state_.marks.catalog || marks.settings != state_.marks.settings ||
      (!state_.catalog && marks.catalog != 0)) {
    CAIRN_RETURN_IF_ERROR(Rebuild(store));
    state_.marks.catalog = marks.catalog;
    state_.marks.settings = marks.settings;
  }
  if (marks.roster != state_.marks.roster) {
    CAIRN_ASSIGN_OR_RETURN(Roster roster, store.LoadRoster());
    state_.roster = std::make_shared<const Roster>(std::move(roster));
    state_.marks.roster = marks.roster;
    ++state_.generation;
  }
  if (!state_.index) return Status::Ok();
  std::vector<Id> touched;
  CAIRN_RETURN_IF_ERROR(state_.index->CatchUp(store, &touched));
  for (Id student : touched) ++state_.student_generation[student];
  return Status::Ok();
}

Status ReadModel::RefreshIfStale(Store& store) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  const std::uint64_t writes = writes_.load(std::memory_order_acquire);
  const std::chrono::nanoseconds delay =
      followed_.load(std::memory_order_acquire) ? kFollowedDelay : kExternalDelay;
  if (writes == writes_seen_.load(std::memory_order_acquire) &&
      now - checked_at_ns_.load(std::memory_order_acquire) < delay.count()) {
    return Status::Ok();
  }
  CAIRN_RETURN_IF_ERROR(Refresh(store));
  // Several threads may check at once; keep the newest facts about it.
  std::uint64_t seen = writes_seen_.load(std::memory_order_acquire);
  while (seen < writes && !writes_seen_.compare_exchange_weak(seen, writes)) {
  }
  std::int64_t at = checked_at_ns_.load(std::memory_order_acquire);
  while (at < now && !checked_at_ns_.compare_exchange_weak(at, now)) {
  }
  return Status::Ok();
}

Status ReadModel::Rebuild(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto auto_award, store.GetSetting("auto_award"));
  state_.auto_award = auto_award.value_or("") == "true";
  CAIRN_ASSIGN_OR_RETURN(state_.sign_in, LoadSignInPolicy(store));
  CAIRN_ASSIGN_OR_RETURN(auto catalog, EffectiveCatalog(store));
  ++state_.generation;
  state_.index.reset();
  state_.catalog.reset();
  if (!catalog) return Status::Ok();
  state_.catalog = std::make_shared<const Catalog>(std::move(*catalog));
  CAIRN_ASSIGN_OR_RETURN(state_.index, LedgerIndex::Load(store, state_.catalog));
  return Status::Ok();
}

std::shared_ptr<const std::string> ReadModel::Cached(const std::string& key,
                                                     std::uint64_t generation,
                                                     std::uint64_t student_generation) const {
  std::lock_guard lock(cache_mutex_);
  auto it = cache_.find(key);
  if (it == cache_.end() || it->second.generation != generation ||
      it->second.student_generation != student_generation) {
    return nullptr;
  }
  return it->second.body;
}

void ReadModel::Remember(const std::string& key, std::uint64_t generation,
                         std::uint64_t student_generation,
                         std::shared_ptr<const std::string> body) {
  std::lock_guard lock(cache_mutex_);
  // Bounded: a state-sized deployment must not keep every student's page.
  if (cache_.size() > 20000) cache_.clear();
  cache_[key] = CachedBody{generation, student_generation, std::move(body)};
}

}  // namespace cairn
