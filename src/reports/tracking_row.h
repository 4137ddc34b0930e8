// One row of the badge tracking sheet (the guide's Template 2.4): a student,
// a badge their section works on, and whether and when it was completed, or
// what remains. The service builds rows (BuildTrackingSheet, from the ledger
// and roster); reports render them (tracking_sheet.h) and aggregate them
// (completion_report.h). A plain value.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace cairn {

struct TrackingRow {
  std::string student_name, student_id, teacher_name, school, course, section, badge;
  bool completed = false;
  std::string completed_on;  // YYYY-MM-DD when confirmed, else empty
  std::string award_state;
  std::vector<std::string> remaining;
  // YYYY-MM-DD of the latest counted evidence on the badge's CPEs; "" when none.
  std::string last_evidence_on{};
  std::string section_sourced_id{};  // `section` is its title, which may repeat
  // The open interventions on this badge or its CPEs, in words
  // ("Tutoring with Ms. Lee since 2026-02-02, on M101.2: ..."), by start;
  // filled by AttachSupports (reports/tracking_sheet.h).
  std::vector<std::string> supports{};
  // Not progressing on this badge in its section (reports/pace_report.h);
  // set by MarkNotProgressing, for equity breakdowns.
  bool not_progressing = false;
  // The student's group per demographic field, in kDemographicFields order
  // (reports/equity_report.h), for equity breakdowns; never rendered on the
  // sheet itself. Empty strings read as "Unknown".
  std::array<std::string, 5> demographics{};
};

// A badge a student took on outside their sections (independent study,
// credit recovery, CTE) and a teacher accepted (agency/learning_plan.h): it
// gets a tracking row of its own, `label` in the section column.
struct ChosenBadge {
  std::int64_t student_id = 0;  // a person id (roster Id)
  std::string badge;
  std::string label;             // "Independent study"
  std::int64_t accepted_by = 0;  // person id
};

}  // namespace cairn
