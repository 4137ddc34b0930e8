// The server's in-memory read side: the catalog in force, a roster snapshot,
// a MasteryEngine over the whole ledger, awards and habits, kept current by
// tailing the append-only tables (new facts have higher ids). One cheap query
// (Store::Marks) tells whether anything changed, so several stateless servers
// can share one database and each still reads its own and others' writes.
//
// Thread-safe: Refresh and reads may run on any thread; reads see one
// consistent snapshot under a shared lock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.h"
#include "mastery/engine.h"
#include "roster/roster.h"
#include "service/ledger_index.h"
#include "service/sign_in_policy.h"
#include "store/store.h"

namespace cairn {

// The immutable pieces of the read side, held without any lock: what a
// handler that reads the database, files or keys renders with, so the
// writer's refresh never waits for its I/O.
struct ReadSnapshot {
  std::shared_ptr<const Catalog> catalog;  // null until a catalog is loaded
  std::shared_ptr<const Roster> roster;
};

struct ReadState {
  std::shared_ptr<const Catalog> catalog;  // null until a catalog is loaded
  bool auto_award = false;
  SignInPolicy sign_in = SignInPolicy::Everyone();
  // Immutable: replaced whole on a roster change, so a request that holds
  // this pointer may keep Person and Section pointers into it after the
  // read lock is released (RequestContext does).
  std::shared_ptr<const Roster> roster = std::make_shared<const Roster>();
  std::unique_ptr<LedgerIndex> index;  // set whenever `catalog` is
  ChangeMarks marks;                   // catalog, roster and settings marks applied
  // Bumped on a catalog, settings or roster change (everything may differ)...
  std::uint64_t generation = 1;
  // ...and per student when one of their facts arrives.
  std::unordered_map<Id, std::uint64_t> student_generation;

  std::uint64_t StudentGeneration(Id student) const {
    auto it = student_generation.find(student);
    return it == student_generation.end() ? 0 : it->second;
  }
};

class ReadModel {
 public:
  // Catches up with the store: one query when nothing changed.
  Status Refresh(Store& store);

  // Refresh, unless the store was checked less than kExternalDelay ago and
  // this process has written nothing since (NoteWrite). So a server sees its
  // own changes at once and another process's (the command line, another
  // server) within kExternalDelay, without a query per request.
  static constexpr std::chrono::milliseconds kExternalDelay{10};
  Status RefreshIfStale(Store& store);
  // This process changed the store other than through Refresh's caller.
  void NoteWrite() { writes_.fetch_add(1, std::memory_order_acq_rel); }
  // Another process announced a change (a PostgreSQL notification,
  // store/pg_change_channel.h): the next RefreshIfStale asks the store.
  void NoteExternalChange() { NoteWrite(); }
  // While another process's changes are announced (`followed`), the time
  // check is only the fallback for writers that do not announce, and runs
  // every kFollowedDelay instead of every kExternalDelay.
  static constexpr std::chrono::milliseconds kFollowedDelay{1000};
  void SetFollowed(bool followed) { followed_.store(followed, std::memory_order_release); }

  // Runs `fn` with the current state under a shared lock.
  template <typename Fn>
  auto Read(Fn&& fn) const {
    std::shared_lock lock(mutex_);
    return fn(static_cast<const ReadState&>(state_));
  }

  // Runs `fn` with the catalog and roster in force, without holding a lock.
  template <typename Fn>
  auto WithSnapshot(Fn&& fn) const {
    ReadSnapshot snapshot;
    {
      std::shared_lock lock(mutex_);
      snapshot = ReadSnapshot{state_.catalog, state_.roster};
    }
    return fn(static_cast<const ReadSnapshot&>(snapshot));
  }

  // The roster in force: a snapshot that stays valid however long it is held.
  std::shared_ptr<const Roster> RosterSnapshot() const {
    std::shared_lock lock(mutex_);
    return state_.roster;
  }

  // A cache of rendered responses per (key, state version). A hit is only
  // returned for the exact generation pair it was rendered at.
  // Bodies are shared, so a hit is sent without a copy.
  std::shared_ptr<const std::string> Cached(const std::string& key, std::uint64_t generation,
                                            std::uint64_t student_generation) const;
  void Remember(const std::string& key, std::uint64_t generation, std::uint64_t student_generation,
                std::shared_ptr<const std::string> body);

 private:
  Status Rebuild(Store& store);

  mutable std::shared_mutex mutex_;
  ReadState state_;

  std::atomic<std::uint64_t> writes_{0};        // NoteWrite calls
  std::atomic<std::uint64_t> writes_seen_{0};   // writes_ when the last check began
  std::atomic<std::int64_t> checked_at_ns_{0};  // steady clock, last successful check
  std::atomic<bool> followed_{false};           // SetFollowed

  struct CachedBody {
    std::uint64_t generation = 0, student_generation = 0;
    std::shared_ptr<const std::string> body;
  };
  mutable std::mutex cache_mutex_;
  std::unordered_map<std::string, CachedBody> cache_;
};

}  // namespace cairn
