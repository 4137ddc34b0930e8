// The district's pace setting: how many weeks without a CPE newly reaching
// mastery make an enrolled student "not progressing" on a badge
// (reports/pace_report.h). One district setting, key "pace", holding
//
//   {"not_progressing_weeks": 4}
//
// The field is optional (default 4 weeks, a grading period's worth of
// lessons); when given it is a whole number of weeks from 1 to 52. Parsing is
// strict: unknown keys and wrong types are refused, naming the field
// ("pace.not_progressing_weeks: ..."), and nothing is stored.
//
// Pure apart from Load/Save, which read and write the setting through the
// given store (one store per thread).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "store/store.h"

namespace cairn {

inline constexpr std::string_view kPaceSettingKey = "pace";
inline constexpr int kDefaultNotProgressingWeeks = 4;
inline constexpr int kMaxNotProgressingWeeks = 52;

struct PaceSettings {
  int not_progressing_weeks = kDefaultNotProgressingWeeks;
  bool operator==(const PaceSettings&) const = default;
};

Result<PaceSettings> ParsePaceSettings(std::string_view json_text);
// The JSON object that parses back to `settings` (defaults included).
std::string PaceSettingsToJson(const PaceSettings& settings);

// The district's settings (the defaults when none were stored); a stored
// value that no longer parses is kInternal, naming the setting.
Result<PaceSettings> LoadPaceSettings(Store& store);
// Checks `json_text` and stores it; returns what was stored. Invalid input
// changes nothing.
Result<PaceSettings> SavePaceSettings(Store& store, std::string_view json_text);

}  // namespace cairn
