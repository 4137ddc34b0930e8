// The HTTP/1.1 server: Boost.Beast with one io_context per I/O thread (no
// thread per connection, no lock shared by the threads on the request path;
// the acceptor deals connections out in turn), keep-alive, header and body
// size limits, read timeouts, a request id on every request and one JSON log
// line per request.
//
// The handler is called on the connection's I/O thread and must not block:
// it answers at once, or hands the work on (a pool, the writer thread) and
// answers later through its Responder, from any thread. A blocking Handler
// can be given instead; the server then runs GET and HEAD on the I/O threads
// and other methods on a worker pool.
//
// Stop() is graceful: the listener closes, requests in flight finish and are
// answered (so nothing acknowledged is lost), idle keep-alive connections
// close, then Run() returns.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "server/http_types.h"

namespace cairn {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  int threads = 0;             // I/O threads; 0: one per core (at least 2)
  int write_threads = 64;      // for a blocking Handler: runs methods other than GET
  std::size_t body_limit = 8 * 1024 * 1024;
  // multipart/form-data bodies (uploads) may be larger; they are streamed to
  // a file in spool_dir, never held in memory.
  std::size_t upload_limit = 64 * 1024 * 1024;
  std::string spool_dir;  // empty: the system temporary directory
  std::chrono::seconds read_timeout{30};
  bool log_requests = true;
};

// Must not block; answers through the Responder (see above).
using AsyncHandler = std::function<void(HttpRequest, Responder)>;
// May block; see above.
using Handler = std::function<HttpResponse(const HttpRequest&)>;
// Given a request's head (no body yet), a sink to stream the body into, or
// null to receive it the ordinary way.
using BodyStreamer = std::function<std::shared_ptr<BodySink>(const HttpRequest&)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, AsyncHandler handler, BodyStreamer streamer = nullptr);
  HttpServer(ServerOptions options, Handler handler, BodyStreamer streamer = nullptr);
  ~HttpServer();

  // Binds and listens; after this, port() is the bound port.
  Status Start();
  unsigned short port() const;
  // Serves until Stop(); returns when every connection is closed.
  void Run();
  // Thread- and signal-handler-safe (posts to the io_context).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn
