// Security tests generated from the route table, so a route added tomorrow
// is covered without anyone remembering, plus one regression test per
// finding of the outside probe (issue #10). Runs the API without sockets.
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <random>
#include <thread>

#include "server/api_test_fixture.h"
#include "server/request_guard.h"

namespace cairn {
namespace {

class ApiSecurityTest : public ApiTest {
 protected:
  // Row counts of every table that holds records (not sessions, throttling,
  // caches or the audit log, which refusals rightly write to).
  static std::map<std::string, long long> Fingerprint() {
    std::map<std::string, long long> out;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(g_db.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    std::vector<std::string> tables;
    sqlite3_exec(
        db, "SELECT name FROM sqlite_master WHERE type = 'table'",
        [](void* arg, int, char** values, char**) {
          static_cast<std::vector<std::string>*>(arg)->push_back(values[0]);
          return 0;
        },
        &tables, nullptr);
    static const std::set<std::string> kNotRecords{"sessions",        "login_failures",
                                                   "login_addresses", "audit_log",
                                                   "audit_students",  "change_counters"};
    for (const std::string& table : tables) {
      if (kNotRecords.count(table)) continue;
      sqlite3_stmt* stmt = nullptr;
      const std::string sql = "SELECT COUNT(*) FROM \"" + table + "\"";
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        out[table] = sqlite3_column_int64(stmt, 0);
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
  }

  // A rating of the own and of the far student.
  static std::map<bool, std::string> Ratings() {
    std::map<bool, std::string> rating_of;
    auto store = SqliteStore::Open(g_db);
    Id own = (*(*store)->FindPerson("student-00001"))->id;
    Id far = (*(*store)->FindPerson("student-far"))->id;
    (void)(*store)->ForEachRating(std::nullopt, [&](const RatingFact& r) {
      if (r.student_id == own) rating_of[true] = std::to_string(r.id);
      if (r.student_id == far) rating_of[false] = std::to_string(r.id);
    });
    return rating_of;
  }

  // The route's pattern with every parameter naming the own or far record.
  static std::string Target(const std::string& pattern, bool own,
                            const std::map<bool, std::string>& rating_of) {
    std::string target = pattern;
    auto replace = [&](const std::string& name, const std::string& value) {
      auto at = target.find("{" + name + "}");
      if (at != std::string::npos) target.replace(at, name.size() + 2, value);
    };
    replace("student", own ? "student-00001" : "student-far");
    replace("badge", "M101");
    replace("section", own ? "section-1-alg1-1" : "section-x");
    replace("rating", rating_of.at(own));
    replace("user", "999999");
    replace("token", "999999");
    replace("submission", g_submission[own]);
    replace("artifact", g_artifact[own]);
    replace("credential", g_credential[own]);
    replace("calibration", "1");
    replace("item", "1");
    replace("district", own ? "district-demo" : "district-2");
    replace("school", own ? "school-1" : "school-x");
    replace("job", "no-such-job");
    replace("cpe", "M101.1");
    replace("framework", "no-such-framework");
    replace("course", own ? "course-alg1" : "course-x");
    replace("resource", "1");
    replace("review", g_review[own]);
    replace("intervention", g_intervention[own]);
    replace("exchange", "no-such-exchange");
    return target;
  }

  static bool Writes(const RouteInfo& route) { return std::string(route.method) != "GET"; }
};

// Finding 2: a body field chose whose record an access decision was about.
// For every route x every role: the path names someone else's record while
// the body and query name the caller's own student (and own submission,
// file, credential). Wherever the role may not touch the other record, the
// request is refused and nothing is written.
TEST_F(ApiSecurityTest, PathDecidesNeverTheBody) {
  std::map<std::string, Login> logins;
  for (const char* role : kRoles) logins[role] = SignIn(role);
  const auto rating_of = Ratings();
  ASSERT_EQ(rating_of.size(), 2u);
  const json own_body{{"student", "student-00001"},
                      {"person", "student-00001"},
                      {"submission", g_submission[true]},
                      {"artifact", g_artifact[true]},
                      {"credential", g_credential[true]},
                      {"section", "section-1-alg1-1"},
                      {"reason", "test"},
                      {"kind", "consent"},
                      {"action", "confirm"},
                      {"cpe", "M101.1"},
                      {"level", "proficient"},
                      {"demonstrated_on", "2026-01-05"},
                      {"habit", "persistence"},
                      {"observed_on", "2026-01-05"},
                      {"text", "x"},
                      {"title", "t"},
                      {"badge", "M101"},
                      {"public", true},
                      {"ratings", json::array({{{"cpe", "M101.1"}, {"level", "proficient"}}})}};
  const std::string query = "?student=student-00001&section=section-1-alg1-1";
  int refused = 0;
  for (const RouteInfo& route : Api::Routes()) {
    const std::string key = std::string(route.method) + " " + route.pattern;
    const Expect expect = kExpected.at(key);
    const std::string target = Target(route.pattern, false, rating_of) + query;
    for (const char* role : kRoles) {
      if (ExpectAllowed(expect, role, false)) continue;  // may touch the other record anyway
      // A creating route names its new record's owner in the body: there
      // the body names the other student, and that is what is decided on.
      json body = own_body;
      if (route.owner == Owner::kBodyStudent) body["student"] = "student-far";
      const auto before = Fingerprint();
      HttpResponse r = Call(route.method, target, Writes(route) ? body.dump() : "", logins[role]);
      EXPECT_TRUE(r.status == 401 || r.status == 403 || r.status == 404)
          << key << " as " << role << " -> " << r.status << " " << r.body;
      EXPECT_EQ(r.body.find("Far"), std::string::npos) << key << " as " << role;
      EXPECT_EQ(Fingerprint(), before) << key << " as " << role << " wrote something";
      ++refused;
      if (key == "POST /api/v1/auth/logout") logins[role] = SignIn(role);
    }
  }
  EXPECT_GT(refused, 200);
}

// The probe's own examples, by name.
TEST_F(ApiSecurityTest, VoidingAnotherTeachersStudentsRatingIsRefused) {
  Login teacher = SignIn("teacher-001");
  const auto rating_of = Ratings();
  HttpResponse r = Call("POST", "/api/v1/ratings/" + rating_of.at(false) + "/void",
                        json{{"reason", "x"}, {"student", "student-00001"}}.dump(), teacher);
  EXPECT_EQ(r.status, 403) << r.body;
  Login student = SignIn("student-00001");
  r = Call("POST", "/api/v1/credentials/" + g_credential[false] + "/share",
           json{{"public", true}, {"student", "student-00001"}}.dump(), student);
  EXPECT_EQ(r.status, 403) << r.body;
  // And the refusal is audited against the record's real owner.
  Login admin = SignIn("admin");
  json audit = Body(Call("GET", "/api/v1/audit?student=student-far&limit=50", "", admin));
  bool saw = false;
  for (const json& e : audit) {
    saw |= e["action"] == "refused" && e["status"] == 403 &&
           e["resource"].get<std::string>().find("/void") != std::string::npos;
  }
  EXPECT_TRUE(saw) << audit.dump();
}

// Finding 4: a guardian read unshared work through the consent action.
TEST_F(ApiSecurityTest, GuardianCannotReachUnsharedWorkThroughActions) {
  Login student = SignIn("student-00001");
  Login guardian = SignIn("guardian-00001");
  HttpResponse created = Call("POST", "/api/v1/students/student-00001/submissions",
                              json{{"badge", "M101"},
                                   {"title", "Private draft"},
                                   {"text", "SECRET-TEXT"},
                                   {"reflection", "SECRET-REFLECTION"},
                                   {"tags", {"M101.1"}},
                                   {"submit", true}}
                                  .dump(),
                              student);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string sub = "/api/v1/submissions/" + std::to_string(Body(created)["id"].get<Id>());
  for (const char* kind : {"consent", "withdraw_consent", "feedback", "share"}) {
    HttpResponse r = Call("POST", sub + "/actions", json{{"kind", kind}}.dump(), guardian);
    EXPECT_EQ(r.status, 404) << kind << " " << r.body;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << kind;
  }
  for (const std::string& path : {sub, sub + "/compare"}) {
    HttpResponse r = Call("GET", path, "", guardian);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos);
  }
}

// Finding 3: one request nested 70,000 deep killed the server.
TEST_F(ApiSecurityTest, DeeplyNestedJsonIsRefusedWhileParsing) {
  const std::string deep = std::string(70000, '[') + std::string(70000, ']');
  const std::string deep_object = "{\"calculation\":" + deep + "}";
  HttpResponse verify = Call("POST", "/api/v1/verify", deep, std::nullopt);
  EXPECT_LT(verify.status, 500);
  EXPECT_NE(Body(verify).dump().find("valid"), std::string::npos);
  Login admin = SignIn("admin");
  HttpResponse settings = Call("PUT", "/api/v1/settings", deep_object, admin);
  EXPECT_EQ(settings.status, 400) << settings.body.substr(0, 200);
  EXPECT_NE(settings.body.find("deeper than 64"), std::string::npos);
  HttpResponse rating = Call("POST", "/api/v1/ratings", deep_object, admin);
  EXPECT_EQ(rating.status, 400);
  HttpResponse catalog = Call("PUT", "/api/v1/catalog", deep_object, admin);
  EXPECT_EQ(catalog.status, 400);
  // 64 levels are fine (the limit is not off by one the other way).
  const std::string ok_depth = "{\"x\":" + std::string(63, '[') + std::string(63, ']') + "}";
  EXPECT_EQ(Call("PUT", "/api/v1/settings", ok_depth, admin).status, 200);
}

// Finding 5: login accepted text/plain and form bodies from any origin.
TEST_F(ApiSecurityTest, LoginNeedsJsonFromOurOwnOrigin) {
  const std::string creds = json{{"username", "teacher-001"}, {"password", kPassword}}.dump();
  for (const char* type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
    HttpResponse r =
        Call("POST", "/api/v1/auth/login", creds, std::nullopt, {{"content-type", type}});
    EXPECT_EQ(r.status, 415) << type;
    for (const auto& [name, value] : r.headers) EXPECT_NE(name, "Set-Cookie");
  }
  HttpResponse cross = Call("POST", "/api/v1/auth/login", creds, std::nullopt,
                            {{"origin", "https://evil.example"}, {"host", "badges.test"}});
  EXPECT_EQ(cross.status, 403);
  for (const auto& [name, value] : cross.headers) EXPECT_NE(name, "Set-Cookie");
  HttpResponse same = Call("POST", "/api/v1/auth/login", creds, std::nullopt,
                           {{"origin", "https://badges.test"}, {"sec-fetch-site", "same-origin"}});
  EXPECT_EQ(same.status, 200) << same.body;
  // Any state change, not only login.
  Login teacher = SignIn("teacher-001");
  HttpResponse r =
      Call("POST", "/api/v1/auth/logout", "", teacher, {{"sec-fetch-site", "cross-site"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/me", "", teacher).status, 200);
}

// Finding 6: bulk reads named no student; admin actions and 401s went
// unrecorded.
TEST_F(ApiSecurityTest, AuditRecordsBulkReadsAdminActionsAndRefusals) {
  Login teacher = SignIn("teacher-001");
  ASSERT_EQ(Call("GET", "/api/v1/sections/section-1-alg1-1/grid", "", teacher).status, 200);
  ASSERT_EQ(Call("GET", "/api/v1/reports/tracking-sheet?format=json", "", teacher).status, 200);
  Login admin = SignIn("admin");
  HttpResponse token = Call("POST", "/api/v1/tokens",
                            json{{"name", "audit-test"}, {"scopes", {"read"}}}.dump(), admin);
  ASSERT_EQ(token.status, 201);
  EXPECT_EQ(Call("GET", "/api/v1/students/student-00001/progress", "", std::nullopt).status, 401);
  json mine = Body(Call("GET", "/api/v1/audit?student=student-00001&limit=500", "", admin));
  bool grid = false, sheet = false, anonymous = false;
  for (const json& e : mine) {
    const std::string resource = e["resource"];
    grid |= resource.find("/grid") != std::string::npos && e.contains("students");
    sheet |= resource.find("tracking-sheet") != std::string::npos && e.contains("students");
    anonymous |= e["status"] == 401 && !e.contains("actor") && e["action"] == "refused";
  }
  EXPECT_TRUE(grid);
  EXPECT_TRUE(sheet);
  EXPECT_TRUE(anonymous);
  json all = Body(Call("GET", "/api/v1/audit?limit=500", "", admin));
  bool token_logged = false;
  for (const json& e : all) {
    token_logged |= e["resource"] == "POST /api/v1/tokens" &&
                    e.value("detail", "").find("audit-test") != std::string::npos;
  }
  EXPECT_TRUE(token_logged);
  // Append-only like the ledger.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(g_db.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_students", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET status = 200", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
}

// Finding 8: 120 parallel wrong passwords got 12 checks, and anyone could
// lock anyone out.
TEST_F(ApiSecurityTest, ThrottlingCannotBeRacedNorUsedToLockOutTheOwner) {
  ForgetLoginFailures();
  auto login = [&](const std::string& user, const std::string& password,
                   const std::string& address) {
    HttpRequest request;
    request.method = "POST";
    request.target = "/api/v1/auth/login";
    request.body = json{{"username", user}, {"password", password}}.dump();
    request.headers = {{"content-type", "application/json"}};
    request.remote = address;
    request.request_id = "throttle";
    return api_->Handle(request).status;
  };
  // The owner signs in from home once: a good address.
  ASSERT_EQ(login("leader-school-1", kPassword, "10.0.0.7"), 200);
  std::atomic<int> checked{0}, throttled{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        const int status = login("leader-school-1", "wrong password", "203.0.113.9");
        (status == 401 ? checked : status == 429 ? throttled : other)++;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(checked.load(), 5);
  EXPECT_EQ(throttled.load(), 115);
  EXPECT_EQ(other.load(), 0);
  // The attacker's address stays locked even with the right password...
  EXPECT_EQ(login("leader-school-1", kPassword, "203.0.113.9"), 429);
  EXPECT_EQ(login("leader-school-1", kPassword, "198.51.100.1"), 429);
  // ...but the owner, from an address they signed in from, gets in.
  EXPECT_EQ(login("leader-school-1", kPassword, "10.0.0.7"), 200);
  ForgetLoginFailures();
}

// Finding 9: wrong JSON types gave 500s.
TEST_F(ApiSecurityTest, WrongTypesAreA400NamingTheField) {
  Login student = SignIn("student-00001");
  Login teacher = SignIn("teacher-001");
  Login leader = SignIn("leader-school-1");
  HttpResponse r = Call(
      "POST", "/api/v1/students/student-00001/submissions",
      json{{"badge", "M101"}, {"title", "t"}, {"text", "x"}, {"submit", "yes"}}.dump(), student);
  EXPECT_EQ(r.status, 400) << r.body;
  r = Call("POST", "/api/v1/submissions/" + g_submission[true] + "/actions",
           json{{"kind", "feedback"},
                {"message", "m"},
                {"anchor", {{"artifact", std::stoll(g_artifact[true])}, {"page", "x"}}}}
               .dump(),
           teacher);
  EXPECT_EQ(r.status, 400) << r.body;
  r = Call("POST", "/api/v1/calibrations",
           json{{"title", "t"}, {"items", {{{"item", "x"}}}}, {"raters", "x"}}.dump(), leader);
  EXPECT_EQ(r.status, 400) << r.body;
}

// Random bodies of every shape to every route as several roles: whatever
// arrives, the answer is never a 500, and JSON answers are JSON.
TEST_F(ApiSecurityTest, NoRouteAnswers500ToAnyBody) {
  std::mt19937 rng(20261204);
  const std::vector<std::string> keys = {"student",     "cpe",
                                         "level",       "demonstrated_on",
                                         "kind",        "note",
                                         "corrects",    "reason",
                                         "habit",       "observed_on",
                                         "action",      "badge",
                                         "title",       "text",
                                         "reflection",  "link",
                                         "tags",        "submit",
                                         "version",     "anchor",
                                         "message",     "ratings",
                                         "items",       "raters",
                                         "item",        "auto_award",
                                         "calculation", "username",
                                         "password",    "person",
                                         "role",        "name",
                                         "scopes",      "page",
                                         "artifact",    "x",
                                         "y",           "w",
                                         "h",           "indicator",
                                         "public",      "catalog_version",
                                         "badges",      "method",
                                         "n",           "url",
                                         "email",       "image",
                                         "description"};
  std::function<json(int)> value = [&](int depth) -> json {
    switch (rng() % (depth > 3 ? 6 : 8)) {
      case 0:
        return nullptr;
      case 1:
        return rng() % 2 == 0;
      case 2: {
        static const long long kEdges[] = {
            0, -1, 1, 2147483648LL, 9223372036854775807LL, -9223372036854775807LL};
        return kEdges[rng() % 6];
      }
      case 3:
        return rng() % 2 ? 1e308 : -0.5;
      case 4: {
        static const char* kStrings[] = {"",
                                         "yes",
                                         "x",
                                         "2026-01-05",
                                         "0000-01-01",
                                         "M101",
                                         "M101.1",
                                         "proficient",
                                         "student-00001",
                                         "\xF0\x9F\x98\x80",
                                         "\xC0\xAF",
                                         "<script>",
                                         "../../etc/passwd"};
        return std::string(kStrings[rng() % 13]);
      }
      case 5:
        return std::string(5000, 'a');
      case 6: {
        json a = json::array();
        for (int i = static_cast<int>(rng() % 4); i > 0; --i) a.push_back(value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (int i = static_cast<int>(rng() % 5); i > 0; --i)
          o[keys[rng() % keys.size()]] = value(depth + 1);
        return o;
      }
    }
  };
  std::map<std::string, Login> logins;
  for (const char* role : {"admin", "teacher-001", "student-00001"}) logins[role] = SignIn(role);
  const auto rating_of = Ratings();
  int sent = 0;
  for (const RouteInfo& route : Api::Routes()) {
    const std::string key = std::string(route.method) + " " + route.pattern;
    if (key == "POST /api/v1/auth/logout") continue;  // ends the sessions used here
    const int rounds = key == "POST /api/v1/auth/login" ? 3 : 12;
    for (const auto& [role, login] : logins) {
      for (int i = 0; i < rounds; ++i) {
        json body = json::object();
        for (int k = static_cast<int>(rng() % 7); k > 0; --k)
          body[keys[rng() % keys.size()]] = value(0);
        if (rng() % 8 == 0) body = value(0);
        std::string target = Target(route.pattern, rng() % 2 == 0, rating_of);
        if (rng() % 3 == 0)
          target += "?limit=" + std::to_string(static_cast<int>(rng())) +
                    "&from=99999999999&to=-1&page=x&format=json&by=school";
        const std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
        HttpResponse r = Call(route.method, target, Writes(route) ? text : "", login);
        ++sent;
        EXPECT_LT(r.status, 500) << key << " as " << role << " body " << text.substr(0, 300)
                                 << " -> " << r.body.substr(0, 300);
        if (r.content_type.rfind("application/json", 0) == 0) {
          EXPECT_FALSE(json::parse(r.body, nullptr, false).is_discarded()) << key;
        }
      }
    }
  }
  EXPECT_GT(sent, 2000);
  ForgetLoginFailures();
}

// Finding 10: limits and headers.
TEST_F(ApiSecurityTest, LimitsAndHeaders) {
  Login teacher = SignIn("teacher-001");
  json rating{{"student", "student-00001"},
              {"cpe", "M101.2"},
              {"level", "proficient"},
              {"demonstrated_on", "2026-01-05"},
              {"note", std::string(100000, 'n')}};
  HttpResponse r = Call("POST", "/api/v1/ratings", rating.dump(), teacher);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r)["error"]["field"], "note");
  rating["note"] = "ok";
  rating["demonstrated_on"] = "0000-01-01";
  r = Call("POST", "/api/v1/ratings", rating.dump(), teacher);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r)["error"]["field"], "demonstrated_on");
  r = Call("GET", "/api/v1/submissions/" + g_submission[true] + "/compare?from=99999999999999&to=1",
           "", teacher);
  EXPECT_EQ(r.status, 400) << r.body;

  HttpResponse me = Call("GET", "/api/v1/me", "", teacher);
  std::map<std::string, std::string> headers(me.headers.begin(), me.headers.end());
  EXPECT_EQ(headers["Cache-Control"], "no-store");
  EXPECT_EQ(headers["Referrer-Policy"], "no-referrer");
  EXPECT_NE(headers["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(headers.count("Strict-Transport-Security"), 0u);

  ApiOptions options;
  options.db_path = g_db;
  options.secure_cookies = true;
  Api tls(options);
  HttpRequest request;
  request.method = "GET";
  request.target = "/healthz";
  HttpResponse health = tls.Handle(request);
  bool hsts = false;
  for (const auto& [name, value] : health.headers) hsts |= name == "Strict-Transport-Security";
  EXPECT_TRUE(hsts);
}

// Finding 1, through the whole API: a web root beside the database and its
// master key; no spelling of a path reaches either, on any route.
TEST_F(ApiSecurityTest, NoPathReachesOutsideTheWebRoot) {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("cairn_webroot_" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "dist" / "assets");
  std::ofstream(base / "dist" / "index.html") << "<html>app</html>";
  std::ofstream(base / "canary.db") << "CANARY-DATABASE";
  std::ofstream(base / "canary.db.master-key") << "CANARY-KEY";
  fs::create_symlink(base / "canary.db", base / "dist" / "assets" / "db.js");
  ApiOptions options;
  options.db_path = g_db;
  options.web_root = (base / "dist").string();
  Api api(options);
  const std::string db = (base / "canary.db").string();
  const std::vector<std::string> payloads = {"/" + db,
                                             "%2F" + db.substr(1),
                                             "..%2F..%2Fcanary.db",
                                             "%2e%2e%2fcanary.db",
                                             "..\\canary.db",
                                             "%00",
                                             "%c0%ae%c0%ae%c0%afcanary.db",
                                             "..",
                                             "assets/db.js",
                                             "%2e%2e",
                                             "proc/self/cwd/" + g_db};
  std::vector<std::string> targets;
  for (const std::string& p : payloads) {
    targets.push_back("/" + p);
    targets.push_back("//" + p);
    targets.push_back("/assets/" + p);
  }
  for (const RouteInfo& route : Api::Routes()) {
    for (const std::string& p : payloads) {
      std::string target = route.pattern;
      for (auto open = target.find('{'); open != std::string::npos; open = target.find('{')) {
        target.replace(open, target.find('}', open) - open + 1, p);
      }
      targets.push_back(target);
    }
  }
  for (const std::string& target : targets) {
    HttpRequest request;
    request.method = "GET";
    request.target = target;
    request.request_id = "traversal";
    HttpResponse r = api.Handle(request);
    EXPECT_EQ(r.body.find("CANARY"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("SQLite format"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("root:x:"), std::string::npos) << target;
  }
  fs::remove_all(base);
}

}  // namespace
}  // namespace cairn
