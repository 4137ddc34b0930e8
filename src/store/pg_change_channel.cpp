#include "store/pg_change_channel.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <memory>

#include <libpq-fe.h>

namespace cairn {
namespace {

std::string_view SkipSpace(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  return text;
}

// The next word (letters, digits, underscores), upper-cased, and the rest.
std::string NextWord(std::string_view* text) {
  *text = SkipSpace(*text);
  std::string word;
  while (!text->empty() &&
         (std::isalnum(static_cast<unsigned char>(text->front())) || text->front() == '_')) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(text->front())));
    text->remove_prefix(1);
  }
  return word;
}

bool Contains(std::string_view text, std::string_view word) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper.find(word) != std::string::npos;
}

struct PgConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;

// Runs `sql` on the listen connection; false when it failed (the
// connection is then treated as lost).
bool ExecOk(PGconn* conn, const char* sql) {
  PGresult* result = PQexec(conn, sql);
  if (!result) return false;
  const ExecStatusType status = PQresultStatus(result);
  PQclear(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

bool PgStatementNotifies(std::string_view sql) {
  std::string_view rest = sql;
  const std::string verb = NextWord(&rest);
  if (verb == "WITH") {
    // A CTE that writes: the audit entry with its students is the only one.
    if (Contains(rest, "INSERT INTO AUDIT_LOG")) return false;
    return Contains(rest, "INSERT ") || Contains(rest, "UPDATE ") || Contains(rest, "DELETE ");
  }
  if (verb != "INSERT" && verb != "UPDATE" && verb != "DELETE") return false;
  if (verb != "UPDATE") NextWord(&rest);  // INTO / FROM
  const std::string table = NextWord(&rest);
  if (verb == "INSERT") {
    return table != "AUDIT_LOG" && table != "AUDIT_STUDENTS" && table != "SESSIONS" &&
           table != "LOGIN_FAILURES" && table != "LOGIN_ADDRESSES";
  }
  if (verb == "DELETE") return table != "LOGIN_FAILURES";
  return true;
}

PgChangeListener::PgChangeListener(std::string uri, std::function<void()> on_change,
                                   std::function<void(bool)> on_listening, Options options)
    : uri_(std::move(uri)),
      on_change_(std::move(on_change)),
      on_listening_(std::move(on_listening)),
      options_(options) {
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this] { Loop(); });
}

PgChangeListener::~PgChangeListener() {
  const std::uint64_t one = 1;
  if (stop_fd_ >= 0) (void)!write(stop_fd_, &one, sizeof one);
  thread_.join();
  if (stop_fd_ >= 0) close(stop_fd_);
}

bool PgChangeListener::WaitForStop(std::chrono::milliseconds timeout) {
  pollfd fd{stop_fd_, POLLIN, 0};
  return poll(&fd, 1, static_cast<int>(timeout.count())) > 0;
}

void PgChangeListener::SetListening(bool listening) {
  if (listening_.exchange(listening, std::memory_order_acq_rel) == listening) return;
  if (on_listening_) on_listening_(listening);
}

void PgChangeListener::Loop() {
  if (stop_fd_ < 0) return;  // no eventfd: stay off, callers poll
  std::chrono::milliseconds backoff = options_.min_backoff;
  const std::string listen = std::string("LISTEN ") + kPgChangeChannel;
  for (;;) {
    // connect_timeout bounds a connect to an unreachable host; the URI's
    // own parameters still apply (expand_dbname). The name shows the
    // connection in pg_stat_activity.
    const std::array<const char*, 4> keys{"dbname", "connect_timeout", "application_name", nullptr};
    const std::array<const char*, 4> values{uri_.c_str(), "5", kPgListenerName, nullptr};
    PgConn conn(PQconnectdbParams(keys.data(), values.data(), 1));
    if (conn && PQstatus(conn.get()) == CONNECTION_OK && ExecOk(conn.get(), listen.c_str())) {
      backoff = options_.min_backoff;
      // Whatever happened while not listening, reported before saying
      // "listening" so that whoever waits for the latter has seen it.
      if (on_change_) on_change_();
      SetListening(true);
      const int socket = PQsocket(conn.get());
      for (;;) {
        std::array<pollfd, 2> fds{pollfd{socket, POLLIN, 0}, pollfd{stop_fd_, POLLIN, 0}};
        const int ready =
            poll(fds.data(), fds.size(), static_cast<int>(options_.keepalive.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (fds[1].revents != 0) {
          listening_.store(false, std::memory_order_release);  // stopping: no callback
          return;
        }
        // Quiet for a while: a query proves the peer is still there (and
        // collects any notification that came with its answer).
        const bool alive =
            ready == 0 ? ExecOk(conn.get(), "SELECT 1") : PQconsumeInput(conn.get()) == 1;
        bool changed = false;
        while (PGnotify* notify = PQnotifies(conn.get())) {
          changed = true;
          PQfreemem(notify);
        }
        if (changed) {
          received_.fetch_add(1, std::memory_order_acq_rel);
          if (on_change_) on_change_();
        }
        if (!alive || PQstatus(conn.get()) != CONNECTION_OK) break;
      }
    }
    SetListening(false);
    conn.reset();
    if (WaitForStop(backoff)) return;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace cairn
