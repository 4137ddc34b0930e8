#include "server/group_commit.h"

#include <iostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace cairn {

namespace {

HttpResponse Error(int status, const char* code, const std::string& message) {
  HttpResponse response;
  response.status = status;
  response.body = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace

GroupCommit::GroupCommit(StoreFactory open_store, Clock clock,
                         std::function<void(Store&)> after_commit)
    : open_store_(std::move(open_store)),
      clock_(std::move(clock)),
      after_commit_(std::move(after_commit)) {
  thread_ = std::thread([this] { Loop(); });
}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();  // runs what is queued first
}

HttpResponse GroupCommit::Submit(Job job) {
  Queued item{std::move(job)};
  HttpResponse response;
  response.pending = item.done;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(item));
  }
  wake_.notify_one();
  return response;
}

Status GroupCommit::Open() {
  if (service_) return Status::Ok();
  CAIRN_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, open_store_());
  // The background thread checkpoints every 50 ms without blocking
  // anyone; the writer's own (rare) checkpoint then finds little left
  // to copy, and lets the log start over.
  CAIRN_RETURN_IF_ERROR(store->SetCheckpointPages(10000));
  CAIRN_ASSIGN_OR_RETURN(service_, CairnService::Open(std::move(store), clock_));
  service_->KeepLiveIndex();
  return service_->WarmLiveIndex();
}

void GroupCommit::Loop() {
  // Ready before the first request rather than during it; a failure here
  // is retried by the first batch, which answers with it.
  if (Status opened = Open(); !opened.ok()) {
    std::cerr << "{\"level\":\"error\",\"where\":\"writer\",\"error\":"
              << nlohmann::json(opened.ToString()).dump() << "}\n";
  }
  for (;;) {
    std::vector<Queued> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      batch.swap(queue_);
    }
    RunBatch(batch);
  }
}

void GroupCommit::RunBatch(std::vector<Queued>& batch) {
  std::vector<HttpResponse> responses(batch.size());
  Status committed;
  try {
    if (Status opened = Open(); !opened.ok()) throw std::runtime_error(opened.ToString());
    CairnService& service = *service_;
    if (Status s = service.Refresh(); !s.ok()) throw std::runtime_error(s.ToString());
    committed = service.store().Transact([&]() -> Status {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        // Each request in its own savepoint: a refused one leaves no trace.
        const ChangeMarks before = service.LiveIndexApplied();
        Status saved = service.store().Transact([&]() -> Status {
          try {
            responses[i] = batch[i].job(service);
          } catch (const std::exception& e) {
            std::cerr << "{\"level\":\"error\",\"where\":\"writer\",\"error\":"
                      << nlohmann::json(e.what()).dump() << "}\n";
            responses[i] = Error(500, "internal", "internal error");
          }
          return responses[i].status < 400 ? Status::Ok() : Status::Invalid("refused");
        });
        // The savepoint did not hold although the job answered success (a
        // statement failed and its error was dropped: PostgreSQL then rolls
        // the savepoint back; or the savepoint could not be taken or
        // released): nothing of it is saved, so it must not be acknowledged.
        if (!saved.ok() && responses[i].status < 400) {
          std::cerr << "{\"level\":\"error\",\"where\":\"writer\",\"error\":"
                    << nlohmann::json(saved.ToString()).dump() << "}\n";
          responses[i] = saved.code() == StatusCode::kUnavailable
                             ? Error(503, "unavailable", "the change could not be saved; try again")
                             : Error(500, "internal", "internal error");
        }
        // Rolled back after the index saw its writes: the index is ahead.
        if (responses[i].status >= 400 && !(service.LiveIndexApplied() == before)) {
          service.DropLiveIndex();
        }
      }
      return Status::Ok();
    });
  } catch (const std::exception& e) {
    committed = Status::Internal(e.what());
  }
  if (committed.ok()) {
    if (after_commit_) after_commit_(service_->store());
  } else {
    if (service_) service_->DropLiveIndex();
    // Nothing of the batch is durable: acknowledge none of it.
    std::cerr << "write batch failed: " << committed.ToString() << "\n";
    for (HttpResponse& r : responses) {
      r = Error(503, "unavailable", "the change could not be saved; try again");
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done->Complete(std::move(responses[i]));
}

}  // namespace cairn
