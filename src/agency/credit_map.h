// Credit and graduation (issue #15): how a district counts badges toward
// course credit and graduation requirements, and where a student stands.
//
// One district setting, key "credit_map":
//
//   {"requirements": [
//     {"id": "algebra-1", "title": "Algebra I", "kind": "credit",
//      "credits": 1, "badges": ["M101", "M102", "M103"], "min_badges": 3},
//     {"id": "grad-math", "title": "Mathematics for graduation",
//      "kind": "graduation", "credits_from": ["algebra-1", "geometry"],
//      "credits_needed": 2, "badges": ["M110"]}]}
//
// A "credit" requirement is met when the student has earned at least
// `min_badges` of its badges (all of them when omitted) and then gives its
// `credits`. A "graduation" requirement is met when the credits of the met
// requirements it names in `credits_from` reach `credits_needed`, and when
// its own `badges` (if any) are met the same way. Only confirmed awards
// count: a proposed award is not yet a badge, a revoked one no longer is.
//
// Parsing is strict and checks the catalog: unknown keys, duplicate ids,
// unknown badge codes, `credits_from` naming anything but a credit
// requirement, and impossible counts are refused, each named by its JSON
// path ("credit_map.requirements[1].badges[0]"); nothing is stored then.
//
// Pure apart from Load/Save, which read and write the setting through the
// given store (one store per thread).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "store/store.h"

namespace cairn {

inline constexpr std::string_view kCreditMapSettingKey = "credit_map";

enum class RequirementKind { kCredit, kGraduation };
std::string_view RequirementKindName(RequirementKind kind);  // "credit", "graduation"

struct CreditRequirement {
  std::string id;
  std::string title;
  RequirementKind kind = RequirementKind::kCredit;
  double credits = 0;                     // kCredit: given when met
  std::vector<std::string> badges;        // badge codes, catalog order not required
  int min_badges = 0;                     // of `badges`; == badges.size() when omitted
  std::vector<std::string> credits_from;  // kGraduation: ids of credit requirements
  double credits_needed = 0;              // kGraduation
  bool operator==(const CreditRequirement&) const = default;
};

struct CreditMap {
  std::vector<CreditRequirement> requirements;  // in the district's order
  bool operator==(const CreditMap&) const = default;
};

// `catalog` null skips the badge codes' check (a stored map was checked when
// saved; a badge retired since still counts for those who earned it).
Result<CreditMap> ParseCreditMap(std::string_view json_text, const Catalog* catalog);
// The JSON object that parses back to `map`.
std::string CreditMapToJson(const CreditMap& map);

// Where one student stands on one requirement.
struct RequirementProgress {
  const CreditRequirement* requirement = nullptr;  // into the map given
  std::vector<std::string> earned_badges;          // of its badges, in its order
  std::vector<std::string> missing_badges;         // of its badges, in its order
  int badges_needed = 0;                           // min_badges (0 without badges)
  double credits_earned = 0;  // kCredit: credits when met; kGraduation: counted credits
  bool met = false;
  // In plain words: "Met: 1 credit." / "2 of 3 badges earned; 1 more needed."
  std::string standing;
};

// Every requirement of `map`, in its order, for a student whose confirmed
// badges are `earned`. Pure.
std::vector<RequirementProgress> CreditProgress(const CreditMap& map,
                                                const std::set<std::string>& earned);

// The district's map (empty when none was stored); a stored value that no
// longer parses is kInternal, naming the setting.
Result<CreditMap> LoadCreditMap(Store& store);
// Checks `json_text` and stores it; returns what was stored. Invalid input
// changes nothing.
Result<CreditMap> SaveCreditMap(Store& store, std::string_view json_text, const Catalog& catalog);

}  // namespace cairn
