// Change notifications between servers on one PostgreSQL database
// (store/pg_change_channel.h): which statements announce themselves, a
// committed write reaching a listener, a rolled-back one and the audit log
// not announced, and a listener whose connection is killed reconnecting.
#include "store/pg_change_channel.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "store/pg_store.h"
#include "testing/pg_cluster.h"

namespace cairn {
namespace {

using std::chrono::milliseconds;

TEST(PgStatementNotifies, WritesOthersCacheNotifyFrequentOnesDoNot) {
  EXPECT_TRUE(PgStatementNotifies("INSERT INTO ratings(student_id) VALUES ($1) RETURNING id"));
  EXPECT_TRUE(PgStatementNotifies("  insert into settings(key, value) VALUES ($1, $2)"));
  EXPECT_TRUE(PgStatementNotifies("DELETE FROM sessions WHERE token_hash = $1"));
  EXPECT_TRUE(PgStatementNotifies("UPDATE accounts SET disabled = $1 WHERE id = $2"));
  EXPECT_TRUE(PgStatementNotifies("WITH x AS (SELECT 1) UPDATE people SET role = $1"));
  EXPECT_FALSE(PgStatementNotifies("SELECT id FROM ratings WHERE id > $1"));
  EXPECT_FALSE(PgStatementNotifies("INSERT INTO sessions(token_hash) VALUES ($1)"));
  EXPECT_FALSE(PgStatementNotifies("INSERT INTO login_failures(username) VALUES ($1)"));
  EXPECT_FALSE(PgStatementNotifies("DELETE FROM login_failures WHERE id = $1"));
  EXPECT_FALSE(PgStatementNotifies("INSERT INTO login_addresses(username) VALUES ($1)"));
  EXPECT_FALSE(
      PgStatementNotifies("WITH entry AS (INSERT INTO audit_log(at) VALUES ($1)) "
                          "INSERT INTO audit_students(audit_id) SELECT 1"));
}

// Counts a listener's callbacks and lets a test wait for them.
class Recorder {
 public:
  void Changed() {
    std::lock_guard lock(mutex_);
    ++changes_;
    cv_.notify_all();
  }
  void Listening(bool on) {
    std::lock_guard lock(mutex_);
    on ? ++connects_ : ++losses_;
    cv_.notify_all();
  }
  int changes() {
    std::lock_guard lock(mutex_);
    return changes_;
  }
  // True when `done` holds within `timeout`.
  template <typename Pred>
  bool WaitFor(milliseconds timeout, Pred done) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return done(changes_, connects_, losses_); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int changes_ = 0, connects_ = 0, losses_ = 0;
};

class PgChangeListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto uri = testing::PgTestDatabase(&why);
    if (!uri) GTEST_SKIP() << why;
    uri_ = *uri;
    auto store = PgStore::Open(uri_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    PgChangeListener::Options options;
    options.min_backoff = milliseconds(10);
    listener_ = std::make_unique<PgChangeListener>(
        uri_, [this] { recorder_.Changed(); }, [this](bool on) { recorder_.Listening(on); },
        options);
    ASSERT_TRUE(recorder_.WaitFor(milliseconds(5000),
                                  [](int, int connects, int) { return connects == 1; }));
    ASSERT_TRUE(listener_->listening());
  }

  // Waits for the listener to report `n` changes in all.
  bool ChangesReach(int n, milliseconds timeout = milliseconds(5000)) {
    return recorder_.WaitFor(timeout, [n](int changes, int, int) { return changes >= n; });
  }

  std::string uri_;
  std::unique_ptr<PgStore> store_;
  Recorder recorder_;
  std::unique_ptr<PgChangeListener> listener_;
};

TEST_F(PgChangeListenerTest, CommittedWritesArriveRollbacksAndAuditDoNot) {
  const int at_start = recorder_.changes();                    // the one reported on connecting
  ASSERT_TRUE(store_->PutSetting("auto_award", "true").ok());  // outside a transaction
  ASSERT_TRUE(ChangesReach(at_start + 1));

  // Rolled back: PostgreSQL drops a NOTIFY of an aborted transaction.
  Status refused = store_->Transact([&]() -> Status {
    if (Status s = store_->PutSetting("auto_award", "false"); !s.ok()) return s;
    return Status::Invalid("changed my mind");
  });
  ASSERT_FALSE(refused.ok());
  // The audit log and throttling are written all the time and cached by no one.
  AuditEntry entry;
  entry.action = "read";
  entry.resource = "/api/v1/me";
  entry.request_id = "r1";
  ASSERT_TRUE(store_->AppendAudit(entry).ok());
  EXPECT_FALSE(ChangesReach(at_start + 2, milliseconds(300)));
  EXPECT_EQ(listener_->received(), 1u);

  // Committed in a transaction: one notice at COMMIT.
  ASSERT_TRUE(store_->Transact([&] { return store_->PutSetting("auto_award", "false"); }).ok());
  EXPECT_TRUE(ChangesReach(at_start + 2));
}

TEST_F(PgChangeListenerTest, ReconnectsAfterItsConnectionIsKilledAndReportsAChange) {
  const int before = recorder_.changes();  // read first: the reconnection may be quick
  PGconn* admin = PQconnectdb(uri_.c_str());
  ASSERT_EQ(PQstatus(admin), CONNECTION_OK);
  PGresult* killed =
      PQexec(admin,
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
             "WHERE application_name = 'cairn-listener' AND datname = current_database()");
  ASSERT_EQ(PQresultStatus(killed), PGRES_TUPLES_OK);
  EXPECT_EQ(PQntuples(killed), 1);
  PQclear(killed);
  PQfinish(admin);
  // Lost, then back: and, having maybe missed something, it says so.
  ASSERT_TRUE(recorder_.WaitFor(milliseconds(10000), [](int, int connects, int losses) {
    return losses >= 1 && connects >= 2;
  }));
  EXPECT_TRUE(ChangesReach(before + 1));
  EXPECT_TRUE(listener_->listening());
  // And it listens again.
  const int now = recorder_.changes();
  ASSERT_TRUE(store_->PutSetting("auto_award", "true").ok());
  EXPECT_TRUE(ChangesReach(now + 1));
}

}  // namespace
}  // namespace cairn
