// What every handler group shares, and nothing about routing or access:
// this thread's database connection, the read model, the single writer,
// the audit sink, the portfolio blob store and the issuer's keys.
//
// Thread-safe. Owned by Api; handler groups hold a reference.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/time.h"
#include "credentials/credential_issuer.h"
#include "credentials/key_vault.h"
#include "server/audit_sink.h"
#include "server/group_commit.h"
#include "server/http_types.h"
#include "server/notify_loop.h"
#include "server/pending_issuance.h"
#include "server/read_model.h"
#include "server/request_context.h"
#include "service/cairn_service.h"
#include "store/pg_change_channel.h"
#include "store/store.h"

namespace cairn {

class BlobStore;

struct ApiOptions {
  std::string db_path;
  std::string web_root;    // built web app (index.html, assets/); empty: none
  std::string files_dir;   // portfolio files; empty: "<db_path>-files"
  std::string public_url;  // where verifiers reach this server; empty: http://localhost
  // Development: credentials are issued under any public URL. Off (what
  // `cairn serve` uses without --dev), none are issued under an http: or
  // loopback URL (credentials/public_url_policy.h). On by default for tests
  // and embedders that build ApiOptions themselves.
  bool dev = true;
  bool secure_cookies = false;  // set when served behind TLS
  int session_hours = 12;
  int login_failures_allowed = 5;  // per username per 15 minutes
  // Opens a database connection; empty: SQLite at db_path. (Tests pass a
  // decorator that injects faults.)
  StoreFactory open_store;
  Clock clock = SystemClock();
  // Notifications: emails go through `mailer` (none: kept for the in-app
  // feed only), from `mail_from`; the pipeline runs every `notify_every_ms`
  // (0: only when asked, NotifyLoop::RunOnce).
  std::shared_ptr<Mailer> mailer;
  std::string mail_from = "cairn@localhost";
  int notify_every_ms = 0;
  // Counts Ed25519 signatures (credentials, status lists); tests only.
  std::atomic<std::int64_t>* signatures = nullptr;
};

class ApiServices {
 public:
  // Fills the options' defaults (files_dir, open_store, public_url without
  // a trailing slash) and starts the writer and the audit sink.
  explicit ApiServices(ApiOptions options);
  // Runs what is queued for the writer, then writes buffered audit entries.
  ~ApiServices();
  ApiServices(const ApiServices&) = delete;
  ApiServices& operator=(const ApiServices&) = delete;

  const ApiOptions& options() const { return options_; }
  Instant Now() const { return options_.clock(); }
  // This thread's connection (SQLite connections are not shared).
  CairnService& Service();
  ReadModel& model() { return model_; }
  NotifyLoop& notifications() { return *notify_; }

  // Every change goes to the single writer (server/group_commit.h); the
  // response is pending until its group commit.
  HttpResponse Write(std::function<HttpResponse(CairnService&)> job);
  // Blocks until a (pending) response is complete: only on the pool.
  static HttpResponse WaitFor(HttpResponse response);

  // Queues an audit entry; written off the request path (AuditSink).
  void Audit(AuditEntry entry);
  // A refusal (401, 403, 404 for hidden work, 429), with its reason and the
  // caller's address.
  void AuditRefusal(const RequestContext& ctx, const HttpResponse& response,
                    const std::string& why);
  void FlushAudit();

  const BlobStore& Blobs();
  const KeyVault& Vault();
  CredentialIssuer Issuer(Store& store);
  // Why credentials are not issued now (empty: they are), for /healthz and
  // the admin.
  const std::string& IssuanceBlocked() const { return issuance_blocked_; }
  // Issues credentials for the student's newly confirmed awards; called in
  // the same write job (transaction) as anything that may confirm one.
  Status IssuePending(CairnService& service, const ReadState& state, Id student);
  // Every confirmed award without a credential (confirmed by the CLI or the
  // demo generator), in batches (IssuePendingBatch); returns when done.
  Result<int> IssueAllPending();
  // The same on a thread of its own, progress logged to `log` (may be null):
  // the server calls it at start, once listening. A second call while one
  // runs does nothing.
  void StartIssuingPending(std::ostream* log);
  IssuanceProgress IssuanceStatus() const;
  // One writer job: the students' missing credentials, signed on every core.
  Result<int> IssuePendingBatch(const std::vector<Id>& students);

  // One JSON line on stderr with the request id, so a 500 can be traced.
  static void LogServerError(const std::string& request_id, const std::string& route,
                             const std::string& what);

 private:
  ApiOptions options_;
  std::string issuance_blocked_;
  std::uint64_t serial_ = 0;
  std::once_flag blobs_once_;
  std::unique_ptr<BlobStore> blobs_;
  std::once_flag vault_once_;
  std::unique_ptr<KeyVault> vault_;
  ReadModel model_;
  std::unique_ptr<AuditSink> audit_;
  std::unique_ptr<GroupCommit> writer_;
  std::unique_ptr<NotifyLoop> notify_;  // reads model_: stopped first
  // PostgreSQL: other servers' writes, announced (store/pg_change_channel.h).
  std::unique_ptr<PgChangeListener> changes_;
  StatusListCache status_lists_;
  mutable std::mutex issuance_mutex_;
  std::unique_ptr<PendingIssuance> issuance_;  // submits to writer_
};

}  // namespace cairn
