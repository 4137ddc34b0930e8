#include "server/api.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include "catalog/catalog_json.h"
#include "common/json_limits.h"
#include "evidence/files/blob_store.h"
#include "mastery/awards.h"
#include "reports/completion_report.h"
#include "reports/tracking_sheet.h"
#include "server/api_internal.h"
#include "server/request_guard.h"
#include "service/crypto.h"
#include "service/explanation_json.h"
#include "store/sqlite_store.h"

namespace cairn {

const std::string& OpenApiDocument();  // generated from openapi.json

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse JsonResponse(int status, const json& body) {
  // A path or query may decode to bytes that are not UTF-8 and be echoed in
  // a message: replaced (U+FFFD), never an exception while answering.
  return JsonTextResponse(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

HttpResponse JsonTextResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// {"error": {"code", "message", "field"}}: the field is the message's prefix
// before ": " when the service named one ("level: ...").
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message) {
  json error{{"code", code}, {"message", message}};
  auto colon = message.find(": ");
  if (colon != std::string::npos && colon < 40 && message.find_first_of(" /$", 0) >= colon) {
    error["field"] = message.substr(0, colon);
  }
  return JsonResponse(status, json{{"error", error}});
}

HttpResponse ErrorResponse(const Status& status) {
  return ErrorResponse(HttpStatusOf(status.code()), StatusCodeName(status.code()),
                       status.message());
}

json PersonJson(const Person& p) {
  return json{{"id", p.sourced_id}, {"name", p.DisplayName()}, {"role", PersonRoleName(p.role)}};
}

std::optional<long long> BoundedNumber(const std::string& text, long long lo, long long hi) {
  std::size_t start = !text.empty() && text[0] == '-' ? 1 : 0;
  if (text.size() == start || text.size() - start > 18 ||
      text.find_first_not_of("0123456789", start) != std::string::npos) {
    return std::nullopt;
  }
  const long long value = std::stoll(text);
  if (value < lo || value > hi) return std::nullopt;
  return value;
}

std::string Str(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

namespace {

using nlohmann::json;

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(UrlDecode(path.substr(start, slash - start)));
    start = slash + 1;
  }
  return parts;
}

}  // namespace

struct Api::Route {
  RouteInfo info;
  HttpResponse (Api::*handler)(Context&);
};

// Every route, once. Order matters only for readability.
std::vector<Api::Route> Api::MakeRoutes() {
  using R = AccessRule;
  using B = BodyKind;
  using O = Owner;
  using ApiT = Api;
  return {
      {{"GET", "/healthz", R::kPublic, false}, &ApiT::Health},
      {{"GET", "/api/openapi.json", R::kPublic, false}, &ApiT::OpenApi},
      {{"POST", "/api/v1/auth/login", R::kPublic, false, Work::kSlow}, &ApiT::Login},
      {{"POST", "/api/v1/auth/logout", R::kAuthenticated, false}, &ApiT::Logout},
      {{"GET", "/api/v1/me", R::kAuthenticated, false}, &ApiT::Me},
      {{"GET", "/api/v1/catalog", R::kAuthenticated, false}, &ApiT::GetCatalog},
      {{"PUT", "/api/v1/catalog", R::kAdmin, true, Work::kSlow, B::kCatalog}, &ApiT::PutCatalog},
      {{"GET", "/api/v1/badges/{badge}", R::kAuthenticated, false}, &ApiT::GetBadge},
      {{"GET", "/api/v1/sections", R::kStaff, false}, &ApiT::ListSections},
      {{"GET", "/api/v1/sections/{section}/students", R::kSectionRead, true},
       &ApiT::SectionStudents},
      {{"GET", "/api/v1/sections/{section}/grid", R::kSectionRead, true}, &ApiT::SectionGrid},
      {{"GET", "/api/v1/students/{student}", R::kStudentRead, true}, &ApiT::GetStudent},
      {{"GET", "/api/v1/students/{student}/progress", R::kStudentRead, true},
       &ApiT::StudentProgress},
      {{"GET", "/api/v1/students/{student}/evidence", R::kStudentRead, true},
       &ApiT::StudentEvidence},
      {{"GET", "/api/v1/students/{student}/badges/{badge}/explanation", R::kStudentRead, true},
       &ApiT::StudentExplanation},
      {{"POST", "/api/v1/students/{student}/badges/{badge}/award", R::kStudentWrite, true,
        Work::kQuick},
       &ApiT::PostAward},
      {{"POST", "/api/v1/ratings", R::kStudentWrite, true, Work::kQuick, B::kJson, O::kBodyStudent},
       &ApiT::PostRating},
      {{"POST", "/api/v1/ratings/{rating}/void", R::kStudentWrite, true, Work::kQuick},
       &ApiT::VoidRating},
      {{"POST", "/api/v1/habits", R::kStudentWrite, true, Work::kQuick, B::kJson, O::kBodyStudent},
       &ApiT::PostHabit},
      {{"GET", "/api/v1/awards/pending", R::kStaff, true}, &ApiT::PendingAwards},
      {{"GET", "/api/v1/reports/tracking-sheet", R::kStaff, true, Work::kSlow},
       &ApiT::TrackingSheet},
      {{"GET", "/api/v1/reports/completion", R::kLeader, false, Work::kSlow}, &ApiT::Completion},
      {{"GET", "/api/v1/settings", R::kAdmin, false}, &ApiT::GetSettings},
      {{"PUT", "/api/v1/settings", R::kAdmin, true}, &ApiT::PutSettings},
      {{"GET", "/api/v1/users", R::kAdmin, false}, &ApiT::ListUsers},
      {{"POST", "/api/v1/users", R::kAdmin, true}, &ApiT::CreateUser},
      {{"POST", "/api/v1/users/{user}/password", R::kAdmin, true}, &ApiT::ResetPassword},
      {{"PUT", "/api/v1/users/{user}/role", R::kAdmin, true}, &ApiT::SetUserRole},
      {{"GET", "/api/v1/tokens", R::kAdmin, false}, &ApiT::ListTokens},
      {{"POST", "/api/v1/tokens", R::kAdmin, true}, &ApiT::CreateToken},
      {{"DELETE", "/api/v1/tokens/{token}", R::kAdmin, true}, &ApiT::RevokeToken},
      {{"GET", "/api/v1/audit", R::kAdmin, false, Work::kSlow}, &ApiT::GetAudit},
      {{"GET", "/api/v1/students/{student}/submissions", R::kStudentRead, true},
       &ApiT::ListSubmissions},
      {{"POST", "/api/v1/students/{student}/submissions", R::kPortfolioWrite, true},
       &ApiT::CreateSubmission},
      {{"GET", "/api/v1/submissions/{submission}", R::kStudentRead, true}, &ApiT::GetSubmission},
      {{"POST", "/api/v1/submissions/{submission}/versions", R::kPortfolioWrite, true},
       &ApiT::AddSubmissionVersion},
      // Per-kind rules (who reviews, who consents) are the portfolio service's.
      {{"POST", "/api/v1/submissions/{submission}/actions", R::kStudentRead, true},
       &ApiT::SubmissionAction},
      {{"POST", "/api/v1/submissions/{submission}/ratings", R::kStudentWrite, true},
       &ApiT::SubmissionRatings},
      {{"GET", "/api/v1/submissions/{submission}/compare", R::kStudentRead, true},
       &ApiT::CompareVersions},
      {{"GET", "/api/v1/portfolio/queue", R::kStaff, true}, &ApiT::ReviewQueue},
      {{"GET", "/api/v1/exemplars", R::kStaff, false}, &ApiT::ListExemplars},
      {{"POST", "/api/v1/students/{student}/artifacts", R::kPortfolioWrite, true, Work::kByMethod,
        B::kUpload},
       &ApiT::UploadArtifacts},
      {{"GET", "/api/v1/artifacts/{artifact}", R::kStudentRead, true, Work::kSlow},
       &ApiT::GetArtifact},
      {{"GET", "/api/v1/artifacts/{artifact}/preview", R::kStudentRead, true, Work::kSlow},
       &ApiT::ArtifactPreview},
      {{"GET", "/api/v1/artifacts/{artifact}/pages", R::kStudentRead, true, Work::kSlow},
       &ApiT::ArtifactPages},
      {{"GET", "/api/v1/students/{student}/portfolio.zip", R::kStudentRead, true, Work::kSlow},
       &ApiT::ExportPortfolio},
      {{"GET", "/api/v1/staff", R::kStaff, false}, &ApiT::ListStaff},
      {{"GET", "/api/v1/calibrations", R::kStaff, false}, &ApiT::ListCalibrations},
      {{"POST", "/api/v1/calibrations", R::kLeader, false}, &ApiT::CreateCalibration},
      {{"GET", "/api/v1/calibrations/{calibration}", R::kStaff, false}, &ApiT::GetCalibration},
      {{"POST", "/api/v1/calibrations/{calibration}/events", R::kStaff, false},
       &ApiT::CalibrationEventRoute},
      {{"GET", "/api/v1/calibrations/{calibration}/items/{item}/artifacts/{artifact}", R::kStaff,
        false, Work::kSlow},
       &ApiT::CalibrationArtifact},
      {{"GET", "/api/v1/students/{student}/credentials", R::kStudentRead, true},
       &ApiT::ListCredentials},
      {{"GET", "/api/v1/students/{student}/clr", R::kStudentRead, true, Work::kSlow},
       &ApiT::StudentClr},
      {{"GET", "/api/v1/credentials/{credential}", R::kStudentRead, true}, &ApiT::GetCredential},
      {{"GET", "/api/v1/credentials/{credential}/badge.png", R::kStudentRead, true, Work::kSlow},
       &ApiT::CredentialPng},
      {{"GET", "/api/v1/credentials/{credential}/badge.svg", R::kStudentRead, true, Work::kSlow},
       &ApiT::CredentialSvg},
      {{"GET", "/api/v1/credentials/{credential}/credential.jwt", R::kStudentRead, true,
        Work::kSlow},
       &ApiT::CredentialJwt},
      {{"POST", "/api/v1/credentials/{credential}/share", R::kSelf, true}, &ApiT::ShareCredential},
      {{"POST", "/api/v1/verify", R::kPublic, false, Work::kByMethod, B::kAny},
       &ApiT::VerifyUpload},
      {{"GET", "/api/v1/public/credentials/{credential}", R::kPublic, false},
       &ApiT::PublicCredential},
      {{"GET", "/api/v1/issuers/{district}/profile", R::kAdmin, false}, &ApiT::GetIssuerProfile},
      {{"PUT", "/api/v1/issuers/{district}/profile", R::kAdmin, true}, &ApiT::PutIssuerProfile},
      {{"POST", "/api/v1/issuers/{district}/keys/rotate", R::kAdmin, true}, &ApiT::RotateIssuerKey},
      // What verifiers dereference: public, outside /api.
      {{"GET", "/issuers/{district}", R::kPublic, false}, &ApiT::IssuerDocument},
      {{"GET", "/achievements/{district}/{badge}", R::kPublic, false}, &ApiT::AchievementDocument},
      {{"GET", "/achievements/{district}/{badge}/image.png", R::kPublic, false, Work::kSlow},
       &ApiT::AchievementImage},
      {{"GET", "/status/{district}/revocation", R::kPublic, false, Work::kSlow},
       &ApiT::StatusListDocument},
      {{"GET", "/ob2/issuers/{district}", R::kPublic, false}, &ApiT::Ob2IssuerDocument},
      {{"GET", "/ob2/badges/{district}/{badge}", R::kPublic, false}, &ApiT::Ob2BadgeDocument},
      {{"GET", "/ob2/assertions/{credential}", R::kPublic, false}, &ApiT::Ob2AssertionDocument},
      {{"GET", "/ob2/assertions/{credential}/image.png", R::kPublic, false, Work::kSlow},
       &ApiT::Ob2AssertionImage},
      {{"GET", "/ob2/revocations/{district}", R::kPublic, false, Work::kSlow},
       &ApiT::Ob2RevocationDocument},
  };
}

struct Api::Pool {
  // Few: a password hash takes 64 MiB while it runs.
  boost::asio::thread_pool threads{8};
};

struct Api::Match {
  const Route* route = nullptr;
  bool path_matched = false;  // some route has this path, maybe not this method
  std::map<std::string, std::string> params;
};

Api::Api(ApiOptions options)
    : options_(std::move(options)),
      static_files_(
          options_.web_root,
          {options_.db_path, options_.db_path + "-wal", options_.db_path + "-shm",
           options_.db_path + "-journal", options_.db_path + ".master-key",
           options_.files_dir.empty() ? options_.db_path + "-files" : options_.files_dir}) {
  if (options_.files_dir.empty()) options_.files_dir = options_.db_path + "-files";
  if (!options_.open_store) options_.open_store = SqliteStore::Factory(options_.db_path);
  if (options_.public_url.empty()) options_.public_url = "http://localhost";
  while (!options_.public_url.empty() && options_.public_url.back() == '/') {
    options_.public_url.pop_back();
  }
  static std::atomic<std::uint64_t> next_serial{1};
  serial_ = next_serial++;
  (void)InitCrypto();
  audit_ = std::make_unique<AuditSink>(options_.open_store);
  writer_ = std::make_unique<GroupCommit>(options_.open_store, options_.clock,
                                          [this](Store& store) { (void)model_.Refresh(store); });
  pool_ = std::make_unique<Pool>();
}

Api::~Api() {
  pool_->threads.join();  // slow requests may still queue changes
  writer_.reset();        // runs what is queued first
  audit_.reset();         // writes what is buffered
}

HttpResponse Api::Write(std::function<HttpResponse(CairnService&)> job) {
  return writer_->Submit(std::move(job));
}

void Api::FlushAudit() { audit_->Flush(); }

const std::vector<RouteInfo>& Api::Routes() {
  static const std::vector<RouteInfo> infos = [] {
    std::vector<RouteInfo> out;
    for (const Route& route : MakeRoutes()) out.push_back(route.info);
    return out;
  }();
  return infos;
}

CairnService& Api::Service() {
  // One connection per thread and Api: SQLite connections are not shared.
  // Keyed by a serial number, not the address, which a later Api may reuse.
  thread_local std::map<std::uint64_t, std::unique_ptr<CairnService>> services;
  auto& service = services[serial_];
  if (!service) {
    auto store = options_.open_store();
    if (!store.ok()) throw std::runtime_error(store.status().ToString());
    auto opened = CairnService::Open(std::move(store).value(), options_.clock);
    if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
    service = std::move(opened).value();
  }
  return *service;
}

std::optional<Principal> Api::Authenticate(const HttpRequest& request, const Roster& roster,
                                           std::int64_t access_mark, std::string* csrf) {
  return authenticator_.Authenticate(request, roster, access_mark, Service().store(),
                                     options_.clock(), csrf);
}

Api::Match Api::MatchRoute(const HttpRequest& request) {
  static const std::vector<Route> routes = MakeRoutes();
  static const std::vector<std::vector<std::string>> patterns = [] {
    std::vector<std::vector<std::string>> out;
    for (const Route& route : routes) out.push_back(Split(route.info.pattern));
    return out;
  }();
  Match match;
  const std::vector<std::string> parts = Split(request.Path());
  for (std::size_t r = 0; r < routes.size(); ++r) {
    const Route& route = routes[r];
    const std::vector<std::string>& pattern = patterns[r];
    if (pattern.size() != parts.size()) continue;
    std::map<std::string, std::string> captured;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      if (pattern[i].size() > 2 && pattern[i].front() == '{') {
        captured[pattern[i].substr(1, pattern[i].size() - 2)] = parts[i];
      } else {
        ok = pattern[i] == parts[i];
      }
    }
    if (!ok) continue;
    match.path_matched = true;
    if (route.info.method == request.method) {
      match.route = &route;
      match.params = std::move(captured);
      break;
    }
  }
  return match;
}

