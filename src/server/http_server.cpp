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
#include "server/crypto.h"

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

// Accept a caller's request id only if it is short and plain.
std::string RequestIdFor(const http::request<http::string_body>& req) {
  auto it = req.find("x-request-id");
  if (it != req.end()) {
    std::string id(it->value());
    bool plain =
        !id.empty() && id.size() <= 64 &&
        id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
            std::string::npos;
    if (plain) return id;
  }
  return RandomToken(12);
}

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  Handler handler;
  BodyStreamer streamer;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::unique_ptr<asio::thread_pool> workers;  // runs requests that change data
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
  Session(tcp::socket socket, Impl& server) : stream_(std::move(socket)), server_(server) {
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

  auto executor() { return stream_.get_executor(); }

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
    const bool too_large = status.message().find("larger than") != std::string::npos;
    auto res = std::make_shared<http::response<http::string_body>>(
        too_large ? http::status::payload_too_large : http::status::bad_request, 11);
    res->set(http::field::content_type, "application/json");
    nlohmann::json error{{"code", too_large ? "payload_too_large" : StatusCodeName(status.code())},
                         {"message", status.message()}};
    if (auto colon = status.message().find(": "); colon != std::string::npos && colon < 120) {
      error["field"] = status.message().substr(0, colon);
    }
    res->body() = nlohmann::json{{"error", error}}.dump();
    res->keep_alive(false);
    res->prepare_payload();
    Write(res);
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
    auto res =
        std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
    res->set(http::field::content_type, "application/json");
    res->body() = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump();
    res->keep_alive(false);
    res->prepare_payload();
    Write(res);
  }

  void Handle(http::request<http::string_body> req, std::string body_file) {
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
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

  void Dispatch(HttpRequest request, unsigned version, bool keep_alive) {
    const auto started = std::chrono::steady_clock::now();
    if (request.request_id.empty()) request.request_id = RandomToken(12);
    if (request.method == "GET" || request.method == "HEAD") {
      HttpResponse response = Run(request);
      if (!request.body_file.empty()) {
        std::error_code ignored;
        std::filesystem::remove(request.body_file, ignored);
      }
      Respond(request, std::move(response), version, keep_alive, started);
      return;
    }
    // Changes may wait for the group commit: run them on the worker pool so
    // they never hold an I/O thread (and many can share one commit). The
    // guard keeps Run() from returning while one is in flight.
    asio::post(*server_.workers,
               [self = shared_from_this(), request = std::move(request), version, keep_alive,
                started, guard = asio::make_work_guard(server_.io)]() mutable {
                 HttpResponse response = self->Run(request);
                 if (!request.body_file.empty()) {
                   std::error_code ignored;
                   std::filesystem::remove(request.body_file, ignored);
                 }
                 asio::post(self->stream_.get_executor(), [self, request = std::move(request),
                                                           response = std::move(response), version,
                                                           keep_alive, started]() mutable {
                   self->Respond(request, std::move(response), version, keep_alive, started);
                 });
               });
  }

  HttpResponse Run(const HttpRequest& request) {
    try {
      return server_.handler(request);
    } catch (const std::exception& e) {
      LogLine({{"ts", NowText()},
               {"level", "error"},
               {"request_id", request.request_id},
               {"message", e.what()}});
      HttpResponse response;
      response.status = 500;
      response.body =
          nlohmann::json{{"error", {{"code", "internal"}, {"message", "internal error"}}}}.dump();
      return response;
    }
  }

  void Respond(const HttpRequest& request, HttpResponse response, unsigned version, bool keep_alive,
               std::chrono::steady_clock::time_point started) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    res->set(http::field::server, "cairn");
    res->set(http::field::content_type, response.content_type);
    res->set("X-Request-Id", request.request_id);
    res->set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : response.headers) res->insert(name, value);
    if (request.method != "HEAD") res->body() = std::move(response.body);
    res->keep_alive(keep_alive && !server_.stopping);
    res->prepare_payload();

    if (server_.options.log_requests) {
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count();
      LogLine({{"ts", NowText()},
               {"level", response.status >= 500 ? "error" : "info"},
               {"request_id", request.request_id},
               {"method", request.method},
               {"path", std::string(request.Path())},
               {"status", response.status},
               {"duration_ms", std::round(ms * 1000) / 1000},
               {"remote", remote_}});
    }
    Write(res);
  }

  void Write(std::shared_ptr<http::response<http::string_body>> res) {
    stream_.expires_after(server_.options.read_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                        self->busy_ = false;
                        if (ec || !res->keep_alive()) return self->Close();
                        self->Read();
                      });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  Impl& server_;
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
      asio::post(session->executor(), [session] { session->CloseIfIdle(); });
    }
  }
}

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping || !acceptor.is_open()) return;
    if (!ec) std::make_shared<Session>(std::move(socket), *this)->Start();
    Accept();
  });
}

HttpServer::HttpServer(ServerOptions options, Handler handler, BodyStreamer streamer)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
  impl_->streamer = std::move(streamer);
  impl_->workers = std::make_unique<asio::thread_pool>(
      static_cast<std::size_t>(std::max(1, impl_->options.write_threads)));
}

HttpServer::~HttpServer() = default;

Status HttpServer::Start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return Status::Invalid("address: " + impl_->options.address + ": " + ec.message());
  tcp::endpoint endpoint{address, impl_->options.port};
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Internal("cannot listen on " + impl_->options.address + ":" +
                            std::to_string(impl_->options.port) + ": " + ec.message());
  }
  impl_->Accept();
  return Status::Ok();
}

unsigned short HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::Run() {
  int threads = impl_->options.threads;
  if (threads <= 0)
    threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency() * 2));
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (std::thread& t : pool) t.join();
}

void HttpServer::Stop() {
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->stopping = true;
    beast::error_code ec;
    impl->acceptor.close(ec);
    impl->CloseIdleSessions();
  });
}

}  // namespace cairn
