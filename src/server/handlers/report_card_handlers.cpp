#include "server/handlers/report_card_handlers.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "evidence/files/file_name.h"
#include "reports/report_card_batch.h"
#include "reports/report_card_settings.h"
#include "server/handlers/params.h"
#include "server/responses.h"
#include "service/crypto.h"

namespace cairn {

using nlohmann::json;

namespace {

// "as_of" (a query parameter or body field): a day not after today; absent
// or empty: today.
Result<Day> AsOfDay(const std::string& text, Instant now, const char* field) {
  const Day today = DayOf(now);
  if (text.empty()) return today;
  auto day = ParseDate(text);
  if (!day.ok()) return Status::InvalidField(field, "expected a date, YYYY-MM-DD");
  if (*day > today) return Status::InvalidField(field, text + " is in the future");
  return *day;
}

const School* SchoolByRef(const Roster& roster, const std::string& ref) {
  for (const School& s : roster.schools) {
    if (s.sourced_id == ref) return &s;
  }
  return nullptr;
}

const char* KindName(ReportCardKind kind) {
  return kind == ReportCardKind::kTranscript ? "transcript" : "report_card";
}

void RemoveFile(const std::string& path) {
  std::error_code ignored;
  if (!path.empty()) std::filesystem::remove(path, ignored);
}

json SettingsJson(const ReportCardSettings& settings) {
  json out = json::parse(ReportCardSettingsToJson(settings));
  out.erase("logo_png");  // large; say whether there is one
  out["logo"] = settings.logo_png.empty()
                    ? json(nullptr)
                    : json{{"type", "image/png"}, {"bytes", settings.logo_png.size()}};
  return out;
}

}  // namespace

ReportCardHandlers::~ReportCardHandlers() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
  std::lock_guard lock(mutex_);
  for (const auto& [id, job] : jobs_) RemoveFile(job->file);
}

std::vector<GroupRoute<ReportCardHandlers>> ReportCardHandlers::Routes() {
  using G = ReportCardHandlers;
  using R = AccessRule;
  return {
      {{"GET", "/api/v1/students/{student}/report-card.pdf", R::kStudentRead, true, Work::kSlow},
       &G::StudentReportCard},
      {{"GET", "/api/v1/students/{student}/transcript.pdf", R::kStudentRead, true, Work::kSlow},
       &G::StudentTranscript},
      {{"POST", "/api/v1/schools/{school}/report-cards", R::kSchoolLeader, true},
       &G::StartSchoolBatch},
      {{"GET", "/api/v1/schools/{school}/report-cards/{job}", R::kSchoolLeader, false},
       &G::GetSchoolBatch},
      {{"GET", "/api/v1/schools/{school}/report-cards/{job}/result", R::kSchoolLeader, true,
        Work::kSlow},
       &G::GetSchoolBatchResult},
      {{"GET", "/api/v1/settings/report-card", R::kAdmin, false}, &G::GetSettings},
      {{"PUT", "/api/v1/settings/report-card", R::kAdmin, true}, &G::PutSettings},
  };
}

HttpResponse ReportCardHandlers::StudentReportCard(RequestContext& ctx) {
  return StudentPdf(ctx, ReportCardKind::kReportCard);
}

HttpResponse ReportCardHandlers::StudentTranscript(RequestContext& ctx) {
  return StudentPdf(ctx, ReportCardKind::kTranscript);
}

HttpResponse ReportCardHandlers::StudentPdf(RequestContext& ctx, ReportCardKind kind) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student", "student");
  auto as_of = AsOfDay(ctx.request.Query()["as_of"], services_.Now(), "as_of");
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  auto catalog = services_.model().WithSnapshot([](const ReadSnapshot& s) { return s.catalog; });
  if (!catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
  Store& store = services_.Service().store();
  auto settings = LoadReportCardSettings(store);
  if (!settings.ok()) return ErrorResponse(settings.status());
  auto credit_map = LoadCreditMap(store);
  if (!credit_map.ok()) return ErrorResponse(credit_map.status());
  ReportCardOptions options;
  options.as_of = *as_of;
  options.public_url = services_.options().public_url;
  options.credit_map = &*credit_map;
  auto card = LoadReportCard(store, *catalog, *ctx.roster, *ctx.student, options);
  if (!card.ok()) return ErrorResponse(card.status());
  auto pdf = RenderReportCardPdf(*card, *settings, kind);
  if (!pdf.ok()) return ErrorResponse(pdf.status());
  ctx.audit_detail = std::string(KindName(kind)) + " PDF as of " + FormatDate(*as_of);
  HttpResponse response;
  response.content_type = "application/pdf";
  response.body = std::move(*pdf);
  response.headers.push_back(
      {"Content-Disposition", ContentDispositionValue(ReportCardFileName(*ctx.student, kind))});
  return response;
}

