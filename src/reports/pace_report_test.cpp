#include "reports/pace_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "testing/test_catalog.h"

namespace cairn {
namespace {

using testing::TestCatalog;

constexpr Day kToday = 100;  // the window of 4 weeks is days 73..100

// One district, one school, one course; section S1 works on B1 and B2, S2 on
// B1. Students 10.. are enrolled in S1, 20.. in S2.
struct World {
  Catalog catalog = TestCatalog();
  Roster roster;
  MasteryEngine engine{catalog};
  std::map<Id, std::vector<AwardFact>> awards;
  FactId next_fact = 1;

  World() {
    roster.districts.push_back({1, "d1", "District"});
    roster.schools.push_back({2, "sch1", 1, "North High"});
    roster.courses.push_back({3, "c1", 1, "Algebra I"});
    roster.sections.push_back({4, "s1", 2, 3, "Algebra I - P1", "2026", {"B1", "B2"}});
    roster.sections.push_back({5, "s2", 2, 3, "Algebra I - P2", "2026", {"B1"}});
    roster.Index();
  }

  void AddStudent(Id id, const std::string& given, Id section, bool active_enrolment = true) {
    Person p;
    p.id = id;
    p.sourced_id = "stu" + std::to_string(id);
    p.given_name = given;
    p.family_name = "Test";
    p.district_id = 1;
    p.school_id = 2;
    roster.people.push_back(p);
    roster.enrollments.push_back({section, id, false, active_enrolment});
    roster.Index();
  }

  void Rate(Id student, const std::string& cpe, const std::string& level, Day day,
            EvidenceKind kind = EvidenceKind::kSummative) {
    RatingFact fact;
    fact.id = next_fact++;
    fact.student_id = student;
    fact.cpe_id = cpe;
    fact.level_id = level;
    fact.demonstrated_on = day;
    fact.recorded_at = StartOf(day) + 3600;
    fact.kind = kind;
    ASSERT_TRUE(engine.AddRating(fact).ok());
  }

  void Award(Id student, const std::string& badge, AwardAction action, Day day) {
    AwardFact fact;
    fact.id = next_fact++;
    fact.student_id = student;
    fact.badge_code = badge;
    fact.action = action;
    fact.recorded_at = StartOf(day);
    if (action == AwardAction::kRevoked) fact.reason = "evidence was copied";
    awards[student].push_back(fact);
    if (action == AwardAction::kConfirmed) {
      engine.SetEarned(student,
                       static_cast<std::uint32_t>(catalog.FindBadge(badge) - catalog.badges.data()),
                       true);
    }
  }

