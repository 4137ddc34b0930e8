#include "catalog/catalog.h"

namespace cairn {

double Scale::MasteryThreshold() const {
  for (const ScaleLevel& level : levels) {
    if (level.mastery) return level.score;
  }
  return levels.back().score;
}

int Scale::LevelIndex(std::string_view level_id) const {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].id == level_id) return static_cast<int>(i);
  }
  return -1;
}

const ScaleLevel& Scale::LevelAtOrBelow(double value) const {
  const ScaleLevel* found = &levels.front();
  for (const ScaleLevel& level : levels) {
    if (level.score <= value + 1e-9) found = &level;
  }
  return *found;
}

void Catalog::Index() {
  badge_index_.clear();
  cpe_index_.clear();
  dense_cpes_.clear();
  for (std::uint32_t b = 0; b < badges.size(); ++b) {
    badge_index_.emplace(badges[b].code, b);
    badges[b].first_dense_cpe = static_cast<std::uint32_t>(dense_cpes_.size());
    for (std::uint32_t c = 0; c < badges[b].cpes.size(); ++c) {
      CpeRef ref{b, c, static_cast<std::uint32_t>(dense_cpes_.size())};
      cpe_index_.emplace(badges[b].cpes[c].id, ref);
      dense_cpes_.push_back(ref);
    }
  }
  for (Badge& badge : badges) {
    badge.required_dense.clear();
    for (const std::string& id : badge.rule.required_cpes) {
      if (auto ref = FindCpe(id)) badge.required_dense.push_back(ref->dense);
    }
  }
}

const Badge* Catalog::FindBadge(std::string_view code) const {
  auto index = BadgeIndex(code);
  return index ? &badges[*index] : nullptr;
}

std::optional<std::uint32_t> Catalog::BadgeIndex(std::string_view code) const {
  auto it = badge_index_.find(std::string(code));
  if (it == badge_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<CpeRef> Catalog::FindCpe(std::string_view cpe_id) const {
  auto it = cpe_index_.find(std::string(cpe_id));
  if (it == cpe_index_.end()) return std::nullopt;
  return it->second;
}

const Scale* Catalog::FindScale(std::string_view id) const {
  for (const Scale& scale : scales) {
    if (scale.id == id) return &scale;
  }
  return nullptr;
}

const Habit* Catalog::FindHabit(std::string_view id) const {
  for (const Habit& habit : habits) {
    if (habit.id == id) return &habit;
  }
  return nullptr;
}

const CalculationSpec& Catalog::CalculationFor(const Badge& badge, const Cpe& cpe) const {
  if (cpe.calculation) return *cpe.calculation;
  if (badge.calculation) return *badge.calculation;
  return default_calculation;
}

}  // namespace cairn
