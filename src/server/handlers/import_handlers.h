// Roster imports: an administrator uploads a OneRoster set (a zip) and
// follows the import as it runs: reading the files, checking them against
// the roster, writing the changes (interop/oneroster). The report lists
// every problem with its file, line and column, and what would change or
// changed per entity.
//
// An import runs on its own thread; its writes go through the single writer
// in one job (all or nothing). Jobs live in memory: a restart forgets them
// (the changes themselves are durable, and the audit log keeps who imported
// what).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class ImportHandlers {
 public:
  explicit ImportHandlers(ApiServices& services) : services_(services) {}
  // Waits for running imports (their writes need the writer, which outlives
  // the handler groups).
  ~ImportHandlers();
  static std::vector<GroupRoute<ImportHandlers>> Routes();

  // What a client polls: {"id", "phase", "progress" (0 to 1), "dry_run",
  // "file", "started_at", "finished_at"?, "report"?, "error"?}.
  struct Job {
    std::string id;
    std::string phase = "queued";  // queued, reading, checking, writing, done, failed
    double progress = 0;
    bool dry_run = false;
    std::string file_name;
    Instant started_at = 0, finished_at = 0;
    Id started_by = 0;
    std::uint64_t sequence = 0;  // start order (started_at has whole seconds)
    nlohmann::json report;       // ReportJson, once checked
    std::string error;           // the set could not be read, or the store failed
  };

 private:
  HttpResponse StartOneRoster(RequestContext& ctx);
  HttpResponse GetImport(RequestContext& ctx);
  HttpResponse ListImports(RequestContext& ctx);

  void Run(std::shared_ptr<Job> job, std::string zip_path);
  void Update(const std::shared_ptr<Job>& job, const char* phase, double progress);
  nlohmann::json JobJson(const Job& job);

  ApiServices& services_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;  // guarded by mutex_
  std::vector<std::thread> threads_;                  // guarded by mutex_
  std::uint64_t started_ = 0;                         // guarded by mutex_
};

}  // namespace cairn
