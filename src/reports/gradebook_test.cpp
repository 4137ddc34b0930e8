#include "reports/gradebook.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "interop/oneroster/csv_table.h"
#include "reports/oneroster_gradebook.h"
#include "service/cairn_service.h"
#include "store/sqlite_store.h"
#include "testing/test_catalog.h"
#include "testing/unzip.h"

namespace cairn {
namespace {

// A section (badges B1 and B2 of the test catalog) with two students and a
// teacher, a grading period "gp-1" (September and October 2026), and a
// clock the test moves.
class GradebookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    now_ = *ParseInstant("2026-09-20T12:00:00Z");
    auto store = SqliteStore::Open(":memory:");
    ASSERT_TRUE(store.ok());
    auto service = CairnService::Open(std::move(store).value(), [this] { return now_; });
    ASSERT_TRUE(service.ok());
    service_ = std::move(service).value();
    ASSERT_TRUE(service_->LoadCatalog(testing::TestCatalogJson().dump(), "test.json").ok());
    Store& s = service_->store();
    Id district = *s.InsertDistrict({0, "d", "District"});
    Id school = *s.InsertSchool({0, "school-1", district, "Riverbend High"});
    Id course = *s.InsertCourse({0, "course-1", district, "Algebra I"});
    Section section;
    section.sourced_id = "sec-1";
    section.school_id = school;
    section.course_id = course;
    section.title = "Algebra I - P2";
    section.badges = {"B1", "B2"};
    Id section_id = *s.InsertSection(section);
    for (const auto& [id, role, given, family] :
         std::vector<std::tuple<std::string, PersonRole, std::string, std::string>>{
             {"stu-1", PersonRole::kStudent, "Ava", "Lopez"},
             {"stu-2", PersonRole::kStudent, "=HYPERLINK(\"x\")", "Zed"},
             {"tch-1", PersonRole::kTeacher, "Kim", "Rivera"}}) {
      Person p;
      p.sourced_id = id;
      p.role = role;
      p.given_name = given;
      p.family_name = family;
      p.district_id = district;
      p.school_id = school;
      Id pid = *s.InsertPerson(p);
      ASSERT_TRUE(s.InsertEnrollment({section_id, pid, role == PersonRole::kTeacher}).ok());
    }
  }

  Roster LoadRoster() {
    Roster roster = *service_->store().LoadRoster();
    roster.academic_sessions.push_back(
        {0, "gp-1", "Quarter 1", "gradingPeriod", "2026-09-01", "2026-10-31", "", "2027"});
    return roster;
  }

  FactId Rate(const std::string& student, const std::string& cpe, const std::string& level,
              const std::string& kind = "summative") {
    RatingInput input;
    input.student = student;
    input.cpe_id = cpe;
    input.level_id = level;
    input.demonstrated_on = FormatDate(DayOf(now_));
    input.recorded_by = "tch-1";
    input.kind = kind;
    auto outcome = service_->RecordRating(input);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    return outcome.ok() ? outcome->fact_id : 0;
  }

  // stu-1 meets B1's rule and a teacher confirms the award.
  void EarnB1() {
    Rate("stu-1", "B1.1", "proficient");
    Rate("stu-1", "B1.2", "advanced");
    Rate("stu-1", "B1.3", "proficient", "performance_task");
    auto award = service_->Award("stu-1", "B1", AwardAction::kConfirmed, "tch-1", "");
    ASSERT_TRUE(award.ok()) << award.status().ToString();
  }

  Result<Gradebook> Export(const std::string& as_of) {
    GradebookRequest request;
    request.section = "sec-1";
    request.period = "gp-1";
    request.as_of = as_of;
    Roster roster = LoadRoster();
    return LoadGradebook(service_->store(), service_->catalog(), roster, request, now_);
  }

  // Everything the export would send: the plain CSV and the OneRoster set.
  std::string Rendered(const Gradebook& gradebook) {
    std::ostringstream out;
    WriteGradebookCsv(out, gradebook);
    for (const ExportFile& file : OneRosterGradebookFiles(gradebook)) {
      out << "--- " << file.name << "\n" << file.bytes;
    }
    return out.str();
  }

