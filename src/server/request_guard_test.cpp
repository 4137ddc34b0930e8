// The checks every request passes and the web app's file serving, without
// sockets: same-origin writes, JSON content types, security headers, and a
// traversal corpus against a real web root with symlinks pointing out.
#include "server/request_guard.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/static_files.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;

HttpRequest Request(const std::string& method, const std::string& target,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpRequest r;
  r.method = method;
  r.target = target;
  r.headers = std::move(headers);
  return r;
}

TEST(SameOrigin, ProgramsWithoutBrowserHeadersPass) {
  EXPECT_TRUE(CheckSameOrigin(Request("POST", "/api/v1/ratings"), "https://b.example").ok());
}

TEST(SameOrigin, OwnOriginPassesOthersAreRefused) {
  const std::string pub = "https://badges.example.org";
  EXPECT_TRUE(
      CheckSameOrigin(Request("POST", "/x", {{"origin", "https://badges.example.org"}}), pub).ok());
  EXPECT_TRUE(
      CheckSameOrigin(
          Request("POST", "/x", {{"origin", "http://127.0.0.1:8080"}, {"host", "127.0.0.1:8080"}}),
          pub)
          .ok());
  for (const char* evil : {"https://evil.example", "null", "https://badges.example.org.evil.test",
                           "http://badges.example.org"}) {
    Status s = CheckSameOrigin(Request("POST", "/x", {{"origin", evil}, {"host", "other:1"}}), pub);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << evil;
  }
}

TEST(SameOrigin, SecFetchSiteCrossSiteIsRefused) {
  const std::string pub = "https://b.example";
  EXPECT_FALSE(
      CheckSameOrigin(Request("POST", "/x", {{"sec-fetch-site", "cross-site"}}), pub).ok());
  EXPECT_FALSE(CheckSameOrigin(Request("POST", "/x", {{"sec-fetch-site", "same-site"}}), pub).ok());
  EXPECT_TRUE(
      CheckSameOrigin(Request("POST", "/x", {{"sec-fetch-site", "same-origin"}}), pub).ok());
}

