// Report cards and badge transcripts (reports/report_card_pdf.h) over HTTP:
//
//   GET  /api/v1/students/{student}/report-card.pdf   ?as_of=YYYY-MM-DD
//   GET  /api/v1/students/{student}/transcript.pdf    ?as_of=YYYY-MM-DD
//        whoever may read the student: the student, their guardians, their
//        teachers, their school's and district's leaders, admins
//   POST /api/v1/schools/{school}/report-cards        {"transcript", "zip", "as_of"}
//   GET  /api/v1/schools/{school}/report-cards/{job}
//   GET  /api/v1/schools/{school}/report-cards/{job}/result
//        the school's leaders, its district's leaders, admins: a background
//        batch of every active student of the school, one PDF or a zip of
//        one per student, polled for progress and then downloaded
//   GET/PUT /api/v1/settings/report-card              admins: wording, paper, logo
//
// A batch runs on its own thread (one store connection of its own, reading
// the roster snapshot of the request that started it) and writes to a
// temporary file; at most kMaxRunning run at once. Jobs live in memory: a
// restart forgets them and their files (the audit log keeps who asked for
// what). A job is visible only under the school it was started for.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/report_card_pdf.h"
#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class ReportCardHandlers {
 public:
  explicit ReportCardHandlers(ApiServices& services) : services_(services) {}
  // Waits for running batches and removes every job's file.
  ~ReportCardHandlers();
  static std::vector<GroupRoute<ReportCardHandlers>> Routes();

  static constexpr int kMaxRunning = 2;         // batches drawing at once (they take a core each)
  static constexpr std::size_t kJobsKept = 20;  // the newest; older finished jobs are dropped

  // What a client polls: {"id", "school", "kind", "zip", "as_of", "phase",
  // "done", "total", "progress", "pages", "started_at", "finished_at"?,
  // "error"?, "result"?}.
  struct Job {
    std::string id;
    std::string school;  // sourced id
    ReportCardKind kind = ReportCardKind::kReportCard;
    bool zip = false;
    Day as_of = 0;
    std::string phase = "queued";  // queued, running, done, failed
    int done = 0, total = 0, pages = 0;
    Instant started_at = 0, finished_at = 0;
    std::uint64_t sequence = 0;
    std::vector<Id> students;  // for the audit log of the download
    std::string file;          // the result, once done
    std::string error;
  };

 private:
  HttpResponse StudentReportCard(RequestContext& ctx);
  HttpResponse StudentTranscript(RequestContext& ctx);
  HttpResponse StartSchoolBatch(RequestContext& ctx);
  HttpResponse GetSchoolBatch(RequestContext& ctx);
  HttpResponse GetSchoolBatchResult(RequestContext& ctx);
  HttpResponse GetSettings(RequestContext& ctx);
  HttpResponse PutSettings(RequestContext& ctx);

  HttpResponse StudentPdf(RequestContext& ctx, ReportCardKind kind);
  void Run(std::shared_ptr<Job> job, std::shared_ptr<const Roster> roster,
           std::shared_ptr<const Catalog> catalog, ReportCardOptions card);
  nlohmann::json JobJson(const Job& job) const;
  // The job of this school named by the path, or null.
  std::shared_ptr<Job> FindJob(RequestContext& ctx);

  ApiServices& services_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;  // guarded by mutex_
  std::vector<std::thread> threads_;                  // guarded by mutex_
  std::uint64_t started_ = 0;                         // guarded by mutex_
};

}  // namespace cairn
