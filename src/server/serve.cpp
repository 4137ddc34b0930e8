#include "server/serve.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <memory>
#include <thread>
#include <utility>

#include "credentials/public_url_history.h"
#include "credentials/public_url_policy.h"
#include "notify/smtp_mailer.h"
#include "server/api.h"
#include "service/cairn_service.h"
#include "store/open_store.h"

namespace cairn {
namespace {

// Opens the database as the CLI does (store/open_store.h): a SQLite file
// and its folder created if missing, or a PostgreSQL URI.
Result<std::unique_ptr<CairnService>> OpenService(const std::string& db_path) {
  CAIRN_ASSIGN_OR_RETURN(auto store, OpenStore(db_path));
  return CairnService::Open(std::move(store), SystemClock());
}

// The first candidate holding index.html, or "" when none does.
std::string FindWebRoot(const std::vector<std::filesystem::path>& candidates) {
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "index.html", ec)) return dir.string();
  }
  return {};
}

// Credentials carry this server's address for ever, so it is chosen once and
// kept, unless an operator moves it on purpose (`requested` not empty).
Result<std::string> SettlePublicUrl(const std::string& db_path, const std::string& requested,
                                    const std::string& this_start) {
  CAIRN_ASSIGN_OR_RETURN(auto service, OpenService(db_path));
  Store& store = service->store();
  auto stored = store.GetSetting("public_url");
  std::string public_url = requested;
  if (public_url.empty()) public_url = stored.ok() && *stored ? **stored : this_start;
  if (!stored.ok() || !*stored || **stored != public_url) {
    // Credentials issued under the old URL still name it.
    if (stored.ok() && *stored) CAIRN_RETURN_IF_ERROR(RememberFormerPublicUrl(store, **stored));
    CAIRN_RETURN_IF_ERROR(store.PutSetting("public_url", public_url));
  }
  return public_url;
}

}  // namespace

std::vector<std::filesystem::path> WebRootCandidates() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) {
    fs::path dir = exe.parent_path();
    candidates.push_back((dir / "../web/dist").lexically_normal());
    candidates.push_back((dir / "../../web/dist").lexically_normal());
    candidates.push_back((dir / "../share/cairn/web").lexically_normal());
  }
  candidates.push_back(fs::absolute("web/dist", ec).lexically_normal());
  return candidates;
}

Status Serve(ServeOptions options, std::ostream& out, std::ostream& err) {
  if (geteuid() == 0) {
    err << "cairn: warning: serving as root; run the server as a dedicated unprivileged user "
           "(for example one created with `useradd --system cairn`) that owns only its "
           "database folder"
        << std::endl;
  }
  ApiOptions api_options;
  api_options.db_path = options.db_path;
  api_options.files_dir = options.files_dir;
  if (IsPostgresLocation(options.db_path) && options.files_dir.empty()) {
    // Portfolio files stay on disk, content-addressed, with either engine.
    return Status::Invalid("--files: give the folder for portfolio files with a PostgreSQL --db");
  }
  api_options.secure_cookies = options.secure_cookies;
  if (options.web_root) {
    api_options.web_root = *options.web_root;
  } else {
    auto candidates = WebRootCandidates();
    api_options.web_root = FindWebRoot(candidates);
    if (api_options.web_root.empty()) {
      err << "cairn: no built web app found (looked in";
      for (const auto& dir : candidates) err << " " << dir.string();
      err << "); serving the API only. Build it with scripts/build-web.sh or pass --web-root."
          << std::endl;
    }
  }
  // Open once here so a bad database fails before listening.
  if (auto service = OpenService(options.db_path); !service.ok()) return service.status();

  // SIGINT/SIGTERM are taken by a waiting thread, not a handler, so the
  // shutdown runs as ordinary code.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // Declared before the server, so it outlives the server's threads.
  std::unique_ptr<Api> api;
  HttpServer server(
      options.server,
      [&api](HttpRequest request, Responder respond) {
        api->Handle(std::move(request), std::move(respond));
      },
      [&api](const HttpRequest& head) { return api->StreamBody(head); });
  CAIRN_RETURN_IF_ERROR(server.Start());
  const std::string address = options.server.address;
  CAIRN_ASSIGN_OR_RETURN(
      api_options.public_url,
      SettlePublicUrl(options.db_path, options.public_url,
                      "http://" + address + ":" + std::to_string(server.port())));
  api_options.dev = options.dev;
  api_options.notify_every_ms = options.notify_every_ms;
  if (!options.mail_from.empty()) api_options.mail_from = options.mail_from;
  if (!options.smtp_url.empty()) {
    const char* password = std::getenv("CAIRN_SMTP_PASSWORD");
    api_options.mailer = std::make_shared<SmtpMailer>(
        SmtpOptions{options.smtp_url, options.smtp_user, password ? password : "", 20});
    out << "Email: " << options.smtp_url << " from " << api_options.mail_from << std::endl;
  } else {
    out << "Email: off (no --smtp-url); notifications go to the in-app feed" << std::endl;
  }
  if (std::string why = IssuanceBlockedReason(api_options.public_url, options.dev); !why.empty()) {
    err << "cairn: warning: " << why << std::endl;
  }
  api = std::make_unique<Api>(api_options);
  // Awards confirmed outside the server get their credentials while it
  // already answers; progress goes to the log (server/pending_issuance.h).
  api->StartIssuingPendingCredentials(&err);
  const bool web_app_built = !api_options.web_root.empty() &&
                             std::filesystem::is_regular_file(api_options.web_root + "/index.html");
  out << "Cairn is serving " << RedactedLocation(options.db_path) << " at http://" << address << ":"
      << server.port() << "/"
      << (web_app_built ? "" : " (web app not built yet: scripts/build-web.sh)") << std::endl;
  if (!api_options.web_root.empty()) out << "Web app: " << api_options.web_root << std::endl;

  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    server.Stop();
  });
  server.Run();
  // Run returns only after Stop: the waiter has finished.
  waiter.join();
  out << "Cairn stopped." << std::endl;
  return Status::Ok();
}

}  // namespace cairn
