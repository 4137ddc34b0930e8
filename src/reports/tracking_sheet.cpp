#include "reports/tracking_sheet.h"

#include "reports/csv.h"

namespace cairn {

void WriteTrackingSheetCsv(std::ostream& out, const std::vector<TrackingRow>& rows) {
  WriteCsvRow(out, {"Student Name", "Student ID", "Teacher Name", "School", "Course", "Section",
                    "Badge", "Completed", "Date of Completion", "What Remains Incomplete"});
  for (const TrackingRow& row : rows) {
    std::string remaining;
    for (const std::string& item : row.remaining) {
      remaining += (remaining.empty() ? "" : "; ") + item;
    }
    WriteCsvRow(out,
                {row.student_name, row.student_id, row.teacher_name, row.school, row.course,
                 row.section, row.badge, row.completed ? "Yes" : "No",
                 row.completed ? row.completed_on : "N/A", remaining.empty() ? "N/A" : remaining});
  }
}

nlohmann::json ToJson(const TrackingRow& row) {
  using nlohmann::json;
  return json{{"student", row.student_name},
              {"student_id", row.student_id},
              {"teacher", row.teacher_name},
              {"school", row.school},
              {"course", row.course},
              {"section", row.section},
              {"badge", row.badge},
              {"completed", row.completed},
              {"completed_on", row.completed_on.empty() ? json(nullptr) : json(row.completed_on)},
              {"award_state", row.award_state},
              {"remaining", row.remaining}};
}

}  // namespace cairn
