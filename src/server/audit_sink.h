// The audit log's writer, off the request path. Entries are buffered and
// written every 50 ms, a batch in one transaction, by a background thread
// with its own connection; the same thread runs the passive WAL checkpoint
// that keeps the single writer's commits short.
//
// Thread-safe. Destruction stops the thread and writes what is buffered.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.h"

namespace cairn {

class AuditSink {
 public:
  explicit AuditSink(StoreFactory open_store);
  ~AuditSink();
  AuditSink(const AuditSink&) = delete;
  AuditSink& operator=(const AuditSink&) = delete;

  // Queues an entry. Bounded: with the database unreachable for long, a
  // flood of refusals must not exhaust memory (dropped entries are logged).
  void Append(AuditEntry entry);
  // Writes what is queued now.
  void Flush();

  static constexpr std::size_t kMaxBuffered = 100000;

 private:
  void Loop();
  bool OpenStore();  // store_mutex_ held

  StoreFactory open_store_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<AuditEntry> buffer_;
  bool stop_ = false;
  std::mutex store_mutex_;
  std::unique_ptr<Store> store_;
  std::thread thread_;
};

}  // namespace cairn