HttpResponse ReportCardHandlers::StartSchoolBatch(RequestContext& ctx) {
  const School* school = SchoolByRef(*ctx.roster, ctx.params["school"]);
  if (!school) return ErrorResponse(404, "not_found", "school: no such school", "school");
  BodyReader r(ctx.body, /*optional=*/true);
  if (ctx.body.is_object()) r.CheckObject(ctx.body, "", {"transcript", "zip", "as_of"});
  const bool transcript = r.Bool(ctx.body, "", "transcript", false);
  const bool zip = r.Bool(ctx.body, "", "zip", false);
  const std::string as_of_text = ctx.body.is_object() ? r.Optional("as_of") : "";
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  auto as_of = AsOfDay(as_of_text, services_.Now(), "as_of");
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  auto catalog = services_.model().WithSnapshot([](const ReadSnapshot& s) { return s.catalog; });
  if (!catalog) return ErrorResponse(409, "failed_precondition", "no catalog loaded");

  auto job = std::make_shared<Job>();
  job->id = RandomToken(9);
  job->school = school->sourced_id;
  job->kind = transcript ? ReportCardKind::kTranscript : ReportCardKind::kReportCard;
  job->zip = zip;
  job->as_of = *as_of;
  job->started_at = services_.Now();
  const std::vector<const Person*> students = StudentsOfSchool(*ctx.roster, school->id);
  job->total = static_cast<int>(students.size());
  for (const Person* p : students) job->students.push_back(p->id);
  ReportCardOptions card;
  card.as_of = *as_of;
  card.public_url = services_.options().public_url;
  {
    std::lock_guard lock(mutex_);
    int running = 0;
    for (const auto& [id, other] : jobs_) running += other->finished_at == 0;
    if (running >= kMaxRunning) {
      return ErrorResponse(429, "too_many_requests",
                           "report cards: " + std::to_string(running) +
                               " batches are running; try again when one has finished");
    }
    // Forget the oldest finished jobs beyond the newest kJobsKept.
    while (jobs_.size() >= kJobsKept) {
      auto oldest = jobs_.end();
      for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
        if (it->second->finished_at &&
            (oldest == jobs_.end() || it->second->sequence < oldest->second->sequence)) {
          oldest = it;
        }
      }
      if (oldest == jobs_.end()) break;
      RemoveFile(oldest->second->file);
      jobs_.erase(oldest);
    }
    job->sequence = ++started_;
    jobs_[job->id] = job;
    // The roster snapshot keeps the students' records alive for the thread.
    threads_.emplace_back(
        [this, job, roster = ctx.roster, catalog, card] { Run(job, roster, catalog, card); });
  }
  // (The job's id, school, kind and students never change; its progress
  // is read under the lock.)
  ctx.returned_students = job->students;
  ctx.audit_detail = std::string(KindName(job->kind)) + "s of school " + job->school + " (" +
                     std::to_string(students.size()) + " students" + (zip ? ", zip" : "") +
                     ") as of " + FormatDate(*as_of) + ", job " + job->id;
  HttpResponse response;
  {
    std::lock_guard lock(mutex_);
    response = JsonResponse(202, JobJson(*job));
  }
  response.headers.push_back(
      {"Location", "/api/v1/schools/" + job->school + "/report-cards/" + job->id});
  return response;
}

void ReportCardHandlers::Run(std::shared_ptr<Job> job, std::shared_ptr<const Roster> roster,
                             std::shared_ptr<const Catalog> catalog, ReportCardOptions card) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("cairn-report-cards-" + job->id + (job->zip ? ".zip" : ".pdf")))
                               .string();
  auto finish = [&](Result<ReportCardBatchSummary> outcome) {
    std::lock_guard lock(mutex_);
    if (outcome.ok()) {
      job->phase = "done";
      job->pages = outcome->pages;
      job->file = path;
    } else {
      job->phase = "failed";
      job->error = outcome.status().message();
      RemoveFile(path);
    }
    job->finished_at = services_.Now();
  };
  try {
    std::vector<const Person*> students;
    for (Id id : job->students) {
      if (const Person* p = roster->FindPerson(id)) students.push_back(p);
    }
    {
      std::lock_guard lock(mutex_);
      job->phase = "running";
    }
    Store& store = services_.Service().store();  // this thread's own connection
    auto settings = LoadReportCardSettings(store);
    if (!settings.ok()) return finish(settings.status());
    auto credit_map = LoadCreditMap(store);
    if (!credit_map.ok()) return finish(credit_map.status());
    card.credit_map = &*credit_map;
    ReportCardBatchOptions options;
    options.kind = job->kind;
    options.zip = job->zip;
    options.card = card;
    options.settings = *settings;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return finish(Status::Internal("report cards: cannot write a temporary file"));
    auto summary = WriteReportCardBatch(store, *catalog, *roster, students, options, out,
                                        [&](int done, int total) {
                                          std::lock_guard lock(mutex_);
                                          job->done = done;
                                          job->total = total;
                                        });
    out.close();
    if (summary.ok() && !out) summary = Status::Internal("report cards: the file was not written");
    finish(std::move(summary));
  } catch (const std::exception& e) {
    ApiServices::LogServerError("report-cards-" + job->id, "report cards", e.what());
    finish(Status::Internal("internal error (report cards " + job->id + ")"));
  }
}