void Api::Handle(HttpRequest request, Responder respond) {
  Match match = MatchRoute(request);
  bool slow = false;
  if (match.route) {
    const Work work = match.route->info.work;
    slow = work == Work::kSlow ||
           (work == Work::kByMethod && request.method != "GET" && request.method != "HEAD");
  }
  if (!slow) return respond(Answer(request, match));
  boost::asio::post(pool_->threads, [this, request = std::move(request), match = std::move(match),
                                     respond = std::move(respond)] {
    HttpResponse response;
    try {
      response = Answer(request, match);
    } catch (const std::exception& e) {
      LogHandlerError(request, e.what());
      response =
          ErrorResponse(500, "internal", "internal error (request " + request.request_id + ")");
    }
    respond(std::move(response));
  });
}

HttpResponse Api::Handle(const HttpRequest& request) {
  HttpResponse response = Answer(request, MatchRoute(request));
  if (response.pending) response = response.pending->Wait();
  if (response.shared_body) {
    response.body = *response.shared_body;
    response.shared_body.reset();
  }
  if (!response.body_file.empty()) {
    // What the server would stream, read here for callers without a socket.
    std::ifstream in(response.body_file, std::ios::binary);
    response.body.assign(std::istreambuf_iterator<char>(in), {});
    if (response.delete_body_file) {
      std::error_code ignored;
      std::filesystem::remove(response.body_file, ignored);
    }
    response.body_file.clear();
  }
  return response;
}

