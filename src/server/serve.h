// `cairn serve` without the command line: opens the database, finds the web
// app, starts the HTTP server on the API, issues the credentials of awards
// confirmed while no server ran, and serves until SIGINT or SIGTERM.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/http_server.h"

namespace cairn {

struct ServeOptions {
  // The database (store/open_store.h): a SQLite file, created (with its
  // folder) when missing, or a postgres:// URI; migrated when older.
  // Required.
  std::string db_path;
  // Portfolio files (content-addressed). Empty: "<db_path>-files" beside a
  // SQLite file; required with PostgreSQL.
  std::string files_dir;
  // Address, port (0 picks a free one), I/O threads and request logging.
  ServerOptions server;
  // The built web app. Unset: the first of WebRootCandidates() holding an
  // index.html, or none (API only, with a warning). Set: used as given.
  std::optional<std::string> web_root;
  // Mark cookies Secure and send HSTS (when served behind TLS).
  bool secure_cookies = false;
  // Where verifiers reach this server, written into every credential. Empty:
  // the one the database remembers, else http://<address>:<port> of this
  // start. Whatever is used is remembered in the database (setting
  // "public_url").
  std::string public_url;
  // Development (`--dev`): credentials are issued even under an http: or
  // loopback public URL. Without it Cairn still serves and records awards
  // under such a URL, but issues no credential (/healthz says why).
  bool dev = false;
  // Email (issue #13): an smtp:// or smtps:// server, its login (the
  // password from $CAIRN_SMTP_PASSWORD, never a flag), and the sender
  // address. No URL: notifications reach the in-app feed only.
  std::string smtp_url;
  std::string smtp_user;
  std::string mail_from;
  // How often the notification pipeline runs, in milliseconds.
  int notify_every_ms = 2000;
};

// Serves until SIGINT or SIGTERM, then stops gracefully (requests in flight
// are answered) and returns Ok. Returns an error, without serving, when the
// database cannot be opened, the address cannot be bound, or the public URL
// cannot be stored or pending credentials issued.
//
// Writes the serving address, the web root, any credentials issued at start
// and "Cairn stopped." to `out`; warnings (running as root, no web app
// found) to `err`. Request logs go to standard error (HttpServer).
//
// Blocks SIGINT and SIGTERM in the calling thread (threads it starts inherit
// that) and takes them with sigwait, so call it from the program's main
// thread before starting others; they stay blocked after it returns. One
// call per process at a time.
Status Serve(ServeOptions options, std::ostream& out, std::ostream& err);

// Where Serve looks for the built web app when none is given, in order: a
// source checkout (build/cairn next to web/), a build tree one level deeper
// (build/x/cairn), an install (bin/cairn next to share/cairn/web), then
// ./web/dist.
std::vector<std::filesystem::path> WebRootCandidates();

}  // namespace cairn
