#include "roster/demographic_group.h"

#include <optional>

namespace cairn {
namespace {

std::string YesNo(const std::optional<bool>& value) {
  if (!value) return std::string(kUnknownGroup);
  return *value ? "Yes" : "No";
}

std::string Titled(const std::string& text) {
  if (text.empty()) return std::string(kUnknownGroup);
  std::string out = text;
  if (out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

}  // namespace

std::string_view DemographicFieldName(DemographicField field) {
  switch (field) {
    case DemographicField::kGender:
      return "gender";
    case DemographicField::kRaceEthnicity:
      return "race_ethnicity";
    case DemographicField::kEnglishLearner:
      return "english_learner";
    case DemographicField::kDisability:
      return "disability";
    case DemographicField::kEconomicallyDisadvantaged:
      return "economically_disadvantaged";
  }
  return "gender";
}

std::string_view DemographicFieldTitle(DemographicField field) {
  switch (field) {
    case DemographicField::kGender:
      return "Gender";
    case DemographicField::kRaceEthnicity:
      return "Race and ethnicity";
    case DemographicField::kEnglishLearner:
      return "English learner";
    case DemographicField::kDisability:
      return "Disability (IEP or 504)";
    case DemographicField::kEconomicallyDisadvantaged:
      return "Economically disadvantaged";
  }
  return "Gender";
}

Result<DemographicField> ParseDemographicField(std::string_view name) {
  for (DemographicField field : kDemographicFields) {
    if (DemographicFieldName(field) == name) return field;
  }
  return Status::InvalidField("field",
                              "expected gender, race_ethnicity, english_learner, disability or "
                              "economically_disadvantaged");
}

std::string DemographicGroupOf(const Demographics& demographics, DemographicField field) {
  switch (field) {
    case DemographicField::kGender:
      return Titled(demographics.gender);
    case DemographicField::kRaceEthnicity:
      return Titled(demographics.race_ethnicity);
    case DemographicField::kEnglishLearner:
      return YesNo(demographics.english_learner);
    case DemographicField::kDisability:
      return YesNo(demographics.disability);
    case DemographicField::kEconomicallyDisadvantaged:
      return YesNo(demographics.economically_disadvantaged);
  }
  return std::string(kUnknownGroup);
}

std::array<std::string, kDemographicFieldCount> DemographicGroupsOf(
    const Demographics& demographics) {
  std::array<std::string, kDemographicFieldCount> groups;
  for (std::size_t f = 0; f < kDemographicFieldCount; ++f) {
    groups[f] = DemographicGroupOf(demographics, kDemographicFields[f]);
  }
  return groups;
}

}  // namespace cairn
