#include "reports/pace_settings.h"

#include <nlohmann/json.hpp>

namespace cairn {

namespace {

Status Weeks(const nlohmann::json& value, const std::string& field, int& out) {
  if (!value.is_number_integer()) {
    return Status::InvalidField(field, "expected a whole number of weeks");
  }
  const auto weeks = value.get<long long>();
  if (weeks < 1 || weeks > kMaxNotProgressingWeeks) {
    return Status::InvalidField(field, "expected 1 to " + std::to_string(kMaxNotProgressingWeeks));
  }
  out = static_cast<int>(weeks);
  return Status::Ok();
}

}  // namespace

int PaceSettings::WeeksPerBadge(const std::string& course_sourced_id) const {
  auto it = course_weeks_per_badge.find(course_sourced_id);
  return it == course_weeks_per_badge.end() ? weeks_per_badge : it->second;
}

Result<PaceSettings> ParsePaceSettings(std::string_view json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidField("pace", "not valid JSON");
  if (!doc.is_object()) return Status::InvalidField("pace", "expected a JSON object");
  PaceSettings settings;
  for (const auto& [key, value] : doc.items()) {
    const std::string field = "pace." + key;
    if (key == "not_progressing_weeks") {
      CAIRN_RETURN_IF_ERROR(Weeks(value, field, settings.not_progressing_weeks));
    } else if (key == "weeks_per_badge") {
      CAIRN_RETURN_IF_ERROR(Weeks(value, field, settings.weeks_per_badge));
    } else if (key == "course_weeks_per_badge") {
      if (!value.is_object()) {
        return Status::InvalidField(field, "expected an object of course ids to weeks");
      }
      for (const auto& [course, weeks] : value.items()) {
        if (course.empty()) return Status::InvalidField(field, "a course id is empty");
        CAIRN_RETURN_IF_ERROR(
            Weeks(weeks, field + "." + course, settings.course_weeks_per_badge[course]));
      }
    } else {
      return Status::InvalidField(field, "unknown setting");
    }
  }
  return settings;
}

std::string PaceSettingsToJson(const PaceSettings& settings) {
  return nlohmann::json{{"not_progressing_weeks", settings.not_progressing_weeks},
                        {"weeks_per_badge", settings.weeks_per_badge},
                        {"course_weeks_per_badge", settings.course_weeks_per_badge}}
      .dump();
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
