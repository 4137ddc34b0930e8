// The student's own plan (issue #15): goals, a badge request a teacher
// decides, a self-assessment that never counts toward mastery, and a
// guardian's note after the conference; refusals and bad bodies.
#include "server/api_test_fixture.h"

namespace cairn {
namespace {

class ApiAgencyTest : public ApiTest {};

TEST_F(ApiAgencyTest, AStudentPlansRequestsAndAssessesAndTheFamilyReadsIt) {
  Login student = SignIn("student-00001");
  Login teacher = SignIn("teacher-001");
  Login guardian = SignIn("guardian-00001");
  const std::string base = "/api/v1/students/student-00001";

  HttpResponse goals =
      Call("PUT", base + "/plan/goals",
           json{{"goals", {{{"badge", "M104"}, {"by", "2027-05-31"}, {"note", "before summer"}}}}}
               .dump(),
           student);
  ASSERT_EQ(goals.status, 201) << goals.body;
  ASSERT_EQ(
      Call("POST", base + "/plan/reflections", json{{"text", "Graphs help me."}}.dump(), student)
          .status,
      201);
  HttpResponse asked =
      Call("POST", base + "/badge-requests",
           json{{"badge", "M151"}, {"reason", "independent_study"}}.dump(), student);
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_EQ(Body(asked)["badge_requests"][0]["state"], "requested");

  // A self-assessment is the student's view only: progress does not move.
  const std::string before = Call("GET", base + "/progress", "", teacher).body;
  HttpResponse self =
      Call("POST", base + "/self-assessments",
           json{{"cpe", "M104.1"}, {"level", "advanced"}, {"note", "I think so"}}.dump(), student);
  ASSERT_EQ(self.status, 201) << self.body;
  EXPECT_EQ(Call("GET", base + "/progress", "", teacher).body, before);

  HttpResponse decided =
      Call("POST", base + "/badge-requests/M151/decision", json{{"accept", true}}.dump(), teacher);
  ASSERT_EQ(decided.status, 201) << decided.body;
  EXPECT_EQ(Body(decided)["badge_requests"][0]["state"], "accepted");
  // Deciding again: no open request.
  EXPECT_EQ(
      Call("POST", base + "/badge-requests/M151/decision", json{{"accept", false}}.dump(), teacher)
          .status,
      409);

  ASSERT_EQ(
      Call("POST", base + "/conference-notes", json{{"text", "So proud."}}.dump(), guardian).status,
      201);
  HttpResponse read = Call("GET", base + "/plan", "", guardian);
  ASSERT_EQ(read.status, 200) << read.body;
  json plan = Body(read);
  EXPECT_EQ(plan["goals"][0]["badge"], "M104");
  EXPECT_FALSE(plan["goals"][0]["title"].get<std::string>().empty());
  EXPECT_EQ(plan["self_assessments"][0]["level"], "advanced");
  EXPECT_EQ(plan["conference_notes"][0]["by_role"], "guardian");
  EXPECT_EQ(plan["revisions"], 6);
  EXPECT_EQ(plan["history"].size(), 6u);

  // Only the student sets their goals; another family's child is refused.
  EXPECT_EQ(
      Call("PUT", base + "/plan/goals", json{{"goals", json::array()}}.dump(), teacher).status,
      403);
  const std::string other = "/api/v1/students/student-00002";
  EXPECT_EQ(Call("GET", other + "/plan", "", student).status, 403);
  EXPECT_EQ(Call("GET", other + "/plan", "", guardian).status, 403);
  EXPECT_EQ(Call("POST", other + "/conference-notes", json{{"text", "x"}}.dump(), guardian).status,
            403);
  EXPECT_EQ(Call("POST", other + "/plan/reflections", json{{"text", "x"}}.dump(), student).status,
            403);

  // A bad body names the field and writes nothing.
  HttpResponse bad =
      Call("PUT", base + "/plan/goals",
           json{{"goals", {{{"badge", "M104"}, {"by", "next year"}}}}}.dump(), student);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "goals[0].by") << bad.body;
  EXPECT_EQ(Body(Call("GET", base + "/plan", "", student))["revisions"], 6);
}

TEST_F(ApiAgencyTest, AnAcceptedBadgeIsTrackedAndTheDistrictMayTurnRequestsOff) {
  Login student = SignIn("student-00001");
  Login teacher = SignIn("teacher-001");
  Login admin = SignIn("admin");
  const std::string base = "/api/v1/students/student-00001";
  auto rows_for = [&](const std::string& badge) {
    HttpResponse sheet = Call("GET", "/api/v1/reports/tracking-sheet?format=json", "", teacher);
    EXPECT_EQ(sheet.status, 200) << sheet.body;
    json found = json::array();
    for (const json& row : Body(sheet)) {
      if (row["student_id"] == "student-00001" && row["badge"] == badge) found.push_back(row);
    }
    return found;
  };
  ASSERT_TRUE(rows_for("M154").empty());
  ASSERT_EQ(Call("POST", base + "/badge-requests",
                 json{{"badge", "M154"}, {"reason", "credit_recovery"}}.dump(), student)
                .status,
            201);
  EXPECT_TRUE(rows_for("M154").empty());  // asked, not yet accepted
  ASSERT_EQ(
      Call("POST", base + "/badge-requests/M154/decision", json{{"accept", true}}.dump(), teacher)
          .status,
      201);
  json rows = rows_for("M154");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["section"], "Credit recovery");
  EXPECT_EQ(rows[0]["completed"], false);
  EXPECT_FALSE(rows[0]["remaining"].empty());

