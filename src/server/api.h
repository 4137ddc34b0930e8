// The REST API under /api/v1 (documented in openapi.json, served at
// /api/openapi.json), the health check and the web app's static files.
//
// Handle() is a plain function from request to response: tests drive it
// without sockets. Every route is declared once in Routes() with its access
// rule; the API authenticates, applies the rule (server/policy.h), checks the
// CSRF token on state-changing browser requests, writes the audit log for
// student records, and only then runs the handler.
//
// Thread-safe: each thread gets its own database connection; the read model
// is shared.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "credentials/credential_issuer.h"
#include "credentials/verifier.h"
#include "server/audit_sink.h"
#include "server/authenticator.h"
#include "server/group_commit.h"
#include "server/http_types.h"
#include "server/policy.h"
#include "server/read_model.h"
#include "server/static_files.h"
#include "server/subjects.h"
#include "service/accounts.h"
#include "service/cairn_service.h"

namespace cairn {

class BlobStore;

struct ApiOptions {
  std::string db_path;
  std::string web_root;         // built web app (index.html, assets/); empty: none
  std::string files_dir;        // portfolio files; empty: "<db_path>-files"
  std::string public_url;       // where verifiers reach this server; empty: http://localhost
  bool secure_cookies = false;  // set when served behind TLS
  int session_hours = 12;
  int login_failures_allowed = 5;  // per username per 15 minutes
  // Opens a database connection; empty: SQLite at db_path. (Tests pass a
  // decorator that injects faults.)
  StoreFactory open_store;
  Clock clock = SystemClock();
};

// Where a route's handler runs when served (Api::Handle with a Responder).
enum class Work {
  kByMethod,  // GET and HEAD like kQuick, other methods like kSlow
  kQuick,     // on the I/O thread: memory, a few indexed reads, or a queued write
  kSlow,      // on the API's pool: password hashing, files, rendering, signing
};

// What a route's request body is, so the API checks its content type and
// parses it (with depth and size limits) before anything else runs.
enum class BodyKind {
  kJson,     // application/json, parsed into Context::body (GET: ignored)
  kCatalog,  // application/json read by the catalog reader (errors with JSON paths)
  kUpload,   // multipart/form-data, streamed or spooled by the server
  kAny,      // verification: JSON, a JWT or an image, read by the verifier
};

struct RouteInfo {
  const char* method;
  const char* pattern;  // "/api/v1/students/{student}/progress"
  AccessRule rule;
  // Written to the audit log: reads or changes a student's record, or an
  // administrator's action on accounts, tokens, keys, settings or the
  // catalog. (Refusals, 401 and 403, are logged on every route.)
  bool audited;
  Work work = Work::kByMethod;
  BodyKind body = BodyKind::kJson;
  Owner owner = Owner::kPath;  // whose record the access rule is decided on
};

class Api {
 public:
  explicit Api(ApiOptions options);
  ~Api();

  // For the server: called on an I/O thread, never blocks. Quick routes are
  // answered here, slow ones on the API's pool, and changes by the writer
  // thread after their group commit.
  void Handle(HttpRequest request, Responder respond);
  // The same, waiting for the answer (tests, tools).
  HttpResponse Handle(const HttpRequest& request);
  // For the server: a sink that takes an upload's body as it arrives (the
  // portfolio upload route), or null for an ordinary request.
  std::shared_ptr<BodySink> StreamBody(const HttpRequest& head);
  static const std::vector<RouteInfo>& Routes();
  // Issues the credentials of confirmed awards that have none yet (awards
  // confirmed by the CLI or the demo generator); the server calls it at start.
  Result<int> IssueAllPendingCredentials();
  // Writes buffered audit entries now (they are otherwise written in
  // batches every 50 ms, off the request path).
  void FlushAudit();