// The one path every API request takes: route, checks that need no login
// (origin, content type, body limits), sign-in, the subject from the path,
// the access rule, CSRF, the handler, the audit log, the security headers.
HttpResponse Api::Answer(const HttpRequest& request, const Match& match) {
  const std::string path(request.Path());
  static constexpr std::string_view kPublicDocuments[] = {"/issuers/", "/achievements/", "/status/",
                                                          "/ob2/"};
  const bool api_path = path.rfind("/api/", 0) == 0 || path == "/healthz" ||
                        std::any_of(std::begin(kPublicDocuments), std::end(kPublicDocuments),
                                    [&](std::string_view p) { return path.rfind(p, 0) == 0; });
  const SecurityHeaderOptions header_options{options_.secure_cookies};
  if (!api_path) {
    HttpResponse response = static_files_.Serve(request);
    AddSecurityHeaders(response, false, header_options);
    return response;
  }
  HttpResponse response = Decide(request, match);
  AddSecurityHeaders(response, true, header_options);
  return response;
}

HttpResponse Api::Decide(const HttpRequest& request, const Match& match) {
  const std::string path(request.Path());
  const Route* matched = match.route;
  if (!matched) {
    return match.path_matched ? ErrorResponse(405, "method_not_allowed",
                                              request.method + " is not allowed on " + path)
                              : ErrorResponse(404, "not_found", "no route " + path);
  }
  const RouteInfo& info = matched->info;
  const bool is_write = request.method != "GET" && request.method != "HEAD";
  Context ctx{request, match.params, std::nullopt, "", json(), nullptr, nullptr, {}, ""};
  try {
    if (is_write && info.body != BodyKind::kAny) {
      // Before sign-in: a cross-site page must not even learn whether its
      // victim is signed in.
      if (Status s = CheckSameOrigin(request, options_.public_url); !s.ok()) {
        HttpResponse refused = ErrorResponse(403, "cross_origin", s.message());
        AuditRefusal(request, ctx, refused, s.message());
        return refused;
      }
      const bool has_body =
          !request.body.empty() || !request.body_file.empty() || request.body_sink != nullptr;
      if ((info.body == BodyKind::kJson || info.body == BodyKind::kCatalog) && has_body) {
        if (Status s = CheckJsonContentType(request); !s.ok()) {
          return ErrorResponse(415, "unsupported_media_type", s.message());
        }
      }
      if (info.body == BodyKind::kJson && !request.body.empty()) {
        auto parsed = ParseUntrustedJson(request.body, "body", kMaxJsonBody);
        if (!parsed.ok()) return ErrorResponse(parsed.status());
        ctx.body = std::move(parsed).value();
      } else if (info.body == BodyKind::kCatalog && !request.body.empty()) {
        // Read whole by the catalog reader; parsed here only to be bounded.
        auto parsed = ParseUntrustedJson(request.body, "catalog", kMaxCatalogBody);
        if (!parsed.ok()) return ErrorResponse(parsed.status());
        ctx.body = std::move(parsed).value();
      }
    }

    Status refreshed = model_.RefreshIfStale(Service().store());
    if (!refreshed.ok()) return ErrorResponse(refreshed);
    std::int64_t access_mark = 0;
    ctx.roster = model_.Read([&](const ReadState& state) {
      access_mark = state.marks.access;
      return state.roster;
    });
    ctx.who = Authenticate(request, *ctx.roster, access_mark, &ctx.csrf);

    // Whose record: from the path (never a body field), or for a creating
    // route the body's student as the new record's owner.
    const Section* section = nullptr;
    bool hidden_from_guardians = false;
    if (info.rule != AccessRule::kPublic) {
      auto subject =
          ResolveSubject(ctx.params, info.owner, ctx.body, *ctx.roster, Service().store());
      if (!subject.ok()) {
        if (!ctx.who) return Refuse(request, ctx, 401, "sign in first");
        return ErrorResponse(subject.status());
      }
      ctx.student = subject->student;
      section = subject->section;
      hidden_from_guardians = subject->hidden_from_guardians;
    }
    if (!Allowed(info.rule, *ctx.roster, ctx.who, ctx.student, section, is_write)) {
      return ctx.who ? Refuse(request, ctx, 403,
                              "you may not " + std::string(is_write ? "change" : "see") +
                                  " this record")
                     : Refuse(request, ctx, 401, "sign in first");
    }
    if (hidden_from_guardians && ctx.who && ctx.who->person.role == PersonRole::kGuardian) {
      // Work the student has not shared does not exist for their family.
      return Refuse(request, ctx, 404, "submission: no such submission");
    }
    if (is_write && ctx.who && !ctx.who->via_token && !ctx.csrf.empty() &&
        !SecretsEqual(request.Header("x-csrf-token").value_or(""), ctx.csrf)) {
      // Browser sessions must echo the CSRF token; API tokens carry no cookie.
      return Refuse(request, ctx, 403, "missing or wrong X-CSRF-Token header");
    }

    HttpResponse response;
    try {
      response = (this->*(matched->handler))(ctx);
    } catch (const nlohmann::json::type_error& e) {
      // A field of the wrong type that a handler read without checking: the
      // client's mistake, never a 500.
      LogHandlerError(request, e.what());
      response = ErrorResponse(400, "invalid_argument",
                               "body: a field has the wrong type (see the API document)");
    }
    // A change made here, not by the writer (which refreshes the model
    // itself): the next request must look at the store.
    if (is_write && !response.pending) model_.NoteWrite();
    // Every server-side failure leaves a line an operator can find by the
    // request id the client was shown.
    auto log_failure = [id = request.request_id,
                        route = request.method + " " + path](const HttpResponse& r) {
      if (r.status >= 500) LogServerError(id, route, std::string(r.Body()));
    };
    if (response.pending) {
      response.pending = response.pending->Then(log_failure);
    } else {
      log_failure(response);
    }

    if (info.audited && ctx.who) {
      AuditEntry entry;
      entry.at = options_.clock();
      entry.actor_person_id = ctx.who->person.id;
      entry.action = is_write ? "write" : "read";
      entry.resource = request.method + " " + path;
      if (ctx.student) entry.student_id = ctx.student->id;
      entry.students = std::move(ctx.returned_students);
      entry.detail = std::move(ctx.audit_detail);
      entry.request_id = request.request_id;
      // With the outcome: a queued change is audited once it is decided.
      auto record = [this, entry = std::move(entry)](const HttpResponse& r) mutable {
        entry.status = r.status;
        Audit(std::move(entry));
      };
      if (response.pending) {
        response.pending = response.pending->Then(std::move(record));
      } else {
        record(response);
      }
    }
    return response;
  } catch (const std::exception& e) {
    LogHandlerError(request, e.what());
    return ErrorResponse(500, "internal",
                         std::string("internal error (request ") + request.request_id + ")");
  }
}

