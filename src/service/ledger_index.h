// An in-memory index of the whole ledger: the mastery engine over every
// rating and void, and awards and habits by student. It catches up with a
// store by reading only the facts appended since it last looked (fact ids
// only grow), so keeping it current costs one indexed query per table.
//
// Used by the server's read model and by the writer, so that recording a
// rating costs an insert and an incremental engine update rather than a
// reload of the student's history. Not thread-safe; callers lock.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "catalog/catalog.h"
#include "mastery/engine.h"
#include "store/store.h"

namespace cairn {

class LedgerIndex {
 public:
  // Everything in the store, for `catalog` (shared: the engine refers to it).
  static Result<std::unique_ptr<LedgerIndex>> Load(Store& store,
                                                   std::shared_ptr<const Catalog> catalog);

  // Applies facts newer than those applied; adds each affected student to
  // `touched` when given.
  Status CatchUp(Store& store, std::vector<Id>* touched = nullptr);

  // Applies `fact` if it is the next rating (its id follows the newest
  // applied) and returns true; otherwise changes nothing and returns false.
  // For a writer that has just appended it and knows nothing else was.
  bool AddNextRating(const RatingFact& fact);

  const Catalog& catalog() const { return *catalog_; }
  const MasteryEngine& engine() const { return *engine_; }
  const std::vector<AwardFact>& AwardsOf(Id student) const;
  const std::vector<HabitFact>& HabitsOf(Id student) const;
  const std::map<Id, std::vector<AwardFact>>& awards() const { return awards_; }
  // The newest fact of each kind applied (catalog, roster, settings unused).
  const ChangeMarks& applied() const { return applied_; }

 private:
  explicit LedgerIndex(std::shared_ptr<const Catalog> catalog);
  void ApplyAwards(Id student);

  std::shared_ptr<const Catalog> catalog_;
  std::unique_ptr<MasteryEngine> engine_;
  std::map<Id, std::vector<AwardFact>> awards_;
  std::map<Id, std::vector<HabitFact>> habits_;
  ChangeMarks applied_;
};

}  // namespace cairn
