// The single writer. Every change is a job run on one thread; the jobs
// queued meanwhile commit in one transaction (one fsync for many requests),
// each in its own savepoint, so a refused job (a response >= 400) leaves no
// trace and the others still commit. A job's response is pending until its
// batch is durable; when the commit fails, nothing of the batch is, and
// every job of it answers 503.
//
// Thread-safe. Destruction runs what is queued, then stops.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "server/http_types.h"
#include "service/cairn_service.h"
#include "store/store.h"

namespace cairn {

class GroupCommit {
 public:
  using Job = std::function<HttpResponse(CairnService&)>;
  // `after_commit` runs on the writer thread after each committed batch,
  // with the writer's store (the read model catches up from it).
  GroupCommit(StoreFactory open_store, Clock clock, std::function<void(Store&)> after_commit);
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Queues `job`; the returned response is pending until it is decided.
  HttpResponse Submit(Job job);

 private:
  struct Queued {
    Job job;
    std::shared_ptr<PendingResponse> done = std::make_shared<PendingResponse>();
  };
  void Loop();
  // Opens the writer's service and builds its live index (once).
  Status Open();
  void RunBatch(std::vector<Queued>& batch);

  StoreFactory open_store_;
  Clock clock_;
  std::function<void(Store&)> after_commit_;
  std::unique_ptr<CairnService> service_;  // the writer thread's own
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Queued> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cairn
