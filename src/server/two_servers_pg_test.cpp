// Two stateless servers on one PostgreSQL database (issue #12), over real
// HTTP: two Api + HttpServer pairs in this process on two ports, sharing
// nothing but the database (each has its own connections, read model,
// sign-in cache, writer and audit sink). A rating written through A is
// read through B, and a sign-out on A ends the session on B, each within
// 100 ms of A's answer.
//
// What makes this fast is the change notification (store/pg_change_channel.h):
// while it is followed, a server's time-based check of the store runs only
// once a second (ReadModel::kFollowedDelay), so without notifications the
// median delay would be about half a second and these tests fail. The
// bound is on the median of several tries, so one slow scheduling on a busy
// CI machine does not fail them; each single try must still arrive within
// two seconds.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "demo/demo_district.h"
#include "server/api.h"
#include "server/http_server.h"
#include "service/accounts.h"
#include "service/cairn_service.h"
#include "store/open_store.h"
#include "testing/pg_cluster.h"

namespace cairn {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "correct horse battery";
constexpr auto kBound = std::chrono::milliseconds(100);    // the median of the tries
constexpr auto kGiveUp = std::chrono::milliseconds(2000);  // any single try

// One `cairn serve`: the API behind the HTTP server on a free port.
class Node {
 public:
  explicit Node(const ApiOptions& options) {
    ServerOptions server_options;
    server_options.port = 0;
    server_options.threads = 2;
    server_options.log_requests = false;
    server_ = std::make_unique<HttpServer>(
        server_options,
        [this](HttpRequest request, Responder respond) {
          api_->Handle(std::move(request), std::move(respond));
        },
        [this](const HttpRequest& head) { return api_->StreamBody(head); });
    api_ = std::make_unique<Api>(options);
    if (server_->Start().ok()) runner_ = std::thread([this] { server_->Run(); });
  }
  ~Node() {
    if (runner_.joinable()) {
      server_->Stop();
      runner_.join();
    }
  }
  bool running() const { return runner_.joinable(); }
  unsigned short port() const { return server_->port(); }

 private:
  std::unique_ptr<Api> api_;  // outlives the server's threads
  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
};

struct Reply {
  int status = 0;
  std::string body;
  std::string set_cookie;
};

// A keep-alive connection to one node.
class Client {
 public:
  explicit Client(unsigned short port) {
    stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  Reply Send(http::verb verb, const std::string& target, const std::string& body,
             const std::string& cookie, const std::string& csrf) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.keep_alive(true);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    if (!cookie.empty()) req.set(http::field::cookie, cookie);
    if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    http::response<http::string_body> res;
    http::read(stream_, buffer_, res);
    Reply reply{static_cast<int>(res.result_int()), res.body(), ""};
    if (auto it = res.find(http::field::set_cookie); it != res.end()) {
      const std::string value(it->value());
      reply.set_cookie = value.substr(0, value.find(';'));
    }
    return reply;
  }

 private:
  asio::io_context io_;
  beast::tcp_stream stream_{io_};
  beast::flat_buffer buffer_;
};

struct Login {
  std::string cookie, csrf;
};

std::chrono::milliseconds Median(std::vector<std::chrono::microseconds> times) {
  std::sort(times.begin(), times.end());
  return std::chrono::duration_cast<std::chrono::milliseconds>(times[times.size() / 2]);
}

void Report(const char* what, std::vector<std::chrono::microseconds> times) {
  std::sort(times.begin(), times.end());
  auto ms = [](std::chrono::microseconds t) {
    return std::chrono::duration<double, std::milli>(t).count();
  };
  const auto p95 = times[std::min(times.size() - 1, times.size() * 95 / 100)];
  std::cout << what << ": " << times.size() << " tries, median " << ms(times[times.size() / 2])
            << " ms, p95 " << ms(p95) << " ms, max " << ms(times.back()) << " ms\n";
}

class TwoServersPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    auto uri = testing::PgTestDatabase(&why);
    if (!uri) GTEST_SKIP() << why;
    files_ = std::filesystem::temp_directory_path() /
             ("cairn_two_servers_test_" + std::to_string(::getpid()) + "-files");
    std::filesystem::remove_all(files_);
    {
      auto store = OpenStore(*uri);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      auto service = CairnService::Open(std::move(store).value(), SystemClock());
      ASSERT_TRUE(service.ok());
      ASSERT_TRUE(GenerateDemoDistrict(**service, {40, 11, 2}).ok());
      ASSERT_TRUE(CreateAccount((*service)->store(), "teacher-001", "teacher-001", kPassword,
                                SystemClock()())
                      .ok());
    }
    ApiOptions options;
    options.db_path = *uri;
    options.files_dir = files_.string();  // one folder, as in scripts/cluster.sh
    options.public_url = "http://127.0.0.1";
    a_ = std::make_unique<Node>(options);
    b_ = std::make_unique<Node>(options);
    ASSERT_TRUE(a_->running() && b_->running());
    to_a_ = std::make_unique<Client>(a_->port());
    to_b_ = std::make_unique<Client>(b_->port());
  }

  void TearDown() override {
    to_a_.reset();
    to_b_.reset();
    a_.reset();
    b_.reset();
    std::filesystem::remove_all(files_);
    std::filesystem::remove(files_.string() + ".master-key");
  }

  Login SignIn(Client& client) {
    Reply r =
        client.Send(http::verb::post, "/api/v1/auth/login",
                    json{{"username", "teacher-001"}, {"password", kPassword}}.dump(), "", "");
    EXPECT_EQ(r.status, 200) << r.body;
    return Login{r.set_cookie, json::parse(r.body, nullptr, false).value("csrf_token", "")};
  }

  // Polls `client` with `probe` until it returns true; the time from now,
  // or nullopt after kGiveUp.
  template <typename Probe>
  static std::optional<std::chrono::microseconds> TimeUntil(Clock::time_point since, Probe probe) {
    while (Clock::now() - since < kGiveUp) {
      if (probe()) {
        return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - since);
      }
    }
    return std::nullopt;
  }

  std::filesystem::path files_;
  std::unique_ptr<Node> a_, b_;
  std::unique_ptr<Client> to_a_, to_b_;
};