 private:
  struct Context;
  struct Route;
  struct Match;
  struct Pool;
  static std::vector<Route> MakeRoutes();
  static Match MatchRoute(const HttpRequest& request);
  // Authenticates, authorizes, runs the handler and audits; the response
  // may be pending (a queued change).
  HttpResponse Answer(const HttpRequest& request, const Match& match);
  HttpResponse Decide(const HttpRequest& request, const Match& match);
  // A refusal (401, 403, 404 for hidden work), audited with its reason.
  HttpResponse Refuse(const HttpRequest& request, Context& ctx, int status,
                      const std::string& message);
  void AuditRefusal(const HttpRequest& request, const Context& ctx, const HttpResponse& response,
                    const std::string& why);
  // One JSON line on stderr with the request id, so a 500 can be traced.
  static void LogHandlerError(const HttpRequest& request, const std::string& what);
  static void LogServerError(const std::string& request_id, const std::string& route,
                             const std::string& what);
  static constexpr std::size_t kMaxJsonBody = 1u << 20;
  static constexpr std::size_t kMaxCatalogBody = 8u << 20;
  CairnService& Service();
  // The signed-in person, from `roster` (the request's snapshot), or none.
  std::optional<Principal> Authenticate(const HttpRequest& request, const Roster& roster,
                                        std::int64_t access_mark, std::string* csrf);
  // Queues an audit entry; written off the request path (AuditSink).
  void Audit(AuditEntry entry);

  // Handlers, one per route.
  HttpResponse Health(Context& ctx);
  HttpResponse OpenApi(Context& ctx);
  HttpResponse Login(Context& ctx);
  HttpResponse Logout(Context& ctx);
  HttpResponse Me(Context& ctx);
  HttpResponse GetCatalog(Context& ctx);
  HttpResponse PutCatalog(Context& ctx);
  HttpResponse GetBadge(Context& ctx);
  HttpResponse ListSections(Context& ctx);
  HttpResponse SectionStudents(Context& ctx);
  HttpResponse SectionGrid(Context& ctx);
  HttpResponse GetStudent(Context& ctx);
  HttpResponse StudentProgress(Context& ctx);
  HttpResponse StudentEvidence(Context& ctx);
  HttpResponse StudentExplanation(Context& ctx);
  HttpResponse PostRating(Context& ctx);
  HttpResponse VoidRating(Context& ctx);
  HttpResponse PostHabit(Context& ctx);
  HttpResponse PostAward(Context& ctx);
  HttpResponse PendingAwards(Context& ctx);
  HttpResponse TrackingSheet(Context& ctx);
  HttpResponse Completion(Context& ctx);
  HttpResponse GetSettings(Context& ctx);
  HttpResponse PutSettings(Context& ctx);
  HttpResponse ListUsers(Context& ctx);
  HttpResponse CreateUser(Context& ctx);
  HttpResponse ResetPassword(Context& ctx);
  HttpResponse SetUserRole(Context& ctx);
  HttpResponse ListTokens(Context& ctx);
  HttpResponse CreateToken(Context& ctx);
  HttpResponse RevokeToken(Context& ctx);
  HttpResponse GetAudit(Context& ctx);

  // Portfolio (api_portfolio.cpp).
  HttpResponse ListSubmissions(Context& ctx);
  HttpResponse CreateSubmission(Context& ctx);
  HttpResponse GetSubmission(Context& ctx);
  HttpResponse AddSubmissionVersion(Context& ctx);
  HttpResponse SubmissionAction(Context& ctx);
  HttpResponse SubmissionRatings(Context& ctx);
  HttpResponse CompareVersions(Context& ctx);
  HttpResponse ReviewQueue(Context& ctx);
  HttpResponse ListExemplars(Context& ctx);
  nlohmann::json SubmissionJson(const ReadState& state, Store& store,
                                const SubmissionRecord& record, bool anonymous);
  Result<SubmissionRecord> LoadVisibleSubmission(Context& ctx, const ReadState& state);

  // Files (api_files.cpp).
  HttpResponse UploadArtifacts(Context& ctx);
  HttpResponse GetArtifact(Context& ctx);
  HttpResponse ArtifactPreview(Context& ctx);
  HttpResponse ArtifactPages(Context& ctx);
  HttpResponse ExportPortfolio(Context& ctx);
  const BlobStore& Blobs();
  bool MaySeeArtifact(const Context& ctx, const Artifact& artifact);
  Result<Artifact> ArtifactOf(const Context& ctx);
  HttpResponse FileResponse(const Artifact& artifact);
  HttpResponse PreviewResponse(const Artifact& artifact,
                               const std::map<std::string, std::string>& query);