  PaceReport Report(int weeks = 4, std::function<bool(const Person&)> include = nullptr,
                    PaceSettings plan = {}) {
    std::vector<const Section*> sections;
    for (const Section& s : roster.sections) sections.push_back(&s);
    return BuildPaceReport(catalog, roster, engine, awards, sections, include,
                           PaceOptions{kToday, weeks, plan});
  }
};

const PaceRow* Find(const PaceReport& report, const std::string& student,
                    const std::string& badge) {
  for (const PaceRow& row : report.rows) {
    if (row.student_id == student && row.badge == badge) return &row;
  }
  return nullptr;
}

// Listed for neither pace flag (it may still be behind the plan).
bool Unflagged(const PaceRow* row) {
  return row == nullptr || (!row->not_progressing && !row->advancing_rapidly);
}

bool Mentions(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

TEST(PaceReportTest, MasteryReachedBeforeTheWindowIsNotProgress) {
  World w;
  w.AddStudent(10, "Ana", 4);
  w.AddStudent(11, "Ben", 4);
  w.Rate(10, "B1.1", "proficient", 40);
  w.Rate(10, "B1.2", "emerging", 95);  // evidence in the window, but not mastery
  w.Rate(11, "B1.1", "proficient", 90);
  const PaceReport report = w.Report();
  EXPECT_EQ(report.window_start, 73);
  const PaceRow* ana = Find(report, "stu10", "B1");
  ASSERT_NE(ana, nullptr);
  EXPECT_TRUE(ana->not_progressing);
  EXPECT_EQ(ana->cpes_gained, 0);
  EXPECT_EQ(ana->last_evidence, 95);
  EXPECT_EQ(ana->last_mastery, 40);
  EXPECT_EQ(ana->weeks_stalled, 8);  // (100 - 40) / 7
  EXPECT_EQ(ana->cpes_counting, 1);
  EXPECT_EQ(ana->cpes_needed, 3);
  EXPECT_EQ(ana->short_cpes, (std::vector<std::string>{"B1.2", "B1.3"}));
  EXPECT_TRUE(Mentions(ana->why, "B1.2 Second at mastery"));
  EXPECT_TRUE(Mentions(ana->why, "B1.3 Third at mastery"));
  // B1 requires a performance task at mastery; Ana has only summative work.
  EXPECT_EQ(ana->missing_kinds, std::vector<std::string>{"performance_task"});
  EXPECT_TRUE(Mentions(ana->why, "Performance task at mastery"));
  EXPECT_EQ(ana->section, "Algebra I - P1");
  EXPECT_EQ(ana->school, "North High");
  EXPECT_TRUE(Unflagged(Find(report, "stu11", "B1")));  // reached mastery on day 90
}

TEST(PaceReportTest, TheWindowIsTheDistrictsNumberOfWeeks) {
  World w;
  w.AddStudent(10, "Ana", 4);
  w.Rate(10, "B1.1", "proficient", 60);
  EXPECT_EQ(Find(w.Report(4), "stu10", "B1")->not_progressing, true);
  EXPECT_TRUE(Unflagged(Find(w.Report(6), "stu10", "B1")));  // 6 weeks reach back to day 59
}

TEST(PaceReportTest, MissingPrerequisiteIsTheReason) {
  World w;
  w.AddStudent(10, "Ana", 4);
  // Ana mastered B2's only CPE long ago, but B1 is not earned.
  w.Rate(10, "B2.1", "advanced", 30);
  const PaceReport report = w.Report();
  const PaceRow* row = Find(report, "stu10", "B2");
  ASSERT_NE(row, nullptr);
  EXPECT_TRUE(row->not_progressing);
  EXPECT_EQ(row->cpes_counting, 1);
  EXPECT_TRUE(row->short_cpes.empty());
  EXPECT_EQ(row->missing_prerequisites, std::vector<std::string>{"B1"});
  EXPECT_EQ(row->why, std::vector<std::string>{"Prerequisite badge B1 Badge one earned"});
  EXPECT_EQ(row->weeks_stalled, 10);

  // Once B1 is confirmed the rule is met: what remains is the award itself.
  w.Award(10, "B1", AwardAction::kProposed, 50);
  w.Award(10, "B1", AwardAction::kConfirmed, 51);
  const PaceReport later = w.Report();
  const PaceRow* after = Find(later, "stu10", "B2");
  ASSERT_NE(after, nullptr);
  EXPECT_TRUE(after->missing_prerequisites.empty());
  EXPECT_EQ(after->why, std::vector<std::string>{"Award to be proposed"});
  EXPECT_EQ(Find(later, "stu10", "B1"), nullptr);  // confirmed: not stalled
}

TEST(PaceReportTest, RevokedAwardSaysSo) {
  World w;
  w.AddStudent(10, "Ana", 4);
  w.Award(10, "B1", AwardAction::kProposed, 20);
  w.Award(10, "B1", AwardAction::kConfirmed, 21);
  w.Award(10, "B1", AwardAction::kRevoked, 22);
  const PaceReport report = w.Report();
  const PaceRow* row = Find(report, "stu10", "B1");
  ASSERT_NE(row, nullptr);
  EXPECT_TRUE(row->not_progressing);
  EXPECT_EQ(row->award_state, "revoked");
  EXPECT_EQ(row->why.front(), "Award revoked: evidence was copied");
}

TEST(PaceReportTest, NoEvidenceAtAllIsNotProgressing) {
  World w;
  w.AddStudent(10, "Ana", 4);
  const PaceReport report = w.Report();
  const PaceRow* row = Find(report, "stu10", "B1");
  ASSERT_NE(row, nullptr);
  EXPECT_TRUE(row->not_progressing);
  EXPECT_EQ(row->last_evidence, 0);
  EXPECT_EQ(row->weeks_stalled, -1);
  EXPECT_EQ(row->short_cpes.size(), 3u);
  const nlohmann::json json = PaceReportJson(report);
  EXPECT_TRUE(json["rows"][0]["last_evidence"].is_null());
  EXPECT_TRUE(json["rows"][0]["weeks_stalled"].is_null());
  EXPECT_EQ(json["enrolments"], 2);  // B1 and B2
  EXPECT_EQ(json["not_progressing"], 2);
}

TEST(PaceReportTest, MasteryLostAndRegainedCountsFromTheRegain) {
  World w;
  w.AddStudent(10, "Ana", 4);
  w.Rate(10, "B1.1", "proficient", 20);
  w.Rate(10, "B1.1", "not_yet", 50);
  w.Rate(10, "B1.1", "advanced", 80);
  const std::uint32_t dense = w.catalog.FindCpe("B1.1")->dense;
  EXPECT_EQ(w.engine.MasteredSince(10, dense), 80);
  EXPECT_TRUE(Unflagged(Find(w.Report(), "stu10", "B1")));  // progress on day 80
  w.Rate(10, "B1.1", "emerging", 90);
  EXPECT_EQ(w.engine.MasteredSince(10, dense), 0);
  const PaceReport report = w.Report();
  const PaceRow* row = Find(report, "stu10", "B1");
  ASSERT_NE(row, nullptr);
  EXPECT_TRUE(row->not_progressing);
  EXPECT_EQ(row->weeks_stalled, -1);  // nothing is at mastery now
}

TEST(PaceReportTest, AdvancingRapidlyAgainstTheSectionMedian) {
  World w;
  for (Id id = 20; id < 25; ++id) w.AddStudent(id, "S" + std::to_string(id), 5);
  // Median gain in S2 on B1: 0 (gains 3, 1, 0, 0, 0).
  w.Rate(20, "B1.1", "proficient", 80);
  w.Rate(20, "B1.2", "advanced", 85);
  w.Rate(20, "B1.3", "proficient", 99, EvidenceKind::kPerformanceTask);
  w.Rate(21, "B1.1", "proficient", 80);
  w.Rate(22, "B1.1", "proficient", 10);
  const PaceReport report = w.Report();
  const PaceRow* fast = Find(report, "stu20", "B1");
  ASSERT_NE(fast, nullptr);
  EXPECT_TRUE(fast->advancing_rapidly);
  EXPECT_FALSE(fast->not_progressing);
  EXPECT_EQ(fast->cpes_gained, 3);
  EXPECT_DOUBLE_EQ(fast->cpes_per_week, 0.75);
  EXPECT_DOUBLE_EQ(fast->section_median, 0);
  EXPECT_TRUE(fast->why.empty());
  EXPECT_TRUE(Unflagged(Find(report, "stu21", "B1")));  // one CPE: progressing, not rapid
  EXPECT_TRUE(Find(report, "stu22", "B1")->not_progressing);
  EXPECT_EQ(report.advancing_rapidly, 1);
  EXPECT_EQ(report.not_progressing, 3);  // 22, 23, 24
}

TEST(PaceReportTest, RapidNeedsTwiceTheMedianAndTwoMore) {
  World w;
  for (Id id = 20; id < 23; ++id) w.AddStudent(id, "S" + std::to_string(id), 5);
  // Gains 3, 2, 1: median 2, so rapid from max(4, 4) = 4: nobody.
  for (const char* cpe : {"B1.1", "B1.2", "B1.3"}) w.Rate(20, cpe, "proficient", 90);
  for (const char* cpe : {"B1.1", "B1.2"}) w.Rate(21, cpe, "proficient", 90);
  w.Rate(22, "B1.1", "proficient", 90);
  EXPECT_EQ(w.Report().advancing_rapidly, 0);
}

TEST(PaceReportTest, OnlyIncludedActiveEnrolmentsCount) {
  World w;
  w.AddStudent(10, "Ana", 4);
  w.AddStudent(11, "Ben", 4, /*active_enrolment=*/false);
  w.AddStudent(12, "Cy", 4);
  const PaceReport report = w.Report(4, [](const Person& p) { return p.sourced_id != "stu12"; });
  EXPECT_EQ(report.enrolments, 2);
  EXPECT_NE(Find(report, "stu10", "B1"), nullptr);
  EXPECT_EQ(Find(report, "stu11", "B1"), nullptr);
  EXPECT_EQ(Find(report, "stu12", "B1"), nullptr);
}

TEST(PaceReportTest, FilterAndSort) {
  World w;
  w.AddStudent(20, "Ana", 5);
  w.AddStudent(21, "Ben", 5);
  w.AddStudent(22, "Cy", 5);
  w.AddStudent(23, "Di", 5);
  w.Rate(20, "B1.1", "proficient", 50);  // stalled 7 weeks, evidence day 50
  w.Rate(21, "B1.1", "proficient", 10);  // stalled 12 weeks, evidence day 95
  w.Rate(21, "B1.2", "emerging", 95);
  // Cy: no evidence. Di: two CPEs in the window (median 0): rapid.
  w.Rate(23, "B1.1", "proficient", 90);
  w.Rate(23, "B1.2", "proficient", 91);
  std::vector<PaceRow> rows = w.Report().rows;
  ASSERT_EQ(rows.size(), 4u);

  auto order = [](const std::vector<PaceRow>& list) {
    std::vector<std::string> ids;
    for (const PaceRow& row : list) ids.push_back(row.student_id);
    return ids;
  };
  std::vector<PaceRow> stalled = rows;
  FilterAndSortPaceRows(stalled, PaceFilter::kNotProgressing, PaceSort::kWeeksStalled);
  EXPECT_EQ(order(stalled), (std::vector<std::string>{"stu22", "stu21", "stu20"}));
  std::vector<PaceRow> by_evidence = rows;
  FilterAndSortPaceRows(by_evidence, PaceFilter::kNotProgressing, PaceSort::kLastEvidence);
  EXPECT_EQ(order(by_evidence), (std::vector<std::string>{"stu22", "stu20", "stu21"}));
  std::vector<PaceRow> rapid = rows;
  FilterAndSortPaceRows(rapid, PaceFilter::kAdvancingRapidly, PaceSort::kWeeksStalled);
  EXPECT_EQ(order(rapid), std::vector<std::string>{"stu23"});

  EXPECT_FALSE(ParsePaceFilter("fastest").ok());
  EXPECT_FALSE(ParsePaceSort("score").ok());
  EXPECT_EQ(*ParsePaceSort("last_evidence"), PaceSort::kLastEvidence);
}

TEST(PaceReportTest, ThePaceRatioIsGrowthAgainstTheDistrictsPlan) {
  World w;
  w.AddStudent(10, "Ana", 4);
  w.AddStudent(11, "Ben", 4);
  w.AddStudent(12, "Cy", 4);
  // B1 has 3 CPEs; the plan gives a badge 6 weeks: 0.5 CPEs a week.
  w.Rate(10, "B1.1", "proficient", 80);  // 1 CPE in 4 weeks: half the planned pace
  w.Rate(11, "B1.1", "proficient", 80);  // 2 CPEs in 4 weeks: on plan
  w.Rate(11, "B1.2", "proficient", 90);
  w.Rate(12, "B1.1", "proficient", 20);  // before the window: no growth in it
  PaceReport report = w.Report();
  const PaceRow* ana = Find(report, "stu10", "B1");
  ASSERT_NE(ana, nullptr);
  EXPECT_EQ(ana->plan_weeks, 6);
  EXPECT_DOUBLE_EQ(ana->expected_cpes_per_week, 0.5);
  EXPECT_DOUBLE_EQ(ana->cpes_per_week, 0.25);
  EXPECT_DOUBLE_EQ(ana->pace_ratio, 0.5);
  EXPECT_TRUE(ana->behind_plan);
  EXPECT_FALSE(ana->not_progressing);               // moving, but slower than planned
  EXPECT_EQ(Find(report, "stu11", "B1"), nullptr);  // on plan and not flagged otherwise
  const PaceRow* cy = Find(report, "stu12", "B1");
  ASSERT_NE(cy, nullptr);
  EXPECT_DOUBLE_EQ(cy->pace_ratio, 0);
  EXPECT_TRUE(cy->behind_plan && cy->not_progressing);
  EXPECT_EQ(report.behind_plan, 5);  // Ana, Cy on B1; all three on B2 (no evidence)

  // The course's own plan (3 weeks a badge: 1 CPE a week) puts Ben behind.
  PaceSettings plan;
  plan.course_weeks_per_badge["c1"] = 3;
  report = w.Report(4, nullptr, plan);
  const PaceRow* ben = Find(report, "stu11", "B1");
  ASSERT_NE(ben, nullptr);
  EXPECT_EQ(ben->plan_weeks, 3);
  EXPECT_DOUBLE_EQ(ben->pace_ratio, 0.5);
  EXPECT_TRUE(ben->behind_plan);
  // Slowest against the plan first.
  std::vector<PaceRow> rows = report.rows;
  FilterAndSortPaceRows(rows, PaceFilter::kBehindPlan, PaceSort::kPaceRatio);
  ASSERT_FALSE(rows.empty());
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end(), [](const PaceRow& a, const PaceRow& b) {
    return a.pace_ratio < b.pace_ratio;
  }));
  EXPECT_EQ(rows.back().student_id, "stu11");
  EXPECT_TRUE(
      std::all_of(rows.begin(), rows.end(), [](const PaceRow& r) { return r.behind_plan; }));

