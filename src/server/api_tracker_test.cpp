// The district implementation plan (issue #15): a district leader adds and
// revises tracker rows (history kept), sees overdue rows and the step on the
// dashboard, exports XLSX and PDF; school leaders read, teachers and other
// districts are refused; bad bodies are named by field and write nothing.
// Observations are seen only by the observer, the observed teacher and
// district leaders, and every read is audited.
#include "server/api_test_fixture.h"
#include "toolkit/observation.h"
#include "toolkit/tracker.h"

namespace cairn {
namespace {

class ApiTrackerTest : public ApiTest {
 public:
  static void SetUpTestSuite() {
    ApiTest::SetUpTestSuite();
    auto store = SqliteStore::Open(g_db);
    ASSERT_TRUE(store.ok());
    Store& s = **store;
    const Person near = **s.FindPerson("teacher-001");
    Person p;
    p.sourced_id = "tr-teacher-b";
    p.role = PersonRole::kTeacher;
    p.given_name = "Bea";
    p.family_name = "Tracker";
    p.district_id = near.district_id;
    p.school_id = near.school_id;
    ASSERT_TRUE(s.InsertPerson(p).ok());
    ASSERT_TRUE(CreateAccount(s, p.sourced_id, p.sourced_id, kPassword, SystemClock()()).ok());
    Person leader;
    leader.sourced_id = "tr-leader-b";
    leader.role = PersonRole::kDistrictLeader;
    leader.given_name = "Lee";
    leader.family_name = "Second";
    leader.district_id = near.district_id;
    ASSERT_TRUE(s.InsertPerson(leader).ok());
    ASSERT_TRUE(
        CreateAccount(s, leader.sourced_id, leader.sourced_id, kPassword, SystemClock()()).ok());
  }

