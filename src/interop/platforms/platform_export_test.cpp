#include "interop/platforms/platform_export.h"

#include <gtest/gtest.h>

#include <sstream>

namespace cairn {
namespace {

// Two districts; in d1 a student with an email, one without, one who left.
Roster MakeRoster() {
  Roster roster;
  roster.districts = {{1, "d1", "One"}, {2, "d2", "Two"}};
  auto person = [](Id id, std::string sourced, std::string given, std::string family,
                   std::string email, Id district, bool active = true) {
    Person p;
    p.id = id;
    p.sourced_id = std::move(sourced);
    p.given_name = std::move(given);
    p.family_name = std::move(family);
    p.email = std::move(email);
    p.district_id = district;
    p.active = active;
    return p;
  };
  roster.people = {person(10, "s-ana", "Ana", "Ruiz, Jr.", "ana@d1.test", 1),
                   person(11, "s-ben", "Ben", "Ode", "", 1),
                   person(12, "s-cy", "Cy", "Left", "cy@d1.test", 1, false),
                   person(20, "s-far", "Far", "Away", "far@d2.test", 2)};
  roster.Index();
  return roster;
}

AwardFact Fact(FactId id, Id student, std::string code, AwardAction action, Instant at) {
  AwardFact f;
  f.id = id;
  f.student_id = student;
  f.badge_code = std::move(code);
  f.action = action;
  f.recorded_at = at;
  if (action == AwardAction::kRevoked) f.reason = "error";
  return f;
}

constexpr Instant kSep = 1788220800;  // 2026-09-01T00:00:00Z
constexpr Instant kDay = 86400;

std::map<Id, std::vector<AwardFact>> MakeAwards() {
  return {{10,
           {Fact(1, 10, "M102", AwardAction::kConfirmed, kSep + 3 * kDay),
            Fact(2, 10, "M101", AwardAction::kConfirmed, kSep),
            Fact(3, 10, "M103", AwardAction::kConfirmed, kSep),
            Fact(4, 10, "M103", AwardAction::kRevoked, kSep + kDay),
            Fact(5, 10, "M104", AwardAction::kProposed, kSep)}},
          {11, {Fact(6, 11, "M101", AwardAction::kConfirmed, kSep + kDay)}},
          {12, {Fact(7, 12, "M101", AwardAction::kConfirmed, kSep)}},
          {20, {Fact(8, 20, "M101", AwardAction::kConfirmed, kSep)}}};
}

std::vector<std::string> Lines(const std::string& csv) {
  std::vector<std::string> out;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

TEST(PlatformExportTest, OnlyAwardsInForceOfTheDistrictsActiveStudentsInBadgeOrder) {
  const Roster roster = MakeRoster();
  const auto awards = AwardsInForce(roster, 1, MakeAwards());
  ASSERT_EQ(awards.size(), 3u);  // not revoked M103, proposed M104, Cy (left) or d2
  EXPECT_EQ(awards[0].badge_code, "M101");
  EXPECT_EQ(awards[0].student->sourced_id, "s-ana");  // confirmed first
  EXPECT_EQ(awards[1].badge_code, "M101");
  EXPECT_EQ(awards[1].student->sourced_id, "s-ben");
  EXPECT_EQ(awards[2].badge_code, "M102");
  EXPECT_EQ(AwardsInForce(roster, 1, MakeAwards(), "M102").size(), 1u);
  EXPECT_TRUE(AwardsInForce(roster, 1, MakeAwards(), "M103").empty());
}

TEST(PlatformExportTest, CredlyRowsFollowItsBulkIssueTemplate) {
  const Roster roster = MakeRoster();
  const auto awards = AwardsInForce(roster, 1, MakeAwards());
  const PlatformExport out =
      ExportAwards(AwardPlatform::kCredly, awards, Catalog{}, {{"M101", "tmpl-101"}});
  EXPECT_EQ(out.rows, 2);
  EXPECT_EQ(out.without_email, 1);  // Ben
  const auto lines = Lines(out.csv);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "Badge Template ID,Recipient Email,First Name,Middle Name,Last Name,Issued at,"
            "Expiration Date,Issuer Earner ID,Country,State or Province,Evidence Name,"
            "Evidence URL,Locale");
  EXPECT_EQ(lines[1], "tmpl-101,ana@d1.test,Ana,,\"Ruiz, Jr.\",09/01/26,,s-ana,,,,,");
  EXPECT_EQ(lines[2], ",ana@d1.test,Ana,,\"Ruiz, Jr.\",09/04/26,,s-ana,,,,,");  // no id for M102
}

TEST(PlatformExportTest, CanvasCredentialsRowsFollowItsBulkAwardTemplate) {
  const Roster roster = MakeRoster();
  const auto awards = AwardsInForce(roster, 1, MakeAwards(), "M101");
  const PlatformExport out =
      ExportAwards(AwardPlatform::kCanvasCredentials, awards, Catalog{}, {{"M101", "65f8"}});
  EXPECT_EQ(out.rows, 1);
  EXPECT_EQ(out.without_email, 1);
  const auto lines = Lines(out.csv);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "Badge Class ID,Identifier,First Name,Last Name,Narrative,Evidence Narrative,"
            "Evidence URL,Issue Date,Expiration Date");
  EXPECT_EQ(lines[1],
            "65f8,ana@d1.test,Ana,\"Ruiz, Jr.\",Earned M101 by showing mastery of each of its "
            "expectations.,,,2026-09-01,");
}

TEST(PlatformExportTest, PlatformNamesAndIdListsAreCheckedWithTheirPlace) {
  EXPECT_EQ(*ParseAwardPlatform("credly", "platform"), AwardPlatform::kCredly);
  EXPECT_EQ(*ParseAwardPlatform("canvas", "platform"), AwardPlatform::kCanvasCredentials);
  EXPECT_EQ(ParseAwardPlatform("badgr", "platform").status().fields()[0].field, "platform");

  auto ids = ParsePlatformIds("M101=abc,M102=d=e", "ids");
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  EXPECT_EQ((*ids)["M101"], "abc");
  EXPECT_EQ((*ids)["M102"], "d=e");
  for (const auto& [text, place] :
       std::vector<std::pair<std::string, std::string>>{{"M101", "ids[0]"},
                                                        {"M101=a,=b", "ids[1]"},
                                                        {"M101=a,M102=", "ids[1]"},
                                                        {"M101=a,M101=b", "ids[1]"},
                                                        {"M101=a,", "ids[1]"}}) {
    auto bad = ParsePlatformIds(text, "ids");
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.status().fields()[0].field, place) << text;
  }
  EXPECT_TRUE(ParsePlatformIds("", "ids")->empty());
}

}  // namespace
}  // namespace cairn