  // The district turns requests off: the plan says so and a request is refused.
  EXPECT_EQ(Call("PUT", "/api/v1/settings/agency", json{{"badge_requests", false}}.dump(), teacher)
                .status,
            403);
  HttpResponse bad =
      Call("PUT", "/api/v1/settings/agency", json{{"badge_requests", "no"}}.dump(), admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "agency.badge_requests") << bad.body;
  ASSERT_EQ(
      Call("PUT", "/api/v1/settings/agency", json{{"badge_requests", false}}.dump(), admin).status,
      200);
  EXPECT_EQ(Body(Call("GET", base + "/plan", "", student))["badge_requests_allowed"], false);
  const int revisions = Body(Call("GET", base + "/plan", "", student))["revisions"];
  HttpResponse refused = Call("POST", base + "/badge-requests",
                              json{{"badge", "M155"}, {"reason", "cte"}}.dump(), student);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(Body(Call("GET", base + "/plan", "", student))["revisions"], revisions);
  ASSERT_EQ(
      Call("PUT", "/api/v1/settings/agency", json{{"badge_requests", true}}.dump(), admin).status,
      200);
  EXPECT_EQ(Call("POST", base + "/badge-requests",
                 json{{"badge", "M155"}, {"reason", "cte"}}.dump(), student)
                .status,
            201);
}

