#include "toolkit/instrument.h"

#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cairn {
namespace {

// ---------------------------------------------------------------- parser

// A small valid instrument; each error case breaks one thing in it.
nlohmann::json ValidDocument() {
  return nlohmann::json::parse(R"({
    "format": "cairn-instrument",
    "format_version": 1,
    "id": "pulse",
    "title": "Pulse check",
    "kind": "survey",
    "respondents": ["teacher"],
    "scales": [{"id": "agree", "points": [{"value": 1, "label": "No"},
                                          {"value": 2, "label": "Yes"}]}],
    "sections": [
      {"id": "a", "title": "First", "items": [
        {"id": "a1", "prompt": "Is it working?", "response": {"type": "scale", "scale": "agree"}},
        {"id": "a2", "prompt": "What would help?", "response": {"type": "text"}}]},
      {"id": "b", "title": "Second", "items": [
        {"id": "b1", "prompt": "Where are we?", "response": {"type": "rubric", "scale": "agree",
          "levels": [{"value": 1, "description": "Not started"},
                     {"value": 2, "description": "Under way"}]}}]}
    ]
  })");
}

TEST(ParseInstrumentTest, AcceptsAValidDocumentWithDefaults) {
  auto parsed = ParseInstrument(ValidDocument().dump(), "pulse.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->id, "pulse");
  EXPECT_EQ(parsed->kind, InstrumentKind::kSurvey);
  EXPECT_TRUE(parsed->anonymous);  // the default when absent
  EXPECT_EQ(parsed->repeat.every, RepeatEvery::kNone);
  EXPECT_EQ(parsed->ItemCount(), 3u);
  ASSERT_NE(parsed->FindItem("b1"), nullptr);
  EXPECT_EQ(parsed->FindItem("b1")->response.levels[1].description, "Under way");
  EXPECT_EQ(parsed->SectionOf("a2")->id, "a");
  EXPECT_EQ(parsed->FindItem("zz"), nullptr);
  EXPECT_TRUE(parsed->MayRespond(RespondentRole::kTeacher));
  EXPECT_FALSE(parsed->MayRespond(RespondentRole::kStudent));
  EXPECT_EQ(parsed->FindScale("agree")->FindPoint(2)->label, "Yes");
}

struct BadCase {
  const char* name;
  void (*mutate)(nlohmann::json&);
  const char* expected;  // a line of the error message: the JSON path and the problem
};

const BadCase kBadCases[] = {
    {"unknown scale",
     [](nlohmann::json& d) { d["sections"][0]["items"][0]["response"]["scale"] = "x"; },
     "$.sections[0].items[0].response.scale: unknown scale \"x\""},
    {"duplicate item id across sections",
     [](nlohmann::json& d) { d["sections"][1]["items"][0]["id"] = "a1"; },
     "$.sections[1].items[0].id: duplicate item id \"a1\" (first at $.sections[0].items[0].id)"},
    {"duplicate section id", [](nlohmann::json& d) { d["sections"][1]["id"] = "a"; },
     "$.sections[1].id: duplicate section id \"a\""},
    {"blank prompt", [](nlohmann::json& d) { d["sections"][0]["items"][1]["prompt"] = "  "; },
     "$.sections[0].items[1].prompt: must not be blank"},
    {"empty prompt", [](nlohmann::json& d) { d["sections"][0]["items"][1]["prompt"] = ""; },
     "$.sections[0].items[1].prompt"},
    {"missing section title", [](nlohmann::json& d) { d["sections"][1].erase("title"); },
     "$.sections[1].title"},
    {"no sections", [](nlohmann::json& d) { d["sections"] = nlohmann::json::array(); },
     "$.sections: an instrument needs at least one section"},
    {"a section without items",
     [](nlohmann::json& d) { d["sections"][1]["items"] = nlohmann::json::array(); },
     "$.sections[1].items: a section needs at least one item"},
    {"unknown role",
     [](nlohmann::json& d) {
       d["respondents"] = {"teacher", "janitor"};
     },
     "$.respondents[1]: unknown role \"janitor\""},
    {"a role twice",
     [](nlohmann::json& d) {
       d["respondents"] = {"teacher", "teacher"};
     },
     "$.respondents[1]: role \"teacher\" is listed twice"},
    {"no roles", [](nlohmann::json& d) { d["respondents"] = nlohmann::json::array(); },
     "$.respondents: name at least one role that may respond"},
    {"unknown kind", [](nlohmann::json& d) { d["kind"] = "quiz"; },
     "$.kind: unknown kind \"quiz\""},
    {"rubric levels do not cover the scale",
     [](nlohmann::json& d) { d["sections"][1]["items"][0]["response"]["levels"].erase(1); },
     "$.sections[1].items[0].response.levels: scale \"agree\" has 2 points but 1 levels are "
     "described"},
    {"rubric levels out of scale order",
     [](nlohmann::json& d) {
       auto& levels = d["sections"][1]["items"][0]["response"]["levels"];
       std::swap(levels[0], levels[1]);
     },
     "$.sections[1].items[0].response.levels[0].value: expected 1"},
    {"scale points not increasing",
     [](nlohmann::json& d) { d["scales"][0]["points"][1]["value"] = 1; },
     "$.scales[0].points[1].value: points must be listed in increasing value order"},
    {"a one-point scale", [](nlohmann::json& d) { d["scales"][0]["points"].erase(1); },
     "$.scales[0].points: a scale needs at least two points"},
    {"a misspelt key",
     [](nlohmann::json& d) {
       auto& item = d["sections"][0]["items"][1];
       item["promt"] = item["prompt"];
     },
     "$.sections[0].items[1]"},
    {"weekly repeat without weeks",
     [](nlohmann::json& d) {
       d["repeat"] = {{"every", "weeks"}};
     },
     "$.repeat.weeks"},
    {"weekly repeat out of range",
     [](nlohmann::json& d) {
       d["repeat"] = {{"every", "weeks"}, {"weeks", 0}};
     },
     "$.repeat.weeks"},
    {"unknown schedule",
     [](nlohmann::json& d) {
       d["repeat"] = {{"every", "daily"}};
     },
     "$.repeat.every: unknown schedule \"daily\""},
    {"a text response with a scale",
     [](nlohmann::json& d) { d["sections"][0]["items"][1]["response"]["scale"] = "agree"; },
     "$.sections[0].items[1].response.scale: a text response has no scale"},
    {"unknown response type",
     [](nlohmann::json& d) { d["sections"][0]["items"][1]["response"]["type"] = "slider"; },
     "$.sections[0].items[1].response.type: unknown response type \"slider\""},
    {"a bad id", [](nlohmann::json& d) { d["sections"][0]["id"] = "Not An Id"; },
     "$.sections[0].id: use 1 to 64"},
    {"a key shift without its destination",
     [](nlohmann::json& d) {
       d["sections"][0]["indicators"] = nlohmann::json::parse(
           R"([{"id": "i", "category": "C", "system": "S", "student": "L",
                "shift": {"from": "Before"}}])");
     },
     "$.sections[0].indicators[0].shift.to"},
    {"another format version", [](nlohmann::json& d) { d["format_version"] = 2; },
     "$.format_version: this Cairn reads format_version 1"},
    {"not an instrument", [](nlohmann::json& d) { d["format"] = "cairn-catalog"; },
     "$.format: expected \"cairn-instrument\""},
};

