#include "server/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "service/crypto.h"

namespace cairn {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::mutex log_mutex;

void LogLine(const nlohmann::json& line) {
  std::lock_guard lock(log_mutex);
  std::cerr << line.dump() << "\n";
}

std::string NowText() {
  return FormatInstant(std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
}

// Unique, not secret: a random prefix per process and a counter.
std::string NewRequestId() {
  static const std::string prefix = RandomToken(6) + "-";
  static std::atomic<std::uint64_t> next{1};
  return prefix + std::to_string(next.fetch_add(1, std::memory_order_relaxed));
}

// Accept a caller's request id only if it is short and plain.
template <typename Message>
std::string RequestIdFor(const Message& req) {
  auto it = req.find("x-request-id");
  if (it != req.end()) {
    std::string id(it->value());
    bool plain =
        !id.empty() && id.size() <= 64 &&
        id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
            std::string::npos;
    if (plain) return id;
  }
  return NewRequestId();
}

// What Respond needs of a request once the handler owns it.
struct RequestInfo {
  std::string method;
  std::string path;
  std::string request_id;
  std::string body_file;
  unsigned version = 11;
  bool keep_alive = true;
  std::chrono::steady_clock::time_point started;
};

// A response on its way out: the body is either owned here or shared with
// a cache, and the message refers to it without copying.
struct Outgoing {
  std::string owned;
  std::shared_ptr<const std::string> shared;
  http::response<http::span_body<const char>> message;
};

// A file streamed to the socket in slices; a temporary one is deleted once
// sent (or when the connection drops).
struct OutgoingFile {
  http::response<http::file_body> message;
  std::string delete_path;
  ~OutgoingFile() {
    if (delete_path.empty()) return;
    message.body().close();
    std::error_code ignored;
    std::filesystem::remove(delete_path, ignored);
  }
};

std::shared_ptr<Outgoing> MakeOutgoing(int status, unsigned version, std::string content_type,
                                       std::string body) {
  auto out = std::make_shared<Outgoing>();
  out->owned = std::move(body);
  out->message.result(static_cast<http::status>(status));
  out->message.version(version);
  out->message.set(http::field::content_type, content_type);
  out->message.body() = {out->owned.data(), out->owned.size()};
  return out;
}

std::string ErrorBody(const std::string& code, const std::string& message) {
  return nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
}

// An exception escaped a handler: logged here, a plain 500 for the client.
HttpResponse Failed(const std::string& request_id, const std::exception& e) {
  LogLine(
      {{"ts", NowText()}, {"level", "error"}, {"request_id", request_id}, {"message", e.what()}});
  HttpResponse response;
  response.status = 500;
  response.body = ErrorBody("internal", "internal error");
  return response;
}

HttpResponse RunBlocking(const Handler& handler, const HttpRequest& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    return Failed(request.request_id, e);
  }
}

}  // namespace

struct HttpServer::Impl {
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;

  ServerOptions options;
  AsyncHandler handler;
  BodyStreamer streamer;
  // One per I/O thread; a connection lives on one for its whole life, so its
  // handlers never run concurrently and need no strand.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<Guard> guards;  // keep idle contexts running until Stop
  std::size_t next_context = 0;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::thread_pool> workers;  // for a blocking Handler only
  std::atomic<bool> stopping{false};
  std::atomic<int> active_sessions{0};

  class Session;
  std::mutex sessions_mutex;
  std::vector<std::weak_ptr<Session>> sessions;  // to close idle ones on Stop
  void Accept();
  void CloseIdleSessions();
};