HttpResponse Api::Refuse(const HttpRequest& request, Context& ctx, int status,
                         const std::string& message) {
  HttpResponse response =
      ErrorResponse(status,
                    status == 401                               ? "unauthenticated"
                    : status == 404                             ? "not_found"
                    : message.find("CSRF") != std::string::npos ? "csrf"
                                                                : "permission_denied",
                    message);
  AuditRefusal(request, ctx, response, message);
  return response;
}

void Api::AuditRefusal(const HttpRequest& request, const Context& ctx, const HttpResponse& response,
                       const std::string& why) {
  AuditEntry entry;
  entry.at = options_.clock();
  if (ctx.who) entry.actor_person_id = ctx.who->person.id;
  entry.action = "refused";
  entry.resource = request.method + " " + std::string(request.Path());
  if (ctx.student) entry.student_id = ctx.student->id;
  entry.request_id = request.request_id;
  entry.status = response.status;
  entry.detail = why + (request.remote.empty() ? "" : " (from " + request.remote + ")");
  Audit(std::move(entry));
}

void Api::Audit(AuditEntry entry) { audit_->Append(std::move(entry)); }

void Api::LogHandlerError(const HttpRequest& request, const std::string& what) {
  LogServerError(request.request_id, request.method + " " + std::string(request.Path()), what);
}

void Api::LogServerError(const std::string& request_id, const std::string& route,
                         const std::string& what) {
  const json line{
      {"level", "error"}, {"request_id", request_id}, {"route", route}, {"error", what}};
  std::cerr << line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

HttpResponse Api::Health(Context&) {
  auto id = Service().store().LatestCatalogId();
  if (!id.ok()) return ErrorResponse(503, "unavailable", "database: " + id.status().message());
  return JsonResponse(200, json{{"status", "ok"}, {"catalog_version", *id}});
}

HttpResponse Api::OpenApi(Context&) {
  HttpResponse response;
  response.body = OpenApiDocument();
  return response;
}

HttpResponse Api::Login(Context& ctx) {
  if (!ctx.body.is_object() || !ctx.body.contains("username") ||
      !ctx.body["username"].is_string() || !ctx.body.contains("password") ||
      !ctx.body["password"].is_string()) {
    return ErrorResponse(400, "invalid_argument", "body: expected {\"username\", \"password\"}");
  }
  const std::string username = ctx.body["username"];
  const std::string password = ctx.body["password"];
  if (username.size() > 256 || password.size() > 1024) {
    return ErrorResponse(400, "invalid_argument", "body: username or password too long");
  }
  const Instant now = options_.clock();
  const std::string address = ctx.request.remote;
  LoginLimits limits;
  limits.per_account = options_.login_failures_allowed;
  // Counted and reserved before the slow password check, atomically (the
  // writer, and one transaction across servers), so parallel guesses cannot
  // all pass the count. Login runs on the pool, which may wait for the writer.
  auto attempt = std::make_shared<LoginAttempt>();
  HttpResponse reserved = WaitFor(Write([=](CairnService& service) {
    auto begun = service.store().BeginLoginAttempt(username, address, now, limits);
    if (!begun.ok()) return ErrorResponse(begun.status());
    *attempt = *begun;
    return JsonResponse(200, json::object());
  }));
  if (reserved.status != 200) return reserved;
  if (!attempt->allowed) {
    HttpResponse response =
        ErrorResponse(429, "too_many_attempts",
                      "too many failed sign-ins; try again in " +
                          std::to_string((attempt->retry_after + 59) / 60) + " minutes");
    response.headers.push_back({"Retry-After", std::to_string(attempt->retry_after)});
    AuditRefusal(ctx.request, ctx, response, "sign-in throttled for '" + username + "'");
    return response;
  }
  auto account = Service().store().FindAccountByUsername(username);
  if (!account.ok()) return ErrorResponse(account.status());
  // Verify even for unknown users, so timing does not reveal who exists.
  static const std::string dummy = HashPassword("not a real password").value();
  const bool valid = VerifyPassword(password, *account ? (*account)->password_hash : dummy) &&
                     *account && !(*account)->disabled;
  const std::string token = RandomToken();
  const Session session{Sha256Hex(token), valid ? (*account)->id : 0, RandomToken(), now,
                        now + options_.session_hours * 3600};
  HttpResponse finished = WaitFor(Write([=](CairnService& service) {
    Store& store = service.store();
    if (Status s = store.FinishLoginAttempt(*attempt, valid, username, address, now); !s.ok()) {
      return ErrorResponse(s);
    }
    if (valid) {
      if (Status s = store.InsertSession(session); !s.ok()) return ErrorResponse(s);
    }
    return JsonResponse(200, json::object());
  }));
  if (finished.status != 200) return finished;
  if (!valid) {
    HttpResponse response =
        ErrorResponse(401, "invalid_credentials", "the username or password is incorrect");
    AuditRefusal(ctx.request, ctx, response, "wrong password for '" + username + "'");
    return response;
  }
  json user;
  if (const Person* p = ctx.roster->FindPerson((*account)->person_id)) user = PersonJson(*p);
  HttpResponse response =
      JsonResponse(200, json{{"user", user}, {"csrf_token", session.csrf_token}});
  std::string cookie =
      std::string(kSessionCookie) + "=" + token +
      "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(options_.session_hours * 3600);
  if (options_.secure_cookies) cookie += "; Secure";
  response.headers.push_back({"Set-Cookie", cookie});
  return response;
}

HttpResponse Api::WaitFor(HttpResponse response) {
  return response.pending ? response.pending->Wait() : response;
}

HttpResponse Api::Logout(Context& ctx) {
  std::string hash;
  if (auto cookie = ctx.request.Cookie(kSessionCookie)) hash = Sha256Hex(*cookie);
  return Write([hash](CairnService& service) {
    if (!hash.empty()) {
      if (Status s = service.store().DeleteSession(hash); !s.ok()) return ErrorResponse(s);
    }
    HttpResponse response;
    response.status = 204;
    response.headers.push_back({"Set-Cookie", std::string(kSessionCookie) +
                                                  "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"});
    return response;
  });
}

HttpResponse Api::Me(Context& ctx) {
  return model_.Read([&](const ReadState& state) {
    const Person& me = ctx.who->person;
    json out = PersonJson(me);
    if (!ctx.csrf.empty()) out["csrf_token"] = ctx.csrf;
    if (me.school_id) {
      if (const School* school = state.roster->FindSchool(*me.school_id)) {
        out["school"] = {{"id", school->sourced_id}, {"name", school->name}};
      }
    }
    json students = json::array();
    for (const Person* s : ReadableStudents(*state.roster, *ctx.who)) {
      if (me.role == PersonRole::kStudent || me.role == PersonRole::kGuardian) {
        students.push_back(PersonJson(*s));
      }
    }
    out["students"] = students;
    json sections = json::array();
    if (IsStaff(me.role)) {
      for (const Section* section : ReadableSections(*state.roster, *ctx.who)) {
        sections.push_back({{"id", section->sourced_id}, {"title", section->title}});
      }
    }
    out["sections"] = sections;
    return JsonResponse(200, out);
  });
}

HttpResponse Api::GetCatalog(Context&) {
  return model_.Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    json out = CatalogToJson(*state.catalog);
    out["catalog_version"] = state.marks.catalog;
    return JsonResponse(200, out);
  });
}