TEST(ParseInstrumentTest, RejectsBadInputNamingTheJsonPath) {
  for (const BadCase& bad : kBadCases) {
    SCOPED_TRACE(bad.name);
    nlohmann::json doc = ValidDocument();
    bad.mutate(doc);
    auto parsed = ParseInstrument(doc.dump(), "mine.json");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(std::string("mine.json: ") + bad.expected),
              std::string::npos)
        << parsed.status().message();
    EXPECT_FALSE(parsed.status().fields().empty());
  }
}

TEST(ParseInstrumentTest, ReportsEveryProblemInOnePass) {
  nlohmann::json doc = ValidDocument();
  doc["kind"] = "quiz";
  doc["sections"][0]["items"][1]["prompt"] = " ";
  doc["sections"][1]["id"] = "a";
  doc["sections"][0]["items"][0]["response"]["scale"] = "x";  // a reference, checked last
  auto parsed = ParseInstrument(doc.dump(), "mine.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().fields().size(), 4u) << parsed.status().message();
}

TEST(ParseInstrumentTest, RejectsMalformedJson) {
  auto parsed = ParseInstrument(R"({"id": "x", )", "broken.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("broken.json"), std::string::npos);
  EXPECT_FALSE(ParseInstrument("[]", "array.json").ok());
}

TEST(ParseInstrumentTest, TheDocumentedExampleParses) {
  std::ifstream in(CAIRN_INSTRUMENT_FORMAT_DOC);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::size_t start = doc.find("```json\n");
  ASSERT_NE(start, std::string::npos) << "docs/instrument-format.md has no JSON example";
  const std::size_t end = doc.find("```", start + 8);
  auto parsed = ParseInstrument(doc.substr(start + 8, end - start - 8), "instrument-format.md");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->repeat, (RepeatSchedule{RepeatEvery::kWeeks, 6}));
  EXPECT_EQ(parsed->ItemCount(), 3u);
}

// Every node of `j`, depth first, so a mutation can pick one at random.
void CollectNodes(nlohmann::json& j, std::vector<nlohmann::json*>& out) {
  out.push_back(&j);
  if (j.is_structured()) {
    for (auto& child : j) CollectNodes(child, out);
  }
}

// A deterministic fuzz pass: shipped documents with one node replaced by a
// value of another type, or their text cut short, are refused with a reason
// (or, rarely, still valid), never a crash or an exception.
TEST(ParseInstrumentTest, SurvivesCorruptedDocuments) {
  std::mt19937 random(20261205);
  const nlohmann::json replacements[] = {
      nullptr, 7, -1, 1.5, "", " ", "x", nlohmann::json::array(), nlohmann::json::object(), true};
  std::size_t refused = 0;
  for (int round = 0; round < 400; ++round) {
    const BundledInstrumentFile& file =
        BundledInstrumentFiles()[random() % BundledInstrumentFiles().size()];
    std::string text;
    if (round % 4 == 0) {
      text = std::string(file.json.substr(0, random() % file.json.size()));
    } else {
      nlohmann::json doc = nlohmann::json::parse(file.json);
      std::vector<nlohmann::json*> nodes;
      CollectNodes(doc, nodes);
      *nodes[random() % nodes.size()] = replacements[random() % std::size(replacements)];
      text = doc.dump();
    }
    Result<Instrument> parsed = Status::Internal("not run");
    ASSERT_NO_THROW(parsed = ParseInstrument(text, "fuzz.json")) << text.substr(0, 200);
    if (!parsed.ok()) {
      ++refused;
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(parsed.status().message().find("fuzz.json"), std::string::npos);
    }
  }
  EXPECT_GT(refused, 300u);
}

// ---------------------------------------------------------------- bundled

TEST(BundledInstrumentsTest, EveryFileParses) {
  ASSERT_EQ(BundledInstrumentFiles().size(), 7u);
  std::set<std::string> ids;
  for (const BundledInstrumentFile& file : BundledInstrumentFiles()) {
    auto parsed = ParseInstrument(file.json, file.file_name);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    // The file is named after the instrument it holds.
    EXPECT_EQ(std::string(file.file_name), parsed->id + ".json");
    EXPECT_TRUE(ids.insert(parsed->id).second) << parsed->id;
  }
  EXPECT_EQ(BundledInstruments().size(), BundledInstrumentFiles().size());
}

TEST(BundledInstrumentsTest, RoundTripThroughJson) {
  for (const Instrument& instrument : BundledInstruments()) {
    auto again = ParseInstrument(InstrumentToJson(instrument).dump(), instrument.id);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, instrument) << instrument.id;
  }
}

