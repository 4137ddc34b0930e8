// Teams and rounds of an instrument (issue #15): a district leader makes a
// team of four, opens a readiness round, the members answer (and revise),
// the leader sees per-domain results and the items the team disagrees on,
// then a second round shows the change per domain. Anonymous answers keep
// no recorder and no person in their key; refusals for everyone outside the
// round; bad bodies named by field with nothing written.
#include "server/api_test_fixture.h"
#include "toolkit/instrument.h"

namespace cairn {
namespace {

class ApiToolkitTest : public ApiTest {
 public:
  // Staff beside the fixture's roles: two more teachers of school-1 (the
  // team is them, teacher-001 and leader-school-1), a teacher of school-1
  // outside the team, and a teacher of the far district.
  static void SetUpTestSuite() {
    ApiTest::SetUpTestSuite();
    auto store = SqliteStore::Open(g_db);
    ASSERT_TRUE(store.ok());
    Store& s = **store;
    const Person near = **s.FindPerson("teacher-001");
    const Person far_student = **s.FindPerson("student-far");
    auto add = [&](const std::string& id, const Person& like) {
      Person p;
      p.sourced_id = id;
      p.role = PersonRole::kTeacher;
      p.given_name = id;
      p.family_name = "Toolkit";
      p.district_id = like.district_id;
      p.school_id = like.school_id;
      ASSERT_TRUE(s.InsertPerson(p).ok());
      ASSERT_TRUE(CreateAccount(s, id, id, kPassword, SystemClock()()).ok());
    };
    for (const char* id : {"rt-teacher-a", "rt-teacher-b", "rt-outsider"}) add(id, near);
    add("rt-far", far_student);
  }

 protected:
  static Id DemoDistrict() {
    auto store = SqliteStore::Open(g_db);
    return (*(*store)->FindPerson("leader-district"))->district_id;
  }
  static std::vector<JournalEntry> JournalOf(const std::string& stream) {
    auto store = SqliteStore::Open(g_db);
    auto entries = (*store)->Journal(DemoDistrict(), stream, std::nullopt);
    EXPECT_TRUE(entries.ok());
    return entries.ok() ? *entries : std::vector<JournalEntry>{};
  }
  static std::size_t JournalSize() {
    std::size_t n = 0;
    for (const char* stream : {"team", "round"}) n += JournalOf(stream).size();
    return n;
  }

  json Post(const std::string& target, const json& body, const Login& who, int expect) {
    HttpResponse r = Call("POST", target, body.dump(), who);
    EXPECT_EQ(r.status, expect) << target << " " << r.body;
    return Body(r);
  }
  json Get(const std::string& target, const Login& who, int expect = 200) {
    HttpResponse r = Call("GET", target, "", who);
    EXPECT_EQ(r.status, expect) << target << " " << r.body;
    return Body(r);
  }
  int Answer(const std::string& round, const json& answers, const Login& who) {
    return Call("PUT", "/api/v1/rounds/" + round + "/my-response",
                json{{"answers", answers}}.dump(), who)
        .status;
  }

