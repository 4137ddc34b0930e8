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

}  // namespace
}  // namespace cairn