  // A confirmed badge is never behind.
  w.Award(10, "B1", AwardAction::kConfirmed, 95);
  EXPECT_EQ(Find(w.Report(), "stu10", "B1"), nullptr);
}

TEST(PaceReportTest, MarkNotProgressingFlagsTheSameTrackingRows) {
  World w;
  w.AddStudent(10, "Ana", 4);
  w.AddStudent(11, "Ben", 4);
  w.Rate(11, "B1.1", "proficient", 90);  // Ben progressed on B1
  const PaceReport report = w.Report();
  auto row = [](std::string student, std::string section, std::string badge) {
    TrackingRow r;
    r.student_id = std::move(student);
    r.section_sourced_id = std::move(section);
    r.badge = std::move(badge);
    r.not_progressing = true;  // cleared unless the report flags it
    return r;
  };
  std::vector<TrackingRow> rows = {row("stu10", "s1", "B1"), row("stu11", "s1", "B1"),
                                   row("stu11", "s1", "B2"), row("stu10", "s2", "B1")};
  MarkNotProgressing(rows, report);
  EXPECT_TRUE(rows[0].not_progressing);
  EXPECT_FALSE(rows[1].not_progressing);
  EXPECT_TRUE(rows[2].not_progressing);   // no evidence on B2
  EXPECT_FALSE(rows[3].not_progressing);  // Ana is not in s2
}

TEST(PaceSettingsTest, ThePlanIsWeeksPerBadgeForEveryCourseOrOne) {
  auto parsed =
      ParsePaceSettings(R"({"weeks_per_badge": 8, "course_weeks_per_badge": {"course-geo": 10}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->WeeksPerBadge("course-geo"), 10);
  EXPECT_EQ(parsed->WeeksPerBadge("course-alg"), 8);
  EXPECT_EQ(*ParsePaceSettings(PaceSettingsToJson(*parsed)), *parsed);
  EXPECT_EQ(ParsePaceSettings("{}")->WeeksPerBadge("x"), kDefaultWeeksPerBadge);
  for (const auto& [bad, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"weeks_per_badge": 0})", "pace.weeks_per_badge"},
           {R"({"course_weeks_per_badge": {"course-geo": 60}})",
            "pace.course_weeks_per_badge.course-geo"},
           {R"({"course_weeks_per_badge": [8]})", "pace.course_weeks_per_badge"},
           {R"({"course_weeks_per_badge": {"": 8}})", "pace.course_weeks_per_badge"}}) {
    auto result = ParsePaceSettings(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_NE(result.status().ToString().find(field), std::string::npos)
        << result.status().ToString();
  }
}

TEST(PaceSettingsTest, ParsesStrictly) {
  EXPECT_EQ(ParsePaceSettings("{}")->not_progressing_weeks, 4);
  EXPECT_EQ(ParsePaceSettings(R"({"not_progressing_weeks": 6})")->not_progressing_weeks, 6);
  for (const char* bad : {R"({"not_progressing_weeks": 0})", R"({"not_progressing_weeks": 53})",
                          R"({"not_progressing_weeks": "4"})", R"({"not_progressing_weeks": 2.5})",
                          R"({"weeks": 4})", "[]", "{"}) {
    auto parsed = ParsePaceSettings(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().ToString().find("pace"), std::string::npos) << bad;
  }
  PaceSettings nine;
  nine.not_progressing_weeks = 9;
  EXPECT_EQ(*ParsePaceSettings(PaceSettingsToJson(nine)), nine);
}

}  // namespace
}  // namespace cairn