TEST(JsonContentType, OnlyApplicationJson) {
  EXPECT_TRUE(
      CheckJsonContentType(Request("POST", "/", {{"content-type", "application/json"}})).ok());
  EXPECT_TRUE(CheckJsonContentType(
                  Request("POST", "/", {{"content-type", "Application/JSON; charset=utf-8"}}))
                  .ok());
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/jsonp", ""}) {
    Status s = CheckJsonContentType(Request("POST", "/", {{"content-type", type}}));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << type;
    EXPECT_NE(s.message().find("content-type"), std::string::npos);
  }
}

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(SecurityHeaders, PagesGetCspApiGetsNoStoreHstsOnlyOverTls) {
  HttpResponse page;
  page.content_type = "text/html; charset=utf-8";
  AddSecurityHeaders(page, false, {});
  EXPECT_NE(HeaderOf(page, "Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(HeaderOf(page, "Content-Security-Policy").find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(HeaderOf(page, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(HeaderOf(page, "Strict-Transport-Security"), "");
  EXPECT_EQ(HeaderOf(page, "Cache-Control"), "");

  HttpResponse api;
  AddSecurityHeaders(api, true, {true});
  EXPECT_EQ(HeaderOf(api, "Cache-Control"), "no-store");
  EXPECT_NE(HeaderOf(api, "Strict-Transport-Security"), "");
  // A handler's own caching choice (public documents) is kept.
  HttpResponse doc;
  doc.headers.push_back({"Cache-Control", "public, max-age=300"});
  AddSecurityHeaders(doc, true, {});
  EXPECT_EQ(HeaderOf(doc, "Cache-Control"), "public, max-age=300");
}

// A web root with an app, a dotfile and symlinks leading out, beside a
// secret that must never be served.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("cairn_static_" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "web" / "assets");
    Write(base_ / "web" / "index.html", "<html>app</html>");
    Write(base_ / "web" / "assets" / "app.js", "console.log(1)");
    Write(base_ / "web" / ".env", "SECRET=dotfile");
    Write(base_ / "secret.db", kSecret);
    Write(base_ / "secret.db.master-key", kSecret);
    fs::create_symlink(base_ / "secret.db", base_ / "web" / "link.txt");
    fs::create_directory_symlink(base_, base_ / "web" / "assets" / "up");
    fs::create_directory_symlink("/etc", base_ / "web" / "etc");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  static constexpr const char* kSecret = "TOP-SECRET-CANARY";
  fs::path base_;
};

TEST_F(StaticFilesTest, ServesTheAppAndRoutesUnknownPathsToIndex) {
  StaticFiles files((base_ / "web").string());
  EXPECT_EQ(files.Serve(Request("GET", "/")).body, "<html>app</html>");
  EXPECT_EQ(files.Serve(Request("GET", "/assets/app.js")).body, "console.log(1)");
  EXPECT_EQ(files.Serve(Request("GET", "/students/x/progress")).body, "<html>app</html>");
  EXPECT_EQ(files.Serve(Request("GET", "/assets/missing.js")).status, 404);
  EXPECT_EQ(files.Serve(Request("POST", "/")).status, 405);
}

// Finding 1 of the outside probe: "//etc/passwd" answered 200 with the file.
TEST_F(StaticFilesTest, TraversalCorpusNeverLeavesTheRoot) {
  StaticFiles files((base_ / "web").string());
  const std::string db = (base_ / "secret.db").string();
  const std::vector<std::string> corpus = {
      "//etc/passwd",
      "/%2Fetc%2Fpasswd",
      "/%2fetc/passwd",
      "/" + db,
      "//" + db.substr(1),
      "//proc/self/cwd/secret.db",
      "/..%2Fsecret.db",
      "/%2e%2e/secret.db",
      "/%2e%2e%2fsecret.db",
      "/assets/..%2F..%2Fsecret.db",
      "/assets/%2E%2E/%2E%2E/secret.db",
      "/..%5Csecret.db",
      "/assets\\..\\..\\secret.db",
      "/%5C%5Cetc%5Cpasswd",
      "/%00/../secret.db",
      "/index.html%00.png",
      "/%c0%ae%c0%ae/secret.db",
      "/%c0%af%c0%afetc/passwd",
      "/%e0%80%ae%e0%80%ae/secret.db",
      "/.env",
      "/%2eenv",
      "/assets/up/secret.db",
      "/assets/up/secret.db.master-key",
      "/link.txt",
      "/etc/passwd",
      "/etc/hostname",
      "/./secret.db",
      "/assets/./../../secret.db",
      "/C:/Windows/win.ini",
  };
  std::string passwd;
  {
    std::ifstream in("/etc/passwd");
    passwd.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (const std::string& path : corpus) {
    for (const char* method : {"GET", "HEAD"}) {
      HttpResponse r = files.Serve(Request(method, path));
      EXPECT_EQ(r.body.find(kSecret), std::string::npos) << path;
      EXPECT_EQ(r.body.find("dotfile"), std::string::npos) << path;
      if (!passwd.empty()) {
        EXPECT_NE(r.body, passwd) << path;
      }
      EXPECT_EQ(r.body.find("root:"), std::string::npos) << path;
      // Refused outright, or the app's own page: nothing else.
      EXPECT_TRUE(r.status == 400 || r.status == 404 || r.body == "<html>app</html>")
          << path << " -> " << r.status << " " << r.body.substr(0, 80);
    }
  }
}

TEST_F(StaticFilesTest, NoRootServesNothing) {
  StaticFiles files("");
  EXPECT_EQ(files.Serve(Request("GET", "/")).status, 404);
  StaticFiles missing((base_ / "nope").string());
  EXPECT_EQ(missing.Serve(Request("GET", "//etc/passwd")).status, 404);
}

}  // namespace
}  // namespace cairn
