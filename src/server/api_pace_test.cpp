// The pace routes (issue #13): who is not progressing or advancing rapidly,
// by section, school and district, with access decided on the record the
// path names, the district's pace setting, and bad queries named by field.
#include "server/api_test_fixture.h"

namespace cairn {
namespace {

// Today for these tests; the 4-week window is 2026-02-02 .. 2026-03-01.
const Instant kNow = *ParseInstant("2026-03-01T12:00:00Z");

// The far district gets a small class of its own: section-x works on M101,
// section-y on M102 (whose prerequisite is M101).
class ApiPaceTest : public ApiTest {
 public:
  static void SetUpTestSuite() {
    ApiTest::SetUpTestSuite();
    auto store = SqliteStore::Open(g_db);
    ASSERT_TRUE(store.ok());
    Store& s = **store;
    const Person far = **s.FindPerson("student-far");
    const Id admin = (*s.FindPerson("admin"))->id;
    Id section_x = 0, section_y = 0;
    const Roster roster = *s.LoadRoster();
    for (const Section& section : roster.sections) {
      if (section.sourced_id == "section-x") section_x = section.id;
    }
    ASSERT_NE(section_x, 0);
    const Id course = *s.InsertCourse({0, "course-y", far.district_id, "Geometry"});
    section_y = *s.InsertSection(
        {0, "section-y", *far.school_id, course, "Far Geometry", "2025-26", {"M102"}});
    auto add = [&](const std::string& id, const std::string& given, Id section) {
      Person p;
      p.sourced_id = id;
      p.given_name = given;
      p.family_name = "Pace";
      p.district_id = far.district_id;
      p.school_id = far.school_id;
      const Id pid = *s.InsertPerson(p);
      EXPECT_TRUE(s.InsertEnrollment({section, pid, false}).ok());
      return pid;
    };
    auto rate = [&](Id student, const std::string& cpe, const std::string& level,
                    const std::string& day) {
      RatingFact rating;
      rating.student_id = student;
      rating.cpe_id = cpe;
      rating.level_id = level;
      rating.demonstrated_on = *ParseDate(day);
      rating.recorded_at = StartOf(rating.demonstrated_on) + 3600;
      rating.recorded_by = admin;
      EXPECT_TRUE(s.AppendRating(rating).ok());
    };
    // Stalled: mastery on 2026-01-05, and work since that is not yet at mastery.
    const Id stalled = add("pace-stalled", "Sam", section_x);
    rate(stalled, "M101.1", "proficient", "2026-01-05");
    rate(stalled, "M101.2", "emerging", "2026-02-10");
    // Rapid: two CPEs in the window while the section's median is 0.
    const Id rapid = add("pace-rapid", "Rae", section_x);
    rate(rapid, "M101.1", "proficient", "2026-02-20");
    rate(rapid, "M101.2", "advanced", "2026-02-25");
    // No evidence at all.
    add("pace-none", "Noa", section_x);
    // M102 mastered long ago on one CPE, but M101 not earned.
    rate(add("pace-prereq", "Pia", section_y), "M102.1", "proficient", "2026-01-20");
  }

 protected:
  void SetUp() override {
    ApiOptions options;
    options.db_path = g_db;
    options.public_url = "https://badges.test";
    options.clock = [] { return kNow; };
    api_ = std::make_unique<Api>(options);
  }

