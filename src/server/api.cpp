#include "server/api.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "server/request_guard.h"
#include "server/responses.h"
#include "service/crypto.h"

namespace cairn {

using nlohmann::json;

namespace {

// The groups in matching order; Routes() and the router both follow it.
template <typename F>
void ForEachGroup(F&& f) {
  f(SessionHandlers::Routes());
  f(CatalogHandlers::Routes());
  f(LedgerHandlers::Routes());
  f(PeopleHandlers::Routes());
  f(ReportHandlers::Routes());
  f(PortfolioHandlers::Routes());
  f(FileHandlers::Routes());
  f(CalibrationHandlers::Routes());
  f(CredentialHandlers::Routes());
  f(ImportHandlers::Routes());
  f(ReportCardHandlers::Routes());
  f(InvitationHandlers::Routes());
  f(StandardsHandlers::Routes());
  f(AlignmentHandlers::Routes());
  f(ToolkitHandlers::Routes());
  f(AgencyHandlers::Routes());
  f(PeerReviewHandlers::Routes());
  f(InterventionHandlers::Routes());
  f(NotificationHandlers::Routes());
  f(TrackerHandlers::Routes());
  f(WalletHandlers::Routes());
}

}  // namespace

struct Api::Pool {
  // Few: a password hash takes 64 MiB while it runs.
  boost::asio::thread_pool threads{8};
};

Api::Api(ApiOptions options)
    : services_(std::move(options)),
      static_files_(services_.options().web_root,
                    {services_.options().db_path, services_.options().db_path + "-wal",
                     services_.options().db_path + "-shm", services_.options().db_path + "-journal",
                     services_.options().db_path + ".master-key", services_.options().files_dir}),
      pool_(std::make_unique<Pool>()) {
  router_.AddGroup(session_);
  router_.AddGroup(catalog_);
  router_.AddGroup(ledger_);
  router_.AddGroup(people_);
  router_.AddGroup(reports_);
  router_.AddGroup(portfolio_);
  router_.AddGroup(files_);
  router_.AddGroup(calibration_);
  router_.AddGroup(credentials_);
  router_.AddGroup(imports_);
  router_.AddGroup(report_cards_);
  router_.AddGroup(invitations_);
  router_.AddGroup(standards_);
  router_.AddGroup(alignment_);
  router_.AddGroup(toolkit_);
  router_.AddGroup(agency_);
  router_.AddGroup(peer_review_);
  router_.AddGroup(interventions_);
  router_.AddGroup(notifications_);
  router_.AddGroup(trackers_);
  router_.AddGroup(wallet_);
}

Api::~Api() {
  pool_->threads.join();  // slow requests may still queue changes; the writer runs them
}

const std::vector<RouteInfo>& Api::Routes() {
  static const std::vector<RouteInfo> infos = [] {
    std::vector<RouteInfo> out;
    ForEachGroup([&](const auto& routes) {
      for (const auto& route : routes) out.push_back(route.info);
    });
    return out;
  }();
  return infos;
}

std::optional<Principal> Api::Authenticate(const HttpRequest& request, const Roster& roster,
                                           const SignInPolicy& policy, std::int64_t access_mark,
                                           std::string* csrf) {
  return authenticator_.Authenticate(request, roster, policy, access_mark,
                                     services_.Service().store(), services_.Now(), csrf);
}

std::shared_ptr<BodySink> Api::StreamBody(const HttpRequest& head) {
  const Router::Match match = router_.Find(head.method, head.Path());
  if (!match.route || match.route->info.body != BodyKind::kUpload) return nullptr;
  // Only someone who may add to this portfolio gets bytes written to the
  // blob store; anyone else's body is spooled, refused and deleted (by
  // Decide, which explains why).
  const RouteInfo& info = match.route->info;
  if (!CheckSameOrigin(head, services_.options().public_url).ok()) return nullptr;
  if (!services_.model().RefreshIfStale(services_.Service().store()).ok()) return nullptr;
  std::int64_t access_mark = 0;
  SignInPolicy policy;
  const std::shared_ptr<const Roster> roster = services_.model().Read([&](const ReadState& state) {
    access_mark = state.marks.access;
    policy = state.sign_in;
    return state.roster;
  });
  std::string csrf;
  std::optional<Principal> who = Authenticate(head, *roster, policy, access_mark, &csrf);
  if (!who) return nullptr;
  auto subject =
      ResolveSubject(match.params, info.owner, json(), *roster, services_.Service().store());
  if (!subject.ok() || !subject->student) return nullptr;
  const bool allowed =
      (who->via_token || SecretsEqual(head.Header("x-csrf-token").value_or(""), csrf)) &&
      Allowed(info.rule, *roster, who, subject->student, subject->section, true, subject->school,
              subject->district);
  if (!allowed) return nullptr;
  return files_.OpenUpload(head);
}

void Api::Handle(HttpRequest request, Responder respond) {
  Router::Match match = router_.Find(request.method, request.Path());
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
  HttpResponse response = Answer(request, router_.Find(request.method, request.Path()));
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
HttpResponse Api::Answer(const HttpRequest& request, const Router::Match& match) {
  const std::string path(request.Path());
  static constexpr std::string_view kPublicDocuments[] = {"/issuers/", "/achievements/", "/status/",
                                                          "/ob2/", "/.well-known/did.json"};
  const bool api_path = path.rfind("/api/", 0) == 0 || path == "/healthz" ||
                        std::any_of(std::begin(kPublicDocuments), std::end(kPublicDocuments),
                                    [&](std::string_view p) { return path.rfind(p, 0) == 0; });
  const SecurityHeaderOptions header_options{services_.options().secure_cookies};
  if (!api_path) {
    HttpResponse response = static_files_.Serve(request);
    AddSecurityHeaders(response, false, header_options);
    return response;
  }
  HttpResponse response = Decide(request, match);
  AddSecurityHeaders(response, true, header_options);
  return response;
}

HttpResponse Api::Decide(const HttpRequest& request, const Router::Match& match) {
  const std::string path(request.Path());
  const Router::Route* matched = match.route;
  if (!matched) {
    return match.path_matched ? ErrorResponse(405, "method_not_allowed",
                                              request.method + " is not allowed on " + path)
                              : ErrorResponse(404, "not_found", "no route " + path);
  }
  const RouteInfo& info = matched->info;
  const bool is_write = request.method != "GET" && request.method != "HEAD";
  RequestContext ctx{request, match.params, std::nullopt, "", json(), nullptr, nullptr, {}, ""};
  try {
    if (is_write && info.body != BodyKind::kAny) {
      // Before sign-in: a cross-site page must not even learn whether its
      // victim is signed in.
      if (Status s = CheckSameOrigin(request, services_.options().public_url); !s.ok()) {
        HttpResponse refused = ErrorResponse(403, "cross_origin", s.message());
        services_.AuditRefusal(ctx, refused, s.message());
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

    Status refreshed = services_.model().RefreshIfStale(services_.Service().store());
    if (!refreshed.ok()) return ErrorResponse(refreshed);
    std::int64_t access_mark = 0;
    SignInPolicy policy;
    ctx.roster = services_.model().Read([&](const ReadState& state) {
      access_mark = state.marks.access;
      policy = state.sign_in;
      return state.roster;
    });
    ctx.who = Authenticate(request, *ctx.roster, policy, access_mark, &ctx.csrf);

    // Whose record: from the path (never a body field), or for a creating
    // route the body's student as the new record's owner.
    const Section* section = nullptr;
    const School* school = nullptr;
    const District* district = nullptr;
    bool hidden_from_guardians = false;
    if (info.rule != AccessRule::kPublic) {
      auto subject = ResolveSubject(ctx.params, info.owner, ctx.body, *ctx.roster,
                                    services_.Service().store());
      if (!subject.ok()) {
        if (!ctx.who) return Refuse(ctx, 401, "sign in first");
        return ErrorResponse(subject.status());
      }
      ctx.student = subject->student;
      section = subject->section;
      school = subject->school;
      district = subject->district;
      hidden_from_guardians = subject->hidden_from_guardians;
    }
    if (!Allowed(info.rule, *ctx.roster, ctx.who, ctx.student, section, is_write, school,
                 district)) {
      return ctx.who ? Refuse(ctx, 403,
                              "you may not " + std::string(is_write ? "change" : "see") +
                                  " this record")
                     : Refuse(ctx, 401, "sign in first");
    }
    if (hidden_from_guardians && ctx.who && ctx.who->person.role == PersonRole::kGuardian) {
      // Work the student has not shared does not exist for their family.
      return Refuse(ctx, 404, "submission: no such submission");
    }
    if (is_write && ctx.who && !ctx.who->via_token && !ctx.csrf.empty() &&
        !SecretsEqual(request.Header("x-csrf-token").value_or(""), ctx.csrf)) {
      // Browser sessions must echo the CSRF token; API tokens carry no cookie.
      return Refuse(ctx, 403, "missing or wrong X-CSRF-Token header");
    }

    HttpResponse response;
    try {
      response = matched->handler(ctx);
    } catch (const nlohmann::json::type_error& e) {
      // A field of the wrong type that a handler read without checking: the
      // client's mistake, never a 500.
      LogHandlerError(request, e.what());
      response = ErrorResponse(
          Status::InvalidField("body", "a field has the wrong type (see the API document)"));
    }
    // A change made here, not by the writer (which refreshes the model
    // itself): the next request must look at the store.
    if (is_write && !response.pending) services_.model().NoteWrite();
    // Every server-side failure leaves a line an operator can find by the
    // request id the client was shown.
    auto log_failure = [id = request.request_id,
                        route = request.method + " " + path](const HttpResponse& r) {
      if (r.status >= 500) ApiServices::LogServerError(id, route, std::string(r.Body()));
    };
    if (response.pending) {
      response.pending = response.pending->Then(log_failure);
    } else {
      log_failure(response);
    }

    if (info.audited && ctx.who) {
      AuditEntry entry;
      entry.at = services_.Now();
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
        services_.Audit(std::move(entry));
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

HttpResponse Api::Refuse(RequestContext& ctx, int status, const std::string& message) {
  HttpResponse response =
      ErrorResponse(status,
                    status == 401                               ? "unauthenticated"
                    : status == 404                             ? "not_found"
                    : message.find("CSRF") != std::string::npos ? "csrf"
                                                                : "permission_denied",
                    message);
  services_.AuditRefusal(ctx, response, message);
  return response;
}

void Api::LogHandlerError(const HttpRequest& request, const std::string& what) {
  ApiServices::LogServerError(request.request_id,
                              request.method + " " + std::string(request.Path()), what);
}

}  // namespace cairn