  const GradebookEntry& Entry(const Gradebook& gradebook, const std::string& student,
                              const std::string& badge) {
    for (const GradebookEntry& entry : gradebook.entries) {
      if (entry.student_sourced_id == student && entry.badge_code == badge) return entry;
    }
    ADD_FAILURE() << "no entry for " << student << " " << badge;
    static const GradebookEntry kNone;
    return kNone;
  }

  Instant now_ = 0;
  std::unique_ptr<CairnService> service_;
};

TEST_F(GradebookTest, OneEntryPerStudentAndBadgeOfTheSection) {
  EarnB1();
  auto gradebook = Export("");
  ASSERT_TRUE(gradebook.ok()) << gradebook.status().ToString();
  ASSERT_EQ(gradebook->entries.size(), 4u);                      // 2 students x 2 badges
  EXPECT_EQ(gradebook->entries[0].student_sourced_id, "stu-1");  // Lopez before Zed
  EXPECT_EQ(gradebook->period.sourced_id, "gp-1");
  EXPECT_EQ(gradebook->as_of, now_);  // the period has not ended: as of now
  const GradebookEntry& earned = Entry(*gradebook, "stu-1", "B1");
  EXPECT_EQ(earned.outcome, GradebookOutcome::kPass);
  EXPECT_EQ(earned.outcome_label, "Pass");
  EXPECT_EQ(earned.passed_on, DayOf(now_));
  EXPECT_TRUE(earned.remaining.empty());
  const GradebookEntry& other = Entry(*gradebook, "stu-2", "B1");
  EXPECT_EQ(other.outcome, GradebookOutcome::kNotYet);
  EXPECT_EQ(other.outcome_label, "Not yet");
  EXPECT_FALSE(other.has_evidence);
  EXPECT_FALSE(other.remaining.empty());
}

// The point of "as of": what was recorded later (ratings, the award that
// followed them) does not change a period's export.
TEST_F(GradebookTest, RatingsAndAwardsRecordedAfterAsOfDoNotChangeTheExport) {
  Rate("stu-1", "B1.1", "emerging");
  const std::string as_of = "2026-09-20T12:00:00Z";
  auto before = Export(as_of);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(Entry(*before, "stu-1", "B1").cpes_met, 0);

  now_ += 3600;  // an hour later: B1 is met and confirmed
  EarnB1();
  auto again = Export(as_of);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(Rendered(*again), Rendered(*before));
  EXPECT_EQ(Entry(*again, "stu-1", "B1").outcome, GradebookOutcome::kNotYet);

  auto later = Export(FormatInstant(now_));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(Entry(*later, "stu-1", "B1").outcome, GradebookOutcome::kPass);
  EXPECT_NE(Rendered(*later), Rendered(*before));
}

TEST_F(GradebookTest, VoidRecordedAfterAsOfIsIgnored) {
  const FactId rating = Rate("stu-1", "B1.1", "proficient");
  const std::string as_of = FormatInstant(now_);
  auto before = Export(as_of);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(Entry(*before, "stu-1", "B1").cpes_met, 1);
  EXPECT_TRUE(Entry(*before, "stu-1", "B1").has_evidence);

  now_ += 60;
  ASSERT_TRUE(service_->Void(rating, "entered for the wrong student", "tch-1").ok());
  auto again = Export(as_of);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Rendered(*again), Rendered(*before));

  auto after = Export(FormatInstant(now_));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(Entry(*after, "stu-1", "B1").cpes_met, 0);
  EXPECT_FALSE(Entry(*after, "stu-1", "B1").has_evidence);
}

TEST_F(GradebookTest, AsOfADateMeansTheEndOfThatDay) {
  auto gradebook = Export("2026-09-05");
  ASSERT_TRUE(gradebook.ok()) << gradebook.status().ToString();
  EXPECT_EQ(gradebook->as_of, *ParseInstant("2026-09-05T23:59:59Z"));
  // The period ended: its end, whatever the day of the export.
  now_ = *ParseInstant("2026-12-01T08:00:00Z");
  auto ended = Export("");
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended->as_of, *ParseInstant("2026-10-31T23:59:59Z"));
}