  static const json* Row(const json& report, const std::string& student, const std::string& badge) {
    for (const json& row : report["rows"]) {
      if (row["student_id"] == student && row["badge"] == badge) return &row;
    }
    return nullptr;
  }
  static std::vector<std::string> Students(const json& report) {
    std::vector<std::string> ids;
    for (const json& row : report["rows"]) ids.push_back(row["student_id"]);
    return ids;
  }
  static std::string Field(const HttpResponse& r) { return Body(r)["error"].value("field", ""); }
};

TEST_F(ApiPaceTest, DistrictListShowsFlagsReasonsAndLastEvidence) {
  Login admin = SignIn("admin");
  HttpResponse r = Call("GET", "/api/v1/districts/district-2/pace", "", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  const json report = Body(r);
  EXPECT_EQ(report["scope"]["kind"], "district");
  EXPECT_EQ(report["scope"]["id"], "district-2");
  EXPECT_EQ(report["today"], "2026-03-01");
  EXPECT_EQ(report["window_weeks"], 4);
  EXPECT_EQ(report["window_start"], "2026-02-02");
  EXPECT_EQ(report["enrolments"], 5);  // four in section-x (M101), one in section-y (M102)

  const json* stalled = Row(report, "pace-stalled", "M101");
  ASSERT_NE(stalled, nullptr) << report.dump();
  EXPECT_TRUE((*stalled)["not_progressing"]);
  EXPECT_EQ((*stalled)["last_evidence"], "2026-02-10");
  EXPECT_EQ((*stalled)["last_mastery"], "2026-01-05");
  EXPECT_EQ((*stalled)["weeks_stalled"], 7);  // 55 days
  EXPECT_EQ((*stalled)["short_cpes"], json({"M101.2", "M101.3", "M101.4"}));
  EXPECT_FALSE((*stalled)["why"].empty());

  const json* rapid = Row(report, "pace-rapid", "M101");
  ASSERT_NE(rapid, nullptr);
  EXPECT_TRUE((*rapid)["advancing_rapidly"]);
  EXPECT_FALSE((*rapid)["not_progressing"]);
  EXPECT_EQ((*rapid)["cpes_gained"], 2);
  EXPECT_TRUE((*rapid)["why"].empty());

  const json* none = Row(report, "pace-none", "M101");
  ASSERT_NE(none, nullptr);
  EXPECT_TRUE((*none)["last_evidence"].is_null());
  EXPECT_TRUE((*none)["weeks_stalled"].is_null());

  const json* prereq = Row(report, "pace-prereq", "M102");
  ASSERT_NE(prereq, nullptr);
  EXPECT_EQ((*prereq)["missing_prerequisites"], json({"M101"}));
  bool says_prerequisite = false;
  for (const json& line : (*prereq)["why"]) {
    says_prerequisite |= line.get<std::string>().rfind("Prerequisite badge M101", 0) == 0;
  }
  EXPECT_TRUE(says_prerequisite) << prereq->dump();

  // The far student's M101 is confirmed: not on the list.
  EXPECT_EQ(Row(report, "student-far", "M101"), nullptr);
}

TEST_F(ApiPaceTest, FiltersAndSortsButNeverByScore) {
  Login admin = SignIn("admin");
  json stalled = Body(Call("GET", "/api/v1/schools/school-x/pace?flag=not_progressing", "", admin));
  // Longest stalled first: never at mastery, then 7 weeks (since 01-05), then 5 (01-20).
  EXPECT_EQ(Students(stalled),
            (std::vector<std::string>{"pace-none", "pace-stalled", "pace-prereq"}));
  json by_evidence = Body(Call(
      "GET", "/api/v1/schools/school-x/pace?flag=not_progressing&sort=last_evidence", "", admin));
  // Oldest evidence first: none, then 01-20, then 02-10.
  EXPECT_EQ(Students(by_evidence),
            (std::vector<std::string>{"pace-none", "pace-prereq", "pace-stalled"}));
  json rapid =
      Body(Call("GET", "/api/v1/sections/section-x/pace?flag=advancing_rapidly", "", admin));
  EXPECT_EQ(Students(rapid), std::vector<std::string>{"pace-rapid"});
  // A window of 9 weeks reaches 2026-01-05: the stalled student progressed.
  json wide =
      Body(Call("GET", "/api/v1/sections/section-x/pace?weeks=9&flag=not_progressing", "", admin));
  EXPECT_EQ(Row(wide, "pace-stalled", "M101"), nullptr);
  EXPECT_NE(Row(wide, "pace-none", "M101"), nullptr);

  for (const char* bad : {"flag=fastest", "sort=score", "weeks=0", "weeks=53", "weeks=4x",
                          "limit=0", "limit=1001", "offset=-1", "offset=x"}) {
    HttpResponse r = Call("GET", std::string("/api/v1/sections/section-x/pace?") + bad, "", admin);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(Field(r), std::string(bad).substr(0, std::string(bad).find('='))) << bad;
  }
  HttpResponse missing = Call("GET", "/api/v1/districts/no-such/pace", "", admin);
  EXPECT_EQ(missing.status, 404);
}

TEST_F(ApiPaceTest, ListsArePagedWithTheirTotal) {
  Login admin = SignIn("admin");
  const std::string base = "/api/v1/schools/school-x/pace?flag=not_progressing";
  json whole = Body(Call("GET", base, "", admin));
  ASSERT_EQ(whole["total"], 3);
  EXPECT_EQ(whole["offset"], 0);
  EXPECT_EQ(whole["limit"], 100);
  // Pages in the list's order, each with the same total; past the end is empty.
  std::vector<std::string> paged;
  for (int offset = 0; offset < 4; offset += 2) {
    json page = Body(Call("GET", base + "&limit=2&offset=" + std::to_string(offset), "", admin));
    EXPECT_EQ(page["total"], 3);
    EXPECT_EQ(page["offset"], offset);
    for (const std::string& s : Students(page)) paged.push_back(s);
  }
  EXPECT_EQ(paged, Students(whole));
  json past = Body(Call("GET", base + "&offset=7", "", admin));
  EXPECT_TRUE(past["rows"].empty());
  EXPECT_EQ(past["total"], 3);
  // The counts describe the whole list, not the page.
  json one = Body(Call("GET", base + "&limit=1", "", admin));
  EXPECT_EQ(one["rows"].size(), 1u);
  EXPECT_EQ(one["not_progressing"], whole["not_progressing"]);
}

TEST_F(ApiPaceTest, AccessFollowsTheSectionSchoolOrDistrictInThePath) {
  std::map<std::string, Login> logins;
  for (const char* role : kRoles) logins[role] = SignIn(role);
  auto status = [&](const std::string& role, const std::string& path) {
    return Call("GET", path, "", logins[role]).status;
  };
  // District lists: its district leaders and admins only.
  EXPECT_EQ(status("leader-district", "/api/v1/districts/district-demo/pace"), 200);
  EXPECT_EQ(status("leader-district", "/api/v1/districts/district-2/pace"), 403);
  EXPECT_EQ(status("leader-school-1", "/api/v1/districts/district-demo/pace"), 403);
  EXPECT_EQ(status("teacher-001", "/api/v1/districts/district-demo/pace"), 403);
  // School lists: the school's leaders and its district's.
  EXPECT_EQ(status("leader-school-1", "/api/v1/schools/school-1/pace"), 200);
  EXPECT_EQ(status("leader-district", "/api/v1/schools/school-1/pace"), 200);
  EXPECT_EQ(status("leader-school-1", "/api/v1/schools/school-x/pace"), 403);
  EXPECT_EQ(status("teacher-001", "/api/v1/schools/school-1/pace"), 403);
  // Section lists: its teachers too; never students or families.
  EXPECT_EQ(status("teacher-001", "/api/v1/sections/section-1-alg1-1/pace"), 200);
  EXPECT_EQ(status("teacher-001", "/api/v1/sections/section-x/pace"), 403);
  EXPECT_EQ(status("student-00001", "/api/v1/sections/section-1-alg1-1/pace"), 403);
  EXPECT_EQ(status("guardian-00001", "/api/v1/sections/section-1-alg1-1/pace"), 403);

  // What a school leader sees is their school's students only.
  json school = Body(Call("GET", "/api/v1/schools/school-1/pace", "", logins["leader-school-1"]));
  EXPECT_EQ(school["scope"]["id"], "school-1");
  for (const json& row : school["rows"]) EXPECT_EQ(row["school"], school["scope"]["name"]);
  EXPECT_GT(school["enrolments"].get<int>(), 0);
}

TEST_F(ApiPaceTest, TheDistrictSetsTheWindow) {
  Login admin = SignIn("admin");
  Login teacher = SignIn("teacher-001");
  EXPECT_EQ(Body(Call("GET", "/api/v1/settings/pace", "", admin))["not_progressing_weeks"], 4);
  EXPECT_EQ(Call("PUT", "/api/v1/settings/pace", R"({"not_progressing_weeks": 9})", teacher).status,
            403);
  HttpResponse bad = Call("PUT", "/api/v1/settings/pace", R"({"not_progressing_weeks": 0})", admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Field(bad), "pace.not_progressing_weeks");
  HttpResponse put = Call("PUT", "/api/v1/settings/pace", R"({"not_progressing_weeks": 9})", admin);
  ASSERT_EQ(put.status, 200) << put.body;
  json report =
      Body(Call("GET", "/api/v1/sections/section-x/pace?flag=not_progressing", "", admin));
  EXPECT_EQ(report["window_weeks"], 9);
  EXPECT_EQ(Row(report, "pace-stalled", "M101"), nullptr);
  ASSERT_EQ(Call("PUT", "/api/v1/settings/pace", R"({"not_progressing_weeks": 4})", admin).status,
            200);
}

TEST_F(ApiPaceTest, TheDistrictSetsThePlanAndRowsSayHowFarBehindIt) {
  Login admin = SignIn("admin");
  // A plan for a course the roster lacks is refused, naming it; nothing is stored.
  HttpResponse bad = Call("PUT", "/api/v1/settings/pace",
                          R"({"course_weeks_per_badge": {"course-nope": 4}})", admin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Field(bad), "pace.course_weeks_per_badge.course-nope");
  EXPECT_EQ(Body(Call("GET", "/api/v1/settings/pace", "", admin))["weeks_per_badge"], 6);

  // Far Algebra's course gets 2 weeks a badge; every other course keeps 6.
  const Roster roster = *SqliteStore::Open(g_db).value()->LoadRoster();
  std::string course_x;
  for (const Section& s : roster.sections) {
    if (s.sourced_id == "section-x") course_x = roster.FindCourse(s.course_id)->sourced_id;
  }
  ASSERT_FALSE(course_x.empty());
  HttpResponse put = Call("PUT", "/api/v1/settings/pace",
                          json{{"course_weeks_per_badge", {{course_x, 2}}}}.dump(), admin);
  ASSERT_EQ(put.status, 200) << put.body;
  json report = Body(
      Call("GET", "/api/v1/sections/section-x/pace?flag=behind_plan&sort=pace_ratio", "", admin));
  EXPECT_EQ(report["flag"], "behind_plan");
  ASSERT_FALSE(report["rows"].empty());
  EXPECT_EQ(report["behind_plan"].get<std::size_t>(), report["rows"].size());
  double last = -1;
  for (const json& row : report["rows"]) {
    EXPECT_TRUE(row["behind_plan"].get<bool>());
    EXPECT_EQ(row["plan_weeks"], 2);
    const double expected = row["cpes_needed"].get<double>() / 2;
    EXPECT_NEAR(row["expected_cpes_per_week"].get<double>(), expected, 0.01);
    EXPECT_NEAR(row["pace_ratio"].get<double>(), row["cpes_per_week"].get<double>() / expected,
                0.01);
    EXPECT_LT(row["pace_ratio"].get<double>(), 1);
    EXPECT_GE(row["pace_ratio"].get<double>(), last);  // slowest first
    last = row["pace_ratio"];
  }
  // Rae gained two CPEs in the 4-week window: 0.5 a week against the plan's.
  const json* rae = Row(report, "pace-rapid", "M101");
  ASSERT_NE(rae, nullptr);
  EXPECT_DOUBLE_EQ((*rae)["cpes_per_week"].get<double>(), 0.5);
  EXPECT_EQ(Call("GET", "/api/v1/sections/section-x/pace?flag=slow", "", admin).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/sections/section-x/pace?sort=score", "", admin).status, 400);
  ASSERT_EQ(Call("PUT", "/api/v1/settings/pace", "{}", admin).status, 200);
}

}  // namespace
}  // namespace cairn
