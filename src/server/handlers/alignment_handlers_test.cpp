// The alignment routes (issue #11): course default badges, curriculum
// resources per CPE and interim assessment items per badge, with who may do
// what, bad input named by field, and a rating that names its item.
#include "server/api_test_fixture.h"

namespace cairn {
namespace {

class ApiAlignmentTest : public ApiTest {
 protected:
  // Another teacher of the demo district, signed in like the fixture's roles.
  Login SecondTeacher() {
    auto store = SqliteStore::Open(g_db);
    EXPECT_TRUE(store.ok());
    if (!(*store)->FindAccountByUsername("teacher-002")->has_value()) {
      EXPECT_TRUE(
          CreateAccount(**store, "teacher-002", "teacher-002", kPassword, SystemClock()()).ok());
    }
    return SignIn("teacher-002");
  }

  static std::string Field(const HttpResponse& r) { return Body(r)["error"].value("field", ""); }
};

TEST_F(ApiAlignmentTest, ResourcesAreAddedByStaffSeenByStudentsRemovedByTheirAuthor) {
  Login teacher = SignIn("teacher-001");
  Login student = SignIn("student-00001");
  Login admin = SignIn("admin");
  Login other = SecondTeacher();
  const json resource{{"title", "Multi-step equations"},
                      {"url", "https://www.khanacademy.org/math/algebra"},
                      {"provider", "Khan Academy"},
                      {"kind", "practice"},
                      {"note", "Levels 1-3"}};

  EXPECT_EQ(Call("POST", "/api/v1/catalog/cpes/M101.1/resources", resource.dump(), student).status,
            403);
  HttpResponse added =
      Call("POST", "/api/v1/catalog/cpes/M101.1/resources", resource.dump(), teacher);
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string id = std::to_string(Body(added)["id"].get<long long>());
  EXPECT_TRUE(Body(added)["can_remove"]);

  // Students see it under its CPE, and may not remove it.
  HttpResponse listed = Call("GET", "/api/v1/catalog/badges/M101/resources", "", student);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json cpes = Body(listed)["cpes"];
  ASSERT_FALSE(cpes.empty());
  EXPECT_EQ(cpes[0]["cpe"], "M101.1");
  ASSERT_EQ(cpes[0]["resources"].size(), 1u);
  EXPECT_EQ(cpes[0]["resources"][0]["url"], "https://www.khanacademy.org/math/algebra");
  EXPECT_EQ(cpes[0]["resources"][0]["provider"], "Khan Academy");
  EXPECT_FALSE(cpes[0]["resources"][0]["can_remove"]);
  EXPECT_EQ(Call("DELETE", "/api/v1/catalog/resources/" + id, "", student).status, 403);

  // Another teacher may not remove it; its author may; then it is gone.
  HttpResponse refused = Call("DELETE", "/api/v1/catalog/resources/" + id, "", other);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(Field(refused), "resource");
  HttpResponse removed = Call("DELETE", "/api/v1/catalog/resources/" + id, "", teacher);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Call("DELETE", "/api/v1/catalog/resources/" + id, "", admin).status, 404);
  listed = Call("GET", "/api/v1/catalog/badges/M101/resources", "", student);
  EXPECT_TRUE(Body(listed)["cpes"][0]["resources"].empty());

  // An admin removes anyone's.
  added = Call("POST", "/api/v1/catalog/cpes/M101.2/resources", resource.dump(), other);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(Call("DELETE",
                 "/api/v1/catalog/resources/" + std::to_string(Body(added)["id"].get<long long>()),
                 "", admin)
                .status,
            200);
}

TEST_F(ApiAlignmentTest, BadResourcesAreRefusedNamingTheField) {
  Login teacher = SignIn("teacher-001");
  auto post = [&](const std::string& cpe, json body) {
    return Call("POST", "/api/v1/catalog/cpes/" + cpe + "/resources", body.dump(), teacher);
  };
  const json good{{"title", "Desmos activity"}, {"url", "https://teacher.desmos.com/a"}};
  json bad = good;
  bad["url"] = "javascript:alert(document.cookie)";
  HttpResponse r = post("M101.1", bad);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Field(r), "url");
  bad = good;
  bad.erase("title");
  EXPECT_EQ(Field(post("M101.1", bad)), "title");
  bad = good;
  bad["indicator"] = "M999.1.a";
  EXPECT_EQ(Field(post("M101.1", bad)), "indicator");
  bad = good;
  bad["title"] = std::string(300, 't');
  EXPECT_EQ(Field(post("M101.1", bad)), "title");
  bad = good;
  bad["colour"] = "red";
  EXPECT_EQ(Field(post("M101.1", bad)), "colour");
  EXPECT_EQ(post("Z999.1", good).status, 404);
  // Nothing of that was stored.
  HttpResponse listed = Call("GET", "/api/v1/catalog/badges/M101/resources", "", teacher);
  const json listed_body = Body(listed);  // kept alive for the loop
  for (const json& cpe : listed_body["cpes"]) EXPECT_TRUE(cpe["resources"].empty()) << cpe;
}

