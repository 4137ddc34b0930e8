#include "server/read_model.h"

#include <mutex>

#include "mastery/awards.h"
#include "service/cairn_service.h"

namespace cairn {
namespace {

void ApplyAwards(ReadState& state, Id student) {
  if (!state.catalog) return;
  for (const auto& [code, record] : FoldAwards(state.awards[student])) {
    if (auto badge = state.catalog->BadgeIndex(code)) {
      state.engine->SetEarned(student, *badge, record.state == AwardState::kConfirmed);
    }
  }
}

}  // namespace

Status ReadModel::Refresh(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(std::int64_t catalog_id, store.LatestCatalogId());
  CAIRN_ASSIGN_OR_RETURN(auto calculation, store.GetSetting("calculation"));
  CAIRN_ASSIGN_OR_RETURN(auto auto_award, store.GetSetting("auto_award"));
  CAIRN_ASSIGN_OR_RETURN(std::string fingerprint, store.RosterFingerprint());
  const std::string calc = calculation.value_or("");
  bool rebuild = false, reroster = false;
  {
    std::shared_lock lock(mutex_);
    rebuild = catalog_id != state_.catalog_id || calc != state_.calculation_setting;
    reroster = fingerprint != state_.roster_fingerprint;
  }
  if (rebuild || reroster) {
    std::unique_lock lock(mutex_);
    state_.auto_award = auto_award && *auto_award == "true";
    if (reroster) {
      CAIRN_ASSIGN_OR_RETURN(state_.roster, store.LoadRoster());
      state_.roster_fingerprint = fingerprint;
    }
    if (rebuild) {
      ReadState next;
      CAIRN_RETURN_IF_ERROR(Rebuild(store, next));
      state_.catalog = std::move(next.catalog);
      state_.catalog_id = catalog_id;
      state_.calculation_setting = calc;
      state_.engine = std::move(next.engine);
      state_.awards = std::move(next.awards);
      state_.last_rating = next.last_rating;
      state_.last_void = next.last_void;
      state_.last_award = next.last_award;
    }
  } else {
    std::unique_lock lock(mutex_);
    state_.auto_award = auto_award && *auto_award == "true";
  }
  return Tail(store);
}

Status ReadModel::Rebuild(Store& store, ReadState& next) {
  CAIRN_ASSIGN_OR_RETURN(auto catalog, EffectiveCatalog(store));
  if (!catalog) return Status::Ok();
  next.catalog = std::make_shared<const Catalog>(std::move(*catalog));
  next.engine = std::make_unique<MasteryEngine>(*next.catalog);
  MasteryEngine& engine = *next.engine;
  CAIRN_RETURN_IF_ERROR(store.ForEachRating(std::nullopt, [&](const RatingFact& fact) {
    (void)engine.AddRating(fact, /*recompute=*/false);  // CPEs no longer in the catalog
    next.last_rating = std::max(next.last_rating, fact.id);
  }));
  CAIRN_ASSIGN_OR_RETURN(auto voids, store.VoidsAfter(0));
  for (const VoidFact& v : voids) {
    (void)engine.AddVoid(v, false);
    next.last_void = std::max(next.last_void, v.id);
  }
  CAIRN_ASSIGN_OR_RETURN(auto awards, store.AwardsAfter(0));
  for (AwardFact& a : awards) {
    next.last_award = std::max(next.last_award, a.id);
    next.awards[a.student_id].push_back(std::move(a));
  }
  for (const auto& [student, facts] : next.awards) {
    for (const auto& [code, record] : FoldAwards(facts)) {
      auto badge = next.catalog->BadgeIndex(code);
      if (badge && record.state == AwardState::kConfirmed)
        engine.SetEarned(student, *badge, true, false);
    }
  }
  engine.RecomputeAll();
  return Status::Ok();
}

Status ReadModel::Tail(Store& store) {
  FactId last_rating, last_void, last_award;
  {
    std::shared_lock lock(mutex_);
    if (!state_.engine) return Status::Ok();
    last_rating = state_.last_rating;
    last_void = state_.last_void;
    last_award = state_.last_award;
  }
  CAIRN_ASSIGN_OR_RETURN(auto ratings, store.RatingsAfter(last_rating));
  CAIRN_ASSIGN_OR_RETURN(auto voids, store.VoidsAfter(last_void));
  CAIRN_ASSIGN_OR_RETURN(auto awards, store.AwardsAfter(last_award));
  if (ratings.empty() && voids.empty() && awards.empty()) return Status::Ok();
  std::unique_lock lock(mutex_);
  // Another thread may have applied some of these meanwhile: skip by id.
  for (const RatingFact& fact : ratings) {
    if (fact.id <= state_.last_rating) continue;
    (void)state_.engine->AddRating(fact);
    state_.last_rating = fact.id;
  }
  for (const VoidFact& v : voids) {
    if (v.id <= state_.last_void) continue;
    (void)state_.engine->AddVoid(v);
    state_.last_void = v.id;
  }
  for (AwardFact& a : awards) {
    if (a.id <= state_.last_award) continue;
    state_.last_award = a.id;
    const Id student = a.student_id;
    state_.awards[student].push_back(std::move(a));
    ApplyAwards(state_, student);
  }
  return Status::Ok();
}

}  // namespace cairn
