#include "toolkit/tracker.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cairn {
namespace {

using nlohmann::json;

Day D(const char* s) { return *ParseDate(s); }

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const FieldError& f : s.fields()) out.push_back(f.field);
  return out;
}

JournalEntry Entry(Id id, const std::string& key, const json& body, Id by = 7) {
  JournalEntry e;
  e.id = id;
  e.district_id = 1;
  e.stream = "tracker:grading-review-2-3";
  e.key = key;
  e.body = body.dump();
  e.recorded_by = by;
  e.recorded_at = id * 1000;
  return e;
}

TEST(TrackerTest, BundledTrackersParseWithTheTemplatesColumns) {
  const auto& all = BundledTrackers();
  ASSERT_EQ(all.size(), 6u);
  std::vector<std::string> ids;
  for (const auto& t : all) ids.push_back(t.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"stakeholder-engagement-2-1", "professional-development-2-2",
                                      "grading-review-2-3", "checkin-plan-3-1",
                                      "observation-protocol-3-2", "evaluation-goals-4-1"}));
  const TrackerDefinition* grading = FindBundledTracker("grading-review-2-3");
  ASSERT_NE(grading, nullptr);
  EXPECT_EQ(grading->step, 2);
  std::vector<std::string> labels;
  for (const auto& c : grading->columns) labels.push_back(c.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"Aspect of Grading", "Possible Tension Points",
                                              "Possible Risks", "Possible Solutions", "Threat"}));
  const TrackerColumn* threat = grading->FindColumn("threat");
  ASSERT_NE(threat, nullptr);
  EXPECT_EQ(threat->kind, TrackerColumnKind::kChoice);
  EXPECT_EQ(threat->choices, (std::vector<std::string>{"High", "Medium", "Low"}));
  EXPECT_EQ(grading->examples.size(), 3u);
  EXPECT_EQ(grading->examples[1].at("aspect"), "Gradebook system");
  EXPECT_EQ(FindBundledTracker("evaluation-goals-4-1")->guiding_questions.size(), 3u);
  EXPECT_EQ(FindBundledTracker("observation-protocol-3-2")->FindColumn("look_fors")->kind,
            TrackerColumnKind::kList);
  EXPECT_EQ(FindBundledTracker("nope"), nullptr);
}

TEST(TrackerTest, CheckInQuestionsAreTheGuidesWordForWord) {
  std::ifstream in(std::string(CAIRN_SEED_FIXTURE_DIR) + "/checkin-questions-3-1.txt");
  ASSERT_TRUE(in.good());
  std::vector<std::string> expected;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) expected.push_back(line);
  }
  ASSERT_EQ(expected.size(), 4u);
  EXPECT_EQ(FindBundledTracker("checkin-plan-3-1")->questions, expected);
}

TEST(TrackerTest, DefinitionErrorsNameTheJsonPath) {
  auto bad = ParseTrackerDefinition(
      R"({"id": "X!", "title": "t", "template": "T", "step": 7,
          "columns": [{"id": "a", "label": "A", "kind": "choice", "required": true},
                      {"id": "a", "label": "B", "kind": "graph"},
                      {"id": "owner", "label": "O", "kind": "text"}]})",
      "x.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.status()),
            (std::vector<std::string>{"$.id", "$.step", "$.columns[0].choices", "$.columns[1].id",
                                      "$.columns[1].kind", "$.columns[2].id"}));
  EXPECT_NE(bad.status().message().find("x.json"), std::string::npos);
  EXPECT_FALSE(ParseTrackerDefinition("[1]", "y.json").ok());
}

TEST(TrackerTest, RowBodiesAreCheckedFieldByField) {
  const TrackerDefinition& grading = *FindBundledTracker("grading-review-2-3");
  auto ok =
      ParseTrackerRow(grading, json{{"values", {{"aspect", " Gradebook "}, {"threat", "High"}}},
                                    {"owner", "Ana"},
                                    {"due", "2026-01-15"},
                                    {"status", "in progress"}});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->values.at("aspect"), "Gradebook");
  EXPECT_EQ(ok->status, RowStatus::kInProgress);
  EXPECT_EQ(*ok->due, D("2026-01-15"));

  auto bad = ParseTrackerRow(grading, json{{"values", {{"threat", "Severe"}, {"colour", "x"}}},
                                           {"due", "15/01/2026"},
                                           {"status", "finished"},
                                           {"notes", 3},
                                           {"extra", true}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Fields(bad.status()),
            (std::vector<std::string>{"extra", "values.colour", "values.aspect", "values.threat",
                                      "due", "status", "notes"}));
  EXPECT_FALSE(ParseTrackerRow(grading, json::array()).ok());

  const TrackerDefinition& protocols = *FindBundledTracker("observation-protocol-3-2");
  auto lists = ParseTrackerRow(protocols,
                               json{{"values", {{"name", "MCOP"}, {"look_fors", {"A", "A", ""}}}}});
  ASSERT_FALSE(lists.ok());
  EXPECT_EQ(Fields(lists.status()),
            (std::vector<std::string>{"values.look_fors[1]", "values.look_fors[2]"}));

  const TrackerDefinition& goals = *FindBundledTracker("evaluation-goals-4-1");
  auto linked = ParseTrackerRow(
      goals, json{{"values",
                   {{"area", "Program Goals"},
                    {"goal", "More badges"},
                    {"report", {{"report", "completion-by-school"}, {"group", "North"}}}}}});
  ASSERT_TRUE(linked.ok()) << linked.status().message();
  EXPECT_EQ(linked->report, "completion-by-school");
  EXPECT_EQ(linked->report_group, "North");
  auto unlinked = ParseTrackerRow(
      goals, json{{"values",
                   {{"area", "Program Goals"}, {"goal", "g"}, {"report", {{"report", "gpa"}}}}}});
  ASSERT_FALSE(unlinked.ok());
  EXPECT_EQ(Fields(unlinked.status()), (std::vector<std::string>{"values.report.report"}));
}

