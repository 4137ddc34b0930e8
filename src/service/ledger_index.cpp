#include "service/ledger_index.h"

#include <algorithm>

#include "mastery/awards.h"

namespace cairn {

LedgerIndex::LedgerIndex(std::shared_ptr<const Catalog> catalog)
    : catalog_(std::move(catalog)), engine_(std::make_unique<MasteryEngine>(*catalog_)) {}

Result<std::unique_ptr<LedgerIndex>> LedgerIndex::Load(Store& store,
                                                       std::shared_ptr<const Catalog> catalog) {
  std::unique_ptr<LedgerIndex> index(new LedgerIndex(std::move(catalog)));
  MasteryEngine& engine = *index->engine_;
  ChangeMarks& applied = index->applied_;
  // Bulk path: facts are staged compactly and FinishBulkLoad below builds
  // the sorted runs and first statuses on every core.
  CAIRN_RETURN_IF_ERROR(store.ForEachRating(std::nullopt, [&](const RatingFact& fact) {
    (void)engine.AddRating(fact, /*recompute=*/false);  // a CPE no longer in the catalog
    applied.rating = std::max(applied.rating, fact.id);
  }));
  CAIRN_ASSIGN_OR_RETURN(auto voids, store.VoidsAfter(0));
  for (const VoidFact& v : voids) {
    (void)engine.AddVoid(v, false);
    applied.void_fact = std::max(applied.void_fact, v.id);
  }
  CAIRN_ASSIGN_OR_RETURN(auto awards, store.AwardsAfter(0));
  for (AwardFact& a : awards) {
    applied.award = std::max(applied.award, a.id);
    index->awards_[a.student_id].push_back(std::move(a));
  }
  for (const auto& [student, facts] : index->awards_) {
    for (const auto& [code, record] : FoldAwards(facts)) {
      auto badge = index->catalog_->BadgeIndex(code);
      if (badge && record.state == AwardState::kConfirmed) {
        engine.SetEarned(student, *badge, true, false);
      }
    }
  }
  engine.FinishBulkLoad();
  CAIRN_ASSIGN_OR_RETURN(auto habits, store.HabitsAfter(0));
  for (HabitFact& h : habits) {
    applied.habit = std::max(applied.habit, h.id);
    index->habits_[h.student_id].push_back(std::move(h));
  }
  return index;
}

void LedgerIndex::ApplyAwards(Id student) {
  for (const auto& [code, record] : FoldAwards(awards_[student])) {
    if (auto badge = catalog_->BadgeIndex(code)) {
      engine_->SetEarned(student, *badge, record.state == AwardState::kConfirmed);
    }
  }
}

Status LedgerIndex::CatchUp(Store& store, std::vector<Id>* touched) {
  auto touch = [&](Id student) {
    if (touched) touched->push_back(student);
  };
  CAIRN_ASSIGN_OR_RETURN(auto ratings, store.RatingsAfter(applied_.rating));
  for (const RatingFact& fact : ratings) {
    (void)engine_->AddRating(fact);
    applied_.rating = fact.id;
    touch(fact.student_id);
  }
  CAIRN_ASSIGN_OR_RETURN(auto voids, store.VoidsAfter(applied_.void_fact));
  for (const VoidFact& v : voids) {
    (void)engine_->AddVoid(v);
    applied_.void_fact = v.id;
    touch(v.student_id);
  }
  CAIRN_ASSIGN_OR_RETURN(auto awards, store.AwardsAfter(applied_.award));
  for (AwardFact& a : awards) {
    applied_.award = a.id;
    const Id student = a.student_id;
    awards_[student].push_back(std::move(a));
    ApplyAwards(student);
    touch(student);
  }
  CAIRN_ASSIGN_OR_RETURN(auto habits, store.HabitsAfter(applied_.habit));
  for (HabitFact& h : habits) {
    applied_.habit = h.id;
    touch(h.student_id);
    habits_[h.student_id].push_back(std::move(h));
  }
  return Status::Ok();
}

bool LedgerIndex::AddNextRating(const RatingFact& fact) {
  if (fact.id != applied_.rating + 1) return false;
  (void)engine_->AddRating(fact);
  applied_.rating = fact.id;
  return true;
}

const std::vector<AwardFact>& LedgerIndex::AwardsOf(Id student) const {
  static const std::vector<AwardFact> kNone;
  auto it = awards_.find(student);
  return it == awards_.end() ? kNone : it->second;
}

const std::vector<HabitFact>& LedgerIndex::HabitsOf(Id student) const {
  static const std::vector<HabitFact> kNone;
  auto it = habits_.find(student);
  return it == habits_.end() ? kNone : it->second;
}

}  // namespace cairn
