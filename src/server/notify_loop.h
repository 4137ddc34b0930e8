// Runs the notification pipeline (notify/notifier.h) for a server: derive
// from new facts, email what is due, send the weekly digest. On a thread of
// its own every `every_ms` (0: no thread; RunOnce drives it, as tests do),
// with its own database connection, so requests never wait for SMTP.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "notify/mailer.h"
#include "notify/notifier.h"
#include "server/read_model.h"
#include "store/store.h"

namespace cairn {

class NotifyLoop {
 public:
  NotifyLoop(StoreFactory open_store, std::shared_ptr<Mailer> mailer, NotifierOptions options,
             Clock clock, ReadModel& model, int every_ms);
  // Finishes the round under way, then stops.
  ~NotifyLoop();
  NotifyLoop(const NotifyLoop&) = delete;
  NotifyLoop& operator=(const NotifyLoop&) = delete;

  struct Round {
    int derived = 0, emailed = 0, digests = 0;
  };
  // One round now, on the caller's thread (serialized with the loop's).
  // `force_digest`: send the digest now rather than weekly.
  Result<Round> RunOnce(bool force_digest);

 private:
  void Run();

  StoreFactory open_store_;
  std::shared_ptr<Mailer> mailer_;
  NotifierOptions options_;
  Clock clock_;
  ReadModel& model_;
  int every_ms_;
  std::mutex round_mu_;  // one round at a time; guards store_ and notifier_
  std::unique_ptr<Store> store_;
  std::unique_ptr<Notifier> notifier_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cairn
