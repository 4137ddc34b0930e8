#include "evidence/calibration.h"

#include <algorithm>

namespace cairn {

std::string_view CalibrationEventKindName(CalibrationEventKind kind) {
  switch (kind) {
    case CalibrationEventKind::kRating:
      return "rating";
    case CalibrationEventKind::kReveal:
      return "reveal";
    case CalibrationEventKind::kNote:
      return "note";
    case CalibrationEventKind::kClose:
      return "close";
  }
  return "rating";
}

std::optional<CalibrationEventKind> ParseCalibrationEventKind(std::string_view name) {
  for (CalibrationEventKind k : {CalibrationEventKind::kRating, CalibrationEventKind::kReveal,
                                 CalibrationEventKind::kNote, CalibrationEventKind::kClose}) {
    if (CalibrationEventKindName(k) == name) return k;
  }
  return std::nullopt;
}

Status CheckCalibrationEvent(const CalibrationRecord& record, const CalibrationView& view,
                             const CalibrationEvent& event) {
  const CalibrationSession& s = record.session;
  const bool is_rater = std::find(s.raters.begin(), s.raters.end(), event.actor) != s.raters.end();
  const bool is_owner = event.actor == s.created_by;
  if (view.closed) return Status::Precondition("the calibration session is closed");
  switch (event.kind) {
    case CalibrationEventKind::kRating:
      if (!is_rater) return Status{StatusCode::kPermissionDenied, "you are not a rater here"};
      if (view.revealed) {
        return Status::Precondition("ratings were revealed; rating is over for this session");
      }
      if (event.item < 1 || event.item > static_cast<int>(s.items.size())) {
        return Status::Invalid("item: no item " + std::to_string(event.item) + " in this session");
      }
      if (std::find(s.cpes.begin(), s.cpes.end(), event.cpe) == s.cpes.end()) {
        return Status::Invalid("cpe: '" + event.cpe + "' is not rated in this session");
      }
      return Status::Ok();
    case CalibrationEventKind::kReveal:
      if (!is_owner) return Status{StatusCode::kPermissionDenied, "only the session's leader"};
      if (view.revealed) return Status::Precondition("already revealed");
      return Status::Ok();
    case CalibrationEventKind::kNote:
      if (!is_owner && !is_rater) {
        return Status{StatusCode::kPermissionDenied, "you are not in this session"};
      }
      if (!view.revealed)
        return Status::Precondition("notes are for the discussion after the reveal");
      if (event.note.empty()) return Status::Invalid("note: must not be empty");
      return Status::Ok();
    case CalibrationEventKind::kClose:
      if (!is_owner) return Status{StatusCode::kPermissionDenied, "only the session's leader"};
      return Status::Ok();
  }
  return Status::Invalid("unknown event");
}

CalibrationView FoldCalibration(const CalibrationRecord& record) {
  CalibrationView view;
  for (const CalibrationEvent& e : record.events) {
    if (!CheckCalibrationEvent(record, view, e).ok()) continue;
    switch (e.kind) {
      case CalibrationEventKind::kRating: {
        auto [it, inserted] = view.ratings.insert_or_assign({e.item, e.actor, e.cpe}, e.level);
        (void)it;
        if (inserted) ++view.progress[e.actor];
        break;
      }
      case CalibrationEventKind::kReveal:
        view.revealed = true;
        break;
      case CalibrationEventKind::kNote:
        view.notes.push_back(&e);
        break;
      case CalibrationEventKind::kClose:
        view.closed = true;
        break;
    }
  }
  return view;
}

}  // namespace cairn