class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, asio::io_context& context, Impl& server)
      : stream_(std::move(socket)), server_(server), context_(&context) {
    ++server_.active_sessions;
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }
  ~Session() { --server_.active_sessions; }

  void Start() {
    {
      std::lock_guard lock(server_.sessions_mutex);
      auto& sessions = server_.sessions;
      sessions.erase(std::remove_if(sessions.begin(), sessions.end(),
                                    [](const std::weak_ptr<Session>& s) { return s.expired(); }),
                     sessions.end());
      sessions.push_back(weak_from_this());
    }
    Read();
  }

  // Runs on the session's strand when the server stops: a connection waiting
  // for its next request closes now; a busy one closes after its response.
  void CloseIfIdle() {
    if (!busy_) stream_.socket().cancel();
  }

  asio::io_context& context() { return *context_; }

 private:
  void Read() {
    if (server_.stopping) return Close();
    header_parser_.emplace();
    header_parser_->header_limit(16 * 1024);
    header_parser_->body_limit(server_.options.upload_limit);
    stream_.expires_after(server_.options.read_timeout);
    busy_ = false;
    http::async_read_header(stream_, buffer_, *header_parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  // The header decides where the body goes: a multipart upload streams to a
  // spool file, anything else into memory under the ordinary limit.
  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnRead(ec, 0);
    // Clients sending large bodies (curl above 1 MB) wait for this before
    // sending; without it they stall for a second.
    if (beast::iequals(header_parser_->get()[http::field::expect], "100-continue")) {
      auto res = std::make_shared<http::response<http::empty_body>>(
          http::status::continue_, header_parser_->get().version());
      http::async_write(stream_, *res,
                        [self = shared_from_this(), res](beast::error_code write_ec, std::size_t) {
                          if (write_ec) return self->OnRead(write_ec, 0);
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    beast::error_code ec;
    auto type = header_parser_->get()[http::field::content_type];
    const bool upload =
        type.size() >= 19 && beast::iequals(type.substr(0, 19), "multipart/form-data");
    if (upload && server_.streamer) {
      HttpRequest head = HeadOf(header_parser_->get());
      if (auto sink = server_.streamer(head)) {
        sink_ = std::move(sink);
        stream_parser_.emplace(std::move(*header_parser_));
        stream_parser_->body_limit(server_.options.upload_limit);
        buffer_.reserve(256 * 1024);
        chunk_.resize(256 * 1024);
        return ReadStreamed();
      }
    }
    if (upload) {
      // Read in large slices: the body goes to disk one read at a time.
      buffer_.reserve(256 * 1024);
      file_parser_.emplace(std::move(*header_parser_));
      file_parser_->body_limit(server_.options.upload_limit);
      spool_path_ = SpoolPath();
      file_parser_->get().body().open(spool_path_.c_str(), beast::file_mode::write, ec);
      if (ec) return SendError(503, "unavailable", "cannot accept uploads right now");
      http::async_read(stream_, buffer_, *file_parser_,
                       beast::bind_front_handler(&Session::OnRead, shared_from_this()));
      return;
    }
    // The header was read under the upload limit; hold ordinary bodies to
    // the ordinary one (chunked bodies are counted by the parser below).
    if (auto length = header_parser_->content_length();
        length && *length > server_.options.body_limit) {
      return OnRead(http::error::body_limit, 0);
    }
    parser_.emplace(std::move(*header_parser_));
    parser_->body_limit(server_.options.body_limit);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  // Reads the next slice of a streamed body into chunk_ and hands it to the
  // sink; at the end, hands the request (with its sink) to the handler.
  void ReadStreamed() {
    stream_parser_->get().body().data = chunk_.data();
    stream_parser_->get().body().size = chunk_.size();
    http::async_read(stream_, buffer_, *stream_parser_,
                     beast::bind_front_handler(&Session::OnStreamed, shared_from_this()));
  }

  void OnStreamed(beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      sink_.reset();
      stream_parser_.reset();
      return OnRead(ec, 0);
    }
    const std::size_t got = chunk_.size() - stream_parser_->get().body().size;
    if (got > 0) {
      Status written = sink_->Write(std::string_view(chunk_.data(), got));
      if (!written.ok()) return RefuseStream(written);
    }
    if (!stream_parser_->is_done()) return ReadStreamed();
    if (Status finished = sink_->Finish(); !finished.ok()) return RefuseStream(finished);
    busy_ = true;
    HttpRequest request = HeadOf(stream_parser_->get());
    request.body_sink = std::move(sink_);
    stream_parser_.reset();
    std::vector<char>().swap(chunk_);
    Dispatch(std::move(request), stream_parser_version_, stream_keep_alive_);
  }

  // The body was refused part-way: answer and close, since the rest of it is
  // still on the wire.
  void RefuseStream(const Status& status) {
    sink_.reset();
    stream_parser_.reset();
    const bool too_large = status.code() == StatusCode::kResourceExhausted;
    nlohmann::json error{{"code", StatusCodeName(status.code())}, {"message", status.message()}};
    if (!status.fields().empty()) error["field"] = status.fields().front().field;
    auto out = MakeOutgoing(too_large ? 413 : 400, 11, "application/json",
                            nlohmann::json{{"error", error}}.dump());
    out->message.keep_alive(false);
    out->message.prepare_payload();
    Write(out);
  }

  template <typename Message>
  HttpRequest HeadOf(const Message& req) {
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.remote = remote_;
    request.request_id = RequestIdFor(req);
    stream_parser_version_ = req.version();
    stream_keep_alive_ = req.keep_alive();
    return request;
  }

  std::string SpoolPath() const {
    std::string dir = server_.options.spool_dir.empty()
                          ? std::filesystem::temp_directory_path().string()
                          : server_.options.spool_dir;
    return dir + "/cairn-upload-" + RandomToken(12);
  }

  void DropSpool() {
    if (spool_path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove(spool_path_, ignored);
    spool_path_.clear();
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted) {
      DropSpool();
      return Close();
    }
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      DropSpool();
      return SendError(413, "payload_too_large", "the request is larger than this server accepts");
    }
    if (ec) {
      DropSpool();
      return SendError(400, "bad_request", "malformed HTTP request");
    }
    busy_ = true;
    if (file_parser_) {
      auto req = file_parser_->release();
      file_parser_.reset();
      req.body().close();
      http::request<http::string_body> head(std::move(req.base()));
      Handle(std::move(head), std::exchange(spool_path_, std::string()));
      return;
    }
    Handle(parser_->release(), "");
  }

  void SendError(int status, const char* code, const char* message) {
    auto out = MakeOutgoing(status, 11, "application/json", ErrorBody(code, message));
    out->message.keep_alive(false);
    out->message.prepare_payload();
    Write(out);
  }

  void Handle(http::request<http::string_body> req, std::string body_file) {
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.headers.reserve(static_cast<std::size_t>(std::distance(req.begin(), req.end())));
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(req.body());
    request.body_file = std::move(body_file);
    request.remote = remote_;
    request.request_id = RequestIdFor(req);

    Dispatch(std::move(request), req.version(), req.keep_alive());
  }

  // Hands the request to the handler on this thread; the answer may come
  // back on another thread, and is then carried back to this connection's.
  void Dispatch(HttpRequest request, unsigned version, bool keep_alive) {
    auto info = std::make_shared<RequestInfo>();
    info->method = request.method;
    info->path = std::string(request.Path());
    info->request_id = request.request_id;
    info->body_file = request.body_file;
    info->version = version;
    info->keep_alive = keep_alive;
    info->started = std::chrono::steady_clock::now();
    auto answered = std::make_shared<std::atomic<bool>>(false);
    // The guard keeps this connection's context running (Run() from
    // returning) until the answer, however late, has been written.
    auto guard = std::make_shared<Impl::Guard>(asio::make_work_guard(*context_));
    Responder respond = [self = shared_from_this(), info, answered,
                         guard](HttpResponse response) mutable {
      if (response.pending) {
        auto pending = std::move(response.pending);
        pending->OnComplete([self, info, answered, guard](HttpResponse later) {
          if (answered->exchange(true)) return;
          asio::post(*self->context_, [self, info, later = std::move(later), guard]() mutable {
            self->Respond(*info, std::move(later));
          });
        });
        return;
      }
      if (answered->exchange(true)) return;
      asio::dispatch(*self->context_,
                     [self, info, response = std::move(response), guard]() mutable {
                       self->Respond(*info, std::move(response));
                     });
    };
    try {
      server_.handler(std::move(request), respond);
    } catch (const std::exception& e) {
      respond(Failed(info->request_id, e));
    }
  }

  void Respond(const RequestInfo& info, HttpResponse response) {
    if (!info.body_file.empty()) {
      std::error_code ignored;
      std::filesystem::remove(info.body_file, ignored);
    }
    auto decorate = [&](auto& res) {
      res.set(http::field::server, "cairn");
      res.set("X-Request-Id", info.request_id);
      res.set("X-Content-Type-Options", "nosniff");
      for (const auto& [name, value] : response.headers) res.insert(name, value);
      res.keep_alive(info.keep_alive && !server_.stopping);
      res.prepare_payload();
    };
    std::shared_ptr<OutgoingFile> file_out;
    if (!response.body_file.empty()) {
      file_out = std::make_shared<OutgoingFile>();
      if (response.delete_body_file) file_out->delete_path = response.body_file;
      beast::error_code ec;
      file_out->message.body().open(response.body_file.c_str(), beast::file_mode::scan, ec);
      if (ec) {
        response = Failed(info.request_id, std::runtime_error("cannot open " + response.body_file +
                                                              ": " + ec.message()));
        file_out.reset();
      } else if (info.method == "HEAD") {
        file_out.reset();  // the headers only (deletes a temporary file)
      }
    }
    auto out = MakeOutgoing(response.status, info.version, std::move(response.content_type),
                            std::move(response.body));
    auto& res = out->message;
    if (info.method == "HEAD") {
      res.body() = {};
    } else if (response.shared_body) {
      out->shared = std::move(response.shared_body);
      res.body() = {out->shared->data(), out->shared->size()};
    }
    if (file_out) {
      file_out->message.result(res.result());
      file_out->message.version(res.version());
      file_out->message.set(http::field::content_type, res[http::field::content_type]);
      decorate(file_out->message);
    } else {
      decorate(res);
    }

    if (server_.options.log_requests) {
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - info.started)
              .count();
      LogLine({{"ts", NowText()},
               {"level", response.status >= 500 ? "error" : "info"},
               {"request_id", info.request_id},
               {"method", info.method},
               {"path", info.path},
               {"status", response.status},
               {"duration_ms", std::round(ms * 1000) / 1000},
               {"remote", remote_}});
    }
    if (file_out) return Write(std::move(file_out));
    Write(out);
  }

  // An Outgoing (body in memory) or an OutgoingFile (streamed from disk).
  template <typename Out>
  void Write(std::shared_ptr<Out> out) {
    stream_.expires_after(server_.options.read_timeout);
    http::async_write(stream_, out->message,
                      [self = shared_from_this(), out](beast::error_code ec, std::size_t) {
                        self->busy_ = false;
                        if (ec || !out->message.keep_alive()) return self->Close();
                        self->Read();
                      });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  Impl& server_;
  asio::io_context* context_;  // the one this connection lives on
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> header_parser_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::request_parser<http::file_body>> file_parser_;
  std::optional<http::request_parser<http::buffer_body>> stream_parser_;
  std::shared_ptr<BodySink> sink_;
  std::vector<char> chunk_;  // allocated for a streamed body only
  unsigned stream_parser_version_ = 11;
  bool stream_keep_alive_ = false;
  std::string spool_path_;
  std::string remote_;
  bool busy_ = false;
};

void HttpServer::Impl::CloseIdleSessions() {
  std::lock_guard lock(sessions_mutex);
  for (const auto& weak : sessions) {
    if (auto session = weak.lock()) {
      asio::post(session->context(), [session] { session->CloseIfIdle(); });
    }
  }
}

void HttpServer::Impl::Accept() {
  asio::io_context& context = *contexts[next_context];
  next_context = (next_context + 1) % contexts.size();
  acceptor->async_accept(context, [this, &context](beast::error_code ec, tcp::socket socket) {
    if (stopping || !acceptor->is_open()) return;
    if (!ec) {
      (void)socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), context, *this)->Start();
    }
    Accept();
  });
}