  std::string MakeTeam(const Login& leader, const std::string& name) {
    json team =
        Post("/api/v1/districts/district-demo/teams",
             {{"name", name},
              {"members", {"teacher-001", "rt-teacher-a", "rt-teacher-b", "leader-school-1"}}},
             leader, 201);
    EXPECT_EQ(team["members"].size(), 4u);
    return team.value("id", "");
  }
  std::string OpenRound(const Login& leader, const std::string& team, const std::string& label,
                        std::optional<bool> anonymous = std::nullopt) {
    json body{
        {"instrument", "readiness-s1-4"}, {"team", team}, {"due", "2099-06-30"}, {"label", label}};
    if (anonymous) body["anonymous"] = *anonymous;
    json round = Post("/api/v1/districts/district-demo/rounds", body, leader, 201);
    return round.value("id", "");
  }
};

// Each member's answer to every readiness item: `base` plus a per-member
// offset, and item 1 of vision setting split between the scale's ends.
json AnswersFor(int member, int base) {
  json answers = json::object();
  const Instrument* readiness = FindBundledInstrument("readiness-s1-4");
  for (const InstrumentSection& section : readiness->sections) {
    for (const InstrumentItem& item : section.items) {
      answers[item.id] = std::clamp(base + member % 2, 1, 5);
    }
  }
  answers["vision-setting-1"] = member % 2 == 0 ? 1 : 5;
  return answers;
}

// The fields an error names.
std::set<std::string> Fields(const HttpResponse& r) {
  std::set<std::string> out;
  const json body = json::parse(r.body, nullptr, false);
  for (const json& e : body["error"].value("errors", json::array())) out.insert(e["field"]);
  return out;
}

const json& DomainOf(const json& results, const std::string& section) {
  for (const json& d : results["results"]["domains"]) {
    if (d["section"] == section) return d;
  }
  ADD_FAILURE() << "no domain " << section;
  static const json none;
  return none;
}

TEST_F(ApiToolkitTest, ReadinessRoundsFromTeamToResultsAndChange) {
  const Login leader = SignIn("leader-district");
  std::vector<Login> members;
  for (const char* id : {"teacher-001", "rt-teacher-a", "rt-teacher-b", "leader-school-1"}) {
    members.push_back(SignIn(id));
  }
  json instruments = Get("/api/v1/districts/district-demo/instruments", members[0]);
  ASSERT_TRUE(instruments.is_array());
  EXPECT_TRUE(std::any_of(instruments.begin(), instruments.end(),
                          [](const json& i) { return i["id"] == "readiness-s1-4"; }));
  // The staff a leader picks from: the district's, or a school leader's school's.
  json staff = Get("/api/v1/districts/district-demo/staff", leader);
  std::set<std::string> ids;
  for (const json& p : staff) ids.insert(p["id"]);
  EXPECT_TRUE(ids.count("rt-teacher-a") && ids.count("leader-school-1") &&
              ids.count("teacher-001"));
  EXPECT_FALSE(ids.count("rt-far") || ids.count("student-00001") || ids.count("admin"));
  const json own_school = Get("/api/v1/me", members[3])["school"]["name"];
  const json school_staff = Get("/api/v1/districts/district-demo/staff", members[3]);
  EXPECT_LT(school_staff.size(), staff.size());
  for (const json& p : school_staff) EXPECT_EQ(p["school"], own_school) << p;
  const std::string team = MakeTeam(leader, "Readiness team");
  const std::string first = OpenRound(leader, team, "Autumn");
  ASSERT_FALSE(first.empty());

  // Members see it, answer, and one revises.
  json mine = Get("/api/v1/me/rounds", members[1]);
  ASSERT_FALSE(mine.empty());
  EXPECT_EQ(mine[0]["id"], first);
  EXPECT_EQ(mine[0]["answered"], false);
  for (int m = 0; m < 4; ++m) EXPECT_EQ(Answer(first, AnswersFor(m, 2), members[m]), 201);
  EXPECT_EQ(Answer(first, AnswersFor(0, 2), members[0]), 200);  // a revision
  EXPECT_EQ(Get("/api/v1/me/rounds", members[1])[0]["answered"], true);
  json round = Get("/api/v1/rounds/" + first, members[0]);
  EXPECT_EQ(round["my_response"]["revisions"], 2);
  EXPECT_EQ(round["my_response"]["answers"]["vision-setting-1"], 1);

  // Anonymous: no recorder, no person in the key; one document per member.
  const auto entries = JournalOf("round-response:" + first);
  EXPECT_EQ(entries.size(), 5u);
  std::set<std::string> keys;
  for (const JournalEntry& e : entries) {
    EXPECT_EQ(e.recorded_by, 0);
    EXPECT_EQ(e.key.rfind("anon:", 0), 0u) << e.key;
    EXPECT_EQ(e.recorded_at % 86400, 0) << "only the day is kept";
    keys.insert(e.key);
  }
  EXPECT_EQ(keys.size(), 4u);

  // Results wait until the round is closed.
  Get("/api/v1/rounds/" + first + "/results", leader, 409);
  Post("/api/v1/rounds/" + first + "/close", json::object(), leader, 200);
  EXPECT_EQ(Answer(first, AnswersFor(1, 3), members[1]), 409);
  json results = Get("/api/v1/rounds/" + first + "/results", leader);
  EXPECT_EQ(results["responses"], 4);
  EXPECT_EQ(results["results"]["respondents"], 4);
  EXPECT_EQ(results["results"]["domains"].size(), 9u);
  EXPECT_EQ(results["change"], nullptr);
  EXPECT_FALSE(results.contains("responses_by_person"));
  // Split between the ends: the most disagreed item, Leik's D = 1.
  const json& top = results["results"]["most_disagreed"][0];
  EXPECT_EQ(top["item"], "vision-setting-1");
  EXPECT_DOUBLE_EQ(top["disagreement"].get<double>(), 1.0);
  EXPECT_EQ(top["distribution"][0]["count"], 2);
  EXPECT_EQ(top["distribution"][4]["count"], 2);
  // Staff capacity: two members said 2, two said 3.
  EXPECT_DOUBLE_EQ(DomainOf(results, "staff-capacity")["mean"].get<double>(), 2.5);

  // A term later: the same team, higher answers.
  const std::string second = OpenRound(leader, team, "Spring");
  json listed = Get("/api/v1/districts/district-demo/rounds", leader);
  EXPECT_EQ(listed[0]["id"], second);
  EXPECT_EQ(listed[0]["previous"], first);
  for (int m = 0; m < 4; ++m) EXPECT_EQ(Answer(second, AnswersFor(m, 4), members[m]), 201);
  Post("/api/v1/rounds/" + second + "/close", json::object(), leader, 200);
  json later = Get("/api/v1/rounds/" + second + "/results", leader);
  EXPECT_EQ(later["previous_round"]["id"], first);
  ASSERT_TRUE(later["change"].is_array());
  ASSERT_EQ(later["change"].size(), 9u);
  for (const json& c : later["change"]) {
    if (c["section"] == "staff-capacity") {
      EXPECT_DOUBLE_EQ(c["before"].get<double>(), 2.5);
      EXPECT_DOUBLE_EQ(c["after"].get<double>(), 4.5);
      EXPECT_DOUBLE_EQ(c["change"].get<double>(), 2.0);
    }
  }
}

TEST_F(ApiToolkitTest, EveryoneOutsideTheRoundIsRefused) {
  const Login leader = SignIn("leader-district");
  const std::string team = MakeTeam(leader, "Refusal team");
  const std::string round = OpenRound(leader, team, "Refusals");
  const std::string at = "/api/v1/rounds/" + round;
  const json answers = AnswersFor(0, 3);
  for (const char* who : {"student-00001", "guardian-00001", "rt-outsider", "rt-far"}) {
    const Login login = SignIn(who);
    EXPECT_EQ(Call("GET", at, "", login).status, 403) << who;
    EXPECT_EQ(Answer(round, answers, login), 403) << who;
    EXPECT_EQ(Call("GET", at + "/results", "", login).status, 403) << who;
    EXPECT_EQ(Call("POST", at + "/close", "", login).status, 403) << who;
  }
  // Another district's teacher sees nothing of this district's.
  const Login far = SignIn("rt-far");
  EXPECT_EQ(Call("GET", "/api/v1/districts/district-demo/instruments", "", far).status, 403);
  EXPECT_TRUE(Get("/api/v1/me/rounds", far).empty());
  // A member answers but neither sees results nor closes.
  const Login member = SignIn("teacher-001");
  EXPECT_EQ(Call("GET", at + "/results", "", member).status, 403);
  EXPECT_EQ(Call("POST", at + "/close", "", member).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/districts/district-demo/teams", "", member).status, 403);
  // A school leader cannot make a team for another school, nor lead a
  // district-wide team.
  const Login school_leader = SignIn("leader-school-1");
  EXPECT_EQ(Call("POST", at + "/close", "", school_leader).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/districts/district-demo/teams",
                 json{{"name", "x"}, {"school", "school-2"}, {"members", {"teacher-001"}}}.dump(),
                 school_leader)
                .status,
            403);
  EXPECT_EQ(Answer(round, answers, member), 201);  // still open to its members
}

TEST_F(ApiToolkitTest, BadBodiesAreNamedByFieldAndWriteNothing) {
  const Login leader = SignIn("leader-district");
  const std::string team = MakeTeam(leader, "Validation team");
  const std::string round = OpenRound(leader, team, "Validation");
  const std::size_t before = JournalSize();

  HttpResponse r =
      Call("POST", "/api/v1/districts/district-demo/teams",
           json{{"name", ""}, {"members", {"student-00001", "teacher-001", "teacher-001"}}}.dump(),
           leader);
  EXPECT_EQ(r.status, 400);
  std::set<std::string> fields = Fields(r);
  EXPECT_EQ(fields, (std::set<std::string>{"name", "members[0]", "members[2]"}));

  r = Call("POST", "/api/v1/districts/district-demo/rounds",
           json{{"instrument", "discussion-s1-1"},
                {"team", "team-none"},
                {"due", "2020-01-01"},
                {"anonymous", "yes"}}
               .dump(),
           leader);
  EXPECT_EQ(r.status, 400);
  fields = Fields(r);
  EXPECT_EQ(fields, (std::set<std::string>{"instrument", "team", "due", "anonymous"}));

  const Login member = SignIn("rt-teacher-a");
  r = Call(
      "PUT", "/api/v1/rounds/" + round + "/my-response",
      json{{"answers", {{"vision-setting-1", 9}, {"no-such-item", 1}, {"staff-capacity-1", 3}}}}
          .dump(),
      member);
  EXPECT_EQ(r.status, 400);
  fields = Fields(r);
  EXPECT_EQ(fields, (std::set<std::string>{"answers.vision-setting-1", "answers.no-such-item"}));
  EXPECT_EQ(
      Call("PUT", "/api/v1/rounds/" + round + "/my-response", "{\"answers\": 3}", member).status,
      400);

  EXPECT_EQ(JournalSize(), before);
  EXPECT_TRUE(JournalOf("round-response:" + round).empty());
}

TEST_F(ApiToolkitTest, NamedRoundsShowWhoAnsweredAndAnonymousOnesSuppressSmallItems) {
  const Login leader = SignIn("leader-district");
  const std::string team = MakeTeam(leader, "Small team");
  const std::string named = OpenRound(leader, team, "Named", false);
  const std::string anonymous = OpenRound(leader, team, "Anonymous", true);
  const Login a = SignIn("rt-teacher-a");
  const Login b = SignIn("rt-teacher-b");
  for (const std::string& round : {named, anonymous}) {
    EXPECT_EQ(Answer(round, AnswersFor(0, 2), a), 201);
    EXPECT_EQ(Answer(round, AnswersFor(1, 2), b), 201);
  }
  // A named round's results are there while it is open, with who said what.
  json results = Get("/api/v1/rounds/" + named + "/results", leader);
  ASSERT_EQ(results["responses_by_person"].size(), 2u);
  EXPECT_EQ(results["responses_by_person"][0]["person"]["id"], "rt-teacher-a");
  EXPECT_EQ(results["responses_by_person"][0]["answers"]["vision-setting-1"], 1);
  EXPECT_EQ(results["results"]["items"][0]["suppressed"], false);
  for (const JournalEntry& e : JournalOf("round-response:" + named)) EXPECT_NE(e.recorded_by, 0);

  Post("/api/v1/rounds/" + anonymous + "/close", json::object(), leader, 200);
  results = Get("/api/v1/rounds/" + anonymous + "/results", leader);
  EXPECT_FALSE(results.contains("responses_by_person"));
  for (const json& item : results["results"]["items"]) {
    EXPECT_EQ(item["n"], 2);
    EXPECT_EQ(item["suppressed"], true);
    EXPECT_FALSE(item.contains("median"));
    EXPECT_FALSE(item.contains("distribution"));
  }
  EXPECT_TRUE(results["results"]["most_disagreed"].empty());
  EXPECT_EQ(DomainOf(results, "vision-setting")["mean"], nullptr);
}

// Check-in surveys (Template 3.1): anonymous free-text answers, themes tagged
// by the team's leader; the tags name answers by a hash, never a person.
TEST_F(ApiToolkitTest, LeadersTagCheckInAnswersWithThemes) {
  const Login leader = SignIn("leader-district");
  const std::string team = MakeTeam(leader, "Check-in team");
  json round =
      Post("/api/v1/districts/district-demo/rounds",
           {{"instrument", "checkin-3-1"}, {"team", team}, {"due", "2099-06-30"}}, leader, 201);
  const std::string id = round.value("id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(round["anonymous"], true);  // the instrument's default
  const std::vector<std::pair<std::string, std::string>> said = {
      {"teacher-001", "Too little planning time"},
      {"rt-teacher-a", "Students like the badges"},
      {"rt-teacher-b", "Planning time is short"}};
  for (const auto& [who, text] : said) {
    HttpResponse r = Call("PUT", "/api/v1/rounds/" + id + "/my-response",
                          json{{"texts", {{"working", text}}}}.dump(), SignIn(who));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  const std::string themes = "/api/v1/rounds/" + id + "/themes";
  const json tag{
      {"tags",
       {{{"item", "working"}, {"text", "Too little planning time"}, {"themes", {"time"}}},
        {{"item", "working"},
         {"text", "Planning time is short"},
         {"themes", {"time", "planning"}}}}}};
  // Not before the anonymous round's answers are shown.
  EXPECT_EQ(Call("PUT", themes, tag.dump(), leader).status, 409);
  Post("/api/v1/rounds/" + id + "/close", json::object(), leader, 200);
  EXPECT_EQ(Call("PUT", themes, tag.dump(), SignIn("rt-teacher-a")).status, 403);
  HttpResponse bad =
      Call("PUT", themes,
           json{{"tags",
                 {{{"item", "working"}, {"text", "Nobody said this"}, {"themes", {"x"}}},
                  {{"item", "working"}, {"text", "Students like the badges"}, {"themes", {""}}}}}}
               .dump(),
           leader);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Fields(bad), (std::set<std::string>{"tags[0].text", "tags[1].themes[0]"}));
  EXPECT_TRUE(JournalOf("round-themes").empty());

  HttpResponse ok = Call("PUT", themes, tag.dump(), leader);
  ASSERT_EQ(ok.status, 200) << ok.body;
  json results = Get("/api/v1/rounds/" + id + "/results", leader);
  const json* working = nullptr;
  for (const json& item : results["results"]["items"]) {
    if (item["item"] == "working") working = &item;
  }
  ASSERT_NE(working, nullptr);
  ASSERT_EQ((*working)["texts"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string text = (*working)["texts"][i];
    const json tags = (*working)["text_themes"][i];
    if (text == "Students like the badges") {
      EXPECT_TRUE(tags.empty());
    }
    if (text == "Planning time is short") {
      EXPECT_EQ(tags, json({"time", "planning"}));
    }
  }
  EXPECT_EQ(results["results"]["themes"],
            json({{{"theme", "planning"}, {"answers", 1}}, {{"theme", "time"}, {"answers", 2}}}));
  // The stored tags carry no text and no person, only hashes.
  const auto entries = JournalOf("round-themes");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].body.find("Planning"), std::string::npos);
  EXPECT_EQ(entries[0].body.find("teacher"), std::string::npos);
}

// A district adapts a shipped instrument under an id of its own; a round
// opened on it keeps the document it was opened with.
TEST_F(ApiToolkitTest, ADistrictAdaptsAnInstrumentAndRoundsKeepTheirVersion) {
  const Login leader = SignIn("leader-district");
  const std::string base = "/api/v1/districts/district-demo/instruments/";
  json mine = Get(base + "readiness-s1-4", leader);
  EXPECT_EQ(mine["origin"], "bundled");
  mine.erase("origin");
  mine["id"] = "readiness-riverbend";
  mine["title"] = "Riverbend readiness";
  mine["sections"][0]["items"][0]["prompt"] = "Our board has adopted the vision.";

  auto put = [&](const std::string& id, const json& body, const Login& who) {
    return Call("PUT", base + id, body.dump(), who);
  };
  EXPECT_EQ(put("readiness-s1-4", mine, leader).status, 409);  // the shipped one stays exact
  EXPECT_EQ(put("readiness-riverbend", mine, SignIn("teacher-001")).status, 403);
  EXPECT_EQ(put("other-id", mine, leader).status, 400);  // the path names it
  json broken = mine;
  broken["sections"][1]["items"][0]["response"]["scale"] = "nope";
  HttpResponse bad = put("readiness-riverbend", broken, leader);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("$.sections[1].items[0].response.scale"), std::string::npos) << bad.body;
  EXPECT_TRUE(JournalOf("instrument").empty());