HttpResponse Api::PutCatalog(Context& ctx) {
  // What GET returned may come back as it is: drop the version it added.
  std::string body = ctx.request.body;
  if (ctx.body.is_object() && ctx.body.contains("catalog_version")) {
    json doc = ctx.body;
    doc.erase("catalog_version");
    body = doc.dump();
  }
  // Checked here, with every problem and its JSON path; only a valid
  // catalog goes to the writer.
  auto version = ParseCatalog(body, "catalog");
  if (!version.ok()) {
    // One entry per problem: {"path": "$.badges[1].title", "message": ...}.
    HttpResponse response = ErrorResponse(version.status());
    json doc = json::parse(response.body);
    json errors = json::array();
    std::istringstream lines(version.status().message());
    for (std::string line; std::getline(lines, line);) {
      const std::string prefix = "catalog: ";
      if (line.rfind(prefix, 0) == 0) line = line.substr(prefix.size());
      auto colon = line.find(": ");
      if (line.rfind("$", 0) == 0 && colon != std::string::npos) {
        errors.push_back({{"path", line.substr(0, colon)}, {"message", line.substr(colon + 2)}});
      } else {
        errors.push_back({{"path", "$"}, {"message", line}});
      }
    }
    doc["error"]["errors"] = errors;
    response.body = doc.dump();
    return response;
  }
  ctx.audit_detail = "catalog '" + version->title + "'";
  return Write([body](CairnService& service) {
    auto loaded = service.LoadCatalog(body, "catalog");
    if (!loaded.ok()) return ErrorResponse(loaded.status());
    return JsonResponse(200, json{{"catalog_version", *loaded}});
  });
}

HttpResponse Api::GetBadge(Context& ctx) {
  return model_.Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    const json all = CatalogToJson(*state.catalog);
    for (const json& badge : all["badges"]) {
      if (badge["code"] == ctx.params["badge"]) {
        json out = badge;
        for (const json& scale : all["scales"]) {
          if (scale["id"] == badge["scale"]) out["scale_levels"] = scale["levels"];
        }
        const Badge* b = state.catalog->FindBadge(ctx.params["badge"]);
        out["rule_summary"] = ExplainRule(*state.catalog, *b, {}, {}).rule_summary;
        return JsonResponse(200, out);
      }
    }
    return ErrorResponse(404, "not_found", "badge: no badge '" + ctx.params["badge"] + "'");
  });
}

HttpResponse Api::ListSections(Context& ctx) {
  return model_.Read([&](const ReadState& state) {
    json out = json::array();
    for (const Section* section : ReadableSections(*state.roster, *ctx.who)) {
      const School* school = state.roster->FindSchool(section->school_id);
      const Course* course = state.roster->FindCourse(section->course_id);
      json teachers = json::array();
      for (const Person* t : state.roster->TeachersOf(section->id))
        teachers.push_back(t->DisplayName());
      out.push_back({{"id", section->sourced_id},
                     {"title", section->title},
                     {"term", section->term},
                     {"school", school ? school->name : ""},
                     {"course", course ? course->title : ""},
                     {"badges", section->badges},
                     {"teachers", teachers},
                     {"student_count", state.roster->StudentsIn(section->id).size()}});
    }
    return JsonResponse(200, out);
  });
}

namespace {

const Section* FindSection(const Roster& roster, const std::string& sourced_id) {
  for (const Section& s : roster.sections) {
    if (s.sourced_id == sourced_id) return &s;
  }
  return nullptr;
}

AwardRecord AwardOf(const ReadState& state, Id student, const std::string& code) {
  if (!state.index) return {};
  auto it = state.index->awards().find(student);
  if (it == state.index->awards().end()) return {};
  auto records = FoldAwards(it->second);
  auto found = records.find(code);
  return found == records.end() ? AwardRecord{} : found->second;
}

json AwardJson(const AwardRecord& record) {
  json out{{"state", AwardStateName(record.state)}};
  if (record.state == AwardState::kConfirmed) {
    out["confirmed_on"] = FormatDate(DayOf(record.confirmed_at));
  }
  if (record.state == AwardState::kRevoked) out["reason"] = record.reason;
  return out;
}

}  // namespace

HttpResponse Api::SectionStudents(Context& ctx) {
  return model_.Read([&](const ReadState& state) {
    const Section* section = FindSection(*state.roster, ctx.params["section"]);
    if (!section) return ErrorResponse(404, "not_found", "section: no section");
    json out = json::array();
    for (const Person* student : state.roster->StudentsIn(section->id)) {
      ctx.returned_students.push_back(student->id);
      json badges = json::array();
      for (const std::string& code : section->badges) {
        badges.push_back(
            {{"badge", code}, {"award", AwardJson(AwardOf(state, student->id, code))}});
      }
      out.push_back({{"id", student->sourced_id},
                     {"name", student->DisplayName()},
                     {"grade", student->demographics.grade},
                     {"badges", badges}});
    }
    return JsonResponse(200, out);
  });
}

HttpResponse Api::SectionGrid(Context& ctx) {
  return model_.Read([&](const ReadState& state) {
    const Section* section = FindSection(*state.roster, ctx.params["section"]);
    if (!section) return ErrorResponse(404, "not_found", "section: no section");
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    auto query = ctx.request.Query();
    std::string code =
        query.count("badge") ? query["badge"] : (section->badges.empty() ? "" : section->badges[0]);
    const Badge* badge = state.catalog->FindBadge(code);
    if (!badge) return ErrorResponse(400, "invalid_argument", "badge: no badge '" + code + "'");
    const Scale& scale = state.catalog->ScaleOf(*badge);
    json levels = json::array();
    for (const ScaleLevel& l : scale.levels) {
      levels.push_back(
          {{"id", l.id}, {"label", l.label}, {"score", l.score}, {"mastery", l.mastery}});
    }
    json cpes = json::array();
    for (const Cpe& cpe : badge->cpes) {
      cpes.push_back({{"id", cpe.id}, {"label", cpe.label}, {"statement", cpe.statement}});
    }
    json students = json::array();
    const auto badge_index = *state.catalog->BadgeIndex(code);
    for (const Person* student : state.roster->StudentsIn(section->id)) {
      ctx.returned_students.push_back(student->id);
      json cells = json::array();
      auto statuses = state.index->engine().CpeStatusesOfBadge(student->id, *badge);
      for (std::size_t i = 0; i < badge->cpes.size(); ++i) {
        const std::uint32_t dense = badge->first_dense_cpe + static_cast<std::uint32_t>(i);
        auto it = std::find_if(statuses.begin(), statuses.end(),
                               [&](const CpeStatus& s) { return s.dense_cpe == dense; });
        if (it == statuses.end()) {
          cells.push_back({{"cpe", badge->cpes[i].id}, {"level", nullptr}, {"evidence_count", 0}});
          continue;
        }
        const ScaleLevel& level = scale.LevelAtOrBelow(it->value);
        cells.push_back({{"cpe", badge->cpes[i].id},
                         {"level", level.id},
                         {"level_label", level.label},
                         {"value", it->value},
                         {"mastered", it->mastered},
                         {"evidence_count", it->evidence_count}});
      }
      const BadgeStatus* status = state.index->engine().FindBadgeStatus(student->id, badge_index);
      students.push_back({{"id", student->sourced_id},
                          {"name", student->DisplayName()},
                          {"cells", cells},
                          {"rule_met", status && status->rule_met},
                          {"award", AwardJson(AwardOf(state, student->id, code))}});
    }
    return JsonResponse(200,
                        json{{"section", {{"id", section->sourced_id}, {"title", section->title}}},
                             {"badge", {{"code", badge->code}, {"title", badge->title}}},
                             {"badges", section->badges},
                             {"levels", levels},
                             {"cpes", cpes},
                             {"students", students}});
  });
}