TEST_F(GradebookTest, LabelsAndGradeMapAreApplied) {
  auto saved = SaveGradebookSettings(service_->store(), R"({
      "pass_label": "Earned", "not_yet_label": "Keep going",
      "grade_map": [
        {"outcome": "pass", "letter": "A", "points": 100},
        {"outcome": "not_yet", "min_level": "proficient", "min_cpes_met": 2,
         "letter": "B", "points": 85},
        {"outcome": "not_yet", "min_level": "emerging", "letter": "C", "points": 75.5},
        {"outcome": "not_yet", "letter": "I", "points": 50}]})",
                                     &service_->catalog());
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EarnB1();
  // stu-2: every CPE of B1 at emerging or above, none counting: C.
  Rate("stu-2", "B1.1", "emerging");
  Rate("stu-2", "B1.2", "emerging");
  Rate("stu-2", "B1.3", "advanced");
  auto gradebook = Export("");
  ASSERT_TRUE(gradebook.ok()) << gradebook.status().ToString();

  const GradebookEntry& a = Entry(*gradebook, "stu-1", "B1");
  EXPECT_EQ(a.outcome_label, "Earned");
  EXPECT_EQ(a.letter, "A");
  EXPECT_EQ(a.points, 100);
  const GradebookEntry& c = Entry(*gradebook, "stu-2", "B1");
  EXPECT_EQ(c.outcome_label, "Keep going");
  EXPECT_EQ(c.letter, "C");
  EXPECT_EQ(c.points, 75.5);
  // No evidence on B2: only the last rule applies.
  EXPECT_EQ(Entry(*gradebook, "stu-2", "B2").letter, "I");

  std::ostringstream csv;
  WriteGradebookCsv(csv, *gradebook);
  EXPECT_NE(csv.str().find("Ava Lopez,stu-1,B1,Earned,A,100,"), std::string::npos) << csv.str();
  EXPECT_NE(csv.str().find(",stu-2,B1,Keep going,C,75.5,"), std::string::npos) << csv.str();
}

TEST_F(GradebookTest, ASpreadsheetFormulaInANameIsNeutralised) {
  auto gradebook = Export("");
  ASSERT_TRUE(gradebook.ok());
  std::ostringstream csv;
  WriteGradebookCsv(csv, *gradebook);
  EXPECT_NE(csv.str().find("\r\n\"'=HYPERLINK(\"\"x\"\") Zed\",stu-2,"), std::string::npos)
      << csv.str();
  EXPECT_EQ(csv.str().find("\r\n=HYPERLINK"), std::string::npos);
  EXPECT_EQ(csv.str().find("\r\n\"=HYPERLINK"), std::string::npos);
}

TEST_F(GradebookTest, RequestErrorsNameTheirField) {
  struct Case {
    GradebookRequest request;
    StatusCode code;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{"no-such", "gp-1", "", "", ""}, StatusCode::kNotFound, "section"},
      {{"sec-1", "gp-9", "", "", ""}, StatusCode::kNotFound, "period"},
      {{"sec-1", "", "", "", ""}, StatusCode::kInvalidArgument, "period"},
      {{"sec-1", "gp-1", "2026-09-01", "2026-10-01", ""}, StatusCode::kInvalidArgument, "period"},
      {{"sec-1", "", "2026-09-01", "", ""}, StatusCode::kInvalidArgument, "to"},
      {{"sec-1", "", "2026-02-30", "2026-10-01", ""}, StatusCode::kInvalidArgument, "from"},
      {{"sec-1", "", "2026-10-01", "2026-09-01", ""}, StatusCode::kInvalidArgument, "to"},
      {{"sec-1", "gp-1", "", "", "2026-09-21"}, StatusCode::kInvalidArgument, "as_of"},
      {{"sec-1", "gp-1", "", "", "2026-09-20T12:00:01Z"}, StatusCode::kInvalidArgument, "as_of"},
      {{"sec-1", "gp-1", "", "", "2026-08-31"}, StatusCode::kInvalidArgument, "as_of"},
      {{"sec-1", "gp-1", "", "", "yesterday"}, StatusCode::kInvalidArgument, "as_of"},
  };
  Roster roster = LoadRoster();
  for (const Case& c : cases) {
    auto resolved = ResolveGradebookRequest(roster, c.request, now_);
    ASSERT_FALSE(resolved.ok()) << c.field;
    EXPECT_EQ(resolved.status().code(), c.code) << resolved.status().ToString();
    ASSERT_EQ(resolved.status().fields().size(), 1u) << resolved.status().ToString();
    EXPECT_EQ(resolved.status().fields()[0].field, c.field) << resolved.status().ToString();
  }
}