json ReportCardHandlers::JobJson(const Job& job) const {
  json out{{"id", job.id},
           {"school", job.school},
           {"kind", KindName(job.kind)},
           {"zip", job.zip},
           {"as_of", FormatDate(job.as_of)},
           {"phase", job.phase},
           {"done", job.done},
           {"total", job.total},
           {"progress",
            job.total ? static_cast<double>(job.done) / job.total : (job.finished_at ? 1.0 : 0.0)},
           {"pages", job.pages},
           {"started_at", FormatInstant(job.started_at)}};
  if (job.finished_at) out["finished_at"] = FormatInstant(job.finished_at);
  if (!job.error.empty()) out["error"] = job.error;
  if (job.phase == "done") {
    out["result"] = "/api/v1/schools/" + job.school + "/report-cards/" + job.id + "/result";
  }
  return out;
}

std::shared_ptr<ReportCardHandlers::Job> ReportCardHandlers::FindJob(RequestContext& ctx) {
  auto it = jobs_.find(ctx.params["job"]);
  if (it == jobs_.end() || it->second->school != ctx.params["school"]) return nullptr;
  return it->second;
}

HttpResponse ReportCardHandlers::GetSchoolBatch(RequestContext& ctx) {
  std::lock_guard lock(mutex_);
  auto job = FindJob(ctx);
  if (!job) return ErrorResponse(404, "not_found", "job: no such report card batch", "job");
  return JsonResponse(200, JobJson(*job));
}

HttpResponse ReportCardHandlers::GetSchoolBatchResult(RequestContext& ctx) {
  std::shared_ptr<Job> job;
  std::string file;
  {
    std::lock_guard lock(mutex_);
    job = FindJob(ctx);
    if (!job) return ErrorResponse(404, "not_found", "job: no such report card batch", "job");
    if (job->phase != "done") {
      return ErrorResponse(409, "failed_precondition",
                           "the batch is " + job->phase + ", not done: poll it until it is", "job");
    }
    // A second name for the file, deleted once sent: the job may be dropped
    // (and its file removed) while this download is still streaming.
    file = job->file + "." + RandomToken(6) + ".download";
    std::error_code ec;
    std::filesystem::create_hard_link(job->file, file, ec);
    if (ec) std::filesystem::copy_file(job->file, file, ec);
    if (ec) return ErrorResponse(Status::Internal("report cards: the result cannot be read"));
  }
  ctx.returned_students = job->students;
  ctx.audit_detail = std::string("download of ") + KindName(job->kind) + "s of school " +
                     job->school + ", job " + job->id;
  HttpResponse response;
  response.content_type = job->zip ? "application/zip" : "application/pdf";
  response.body_file = file;
  response.delete_body_file = true;
  const std::string name =
      std::string(job->kind == ReportCardKind::kTranscript ? "transcripts-" : "report-cards-") +
      job->school + "-" + FormatDate(job->as_of);
  response.headers.push_back({"Content-Disposition", ContentDispositionValue(SanitizeFileName(
                                                         name, job->zip ? "zip" : "pdf"))});
  return response;
}

HttpResponse ReportCardHandlers::GetSettings(RequestContext&) {
  auto settings = LoadReportCardSettings(services_.Service().store());
  if (!settings.ok()) return ErrorResponse(settings.status());
  return JsonResponse(200, SettingsJson(*settings));
}

// The given fields replace the stored ones (null: back to the default),
// checked whole before the writer stores them; a refused change stores
// nothing.
HttpResponse ReportCardHandlers::PutSettings(RequestContext& ctx) {
  if (!ctx.body.is_object()) {
    return ErrorResponse(Status::InvalidField("report_card", "expected a JSON object"));
  }
  const std::string text = ctx.body.dump();
  if (auto checked = ParseReportCardSettings(text); !checked.ok()) {
    return ErrorResponse(checked.status());
  }
  std::string fields;
  for (const auto& [key, value] : ctx.body.items()) fields += (fields.empty() ? "" : ", ") + key;
  ctx.audit_detail = "report card settings: " + fields;
  return services_.Write([text](CairnService& service) {
    auto saved = StoreReportCardSettings(service.store(), text);
    if (!saved.ok()) return ErrorResponse(saved.status());
    return JsonResponse(200, SettingsJson(*saved));
  });
}

}  // namespace cairn
