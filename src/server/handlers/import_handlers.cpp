#include "server/handlers/import_handlers.h"

#include <filesystem>
#include <fstream>

#include "interop/oneroster/oneroster_import.h"
#include "server/handlers/params.h"
#include "server/multipart.h"
#include "server/responses.h"
#include "service/crypto.h"

namespace cairn {

using nlohmann::json;

namespace {

constexpr std::size_t kJobsKept = 50;  // the newest; older finished jobs are dropped

// Writes the upload's one file part to `path`; other fields are ignored.
class ZipPartSink : public MultipartSink {
 public:
  explicit ZipPartSink(std::string path) : path_(std::move(path)) {}
  Status OnField(const MultipartPartHeaders&, std::string) override { return Status::Ok(); }
  Status OnFileBegin(const MultipartPartHeaders& part) override {
    if (files_++ > 0) return Status::InvalidField("file", "send one OneRoster zip");
    name_ = part.filename.value_or("oneroster.zip");
    out_.open(path_, std::ios::binary | std::ios::trunc);
    if (!out_) return Status::Internal("import: cannot write a temporary file");
    return Status::Ok();
  }
  Status OnFileData(std::string_view data) override {
    out_.write(data.data(), static_cast<std::streamsize>(data.size()));
    return out_ ? Status::Ok() : Status::Internal("import: cannot write a temporary file");
  }
  Status OnFileEnd() override {
    out_.close();
    return out_ ? Status::Ok() : Status::Internal("import: cannot write a temporary file");
  }
  int files() const { return files_; }
  const std::string& name() const { return name_; }

 private:
  std::string path_;
  std::ofstream out_;
  int files_ = 0;
  std::string name_;
};

// Feeds the request body (in memory, or spooled to a file by the server)
// to `parser` in slices.
Status FeedBody(const HttpRequest& request, MultipartParser& parser) {
  if (request.body_file.empty()) {
    CAIRN_RETURN_IF_ERROR(parser.Feed(request.body));
    return parser.Finish();
  }
  std::ifstream in(request.body_file, std::ios::binary);
  if (!in) return Status::Internal("import: the upload was not kept");
  std::vector<char> buffer(256 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) {
      CAIRN_RETURN_IF_ERROR(
          parser.Feed(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount()))));
    }
  }
  return parser.Finish();
}

}  // namespace

ImportHandlers::~ImportHandlers() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
}

std::vector<GroupRoute<ImportHandlers>> ImportHandlers::Routes() {
  using G = ImportHandlers;
  using R = AccessRule;
  return {
      {{"POST", "/api/v1/imports/oneroster", R::kAdmin, true, Work::kSlow, BodyKind::kUpload},
       &G::StartOneRoster},
      {{"GET", "/api/v1/imports", R::kAdmin, false}, &G::ListImports},
      {{"GET", "/api/v1/imports/{import}", R::kAdmin, false}, &G::GetImport},
  };
}

HttpResponse ImportHandlers::StartOneRoster(RequestContext& ctx) {
  auto dry_run = ctx.request.Query()["dry_run"];
  if (!dry_run.empty() && dry_run != "true" && dry_run != "false") {
    return ErrorResponse(Status::InvalidField("dry_run", "expected true or false"));
  }
  auto boundary = MultipartBoundary(ctx.request.Header("content-type").value_or(""));
  if (!boundary.ok()) {
    return ErrorResponse(Status::InvalidField(
        "body", "send the zip as multipart/form-data (" + boundary.status().message() + ")"));
  }
  auto job = std::make_shared<Job>();
  job->id = RandomToken(9);
  job->dry_run = dry_run == "true";
  job->started_at = services_.Now();
  job->started_by = ctx.who->person.id;
  const std::string zip_path =
      (std::filesystem::temp_directory_path() / ("cairn-import-" + job->id + ".zip")).string();
  ZipPartSink sink(zip_path);
  MultipartParser parser(*boundary, sink);
  Status read = FeedBody(ctx.request, parser);
  if (read.ok() && sink.files() == 0) read = Status::InvalidField("file", "no file in the upload");
  if (!read.ok()) {
    std::error_code ignored;
    std::filesystem::remove(zip_path, ignored);
    return ErrorResponse(read);
  }
  job->file_name = sink.name();
  ctx.audit_detail = std::string("OneRoster import of '") + job->file_name + "'" +
                     (job->dry_run ? " (dry run)" : "") + ", job " + job->id;
  {
    std::lock_guard lock(mutex_);
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
      jobs_.erase(oldest);
    }
    job->sequence = ++started_;
    jobs_[job->id] = job;
    threads_.emplace_back([this, job, zip_path] { Run(job, zip_path); });
  }
  HttpResponse response = JsonResponse(202, JobJson(*job));
  response.headers.push_back({"Location", "/api/v1/imports/" + job->id});
  return response;
}

