// The server's in-memory read side: the catalog in force, a roster snapshot
// and a MasteryEngine holding the whole ledger, kept current by tailing the
// append-only tables (new facts have higher ids). Several stateless servers
// can share one database: each tails it before answering.
//
// Thread-safe: Refresh and reads may run on any thread; reads see one
// consistent snapshot under a shared lock.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "mastery/engine.h"
#include "roster/roster.h"
#include "store/store.h"

namespace cairn {

struct ReadState {
  std::shared_ptr<const Catalog> catalog;  // null until a catalog is loaded
  std::int64_t catalog_id = 0;
  std::string calculation_setting;
  bool auto_award = false;
  Roster roster;
  std::string roster_fingerprint;
  std::unique_ptr<MasteryEngine> engine;
  std::map<Id, std::vector<AwardFact>> awards;  // by student
  FactId last_rating = 0, last_void = 0, last_award = 0;
};

class ReadModel {
 public:
  // Catches up with the store; cheap (a handful of indexed queries) when
  // nothing changed.
  Status Refresh(Store& store);

  // Runs `fn` with the current state under a shared lock.
  template <typename Fn>
  auto Read(Fn&& fn) const {
    std::shared_lock lock(mutex_);
    return fn(static_cast<const ReadState&>(state_));
  }

 private:
  Status Rebuild(Store& store, ReadState& next);
  Status Tail(Store& store);

  mutable std::shared_mutex mutex_;
  ReadState state_;
};

}  // namespace cairn
