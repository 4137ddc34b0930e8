// Imports end to end into a SQLite store: the vendored sample sets, bulk,
// idempotent re-import, delta with tobedeleted, dry runs, all-or-nothing on
// problems and on a failed commit, and the command-line entry point.
#include "interop/oneroster/oneroster_import.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cmd_import.h"
#include "interop/oneroster/test_support.h"
#include "testing/faulty_store.h"

namespace cairn::oneroster {
namespace {

using testing::FixturePath;
using testing::Formatted;
using testing::LoadFixture;
using testing::OpenMemoryStore;
using testing::RowCounts;

ImportReport Import(Store& store, const std::string& fixture, bool dry_run = false) {
  ImportOptions options;
  options.dry_run = dry_run;
  auto report = ImportOneRoster(store, FixturePath(fixture), options);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? *report : ImportReport{};
}

ImportReport ImportFiles(Store& store, const testing::Files& files, bool dry_run = false) {
  ReadReport read;
  OneRosterSet set = ReadOneRosterFiles(files, read);
  ImportOptions options;
  options.dry_run = dry_run;
  auto report = ImportOneRosterSet(store, set, read, options);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? *report : ImportReport{};
}

TEST(OneRosterImportTest, BulkImportIntoAFreshStore) {
  auto store = OpenMemoryStore();
  ImportReport report = Import(*store, "handmade/v1p1");
  ASSERT_TRUE(report.ok()) << Formatted(report.problems)[0];
  EXPECT_TRUE(report.applied);
  EXPECT_EQ(RowCounts(*store), (std::map<std::string, std::int64_t>{{"academic_sessions", 3},
                                                                    {"courses", 2},
                                                                    {"districts", 1},
                                                                    {"enrollments", 8},
                                                                    {"guardian_links", 3},
                                                                    {"people", 10},
                                                                    {"ratings", 0},
                                                                    {"schools", 2},
                                                                    {"sections", 3}}));
  auto roster = store->LoadRoster();
  ASSERT_TRUE(roster.ok());
  const Person* sam = roster->FindPersonBySourcedId("u-s1");
  ASSERT_NE(sam, nullptr);
  EXPECT_TRUE(sam->active);
  EXPECT_EQ(sam->demographics.gender, "female");
  ASSERT_EQ(roster->SectionsOf(sam->id).size(), 1u);
  EXPECT_EQ(roster->SectionsOf(sam->id)[0]->sourced_id, "k-alg1-p1");
  EXPECT_EQ(roster->SectionsOf(sam->id)[0]->term, "Fall 2025");
  EXPECT_EQ(roster->StudentsIn(roster->SectionsOf(sam->id)[0]->id).size(), 2u);
}

TEST(OneRosterImportTest, ReimportingTheSameFilesChangesNothing) {
  for (const char* fixture : {"handmade/v1p1", "handmade/v1p2"}) {
    auto store = OpenMemoryStore();
    ASSERT_TRUE(Import(*store, fixture).applied);
    const auto counts = RowCounts(*store);
    const auto marks = store->Marks();
    ASSERT_TRUE(marks.ok());
    ImportReport again = Import(*store, fixture);
    ASSERT_TRUE(again.ok()) << Formatted(again.problems)[0];
    EXPECT_TRUE(again.plan.empty()) << fixture;
    EXPECT_FALSE(again.applied);
    EXPECT_EQ(RowCounts(*store), counts);
    EXPECT_EQ(store->Marks()->roster, marks->roster) << fixture;  // not one row touched
  }
}

TEST(OneRosterImportTest, DeltaDeactivatesPeopleAndEnrollmentsAndKeepsTheirFacts) {
  auto store = OpenMemoryStore();
  ASSERT_TRUE(Import(*store, "handmade/v1p1").applied);
  auto before = store->LoadRoster();
  const Person* ali = before->FindPersonBySourcedId("u-s3");
  const Person* tina = before->FindPersonBySourcedId("u-t1");
  RatingFact rating;
  rating.student_id = ali->id;
  rating.cpe_id = "101a";
  rating.level_id = "proficient";
  rating.recorded_by = tina->id;
  ASSERT_TRUE(store->AppendRating(rating).ok());

  ImportReport delta = Import(*store, "handmade/v1p1-delta");
  ASSERT_TRUE(delta.ok()) << Formatted(delta.problems)[0];
  EXPECT_EQ(delta.plan.people, (EntityCounts{0, 1, 1}));       // u-s4 updated, u-s3 out
  EXPECT_EQ(delta.plan.enrollments, (EntityCounts{1, 0, 3}));  // e-9; e-2 and u-s3's two

  auto after = store->LoadRoster();
  const Person* ali_after = after->FindPersonBySourcedId("u-s3");
  ASSERT_NE(ali_after, nullptr);  // kept, inactive
  EXPECT_FALSE(ali_after->active);
  EXPECT_TRUE(after->SectionsOf(ali_after->id).empty());
  EXPECT_EQ(after->FindPersonBySourcedId("u-s4")->email, "bo.li@maple.test");
  EXPECT_EQ(after->FindPersonBySourcedId("u-s4")->demographics.grade, "08");
  const Person* sam = after->FindPersonBySourcedId("u-s1");
  ASSERT_EQ(after->SectionsOf(sam->id).size(), 1u);  // left Period 1, joined Geometry
  EXPECT_EQ(after->SectionsOf(sam->id)[0]->sourced_id, "k-geo-p3");
  auto ratings = store->RatingsAfter(0);
  ASSERT_TRUE(ratings.ok());
  EXPECT_EQ(ratings->size(), 1u);                  // the fact stays
  EXPECT_EQ(RowCounts(*store)["enrollments"], 9);  // rows stay, inactive

  // The same delta again: nothing left to do.
  EXPECT_TRUE(Import(*store, "handmade/v1p1-delta").plan.empty());
  // A later bulk brings Ali back.
  ImportReport bulk = Import(*store, "handmade/v1p1");
  EXPECT_EQ(bulk.plan.people, (EntityCounts{0, 2, 0}));  // u-s3 active again, u-s4 as in bulk
  EXPECT_EQ(bulk.plan.enrollments, (EntityCounts{0, 3, 1}));
  EXPECT_TRUE(store->LoadRoster()->FindPersonBySourcedId("u-s3")->active);
}

TEST(OneRosterImportTest, BulkUsersDeactivatesWhoIsLeftOutButNeverAnAdmin) {
  auto store = OpenMemoryStore();
  ASSERT_TRUE(Import(*store, "handmade/v1p1").applied);
  Person admin;
  admin.sourced_id = "admin";
  admin.role = PersonRole::kAdmin;
  admin.given_name = "Ada";
  admin.family_name = "Admin";
  admin.district_id = store->LoadRoster()->districts[0].id;
  ASSERT_TRUE(store->InsertPerson(admin).ok());
  testing::Files files = LoadFixture("handmade/v1p1");
  files["users.csv"] = testing::ReplaceLine(files["users.csv"], 9, "");  // u-s4 gone
  ImportReport report = ImportFiles(*store, files);
  ASSERT_TRUE(report.ok()) << Formatted(report.problems)[0];
  EXPECT_EQ(report.plan.people, (EntityCounts{0, 0, 1}));
  auto roster = store->LoadRoster();
  EXPECT_FALSE(roster->FindPersonBySourcedId("u-s4")->active);
  EXPECT_TRUE(roster->FindPersonBySourcedId("admin")->active);
}

// A generated bulk set: one school, `classes` classes with a teacher each,
// `students` students in `per_student` classes each.
testing::Files GeneratedSet(int classes, int students, int per_student) {
  testing::Files files;
  files["manifest.csv"] =
      "propertyName,value\noneroster.version,1.1\nfile.orgs,bulk\nfile.academicSessions,bulk\n"
      "file.courses,bulk\nfile.classes,bulk\nfile.users,bulk\nfile.enrollments,bulk\n";
  files["orgs.csv"] =
      "sourcedId,name,type,parentSourcedId\nd1,District,district,\ns1,School,school,d1\n";
  files["academicSessions.csv"] =
      "sourcedId,title,type,startDate,endDate,schoolYear\n"
      "t1,Fall,term,2025-08-15,2025-12-20,2026\n";
  files["courses.csv"] = "sourcedId,title,orgSourcedId\nc1,Algebra,d1\n";
  std::string& classes_csv = files["classes.csv"] =
      "sourcedId,title,courseSourcedId,classType,schoolSourcedId,termSourcedIds\n";
  std::string& users = files["users.csv"] =
      "sourcedId,enabledUser,orgSourcedIds,role,username,givenName,familyName\n";
  std::string& enrollments = files["enrollments.csv"] =
      "sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role\n";
  int n = 0;
  for (int c = 0; c < classes; ++c) {
    const std::string id = std::to_string(c);
    classes_csv += "k" + id + ",Class " + id + ",c1,scheduled,s1,t1\n";
    users += "t" + id + ",true,s1,teacher,t" + id + ",T,Teacher\n";
    enrollments += "e" + std::to_string(++n) + ",k" + id + ",s1,t" + id + ",teacher\n";
  }
  for (int s = 0; s < students; ++s) {
    const std::string id = std::to_string(s);
    users += "u" + id + ",true,s1,student,u" + id + ",S,Student\n";
    for (int k = 0; k < per_student; ++k) {
      enrollments += "e" + std::to_string(++n) + ",k" + std::to_string((s + k) % classes) +
                     ",s1,u" + id + ",student\n";
    }
  }
  return files;
}

// Progress, as the CLI and the admin page show it: reading counts the bytes
// of the files read, never backwards, within a large file too, and ends at
// the total; then checking and writing, each 0 then 1.
TEST(OneRosterImportTest, ProgressCountsUpToTheTotal) {
  testing::Files files = GeneratedSet(40, 20000, 5);  // 100,040 enrollments, ~2.4 MB
  std::uint64_t expected_total = 0;
  for (const auto& [name, text] : files) {
    if (name != "manifest.csv") expected_total += text.size();
  }
  struct Call {
    std::string phase;
    std::uint64_t done, total;
  };
  std::vector<Call> calls;
  ProgressFn record = [&](const ImportProgress& p) {
    calls.push_back({std::string(p.phase), p.done, p.total});
  };
  ReadReport read;
  OneRosterSet set = ReadOneRosterFiles(files, read, record);
  ASSERT_TRUE(read.problems.empty()) << Formatted(read.problems)[0];
  auto store = OpenMemoryStore();
  ImportOptions options;
  options.progress = record;
  auto report = ImportOneRosterSet(*store, set, read, options);
  ASSERT_TRUE(report.ok() && report->applied);

  std::vector<Call> reading;
  for (const Call& call : calls) {
    if (call.phase == "reading") reading.push_back(call);
  }
  ASSERT_GE(reading.size(), 8u);  // the files, and inside enrollments.csv
  for (std::size_t i = 0; i < reading.size(); ++i) {
    EXPECT_EQ(reading[i].total, expected_total);
    if (i > 0) {
      EXPECT_GE(reading[i].done, reading[i - 1].done) << "call " << i;
    }
  }
  EXPECT_EQ(reading.back().done, expected_total);
  std::vector<std::string> after;
  for (std::size_t i = reading.size(); i < calls.size(); ++i) {
    after.push_back(calls[i].phase + " " + std::to_string(calls[i].done) + "/" +
                    std::to_string(calls[i].total));
  }
  EXPECT_EQ(after, (std::vector<std::string>{"checking 0/1", "checking 1/1", "writing 0/1",
                                             "writing 1/1"}));
}

// Statements run on the store's connection (not counting trigger programs).
class StatementCounter {
 public:
  explicit StatementCounter(SqliteStore& store) : db_(store.handle()) {
    sqlite3_trace_v2(db_, SQLITE_TRACE_STMT, &StatementCounter::Trace, this);
  }
  ~StatementCounter() { sqlite3_trace_v2(db_, 0, nullptr, nullptr); }
  int count() const { return count_; }

