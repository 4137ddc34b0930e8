// How a district's gradebook export words outcomes and maps them to grades:
// one district setting, key "gradebook", holding a JSON object
//
//   {"pass_label": "Pass", "not_yet_label": "Not yet", "points_max": 100,
//    "grade_map": [
//      {"outcome": "pass", "letter": "A", "points": 100},
//      {"outcome": "not_yet", "min_level": "proficient", "min_cpes_met": 2,
//       "letter": "B", "points": 85},
//      {"outcome": "not_yet", "min_level": "emerging", "letter": "C", "points": 75},
//      {"outcome": "not_yet", "letter": "I", "points": 50}]}
//
// Every field is optional. Without a grade map the export carries only the
// outcome ("pass" or "not yet", in the district's words). With one, each
// student's badge gets the grade of the first rule that matches:
//   - outcome: "pass" (the award is confirmed) or "not_yet"; required;
//   - min_level: a level id of the badge's scale; every CPE of the badge has
//     evidence whose current level is at least this one (a badge whose
//     scale has no such level never matches the rule);
//   - min_cpes_met: at least this many of the badge's CPEs count toward it;
//   - letter (at most 8 characters) and/or points (0 to points_max): what
//     the rule gives. Every rule gives the same kinds (all letters, all
//     points, or both), so the SIS column is filled for everyone.
// The map must end each outcome with a rule without conditions (so every
// student gets a grade) and contain no rule that can never apply (after its
// outcome's rule without conditions).
//
// Parsing is strict: unknown keys, wrong types, empty or overlong labels,
// control characters, a level no scale of the catalog has, and the coverage
// rules above are refused, each problem named by its field
// ("gradebook.grade_map[2].min_level: ..."), and nothing is stored.
//
// Pure apart from Load/Save, which read and write the setting through the
// given store (one store per thread).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "mastery/rule.h"
#include "store/store.h"

namespace cairn {

enum class GradebookOutcome { kPass, kNotYet };
std::string_view GradebookOutcomeName(GradebookOutcome outcome);  // "pass", "not_yet"

struct GradeRule {
  GradebookOutcome outcome = GradebookOutcome::kNotYet;
  std::string min_level;            // "": no condition on levels
  std::optional<int> min_cpes_met;  // none: no condition on counting CPEs
  std::string letter;               // "": the map gives no letters
  std::optional<double> points;     // none: the map gives no points

  bool Unconditional() const { return min_level.empty() && !min_cpes_met; }
  bool operator==(const GradeRule&) const = default;
};

struct GradebookSettings {
  std::string pass_label = "Pass";
  std::string not_yet_label = "Not yet";
  double points_max = 100;           // the line items' resultValueMax when the map gives points
  std::vector<GradeRule> grade_map;  // empty: outcomes only

  bool HasLetters() const { return !grade_map.empty() && !grade_map.front().letter.empty(); }
  bool HasPoints() const { return !grade_map.empty() && grade_map.front().points.has_value(); }
  bool operator==(const GradebookSettings&) const = default;
};

inline constexpr std::string_view kGradebookSettingKey = "gradebook";
inline constexpr std::size_t kMaxGradebookLabel = 40;
inline constexpr std::size_t kMaxGradeLetter = 8;
inline constexpr std::size_t kMaxGradeRules = 32;

// The settings a JSON object (as text) describes, over the defaults. With a
// catalog, each min_level must be a level of one of its scales.
Result<GradebookSettings> ParseGradebookSettings(std::string_view json_text,
                                                 const Catalog* catalog = nullptr);
// The JSON object that parses back to `settings` (defaults included).
std::string GradebookSettingsToJson(const GradebookSettings& settings);

// The district's settings (the defaults when none were stored); a stored
// value that no longer parses is kInternal, naming the setting.
Result<GradebookSettings> LoadGradebookSettings(Store& store);
// Checks `json_text` (against `catalog` when given) and stores it; returns
// what was stored. Invalid input changes nothing.
Result<GradebookSettings> SaveGradebookSettings(Store& store, std::string_view json_text,
                                                const Catalog* catalog);

// The grade a badge's standing earns: the first rule of the map that
// matches, or null when there is no map. `scale` is the badge's scale.
const GradeRule* MatchGradeRule(const GradebookSettings& settings, GradebookOutcome outcome,
                                const BadgeExplanation& explanation, const Scale& scale);

}  // namespace cairn