// A teacher asks a classmate to review submitted work; only that classmate
// reads it (without its author) and answers; the author's side reads "a
// classmate", staff see who; nothing counts toward mastery.
TEST_F(ApiAgencyTest, PeerReviewHidesTheReviewerFromTheAuthorAndTheAuthorFromTheReviewer) {
  std::string classmate, author_name, classmate_name;
  {
    auto store = SqliteStore::Open(g_db);
    ASSERT_TRUE(store.ok());
    auto roster = (*store)->LoadRoster();
    ASSERT_TRUE(roster.ok());
    const Person* author = roster->FindPersonBySourcedId("student-00001");
    author_name = author->DisplayName();
    for (const Section* s : roster->SectionsOf(author->id)) {
      for (const Person* p : roster->StudentsIn(s->id)) {
        if (p->id != author->id && classmate.empty()) {
          classmate = p->sourced_id;
          classmate_name = p->DisplayName();
        }
      }
    }
    ASSERT_FALSE(classmate.empty());
    ASSERT_TRUE(CreateAccount(**store, classmate, classmate, kPassword, SystemClock()()).ok());
  }
  Login teacher = SignIn("teacher-001");
  Login author = SignIn("student-00001");
  Login guardian = SignIn("guardian-00001");
  Login peer = SignIn(classmate);
  const std::string sub = "/api/v1/submissions/" + g_submission[true];
  const std::string progress =
      Call("GET", "/api/v1/students/student-00001/progress", "", teacher).body;

  auto assign = [&](const std::string& reviewer, const Login& who) {
    return Call("POST", sub + "/peer-reviews",
                json{{"reviewer", reviewer}, {"prompt", "Is the method clear?"}}.dump(), who);
  };
  for (const char* wrong : {"student-far", "student-00001", "teacher-001"}) {
    HttpResponse r = assign(wrong, teacher);
    EXPECT_EQ(r.status, 400) << wrong << " " << r.body;
    EXPECT_EQ(Body(r)["error"]["field"], "reviewer");
  }
  EXPECT_EQ(assign(classmate, author).status, 403);  // the teacher's call, not the student's
  HttpResponse made = assign(classmate, teacher);
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = Body(made)["id"];
  EXPECT_EQ(Body(made)["reviewer"]["id"], classmate);
  EXPECT_EQ(assign(classmate, teacher).status, 409);

  // The classmate's list and the work, without its author.
  json mine = Body(Call("GET", "/api/v1/peer-reviews", "", peer));
  ASSERT_EQ(mine["peer_reviews"].size(), 1u) << mine.dump();
  EXPECT_EQ(mine["peer_reviews"][0]["title"], "Matrix work");
  const json authors_list = Body(Call("GET", "/api/v1/peer-reviews", "", author));
  for (const json& r : authors_list["peer_reviews"]) {
    EXPECT_NE(r["id"], id);  // the author's own list holds only what they review
  }
  HttpResponse work = Call("GET", "/api/v1/peer-reviews/" + id, "", peer);
  ASSERT_EQ(work.status, 200) << work.body;
  EXPECT_EQ(Body(work)["work"]["history"][0]["text"], "x = 3");
  ASSERT_EQ(Body(work)["work"]["history"][0]["artifacts"].size(), 1u);
  EXPECT_EQ(Body(work)["work"]["history"][0]["artifacts"][0]["name"], "file 1");  // not notes.txt
  EXPECT_EQ(Body(work)["prompt"], "Is the method clear?");
  EXPECT_EQ(work.body.find(author_name), std::string::npos) << work.body;
  EXPECT_EQ(work.body.find("student-00001"), std::string::npos) << work.body;
  EXPECT_EQ(
      Call("GET", "/api/v1/peer-reviews/" + id + "/files/" + g_artifact[false], "", peer).status,
      404);  // another student's file: not part of this work
  for (const Login* other : {&author, &teacher, &guardian}) {
    EXPECT_EQ(Call("GET", "/api/v1/peer-reviews/" + id, "", *other).status, 403);
    EXPECT_EQ(Call("POST", "/api/v1/peer-reviews/" + id + "/answer",
                   json{{"strength", "a"}, {"suggestion", "b"}}.dump(), *other)
                  .status,
              403);
  }

  // The work's reviews with this test's id (the fixture gave it another).
  auto ours = [&](const Login& who) {
    HttpResponse r = Call("GET", sub + "/peer-reviews", "", who);
    EXPECT_EQ(r.status, 200) << r.body;
    json found = json::array();
    const json body = Body(r);
    for (const json& review : body["peer_reviews"]) {
      if (review["id"] == id) found.push_back(review);
    }
    return std::make_pair(found, r.body);
  };
  // Pending reviews are the teacher's business.
  EXPECT_TRUE(ours(author).first.empty());
  EXPECT_EQ(ours(teacher).first.size(), 1u);

  HttpResponse bad = Call("POST", "/api/v1/peer-reviews/" + id + "/answer",
                          json{{"strength", "Clear steps"}}.dump(), peer);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "suggestion") << bad.body;
  HttpResponse answered = Call(
      "POST", "/api/v1/peer-reviews/" + id + "/answer",
      json{{"strength", "Clear steps"}, {"suggestion", "Check the sign in line 2"}}.dump(), peer);
  ASSERT_EQ(answered.status, 201) << answered.body;
  EXPECT_EQ(Call("POST", "/api/v1/peer-reviews/" + id + "/answer",
                 json{{"strength", "again"}, {"suggestion", "again"}}.dump(), peer)
                .status,
            409);

  const auto [reviews, seen] = ours(author);
  ASSERT_EQ(reviews.size(), 1u) << seen;
  EXPECT_EQ(reviews[0]["reviewer"], "A classmate");
  EXPECT_EQ(reviews[0]["suggestion"], "Check the sign in line 2");
  EXPECT_EQ(seen.find(classmate), std::string::npos);
  EXPECT_EQ(seen.find(classmate_name), std::string::npos);
  EXPECT_EQ(ours(guardian).first.size(), 1u);  // the work is shared with the family
  EXPECT_EQ(ours(teacher).first[0]["reviewer"]["id"], classmate);
  EXPECT_EQ(Call("GET", "/api/v1/students/student-00001/progress", "", teacher).body, progress);
}

}  // namespace
}  // namespace cairn