TEST(BundledInstrumentsTest, FindsByIdAndSaysWhoResponds) {
  const Instrument* readiness = FindBundledInstrument("readiness-s1-4");
  ASSERT_NE(readiness, nullptr);
  EXPECT_EQ(readiness->kind, InstrumentKind::kSurvey);
  EXPECT_TRUE(readiness->anonymous);
  EXPECT_EQ(readiness->repeat.every, RepeatEvery::kTermly);
  EXPECT_EQ(readiness->respondents,
            (std::vector<RespondentRole>{RespondentRole::kDistrictLeader,
                                         RespondentRole::kSchoolLeader, RespondentRole::kTeacher}));
  EXPECT_EQ(readiness->sections.size(), 9u);
  EXPECT_EQ(readiness->ItemCount(), 34u);

  const Instrument* checkin = FindBundledInstrument("checkin-3-1");
  ASSERT_NE(checkin, nullptr);
  EXPECT_TRUE(checkin->anonymous);
  EXPECT_EQ(checkin->respondents,
            (std::vector<RespondentRole>{RespondentRole::kTeacher, RespondentRole::kSchoolLeader}));
  EXPECT_EQ(checkin->ItemCount(), 4u);
  for (const InstrumentItem& item : checkin->sections[0].items) {
    EXPECT_EQ(item.response.kind, ResponseKind::kText);
  }

  const Instrument* staging = FindBundledInstrument("idaho-staging-001");
  ASSERT_NE(staging, nullptr);
  EXPECT_EQ(staging->kind, InstrumentKind::kStaging);
  ASSERT_EQ(staging->sections.size(), 4u);
  for (const InstrumentSection& component : staging->sections) {
    ASSERT_EQ(component.items.size(), 1u) << component.id;  // one stage per component
    EXPECT_EQ(component.items[0].response.levels.size(), 4u) << component.id;
    EXPECT_FALSE(component.indicators.empty()) << component.id;
  }

  const Instrument* rubric = FindBundledInstrument("mastery-self-assessment-003");
  ASSERT_NE(rubric, nullptr);
  EXPECT_EQ(rubric->kind, InstrumentKind::kRubric);
  EXPECT_EQ(rubric->FindScale("mastery-3")->points.size(), 3u);

  for (const char* id : {"discussion-s1-1", "discussion-s1-2", "discussion-s1-3"}) {
    const Instrument* discussion = FindBundledInstrument(id);
    ASSERT_NE(discussion, nullptr) << id;
    EXPECT_EQ(discussion->kind, InstrumentKind::kDiscussion);
    EXPECT_FALSE(discussion->anonymous);
  }
  EXPECT_EQ(FindBundledInstrument("no-such-instrument"), nullptr);
}