 protected:
  static std::size_t JournalSize(const std::string& stream) {
    auto store = SqliteStore::Open(g_db);
    const Id district = (*(*store)->FindPerson("leader-district"))->district_id;
    auto entries = (*store)->Journal(district, stream, std::nullopt);
    EXPECT_TRUE(entries.ok());
    return entries.ok() ? entries->size() : 0;
  }
  json Send(const std::string& method, const std::string& target, const json& body,
            const Login& who, int expect) {
    HttpResponse r = Call(method, target, body.dump(), who);
    EXPECT_EQ(r.status, expect) << method << " " << target << " " << r.body;
    return Body(r);
  }
  json Get(const std::string& target, const Login& who, int expect = 200) {
    HttpResponse r = Call("GET", target, "", who);
    EXPECT_EQ(r.status, expect) << target << " " << r.body;
    return Body(r);
  }
  static std::set<std::string> Fields(const json& body) {
    std::set<std::string> out;
    for (const json& e : body["error"].value("errors", json::array())) out.insert(e["field"]);
    return out;
  }
};

const std::string kPlan = "/api/v1/districts/district-demo";

TEST_F(ApiTrackerTest, ALeaderAddsAndRevisesRowsWithHistoryAndSeesWhatIsOverdue) {
  const Login leader = SignIn("leader-district");
  const std::string rows = kPlan + "/trackers/grading-review-2-3/rows";
  json added = Send("POST", rows,
                    {{"values", {{"aspect", "Gradebook system"}, {"threat", "High"}}},
                     {"owner", "Data office"},
                     {"due", "2020-01-15"},
                     {"status", "not started"}},
                    leader, 201);
  const std::string id = added.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(added["overdue"].get<bool>());
  EXPECT_EQ(added["revisions"], 1);

  json revised = Send("PUT", rows + "/" + id,
                      {{"values", {{"aspect", "Gradebook system"}, {"threat", "Medium"}}},
                       {"owner", "Data office"},
                       {"due", "2020-01-15"},
                       {"status", "in progress"},
                       {"notes", "vendor call booked"}},
                      leader, 200);
  EXPECT_EQ(revised["revisions"], 2);
  EXPECT_EQ(revised["values"]["threat"], "Medium");

  json one = Get(rows + "/" + id, leader);
  ASSERT_EQ(one["history"].size(), 2u);
  EXPECT_EQ(one["history"][0]["values"]["threat"], "High");
  EXPECT_EQ(one["history"][0]["status"], "not started");
  EXPECT_EQ(one["history"][1]["status"], "in progress");
  EXPECT_FALSE(one["history"][1].value("recorded_by", "").empty());

  json list = Get(rows, leader);
  EXPECT_EQ(list["tracker"]["columns"].size(), 5u);
  EXPECT_TRUE(list["can_edit"].get<bool>());
  bool found = false;
  for (const json& r : list["rows"]) found = found || r["id"] == id;
  EXPECT_TRUE(found);

  // The dashboard: Step 2 has work in progress; the row is overdue.
  json dash = Get(kPlan + "/implementation", leader);
  EXPECT_GE(dash["stage"]["current_step"].get<int>(), 2);
  bool overdue = false;
  for (const json& o : dash["overdue"]) overdue = overdue || o["row"] == id;
  EXPECT_TRUE(overdue);
  EXPECT_TRUE(dash["rounds"]["shown"].get<bool>());

  // Done is no longer overdue.
  Send("PUT", rows + "/" + id,
       {{"values", {{"aspect", "Gradebook system"}}}, {"due", "2020-01-15"}, {"status", "done"}},
       leader, 200);
  dash = Get(kPlan + "/implementation", leader);
  for (const json& o : dash["overdue"]) EXPECT_NE(o["row"], id);

  // A school leader reads but does not edit, and sees no round results.
  const Login school = SignIn("leader-school-1");
  EXPECT_FALSE(Get(rows, school)["can_edit"].get<bool>());
  EXPECT_FALSE(Get(kPlan + "/implementation", school)["rounds"]["shown"].get<bool>());
  const std::size_t before = JournalSize(TrackerStream("grading-review-2-3"));
  Send("POST", rows, {{"values", {{"aspect", "x"}}}}, school, 403);
  Send("PUT", rows + "/" + id, {{"values", {{"aspect", "x"}}}}, school, 403);
  EXPECT_EQ(JournalSize(TrackerStream("grading-review-2-3")), before);
}

TEST_F(ApiTrackerTest, BadRowsAreNamedByFieldAndWriteNothing) {
  const Login leader = SignIn("leader-district");
  const std::string rows = kPlan + "/trackers/grading-review-2-3/rows";
  const std::size_t before = JournalSize(TrackerStream("grading-review-2-3"));
  json bad = Send("POST", rows,
                  {{"values", {{"threat", "Extreme"}}}, {"due", "soon"}, {"status", "maybe"}},
                  leader, 400);
  EXPECT_EQ(Fields(bad),
            (std::set<std::string>{"values.aspect", "values.threat", "due", "status"}));
  Send("POST", rows, json::array(), leader, 400);
  Send("PUT", rows + "/row-nothere", {{"values", {{"aspect", "x"}}}}, leader, 404);
  Send("POST", kPlan + "/trackers/no-such/rows", {{"values", {{"aspect", "x"}}}}, leader, 404);
  json linked = Send(
      "POST", kPlan + "/trackers/evaluation-goals-4-1/rows",
      {{"values",
        {{"area", "Program Goals"}, {"goal", "Completion"}, {"report", {{"report", "grades"}}}}}},
      leader, 400);
  EXPECT_EQ(Fields(linked), (std::set<std::string>{"values.report.report"}));
  EXPECT_EQ(JournalSize(TrackerStream("grading-review-2-3")), before);
  EXPECT_EQ(JournalSize(TrackerStream("evaluation-goals-4-1")), 0u);
}

TEST_F(ApiTrackerTest, AGoalLinksToTheCompletionReportAndShowsItsValue) {
  const Login leader = SignIn("leader-district");
  json row = Send("POST", kPlan + "/trackers/evaluation-goals-4-1/rows",
                  {{"values",
                    {{"area", "Program Goals"},
                     {"goal", "More students complete badges"},
                     {"report", {{"report", "completion-by-school"}}}}}},
                  leader, 201);
  json list = Get(kPlan + "/trackers/evaluation-goals-4-1/rows", leader);
  ASSERT_FALSE(list["rows"].empty());
  const json& value = list["rows"].back()["report_value"];
  EXPECT_EQ(value["report"], "completion-by-school");
  EXPECT_FALSE(value.value("value", "").empty());
  EXPECT_TRUE(value.contains("badge_enrolments")) << value.dump();
}

TEST_F(ApiTrackerTest, ExportsAreAWorkbookAndAPdf) {
  const Login leader = SignIn("leader-district");
  Send("POST", kPlan + "/trackers/checkin-plan-3-1/rows",
       {{"values", {{"opportunity", "School leader 1:1s"}, {"dates", "Monthly"}}}}, leader, 201);
  HttpResponse xlsx = Call("GET", kPlan + "/trackers/checkin-plan-3-1/export.xlsx", "", leader);
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(std::string(xlsx.Body().substr(0, 2)), "PK");
  EXPECT_NE(xlsx.content_type.find("spreadsheetml"), std::string::npos);
  HttpResponse pdf = Call("GET", kPlan + "/trackers/checkin-plan-3-1/export.pdf", "", leader);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(std::string(pdf.Body().substr(0, 5)), "%PDF-");
  EXPECT_EQ(Call("GET", kPlan + "/trackers/checkin-plan-3-1/export.pdf", "", SignIn("teacher-001"))
                .status,
            403);
}

TEST_F(ApiTrackerTest, ObservationsAreSeenOnlyByTheirPeopleAndEveryReadIsAudited) {
  const Login leader = SignIn("leader-district");
  json protocol =
      Send("POST", kPlan + "/trackers/observation-protocol-3-2/rows",
           {{"values",
             {{"name", "MCOP2"},
              {"look_fors", {"Students explain their reasoning", "Tasks fit a badge"}}}}},
           leader, 201);
  const std::size_t before = JournalSize(kObservationStream);
  json bad = Send("POST", kPlan + "/observations",
                  {{"teacher", "student-00001"},
                   {"protocol", protocol["id"]},
                   {"date", "2999-01-01"},
                   {"look_fors", {{{"look_for", "Not in the protocol"}, {"seen", "seen"}}}},
                   {"observer", "leader-school-1"}},
                  leader, 400);
  EXPECT_EQ(Fields(bad),
            (std::set<std::string>{"teacher", "date", "look_fors[0].look_for", "observer"}));
  EXPECT_EQ(JournalSize(kObservationStream), before);

  json made =
      Send("POST", kPlan + "/observations",
           {{"teacher", "teacher-001"},
            {"protocol", protocol["id"]},
            {"date", "2026-01-10"},
            {"look_fors", {{{"look_for", "Students explain their reasoning"}, {"seen", "partly"}}}},
            {"notes", "Strong launch"}},
           leader, 201);
  const std::string id = made.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(made["observer"]["id"], "leader-district");

  const Login observed = SignIn("teacher-001");
  json mine = Get("/api/v1/observations/" + id, observed);
  EXPECT_EQ(mine["notes"], "Strong launch");
  EXPECT_EQ(mine["protocol_name"], "MCOP2");
  bool listed = false;
  const json seen_by_teacher = Get(kPlan + "/observations", observed);
  for (const json& o : seen_by_teacher["observations"]) listed = listed || o["id"] == id;
  EXPECT_TRUE(listed);

  const Login other = SignIn("tr-teacher-b");
  Get("/api/v1/observations/" + id, other, 403);
  const json seen_by_other = Get(kPlan + "/observations", other);
  for (const json& o : seen_by_other["observations"]) EXPECT_NE(o["id"], id);
  // A school leader who did not observe is not one of the people either.
  Get("/api/v1/observations/" + id, SignIn("leader-school-1"), 403);
  Get("/api/v1/observations/obs-none", observed, 404);

  api_->FlushAudit();
  auto store = SqliteStore::Open(g_db);
  auto audit = (*store)->Audit(std::nullopt, 200);
  ASSERT_TRUE(audit.ok());
  int reads = 0, refusals = 0;
  for (const AuditEntry& e : *audit) {
    if (e.resource != "GET /api/v1/observations/" + id) continue;
    if (e.status == 200) ++reads;
    if (e.status == 403) ++refusals;
  }
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(refusals, 2);
}

// "Leaders the district names": until it names any, every district leader
// reads observations; once named, only those (besides observer and teacher).
TEST_F(ApiTrackerTest, OnlyTheLeadersTheDistrictNamesReadObservations) {
  const Login leader = SignIn("leader-district");
  const Login second = SignIn("tr-leader-b");
  json made = Send("POST", kPlan + "/observations",
                   {{"teacher", "teacher-001"}, {"date", "2026-02-02"}, {"notes", "Second look"}},
                   leader, 201);
  const std::string id = made.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Get(kPlan + "/observation-readers", leader)["named"], false);
  Get("/api/v1/observations/" + id, second, 200);