HttpResponse Api::GetStudent(Context& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student");
  return model_.Read([&](const ReadState& state) {
    const Person& s = *ctx.student;
    json out = PersonJson(s);
    out["grade"] = s.demographics.grade;
    if (s.school_id) {
      if (const School* school = state.roster->FindSchool(*s.school_id))
        out["school"] = school->name;
    }
    json sections = json::array();
    for (const Section* section : state.roster->SectionsOf(s.id)) {
      sections.push_back(
          {{"id", section->sourced_id}, {"title", section->title}, {"badges", section->badges}});
    }
    out["sections"] = sections;
    return JsonResponse(200, out);
  });
}

HttpResponse Api::StudentProgress(Context& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student");
  return model_.Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    const Id id = ctx.student->id;
    const std::string key = "progress:" + std::to_string(id);
    HttpResponse response;
    // Rendering a progress page is the costliest read; it only changes when
    // this student's facts (or the catalog, settings, roster) do.
    if (auto body = model_.Cached(key, state.generation, state.StudentGeneration(id))) {
      response.shared_body = std::move(body);
      return response;
    }
    auto progress = BuildStudentProgress(*state.catalog, state.index->engine(), *ctx.student,
                                         state.index->AwardsOf(id), state.index->HabitsOf(id));
    auto body = std::make_shared<const std::string>(ToJsonText(progress, *state.catalog));
    model_.Remember(key, state.generation, state.StudentGeneration(id), body);
    response.shared_body = std::move(body);
    return response;
  });
}

HttpResponse Api::StudentEvidence(Context& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student");
  Store& store = Service().store();
  std::vector<RatingFact> ratings;
  Status status =
      store.ForEachRating(ctx.student->id, [&](const RatingFact& r) { ratings.push_back(r); });
  if (!status.ok()) return ErrorResponse(status);
  auto voids = store.Voids(ctx.student->id);
  if (!voids.ok()) return ErrorResponse(voids.status());
  std::map<FactId, const VoidFact*> voided;
  for (const VoidFact& v : *voids) voided[v.target] = &v;
  std::map<FactId, FactId> corrected_by;
  for (const RatingFact& r : ratings) {
    if (r.corrects && !voided.count(r.id)) corrected_by[*r.corrects] = r.id;
  }
  return model_.Read([&](const ReadState& state) {
    json out = json::array();
    for (auto r = ratings.rbegin(); r != ratings.rend(); ++r) {
      json item{
          {"id", r->id},
          {"cpe", r->cpe_id},
          {"indicator", r->indicator_id},
          {"level", r->level_id},
          {"demonstrated_on", FormatDate(r->demonstrated_on)},
          {"recorded_at", FormatInstant(r->recorded_at)},
          {"kind", EvidenceKindName(r->kind)},
          {"note", r->note},
          {"artifact_ref", r->artifact_ref},
          {"corrects", r->corrects ? json(*r->corrects) : json(nullptr)},
          {"voided", nullptr},
          {"corrected_by", corrected_by.count(r->id) ? json(corrected_by[r->id]) : json(nullptr)}};
      if (const Person* by = state.roster->FindPerson(r->recorded_by))
        item["recorded_by"] = by->DisplayName();
      if (state.catalog) {
        if (auto ref = state.catalog->FindCpe(r->cpe_id)) {
          const Badge& badge = state.catalog->badges[ref->badge];
          item["badge"] = badge.code;
          item["cpe_label"] = state.catalog->CpeAt(*ref).label;
          const Scale& scale = state.catalog->ScaleOf(badge);
          int level = scale.LevelIndex(r->level_id);
          if (level >= 0) item["level_label"] = scale.levels[static_cast<std::size_t>(level)].label;
        }
      }
      if (auto v = voided.find(r->id); v != voided.end()) {
        item["voided"] = {{"reason", v->second->reason},
                          {"at", FormatInstant(v->second->recorded_at)}};
      }
      out.push_back(std::move(item));
    }
    return JsonResponse(200, out);
  });
}

HttpResponse Api::StudentExplanation(Context& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student");
  return model_.Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    const Badge* badge = state.catalog->FindBadge(ctx.params["badge"]);
    if (!badge)
      return ErrorResponse(404, "not_found", "badge: no badge '" + ctx.params["badge"] + "'");
    return JsonResponse(200, ToJson(state.index->engine().Explain(ctx.student->id, *badge)));
  });
}

namespace {}  // namespace

HttpResponse Api::PostRating(Context& ctx) {
  if (!ctx.body.is_object())
    return ErrorResponse(400, "invalid_argument", "body: expected an object");
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student");
  RatingInput input;
  input.student = ctx.student->sourced_id;  // the owner the access rule was decided on
  input.cpe_id = Str(ctx.body, "cpe");
  input.level_id = Str(ctx.body, "level");
  input.demonstrated_on = Str(ctx.body, "demonstrated_on");
  input.indicator_id = Str(ctx.body, "indicator");
  input.note = Str(ctx.body, "note");
  input.artifact_ref = Str(ctx.body, "artifact_ref");
  if (ctx.body.contains("kind")) input.kind = Str(ctx.body, "kind");
  if (ctx.body.contains("corrects")) {
    if (!ctx.body["corrects"].is_number_integer()) {
      return ErrorResponse(400, "invalid_argument", "corrects: expected a rating id");
    }
    input.corrects = ctx.body["corrects"].get<FactId>();
  }
  for (const auto& [value, field] : {std::pair{&input.cpe_id, "cpe"},
                                     {&input.level_id, "level"},
                                     {&input.demonstrated_on, "demonstrated_on"}}) {
    if (value->empty())
      return ErrorResponse(400, "invalid_argument", std::string(field) + ": required");
  }
  input.recorded_by = ctx.who->person.sourced_id;
  return Write([this, input](CairnService& service) {
    // The people as of the snapshot that authorized the request; the store
    // when either is missing from it, for the error it gives.
    std::optional<Person> student, recorder;
    model_.Read([&](const ReadState& state) {
      if (const Person* p = state.roster->FindPersonBySourcedId(input.student)) student = *p;
      if (const Person* p = state.roster->FindPersonBySourcedId(input.recorded_by)) recorder = *p;
    });
    auto outcome = student && recorder ? service.RecordRating(input, *student, *recorder)
                                       : service.RecordRating(input);
    if (!outcome.ok()) return ErrorResponse(outcome.status());
    // Auto-award may have confirmed a badge: its credential comes with it.
    if (outcome->award_action != AwardAction::kConfirmed) {
      return JsonTextResponse(201, ToJsonText(*outcome, service.catalog()));
    }
    Status issued = model_.Read([&](const ReadState& state) {
      const Person* awarded = state.roster->FindPersonBySourcedId(input.student);
      return awarded ? IssuePending(service, state, awarded->id) : Status::Ok();
    });
    if (!issued.ok()) return ErrorResponse(issued);
    return JsonTextResponse(201, ToJsonText(*outcome, service.catalog()));
  });
}