TEST(TrackerTest, RowJsonRoundTrips) {
  const TrackerDefinition& goals = *FindBundledTracker("evaluation-goals-4-1");
  const json body{{"values",
                   {{"area", "Contextual Factors"},
                    {"goal", "Keep teachers"},
                    {"report", {{"report", "completion-by-badge"}, {"group", nullptr}}}}},
                  {"owner", "Bo"},
                  {"due", nullptr},
                  {"status", "done"},
                  {"notes", "n"}};
  auto row = ParseTrackerRow(goals, body);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(TrackerRowJson(goals, *row), body);
}

TEST(TrackerTest, FoldingKeepsEveryRevisionAndTheNewestIsCurrent) {
  const TrackerDefinition& grading = *FindBundledTracker("grading-review-2-3");
  std::vector<JournalEntry> entries{
      Entry(5, "row-b", {{"values", {{"aspect", "B"}}}, {"status", "not started"}}),
      Entry(3, "row-a", {{"values", {{"aspect", "A1"}}}, {"status", "not started"}}),
      Entry(9, "row-a", {{"values", {{"aspect", "A2"}}}, {"status", "done"}}, 8),
  };
  JournalEntry other = Entry(4, "row-z", {{"values", {{"aspect", "Z"}}}});
  other.stream = "tracker:checkin-plan-3-1";
  entries.push_back(other);
  auto rows = FoldTrackerRows(grading, entries);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, "row-a");
  ASSERT_EQ(rows[0].history.size(), 2u);
  EXPECT_EQ(rows[0].history[0].row.values.at("aspect"), "A1");
  EXPECT_EQ(rows[0].history[1].recorded_by, 8);
  EXPECT_EQ(rows[0].current.values.at("aspect"), "A2");
  EXPECT_EQ(rows[0].current.status, RowStatus::kDone);
  EXPECT_EQ(rows[1].id, "row-b");
  EXPECT_EQ(rows[1].history.size(), 1u);
}

TEST(TrackerTest, OverdueIsPastDueAndNotFinished) {
  TrackerRow row;
  EXPECT_FALSE(IsOverdue(row, D("2026-03-01")));  // no due date
  row.due = D("2026-02-01");
  EXPECT_FALSE(IsOverdue(row, D("2026-02-01")));  // due today
  EXPECT_TRUE(IsOverdue(row, D("2026-02-02")));
  row.status = RowStatus::kInProgress;
  EXPECT_TRUE(IsOverdue(row, D("2026-02-02")));
  row.status = RowStatus::kDone;
  EXPECT_FALSE(IsOverdue(row, D("2026-02-02")));
  row.status = RowStatus::kDropped;
  EXPECT_FALSE(IsOverdue(row, D("2026-02-02")));
}

TEST(TrackerTest, TheStageIsTheLatestStepWithWorkBegun) {
  const Day today = D("2026-05-01");
  TrackerRow waiting, going, finished, late;
  going.status = RowStatus::kInProgress;
  finished.status = RowStatus::kDone;
  late.due = D("2026-04-01");
  const auto* s21 = FindBundledTracker("stakeholder-engagement-2-1");
  const auto* s31 = FindBundledTracker("checkin-plan-3-1");
  const auto* s41 = FindBundledTracker("evaluation-goals-4-1");

  auto none = DeriveImplementationStage({{s21, {waiting}}, {s41, {waiting}}}, today, false);
  EXPECT_EQ(none.current_step, 1);
  ASSERT_EQ(none.steps.size(), 4u);
  EXPECT_EQ(none.steps[1].not_started, 1);

  auto two = DeriveImplementationStage({{s21, {going, late}}, {s41, {waiting}}}, today, true);
  EXPECT_EQ(two.current_step, 2);
  EXPECT_EQ(two.steps[1].overdue, 1);
  EXPECT_EQ(two.steps[1].rows, 2);

  auto three = DeriveImplementationStage({{s21, {going}}, {s31, {finished}}}, today, true);
  EXPECT_EQ(three.current_step, 3);
  EXPECT_EQ(three.steps[2].done, 1);
  EXPECT_NE(three.why.find("Step 3"), std::string::npos);
}

}  // namespace
}  // namespace cairn
