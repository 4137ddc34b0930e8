#include "server/read_model.h"

#include <algorithm>

#include "mastery/awards.h"
#include "service/cairn_service.h"

namespace cairn {

Status ReadModel::Refresh(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(ChangeMarks marks, store.Marks());
  {
    std::shared_lock lock(mutex_);
    if (marks == state_.marks) return Status::Ok();
  }
  std::unique_lock lock(mutex_);
  if (marks.catalog != state_.marks.catalog || marks.settings != state_.marks.settings ||
      (!state_.catalog && marks.catalog != 0)) {
    state_.marks.roster = -1;  // reload it too
    CAIRN_RETURN_IF_ERROR(Rebuild(store));
    state_.marks.catalog = marks.catalog;
    state_.marks.settings = marks.settings;
  }
  if (marks.roster != state_.marks.roster) {
    CAIRN_ASSIGN_OR_RETURN(state_.roster, store.LoadRoster());
    state_.marks.roster = marks.roster;
    ++state_.generation;
  }
  return Tail(store);
}

Status ReadModel::Rebuild(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto auto_award, store.GetSetting("auto_award"));
  state_.auto_award = auto_award.value_or("") == "true";
  CAIRN_ASSIGN_OR_RETURN(auto catalog, EffectiveCatalog(store));
  ++state_.generation;
  state_.engine.reset();
  state_.awards.clear();
  state_.habits.clear();
  state_.marks.rating = state_.marks.void_fact = state_.marks.award = state_.marks.habit = 0;
  if (!catalog) {
    state_.catalog.reset();
    return Status::Ok();
  }
  state_.catalog = std::make_shared<const Catalog>(std::move(*catalog));
  state_.engine = std::make_unique<MasteryEngine>(*state_.catalog);
  MasteryEngine& engine = *state_.engine;
  CAIRN_RETURN_IF_ERROR(store.ForEachRating(std::nullopt, [&](const RatingFact& fact) {
    (void)engine.AddRating(fact, /*recompute=*/false);  // a CPE no longer in the catalog
    state_.marks.rating = std::max(state_.marks.rating, fact.id);
  }));
  CAIRN_ASSIGN_OR_RETURN(auto voids, store.VoidsAfter(0));
  for (const VoidFact& v : voids) {
    (void)engine.AddVoid(v, false);
    state_.marks.void_fact = std::max(state_.marks.void_fact, v.id);
  }
  CAIRN_ASSIGN_OR_RETURN(auto awards, store.AwardsAfter(0));
  for (AwardFact& a : awards) {
    state_.marks.award = std::max(state_.marks.award, a.id);
    state_.awards[a.student_id].push_back(std::move(a));
  }
  for (const auto& [student, facts] : state_.awards) {
    for (const auto& [code, record] : FoldAwards(facts)) {
      auto badge = state_.catalog->BadgeIndex(code);
      if (badge && record.state == AwardState::kConfirmed) {
        engine.SetEarned(student, *badge, true, false);
      }
    }
  }
  engine.RecomputeAll();
  CAIRN_ASSIGN_OR_RETURN(auto habits, store.HabitsAfter(0));
  for (HabitFact& h : habits) {
    state_.marks.habit = std::max(state_.marks.habit, h.id);
    state_.habits[h.student_id].push_back(std::move(h));
  }
  return Status::Ok();
}

// Applies facts newer than those applied. Runs under the unique lock.
Status ReadModel::Tail(Store& store) {
  if (!state_.engine) return Status::Ok();
  CAIRN_ASSIGN_OR_RETURN(auto ratings, store.RatingsAfter(state_.marks.rating));
  for (const RatingFact& fact : ratings) {
    (void)state_.engine->AddRating(fact);
    state_.marks.rating = fact.id;
    Touch(fact.student_id);
  }
  CAIRN_ASSIGN_OR_RETURN(auto voids, store.VoidsAfter(state_.marks.void_fact));
  for (const VoidFact& v : voids) {
    (void)state_.engine->AddVoid(v);
    state_.marks.void_fact = v.id;
    Touch(v.student_id);
  }
  CAIRN_ASSIGN_OR_RETURN(auto awards, store.AwardsAfter(state_.marks.award));
  for (AwardFact& a : awards) {
    state_.marks.award = a.id;
    const Id student = a.student_id;
    state_.awards[student].push_back(std::move(a));
    for (const auto& [code, record] : FoldAwards(state_.awards[student])) {
      if (auto badge = state_.catalog->BadgeIndex(code)) {
        state_.engine->SetEarned(student, *badge, record.state == AwardState::kConfirmed);
      }
    }
    Touch(student);
  }
  CAIRN_ASSIGN_OR_RETURN(auto habits, store.HabitsAfter(state_.marks.habit));
  for (HabitFact& h : habits) {
    state_.marks.habit = h.id;
    Touch(h.student_id);
    state_.habits[h.student_id].push_back(std::move(h));
  }
  return Status::Ok();
}

std::optional<std::string> ReadModel::Cached(const std::string& key, std::uint64_t generation,
                                             std::uint64_t student_generation) const {
  std::lock_guard lock(cache_mutex_);
  auto it = cache_.find(key);
  if (it == cache_.end() || it->second.generation != generation ||
      it->second.student_generation != student_generation) {
    return std::nullopt;
  }
  return it->second.body;
}

void ReadModel::Remember(const std::string& key, std::uint64_t generation,
                         std::uint64_t student_generation, std::string body) {
  std::lock_guard lock(cache_mutex_);
  // Bounded: a state-sized deployment must not keep every student's page.
  if (cache_.size() > 20000) cache_.clear();
  cache_[key] = CachedBody{generation, student_generation, std::move(body)};
}

}  // namespace cairn