TEST_F(ApiAlignmentTest, CourseDefaultsAreSetByAdmins) {
  Login teacher = SignIn("teacher-001");
  Login admin = SignIn("admin");
  HttpResponse before = Call("GET", "/api/v1/courses/course-alg1/badges", "", teacher);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(Body(before)["badges"].empty());
  const std::string body = json{{"badges", {"M101", "M102"}}}.dump();
  EXPECT_EQ(Call("PUT", "/api/v1/courses/course-alg1/badges", body, teacher).status, 403);
  HttpResponse bad = Call("PUT", "/api/v1/courses/course-alg1/badges",
                          json{{"badges", {"M101", "M999", "M101"}}}.dump(), admin);
  EXPECT_EQ(bad.status, 400) << bad.body;
  ASSERT_EQ(Body(bad)["error"]["errors"].size(), 2u);
  EXPECT_EQ(Body(bad)["error"]["errors"][0]["field"], "badges[1]");
  EXPECT_EQ(Body(bad)["error"]["errors"][1]["field"], "badges[2]");
  HttpResponse set = Call("PUT", "/api/v1/courses/course-alg1/badges", body, admin);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Body(Call("GET", "/api/v1/courses/course-alg1/badges", "", teacher))["badges"],
            json({"M101", "M102"}));
  bool listed = false;
  for (const json& c : Body(Call("GET", "/api/v1/courses", "", teacher))) {
    if (c["id"] == "course-alg1") listed = c["badges"] == json({"M101", "M102"});
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(Call("PUT", "/api/v1/courses/course-none/badges", body, admin).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/courses", "", SignIn("student-00001")).status, 403);
}

TEST_F(ApiAlignmentTest, ARatingNamesAnItemOfItsBadgeAndCpe) {
  Login teacher = SignIn("teacher-001");
  Login student = SignIn("student-00001");
  const std::string items = "/api/v1/catalog/badges/M101/assessment-items";
  const json item{{"item_key", "#13-5 1149"},
                  {"title", "High School MATH - Algebra and Functions II (IAB)"},
                  {"target", "1J"},
                  {"standards", {"A-REI 11", "A.REI.D.11"}},
                  {"cpe", "M101.1"}};
  EXPECT_EQ(Call("POST", items, item.dump(), student).status, 403);
  EXPECT_EQ(Call("GET", items, "", student).status, 403);
  HttpResponse added = Call("POST", items, item.dump(), teacher);
  ASSERT_EQ(added.status, 201) << added.body;
  const long long item_id = Body(added)["id"];
  HttpResponse again = Call("POST", items, item.dump(), teacher);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(Field(again), "item_key");
  json wrong_cpe = item;
  wrong_cpe["item_key"] = "#x";
  wrong_cpe["cpe"] = "M102.1";
  EXPECT_EQ(Field(Call("POST", items, wrong_cpe.dump(), teacher)), "cpe");
  json other_badge = item;
  other_badge["cpe"] = "M102.1";
  HttpResponse m102 =
      Call("POST", "/api/v1/catalog/badges/M102/assessment-items", other_badge.dump(), teacher);
  ASSERT_EQ(m102.status, 201) << m102.body;
  HttpResponse listed = Call("GET", items, "", teacher);
  ASSERT_EQ(Body(listed)["items"].size(), 1u);
  EXPECT_EQ(Body(listed)["items"][0]["standards"], json({"A-REI 11", "A.REI.D.11"}));

  json rating{{"student", "student-00001"},
              {"cpe", "M101.1"},
              {"level", "proficient"},
              {"demonstrated_on", "2026-01-05"},
              {"assessment_item", item_id}};
  HttpResponse rated = Call("POST", "/api/v1/ratings", rating.dump(), teacher);
  ASSERT_EQ(rated.status, 201) << rated.body;
  bool found = false;
  for (const json& e : Body(Call("GET", "/api/v1/students/student-00001/evidence", "", teacher))) {
    if (e["assessment_item"] == item_id) found = true;
  }
  EXPECT_TRUE(found);

  // An item of another badge, or none at all: refused, naming the field.
  rating["assessment_item"] = Body(m102)["id"];
  HttpResponse refused = Call("POST", "/api/v1/ratings", rating.dump(), teacher);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(Field(refused), "assessment_item");
  rating["assessment_item"] = 999999;
  refused = Call("POST", "/api/v1/ratings", rating.dump(), teacher);
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(Field(refused), "assessment_item");

  // Removed by another teacher: refused; by its author: gone from the list,
  // and new ratings may no longer name it.
  Login other = SecondTeacher();
  const std::string one = items + "/" + std::to_string(item_id);
  EXPECT_EQ(Call("DELETE", one, "", other).status, 403);
  EXPECT_EQ(
      Call("DELETE", "/api/v1/catalog/badges/M102/assessment-items/" + std::to_string(item_id), "",
           teacher)
          .status,
      404);
  ASSERT_EQ(Call("DELETE", one, "", teacher).status, 200);
  EXPECT_TRUE(Body(Call("GET", items, "", teacher))["items"].empty());
  rating["assessment_item"] = item_id;
  EXPECT_EQ(Field(Call("POST", "/api/v1/ratings", rating.dump(), teacher)), "assessment_item");
}

}  // namespace
}  // namespace cairn
