#include "reports/pace_settings.h"

#include <nlohmann/json.hpp>

namespace cairn {

Result<PaceSettings> ParsePaceSettings(std::string_view json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidField("pace", "not valid JSON");
  if (!doc.is_object()) return Status::InvalidField("pace", "expected a JSON object");
  PaceSettings settings;
  for (const auto& [key, value] : doc.items()) {
    if (key != "not_progressing_weeks") {
      return Status::InvalidField("pace." + key, "unknown setting");
    }
    if (!value.is_number_integer()) {
      return Status::InvalidField("pace.not_progressing_weeks", "expected a whole number of weeks");
    }
    const auto weeks = value.get<long long>();
    if (weeks < 1 || weeks > kMaxNotProgressingWeeks) {
      return Status::InvalidField("pace.not_progressing_weeks",
                                  "expected 1 to " + std::to_string(kMaxNotProgressingWeeks));
    }
    settings.not_progressing_weeks = static_cast<int>(weeks);
  }
  return settings;
}

std::string PaceSettingsToJson(const PaceSettings& settings) {
  return nlohmann::json{{"not_progressing_weeks", settings.not_progressing_weeks}}.dump();
}

Result<PaceSettings> LoadPaceSettings(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto stored, store.GetSetting(kPaceSettingKey));
  if (!stored) return PaceSettings{};
  auto settings = ParsePaceSettings(*stored);
  if (!settings.ok()) {
    return Status::Internal("stored setting 'pace' no longer parses: " +
                            settings.status().message());
  }
  return settings;
}

Result<PaceSettings> SavePaceSettings(Store& store, std::string_view json_text) {
  CAIRN_ASSIGN_OR_RETURN(PaceSettings settings, ParsePaceSettings(json_text));
  CAIRN_RETURN_IF_ERROR(store.PutSetting(kPaceSettingKey, PaceSettingsToJson(settings)));
  return settings;
}

}  // namespace cairn
