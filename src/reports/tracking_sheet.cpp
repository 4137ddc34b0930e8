#include "reports/tracking_sheet.h"

#include <algorithm>
#include <map>
#include <utility>

#include "reports/csv.h"

namespace cairn {

void AttachSupports(std::vector<TrackingRow>& rows, const std::vector<Intervention>& interventions,
                    const Roster& roster) {
  std::vector<const Intervention*> open;
  for (const Intervention& i : interventions) {
    if (i.open()) open.push_back(&i);
  }
  std::sort(open.begin(), open.end(), [](const Intervention* a, const Intervention* b) {
    return std::tie(a->started_on, a->id) < std::tie(b->started_on, b->id);
  });
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_row;
  for (const Intervention* i : open) {
    const Person* student = roster.FindPerson(i->student);
    if (!student) continue;
    std::string text(InterventionKindLabel(i->kind));
    if (!i->provider.empty()) text += " with " + i->provider;
    text += " since " + i->started_on;
    if (!i->cpe.empty()) text += ", on " + i->cpe;
    if (!i->note.empty()) text += ": " + i->note;
    by_row[{student->sourced_id, i->badge}].push_back(std::move(text));
  }
  if (by_row.empty()) return;
  for (TrackingRow& row : rows) {
    auto it = by_row.find({row.student_id, row.badge});
    if (it != by_row.end()) row.supports = it->second;
  }
}

void WriteTrackingSheetCsv(std::ostream& out, const std::vector<TrackingRow>& rows) {
  WriteCsvRow(out, {"Student Name", "Student ID", "Teacher Name", "School", "Course", "Section",
                    "Badge", "Completed", "Date of Completion", "What Remains Incomplete",
                    "Last Evidence", "Supports"});
  for (const TrackingRow& row : rows) {
    const std::string remaining = JoinCell(row.remaining);
    WriteCsvRow(
        out,
        {row.student_name, row.student_id, row.teacher_name, row.school, row.course, row.section,
         row.badge, row.completed ? "Yes" : "No", row.completed ? row.completed_on : "N/A",
         remaining.empty() ? "N/A" : remaining, row.last_evidence_on, JoinCell(row.supports)});
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
              {"remaining", row.remaining},
              {"last_evidence_on",
               row.last_evidence_on.empty() ? json(nullptr) : json(row.last_evidence_on)},
              {"supports", row.supports}};
}

}  // namespace cairn
