// The district's wording and look for report cards and badge transcripts:
// one district setting, key "report_card", holding a JSON object
//
//   {"title": "...", "transcript_title": "...", "intro": "...",
//    "habits_heading": "...", "footer": "...", "paper": "letter" | "a4",
//    "logo_png": "<base64 of a PNG>"}
//
// Every field is optional (absent: the default below). Parsing is strict:
// an unknown key, a wrong type, text too long or with control characters,
// a paper size other than letter or a4, or a logo that is not a PNG of at
// most 512 KB and 2000 × 2000 pixels is refused, every problem named by its
// field ("report_card.paper: expected \"letter\" or \"a4\""), and nothing
// is stored.
//
// Pure functions apart from Load/Store, which read and write the setting
// through the given store (one store per thread).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "store/store.h"

namespace cairn {

enum class Paper { kLetter, kA4 };
std::string_view PaperName(Paper paper);

struct ReportCardSettings {
  std::string title = "Standards-based report card";
  std::string transcript_title = "Badge transcript";
  std::string intro =
      "This report shows what your student has learned, badge by badge. A badge is earned "
      "when the student shows they have mastered each of its learning expectations. Students "
      "may show their learning again at any time, and the most recent evidence counts. Habits "
      "of work are reported on their own and never change badge results.";
  std::string habits_heading = "Habits of work";
  std::string footer;
  Paper paper = Paper::kLetter;
  std::string logo_png;  // the PNG's bytes; empty: no logo

  bool operator==(const ReportCardSettings&) const = default;
};

inline constexpr std::string_view kReportCardSettingKey = "report_card";

// Limits on the setting's fields (bytes of UTF-8).
inline constexpr std::size_t kMaxReportCardHeading = 120;
inline constexpr std::size_t kMaxReportCardText = 2000;
inline constexpr std::size_t kMaxReportCardLogoBytes = 512 * 1024;
inline constexpr int kMaxReportCardLogoPixels = 2000;

// The settings a JSON object (as text) describes, over the defaults.
Result<ReportCardSettings> ParseReportCardSettings(std::string_view json_text);
// The JSON object that parses back to `settings` (defaults included).
std::string ReportCardSettingsToJson(const ReportCardSettings& settings);

// The district's settings (the defaults when none were stored); a stored
// value that no longer parses is kInternal, naming the setting.
Result<ReportCardSettings> LoadReportCardSettings(Store& store);
// Changes the stored setting: the fields of the JSON object `json_text`
// replace those stored (null: back to the default; absent: unchanged). The
// result is validated whole; nothing is stored when it is refused.
Result<ReportCardSettings> StoreReportCardSettings(Store& store, std::string_view json_text);

}  // namespace cairn