 private:
  static int Trace(unsigned, void* self, void*, void* sql) {
    if (!std::string_view(static_cast<const char*>(sql)).starts_with("--")) {
      ++static_cast<StatementCounter*>(self)->count_;
    }
    return 0;
  }
  sqlite3* db_;
  int count_ = 0;
};

// The import writes many rows per statement: one statement (and statement
// journal) per enrollment made 200k enrollments cost 2.5 million write calls
// (issue #11's import benchmark). Counted, not timed.
TEST(OneRosterImportTest, WritesManyRowsPerStatement) {
  constexpr int kClasses = 40, kStudents = 600, kPerStudent = 5;
  constexpr int kEnrollments = kClasses + kStudents * kPerStudent;
  auto store = OpenMemoryStore();
  testing::Files files = GeneratedSet(kClasses, kStudents, kPerStudent);
  {
    StatementCounter counter(*store);
    ImportReport report = ImportFiles(*store, files);
    ASSERT_TRUE(report.ok()) << Formatted(report.problems)[0];
    EXPECT_EQ(report.plan.enrollments, (EntityCounts{kEnrollments, 0, 0}));
    EXPECT_LT(counter.count(), kEnrollments / 20) << "statements for " << kEnrollments;
  }
  EXPECT_EQ(RowCounts(*store)["enrollments"], kEnrollments);

  // A bulk users.csv without the students: every student and their
  // enrollments become inactive, again many rows per statement; and one
  // enrollment's sourcedId moves to another class: the old row gives it up.
  std::string users = "sourcedId,enabledUser,orgSourcedIds,role,username,givenName,familyName\n";
  std::string enrollments = "sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role\n";
  for (int c = 0; c < kClasses; ++c) {
    const std::string id = std::to_string(c);
    users += "t" + id + ",true,s1,teacher,t" + id + ",T,Teacher\n";
    // e1 (t0 in k0) now names t0 in k1; t0 stays in k0 under no sourcedId.
    enrollments += c == 0 ? "e1,k1,s1,t0,teacher\n"
                          : "e" + std::to_string(c + 1) + ",k" + id + ",s1,t" + id + ",teacher\n";
  }
  files["users.csv"] = users;
  files["enrollments.csv"] = enrollments;
  {
    StatementCounter counter(*store);
    ImportReport report = ImportFiles(*store, files);
    ASSERT_TRUE(report.ok()) << Formatted(report.problems)[0];
    EXPECT_EQ(report.plan.people, (EntityCounts{0, 0, kStudents}));
    // Deactivated: the students' and t0's in k0 (its sourcedId moved).
    EXPECT_EQ(report.plan.enrollments, (EntityCounts{1, 0, kStudents * kPerStudent + 1}));
    EXPECT_LT(counter.count(), kEnrollments / 20);
  }
  auto roster = store->LoadRoster();
  ASSERT_TRUE(roster.ok());
  Id k1 = 0;
  for (const Section& section : roster->sections) {
    if (section.sourced_id == "k1") k1 = section.id;
  }
  int active = 0, named_e1 = 0;
  for (const Enrollment& e : roster->enrollments) {
    active += e.active ? 1 : 0;
    if (e.sourced_id == "e1") {
      ++named_e1;
      EXPECT_TRUE(e.active);
      EXPECT_EQ(e.section_id, k1);
    }
  }
  EXPECT_EQ(named_e1, 1);
  EXPECT_EQ(active, kClasses);  // the teachers' (t0's now in k1)
  EXPECT_FALSE(roster->FindPersonBySourcedId("u7")->active);

  ImportReport again = ImportFiles(*store, files);  // the same again: nothing to do
  EXPECT_TRUE(again.plan.empty());
}

TEST(OneRosterImportTest, DryRunReportsAndWritesNothing) {
  auto store = OpenMemoryStore();
  const auto empty = RowCounts(*store);
  ImportReport report = Import(*store, "handmade/v1p2", /*dry_run=*/true);
  ASSERT_TRUE(report.ok()) << Formatted(report.problems)[0];
  EXPECT_FALSE(report.applied);
  EXPECT_EQ(report.plan.people.added, 10);
  EXPECT_EQ(report.plan.enrollments.added, 8);
  EXPECT_EQ(RowCounts(*store), empty);
}

TEST(OneRosterImportTest, AnImportWithProblemsChangesNothing) {
  auto store = OpenMemoryStore();
  ASSERT_TRUE(Import(*store, "handmade/v1p1").applied);
  const auto counts = RowCounts(*store);
  testing::Files files = LoadFixture("handmade/v1p1");
  files["users.csv"] += "u-new,,,TRUE,s1,student,n,,New,Kid,,,,,,,09,\n";  // fine
  files["enrollments.csv"] += "e-new,,,k-nowhere,s1,u-new,student,,,\n";   // not fine
  ImportReport report = ImportFiles(*store, files);
  EXPECT_FALSE(report.ok());
  EXPECT_FALSE(report.applied);
  EXPECT_EQ(Formatted(report.problems),
            (std::vector<std::string>{"enrollments.csv:10:classSourcedId: 'k-nowhere' names no "
                                      "class in classes.csv or the roster"}));
  EXPECT_EQ(RowCounts(*store), counts);
  EXPECT_EQ(store->FindPerson("u-new")->has_value(), false);
}

TEST(OneRosterImportTest, AFailedCommitChangesNothing) {
  auto plan = std::make_shared<FaultPlan>();
  auto inner = OpenMemoryStore();
  SqliteStore* sqlite = inner.get();
  FaultyStore store(std::move(inner), plan);
  const auto empty = RowCounts(*sqlite);
  plan->fail_commits = true;
  auto report = ImportOneRoster(store, FixturePath("handmade/v1p1"));
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(RowCounts(*sqlite), empty);
  plan->fail_commits = false;
  plan->fail_write_number = 1;  // ApplyRosterChanges itself fails
  report = ImportOneRoster(store, FixturePath("handmade/v1p1"));
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(RowCounts(*sqlite), empty);
}

// The sample sets of the Moodle OneRoster plugin, as they are: Cairn refuses
// them, and says exactly why (a department where a school belongs, courses
// that are not in the set, a session parent that is not there, a status
// OneRoster 1.1 does not have).
TEST(OneRosterImportTest, MoodleSampleSetsAsTheyAreAreRefusedWithEveryReason) {
  auto store = OpenMemoryStore();
  ImportReport minimal = Import(*store, "moodle-enrol_oneroster/Test_minimal_data_set.zip");
  EXPECT_EQ(Formatted(minimal.problems),
            (std::vector<std::string>{
                "classes.csv:2:courseSourcedId: 'crs-222-2023-456-12345' names no course in "
                "courses.csv or the roster",
                "classes.csv:2:schoolSourcedId: 'org-sch-222-456' is a department, not a school",
                "classes.csv:3:courseSourcedId: 'crs-222-2023-456-23456' names no course in "
                "courses.csv or the roster",
                "classes.csv:3:schoolSourcedId: 'org-sch-222-456' is a department, not a school",
                "users.csv:2:orgSourcedIds: cannot tell the district of user 'usr-222-123456': "
                "none of their orgs is a school or a district",
                "users.csv:3:orgSourcedIds: cannot tell the district of user "
                "'usr-222-66778899': none of their orgs is a school or a district",
                "users.csv:4:orgSourcedIds: cannot tell the district of user 'usr-222-1234561': "
                "none of their orgs is a school or a district",
                "users.csv:5:orgSourcedIds: cannot tell the district of user 'usr-222-987654': "
                "none of their orgs is a school or a district",
                "users.csv:6:orgSourcedIds: cannot tell the district of user "
                "'usr-222-1234561232': none of their orgs is a school or a district",
                "users.csv:7:orgSourcedIds: cannot tell the district of user 'usr-222-567891': "
                "none of their orgs is a school or a district",
                "enrollments.csv:2:schoolSourcedId: 'org-sch-222-456' is a department, not a "
                "school",
                "enrollments.csv:3:schoolSourcedId: 'org-sch-222-456' is a department, not a "
                "school",
                "enrollments.csv:4:schoolSourcedId: 'org-sch-222-456' is a department, not a "
                "school",
                "enrollments.csv:5:schoolSourcedId: 'org-sch-222-456' is a department, not a "
                "school",
                "enrollments.csv:6:schoolSourcedId: 'org-sch-222-456' is a department, not a "
                "school",
                "enrollments.csv:7:schoolSourcedId: 'org-sch-222-456' is a department, not a "
                "school"}));
  ImportReport full = Import(*store, "moodle-enrol_oneroster/Test_full_data_set.zip");
  const std::string department = "'org-sch-222-456' is a department, not a school";
  const std::string deleted_class = "'cls-222-123478' is a class this import deletes";
  auto no_district = [](const char* user) {
    return std::string("cannot tell the district of user '") + user +
           "': none of their orgs is a school or a district";
  };
  EXPECT_EQ(Formatted(full.problems),
            (std::vector<std::string>{
                "academicSessions.csv:4:status: 'inactive' is not one of active, tobedeleted",
                "academicSessions.csv:3:parentSourcedId: 'as-syr-222-2023' names no session in "
                "academicSessions.csv or the roster",
                "academicSessions.csv:6:parentSourcedId: 'as-syr-222-2023' names no session in "
                "academicSessions.csv or the roster",
                "classes.csv:2:courseSourcedId: 'crs-222-2023-456-12345' names no course in "
                "courses.csv or the roster",
                "classes.csv:2:schoolSourcedId: " + department,
                "users.csv:2:orgSourcedIds: " + no_district("usr-222-123456"),
                "users.csv:3:orgSourcedIds: " + no_district("usr-222-66778899"),
                "users.csv:4:orgSourcedIds: " + no_district("usr-222-1234561"),
                "users.csv:5:orgSourcedIds: " + no_district("usr-222-987654"),
                "users.csv:6:orgSourcedIds: " + no_district("usr-222-1234561232"),
                "users.csv:7:orgSourcedIds: " + no_district("usr-222-567891"),
                "enrollments.csv:2:schoolSourcedId: " + department,
                "enrollments.csv:3:schoolSourcedId: " + department,
                "enrollments.csv:4:schoolSourcedId: " + department,
                "enrollments.csv:5:classSourcedId: " + deleted_class,
                "enrollments.csv:5:schoolSourcedId: " + department,
                "enrollments.csv:6:classSourcedId: " + deleted_class,
                "enrollments.csv:6:schoolSourcedId: " + department,
                "enrollments.csv:7:classSourcedId: " + deleted_class,
                "enrollments.csv:7:schoolSourcedId: " + department}));
  EXPECT_EQ(RowCounts(*store), RowCounts(*OpenMemoryStore()));  // nothing written
}

// The minimal sample completed with what it lacks (a district, its
// department as a school, the two courses): it imports, and again is a no-op.
TEST(OneRosterImportTest, MoodleMinimalSampleCompletedImports) {
  testing::Files files = LoadFixture("moodle-enrol_oneroster/Test_minimal_data_set.zip");
  files["orgs.csv"] =
      "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\r\n"
      "org-dst-222,,,Test District,district,,\r\n"
      "org-sch-222-456,,,History Department,school,,org-dst-222";
  files["courses.csv"] =
      "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,"
      "orgSourcedId,subjects,subjectCodes\r\n"
      "crs-222-2023-456-12345,,,,Physics,,,org-sch-222-456,,\r\n"
      "crs-222-2023-456-23456,,,,History,,,org-sch-222-456,,";
  files["manifest.csv"] = std::string(files["manifest.csv"]);
  const std::size_t at = files["manifest.csv"].find("file.courses,absent");
  ASSERT_NE(at, std::string::npos);
  files["manifest.csv"].replace(at, 19, "file.courses,bulk");

  auto store = OpenMemoryStore();
  ImportReport report = ImportFiles(*store, files);
  ASSERT_TRUE(report.ok()) << Formatted(report.problems)[0];
  EXPECT_EQ(report.read.rows["users.csv"], 6);
  EXPECT_EQ(report.read.rows["enrollments.csv"], 6);
  EXPECT_EQ(report.plan.people.added, 6);
  EXPECT_EQ(report.plan.sections.added, 2);
  EXPECT_EQ(report.plan.academic_sessions.added, 5);
  EXPECT_EQ(report.plan.enrollments.added, 6);
  EXPECT_EQ(report.plan.guardian_links.added, 0);  // the minimal set has no agents
  EXPECT_EQ(RowCounts(*store)["people"], 6);
  auto roster = store->LoadRoster();
  EXPECT_EQ(roster->FindPersonBySourcedId("usr-222-1234561")->role, PersonRole::kGuardian);
  EXPECT_TRUE(ImportFiles(*store, files).plan.empty());
}

// The full sample's users name agents: its parent links to their child; a
// student whose agent is a teacher is noted, not linked.
TEST(OneRosterImportTest, MoodleFullSampleGuardiansViaAgentSourcedIds) {
  testing::Files files = LoadFixture("moodle-enrol_oneroster/Test_full_data_set.zip");
  files["orgs.csv"] =
      "sourcedId,name,type,parentSourcedId\n"
      "org-dst-222,Test District,district,\n"
      "org-sch-222-456,History Department,school,org-dst-222\n";
  files.erase("classes.csv");
  files.erase("enrollments.csv");
  files.erase("academicsessions.csv");
  files["manifest.csv"] =
      "propertyName,value\noneroster.version,1.1\nfile.orgs,bulk\nfile.users,bulk\n";
  auto store = OpenMemoryStore();
  ImportReport report = ImportFiles(*store, files);
  ASSERT_TRUE(report.ok()) << Formatted(report.problems)[0];
  EXPECT_EQ(report.plan.people.added, 6);
  EXPECT_EQ(report.plan.guardian_links.added, 1);
  EXPECT_EQ(report.plan.changes.guardian_links[0],
            (RosterChangeSet::GuardianLinkRow{"usr-222-1234561", "usr-222-66778899", "parent"}));
  EXPECT_EQ(report.plan.warnings.size(), 4u);  // students and a teacher naming teachers
}

class CliImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = ::testing::TempDir() + "/cairn-import-" + std::to_string(::getpid()) + ".db";
  }
  void TearDown() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_ + suffix);
  }
  std::string db_;
};

