// The real server on loopback: keep-alive, size limits, graceful stop.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace cairn {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class ServerFixture : public ::testing::Test {
 protected:
  void Start(Handler handler, std::size_t body_limit = 1024) {
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
  Start(Echo);
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
  Start(Echo, 16);
  Client client(server_->port());
  auto res = client.Send(http::verb::post, "/x", std::string(64, 'a'));
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_NE(res.body().find("payload_too_large"), std::string::npos);
}

TEST_F(ServerFixture, HandlerExceptionsBecome500WithoutKillingTheServer) {
  Start([](const HttpRequest& r) -> HttpResponse {
    if (r.target == "/boom") throw std::runtime_error("boom");
    return Echo(r);
  });
  Client client(server_->port());
  EXPECT_EQ(client.Send(http::verb::get, "/boom").result_int(), 500);
  Client again(server_->port());
  EXPECT_EQ(again.Send(http::verb::get, "/ok").result_int(), 200);
}

TEST_F(ServerFixture, StopFinishesTheRequestInFlightThenReturns) {
  std::promise<void> entered;
  std::atomic<bool> finished{false};
  Start([&](const HttpRequest& r) {
    if (r.target == "/slow") {
      entered.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      finished = true;
    }
    return Echo(r);
  });
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
  Start([&](const HttpRequest& r) {
    if (r.method == "POST") {
      entered.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      finished = true;
    }
    return Echo(r);
  });
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

}  // namespace
}  // namespace cairn