void ImportHandlers::Update(const std::shared_ptr<Job>& job, const char* phase, double progress) {
  std::lock_guard lock(mutex_);
  job->phase = phase;
  job->progress = progress;
}

void ImportHandlers::Run(std::shared_ptr<Job> job, std::string zip_path) {
  auto finish = [&](const char* phase, json report, std::string error) {
    std::lock_guard lock(mutex_);
    job->phase = phase;
    job->progress = 1;
    job->report = std::move(report);
    job->error = std::move(error);
    job->finished_at = services_.Now();
  };
  try {
    Update(job, "reading", 0.05);
    oneroster::ReadReport read;
    // The reader's progress (bytes of the files read) moves the bar from
    // 0.05 to 0.4, as `cairn import oneroster` shows it on stderr.
    auto reading = [&](const oneroster::ImportProgress& step) {
      if (step.total == 0) return;
      Update(job, "reading",
             0.05 + 0.35 * static_cast<double>(step.done) / static_cast<double>(step.total));
    };
    auto set = oneroster::ReadOneRoster(zip_path, read, {}, reading);
    std::error_code ignored;
    std::filesystem::remove(zip_path, ignored);
    if (!set.ok()) return finish("failed", json(), set.status().message());
    // Checked first without the writer, so a set with problems never holds
    // it; then written in one writer job (planned again there, against the
    // roster as it is at that moment).
    Update(job, "checking", 0.4);
    oneroster::ImportOptions check;
    check.dry_run = true;
    auto checked = oneroster::ImportOneRosterSet(services_.Service().store(), *set, read, check);
    if (!checked.ok()) return finish("failed", json(), checked.status().message());
    if (job->dry_run || !checked->ok()) return finish("done", ReportJson(*checked), "");
    Update(job, "writing", 0.7);
    auto applied = std::make_shared<Result<oneroster::ImportReport>>(Status::Internal("not run"));
    HttpResponse written =
        ApiServices::WaitFor(services_.Write([&, applied](CairnService& service) {
          *applied = oneroster::ImportOneRosterSet(service.store(), *set, read, {});
          if (!applied->ok()) return ErrorResponse(applied->status());
          // Problems found only now (the roster changed since the check):
          // refused, so the writer keeps nothing of it.
          if (!(*applied)->ok()) return ErrorResponse(422, "import_problems", "see the report");
          return JsonResponse(200, json::object());
        }));
    if (!applied->ok()) return finish("failed", json(), applied->status().message());
    if (written.status >= 500) return finish("failed", ReportJson(**applied), written.body);
    finish("done", ReportJson(**applied), "");
  } catch (const std::exception& e) {
    ApiServices::LogServerError("import-" + job->id, "import", e.what());
    finish("failed", json(), "internal error (import " + job->id + ")");
  }
}

json ImportHandlers::JobJson(const Job& job) {
  json out{{"id", job.id},
           {"kind", "oneroster"},
           {"phase", job.phase},
           {"progress", job.progress},
           {"dry_run", job.dry_run},
           {"file", job.file_name},
           {"started_at", FormatInstant(job.started_at)}};
  if (job.finished_at) out["finished_at"] = FormatInstant(job.finished_at);
  if (!job.report.is_null()) out["report"] = job.report;
  if (!job.error.empty()) out["error"] = job.error;
  return out;
}

HttpResponse ImportHandlers::GetImport(RequestContext& ctx) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(ctx.params["import"]);
  if (it == jobs_.end()) return ErrorResponse(404, "not_found", "import: no such import", "import");
  return JsonResponse(200, JobJson(*it->second));
}

HttpResponse ImportHandlers::ListImports(RequestContext&) {
  std::lock_guard lock(mutex_);
  std::vector<const Job*> jobs;
  for (const auto& [id, job] : jobs_) jobs.push_back(job.get());
  std::sort(jobs.begin(), jobs.end(),
            [](const Job* a, const Job* b) { return a->sequence > b->sequence; });
  json out = json::array();
  for (const Job* job : jobs) {
    json item = JobJson(*job);
    item.erase("report");  // the list is a summary; GET one for its report
    out.push_back(std::move(item));
  }
  return JsonResponse(200, json{{"imports", std::move(out)}});
}

}  // namespace cairn
