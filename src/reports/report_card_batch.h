// Report cards for many students at once: a school's or a section's, as one
// PDF (each student's pages in turn, with an outline entry per student) or
// as a zip of one PDF per student, reporting progress as each student is
// done.
//
// Students are read and drawn one at a time, so memory stays that of one
// student's facts and pages whatever the school's size (the zip holds each
// finished PDF, compressed). Not thread-safe with respect to the store (one
// store per thread); the progress callback runs on the calling thread.
#pragma once

#include <functional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "reports/report_card.h"
#include "reports/report_card_pdf.h"
#include "reports/report_card_settings.h"
#include "roster/roster.h"
#include "store/store.h"

namespace cairn {

struct ReportCardBatchOptions {
  ReportCardKind kind = ReportCardKind::kReportCard;
  bool zip = false;  // a zip of one PDF per student; else one PDF
  ReportCardOptions card;
  ReportCardSettings settings;
};

struct ReportCardBatchSummary {
  int students = 0;
  int pages = 0;
};

// Called after each student with (students done, students in all), and
// once with (0, total) before the first.
using ReportCardProgress = std::function<void(int done, int total)>;

// The active students of a school or of a section, by family name, given
// name, then sourced id.
std::vector<const Person*> StudentsOfSchool(const Roster& roster, Id school);
std::vector<const Person*> StudentsOfSection(const Roster& roster, Id section);

// A file name for one student's PDF: "<sourced id>-<Family>-<Given>.pdf"
// with anything but letters, digits, '-' and '_' replaced by '-'.
std::string ReportCardFileName(const Person& student, ReportCardKind kind);

// Writes the students' report cards to `out`. Errors from the store or from
// drawing stop the batch (what was written to `out` is then incomplete).
Result<ReportCardBatchSummary> WriteReportCardBatch(Store& store, const Catalog& catalog,
                                                    const Roster& roster,
                                                    std::span<const Person* const> students,
                                                    const ReportCardBatchOptions& options,
                                                    std::ostream& out,
                                                    const ReportCardProgress& progress = {});

}  // namespace cairn