TEST_F(CliImportTest, TextReportDryRunThenImportThenNothingToDo) {
  std::ostringstream out, err;
  EXPECT_EQ(RunImportOneRoster(db_, FixturePath("handmade/v1p1"), true, false, out, err), 0);
  EXPECT_NE(out.str().find("Changes this import would make (dry run):"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("people: 10 added, 0 updated, 0 deactivated"), std::string::npos);
  out.str("");
  EXPECT_EQ(RunImportOneRoster(db_, FixturePath("handmade/v1p1"), false, false, out, err), 0);
  EXPECT_NE(out.str().find("Changes made:"), std::string::npos) << out.str();
  out.str("");
  EXPECT_EQ(RunImportOneRoster(db_, FixturePath("handmade/v1p1"), false, false, out, err), 0);
  EXPECT_NE(out.str().find("Nothing to change"), std::string::npos) << out.str();
  EXPECT_TRUE(err.str().empty()) << err.str();
}

TEST_F(CliImportTest, JsonReportListsProblemsAndExitsOne) {
  std::ostringstream out, err;
  EXPECT_EQ(RunImportOneRoster(db_, FixturePath("moodle-enrol_oneroster/Test_minimal_data_set.zip"),
                               false, true, out, err),
            1);
  const auto report = nlohmann::json::parse(out.str());
  EXPECT_FALSE(report["ok"].get<bool>());
  EXPECT_FALSE(report["applied"].get<bool>());
  EXPECT_EQ(report["version"], "1.1");
  EXPECT_EQ(report["files"]["users.csv"]["rows"], 6);
  EXPECT_EQ(report["files"]["users.csv"]["mode"], "bulk");
  EXPECT_EQ(report["problems"].size(), 16u);
  EXPECT_EQ(report["problems"][0]["file"], "classes.csv");
  EXPECT_EQ(report["problems"][0]["line"], 2);
  EXPECT_EQ(report["problems"][0]["column"], "courseSourcedId");
  out.str("");
  EXPECT_EQ(RunImportOneRoster(db_, "/no/such/set.zip", false, true, out, err), 2);
  EXPECT_NE(err.str().find("cairn: not_found"), std::string::npos);
}

}  // namespace
}  // namespace cairn::oneroster