  HttpResponse saved = put("readiness-riverbend", mine, leader);
  ASSERT_EQ(saved.status, 200) << saved.body;
  bool listed = false;
  for (const json& i : Get("/api/v1/districts/district-demo/instruments", leader)) {
    listed = listed || (i["id"] == "readiness-riverbend" && i["origin"] == "district");
  }
  EXPECT_TRUE(listed);

  const std::string team = MakeTeam(leader, "Adapted team");
  json round = Post("/api/v1/districts/district-demo/rounds",
                    {{"instrument", "readiness-riverbend"}, {"team", team}, {"due", "2099-06-30"}},
                    leader, 201);
  const std::string id = round.value("id", "");
  EXPECT_EQ(round["instrument"]["title"], "Riverbend readiness");
  // Edited later: the open round still asks what it asked.
  mine["sections"][0]["items"][0]["prompt"] = "Changed wording.";
  ASSERT_EQ(put("readiness-riverbend", mine, leader).status, 200);
  json shown = Get("/api/v1/rounds/" + id, SignIn("rt-teacher-a"));
  EXPECT_EQ(shown["instrument_document"]["sections"][0]["items"][0]["prompt"],
            "Our board has adopted the vision.");
  EXPECT_EQ(Get(base + "readiness-riverbend", leader)["sections"][0]["items"][0]["prompt"],
            "Changed wording.");
  EXPECT_EQ(Answer(id, AnswersFor(0, 3), SignIn("rt-teacher-a")), 201);
}

}  // namespace
}  // namespace cairn
