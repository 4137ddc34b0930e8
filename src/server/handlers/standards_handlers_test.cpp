// The standards routes (issue #11, "Standards: CASE import, crosswalks,
// coverage"): a CASE package in through the API, the tree and search the
// catalog editor builds on, a CPE's alignments set and read, the crosswalk
// CSV out and in, coverage, the catalog as CASE, and a credential that
// carries the crosswalk and verifies.
#include <fstream>
#include <sstream>

#include "interop/case/case_package.h"
#include "server/api_test_fixture.h"

namespace cairn {
namespace {

using ApiStandardsTest = ApiTest;

constexpr const char* kDocument = "5a3e0000-0000-4000-8000-000000000000";
constexpr const char* kBoundary = "case-test-boundary";

std::string SampleItem(int n) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "5a3e0000-0000-4000-8000-0000000001%02d", n);
  return buffer;
}

std::string SamplePackage() {
  std::ifstream in(std::string(CAIRN_TESTDATA_DIR) + "/case/handmade/sample-state-math-v1p1.json");
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << "missing test data";
  return text.str();
}

std::string Multipart(const std::string& file_name, const std::string& content) {
  return std::string("--") + kBoundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file_name +
         "\"\r\nContent-Type: text/csv\r\n\r\n" + content + "\r\n--" + kBoundary + "--\r\n";
}

const std::vector<std::pair<std::string, std::string>> kMultipart = {
    {"content-type", std::string("multipart/form-data; boundary=") + kBoundary}};

// The codes of a tree level, in order.
std::vector<std::string> Codes(const json& nodes) {
  std::vector<std::string> out;
  for (const json& n : nodes) out.push_back(n["human_code"]);
  return out;
}

