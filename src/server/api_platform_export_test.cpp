// Issue #14: a district's awards for Credly and Canvas Credentials, through
// the API (GET /api/v1/districts/{district}/exports/platform-awards).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "mastery/awards.h"
#include "server/api_test_fixture.h"

namespace cairn {
namespace {

class ApiPlatformExportTest : public ApiTest {
 protected:
  static std::vector<std::string> Lines(const std::string& csv) {
    std::vector<std::string> out;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      out.push_back(line);
    }
    return out;
  }
  static std::string Header(const HttpResponse& r, const std::string& name) {
    for (const auto& [key, value] : r.headers) {
      if (key == name) return value;
    }
    return "";
  }
};

TEST_F(ApiPlatformExportTest, EveryAwardInForceOfTheDistrictIsARowOrCountedWithoutEmail) {
  Login leader = SignIn("leader-district");
  HttpResponse r = Call("GET",
                        "/api/v1/districts/district-demo/exports/platform-awards"
                        "?platform=credly&ids=M101%3Dtmpl-101",
                        "", leader);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  const auto lines = Lines(r.body);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].rfind("Badge Template ID,Recipient Email,First Name,", 0), 0u) << lines[0];
  const int rows = std::stoi(Header(r, "X-Cairn-Rows"));
  const int without = std::stoi(Header(r, "X-Cairn-Without-Email"));
  EXPECT_EQ(static_cast<int>(lines.size()) - 1, rows);

  // The same count as the awards the district's students hold now, read
  // from the database directly.
  auto store = SqliteStore::Open(g_db);
  ASSERT_TRUE(store.ok());
  auto roster = (*store)->LoadRoster();
  auto facts = (*store)->Awards(std::nullopt);
  ASSERT_TRUE(roster.ok() && facts.ok());
  std::map<Id, std::vector<AwardFact>> by_student;
  for (const AwardFact& f : *facts) by_student[f.student_id].push_back(f);
  const Id district = roster->districts[0].sourced_id == "district-demo" ? roster->districts[0].id
                                                                         : roster->districts[1].id;
  int confirmed = 0;
  for (const auto& [student, list] : by_student) {
    const Person* p = roster->FindPerson(student);
    if (!p || p->district_id != district || !p->active) continue;
    for (const auto& [code, record] : FoldAwards(list))
      confirmed += record.state == AwardState::kConfirmed;
  }
  EXPECT_GT(confirmed, 0);
  EXPECT_EQ(rows + without, confirmed);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    // Every M101 row carries the template id given; the others are blank.
    EXPECT_TRUE(lines[i].rfind("tmpl-101,", 0) == 0 || lines[i].rfind(",", 0) == 0) << lines[i];
  }

  HttpResponse canvas = Call(
      "GET", "/api/v1/districts/district-demo/exports/platform-awards?platform=canvas&badge=M101",
      "", leader);
  ASSERT_EQ(canvas.status, 200) << canvas.body;
  EXPECT_EQ(Lines(canvas.body)[0].rfind("Badge Class ID,Identifier,", 0), 0u);
  EXPECT_LE(std::stoi(Header(canvas, "X-Cairn-Rows")), rows);
}

TEST_F(ApiPlatformExportTest, BadChoicesAreRefusedByField) {
  Login leader = SignIn("leader-district");
  auto field = [&](const std::string& query) {
    HttpResponse r =
        Call("GET", "/api/v1/districts/district-demo/exports/platform-awards" + query, "", leader);
    EXPECT_EQ(r.status, 400) << query << " " << r.body;
    return Body(r)["error"].value("field", "");
  };
  EXPECT_EQ(field(""), "platform");
  EXPECT_EQ(field("?platform=badgr"), "platform");
  EXPECT_EQ(field("?platform=credly&ids=M101"), "ids[0]");
  EXPECT_EQ(field("?platform=credly&ids=Z999%3Dx"), "ids.Z999");
  EXPECT_EQ(field("?platform=canvas&badge=Z999"), "badge");
}

}  // namespace
}  // namespace cairn