HttpServer::HttpServer(ServerOptions options, AsyncHandler handler, BodyStreamer streamer)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
  impl_->streamer = std::move(streamer);
  int threads = impl_->options.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) {
    impl_->contexts.push_back(std::make_unique<asio::io_context>(1));
    impl_->guards.push_back(asio::make_work_guard(*impl_->contexts.back()));
  }
  impl_->acceptor = std::make_unique<tcp::acceptor>(*impl_->contexts.front());
}

HttpServer::HttpServer(ServerOptions options, Handler handler, BodyStreamer streamer)
    : HttpServer(std::move(options), AsyncHandler(), std::move(streamer)) {
  impl_->workers = std::make_unique<asio::thread_pool>(
      static_cast<std::size_t>(std::max(1, impl_->options.write_threads)));
  // Reads answer on the I/O thread; changes, which may wait for a commit,
  // on the pool.
  impl_->handler = [handler = std::move(handler), pool = impl_->workers.get()](HttpRequest request,
                                                                               Responder respond) {
    if (request.method == "GET" || request.method == "HEAD") {
      respond(RunBlocking(handler, request));
      return;
    }
    asio::post(*pool, [handler, request = std::move(request), respond = std::move(respond)] {
      respond(RunBlocking(handler, request));
    });
  };
}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return Status::Invalid("address: " + impl_->options.address + ": " + ec.message());
  tcp::endpoint endpoint{address, impl_->options.port};
  tcp::acceptor& acceptor = *impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Internal("cannot listen on " + impl_->options.address + ":" +
                            std::to_string(impl_->options.port) + ": " + ec.message());
  }
  impl_->Accept();
  return Status::Ok();
}

unsigned short HttpServer::port() const { return impl_->acceptor->local_endpoint().port(); }

void HttpServer::Run() {
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < impl_->contexts.size(); ++i) {
    pool.emplace_back([context = impl_->contexts[i].get()] { context->run(); });
  }
  impl_->contexts.front()->run();
  for (std::thread& t : pool) t.join();
  // A blocking handler's pool may still hold a finished task's lambda.
  if (impl_->workers) impl_->workers->join();
}

void HttpServer::Stop() {
  asio::post(*impl_->contexts.front(), [impl = impl_.get()] {
    impl->stopping = true;
    beast::error_code ec;
    impl->acceptor->close(ec);
    impl->CloseIdleSessions();
    // Each context now runs until its connections and answers are done.
    for (Impl::Guard& guard : impl->guards) guard.reset();
  });
}

}  // namespace cairn
