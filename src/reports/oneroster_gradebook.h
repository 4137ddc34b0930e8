// A gradebook (reports/gradebook.h) as a OneRoster 1.2 CSV set a student
// information system imports: manifest.csv, categories.csv, lineItems.csv
// and results.csv, with the 1.2 CSV binding's columns in its order.
//
// - One line item per badge of the section, titled by the badge, in one
//   category ("Badges"), for the grading period (academicSessionSourcedId),
//   its assignDate and dueDate the period's first and last day.
// - One result per student and line item: scoreStatus "fully graded" when
//   the student has evidence on the badge or passed it, else "not
//   submitted"; score the grade map's points, else 1 for pass and 0 for not
//   yet (left empty when not submitted: no evidence is not a zero);
//   textScore the grade map's letter, else the outcome label; scoreDate the
//   as-of day; the comment says when the badge was earned or what remains.
//   studentSourcedId is the student's sourced id, which is the OneRoster
//   sourcedId when the roster was imported from OneRoster.
// - sourcedIds are stable UUIDs derived from the section, badge, period and
//   student, so exporting the same period again updates rather than adds.
// - Files are "delta": the set adds or updates these records and deletes
//   nothing else in the SIS; status is "active" and dateLastModified the
//   as-of instant, so the same snapshot gives the same bytes.
//
// Text cells are neutralised like every CSV Cairn writes (reports/csv.h).
// Pure functions apart from the zip's memory; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "reports/gradebook.h"

namespace cairn {

struct ExportFile {
  std::string name;  // "lineItems.csv"
  std::string bytes;
};

// The columns of each file, as the OneRoster 1.2 CSV binding lists them.
const std::vector<std::string>& OneRosterLineItemColumns();
const std::vector<std::string>& OneRosterResultColumns();
const std::vector<std::string>& OneRosterCategoryColumns();

// manifest.csv, categories.csv, lineItems.csv and results.csv.
std::vector<ExportFile> OneRosterGradebookFiles(const Gradebook& gradebook);

// The files as a zip archive (entries dated at the as-of instant). kInternal
// if the archive library fails.
Result<std::string> ZipFiles(const std::vector<ExportFile>& files, Instant mtime);

// A stable UUID-shaped id for `name` (SHA-256 based, version 8 per RFC 9562).
std::string DerivedSourcedId(const std::string& name);

}  // namespace cairn