HttpResponse Api::VoidRating(Context& ctx) {
  const std::string reason = ctx.body.is_object() ? Str(ctx.body, "reason") : "";
  auto number = PathNumber(ctx.params, "rating");
  if (!number) return ErrorResponse(404, "not_found", "rating: no such rating");
  const FactId id = *number;
  return Write([id, reason, by = ctx.who->person.sourced_id](CairnService& service) {
    Status status = service.Void(id, reason, by);
    if (!status.ok()) return ErrorResponse(status);
    return JsonResponse(200, json{{"voided", id}});
  });
}

HttpResponse Api::PostHabit(Context& ctx) {
  if (!ctx.body.is_object())
    return ErrorResponse(400, "invalid_argument", "body: expected an object");
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student");
  HabitInput input{ctx.student->sourced_id,      Str(ctx.body, "habit"),     Str(ctx.body, "level"),
                   Str(ctx.body, "observed_on"), ctx.who->person.sourced_id, Str(ctx.body, "note")};
  return Write([input](CairnService& service) {
    auto id = service.RecordHabit(input);
    if (!id.ok()) return ErrorResponse(id.status());
    return JsonResponse(201, json{{"id", *id}});
  });
}

HttpResponse Api::PostAward(Context& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student");
  const std::string action_name = ctx.body.is_object() ? Str(ctx.body, "action") : "";
  std::optional<AwardAction> action;
  if (action_name == "propose") action = AwardAction::kProposed;
  if (action_name == "confirm") action = AwardAction::kConfirmed;
  if (action_name == "revoke") action = AwardAction::kRevoked;
  if (!action) {
    return ErrorResponse(400, "invalid_argument", "action: expected propose, confirm or revoke");
  }
  return Write([this, student = ctx.student->sourced_id, badge = ctx.params["badge"],
                action = *action, by = ctx.who->person.sourced_id,
                reason = Str(ctx.body, "reason")](CairnService& service) {
    auto record = service.Award(student, badge, action, by, reason);
    if (!record.ok()) return ErrorResponse(record.status());
    Status issued = model_.Read([&](const ReadState& state) {
      const Person* p = state.roster->FindPersonBySourcedId(student);
      return p ? IssuePending(service, state, p->id) : Status::Ok();
    });
    if (!issued.ok()) return ErrorResponse(issued);
    return JsonResponse(200, AwardJson(*record));
  });
}

HttpResponse Api::PendingAwards(Context& ctx) {
  return model_.Read([&](const ReadState& state) {
    json out = json::array();
    if (!state.catalog) return JsonResponse(200, out);
    for (const Person* student : ReadableStudents(*state.roster, *ctx.who)) {
      auto it = state.index->awards().find(student->id);
      if (it == state.index->awards().end()) continue;
      for (const auto& [code, record] : FoldAwards(it->second)) {
        if (record.state != AwardState::kProposed) continue;
        const Badge* badge = state.catalog->FindBadge(code);
        if (!badge) continue;
        if (ctx.returned_students.empty() || ctx.returned_students.back() != student->id) {
          ctx.returned_students.push_back(student->id);
        }
        out.push_back(
            {{"student", PersonJson(*student)},
             {"badge", code},
             {"title", badge->title},
             {"proposed_at", FormatInstant(record.since)},
             {"explanation", ToJson(state.index->engine().Explain(student->id, *badge))}});
      }
    }
    return JsonResponse(200, out);
  });
}

HttpResponse Api::TrackingSheet(Context& ctx) {
  return model_.Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    auto rows = BuildTrackingSheet(
        *state.catalog, *state.roster, state.index->engine(), state.index->awards(),
        [&](const Person& p) { return CanReadStudent(*state.roster, *ctx.who, p); });
    for (const TrackingRow& row : rows) {
      if (const Person* p = state.roster->FindPersonBySourcedId(row.student_id);
          p && (ctx.returned_students.empty() || ctx.returned_students.back() != p->id)) {
        ctx.returned_students.push_back(p->id);
      }
    }
    HttpResponse response;
    auto query = ctx.request.Query();
    if (query["format"] == "json") {
      json out = json::array();
      for (const TrackingRow& row : rows) out.push_back(ToJson(row));
      return JsonResponse(200, out);
    }
    std::ostringstream csv;
    WriteTrackingSheetCsv(csv, rows);
    response.content_type = "text/csv; charset=utf-8";
    response.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"tracking-sheet.csv\""});
    response.body = csv.str();
    return response;
  });
}

// Groups under the minimum are hidden, and so are as many more as it takes
// that no hidden figure can be worked out from shown ones, in any of the
// three reports (reports/completion_report.h).
HttpResponse Api::Completion(Context& ctx) {
  auto query = ctx.request.Query();
  auto by = ParseCompletionDimension(query.count("by") ? query["by"] : "badge");
  if (!by.ok()) return ErrorResponse(by.status());
  return model_.Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    auto rows = BuildTrackingSheet(
        *state.catalog, *state.roster, state.index->engine(), state.index->awards(),
        [&](const Person& p) { return CanReadStudent(*state.roster, *ctx.who, p); });
    return JsonResponse(
        200, CompletionReportJson(BuildCompletionReport(rows, kCompletionMinimumGroupSize), *by));
  });
}

HttpResponse Api::GetSettings(Context&) {
  return model_.Read([&](const ReadState& state) {
    json out{{"auto_award", state.auto_award}};
    if (state.catalog) out["calculation"] = CalculationToJson(state.catalog->default_calculation);
    return JsonResponse(200, out);
  });
}

HttpResponse Api::PutSettings(Context& ctx) {
  if (!ctx.body.is_object())
    return ErrorResponse(400, "invalid_argument", "body: expected an object");
  if (ctx.body.contains("auto_award") && !ctx.body["auto_award"].is_boolean()) {
    return ErrorResponse(400, "invalid_argument", "auto_award: expected true or false");
  }
  ctx.audit_detail = "settings: " + ctx.body.dump();
  return Write([body = ctx.body](CairnService& service) {
    if (body.contains("auto_award")) {
      if (Status s = service.SetAutoAward(body["auto_award"].get<bool>()); !s.ok())
        return ErrorResponse(s);
    }
    if (body.contains("calculation")) {
      if (!service.has_catalog())
        return ErrorResponse(409, "failed_precondition", "no catalog loaded");
      // Validated by the catalog reader, so the rules are the same as a file's.
      json doc = CatalogToJson(service.catalog());
      doc["calculation"] = body["calculation"];
      auto parsed = ParseCatalog(doc.dump(), "settings");
      if (!parsed.ok()) return ErrorResponse(parsed.status());
      if (Status s = service.SetDefaultCalculation(parsed->default_calculation); !s.ok())
        return ErrorResponse(s);
    }
    json out{{"auto_award", service.auto_award()}};
    if (service.has_catalog()) {
      out["calculation"] = CalculationToJson(service.catalog().default_calculation);
    }
    return JsonResponse(200, out);
  });
}

HttpResponse Api::ListUsers(Context&) {
  auto accounts = Service().store().Accounts();
  if (!accounts.ok()) return ErrorResponse(accounts.status());
  return model_.Read([&](const ReadState& state) {
    json out = json::array();
    for (const Account& a : *accounts) {
      json item{{"id", a.id}, {"username", a.username}, {"disabled", a.disabled}};
      if (const Person* p = state.roster->FindPerson(a.person_id)) item["person"] = PersonJson(*p);
      out.push_back(std::move(item));
    }
    return JsonResponse(200, out);
  });
}

