#include "reports/equity_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cairn {
namespace {

constexpr DemographicField kGender = DemographicField::kGender;
constexpr DemographicField kLearner = DemographicField::kEnglishLearner;

// `n` students of one demographic profile, each on two badges, the first
// completed by `completing` of them.
void AddStudents(std::vector<TrackingRow>& rows, int n, const Demographics& who,
                 int completing = 0) {
  static int next = 0;
  for (int i = 0; i < n; ++i) {
    const std::string id = "s" + std::to_string(++next);
    for (const char* badge : {"M101", "M102"}) {
      TrackingRow row;
      row.student_id = id;
      row.badge = badge;
      row.completed = std::string(badge) == "M101" && i < completing;
      row.demographics = DemographicGroupsOf(who);
      rows.push_back(std::move(row));
    }
  }
}

Demographics Person(const std::string& gender, std::optional<bool> learner) {
  Demographics d;
  d.gender = gender;
  d.english_learner = learner;
  return d;
}

const EquityGroup* Find(const EquityReport& report, DemographicField field,
                        const std::string& key) {
  for (const EquityGroup& group : report.groups(field)) {
    if (group.key == key) return &group;
  }
  return nullptr;
}

TEST(DemographicGroupTest, BlanksAreUnknownAndYesOrNoFieldsSayYesOrNo) {
  Demographics d;
  d.gender = "female";
  d.english_learner = true;
  d.disability = false;
  EXPECT_EQ(DemographicGroupOf(d, kGender), "Female");
  EXPECT_EQ(DemographicGroupOf(d, DemographicField::kRaceEthnicity), "Unknown");
  EXPECT_EQ(DemographicGroupOf(d, kLearner), "Yes");
  EXPECT_EQ(DemographicGroupOf(d, DemographicField::kDisability), "No");
  EXPECT_EQ(DemographicGroupOf(d, DemographicField::kEconomicallyDisadvantaged), "Unknown");
  for (DemographicField field : kDemographicFields) {
    auto parsed = ParseDemographicField(DemographicFieldName(field));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, field);
  }
  auto bad = ParseDemographicField("zodiac");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().ToString().find("field"), std::string::npos);
}

TEST(EquityReportTest, CountsRatesAndGapsPerGroupWithUnknownLast) {
  std::vector<TrackingRow> rows;
  AddStudents(rows, 20, Person("female", false), 15);
  AddStudents(rows, 20, Person("male", true), 5);
  AddStudents(rows, 12, Person("", std::nullopt), 6);
  const EquityReport report = BuildEquityReport(rows);
  ASSERT_TRUE(report.overall_shown);
  EXPECT_EQ(report.students, 52);
  EXPECT_EQ(report.badge_enrolments, 104);
  EXPECT_EQ(report.completed, 26);

  const auto& genders = report.groups(kGender);
  ASSERT_EQ(genders.size(), 3u);
  EXPECT_EQ(genders[0].key, "Female");
  EXPECT_EQ(genders[1].key, "Male");
  EXPECT_EQ(genders[2].key, "Unknown");
  const EquityGroup& female = genders[0];
  EXPECT_FALSE(female.suppressed());
  EXPECT_EQ(female.students, 20);
  EXPECT_EQ(female.badge_enrolments, 40);
  EXPECT_EQ(female.completed, 15);
  EXPECT_EQ(female.not_yet, 25);
  EXPECT_DOUBLE_EQ(female.completion_rate, 15.0 / 40);
  EXPECT_DOUBLE_EQ(female.gap, 15.0 / 40 - 26.0 / 104);
  EXPECT_LT(genders[1].gap, 0);  // male: 5 of 40
  const EquityGroup* unknown = Find(report, kLearner, "Unknown");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->students, 12);
}

TEST(EquityReportTest, ASmallGroupIsHiddenAndSoIsAnotherSoTheTotalDoesNotGiveItAway) {
  std::vector<TrackingRow> rows;
  AddStudents(rows, 30, Person("female", false), 10);
  AddStudents(rows, 25, Person("male", false), 10);
  AddStudents(rows, 3, Person("nonbinary", false), 3);
  const EquityReport report = BuildEquityReport(rows);
  const EquityGroup* nonbinary = Find(report, kGender, "Nonbinary");
  ASSERT_NE(nonbinary, nullptr);
  EXPECT_EQ(nonbinary->suppression, CompletionSuppression::kTooSmall);
  EXPECT_EQ(nonbinary->students, 0);
  // Everyone minus the shown groups would give the three away: the smaller
  // of the others is hidden too, the larger shown.
  EXPECT_EQ(Find(report, kGender, "Male")->suppression, CompletionSuppression::kComplementary);
  EXPECT_FALSE(Find(report, kGender, "Female")->suppressed());
  // Another field over the same students is unaffected: everyone is "No".
  EXPECT_FALSE(Find(report, kLearner, "No")->suppressed());
}

