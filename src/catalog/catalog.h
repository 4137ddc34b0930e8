// The badge framework a district teaches from: proficiency scales, badges with
// their CPEs and indicators, prerequisites, pathways and habits of work.
// A Catalog is an immutable value once built by ParseCatalog (catalog_json.h),
// which validates it; lookups are then O(1). Safe to share between threads for
// reading.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/award_rule.h"
#include "catalog/calculation.h"

namespace cairn {

struct ScaleLevel {
  std::string id;           // stable key stored with each rating ("proficient")
  std::string label;        // what people read ("Proficient"); districts choose
  double score = 0;         // position on the scale; levels are sorted by score
  bool mastery = false;     // counts as mastery
  std::string description;  // what work at this level looks like
};

struct Scale {
  std::string id;
  std::string title;
  std::vector<ScaleLevel> levels;  // ascending score; mastery levels form the top

  // Lowest score that counts as mastery.
  double MasteryThreshold() const;
  double MinScore() const { return levels.front().score; }
  double MaxScore() const { return levels.back().score; }
  // Index of the level with this id, or -1.
  int LevelIndex(std::string_view level_id) const;
  // The highest level whose score is <= value (a computed mean of 2.6 shows as
  // the level at 2). Never null for a validated scale.
  const ScaleLevel& LevelAtOrBelow(double value) const;
};

enum class CpeKind { kContent, kPractice };

struct Indicator {
  std::string id;
  std::string label;
  std::string description;
  std::string code;  // the guide's short form ("i", "ii"); optional, unique within its CPE
};

struct Cpe {
  std::string id;         // unique across the catalog ("M101.1")
  std::string label;      // short name
  std::string statement;  // what the student knows and can do
  CpeKind kind = CpeKind::kContent;
  std::vector<Indicator> indicators;
  std::vector<std::string> alignments;         // state standard codes (CASE later)
  std::optional<CalculationSpec> calculation;  // overrides the badge's
  // The guide's short code ("101a"), shown beside the id where people read
  // CPEs; optional, unique within its badge when present.
  std::string code;
  // What work at a level looks like for this CPE, by level id of the badge's
  // scale (validated); a level without one falls back to the scale's text.
  std::map<std::string, std::string> level_descriptions;

  // The code when there is one, else the id: the name people read.
  const std::string& DisplayCode() const { return code.empty() ? id : code; }
  // This CPE's description of a level, else the scale's generic one.
  const std::string& LevelDescription(const ScaleLevel& level) const {
    auto it = level_descriptions.find(level.id);
    return it == level_descriptions.end() ? level.description : it->second;
  }
};

struct Badge {
  std::string code;   // "M101"
  std::string title;  // "Linear Equations: Concepts and Skills"
  std::string description;
  std::string grouping;  // e.g. "Algebra", "Data science"
  std::string scale_id;  // resolved: never empty after validation
  std::vector<Cpe> cpes;
  std::vector<std::string> prerequisites;      // badge codes
  std::optional<CalculationSpec> calculation;  // overrides the district default
  AwardRule rule;

  // Set by Catalog::Index: this badge's CPEs are dense indices
  // [first_dense_cpe, first_dense_cpe + cpes.size()); required_dense lists
  // the rule's required CPEs as dense indices.
  std::uint32_t first_dense_cpe = 0;
  std::vector<std::uint32_t> required_dense;
};

struct Pathway {
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::string> badges;  // in the order they are usually taken
  bool example = false;             // illustrative; a district is expected to edit it
};

struct Habit {
  std::string id;
  std::string label;
  std::string description;
};

// Where a CPE lives: badges[badge].cpes[cpe]; `dense` numbers all CPEs of the
// catalog 0..CpeCount()-1 in badge order, for array-indexed engines.
struct CpeRef {
  std::uint32_t badge = 0;
  std::uint32_t cpe = 0;
  std::uint32_t dense = 0;
};

class Catalog {
 public:
  std::string framework_id;
  std::string title;
  std::string version;  // the district's own version label
  std::string publisher;
  std::vector<Scale> scales;
  CalculationSpec default_calculation;
  std::vector<Badge> badges;
  std::vector<Pathway> pathways;
  std::vector<Habit> habits;
  std::string habit_scale_id;

  // Builds the lookup tables; called by ParseCatalog after validation.
  void Index();

  const Badge* FindBadge(std::string_view code) const;
  std::optional<std::uint32_t> BadgeIndex(std::string_view code) const;
  std::optional<CpeRef> FindCpe(std::string_view cpe_id) const;
  const Scale* FindScale(std::string_view id) const;
  const Scale& ScaleOf(const Badge& badge) const { return *FindScale(badge.scale_id); }
  const Habit* FindHabit(std::string_view id) const;
  std::uint32_t CpeCount() const { return static_cast<std::uint32_t>(dense_cpes_.size()); }
  const CpeRef& DenseCpe(std::uint32_t dense) const { return dense_cpes_[dense]; }
  const Cpe& CpeAt(const CpeRef& ref) const { return badges[ref.badge].cpes[ref.cpe]; }

  // The method in force for one CPE: CPE override, else badge, else default.
  const CalculationSpec& CalculationFor(const Badge& badge, const Cpe& cpe) const;

 private:
  std::unordered_map<std::string, std::uint32_t> badge_index_;
  std::unordered_map<std::string, CpeRef> cpe_index_;
  std::vector<CpeRef> dense_cpes_;
};

}  // namespace cairn
