// The import plan, pure: references across files and to the stored roster,
// role mapping (1.1 and 1.2), guardians from agentSourcedIds, bulk and delta.
#include "interop/oneroster/roster_import.h"

#include <gtest/gtest.h>

#include "interop/oneroster/test_support.h"

namespace cairn::oneroster {
namespace {

using testing::Files;
using testing::Formatted;
using testing::LoadFixture;
using testing::ReplaceLine;

PlannedImport Plan(const Files& files, const Roster& roster = {}) {
  ReadReport report;
  OneRosterSet set = ReadOneRosterFiles(files, report);
  EXPECT_TRUE(report.problems.empty()) << Formatted(report.problems)[0];
  Roster indexed = roster;
  indexed.Index();
  return PlanRosterImport(indexed, set);
}

const RosterChangeSet::PersonRow* FindPerson(const RosterChangeSet& changes,
                                             const std::string& sid) {
  for (const auto& row : changes.people) {
    if (row.sourced_id == sid) return &row;
  }
  return nullptr;
}

TEST(RosterImportTest, PlansTheWholeV11SetOnAnEmptyRoster) {
  PlannedImport planned = Plan(LoadFixture("handmade/v1p1"));
  ASSERT_TRUE(planned.ok()) << Formatted(planned.problems)[0];
  const RosterImportPlan& plan = planned.plan;
  EXPECT_EQ(plan.districts, (EntityCounts{1, 0, 0}));
  EXPECT_EQ(plan.schools, (EntityCounts{2, 0, 0}));
  EXPECT_EQ(plan.courses, (EntityCounts{2, 0, 0}));
  EXPECT_EQ(plan.academic_sessions, (EntityCounts{3, 0, 0}));
  EXPECT_EQ(plan.sections, (EntityCounts{3, 0, 0}));
  EXPECT_EQ(plan.people, (EntityCounts{10, 0, 0}));
  EXPECT_EQ(plan.enrollments, (EntityCounts{8, 0, 0}));
  EXPECT_EQ(plan.guardian_links, (EntityCounts{3, 0, 0}));
  EXPECT_EQ(plan.orgs_not_kept, 1);  // the department
  EXPECT_TRUE(plan.warnings.empty());

  const RosterChangeSet& c = plan.changes;
  EXPECT_EQ(c.sections[1].term, "Fall 2025");  // the first of "t1,t2"
  EXPECT_EQ(c.sections[1].term_sourced_id, "t1");
  EXPECT_EQ(c.courses[0].district, "d1");
  EXPECT_EQ(c.courses[1].district, "d1");  // a school's course: its district
  const auto* sam = FindPerson(c, "u-s1");
  ASSERT_NE(sam, nullptr);
  EXPECT_EQ(sam->school, "s1");
  EXPECT_EQ(sam->demographics.grade, "09");
  EXPECT_EQ(sam->demographics.gender, "female");
  EXPECT_EQ(sam->demographics.race_ethnicity, "White");
  EXPECT_EQ(FindPerson(c, "u-s2")->demographics.race_ethnicity, "Two or more races");
  EXPECT_EQ(FindPerson(c, "u-s3")->demographics.race_ethnicity, "Hispanic or Latino");
  EXPECT_EQ(FindPerson(c, "u-s4")->demographics.race_ethnicity, "");  // not reported
  EXPECT_EQ(FindPerson(c, "u-t2")->school, "s1");                     // the department is skipped
  EXPECT_EQ(
      c.guardian_links,
      (std::vector<RosterChangeSet::GuardianLinkRow>{
          {"u-g1", "u-s1", "parent"}, {"u-g1", "u-s2", "parent"}, {"u-g2", "u-s3", "guardian"}}));
}

TEST(RosterImportTest, RolesIn11AndIn12MapTheSame) {
  PlannedImport v11 = Plan(LoadFixture("handmade/v1p1"));
  PlannedImport v12 = Plan(LoadFixture("handmade/v1p2"));
  ASSERT_TRUE(v11.ok());
  ASSERT_TRUE(v12.ok()) << Formatted(v12.problems)[0];
  const std::vector<std::pair<std::string, PersonRole>> expected{
      {"u-t1", PersonRole::kTeacher},      {"u-t2", PersonRole::kTeacher},
      {"u-p1", PersonRole::kSchoolLeader}, {"u-da", PersonRole::kDistrictLeader},
      {"u-s1", PersonRole::kStudent},      {"u-g1", PersonRole::kGuardian},
      {"u-g2", PersonRole::kGuardian}};
  for (const auto& [sid, role] : expected) {
    for (const PlannedImport* planned : {&v11, &v12}) {
      const auto* person = FindPerson(planned->plan.changes, sid);
      ASSERT_NE(person, nullptr) << sid;
      EXPECT_EQ(person->role, role) << sid;
    }
  }
  // 1.2: the primary role wins over a secondary one at another school.
  EXPECT_EQ(FindPerson(v12.plan.changes, "u-t2")->school, "s1");
  EXPECT_EQ(FindPerson(v12.plan.changes, "u-da")->school, "");
  EXPECT_EQ(FindPerson(v12.plan.changes, "u-da")->district, "d1");
  EXPECT_EQ(v12.plan.guardian_links.added, 3);
}

TEST(RosterImportTest, AUserWithoutARoleIn12IsAProblem) {
  Files files = LoadFixture("handmade/v1p2");
  files["roles.csv"] = ReplaceLine(files["roles.csv"], 2, "");
  files["roles.csv"] += "r-x,,,u-nobody,primary,student,,,s1,\n";  // line 13
  PlannedImport planned = Plan(files);
  EXPECT_EQ(Formatted(planned.problems),
            (std::vector<std::string>{
                "roles.csv:13:userSourcedId: 'u-nobody' names no user in users.csv or the roster",
                "users.csv:2:sourcedId: user 'u-t1' has no role in roles.csv"}));
}

TEST(RosterImportTest, ReferencesMustResolveAndEveryProblemIsListed) {
  Files files = LoadFixture("handmade/v1p1");
  files["enrollments.csv"] += "e-9,,,k-missing,s1,u-s1,student,false,,\n";  // line 10
  files["enrollments.csv"] += "e-10,,,k-geo-p3,s1,u-ghost,student,false,,\n";
  files["enrollments.csv"] += "e-11,,,k-geo-p3,s2,u-s4,student,false,,\n";
  files["enrollments.csv"] += "e-12,,,k-alg1-p1,s1,u-s1,student,false,,\n";
  files["classes.csv"] += "k-x,,,X,,c-none,,scheduled,,dep1,t9,,,\n";      // line 5
  files["orgs.csv"] += "s3,,,Lost School,school,,nowhere\n";               // line 6
  files["users.csv"] += "u-s5,,,TRUE,s9,student,x,,X,Y,,,,,,u-ghost,,\n";  // line 12
  files["courses.csv"] += "c-x,,,y1999,X,,,s1,,\n";                        // line 4
  PlannedImport planned = Plan(files);
  EXPECT_EQ(Formatted(planned.problems),
            (std::vector<std::string>{
                "orgs.csv:6:parentSourcedId: 'nowhere' names no org in orgs.csv or the roster",
                "courses.csv:4:schoolYearSourcedId: 'y1999' names no session in "
                "academicSessions.csv or the roster",
                "classes.csv:5:courseSourcedId: 'c-none' names no course in courses.csv or the "
                "roster",
                "classes.csv:5:schoolSourcedId: 'dep1' is a department, not a school",
                "classes.csv:5:termSourcedIds: 't9' names no session in academicSessions.csv or "
                "the roster",
                "users.csv:12:orgSourcedIds: 's9' names no org in orgs.csv or the roster",
                "enrollments.csv:10:classSourcedId: 'k-missing' names no class in classes.csv or "
                "the roster",
                "enrollments.csv:11:userSourcedId: 'u-ghost' names no user in users.csv or the "
                "roster",
                "enrollments.csv:12:schoolSourcedId: 's2' is not the school of class 'k-geo-p3' "
                "('s1')",
                "enrollments.csv:13:userSourcedId: 'u-s1' is already enrolled in 'k-alg1-p1' on "
                "line 3"}));
  EXPECT_TRUE(planned.plan.empty());  // nothing to apply
}

TEST(RosterImportTest, AClassAlreadyInTheRosterResolves) {
  Roster roster;
  roster.districts.push_back({1, "d1", "Maple District"});
  roster.schools.push_back({1, "s1", 1, "Maple High"});
  roster.courses.push_back({1, "c-old", 1, "Old Course"});
  roster.sections.push_back({1, "k-old", 1, 1, "Old Section", "", {}, ""});
  roster.people.push_back({});
  Person& stored = roster.people.back();
  stored.id = 1, stored.sourced_id = "u-old", stored.given_name = "Old";
  stored.family_name = "Timer", stored.district_id = 1;
  Files files;
  files["manifest.csv"] = "propertyName,value\noneroster.version,1.1\nfile.enrollments,delta\n";
  files["enrollments.csv"] =
      "sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role\n"
      "e-1,k-old,s1,u-old,student\n"
      "e-2,k-gone,s1,u-old,student\n";
  PlannedImport planned = Plan(files, roster);
  EXPECT_EQ(Formatted(planned.problems),
            (std::vector<std::string>{"enrollments.csv:3:classSourcedId: 'k-gone' names no class "
                                      "in classes.csv or the roster"}));
  files["enrollments.csv"] = ReplaceLine(files["enrollments.csv"], 3, "");
  planned = Plan(files, roster);
  ASSERT_TRUE(planned.ok());
  EXPECT_EQ(planned.plan.enrollments, (EntityCounts{1, 0, 0}));
  EXPECT_EQ(planned.plan.people, (EntityCounts{}));  // a delta leaves the others alone
}

TEST(RosterImportTest, ActiveRecordsMayNotNameWhatTheImportDeletes) {
  Files files = LoadFixture("handmade/v1p1");
  files["classes.csv"] =
      ReplaceLine(files["classes.csv"], 4, "k-geo-p3,tobedeleted,2026-01-01,,,,,,,,,,,");
  PlannedImport planned = Plan(files);
  EXPECT_EQ(Formatted(planned.problems),
            (std::vector<std::string>{
                "enrollments.csv:7:classSourcedId: 'k-geo-p3' is a class this import deletes",
                "enrollments.csv:8:classSourcedId: 'k-geo-p3' is a class this import deletes",
                "enrollments.csv:9:classSourcedId: 'k-geo-p3' is a class this import deletes"}));
}

TEST(RosterImportTest, AgentsThatAreNotGuardianAndStudentAreWarnings) {
  Files files = LoadFixture("handmade/v1p1");
  files["users.csv"] = ReplaceLine(files["users.csv"], 8,
                                   "u-s3,,,TRUE,s1,student,ali.khan,,Ali,Khan,,S003,,,,u-t1,09,");
  PlannedImport planned = Plan(files);
  ASSERT_TRUE(planned.ok());
  EXPECT_EQ(Formatted(planned.plan.warnings),
            (std::vector<std::string>{
                "users.csv:8:agentSourcedIds: agent 'u-t1' (teacher) of student 'u-s3' is not a "
                "guardian-student pair; not linked"}));
  EXPECT_EQ(planned.plan.guardian_links.added, 3);  // u-g2 still names u-s3
}

}  // namespace
}  // namespace cairn::oneroster