TEST_F(GradebookTest, ExplicitDatesMakeAStablePeriod) {
  GradebookRequest request{"sec-1", "", "2026-09-01", "2026-09-15", ""};
  auto resolved = ResolveGradebookRequest(LoadRoster(), request, now_);
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->period.sourced_id, "cairn-period-2026-09-01-2026-09-15");
  EXPECT_EQ(resolved->period.start, *ParseDate("2026-09-01"));
  EXPECT_EQ(resolved->as_of, *ParseInstant("2026-09-15T23:59:59Z"));
}

// An invalid setting is refused with every problem named by its field, and
// the stored setting stays as it was.
TEST_F(GradebookTest, InvalidGradeMapIsRefusedNamingTheField) {
  const std::string good =
      R"({"grade_map": [{"outcome": "pass", "letter": "P"}, {"outcome": "not_yet", "letter": "N"}]})";
  ASSERT_TRUE(SaveGradebookSettings(service_->store(), good, &service_->catalog()).ok());
  const GradebookSettings stored = *LoadGradebookSettings(service_->store());

  struct Case {
    std::string json;
    std::string field;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {R"({"grade_map": [{"outcome": "fail", "letter": "F"}]})", "gradebook.grade_map[0].outcome",
       "expected \"pass\" or \"not_yet\""},
      {R"({"grade_map": [{"outcome": "pass", "letter": "A"},
          {"outcome": "not_yet", "min_level": "superb", "letter": "B"},
          {"outcome": "not_yet", "letter": "C"}]})",
       "gradebook.grade_map[1].min_level", "not a level of any scale"},
      {R"({"grade_map": [{"outcome": "pass", "letter": "A"},
          {"outcome": "not_yet", "min_level": "emerging", "letter": "C"}]})",
       "gradebook.grade_map", "no rule grades every 'not_yet'"},
      {R"({"grade_map": [{"outcome": "pass", "letter": "A"}, {"outcome": "not_yet", "letter": "I"},
          {"outcome": "not_yet", "min_level": "emerging", "letter": "C"}]})",
       "gradebook.grade_map[2]", "never applies"},
      {R"({"grade_map": [{"outcome": "pass", "letter": "A", "points": 100},
          {"outcome": "not_yet", "letter": "I"}]})",
       "gradebook.grade_map[1]", "like grade_map[0]"},
      {R"({"grade_map": [{"outcome": "pass", "points": 101}, {"outcome": "not_yet", "points": 0}]})",
       "gradebook.grade_map[0].points", ""},
      {R"({"grade_map": [{"outcome": "pass"}, {"outcome": "not_yet", "letter": "I"}]})",
       "gradebook.grade_map[0]", "gives no grade"},
      {R"({"grade_map": [{"outcome": "pass", "letter": "TOO LONG!"}, {"outcome": "not_yet", "letter": "I"}]})",
       "gradebook.grade_map[0].letter", "longer than 8"},
      {R"({"pass_label": ""})", "gradebook.pass_label", "must not be empty"},
      {R"({"pass_label": "Same", "not_yet_label": "Same"})", "gradebook.not_yet_label", "differ"},
      {R"({"not_yet_label": "two\nlines"})", "gradebook.not_yet_label", "control characters"},
      {R"({"grade_map": [{"outcome": "pass", "letter": "A", "min_cpe": 2}]})",
       "gradebook.grade_map[0].min_cpe", ""},
      {R"({"grade_map": [{"outcome": "pass", "letter": "A", "min_cpes_met": 1.5}]})",
       "gradebook.grade_map[0].min_cpes_met", ""},
      {R"([1, 2])", "gradebook", "expected a JSON object"},
  };
  for (const Case& c : cases) {
    auto saved = SaveGradebookSettings(service_->store(), c.json, &service_->catalog());
    ASSERT_FALSE(saved.ok()) << c.json;
    EXPECT_EQ(saved.status().code(), StatusCode::kInvalidArgument);
    bool named = false;
    for (const FieldError& error : saved.status().fields()) {
      if (error.field == c.field && error.message.find(c.message_part) != std::string::npos) {
        named = true;
      }
    }
    EXPECT_TRUE(named) << c.json << "\n" << saved.status().ToString();
    EXPECT_EQ(*LoadGradebookSettings(service_->store()), stored) << c.json;
  }
}

