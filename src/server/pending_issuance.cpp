#include "server/pending_issuance.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace cairn {

const char* IssuanceStateName(IssuanceProgress::State state) {
  switch (state) {
    case IssuanceProgress::State::kNotStarted:
      return "not_started";
    case IssuanceProgress::State::kListing:
      return "listing";
    case IssuanceProgress::State::kRunning:
      return "running";
    case IssuanceProgress::State::kDone:
      return "done";
    case IssuanceProgress::State::kStopped:
      return "stopped";
  }
  return "unknown";
}

PendingIssuance::PendingIssuance(ListStudents list, IssueBatch issue, Options options)
    : list_(std::move(list)),
      issue_(std::move(issue)),
      options_(options),
      started_(std::chrono::steady_clock::now()) {
  options_.batch_students = std::max(1, options_.batch_students);
  thread_ = std::thread([this] { Run(); });
}

PendingIssuance::~PendingIssuance() {
  Stop();
  Wait();
}

void PendingIssuance::Wait() {
  if (thread_.joinable()) thread_.join();
}

IssuanceProgress PendingIssuance::Progress() const {
  std::lock_guard lock(mutex_);
  IssuanceProgress p = progress_;
  if (p.state == IssuanceProgress::State::kListing ||
      p.state == IssuanceProgress::State::kRunning) {
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }
  return p;
}

void PendingIssuance::Log(const char* level, const std::string& message, const IssuanceProgress& p,
                          const std::string& error) const {
  if (!options_.log) return;
  nlohmann::json line{
      {"level", level},
      {"where", "issuance"},
      {"message", message},
      {"issued", p.issued},
      {"students_done", p.students_done},
      {"students_total", p.students_total},
      {"seconds", std::round(p.seconds * 10) / 10},
      {"per_second", p.seconds > 0 ? std::round(static_cast<double>(p.issued) / p.seconds) : 0.0}};
  if (p.failed_batches > 0) line["failed_batches"] = p.failed_batches;
  if (!error.empty()) line["error"] = error;
  // One write per line, so lines of other threads do not interleave.
  *options_.log << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"
                << std::flush;
}

void PendingIssuance::Run() {
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  };
  auto update = [&](auto&& change) {
    std::lock_guard lock(mutex_);
    change(progress_);
    progress_.seconds = elapsed();
    return progress_;
  };
  update([](IssuanceProgress& q) { q.state = IssuanceProgress::State::kListing; });
  Result<std::vector<Id>> students = list_();
  if (!students.ok()) {
    IssuanceProgress p = update([&](IssuanceProgress& q) {
      q.state = IssuanceProgress::State::kDone;
      q.failed_batches = 1;
      q.first_error = students.status().ToString();
    });
    Log("error", "could not list the students to issue credentials for", p, p.first_error);
    return;
  }
  IssuanceProgress p = update([&](IssuanceProgress& q) {
    q.state = IssuanceProgress::State::kRunning;
    q.students_total = static_cast<std::int64_t>(students->size());
  });
  Log("info", "issuing credentials for awards confirmed outside the server", p);
  auto last_log = std::chrono::steady_clock::now();
  const std::size_t step = static_cast<std::size_t>(options_.batch_students);
  for (std::size_t from = 0; from < students->size(); from += step) {
    if (stop_) {
      p = update([](IssuanceProgress& q) { q.state = IssuanceProgress::State::kStopped; });
      Log("warning", "stopped issuing credentials; the rest are issued at the next start", p);
      return;
    }
    const std::vector<Id> batch(
        students->begin() + static_cast<std::ptrdiff_t>(from),
        students->begin() + static_cast<std::ptrdiff_t>(std::min(from + step, students->size())));
    Result<int> issued = issue_(batch);
    p = update([&](IssuanceProgress& q) {
      q.students_done += static_cast<std::int64_t>(batch.size());
      if (issued.ok()) {
        q.issued += *issued;
      } else if (q.failed_batches++ == 0) {
        q.first_error = issued.status().ToString();
      }
    });
    if (!issued.ok()) {
      Log("error",
          "a batch of " + std::to_string(batch.size()) +
              " students failed; their credentials are issued at the next start",
          p, issued.status().ToString());
    }
    if (std::chrono::steady_clock::now() - last_log >= options_.log_every) {
      last_log = std::chrono::steady_clock::now();
      Log("info", "issuing credentials", p);
    }
  }
  p = update([](IssuanceProgress& q) { q.state = IssuanceProgress::State::kDone; });
  Log(p.failed_batches ? "warning" : "info",
      "issued credentials for awards confirmed outside the server", p);
}

}  // namespace cairn
