// How several servers on one PostgreSQL database learn about each other's
// writes (issue #12). Every PgStore write that can change what a read model
// or a sign-in cache holds sends NOTIFY on kPgChangeChannel, inside its
// transaction, so PostgreSQL delivers it at COMMIT and never for a rollback.
// A PgChangeListener holds one dedicated connection LISTENing on it and
// calls back when something changed; what changed is read from the store
// (Store::Marks), so notifications carry no payload and may be merged.
//
// Notifications are a shortcut, not the source of truth: a listener that
// loses its connection says so (on_listening(false)), reconnects with
// backoff and, once listening again, reports a change because it may have
// missed some. Callers keep a slower poll of Store::Marks as the fallback
// for writers that do not notify (another tool, manual SQL).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace cairn {

inline constexpr const char* kPgChangeChannel = "cairn_changes";
// The listen connection's application_name (pg_stat_activity).
inline constexpr const char* kPgListenerName = "cairn-listener";

// Whether a statement PgStore runs should notify: every INSERT, UPDATE or
// DELETE (or a WITH that writes), except the frequent writes no cache
// follows (the audit log, sign-in throttling, new sessions: a session that
// did not exist was never cached). Unknown writes notify: a needless
// notice costs one cheap query per server, a missing one a stale cache.
bool PgStatementNotifies(std::string_view sql);

// One LISTEN connection and the thread that waits on it.
//
// Thread-safety: the callbacks run on the listener's own thread, one at a
// time; they must be quick and must not destroy the listener. listening()
// may be read from any thread. Destruction stops the thread promptly (it
// waits on an eventfd beside the socket) and joins it.
class PgChangeListener {
 public:
  struct Options {
    std::chrono::milliseconds min_backoff{50};  // first retry after a lost connection
    std::chrono::milliseconds max_backoff{5000};
    // With no traffic for this long the connection is checked with a query,
    // so a silently dead peer is noticed.
    std::chrono::milliseconds keepalive{5000};
  };
  // `uri` is a postgres:// URI. `on_change` runs for every batch of
  // notifications and after each (re)connection; `on_listening` runs with
  // true once LISTEN is in force and false when the connection is lost (not
  // when the listener is destroyed).
  PgChangeListener(std::string uri, std::function<void()> on_change,
                   std::function<void(bool)> on_listening, Options options);
  PgChangeListener(std::string uri, std::function<void()> on_change,
                   std::function<void(bool)> on_listening)
      : PgChangeListener(std::move(uri), std::move(on_change), std::move(on_listening), Options{}) {
  }
  ~PgChangeListener();
  PgChangeListener(const PgChangeListener&) = delete;
  PgChangeListener& operator=(const PgChangeListener&) = delete;

  bool listening() const { return listening_.load(std::memory_order_acquire); }
  // Notification batches received so far (for tests and logs).
  std::uint64_t received() const { return received_.load(std::memory_order_acquire); }

 private:
  void Loop();
  // Waits up to `timeout` for the stop signal; true when stopping.
  bool WaitForStop(std::chrono::milliseconds timeout);
  void SetListening(bool listening);

  std::string uri_;
  std::function<void()> on_change_;
  std::function<void(bool)> on_listening_;
  Options options_;
  int stop_fd_ = -1;  // eventfd, readable once the destructor runs
  std::atomic<bool> listening_{false};
  std::atomic<std::uint64_t> received_{0};
  std::thread thread_;
};

}  // namespace cairn
