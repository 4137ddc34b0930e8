// The API test fixture, shared by the API's test files: a small demo district
// plus a second district nobody but the admin may see, one login per role,
// submissions, files and credentials of an "own" and a "far" student, and the
// tests' own statement of who may use each route.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "agency/peer_review.h"
#include "demo/demo_district.h"
#include "evidence/intervention.h"
#include "server/api.h"
#include "service/accounts.h"
#include "service/cairn_service.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse battery";
// One login per role; "own" records are theirs, "other" records are not.
const char* const kRoles[] = {"student-00001",   "guardian-00001",  "teacher-001",
                              "leader-school-1", "leader-district", "admin"};

std::string g_db;                          // shared by the suite: building it hashes passwords
std::map<bool, std::string> g_submission;  // own (student-00001) and far submission ids
std::map<bool, std::string> g_artifact;    // a file of each
std::map<bool, std::string> g_credential;  // a credential of each
// A peer review each student was asked to write (own: student-00001
// reviews the far student's work; other: the far student reviews theirs).
std::map<bool, std::string> g_review;
std::map<bool, std::string> g_intervention;

class ApiTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    g_db = (std::filesystem::temp_directory_path() /
            ("cairn_api_test_" + std::to_string(::getpid()) + ".db"))
               .string();
    std::filesystem::remove(g_db);
    auto store = SqliteStore::Open(g_db);
    ASSERT_TRUE(store.ok());
    auto service = CairnService::Open(std::move(store).value(), SystemClock());
    ASSERT_TRUE(service.ok());
    ASSERT_TRUE(GenerateDemoDistrict(**service, {40, 11, 2}).ok());
    Store& s = (*service)->store();
    // A second district, whose records nobody above may see but the admin.
    Id district = *s.InsertDistrict({0, "district-2", "Elsewhere"});
    Id school = *s.InsertSchool({0, "school-x", district, "Far School"});
    Id course = *s.InsertCourse({0, "course-x", district, "Algebra I"});
    Id section =
        *s.InsertSection({0, "section-x", school, course, "Far Algebra", "2025-26", {"M101"}});
    Person far;
    far.sourced_id = "student-far";
    far.given_name = "Far";
    far.family_name = "Away";
    far.district_id = district;
    far.school_id = school;
    Id far_id = *s.InsertPerson(far);
    ASSERT_TRUE(s.InsertEnrollment({section, far_id, false}).ok());
    RatingFact rating;
    rating.student_id = far_id;
    rating.cpe_id = "M101.1";
    rating.level_id = "emerging";
    rating.demonstrated_on = *ParseDate("2026-01-10");
    rating.recorded_by = (*s.FindPerson("admin"))->id;
    ASSERT_TRUE(s.AppendRating(rating).ok());
    for (const char* login : kRoles) {
      ASSERT_TRUE(CreateAccount(s, login, login, kPassword, SystemClock()()).ok()) << login;
    }
    // One submitted and shared piece of work each for the own and the far
    // student, for the portfolio routes of the matrix.
    for (const char* student : {"student-00001", "student-far"}) {
      Id sid = (*s.FindPerson(student))->id;
      Id sub = *s.InsertSubmission({0, sid, "M101", "Matrix work", sid, 1700000000});
      SubmissionVersion v;
      v.submission_id = sub;
      v.number = 1;
      v.author = sid;
      v.at = 1700000000;
      v.text = "x = 3";
      v.tags = {{"M101.1", ""}};
      Id art = *s.InsertArtifact(
          {0, sid, std::string(64, student == std::string("student-far") ? 'f' : 'e'), 5,
           "text/plain", "notes.txt", sid, 1700000000});
      g_artifact[student == std::string("student-00001")] = std::to_string(art);
      v.artifact_ids = {art};
      Id vid = *s.AppendSubmissionVersion(v);
      for (PortfolioEventKind kind : {PortfolioEventKind::kSubmit, PortfolioEventKind::kShare}) {
        PortfolioEvent e;
        e.submission_id = sub;
        e.version_id = vid;
        e.kind = kind;
        e.actor = sid;
        e.at = 1700000000;
        ASSERT_TRUE(s.AppendPortfolioEvent(e).ok());
      }
      g_submission[student == std::string("student-00001")] = std::to_string(sub);
    }
    for (bool own : {true, false}) {
      PeerReview review;
      review.id = own ? "pr-matrix-own" : "pr-matrix-other";
      review.submission = std::stoll(g_submission[!own]);
      const Person author = **s.FindPerson(own ? "student-far" : "student-00001");
      review.author = author.id;
      review.reviewer = (*s.FindPerson(own ? "student-00001" : "student-far"))->id;
      review.assigned_at = 1700000000;
      JournalEntry entry;
      entry.district_id = author.district_id;
      entry.stream = std::string(kPeerReviewStream);
      entry.key = review.id;
      entry.student_id = author.id;
      entry.body = PeerReviewToStored(review).dump();
      entry.recorded_by = (*s.FindPerson("admin"))->id;
      entry.recorded_at = review.assigned_at;
      ASSERT_TRUE(s.AppendJournal({entry}).ok());
      g_review[own] = review.id;
    }
    // An open intervention for each student (own: student-00001).
    for (bool own : {true, false}) {
      const Person student = **s.FindPerson(own ? "student-00001" : "student-far");
      Intervention intervention;
      intervention.id = own ? "iv-matrix-own" : "iv-matrix-other";
      intervention.student = student.id;
      intervention.badge = "M101";
      intervention.kind = InterventionKind::kTutoring;
      intervention.started_on = "2023-11-01";
      JournalEntry entry;
      entry.district_id = student.district_id;
      entry.stream = std::string(kInterventionStream);
      entry.key = intervention.id;
      entry.student_id = student.id;
      entry.body = InterventionToStored(intervention).dump();
      entry.recorded_by = (*s.FindPerson("admin"))->id;
      entry.recorded_at = 1700000000;
      ASSERT_TRUE(s.AppendJournal({entry}).ok());
      g_intervention[own] = intervention.id;
    }
    // A confirmed award for the far student too; then every confirmed award
    // gets its credential, as when a server starts.
    AwardFact award;
    award.student_id = far_id;
    award.badge_code = "M101";
    award.recorded_at = 1700000000;
    award.action = AwardAction::kProposed;
    ASSERT_TRUE(s.AppendAward(award).ok());
    award.action = AwardAction::kConfirmed;
    ASSERT_TRUE(s.AppendAward(award).ok());
    ApiOptions options;
    options.db_path = g_db;
    options.public_url = "https://badges.test";
    auto issued = Api(options).IssueAllPendingCredentials();
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    ASSERT_GT(*issued, 1);
    for (bool own : {true, false}) {
      Id sid = (*s.FindPerson(own ? "student-00001" : "student-far"))->id;
      auto creds = s.Credentials(sid, std::nullopt);
      ASSERT_TRUE(creds.ok() && !creds->empty()) << own;
      g_credential[own] = creds->front().uuid;
    }
  }

  static void TearDownTestSuite() {
    for (const char* suffix : {"", "-wal", "-shm", ".master-key"}) {
      std::filesystem::remove(g_db + suffix);
    }
    std::filesystem::remove_all(g_db + "-files");
  }

 protected:
  void SetUp() override {
    ApiOptions options;
    options.db_path = g_db;
    options.public_url = "https://badges.test";
    api_ = std::make_unique<Api>(options);
  }

  struct Login {
    std::string cookie;
    std::string csrf;
  };

  Login SignIn(const std::string& user, const std::string& password = kPassword) {
    HttpResponse r = Call("POST", "/api/v1/auth/login",
                          json{{"username", user}, {"password", password}}.dump(), {});
    EXPECT_EQ(r.status, 200) << user << " " << r.body;
    Login login;
    for (const auto& [name, value] : r.headers) {
      if (name == "Set-Cookie") login.cookie = value.substr(0, value.find(';'));
    }
    login.csrf = json::parse(r.body).value("csrf_token", "");
    return login;
  }

  HttpResponse Call(const std::string& method, const std::string& target, const std::string& body,
                    const std::optional<Login>& login,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.request_id = "test";
    request.headers = std::move(headers);
    // What the web app and integrations send with a body.
    if (!body.empty() && !request.Header("content-type")) {
      request.headers.push_back({"content-type", "application/json"});
    }
    if (login) {
      request.headers.push_back({"cookie", login->cookie});
      request.headers.push_back({"x-csrf-token", login->csrf});
    }
    return api_->Handle(request);
  }

  static json Body(const HttpResponse& r) { return json::parse(r.body, nullptr, false); }

  // Throttling state is not a record: tests that provoke it clear it.
  static void ForgetLoginFailures() {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(g_db.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    EXPECT_EQ(sqlite3_exec(db, "DELETE FROM login_failures", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }

  std::unique_ptr<Api> api_;
};

// The test's own statement of who may use each route: a route added to the
// API without a line here fails RoutesAreAllCovered.
enum class Expect {
  kPublic,
  kAnyone,
  kStaff,
  kLeader,
  kAdmin,
  kStudentRead,
  kStudentWrite,
  kSection,
  kPortfolioWrite,
  kSelf,
  kSchoolLeader,    // the path's school: its leader, the district's leader, admins
  kDistrictLeader,  // the path's district: its district leaders, admins
  kDistrictStaff,   // the path's district: its teachers and leaders, admins
  kDistrictLeaders  // the path's district: its district and school leaders, admins
};
const std::map<std::string, Expect> kExpected{
    {"GET /healthz", Expect::kPublic},
    {"GET /api/openapi.json", Expect::kPublic},
    {"POST /api/v1/auth/login", Expect::kPublic},
    {"POST /api/v1/auth/logout", Expect::kAnyone},
    {"GET /api/v1/me", Expect::kAnyone},
    {"GET /api/v1/catalog", Expect::kAnyone},
    {"PUT /api/v1/catalog", Expect::kAdmin},
    {"GET /api/v1/badges/{badge}", Expect::kAnyone},
    {"GET /api/v1/sections", Expect::kStaff},
    {"GET /api/v1/sections/{section}/students", Expect::kSection},
    {"GET /api/v1/sections/{section}/grid", Expect::kSection},
    {"PUT /api/v1/sections/{section}/badges", Expect::kSection},
    {"POST /api/v1/imports/oneroster", Expect::kAdmin},
    {"GET /api/v1/imports", Expect::kAdmin},
    {"GET /api/v1/imports/{import}", Expect::kAdmin},
    {"GET /api/v1/students/{student}/report-card.pdf", Expect::kStudentRead},
    {"GET /api/v1/students/{student}/transcript.pdf", Expect::kStudentRead},
    {"POST /api/v1/schools/{school}/report-cards", Expect::kSchoolLeader},
    {"GET /api/v1/schools/{school}/report-cards/{job}", Expect::kSchoolLeader},
    {"GET /api/v1/schools/{school}/report-cards/{job}/result", Expect::kSchoolLeader},
    {"GET /api/v1/settings/report-card", Expect::kAdmin},
    {"PUT /api/v1/settings/report-card", Expect::kAdmin},
    {"GET /api/v1/students/{student}", Expect::kStudentRead},
    {"GET /api/v1/students/{student}/progress", Expect::kStudentRead},
    {"GET /api/v1/students/{student}/evidence", Expect::kStudentRead},
    {"GET /api/v1/students/{student}/badges/{badge}/explanation", Expect::kStudentRead},
    {"GET /api/v1/students/{student}/family-summary", Expect::kStudentRead},
    {"GET /api/v1/students/{student}/plan", Expect::kStudentRead},
    {"PUT /api/v1/students/{student}/plan/goals", Expect::kSelf},
    {"POST /api/v1/students/{student}/plan/reflections", Expect::kSelf},
    {"POST /api/v1/students/{student}/plan/comments", Expect::kStudentWrite},
    {"POST /api/v1/students/{student}/badge-requests", Expect::kSelf},
    {"POST /api/v1/students/{student}/badge-requests/{badge}/decision", Expect::kStudentWrite},
    {"POST /api/v1/students/{student}/self-assessments", Expect::kSelf},
    {"POST /api/v1/students/{student}/conference-notes", Expect::kStudentRead},
    {"POST /api/v1/students/{student}/badges/{badge}/award", Expect::kStudentWrite},
    {"POST /api/v1/ratings", Expect::kStudentWrite},
    {"POST /api/v1/ratings/{rating}/void", Expect::kStudentWrite},
    {"POST /api/v1/habits", Expect::kStudentWrite},
    {"GET /api/v1/awards/pending", Expect::kStaff},
    {"GET /api/v1/reports/tracking-sheet", Expect::kStaff},
    {"GET /api/v1/reports/completion", Expect::kLeader},
    {"GET /api/v1/reports/equity", Expect::kLeader},
    {"GET /api/v1/reports/badges/{badge}/students", Expect::kStaff},
    {"GET /api/v1/reports/interventions", Expect::kLeader},
    {"GET /api/v1/me/notifications", Expect::kAnyone},
    {"POST /api/v1/me/notifications/read", Expect::kAnyone},
    {"GET /api/v1/me/preferences", Expect::kAnyone},
    {"PUT /api/v1/me/preferences", Expect::kAnyone},
    {"POST /api/v1/unsubscribe", Expect::kPublic},
    {"POST /api/v1/notifications/digest", Expect::kAdmin},
    {"GET /api/v1/students/{student}/interventions", Expect::kStudentRead},
    {"POST /api/v1/students/{student}/interventions", Expect::kStudentWrite},
    {"POST /api/v1/students/{student}/interventions/{intervention}/close", Expect::kStudentWrite},
    {"GET /api/v1/sections/{section}/tracking.xlsx", Expect::kSection},
    {"GET /api/v1/sections/{section}/gradebook", Expect::kSection},
    {"GET /api/v1/settings/gradebook", Expect::kAdmin},
    {"PUT /api/v1/settings/gradebook", Expect::kAdmin},
    {"GET /api/v1/sections/{section}/pace", Expect::kSection},
    {"GET /api/v1/schools/{school}/pace", Expect::kSchoolLeader},
    {"GET /api/v1/districts/{district}/pace", Expect::kDistrictLeader},
    {"GET /api/v1/settings/pace", Expect::kAdmin},
    {"PUT /api/v1/settings/pace", Expect::kAdmin},
    {"GET /api/v1/districts/{district}/instruments", Expect::kDistrictStaff},
    {"GET /api/v1/districts/{district}/instruments/{instrument}", Expect::kDistrictStaff},
    {"GET /api/v1/districts/{district}/staff", Expect::kDistrictLeaders},
    {"GET /api/v1/districts/{district}/teams", Expect::kDistrictLeaders},
    {"POST /api/v1/districts/{district}/teams", Expect::kDistrictLeaders},
    {"GET /api/v1/districts/{district}/rounds", Expect::kDistrictLeaders},
    {"POST /api/v1/districts/{district}/rounds", Expect::kDistrictLeaders},
    {"GET /api/v1/rounds/{round}", Expect::kStaff},
    {"PUT /api/v1/rounds/{round}/my-response", Expect::kStaff},
    {"GET /api/v1/rounds/{round}/results", Expect::kLeader},
    {"POST /api/v1/rounds/{round}/close", Expect::kLeader},
    {"GET /api/v1/me/rounds", Expect::kStaff},
    {"GET /api/v1/settings", Expect::kAdmin},
    {"PUT /api/v1/settings", Expect::kAdmin},
    {"GET /api/v1/users", Expect::kAdmin},
    {"POST /api/v1/users", Expect::kAdmin},
    {"POST /api/v1/users/{user}/password", Expect::kAdmin},
    {"PUT /api/v1/users/{user}/role", Expect::kAdmin},
    {"GET /api/v1/tokens", Expect::kAdmin},
    {"POST /api/v1/tokens", Expect::kAdmin},
    {"DELETE /api/v1/tokens/{token}", Expect::kAdmin},
    {"GET /api/v1/sign-in", Expect::kAdmin},
    {"PUT /api/v1/sign-in", Expect::kAdmin},
    {"GET /api/v1/invitations", Expect::kAdmin},
    {"POST /api/v1/invitations", Expect::kAdmin},
    {"DELETE /api/v1/invitations/{invitation}", Expect::kAdmin},
    {"POST /api/v1/auth/invitation", Expect::kPublic},
    {"POST /api/v1/auth/accept-invitation", Expect::kPublic},
    {"GET /api/v1/audit", Expect::kAdmin},
    {"GET /api/v1/students/{student}/submissions", Expect::kStudentRead},
    {"POST /api/v1/students/{student}/submissions", Expect::kPortfolioWrite},
    {"GET /api/v1/submissions/{submission}", Expect::kStudentRead},
    {"POST /api/v1/submissions/{submission}/versions", Expect::kPortfolioWrite},
    {"POST /api/v1/submissions/{submission}/actions", Expect::kStudentRead},
    {"POST /api/v1/submissions/{submission}/ratings", Expect::kStudentWrite},
    {"GET /api/v1/submissions/{submission}/compare", Expect::kStudentRead},
    {"GET /api/v1/portfolio/queue", Expect::kStaff},
    {"GET /api/v1/exemplars", Expect::kStaff},
    {"POST /api/v1/students/{student}/artifacts", Expect::kPortfolioWrite},
    {"GET /api/v1/artifacts/{artifact}", Expect::kStudentRead},
    {"GET /api/v1/artifacts/{artifact}/preview", Expect::kStudentRead},
    {"GET /api/v1/artifacts/{artifact}/pages", Expect::kStudentRead},
    {"GET /api/v1/students/{student}/portfolio.zip", Expect::kStudentRead},
    {"GET /api/v1/staff", Expect::kStaff},
    {"GET /api/v1/calibrations", Expect::kStaff},
    {"POST /api/v1/calibrations", Expect::kLeader},
    {"GET /api/v1/calibrations/{calibration}", Expect::kStaff},
    {"POST /api/v1/calibrations/{calibration}/events", Expect::kStaff},
    {"GET /api/v1/calibrations/{calibration}/items/{item}/artifacts/{artifact}", Expect::kStaff},
    {"GET /api/v1/students/{student}/credentials", Expect::kStudentRead},
    {"GET /api/v1/students/{student}/clr", Expect::kStudentRead},
    {"GET /api/v1/credentials/{credential}", Expect::kStudentRead},
    {"GET /api/v1/credentials/{credential}/badge.png", Expect::kStudentRead},
    {"GET /api/v1/credentials/{credential}/badge.svg", Expect::kStudentRead},
    {"GET /api/v1/credentials/{credential}/credential.jwt", Expect::kStudentRead},
    {"POST /api/v1/credentials/{credential}/share", Expect::kSelf},
    {"POST /api/v1/credentials/{credential}/wallet-offer", Expect::kSelf},
    {"GET /api/v1/districts/{district}/exports/platform-awards", Expect::kDistrictLeader},
    {"POST /issuers/{district}/exchanges/{exchange}", Expect::kPublic},
    {"POST /api/v1/verify", Expect::kPublic},
    {"GET /api/v1/public/credentials/{credential}", Expect::kPublic},
    {"GET /api/v1/issuers/{district}/profile", Expect::kAdmin},
    {"PUT /api/v1/issuers/{district}/profile", Expect::kAdmin},
    {"POST /api/v1/issuers/{district}/keys/rotate", Expect::kAdmin},
    {"POST /api/v1/issuers/{district}/keys/{key}/revoke", Expect::kAdmin},
    {"GET /issuers/{district}", Expect::kPublic},
    {"GET /issuers/{district}/keys/{key}", Expect::kPublic},
    {"GET /issuers/{district}/did.json", Expect::kPublic},
    {"GET /.well-known/did.json", Expect::kPublic},
    {"GET /achievements/{district}/{badge}", Expect::kPublic},
    {"GET /achievements/{district}/{badge}/image.png", Expect::kPublic},
    {"GET /status/{district}/revocation", Expect::kPublic},
    {"GET /status/{district}/revocation/{list}", Expect::kPublic},
    {"GET /ob2/issuers/{district}", Expect::kPublic},
    {"GET /ob2/badges/{district}/{badge}", Expect::kPublic},
    {"GET /ob2/assertions/{credential}", Expect::kPublic},
    {"GET /ob2/assertions/{credential}/image.png", Expect::kPublic},
    {"GET /ob2/revocations/{district}", Expect::kPublic},
    {"POST /api/v1/imports/case", Expect::kAdmin},
    {"GET /api/v1/frameworks", Expect::kAnyone},
    {"GET /api/v1/frameworks/{framework}", Expect::kAnyone},
    {"GET /api/v1/frameworks/{framework}/items", Expect::kAnyone},
    {"GET /api/v1/catalog/cpes/{cpe}/alignments", Expect::kAnyone},
    {"PUT /api/v1/catalog/cpes/{cpe}/alignments", Expect::kAdmin},
    {"GET /api/v1/catalog/case.json", Expect::kAnyone},
    {"GET /api/v1/standards/crosswalk.csv", Expect::kAnyone},
    {"POST /api/v1/standards/crosswalk.csv", Expect::kAdmin},
    {"GET /api/v1/standards/coverage", Expect::kStaff},
    {"GET /api/v1/standards/coverage.csv", Expect::kStaff},
    {"GET /api/v1/courses", Expect::kStaff},
    {"GET /api/v1/courses/{course}/badges", Expect::kStaff},
    {"PUT /api/v1/courses/{course}/badges", Expect::kAdmin},
    {"GET /api/v1/catalog/badges/{badge}/resources", Expect::kAnyone},
    {"POST /api/v1/catalog/cpes/{cpe}/resources", Expect::kStaff},
    {"DELETE /api/v1/catalog/resources/{resource}", Expect::kStaff},
    {"GET /api/v1/catalog/badges/{badge}/assessment-items", Expect::kStaff},
    {"POST /api/v1/catalog/badges/{badge}/assessment-items", Expect::kStaff},
    {"DELETE /api/v1/catalog/badges/{badge}/assessment-items/{item}", Expect::kStaff},
    {"GET /api/v1/districts/{district}/trackers", Expect::kDistrictLeaders},
    {"GET /api/v1/districts/{district}/trackers/{tracker}/rows", Expect::kDistrictLeaders},
    {"POST /api/v1/districts/{district}/trackers/{tracker}/rows", Expect::kDistrictLeader},
    {"GET /api/v1/districts/{district}/trackers/{tracker}/rows/{row}", Expect::kDistrictLeaders},
    {"PUT /api/v1/districts/{district}/trackers/{tracker}/rows/{row}", Expect::kDistrictLeader},
    {"GET /api/v1/districts/{district}/trackers/{tracker}/export.xlsx", Expect::kDistrictLeaders},
    {"GET /api/v1/districts/{district}/trackers/{tracker}/export.pdf", Expect::kDistrictLeaders},
    {"GET /api/v1/districts/{district}/observations", Expect::kDistrictStaff},
    {"POST /api/v1/districts/{district}/observations", Expect::kDistrictLeaders},
    {"GET /api/v1/observations/{observation}", Expect::kStaff},
    {"GET /api/v1/districts/{district}/implementation", Expect::kDistrictLeaders},
    {"GET /api/v1/districts/{district}/observation-readers", Expect::kDistrictLeader},
    {"PUT /api/v1/districts/{district}/observation-readers", Expect::kAdmin},
    {"POST /api/v1/submissions/{submission}/peer-reviews", Expect::kStudentWrite},
    {"GET /api/v1/submissions/{submission}/peer-reviews", Expect::kStudentRead},
    {"GET /api/v1/peer-reviews", Expect::kAnyone},
    {"GET /api/v1/peer-reviews/{review}", Expect::kSelf},
    {"GET /api/v1/peer-reviews/{review}/files/{artifact}", Expect::kSelf},
    {"POST /api/v1/peer-reviews/{review}/answer", Expect::kSelf},
    {"PUT /api/v1/rounds/{round}/themes", Expect::kLeader},
    {"PUT /api/v1/districts/{district}/instruments/{instrument}", Expect::kDistrictLeader},
    {"GET /api/v1/settings/credit-map", Expect::kStaff},
    {"PUT /api/v1/settings/credit-map", Expect::kAdmin},
    {"GET /api/v1/settings/agency", Expect::kAnyone},
    {"PUT /api/v1/settings/agency", Expect::kAdmin},
};

[[maybe_unused]] bool ExpectAllowed(Expect expect, const std::string& role, bool own) {
  const bool admin = role == "admin";
  const bool staff =
      role == "teacher-001" || role == "leader-school-1" || role == "leader-district" || admin;
  switch (expect) {
    case Expect::kPublic:
    case Expect::kAnyone:
      return true;
    case Expect::kStaff:
      return staff;
    case Expect::kLeader:
      return role == "leader-school-1" || role == "leader-district" || admin;
    case Expect::kAdmin:
      return admin;
    case Expect::kStudentRead:
      return own || admin;
    case Expect::kStudentWrite:
      return admin || (own && (role == "teacher-001" || role == "leader-school-1"));
    case Expect::kSection:
      return admin || (own && staff);
    case Expect::kSelf:
      return own && role == "student-00001";
    case Expect::kSchoolLeader:
      return admin || (own && (role == "leader-school-1" || role == "leader-district"));
    case Expect::kDistrictLeader:
      return admin || (own && role == "leader-district");
    case Expect::kDistrictStaff:
      return admin || (own && staff);
    case Expect::kDistrictLeaders:
      return admin || (own && (role == "leader-school-1" || role == "leader-district"));
    case Expect::kPortfolioWrite:
      return admin || (own && (role == "student-00001" || role == "teacher-001" ||
                               role == "leader-school-1"));
  }
  return false;
}

}  // namespace
}  // namespace cairn
