// The district's pace settings (reports/pace_report.h): how many weeks
// without a CPE newly reaching mastery make an enrolled student "not
// progressing" on a badge, and the district's plan, how many weeks a badge
// is expected to take, for every course or for one course. One district
// setting, key "pace", holding
//
//   {"not_progressing_weeks": 4, "weeks_per_badge": 6,
//    "course_weeks_per_badge": {"course-geometry": 8}}
//
// Every field is optional: 4 weeks (a grading period's worth of lessons)
// and a plan of 6 weeks per badge; course keys are course sourced ids. Each
// number is a whole number of weeks from 1 to 52. Parsing is strict: unknown
// keys and wrong types are refused, naming the field
// ("pace.course_weeks_per_badge.course-geometry: ..."), and nothing is
// stored.
//
// Pure apart from Load/Save, which read and write the setting through the
// given store (one store per thread).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/store.h"

namespace cairn {

inline constexpr std::string_view kPaceSettingKey = "pace";
inline constexpr int kDefaultNotProgressingWeeks = 4;
inline constexpr int kMaxNotProgressingWeeks = 52;
inline constexpr int kDefaultWeeksPerBadge = 6;

struct PaceSettings {
  int not_progressing_weeks = kDefaultNotProgressingWeeks;
  int weeks_per_badge = kDefaultWeeksPerBadge;
  std::map<std::string, int> course_weeks_per_badge;  // by course sourced id

  // The plan for a course: its own number of weeks, or the district's.
  int WeeksPerBadge(const std::string& course_sourced_id) const;
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
