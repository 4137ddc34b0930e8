// Start-up issuance in the background (issue #12): batches in order, each
// student once, progress counted and logged as JSON lines, a failed batch
// logged and passed over, and a stop between batches.
#include "server/pending_issuance.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cairn {
namespace {

using nlohmann::json;

std::vector<Id> Students(int n) {
  std::vector<Id> ids;
  for (int i = 0; i < n; ++i) ids.push_back(100 + i);
  return ids;
}

std::vector<json> Lines(const std::string& log) {
  std::vector<json> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(json::parse(line, nullptr, false));
    EXPECT_TRUE(lines.back().is_object()) << line;
  }
  return lines;
}

TEST(PendingIssuanceTest, IssuesEveryStudentOnceInBatchesAndLogsTheEnd) {
  std::vector<std::vector<Id>> batches;
  std::ostringstream log;
  PendingIssuance::Options options;
  options.batch_students = 4;
  options.log_every = std::chrono::milliseconds(0);  // a line per batch
  options.log = &log;
  PendingIssuance issuance([] { return Result<std::vector<Id>>(Students(10)); },
                           [&](const std::vector<Id>& batch) -> Result<int> {
                             batches.push_back(batch);
                             return static_cast<int>(batch.size()) * 2;
                           },
                           options);
  issuance.Wait();
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0], (std::vector<Id>{100, 101, 102, 103}));
  EXPECT_EQ(batches[2], (std::vector<Id>{108, 109}));
  const IssuanceProgress p = issuance.Progress();
  EXPECT_EQ(p.state, IssuanceProgress::State::kDone);
  EXPECT_EQ(p.students_total, 10);
  EXPECT_EQ(p.students_done, 10);
  EXPECT_EQ(p.issued, 20);
  EXPECT_EQ(p.failed_batches, 0);
  std::vector<json> lines = Lines(log.str());
  ASSERT_EQ(lines.size(), 5u) << log.str();  // start, 3 batches, end
  EXPECT_EQ(lines[1]["students_done"], 4);
  EXPECT_EQ(lines[1]["issued"], 8);
  EXPECT_EQ(lines.back()["level"], "info");
  EXPECT_EQ(lines.back()["where"], "issuance");
  EXPECT_EQ(lines.back()["issued"], 20);
  EXPECT_EQ(lines.back()["students_done"], 10);
  EXPECT_EQ(lines.back()["students_total"], 10);
  EXPECT_TRUE(lines.back().contains("per_second"));
}

TEST(PendingIssuanceTest, AFailedBatchIsLoggedAndTheOthersStillRun) {
  std::ostringstream log;
  PendingIssuance::Options options;
  options.batch_students = 3;
  options.log = &log;
  int calls = 0;
  PendingIssuance issuance([] { return Result<std::vector<Id>>(Students(9)); },
                           [&](const std::vector<Id>& batch) -> Result<int> {
                             if (++calls == 2) return Status::Internal("disk full");
                             return static_cast<int>(batch.size());
                           },
                           options);
  issuance.Wait();
  EXPECT_EQ(calls, 3);
  const IssuanceProgress p = issuance.Progress();
  EXPECT_EQ(p.state, IssuanceProgress::State::kDone);
  EXPECT_EQ(p.issued, 6);
  EXPECT_EQ(p.students_done, 9);
  EXPECT_EQ(p.failed_batches, 1);
  EXPECT_NE(p.first_error.find("disk full"), std::string::npos);
  bool error_logged = false;
  for (const json& line : Lines(log.str())) {
    if (line["level"] == "error") {
      error_logged = true;
      EXPECT_NE(line["error"].get<std::string>().find("disk full"), std::string::npos);
    }
  }
  EXPECT_TRUE(error_logged) << log.str();
  EXPECT_EQ(Lines(log.str()).back()["failed_batches"], 1);
}

TEST(PendingIssuanceTest, AListingErrorEndsItWithTheError) {
  std::ostringstream log;
  PendingIssuance::Options options;
  options.log = &log;
  PendingIssuance issuance([] { return Result<std::vector<Id>>(Status::Unavailable("no db")); },
                           [](const std::vector<Id>&) -> Result<int> { return 0; }, options);
  issuance.Wait();
  EXPECT_EQ(issuance.Progress().state, IssuanceProgress::State::kDone);
  EXPECT_EQ(issuance.Progress().failed_batches, 1);
  EXPECT_EQ(Lines(log.str()).back()["level"], "error");
}

// The server answers while issuing: progress is readable mid-way, and a
// stop (the server shutting down) ends it after the batch in hand.
TEST(PendingIssuanceTest, ProgressIsVisibleMidwayAndAStopEndsAfterTheBatch) {
  std::mutex mutex;
  std::condition_variable changed;
  int calls = 0;
  bool release = false;
  PendingIssuance::Options options;
  options.batch_students = 10;
  PendingIssuance issuance([] { return Result<std::vector<Id>>(Students(100)); },
                           [&](const std::vector<Id>& batch) -> Result<int> {
                             std::unique_lock lock(mutex);
                             ++calls;
                             changed.notify_all();
                             changed.wait(lock, [&] { return release; });
                             return static_cast<int>(batch.size());
                           },
                           options);
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return calls == 1; });
  }
  IssuanceProgress p = issuance.Progress();
  EXPECT_EQ(p.state, IssuanceProgress::State::kRunning);
  EXPECT_EQ(p.students_total, 100);
  EXPECT_EQ(p.students_done, 0);
  issuance.Stop();
  {
    std::lock_guard lock(mutex);
    release = true;
    changed.notify_all();
  }
  issuance.Wait();
  EXPECT_EQ(calls, 1);
  p = issuance.Progress();
  EXPECT_EQ(p.state, IssuanceProgress::State::kStopped);
  EXPECT_EQ(p.students_done, 10);
  EXPECT_EQ(p.issued, 10);
}

}  // namespace
}  // namespace cairn