// ---------------------------------------------------------------- fixtures

// The instrument's wording as the fixture lines (tests/fixtures/instruments/
// README.md describes the format), in document order.
std::vector<std::string> WordingLines(const Instrument& instrument) {
  std::vector<std::string> lines;
  auto add = [&lines](const std::string& tag, const std::string& text) {
    lines.push_back(tag + ": " + text);
  };
  for (const ResponseScale& scale : instrument.scales) {
    for (const ScalePoint& point : scale.points) {
      add("scale " + scale.id + " " + std::to_string(point.value), point.label);
      if (!point.description.empty()) add("scale description", point.description);
      for (const std::string& activity : point.activities) add("scale activity", activity);
    }
  }
  for (const InstrumentSection& section : instrument.sections) {
    add("section", section.title);
    if (!section.description.empty()) add("description", section.description);
    for (const IndicatorCategory& indicator : section.indicators) {
      add("indicator", indicator.category);
      add("system", indicator.system_indicator);
      add("student", indicator.student_indicator);
      if (!indicator.shift_from.empty()) add("shift from", indicator.shift_from);
      if (!indicator.shift_to.empty()) add("shift to", indicator.shift_to);
      if (!indicator.shift_description.empty()) add("shift", indicator.shift_description);
    }
    for (const InstrumentItem& item : section.items) {
      add("item", item.prompt);
      if (!item.help.empty()) add("help", item.help);
      if (!item.data_note.empty()) add("data", item.data_note);
      for (const GuidingQuestion& question : item.questions) {
        add("question", question.text);
        for (const std::string& point : question.points) add("point", point);
      }
      for (const TextField& field : item.response.fields) {
        add("field", field.label);
        if (!field.starter.empty()) add("starter", field.starter);
      }
      for (const RubricLevel& level : item.response.levels) {
        const std::string tag = "level " + std::to_string(level.value);
        if (!level.title.empty()) add(tag + " title", level.title);
        add(tag, level.description);
        for (const std::string& outcome : level.outcomes) add("outcome", outcome);
        for (const std::string& activity : level.activities) add("activity", activity);
      }
    }
  }
  return lines;
}

std::vector<std::string> ReadFixture(const std::string& instrument_id) {
  std::ifstream in(std::string(CAIRN_INSTRUMENT_FIXTURES_DIR) + "/" + instrument_id + ".txt");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST(InstrumentFixtureTest, ShippedWordingMatchesTheSeeds) {
  ASSERT_FALSE(BundledInstruments().empty());
  for (const Instrument& instrument : BundledInstruments()) {
    SCOPED_TRACE(instrument.id);
    const std::vector<std::string> expected = ReadFixture(instrument.id);
    ASSERT_FALSE(expected.empty())
        << "no fixture tests/fixtures/instruments/" << instrument.id << ".txt";
    const std::vector<std::string> actual = WordingLines(instrument);
    const std::size_t common = std::min(expected.size(), actual.size());
    for (std::size_t i = 0; i < common; ++i) {
      // Stop at the first difference: later lines would all be shifted.
      ASSERT_EQ(actual[i], expected[i]) << "line " << i + 1 << " of the fixture";
    }
    EXPECT_EQ(actual.size(), expected.size()) << "lines of wording";
  }
}

TEST(InstrumentFixtureTest, FixtureCountsMatchTheSeedTemplates) {
  // Counts read off the seeds, independent of both the JSON and the fixture.
  auto count = [](const std::string& id, const std::string& prefix) {
    std::size_t n = 0;
    for (const std::string& line : ReadFixture(id)) n += line.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  };
  EXPECT_EQ(count("readiness-s1-4", "item: "), 34u);
  EXPECT_EQ(count("readiness-s1-4", "section: "), 9u);
  EXPECT_EQ(count("readiness-s1-4", "data: "), 3u);
  EXPECT_EQ(count("mastery-self-assessment-003", "item: "), 15u);
  EXPECT_EQ(count("mastery-self-assessment-003", "level 3: "), 15u);
  EXPECT_EQ(count("idaho-staging-001", "indicator: "), 20u);
  EXPECT_EQ(count("idaho-staging-001", "shift from: "), 20u);
  EXPECT_EQ(count("idaho-staging-001", "level 4: "), 4u);
  EXPECT_EQ(count("checkin-3-1", "item: "), 4u);
  EXPECT_EQ(count("discussion-s1-3", "item: "), 10u);  // meeting, participants, next steps + 7
}

}  // namespace
}  // namespace cairn