  // Calibration and the staff directory (api_calibration.cpp).
  HttpResponse ListCalibrations(Context& ctx);
  HttpResponse CreateCalibration(Context& ctx);
  HttpResponse GetCalibration(Context& ctx);
  HttpResponse CalibrationEventRoute(Context& ctx);
  HttpResponse CalibrationArtifact(Context& ctx);
  HttpResponse ListStaff(Context& ctx);
  bool MayOpenCalibration(const Principal& who, const CalibrationSession& session);
  Result<CalibrationRecord> CalibrationOf(const Context& ctx);
  nlohmann::json CalibrationJson(const ReadState& state, const CalibrationRecord& record,
                                 const Principal& who);

  // Credentials (api_credentials.cpp).
  HttpResponse ListCredentials(Context& ctx);
  HttpResponse GetCredential(Context& ctx);
  HttpResponse CredentialPng(Context& ctx);
  HttpResponse CredentialSvg(Context& ctx);
  HttpResponse CredentialJwt(Context& ctx);
  HttpResponse ShareCredential(Context& ctx);
  HttpResponse StudentClr(Context& ctx);
  HttpResponse VerifyUpload(Context& ctx);
  HttpResponse PublicCredential(Context& ctx);
  HttpResponse IssuerDocument(Context& ctx);
  HttpResponse AchievementDocument(Context& ctx);
  HttpResponse AchievementImage(Context& ctx);
  HttpResponse StatusListDocument(Context& ctx);
  HttpResponse Ob2IssuerDocument(Context& ctx);
  HttpResponse Ob2BadgeDocument(Context& ctx);
  HttpResponse Ob2AssertionDocument(Context& ctx);
  HttpResponse Ob2AssertionImage(Context& ctx);
  HttpResponse Ob2RevocationDocument(Context& ctx);
  HttpResponse GetIssuerProfile(Context& ctx);
  HttpResponse PutIssuerProfile(Context& ctx);
  HttpResponse RotateIssuerKey(Context& ctx);
  const KeyVault& Vault();
  CredentialIssuer Issuer(Store& store);
  // Issues credentials for the student's newly confirmed awards; called in
  // the same write job (transaction) as anything that may confirm one.
  Status IssuePending(CairnService& service, const ReadState& state, Id student);
  Result<IssuedCredential> CredentialOf(const Context& ctx);
  Result<IssuedCredential> PublicCredentialOf(const Context& ctx);
  nlohmann::json CredentialSummary(const IssuedCredential& c, Store& store,
                                   const std::string& base);
  Result<std::string> BadgeImage(const std::string& code, bool svg);
  HttpResponse BakedCredential(Context& ctx, bool svg);
  VerifierHooks Hooks();
  Result<nlohmann::json> Ob2Assertion(const IssuedCredential& c);
  Result<const District*> DistrictParam(const Context& ctx, const Roster& roster);

  // Every change goes to the single writer (server/group_commit.h); the
  // response is pending until its group commit.
  HttpResponse Write(std::function<HttpResponse(CairnService&)> job);
  // Blocks until a (pending) response is complete: only on the pool.
  static HttpResponse WaitFor(HttpResponse response);

  ApiOptions options_;
  StaticFiles static_files_;
  std::uint64_t serial_ = 0;
  std::once_flag blobs_once_;
  std::unique_ptr<BlobStore> blobs_;
  std::once_flag vault_once_;
  std::unique_ptr<KeyVault> vault_;
  ReadModel model_;

  std::unique_ptr<AuditSink> audit_;
  std::unique_ptr<GroupCommit> writer_;
  Authenticator authenticator_;
  std::unique_ptr<Pool> pool_;  // runs kSlow routes
};

}  // namespace cairn
