// Issues the credentials of awards confirmed outside the server (the command
// line, the demo generator) while the server already answers: the students
// go in batches, each one job of the single writer, so a batch's credentials
// are visible once it commits and other writes take turns between batches.
// Progress goes to a log as JSON lines every few seconds, and a last line at
// the end. A failed batch is logged and skipped: its students keep their
// awards and get their credentials at the next start (or their next award).
//
// Thread-safe. Destruction stops after the batch in hand.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "roster/roster.h"

namespace cairn {

struct IssuanceProgress {
  enum class State { kNotStarted, kListing, kRunning, kDone, kStopped };
  State state = State::kNotStarted;
  std::int64_t students_total = 0;
  std::int64_t students_done = 0;
  std::int64_t issued = 0;
  std::int64_t failed_batches = 0;
  std::string first_error;  // of the first failed batch (or of the listing)
  double seconds = 0;       // since the start
};

const char* IssuanceStateName(IssuanceProgress::State state);

class PendingIssuance {
 public:
  // The students to look at; runs on the issuing thread.
  using ListStudents = std::function<Result<std::vector<Id>>()>;
  // Issues what the students lack in one transaction; returns how many.
  using IssueBatch = std::function<Result<int>(const std::vector<Id>& students)>;
  struct Options {
    int batch_students = 250;
    std::chrono::milliseconds log_every{3000};
    std::ostream* log = nullptr;  // none: silent
  };

  // Starts at once on its own thread.
  PendingIssuance(ListStudents list, IssueBatch issue, Options options);
  ~PendingIssuance();
  PendingIssuance(const PendingIssuance&) = delete;
  PendingIssuance& operator=(const PendingIssuance&) = delete;

  IssuanceProgress Progress() const;
  // Asks it to stop after the batch in hand (the rest wait for the next start).
  void Stop() { stop_ = true; }
  // Blocks until every batch ran, or it stopped, or the listing failed.
  void Wait();

 private:
  void Run();
  void Log(const char* level, const std::string& message, const IssuanceProgress& p,
           const std::string& error = {}) const;

  ListStudents list_;
  IssueBatch issue_;
  Options options_;
  std::chrono::steady_clock::time_point started_;
  mutable std::mutex mutex_;
  IssuanceProgress progress_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cairn
