// Report cards and badge transcripts as PDF, drawn with cairo.
//
// A report card (ReportCardKind::kReportCard) has, under the district's
// logo, name and title: the student, school and "as of" date, the
// district's introduction, "Badges earned" (each with the date and a QR
// code to its credential's public verification page, the address printed
// beside it, both clickable links), "Badges in progress" (each learning
// expectation with its current level in the district's words and what
// remains), habits of work in their own section, and teacher comments. A
// badge transcript (kTranscript) has only the earned badges, each with its
// learning expectations and its QR code. Content flows onto as many pages
// as it needs; every page repeats the header and says "Page n of m" for its
// student.
//
// Text is cairo's own ("toy") text API with the DejaVu Sans font, wrapped
// here by measured width: no Pango, so it renders headless anywhere cairo
// and fontconfig are installed. A QR code is libqrencode's module matrix
// drawn as vector squares (error correction M).
//
// A ReportCardPdf writes to one stream, student after student, so a whole
// school is never in memory at once. Not thread-safe; separate writers may
// run on separate threads.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "common/status.h"
#include "reports/report_card.h"
#include "reports/report_card_settings.h"

namespace cairn {

enum class ReportCardKind { kReportCard, kTranscript };

class ReportCardPdf {
 public:
  // `out` receives the PDF as pages complete and must outlive the writer.
  // kInvalidArgument for a logo cairo cannot read (settings are normally
  // validated before), kInternal when cairo cannot start a document.
  static Result<std::unique_ptr<ReportCardPdf>> Open(std::ostream& out,
                                                     const ReportCardSettings& settings,
                                                     ReportCardKind kind);
  ~ReportCardPdf();
  ReportCardPdf(const ReportCardPdf&) = delete;
  ReportCardPdf& operator=(const ReportCardPdf&) = delete;

  // Adds one student's pages (starting on a new page, with an outline entry
  // named after the student); returns how many.
  Result<int> Add(const ReportCard& card);
  // Completes the document. A writer with no card gives an empty PDF page
  // saying so. kInternal if cairo or the stream failed.
  Status Finish();

  int pages() const { return pages_; }

 private:
  struct Impl;
  explicit ReportCardPdf(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
  int pages_ = 0;
};

// One card as a complete PDF document.
Result<std::string> RenderReportCardPdf(const ReportCard& card, const ReportCardSettings& settings,
                                        ReportCardKind kind);

// "January 15, 2026".
std::string LongDate(Day day);

}  // namespace cairn