// Staff move between roles (a teacher becomes a school leader...). Students
// and guardians are what the roster says they are: their records hang on it.
HttpResponse Api::SetUserRole(Context& ctx) {
  const std::string ref = ctx.params["user"];
  if (ref.empty() || ref.size() > 18 || ref.find_first_not_of("0123456789") != std::string::npos) {
    return ErrorResponse(404, "not_found", "user: no such account");
  }
  auto role = ParsePersonRole(ctx.body.is_object() ? Str(ctx.body, "role") : "");
  if (!role || !IsStaff(*role)) {
    return ErrorResponse(400, "invalid_argument",
                         "role: expected teacher, school_leader, district_leader or admin");
  }
  auto account = Service().store().FindAccount(std::stoll(ref));
  if (!account.ok()) return ErrorResponse(account.status());
  if (!*account) return ErrorResponse(404, "not_found", "user: no such account");
  const Id person_id = (*account)->person_id;
  if (person_id == ctx.who->person.id) {
    return ErrorResponse(409, "failed_precondition",
                         "role: ask another admin to change your own role");
  }
  const Person* person = ctx.roster->FindPerson(person_id);
  if (!person) return ErrorResponse(404, "not_found", "user: no such person");
  if (!IsStaff(person->role)) {
    return ErrorResponse(409, "failed_precondition",
                         "role: students and guardians keep the role the roster gives them");
  }
  if (*role == PersonRole::kSchoolLeader && !person->school_id) {
    return ErrorResponse(400, "invalid_argument", "role: a school leader needs a school");
  }
  ctx.audit_detail = "role of " + person->sourced_id + ": " +
                     std::string(PersonRoleName(person->role)) + " -> " +
                     std::string(PersonRoleName(*role));
  return Write([person_id, role = *role](CairnService& service) {
    Status s = service.store().SetPersonRole(person_id, role);
    if (!s.ok()) return ErrorResponse(s);
    return JsonResponse(200, json{{"role", PersonRoleName(role)}});
  });
}

HttpResponse Api::CreateUser(Context& ctx) {
  if (!ctx.body.is_object())
    return ErrorResponse(400, "invalid_argument", "body: expected an object");
  // Hashing is slow: here, on the pool; only the insert goes to the writer.
  auto hash = HashNewPassword(Str(ctx.body, "password"));
  if (!hash.ok()) return ErrorResponse(hash.status());
  const std::string person = Str(ctx.body, "person"), username = Str(ctx.body, "username");
  ctx.audit_detail = "account '" + username + "' for " + person;
  return Write([this, person, username, hash = *hash](CairnService& service) {
    auto id = InsertAccount(service.store(), person, username, hash, options_.clock());
    if (!id.ok()) return ErrorResponse(id.status());
    return JsonResponse(201, json{{"id", *id}, {"username", username}});
  });
}

HttpResponse Api::ResetPassword(Context& ctx) {
  auto hash = HashNewPassword(ctx.body.is_object() ? Str(ctx.body, "password") : "");
  if (!hash.ok()) return ErrorResponse(hash.status());
  const Id account = PathNumber(ctx.params, "user").value_or(0);
  ctx.audit_detail = "password reset for account " + std::to_string(account);
  return Write([account, hash = *hash](CairnService& service) {
    if (Status s = cairn::ResetPassword(service.store(), account, hash); !s.ok()) {
      return ErrorResponse(s);
    }
    return JsonResponse(200, json{{"id", account}, {"password_reset", true}});
  });
}

HttpResponse Api::ListTokens(Context& ctx) {
  auto tokens = Service().store().ApiTokensOf(ctx.who->account_id);
  if (!tokens.ok()) return ErrorResponse(tokens.status());
  json out = json::array();
  for (const ApiToken& t : *tokens) {
    out.push_back({{"id", t.id},
                   {"name", t.name},
                   {"scopes", t.scopes},
                   {"created_at", FormatInstant(t.created_at)},
                   {"revoked", t.revoked_at.has_value()}});
  }
  return JsonResponse(200, out);
}

HttpResponse Api::CreateToken(Context& ctx) {
  if (!ctx.body.is_object())
    return ErrorResponse(400, "invalid_argument", "body: expected an object");
  ApiToken token;
  token.account_id = ctx.who->account_id;
  token.name = Str(ctx.body, "name");
  if (token.name.empty()) return ErrorResponse(400, "invalid_argument", "name: required");
  if (!ctx.body.contains("scopes") || !ctx.body["scopes"].is_array()) {
    return ErrorResponse(400, "invalid_argument",
                         "scopes: expected [\"read\"] or [\"read\", \"write\"]");
  }
  for (const json& scope : ctx.body["scopes"]) {
    if (scope != "read" && scope != "write") {
      return ErrorResponse(400, "invalid_argument", "scopes: unknown scope " + scope.dump());
    }
    token.scopes.push_back(scope.get<std::string>());
  }
  const std::string secret = "cairn_" + RandomToken();
  token.token_hash = Sha256Hex(secret);
  token.created_at = options_.clock();
  ctx.audit_detail = "token '" + token.name + "' " + json(token.scopes).dump();
  return Write([token, secret](CairnService& service) {
    auto id = service.store().InsertApiToken(token);
    if (!id.ok()) return ErrorResponse(id.status());
    // The secret is shown once; only its hash is kept.
    return JsonResponse(
        201, json{{"id", *id}, {"name", token.name}, {"scopes", token.scopes}, {"token", secret}});
  });
}

HttpResponse Api::RevokeToken(Context& ctx) {
  const Id id = PathNumber(ctx.params, "token").value_or(0);
  ctx.audit_detail = "token " + std::to_string(id) + " revoked";
  return Write([this, id, account = ctx.who->account_id](CairnService& service) {
    // Only one's own tokens: another admin's token is not found.
    auto tokens = service.store().ApiTokensOf(account);
    if (!tokens.ok()) return ErrorResponse(tokens.status());
    if (std::none_of(tokens->begin(), tokens->end(),
                     [&](const ApiToken& t) { return t.id == id; })) {
      return ErrorResponse(404, "not_found", "token: no token " + std::to_string(id));
    }
    Status status = service.store().RevokeApiToken(id, options_.clock());
    if (!status.ok()) return ErrorResponse(status);
    HttpResponse response;
    response.status = 204;
    return response;
  });
}

HttpResponse Api::GetAudit(Context& ctx) {
  FlushAudit();
  auto query = ctx.request.Query();
  std::optional<Id> student;
  int limit = 200;
  if (query.count("limit")) {
    auto n = BoundedNumber(query["limit"], 1, 5000);
    if (!n) return ErrorResponse(400, "invalid_argument", "limit: expected 1 to 5000");
    limit = static_cast<int>(*n);
  }
  // The request's roster snapshot, not the read lock: this reads the
  // database, and the writer's refresh must not wait for it.
  const Roster& roster = *ctx.roster;
  {
    if (query.count("student")) {
      const Person* p = roster.FindPersonBySourcedId(query["student"]);
      if (!p)
        return ErrorResponse(404, "not_found", "student: no student '" + query["student"] + "'");
      student = p->id;
    }
    auto entries = Service().store().Audit(student, limit);
    if (!entries.ok()) return ErrorResponse(entries.status());
    json out = json::array();
    for (const AuditEntry& e : *entries) {
      json item{{"at", FormatInstant(e.at)},
                {"action", e.action},
                {"resource", e.resource},
                {"request_id", e.request_id},
                {"status", e.status}};
      if (e.actor_person_id) {
        if (const Person* p = roster.FindPerson(*e.actor_person_id)) item["actor"] = PersonJson(*p);
      }
      if (e.student_id) {
        if (const Person* p = roster.FindPerson(*e.student_id)) item["student"] = PersonJson(*p);
      }
      if (!e.students.empty()) {
        json students = json::array();
        for (Id id : e.students) {
          const Person* p = roster.FindPerson(id);
          students.push_back(p ? p->sourced_id : std::to_string(id));
        }
        item["students"] = std::move(students);
      }
      if (!e.detail.empty()) item["detail"] = e.detail;
      out.push_back(std::move(item));
    }
    return JsonResponse(200, out);
  }
}

}  // namespace cairn