  // The district names them through its administrator: a leader cannot
  // name themselves.
  const Login admin = SignIn("admin");
  json bad = Send("PUT", kPlan + "/observation-readers",
                  {{"readers", {"leader-district", "teacher-001", "leader-school-1"}}}, admin, 400);
  EXPECT_EQ(Fields(bad), (std::set<std::string>{"readers[1]", "readers[2]"}));
  EXPECT_EQ(Get(kPlan + "/observation-readers", leader)["named"], false);
  for (const Login& who : {SignIn("teacher-001"), leader, second}) {
    Send("PUT", kPlan + "/observation-readers", {{"readers", {"tr-leader-b"}}}, who, 403);
  }

  json named =
      Send("PUT", kPlan + "/observation-readers", {{"readers", {"leader-district"}}}, admin, 200);
  EXPECT_EQ(named["named"], true);
  ASSERT_EQ(named["readers"].size(), 1u);
  EXPECT_EQ(named["readers"][0]["id"], "leader-district");
  Get("/api/v1/observations/" + id, second, 403);
  const json listed = Get(kPlan + "/observations", second);
  for (const json& o : listed["observations"]) {
    EXPECT_NE(o["id"], id);
  }
  Get("/api/v1/observations/" + id, SignIn("teacher-001"), 200);  // the observed teacher
  Get("/api/v1/observations/" + id, leader, 200);                 // the observer, named too
  // Named again with the second leader: they read it again.
  Send("PUT", kPlan + "/observation-readers", {{"readers", {"leader-district", "tr-leader-b"}}},
       admin, 200);
  Get("/api/v1/observations/" + id, second, 200);
}

}  // namespace
}  // namespace cairn
