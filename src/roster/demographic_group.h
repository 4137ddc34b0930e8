// The demographic fields a roster may carry (OneRoster demographics) and the
// group a student falls in for each, as equity reports show them. A blank
// field is its own group, "Unknown": never guessed, never dropped.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "common/status.h"
#include "roster/roster.h"

namespace cairn {

enum class DemographicField {
  kGender,
  kRaceEthnicity,
  kEnglishLearner,
  kDisability,
  kEconomicallyDisadvantaged,
};
inline constexpr std::size_t kDemographicFieldCount = 5;
inline constexpr std::array<DemographicField, kDemographicFieldCount> kDemographicFields = {
    DemographicField::kGender, DemographicField::kRaceEthnicity, DemographicField::kEnglishLearner,
    DemographicField::kDisability, DemographicField::kEconomicallyDisadvantaged};

// "gender", "race_ethnicity", "english_learner", "disability",
// "economically_disadvantaged".
std::string_view DemographicFieldName(DemographicField field);
// The inverse; InvalidField("field", "expected gender, race_ethnicity, ...").
Result<DemographicField> ParseDemographicField(std::string_view name);
// A plain-words heading: "English learner".
std::string_view DemographicFieldTitle(DemographicField field);

inline constexpr std::string_view kUnknownGroup = "Unknown";

// The student's group for `field`: the roster's text (first letter raised),
// "Yes"/"No" for the yes-or-no fields, kUnknownGroup when not reported.
std::string DemographicGroupOf(const Demographics& demographics, DemographicField field);

// The five groups in kDemographicFields order, as a TrackingRow carries them.
std::array<std::string, kDemographicFieldCount> DemographicGroupsOf(
    const Demographics& demographics);

}  // namespace cairn