TEST_F(ApiStandardsTest, FromAPackageToAlignedCredentials) {
  Login admin = SignIn("admin");
  Login teacher = SignIn("teacher-001");
  Login student = SignIn("student-00001");
  const std::string package = SamplePackage();

  // Only administrators import; a dry run writes nothing.
  EXPECT_EQ(Call("POST", "/api/v1/imports/case", package, teacher).status, 403);
  HttpResponse dry = Call("POST", "/api/v1/imports/case?dry_run=true", package, admin);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(Body(dry)["outcome"], "added");
  EXPECT_FALSE(Body(dry)["applied"]);
  EXPECT_TRUE(Body(Call("GET", "/api/v1/frameworks", "", student))["frameworks"].empty());

  // A broken package: every problem with its JSON path, nothing stored.
  json broken = json::parse(package);
  broken["CFPackage"]["CFItems"][3].erase("fullStatement");
  broken["CFPackage"]["CFItems"][5]["uri"] = "not a uri";
  HttpResponse refused = Call("POST", "/api/v1/imports/case", broken.dump(), admin);
  ASSERT_EQ(refused.status, 400) << refused.body;
  const json errors = Body(refused)["error"]["errors"];
  ASSERT_EQ(errors.size(), 2u) << refused.body;
  EXPECT_EQ(errors[0]["field"], "CFPackage.CFItems[3].fullStatement");
  EXPECT_EQ(errors[1]["field"], "CFPackage.CFItems[5].uri");

  HttpResponse imported = Call("POST", "/api/v1/imports/case", package, admin);
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(Body(imported)["outcome"], "added");
  EXPECT_TRUE(Body(imported)["applied"]);
  EXPECT_EQ(Body(imported)["counts"]["items"], 9);
  HttpResponse again = Call("POST", "/api/v1/imports/case", package, admin);
  EXPECT_EQ(Body(again)["outcome"], "unchanged");

  // Anyone signed in browses it.
  json frameworks = Body(Call("GET", "/api/v1/frameworks", "", student))["frameworks"];
  ASSERT_EQ(frameworks.size(), 1u);
  EXPECT_EQ(frameworks[0]["identifier"], kDocument);
  EXPECT_EQ(frameworks[0]["items"], 9);
  EXPECT_EQ(frameworks[0]["versions"], 1);
  HttpResponse tree = Call("GET", std::string("/api/v1/frameworks/") + kDocument, "", student);
  ASSERT_EQ(tree.status, 200) << tree.body;
  const json top = Body(tree)["tree"];
  EXPECT_EQ(Codes(top), (std::vector<std::string>{"A"}));
  EXPECT_EQ(Codes(top[0]["children"]),
            (std::vector<std::string>{"A-SSE", "A-CED", "A-APR", "A-REI.3"}));
  EXPECT_EQ(Codes(top[0]["children"][1]["children"]),
            (std::vector<std::string>{"A-CED.1", "A-CED.2"}));
  EXPECT_TRUE(Body(tree)["unplaced"].empty());
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/nope", "", student).status, 404);
  EXPECT_EQ(
      Call("GET", std::string("/api/v1/frameworks/") + kDocument + "?version=999", "", student)
          .status,
      404);

  HttpResponse search = Call(
      "GET", std::string("/api/v1/frameworks/") + kDocument + "/items?q=equations%20one%20variable",
      "", teacher);
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(Codes(Body(search)["items"]), (std::vector<std::string>{"A-CED.1", "A-REI.3"}));
  EXPECT_EQ(Body(search)["items"][0]["path"], json::array({"A", "A-CED"}));
  HttpResponse by_code =
      Call("GET", std::string("/api/v1/frameworks/") + kDocument + "/items?q=A-CED&limit=2", "",
           teacher);
  EXPECT_EQ(Codes(Body(by_code)["items"]), (std::vector<std::string>{"A-CED", "A-CED.1"}));
  EXPECT_EQ(Body(by_code)["total"], 3);

  // Catalog editors (admins) set a CPE's standards; others may not.
  const json items = {{"items", {SampleItem(5), SampleItem(9)}}};
  EXPECT_EQ(Call("PUT", "/api/v1/catalog/cpes/M101.1/alignments", items.dump(), teacher).status,
            403);
  HttpResponse unknown = Call("PUT", "/api/v1/catalog/cpes/M101.1/alignments",
                              json{{"items", {"nope"}}}.dump(), admin);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Body(unknown)["error"]["errors"][0]["field"], "items[0]");
  EXPECT_EQ(Call("PUT", "/api/v1/catalog/cpes/Z9.9/alignments", items.dump(), admin).status, 404);
  HttpResponse set = Call("PUT", "/api/v1/catalog/cpes/M101.1/alignments", items.dump(), admin);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Body(set)["changes"]["linked"], 2);
  EXPECT_EQ(Body(set)["badge"], "M101");
  HttpResponse read = Call("GET", "/api/v1/catalog/cpes/M101.1/alignments", "", student);
  ASSERT_EQ(read.status, 200) << read.body;
  const json alignments = Body(read)["alignments"];
  ASSERT_EQ(alignments.size(), 2u);
  EXPECT_EQ(alignments[0]["human_code"], "A-CED.1");
  EXPECT_EQ(alignments[0]["linked_by"], "admin");
  EXPECT_EQ(alignments[0]["framework"]["title"], "Sample State Mathematics Standards");
  EXPECT_EQ(Body(read)["history"].size(), 2u);
  // The tree shows the links for the editor.
  tree = Call("GET", std::string("/api/v1/frameworks/") + kDocument, "", student);
  EXPECT_EQ(Body(tree)["tree"][0]["children"][1]["children"][0]["cpes"], json::array({"M101.1"}));

  // The crosswalk as CSV, and back in (all or nothing).
  HttpResponse csv = Call("GET", "/api/v1/standards/crosswalk.csv", "", teacher);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("M101,M101.1,Sample State Mathematics Standards," + SampleItem(5) +
                          ",A-CED.1,"),
            std::string::npos)
      << csv.body;
  const std::string more =
      "badge,cpe,framework,item identifier,human code,statement\n"
      "M101,M101.2,Sample State Mathematics Standards,,A-SSE.1,\n";
  EXPECT_EQ(
      Call("POST", "/api/v1/standards/crosswalk.csv", Multipart("x.csv", more), teacher, kMultipart)
          .status,
      403);
  HttpResponse bad_csv =
      Call("POST", "/api/v1/standards/crosswalk.csv",
           Multipart("x.csv", more + "M101,M101.2,,no-such-item,,\n"), admin, kMultipart);
  ASSERT_EQ(bad_csv.status, 400) << bad_csv.body;
  EXPECT_EQ(Body(bad_csv)["error"]["errors"][0]["field"], "x.csv:3:item identifier");
  HttpResponse good_csv =
      Call("POST", "/api/v1/standards/crosswalk.csv", Multipart("x.csv", more), admin, kMultipart);
  ASSERT_EQ(good_csv.status, 200) << good_csv.body;
  EXPECT_EQ(Body(good_csv)["changes"]["linked"], 1);
  EXPECT_EQ(
      Body(Call("GET", "/api/v1/catalog/cpes/M101.2/alignments", "", student))["alignments"].size(),
      1u);

  // Coverage, for staff.
  EXPECT_EQ(Call("GET", "/api/v1/standards/coverage", "", student).status, 403);
  HttpResponse coverage = Call("GET", "/api/v1/standards/coverage", "", teacher);
  ASSERT_EQ(coverage.status, 200) << coverage.body;
  const json math = Body(coverage)["frameworks"][0];
  EXPECT_EQ(math["standards"], 5);  // the leaf items
  EXPECT_EQ(math["covered"], 3);    // A-CED.1, A-REI.3, A-SSE.1
  EXPECT_EQ(math["badges"]["M101"], 3);
  HttpResponse coverage_csv = Call("GET", "/api/v1/standards/coverage.csv", "", teacher);
  EXPECT_NE(coverage_csv.body.find("standard not covered,,,,Sample State Mathematics Standards," +
                                   SampleItem(6) + ",A-CED.2,"),
            std::string::npos)
      << coverage_csv.body;

  // The published Achievement carries the standards, and a credential
  // issued now carries them signed.
  HttpResponse achievement = Call("GET", "/achievements/district-demo/M101", "", std::nullopt);
  ASSERT_EQ(achievement.status, 200) << achievement.body;
  int cf_items = 0;
  // (The catalog's own standard codes are CFItem alignments without a framework.)
  const json published = Body(achievement);  // kept alive for the loop
  for (const json& a : published["alignment"]) {
    cf_items += a["targetType"] == "CFItem" && a.contains("targetFramework");
  }
  EXPECT_EQ(cf_items, 3) << achievement.body;
  {
    auto store = SqliteStore::Open(g_db);
    ASSERT_TRUE(store.ok());
    const Id student_id = (*(*store)->FindPerson("student-00001"))->id;
    AwardFact award;
    award.student_id = student_id;
    award.badge_code = "M101";
    award.recorded_at = 1700000500;
    award.action = AwardAction::kRevoked;
    award.reason = "re-awarded with the crosswalk";
    ASSERT_TRUE((*store)->AppendAward(award).ok());
    award.action = AwardAction::kConfirmed;
    award.reason.clear();
    ASSERT_TRUE((*store)->AppendAward(award).ok());
  }
  ASSERT_TRUE(api_->IssueAllPendingCredentials().ok());
  std::string body;
  {
    auto store = SqliteStore::Open(g_db);
    const Id student_id = (*(*store)->FindPerson("student-00001"))->id;
    auto credentials = (*store)->Credentials(student_id, std::nullopt);
    for (const IssuedCredential& c : *credentials) {
      if (c.badge_code == "M101") body = c.body;  // the newest
    }
  }
  const json credential = json::parse(body);
  json targets = json::array();
  for (const json& a : credential["credentialSubject"]["achievement"]["alignment"]) {
    if (a["targetType"] == "CFItem" && a.contains("targetFramework")) {
      targets.push_back(a["targetCode"]);
    }
  }
  EXPECT_EQ(targets, json::array({"A-CED.1", "A-REI.3", "A-SSE.1"}));
  HttpResponse verified = Call("POST", "/api/v1/verify", body, std::nullopt);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(Body(verified)["status"], "valid") << verified.body;
}

TEST_F(ApiStandardsTest, TheCatalogAsCaseReadsBack) {
  Login teacher = SignIn("teacher-001");
  HttpResponse r = Call("GET", "/api/v1/catalog/case.json", "", teacher);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  auto parsed = standards::ParseCasePackage(r.body, "case.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_GT(parsed->items.size(), 23u);  // the badges and more
  int badges = 0;
  for (const auto& item : parsed->items) badges += item.item_type == "Badge";
  EXPECT_EQ(badges, 23);
  EXPECT_EQ(Call("GET", "/api/v1/catalog/case.json", "", std::nullopt).status, 401);
}

}  // namespace
}  // namespace cairn