TEST_F(TwoServersPgTest, ARatingWrittenOnOneIsReadOnTheOtherWithin100ms) {
  const Login login = SignIn(*to_a_);  // the session lives in the database: B knows it
  // From B's read model (the mastery engine over the ledger), not from a
  // query: how many ratings of M100.1 count for the student.
  const std::string explanation = "/api/v1/students/student-00001/badges/M100/explanation";
  auto count_on_b = [&]() -> std::size_t {
    Reply r = to_b_->Send(http::verb::get, explanation, "", login.cookie, "");
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = json::parse(r.body, nullptr, false);
    for (const json& cpe : body["cpes"]) {
      if (cpe["cpe"] == "M100.1") return cpe["evidence_count"].get<std::size_t>();
    }
    ADD_FAILURE() << "no M100.1 in " << r.body;
    return 0;
  };
  std::size_t seen = count_on_b();
  std::vector<std::chrono::microseconds> delays;
  // CAIRN_CLUSTER_WRITES=50 for a longer measurement.
  const char* tries = std::getenv("CAIRN_CLUSTER_WRITES");
  const int writes = tries ? std::max(1, std::atoi(tries)) : 20;
  for (int i = 0; i < writes; ++i) {
    Reply r = to_a_->Send(http::verb::post, "/api/v1/ratings",
                          json{{"student", "student-00001"},
                               {"cpe", "M100.1"},
                               {"level", i % 2 ? "proficient" : "advanced"},
                               {"demonstrated_on", "2026-02-02"},
                               {"kind", "performance_task"},
                               {"note", "try " + std::to_string(i)}}
                              .dump(),
                          login.cookie, login.csrf);
    ASSERT_EQ(r.status, 201) << r.body;
    const Clock::time_point answered = Clock::now();
    auto delay = TimeUntil(answered, [&] { return count_on_b() == seen + 1; });
    ASSERT_TRUE(delay) << "write " << i << " not visible on B after " << kGiveUp.count() << " ms";
    delays.push_back(*delay);
    ++seen;
  }
  Report("write on A -> read on B", delays);
  EXPECT_LE(Median(delays), kBound);
}

TEST_F(TwoServersPgTest, ASignOutOnOneEndsTheSessionOnTheOtherWithin100ms) {
  std::vector<std::chrono::microseconds> delays;
  for (int i = 0; i < 5; ++i) {
    const Login login = SignIn(*to_a_);
    // B has the session in its sign-in cache...
    ASSERT_EQ(to_b_->Send(http::verb::get, "/api/v1/me", "", login.cookie, "").status, 200);
    ASSERT_EQ(to_b_->Send(http::verb::get, "/api/v1/me", "", login.cookie, "").status, 200);
    // ...when A ends it.
    ASSERT_EQ(
        to_a_->Send(http::verb::post, "/api/v1/auth/logout", "{}", login.cookie, login.csrf).status,
        204);
    const Clock::time_point answered = Clock::now();
    auto delay = TimeUntil(answered, [&] {
      return to_b_->Send(http::verb::get, "/api/v1/me", "", login.cookie, "").status == 401;
    });
    ASSERT_TRUE(delay) << "session still valid on B after " << kGiveUp.count() << " ms";
    delays.push_back(*delay);
    // Once ended, it stays ended on both.
    EXPECT_EQ(to_a_->Send(http::verb::get, "/api/v1/me", "", login.cookie, "").status, 401);
  }
  Report("sign-out on A -> 401 on B", delays);
  EXPECT_LE(Median(delays), kBound);
}

}  // namespace
}  // namespace cairn
