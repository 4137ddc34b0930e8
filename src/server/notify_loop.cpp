#include "server/notify_loop.h"

#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

namespace cairn {

NotifyLoop::NotifyLoop(StoreFactory open_store, std::shared_ptr<Mailer> mailer,
                       NotifierOptions options, Clock clock, ReadModel& model, int every_ms)
    : open_store_(std::move(open_store)),
      mailer_(std::move(mailer)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      model_(model),
      every_ms_(every_ms) {
  if (every_ms_ > 0) thread_ = std::thread([this] { Run(); });
}

NotifyLoop::~NotifyLoop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<NotifyLoop::Round> NotifyLoop::RunOnce(bool force_digest) {
  std::lock_guard<std::mutex> lock(round_mu_);
  if (!store_) {
    CAIRN_ASSIGN_OR_RETURN(store_, open_store_());
    notifier_ = std::make_unique<Notifier>(*store_, mailer_.get(), options_, clock_);
  }
  // The roster and catalog as of now (the first round may come before any
  // request has loaded them).
  CAIRN_RETURN_IF_ERROR(model_.RefreshIfStale(*store_));
  auto [catalog, roster] = model_.WithSnapshot(
      [](const ReadSnapshot& s) { return std::make_pair(s.catalog, s.roster); });
  Round round;
  if (!catalog || !roster) return round;
  CAIRN_ASSIGN_OR_RETURN(round.derived, notifier_->Collect(*roster, *catalog));
  CAIRN_ASSIGN_OR_RETURN(round.emailed, notifier_->SendDue(*roster));
  CAIRN_ASSIGN_OR_RETURN(round.digests, notifier_->SendDigests(*roster, force_digest));
  return round;
}

void NotifyLoop::Run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, std::chrono::milliseconds(every_ms_), [this] { return stop_; });
      if (stop_) return;
    }
    auto round = RunOnce(false);
    if (!round.ok()) {
      // The next round tries again; the facts are still there.
      std::cerr << nlohmann::json{{"level", "warning"},
                                  {"where", "notifications"},
                                  {"message", round.status().message()}}
                       .dump()
                << "\n";
      std::lock_guard<std::mutex> lock(round_mu_);
      notifier_.reset();
      store_.reset();
    }
  }
}

}  // namespace cairn