TEST_F(GradebookTest, SettingsRoundTripThroughTheirJson) {
  auto parsed = ParseGradebookSettings(R"({"pass_label": "Yes", "points_max": 4,
      "grade_map": [{"outcome": "pass", "points": 4},
                    {"outcome": "not_yet", "min_cpes_met": 1, "points": 2},
                    {"outcome": "not_yet", "points": 1}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->points_max, 4);
  EXPECT_TRUE(parsed->HasPoints());
  EXPECT_FALSE(parsed->HasLetters());
  auto again = ParseGradebookSettings(GradebookSettingsToJson(*parsed));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *parsed);
  // No setting stored: the defaults.
  EXPECT_EQ(*LoadGradebookSettings(service_->store()), GradebookSettings{});
}

// The OneRoster 1.2 CSV binding's columns for the gradebook files, in its
// order (1EdTech OneRoster v1.2 CSV binding, lineItems, results, categories).
const std::vector<std::string> kSpecLineItems = {"sourcedId",         "status",
                                                 "dateLastModified",  "title",
                                                 "description",       "assignDate",
                                                 "dueDate",           "classSourcedId",
                                                 "categorySourcedId", "academicSessionSourcedId",
                                                 "resultValueMin",    "resultValueMax",
                                                 "schoolSourcedId"};
const std::vector<std::string> kSpecResults = {"sourcedId",
                                               "status",
                                               "dateLastModified",
                                               "lineItemSourcedId",
                                               "studentSourcedId",
                                               "scoreStatus",
                                               "score",
                                               "scoreDate",
                                               "comment",
                                               "textScore",
                                               "classSourcedId",
                                               "inProgress",
                                               "incomplete",
                                               "late",
                                               "missing"};
const std::vector<std::string> kSpecCategories = {"sourcedId", "status", "dateLastModified",
                                                  "title", "weight"};

oneroster::CsvTable Parse(const std::string& text, const std::string& file) {
  std::vector<oneroster::ImportProblem> problems;
  oneroster::CsvTable table = oneroster::CsvTable::Parse(text, file, problems);
  for (const auto& problem : problems) ADD_FAILURE() << oneroster::FormatProblem(problem);
  return table;
}

