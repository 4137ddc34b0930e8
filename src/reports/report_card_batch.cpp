#include "reports/report_card_batch.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <tuple>

namespace cairn {

namespace {

std::vector<const Person*> Sorted(std::vector<const Person*> people) {
  std::sort(people.begin(), people.end(), [](const Person* a, const Person* b) {
    return std::tie(a->family_name, a->given_name, a->sourced_id) <
           std::tie(b->family_name, b->given_name, b->sourced_id);
  });
  return people;
}

std::string Safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    out += keep ? c : '-';
  }
  return out;
}

// A zip written to a stream, one stored-then-deflated entry at a time.
class ZipStream {
 public:
  explicit ZipStream(std::ostream& out) : out_(out), zip_(archive_write_new()) {
    if (!zip_ || archive_write_set_format_zip(zip_) != ARCHIVE_OK ||
        archive_write_open(zip_, this, nullptr, &ZipStream::Write, nullptr) != ARCHIVE_OK) {
      status_ = Failure("opening");
    }
  }
  ~ZipStream() {
    if (zip_) archive_write_free(zip_);
  }
  ZipStream(const ZipStream&) = delete;
  ZipStream& operator=(const ZipStream&) = delete;

  Status Add(const std::string& name, const std::string& bytes, Instant mtime) {
    if (!status_.ok()) return status_;
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_mtime(entry, mtime, 0);
    const int rc = archive_write_header(zip_, entry);
    archive_entry_free(entry);
    if (rc != ARCHIVE_OK) return status_ = Failure("writing " + name);
    if (archive_write_data(zip_, bytes.data(), bytes.size()) !=
        static_cast<la_ssize_t>(bytes.size())) {
      return status_ = Failure("writing " + name);
    }
    return Status::Ok();
  }

  Status Close() {
    if (status_.ok() && archive_write_close(zip_) != ARCHIVE_OK) status_ = Failure("closing");
    return status_;
  }

 private:
  static la_ssize_t Write(archive*, void* self, const void* data, size_t size) {
    auto* zip = static_cast<ZipStream*>(self);
    zip->out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    return zip->out_ ? static_cast<la_ssize_t>(size) : -1;
  }
  Status Failure(const std::string& what) {
    const char* why = zip_ ? archive_error_string(zip_) : nullptr;
    return Status::Internal("report card zip: " + what + (why ? std::string(": ") + why : ""));
  }

  std::ostream& out_;
  archive* zip_;
  Status status_;
};

}  // namespace

std::vector<const Person*> StudentsOfSchool(const Roster& roster, Id school) {
  std::vector<const Person*> out;
  for (const Person& p : roster.people) {
    if (p.role == PersonRole::kStudent && p.active && p.school_id && *p.school_id == school) {
      out.push_back(&p);
    }
  }
  return Sorted(std::move(out));
}

std::vector<const Person*> StudentsOfSection(const Roster& roster, Id section) {
  std::vector<const Person*> out;
  for (const Person* p : roster.StudentsIn(section)) {
    if (p->role == PersonRole::kStudent && p->active) out.push_back(p);
  }
  return Sorted(std::move(out));
}

std::string ReportCardFileName(const Person& student, ReportCardKind kind) {
  return Safe(student.sourced_id + "-" + student.family_name + "-" + student.given_name) +
         (kind == ReportCardKind::kTranscript ? "-transcript" : "") + ".pdf";
}

Result<ReportCardBatchSummary> WriteReportCardBatch(Store& store, const Catalog& catalog,
                                                    const Roster& roster,
                                                    std::span<const Person* const> students,
                                                    const ReportCardBatchOptions& options,
                                                    std::ostream& out,
                                                    const ReportCardProgress& progress) {
  ReportCardBatchSummary summary;
  const int total = static_cast<int>(students.size());
  if (progress) progress(0, total);
  std::unique_ptr<ReportCardPdf> pdf;
  std::unique_ptr<ZipStream> zip;
  if (options.zip) {
    zip = std::make_unique<ZipStream>(out);
  } else {
    CAIRN_ASSIGN_OR_RETURN(pdf, ReportCardPdf::Open(out, options.settings, options.kind));
  }
  for (const Person* student : students) {
    CAIRN_ASSIGN_OR_RETURN(ReportCard card,
                           LoadReportCard(store, catalog, roster, *student, options.card));
    if (zip) {
      std::ostringstream one;
      CAIRN_ASSIGN_OR_RETURN(auto single, ReportCardPdf::Open(one, options.settings, options.kind));
      CAIRN_ASSIGN_OR_RETURN(int pages, single->Add(card));
      CAIRN_RETURN_IF_ERROR(single->Finish());
      summary.pages += pages;
      CAIRN_RETURN_IF_ERROR(zip->Add(ReportCardFileName(*student, options.kind), one.str(),
                                     StartOf(options.card.as_of)));
    } else {
      CAIRN_ASSIGN_OR_RETURN(int pages, pdf->Add(card));
      summary.pages += pages;
    }
    ++summary.students;
    if (progress) progress(summary.students, total);
  }
  if (zip) {
    CAIRN_RETURN_IF_ERROR(zip->Close());
  } else {
    CAIRN_RETURN_IF_ERROR(pdf->Finish());
    summary.pages = pdf->pages();
  }
  return summary;
}

}  // namespace cairn
