#include "server/audit_sink.h"

#include <chrono>
#include <iostream>

namespace cairn {

AuditSink::AuditSink(StoreFactory open_store) : open_store_(std::move(open_store)) {
  thread_ = std::thread([this] { Loop(); });
}

AuditSink::~AuditSink() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  Flush();
}

void AuditSink::Append(AuditEntry entry) {
  std::lock_guard lock(mutex_);
  if (buffer_.size() >= kMaxBuffered) {
    std::cerr << "audit log: buffer full, entry dropped: " << entry.resource << "\n";
    return;
  }
  buffer_.push_back(std::move(entry));
}

void AuditSink::Loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(50));
    lock.unlock();
    Flush();
    // Most of the log's copying back, off the writer's path.
    {
      std::lock_guard store_lock(store_mutex_);
      if (OpenStore()) {
        if (Status s = store_->Checkpoint(); !s.ok()) {
          std::cerr << "checkpoint: " << s.ToString() << "\n";
        }
      }
    }
    lock.lock();
  }
}

bool AuditSink::OpenStore() {
  if (store_) return true;
  auto store = open_store_();
  if (!store.ok()) {
    std::cerr << "background connection: " << store.status().ToString() << "\n";
    return false;
  }
  store_ = std::move(store).value();
  return true;
}

void AuditSink::Flush() {
  std::vector<AuditEntry> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(buffer_);
  }
  if (batch.empty()) return;
  std::lock_guard lock(store_mutex_);
  if (!OpenStore()) return;
  // One transaction (one fsync) for the whole batch.
  Status status = store_->Transact([&] { return store_->AppendAudit(batch); });
  if (!status.ok()) std::cerr << "audit log: " << status.ToString() << "\n";
}

}  // namespace cairn
