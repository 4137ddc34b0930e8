// Calibration: building a shared understanding of proficiency across
// teachers. A leader picks anonymized submissions (items) and teachers
// (raters); each rater rates every item against the session's CPEs without
// seeing anyone else's ratings; the leader then reveals the ratings side by
// side with agreement figures, and the group's discussion notes are kept.
//
// Like the portfolio, a session is a fixed definition plus append-only
// events; FoldCalibration replays them. Pure values and functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "roster/roster.h"

namespace cairn {

struct CalibrationSession {
  Id id = 0;
  std::string title;
  std::string badge_code;
  std::vector<std::string> cpes;  // the CPEs every item is rated on
  std::vector<Id> items;          // submission version ids; item n is items[n-1]
  std::vector<Id> raters;         // people (teachers or leaders)
  Id created_by = 0;
  Instant created_at = 0;
};

enum class CalibrationEventKind { kRating, kReveal, kNote, kClose };
std::string_view CalibrationEventKindName(CalibrationEventKind kind);
std::optional<CalibrationEventKind> ParseCalibrationEventKind(std::string_view name);

struct CalibrationEvent {
  Id id = 0;
  Id session_id = 0;
  CalibrationEventKind kind = CalibrationEventKind::kRating;
  Id actor = 0;
  Instant at = 0;
  int item = 0;       // 1-based; kRating
  std::string cpe;    // kRating
  std::string level;  // kRating
  std::string note;   // kNote
};

struct CalibrationRecord {
  CalibrationSession session;
  std::vector<CalibrationEvent> events;  // by id
};

struct CalibrationView {
  bool revealed = false;
  bool closed = false;
  // (item, rater, cpe) -> level. A rater may change a rating until the
  // reveal; the latest counts.
  std::map<std::tuple<int, Id, std::string>, std::string> ratings;
  std::vector<const CalibrationEvent*> notes;
  // How many of the item x CPE cells each rater has filled.
  std::map<Id, int> progress;
};

CalibrationView FoldCalibration(const CalibrationRecord& record);

// Whether `actor` may add `event` now. Raters rate before the reveal; the
// session's creator reveals and closes; anyone in the session adds notes
// after the reveal, until it is closed.
Status CheckCalibrationEvent(const CalibrationRecord& record, const CalibrationView& view,
                             const CalibrationEvent& event);

}  // namespace cairn
