// The real server on loopback: keep-alive, size limits, graceful stop.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace cairn {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class ServerFixture : public ::testing::Test {
 protected:
  template <typename AnyHandler>
  void Start(AnyHandler handler, std::size_t body_limit = 1024) {
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.body_limit = body_limit;
    options.log_requests = false;
    server_ = std::make_unique<HttpServer>(options, std::move(handler));
    ASSERT_TRUE(server_->Start().ok());
    runner_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (runner_.joinable()) {
      server_->Stop();
      runner_.join();
    }
  }

  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
};

struct Client {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;

  explicit Client(unsigned short port) {
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  http::response<http::string_body> Send(http::verb verb, const std::string& target,
                                         const std::string& body = "") {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "localhost");
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return res;
  }
};

HttpResponse Echo(const HttpRequest& request) {
  HttpResponse response;
  response.content_type = "text/plain";
  response.body = request.method + " " + request.target + " " + request.body;
  return response;
}

TEST_F(ServerFixture, KeepAliveServesSeveralRequestsOnOneConnection) {
  Start(Handler(Echo));
  Client client(server_->port());
  for (int i = 0; i < 3; ++i) {
    auto res = client.Send(http::verb::post, "/x?i=" + std::to_string(i), "hello");
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "POST /x?i=" + std::to_string(i) + " hello");
    EXPECT_TRUE(res.keep_alive());
    EXPECT_FALSE(res["X-Request-Id"].empty());
  }
}

TEST_F(ServerFixture, OversizedBodiesAreRefusedWith413) {
  Start(Handler(Echo), 16);
  Client client(server_->port());
  auto res = client.Send(http::verb::post, "/x", std::string(64, 'a'));
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_NE(res.body().find("payload_too_large"), std::string::npos);
}

TEST_F(ServerFixture, HandlerExceptionsBecome500WithoutKillingTheServer) {
  Start(Handler([](const HttpRequest& r) -> HttpResponse {
    if (r.target == "/boom") throw std::runtime_error("boom");
    return Echo(r);
  }));
  Client client(server_->port());
  EXPECT_EQ(client.Send(http::verb::get, "/boom").result_int(), 500);
  Client again(server_->port());
  EXPECT_EQ(again.Send(http::verb::get, "/ok").result_int(), 200);
}

TEST_F(ServerFixture, StopFinishesTheRequestInFlightThenReturns) {
  std::promise<void> entered;
  std::atomic<bool> finished{false};
  Start(Handler([&](const HttpRequest& r) {
    if (r.target == "/slow") {
      entered.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      finished = true;
    }
    return Echo(r);
  }));
  Client idle(server_->port());  // an idle keep-alive connection must not hold up the stop
  idle.Send(http::verb::get, "/warm");
  auto response = std::async(std::launch::async, [port = server_->port()] {
    Client client(port);
    return client.Send(http::verb::get, "/slow");
  });
  entered.get_future().wait();
  const auto stop_at = std::chrono::steady_clock::now();
  server_->Stop();
  auto res = response.get();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "GET /slow ");
  EXPECT_FALSE(res.keep_alive());  // told to go away after this one
  EXPECT_TRUE(finished);
  runner_.join();
  // Returned promptly: not after the idle connection's 30 s read timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - stop_at, std::chrono::seconds(5));
}

TEST_F(ServerFixture, StopWaitsForAChangeRunningOnTheWorkerPool) {
  std::promise<void> entered;
  std::atomic<bool> finished{false};
  Start(Handler([&](const HttpRequest& r) {
    if (r.method == "POST") {
      entered.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      finished = true;
    }
    return Echo(r);
  }));
  auto response = std::async(std::launch::async, [port = server_->port()] {
    Client client(port);
    return client.Send(http::verb::post, "/change", "x");
  });
  entered.get_future().wait();
  server_->Stop();
  auto res = response.get();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "POST /change x");
  EXPECT_TRUE(finished);
  runner_.join();
}

// The asynchronous form: answered later from another thread, as the writer
// answers a change after its commit; a pending response works the same way.
// Stop waits for both.
TEST_F(ServerFixture, AnswersFromAnotherThreadArriveAndStopWaitsForThem) {
  std::vector<std::thread> answerers;
  std::mutex mutex;
  std::promise<void> entered;
  std::atomic<int> started{0};
  Start(AsyncHandler([&](HttpRequest request, Responder respond) {
    std::lock_guard lock(mutex);
    if (request.target == "/pending") {
      auto pending = std::make_shared<PendingResponse>();
      HttpResponse later;
      later.pending = pending;
      respond(std::move(later));  // registers; the body comes below
      answerers.emplace_back([pending, request] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        pending->Complete(Echo(request));
      });
      return;
    }
    answerers.emplace_back([&, request = std::move(request), respond = std::move(respond)] {
      if (++started == 1) entered.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      respond(Echo(request));
    });
  }));
  Client client(server_->port());
  EXPECT_EQ(client.Send(http::verb::post, "/pending", "p").body(), "POST /pending p");
  EXPECT_EQ(client.Send(http::verb::get, "/later").body(), "GET /later ");
  auto in_flight = std::async(std::launch::async, [port = server_->port()] {
    Client other(port);
    return other.Send(http::verb::post, "/change", "x");
  });
  entered.get_future().wait();
  // The other connection waits for its answer; stopping must not drop it.
  while (started < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->Stop();
  auto res = in_flight.get();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "POST /change x");
  runner_.join();
  std::lock_guard lock(mutex);
  for (std::thread& t : answerers) t.join();
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

// Downloads are streamed from disk; a temporary file (an export) is gone
// once sent, and a kept one (a stored blob) stays.
TEST_F(ServerFixture, FileBodiesAreStreamedAndTemporaryOnesDeleted) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("cairn_stream_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  for (const char* name : {"kept.bin", "temp.bin"})
    std::ofstream(dir / name, std::ios::binary) << big;
  Start(Handler([&](const HttpRequest& request) {
    HttpResponse response;
    response.content_type = "application/octet-stream";
    const bool temp = request.target == "/temp";
    response.body_file = (dir / (temp ? "temp.bin" : "kept.bin")).string();
    response.delete_body_file = temp;
    return response;
  }));
  Client client(server_->port());
  auto kept = client.Send(http::verb::get, "/kept");
  EXPECT_EQ(kept.result_int(), 200);
  EXPECT_EQ(kept.body(), big);
  auto temp = client.Send(http::verb::get, "/temp");
  EXPECT_EQ(temp.body(), big);
  EXPECT_TRUE(fs::exists(dir / "kept.bin"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (fs::exists(dir / "temp.bin") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_FALSE(fs::exists(dir / "temp.bin"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cairn
