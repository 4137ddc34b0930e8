// `cairn serve`: the flags of server/serve.h.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "cli/cli_context.h"
#include "server/serve.h"

namespace cairn::cli {
namespace {

struct ServeFlags {
  ServeOptions options;
  std::string web_root;
  CLI::Option* web_root_option = nullptr;  // owned by the App
};

}  // namespace

void AddServeCommand(CLI::App& command, CliContext& ctx) {
  auto flags = std::make_shared<ServeFlags>();
  ServeOptions& options = flags->options;
  AddDbOption(command, ctx);
  command.add_option("--port", options.server.port, "TCP port (0 picks a free one)")
      ->capture_default_str();
  command.add_option("--address", options.server.address, "Address to listen on")
      ->capture_default_str();
  command.add_option("--threads", options.server.threads,
                     "I/O threads (0: one per core, at least 2)");
  flags->web_root_option = command.add_option(
      "--web-root", flags->web_root,
      "Directory of the built web app (default: found beside the executable: ../web/dist, "
      "../../web/dist, ../share/cairn/web, then ./web/dist)");
  command.add_flag("--secure-cookies", options.secure_cookies,
                   "Mark cookies Secure (when served behind TLS)");
  command.add_flag("!--no-log", options.server.log_requests, "Do not log each request");
  command.add_option("--files", options.files_dir,
                     "Folder of portfolio files (default: <db>-files; required with a "
                     "postgres:// --db)");
  command.add_option("--public-url", options.public_url,
                     "Address verifiers use to reach this server; remembered in the database "
                     "(default: the first address it was served at)");
  command.add_flag("--dev", options.dev,
                   "Development: issue credentials even under an http: or loopback public URL "
                   "(otherwise awards are recorded and their credentials wait for an https URL)");
  command.add_option("--smtp-url", options.smtp_url,
                     "Send email through this server (smtp://host:port or smtps://host:port); "
                     "the password, if any, comes from $CAIRN_SMTP_PASSWORD");
  command.add_option("--smtp-user", options.smtp_user, "SMTP login name");
  command.add_option("--mail-from", options.mail_from, "Sender address of Cairn's email");
  command
      .add_option("--notify-every-ms", options.notify_every_ms,
                  "How often notifications are derived and sent (milliseconds)")
      ->check(CLI::Range(50, 3600000));
  command.callback([&ctx, flags] {
    ServeOptions given = flags->options;
    given.db_path = ctx.db;
    if (flags->web_root_option->count() > 0) given.web_root = flags->web_root;
    if (Status s = Serve(std::move(given), ctx.out, ctx.err); !s.ok()) ctx.Fail(s);
  });
}

}  // namespace cairn::cli
