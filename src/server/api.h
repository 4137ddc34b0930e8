// The REST API under /api/v1 (documented in openapi.json, served at
// /api/openapi.json), the health check, the public credential documents and
// the web app's static files.
//
// Api is the request pipeline and nothing else. The route table is the
// union of the handler groups' declarations (handlers/*.h); for each request
// Api matches a route (route.h), checks what needs no sign-in (origin,
// content type, body limits: request_guard.h), signs the caller in
// (authenticator.h), resolves whose record the path names (subjects.h),
// applies the route's access rule (policy.h) and the CSRF check, runs the
// handler, and audits (audit_sink.h). Handlers share ApiServices (the
// database, the read model, the single writer).
//
// Handle() is a plain function from request to response: tests drive it
// without sockets.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/api_services.h"
#include "server/authenticator.h"
#include "server/handlers/agency_handlers.h"
#include "server/handlers/alignment_handlers.h"
#include "server/handlers/calibration_handlers.h"
#include "server/handlers/catalog_handlers.h"
#include "server/handlers/credential_handlers.h"
#include "server/handlers/file_handlers.h"
#include "server/handlers/import_handlers.h"
#include "server/handlers/intervention_handlers.h"
#include "server/handlers/invitation_handlers.h"
#include "server/handlers/ledger_handlers.h"
#include "server/handlers/notification_handlers.h"
#include "server/handlers/peer_review_handlers.h"
#include "server/handlers/people_handlers.h"
#include "server/handlers/portfolio_handlers.h"
#include "server/handlers/report_card_handlers.h"
#include "server/handlers/report_handlers.h"
#include "server/handlers/session_handlers.h"
#include "server/handlers/standards_handlers.h"
#include "server/handlers/toolkit_handlers.h"
#include "server/handlers/tracker_handlers.h"
#include "server/handlers/wallet_handlers.h"
#include "server/http_types.h"
#include "server/route.h"
#include "server/static_files.h"

namespace cairn {

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
  // For the server: a sink that takes an upload's body as it arrives (a
  // kUpload route the caller may write to), or null for an ordinary request.
  std::shared_ptr<BodySink> StreamBody(const HttpRequest& head);
  // Every route of every handler group, in matching order.
  static const std::vector<RouteInfo>& Routes();
  // Issues the credentials of confirmed awards that have none yet (awards
  // confirmed by the CLI or the demo generator), and returns when done.
  Result<int> IssueAllPendingCredentials() { return services_.IssueAllPending(); }
  // The same in the background, progress logged to `log` (may be null): the
  // server calls it at start, once listening.
  void StartIssuingPendingCredentials(std::ostream* log) { services_.StartIssuingPending(log); }
  // The notification pipeline (tests and tools run a round with RunOnce).
  NotifyLoop& notifications() { return services_.notifications(); }
  // Writes buffered audit entries now (they are otherwise written in
  // batches every 50 ms, off the request path).
  void FlushAudit() { services_.FlushAudit(); }

 private:
  struct Pool;
  // Security headers around Decide, or a static file.
  HttpResponse Answer(const HttpRequest& request, const Router::Match& match);
  // The pipeline; the response may be pending (a queued change).
  HttpResponse Decide(const HttpRequest& request, const Router::Match& match);
  // A refusal (401, 403, 404 for hidden work), audited with its reason.
  HttpResponse Refuse(RequestContext& ctx, int status, const std::string& message);
  // The signed-in person, from `roster` (the request's snapshot), or none.
  std::optional<Principal> Authenticate(const HttpRequest& request, const Roster& roster,
                                        const SignInPolicy& policy, std::int64_t access_mark,
                                        std::string* csrf);
  static void LogHandlerError(const HttpRequest& request, const std::string& what);
  static constexpr std::size_t kMaxJsonBody = 1u << 20;
  static constexpr std::size_t kMaxCatalogBody = 8u << 20;

  ApiServices services_;
  StaticFiles static_files_;
  Authenticator authenticator_;
  SessionHandlers session_{services_};
  CatalogHandlers catalog_{services_};
  LedgerHandlers ledger_{services_};
  PeopleHandlers people_{services_};
  ReportHandlers reports_{services_};
  PortfolioHandlers portfolio_{services_};
  FileHandlers files_{services_};
  CalibrationHandlers calibration_{services_};
  CredentialHandlers credentials_{services_};
  ImportHandlers imports_{services_};
  ReportCardHandlers report_cards_{services_};
  InvitationHandlers invitations_{services_};
  StandardsHandlers standards_{services_};
  AlignmentHandlers alignment_{services_};
  ToolkitHandlers toolkit_{services_};
  AgencyHandlers agency_{services_};
  PeerReviewHandlers peer_review_{services_};
  InterventionHandlers interventions_{services_};
  NotificationHandlers notifications_{services_};
  TrackerHandlers trackers_{services_};
  WalletHandlers wallet_{services_};
  Router router_;
  std::unique_ptr<Pool> pool_;  // runs kSlow routes; joined first on destruction
};

}  // namespace cairn
