// The gradebook and tracking workbook routes: who may download them, what
// they contain, and the district's gradebook setting (issue #11, "Out").
#include "server/api_test_fixture.h"
#include "testing/unzip.h"

namespace cairn {
namespace {

using ApiGradebookTest = ApiTest;

constexpr const char* kOwnSection = "/api/v1/sections/section-1-alg1-1";
constexpr const char* kPeriod = "?from=2025-08-01&to=2026-06-30";

std::string Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name) return value;
  }
  return "";
}

std::size_t Lines(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

TEST_F(ApiGradebookTest, TheSectionsTeacherDownloadsTheOneRosterSet) {
  Login teacher = SignIn("teacher-001");
  HttpResponse r = Call("GET", std::string(kOwnSection) + "/gradebook" + kPeriod, "", teacher);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/zip");
  EXPECT_NE(Header(r, "Content-Disposition").find("gradebook-section-1-alg1-1"), std::string::npos)
      << Header(r, "Content-Disposition");
  auto files = testing::Unzip(r.body);
  ASSERT_TRUE(files.count("results.csv"));
  ASSERT_TRUE(files.count("lineItems.csv"));
  EXPECT_NE(files["manifest.csv"].find("oneroster.version,1.2"), std::string::npos);
  // One result per student and line item (headers aside).
  HttpResponse students = Call("GET", std::string(kOwnSection) + "/students", "", teacher);
  ASSERT_EQ(students.status, 200);
  const std::size_t enrolled =
      Body(students).is_array() ? Body(students).size() : Body(students)["students"].size();
  const std::size_t line_items = Lines(files["lineItems.csv"]) - 1;
  ASSERT_GT(line_items, 0u);
  EXPECT_EQ(Lines(files["results.csv"]) - 1, enrolled * line_items);
  EXPECT_NE(files["results.csv"].find(",student-00001,"), std::string::npos);

  r = Call("GET", std::string(kOwnSection) + "/gradebook" + kPeriod + "&format=csv", "", teacher);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(r.body.substr(0, r.body.find('\r')),
            "Student,sourcedId,Badge,Outcome,Grade,Points,As of");
  EXPECT_NE(r.body.find(",2026-06-30T23:59:59Z\r\n"), std::string::npos);
}

TEST_F(ApiGradebookTest, OnlyTheSectionsStaffMayDownloadIt) {
  for (const char* who : {"student-00001", "guardian-00001"}) {
    Login login = SignIn(who);
    EXPECT_EQ(Call("GET", std::string(kOwnSection) + "/gradebook" + kPeriod, "", login).status, 403)
        << who;
    EXPECT_EQ(Call("GET", std::string(kOwnSection) + "/tracking.xlsx", "", login).status, 403)
        << who;
  }
  Login teacher = SignIn("teacher-001");
  HttpResponse far =
      Call("GET", std::string("/api/v1/sections/section-x/gradebook") + kPeriod, "", teacher);
  EXPECT_EQ(far.status, 403);
  EXPECT_EQ(far.body.find("Far"), std::string::npos);
  for (const char* leader : {"leader-school-1", "leader-district", "admin"}) {
    EXPECT_EQ(
        Call("GET", std::string(kOwnSection) + "/gradebook" + kPeriod, "", SignIn(leader)).status,
        200)
        << leader;
  }
}

TEST_F(ApiGradebookTest, BadRequestsNameTheField) {
  Login teacher = SignIn("teacher-001");
  struct Case {
    std::string query;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"", 400, "period"},
      {"?from=2026-01-01", 400, "to"},
      {"?from=2026-06-30&to=2026-01-01", 400, "to"},
      {"?period=no-such-session", 404, "period"},
      {std::string(kPeriod) + "&as_of=2999-01-01", 400, "as_of"},
      {std::string(kPeriod) + "&format=pdf", 400, "format"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Call("GET", std::string(kOwnSection) + "/gradebook" + c.query, "", teacher);
    EXPECT_EQ(r.status, c.status) << c.query << " " << r.body;
    EXPECT_EQ(Body(r)["error"].value("field", ""), c.field) << c.query << " " << r.body;
  }
}

TEST_F(ApiGradebookTest, TheSettingIsCheckedStoredAndUsed) {
  Login admin = SignIn("admin");
  const json setting = {{"pass_label", "Earned"},
                        {"not_yet_label", "Keep going"},
                        {"grade_map",
                         {{{"outcome", "pass"}, {"letter", "M"}},
                          {{"outcome", "not_yet"}, {"min_level", "emerging"}, {"letter", "D"}},
                          {{"outcome", "not_yet"}, {"letter", "NY"}}}}};
  HttpResponse r = Call("PUT", "/api/v1/settings/gradebook", setting.dump(), admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["pass_label"], "Earned");
  EXPECT_EQ(Body(r)["grade_map"].size(), 3u);
  const json stored = Body(Call("GET", "/api/v1/settings/gradebook", "", admin));
  EXPECT_EQ(stored, Body(r));

  json bad = setting;
  bad["grade_map"][1]["min_level"] = "superb";
  r = Call("PUT", "/api/v1/settings/gradebook", bad.dump(), admin);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r)["error"]["field"], "gradebook.grade_map[1].min_level") << r.body;
  EXPECT_EQ(Body(Call("GET", "/api/v1/settings/gradebook", "", admin)), stored);

  Login teacher = SignIn("teacher-001");
  EXPECT_EQ(Call("PUT", "/api/v1/settings/gradebook", setting.dump(), teacher).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/settings/gradebook", "", teacher).status, 403);

  r = Call("GET", std::string(kOwnSection) + "/gradebook" + kPeriod + "&format=csv", "", teacher);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.find(",Keep going,") != std::string::npos ||
              r.body.find(",Earned,") != std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find(",Not yet,"), std::string::npos);
}

TEST_F(ApiGradebookTest, TrackingWorkbooksForASectionAndTheDistrict) {
  Login teacher = SignIn("teacher-001");
  HttpResponse r = Call("GET", std::string(kOwnSection) + "/tracking.xlsx", "", teacher);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  auto files = testing::Unzip(r.body);
  EXPECT_TRUE(files.count("xl/worksheets/sheet1.xml"));
  EXPECT_FALSE(files.count("xl/worksheets/sheet2.xml"));  // one section, one sheet
  EXPECT_NE(files["xl/worksheets/sheet1.xml"].find("<t>student-00001</t>"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/sections/section-x/tracking.xlsx", "", teacher).status, 403);

  Login admin = SignIn("admin");
  r = Call("GET", "/api/v1/reports/tracking-sheet?format=xlsx", "", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  files = testing::Unzip(r.body);
  EXPECT_TRUE(files.count("xl/worksheets/sheet2.xml"));  // a sheet per section
  EXPECT_NE(files["xl/workbook.xml"].find("name=\"Far Algebra\""), std::string::npos);
  // The teacher's workbook has only their sections' students.
  r = Call("GET", "/api/v1/reports/tracking-sheet?format=xlsx", "", teacher);
  ASSERT_EQ(r.status, 200);
  files = testing::Unzip(r.body);
  EXPECT_EQ(files["xl/workbook.xml"].find("Far Algebra"), std::string::npos);
}

}  // namespace
}  // namespace cairn