TEST_F(GradebookTest, OneRosterZipParsesBackWithTheSpecColumns) {
  EarnB1();
  Rate("stu-2", "B1.1", "emerging");
  auto gradebook = Export("");
  ASSERT_TRUE(gradebook.ok());
  auto zip = ZipFiles(OneRosterGradebookFiles(*gradebook), gradebook->as_of);
  ASSERT_TRUE(zip.ok()) << zip.status().ToString();
  auto files = testing::Unzip(*zip);
  ASSERT_EQ(files.size(), 4u);

  auto manifest = Parse(files["manifest.csv"], "manifest.csv");
  std::map<std::string, std::string> properties;
  for (const auto& record : manifest.records()) {
    properties[std::string(manifest.Field(record, "propertyName"))] =
        std::string(manifest.Field(record, "value"));
  }
  EXPECT_EQ(properties["oneroster.version"], "1.2");
  EXPECT_EQ(properties["file.lineItems"], "delta");
  EXPECT_EQ(properties["file.results"], "delta");
  EXPECT_EQ(properties["file.categories"], "delta");
  EXPECT_EQ(properties["file.users"], "absent");

  auto categories = Parse(files["categories.csv"], "categories.csv");
  EXPECT_EQ(categories.header(), kSpecCategories);
  ASSERT_EQ(categories.records().size(), 1u);
  const std::string category(categories.Field(categories.records()[0], "sourcedId"));

  auto line_items = Parse(files["lineItems.csv"], "lineItems.csv");
  EXPECT_EQ(line_items.header(), kSpecLineItems);
  ASSERT_EQ(line_items.records().size(), 2u);   // B1, B2
  std::map<std::string, std::string> badge_of;  // line item sourcedId -> title
  for (const auto& record : line_items.records()) {
    badge_of[std::string(line_items.Field(record, "sourcedId"))] =
        std::string(line_items.Field(record, "title"));
    EXPECT_EQ(line_items.Field(record, "classSourcedId"), "sec-1");
    EXPECT_EQ(line_items.Field(record, "categorySourcedId"), category);
    EXPECT_EQ(line_items.Field(record, "academicSessionSourcedId"), "gp-1");
    EXPECT_EQ(line_items.Field(record, "schoolSourcedId"), "school-1");
    EXPECT_EQ(line_items.Field(record, "assignDate"), "2026-09-01T00:00:00.000Z");
    EXPECT_EQ(line_items.Field(record, "dueDate"), "2026-10-31T23:59:59.000Z");
    EXPECT_EQ(line_items.Field(record, "status"), "active");
  }

  auto results = Parse(files["results.csv"], "results.csv");
  EXPECT_EQ(results.header(), kSpecResults);
  ASSERT_EQ(results.records().size(), 4u);
  std::set<std::string> ids;
  std::map<std::string, std::string> status_of;  // "student title" -> scoreStatus/score/textScore
  for (const auto& record : results.records()) {
    ids.insert(std::string(results.Field(record, "sourcedId")));
    const std::string line_item(results.Field(record, "lineItemSourcedId"));
    ASSERT_TRUE(badge_of.count(line_item)) << line_item;
    EXPECT_EQ(results.Field(record, "scoreDate"), FormatDate(DayOf(gradebook->as_of)));
    status_of[std::string(results.Field(record, "studentSourcedId")) + " " +
              badge_of[line_item].substr(0, 2)] =
        std::string(results.Field(record, "scoreStatus")) + "/" +
        std::string(results.Field(record, "score")) + "/" +
        std::string(results.Field(record, "textScore"));
  }
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(status_of["stu-1 B1"], "fully graded/1/Pass");
  EXPECT_EQ(status_of["stu-2 B1"], "fully graded/0/Not yet");
  EXPECT_EQ(status_of["stu-2 B2"], "not submitted//Not yet");  // no evidence is not a zero
}

TEST_F(GradebookTest, SourcedIdsAreStableAndDifferPerPeriod) {
  auto first = Export("2026-09-10");
  auto second = Export("2026-09-10");
  ASSERT_TRUE(first.ok() && second.ok());
  const auto a = OneRosterGradebookFiles(*first);
  const auto b = OneRosterGradebookFiles(*second);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].bytes, b[i].bytes) << a[i].name;

  GradebookRequest request{"sec-1", "", "2026-11-01", "2026-12-31", ""};
  now_ = *ParseInstant("2027-01-05T00:00:00Z");
  Roster roster = LoadRoster();
  auto other = LoadGradebook(service_->store(), service_->catalog(), roster, request, now_);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto line_items = [](const std::vector<ExportFile>& files) {
    return Parse(files[2].bytes, "lineItems.csv").records()[0].fields[0];
  };
  EXPECT_NE(line_items(OneRosterGradebookFiles(*other)), line_items(a));
  EXPECT_TRUE(std::regex_match(line_items(a),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                          "[0-9a-f]{12}")))
      << line_items(a);
}

TEST_F(GradebookTest, PointsBecomeTheScoreAndLettersTheTextScore) {
  ASSERT_TRUE(SaveGradebookSettings(service_->store(), R"({"points_max": 4, "grade_map": [
      {"outcome": "pass", "letter": "M", "points": 4},
      {"outcome": "not_yet", "letter": "NY", "points": 1}]})",
                                    &service_->catalog())
                  .ok());
  auto gradebook = Export("");
  ASSERT_TRUE(gradebook.ok());
  const auto files = OneRosterGradebookFiles(*gradebook);
  auto line_items = Parse(files[2].bytes, "lineItems.csv");
  EXPECT_EQ(line_items.Field(line_items.records()[0], "resultValueMax"), "4");
  auto results = Parse(files[3].bytes, "results.csv");
  EXPECT_EQ(results.Field(results.records()[0], "score"), "1");
  EXPECT_EQ(results.Field(results.records()[0], "textScore"), "NY");
  EXPECT_EQ(results.Field(results.records()[0], "scoreStatus"), "not submitted");
}

}  // namespace
}  // namespace cairn