TEST(EquityReportTest, DecisionsHoldAcrossFieldsSoCombiningThemRevealsNothing) {
  // Learner "Yes" is exactly the 4 nonbinary students: hidden as too small
  // under both fields. One set of decisions covers both fields, so asking
  // for one and then the other gives nothing away.
  std::vector<TrackingRow> rows;
  AddStudents(rows, 30, Person("female", false), 10);
  AddStudents(rows, 30, Person("male", false), 10);
  AddStudents(rows, 4, Person("nonbinary", true), 1);
  const EquityReport report = BuildEquityReport(rows);
  EXPECT_TRUE(Find(report, kGender, "Nonbinary")->suppressed());
  EXPECT_TRUE(Find(report, kLearner, "Yes")->suppressed());
  // "Learner: No" equals everyone minus the hidden four: it is hidden, or
  // the four could be worked out by subtracting it from the total.
  EXPECT_TRUE(Find(report, kLearner, "No")->suppressed());
  // And then "No" (female + male = 60) must not be derivable from the
  // shown gender groups: at least one of Female and Male is hidden too.
  EXPECT_TRUE(Find(report, kGender, "Female")->suppressed() ||
              Find(report, kGender, "Male")->suppressed());
}

TEST(EquityReportTest, FewerThanTheMinimumInAllShowsNothing) {
  std::vector<TrackingRow> rows;
  AddStudents(rows, 6, Person("female", false), 2);
  const EquityReport report = BuildEquityReport(rows);
  EXPECT_FALSE(report.overall_shown);
  EXPECT_EQ(report.students, 0);
  for (DemographicField field : kDemographicFields) {
    for (const EquityGroup& group : report.groups(field)) EXPECT_TRUE(group.suppressed());
  }
  const nlohmann::json json = EquityReportJson(report, kGender);
  EXPECT_TRUE(json["overall"].is_null());
}

TEST(EquityReportTest, JsonAndTableCarryTheShownFiguresOnly) {
  std::vector<TrackingRow> rows;
  AddStudents(rows, 30, Person("female", false), 10);
  AddStudents(rows, 25, Person("male", false), 10);
  AddStudents(rows, 3, Person("nonbinary", false), 3);
  const EquityReport report = BuildEquityReport(rows);
  const nlohmann::json json = EquityReportJson(report, kGender);
  EXPECT_EQ(json["field"], "gender");
  EXPECT_EQ(json["minimum_group_size"], 10);
  EXPECT_EQ(json["overall"]["students"], 58);
  for (const auto& group : json["groups"]) {
    EXPECT_EQ(group.contains("students"), !group["suppressed"].get<bool>()) << group.dump();
  }
  const auto table = EquityReportTable(report, kGender);
  ASSERT_EQ(table.size(), 5u);  // header, three groups, everyone
  EXPECT_EQ(table[0][0], "Gender");
  EXPECT_EQ(table[1][0], "Female");
  EXPECT_EQ(table[1][1], "30");
  EXPECT_EQ(table[3][0], "Nonbinary");
  EXPECT_EQ(table[3][1], "suppressed");
  EXPECT_EQ(table[4][0], "Everyone");
}

TEST(EquityReportTest, NotProgressingIsBrokenDownByGroupAndHiddenWithIt) {
  std::vector<TrackingRow> rows;
  AddStudents(rows, 20, Person("female", false), 10);
  AddStudents(rows, 20, Person("male", false), 10);
  AddStudents(rows, 4, Person("nonbinary", false), 0);
  // Stalled: 4 of the women's 40 badges, 12 of the men's, all the small group's.
  int female = 0, male = 0;
  for (TrackingRow& row : rows) {
    if (row.completed) continue;
    int& stalled = row.demographics[0] == "Female" ? female : male;
    const int wanted = row.demographics[0] == "Female" ? 4 : 12;
    if (row.demographics[0] == "Nonbinary") {
      row.not_progressing = true;
    } else if (stalled < wanted) {
      row.not_progressing = true;
      ++stalled;
    }
  }
  const EquityReport report = BuildEquityReport(rows);
  EXPECT_EQ(report.not_progressing, 4 + 12 + 8);
  EXPECT_DOUBLE_EQ(report.not_progressing_rate, 24.0 / 88);
  const EquityGroup* women = Find(report, kGender, "Female");
  const EquityGroup* men = Find(report, kGender, "Male");
  const EquityGroup* small = Find(report, kGender, "Nonbinary");
  ASSERT_TRUE(women && men && small);
  EXPECT_TRUE(small->suppressed());
  EXPECT_EQ(small->not_progressing, 0);  // hidden with its group
  // With one group hidden, another is hidden too, or the total would give it away.
  EXPECT_TRUE(women->suppressed() || men->suppressed());
  // Learners are one shown group of everyone: their figures are everyone's.
  const EquityGroup* no = Find(report, kLearner, "No");
  ASSERT_NE(no, nullptr);
  ASSERT_FALSE(no->suppressed());
  EXPECT_EQ(no->not_progressing, 24);
  EXPECT_DOUBLE_EQ(no->not_progressing_gap, 0);
  const nlohmann::json json = EquityReportJson(report, kLearner);
  EXPECT_EQ(json["overall"]["not_progressing"], 24);
  EXPECT_EQ(json["groups"][0]["not_progressing"], 24);
  const nlohmann::json genders = EquityReportJson(report, kGender);  // kept: the loop reads into it
  for (const auto& group : genders["groups"]) {
    EXPECT_EQ(group.contains("not_progressing"), !group["suppressed"].get<bool>());
  }
  const auto table = EquityReportTable(report, kLearner);
  EXPECT_EQ(table[0][7], "Not progressing");
  EXPECT_EQ(table[1][7], "24");
}

}  // namespace
}  // namespace cairn
