// Reading a OneRoster set: the mess real exports carry is read, and each
// strict error is reported at its file, line and column, all of them at once.
#include "interop/oneroster/oneroster_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "interop/oneroster/test_support.h"

namespace cairn::oneroster {
namespace {

using testing::Files;
using testing::Formatted;
using testing::LoadFixture;
using testing::ReplaceLine;

OneRosterSet Read(const Files& files, ReadReport& report) {
  return ReadOneRosterFiles(files, report);
}

TEST(OneRosterReaderTest, ReadsTheHandmadeSets) {
  for (const char* folder : {"handmade/v1p1", "handmade/v1p2"}) {
    ReadReport report;
    OneRosterSet set = Read(LoadFixture(folder), report);
    EXPECT_TRUE(report.problems.empty()) << folder << ": " << Formatted(report.problems)[0];
    EXPECT_EQ(set.orgs.size(), 4u);
    EXPECT_EQ(set.users.size(), 10u);
    EXPECT_EQ(set.enrollments.size(), 8u);
    EXPECT_EQ(set.classes[1].term_sourced_ids, (std::vector<std::string>{"t1", "t2"}));
    EXPECT_EQ(report.rows["users.csv"], 10);
    EXPECT_EQ(set.Mode(kUsersFile), FileMode::kBulk);
  }
  ReadReport report;
  OneRosterSet set = Read(LoadFixture("handmade/v1p2"), report);
  EXPECT_EQ(set.version, "1.2");
  EXPECT_EQ(set.roles.size(), 11u);
  EXPECT_EQ(set.user_profiles.size(), 2u);
  EXPECT_EQ(set.users[0].role, "");
  EXPECT_EQ(set.users[0].primary_org, "s1");
}

TEST(OneRosterReaderTest, ToleratesCaseOrderBomCrlfAndExtensionColumns) {
  Files files = LoadFixture("handmade/v1p1");
  // Columns reordered, header in other cases, vendor columns, a BOM, CRLF,
  // quoted fields with commas and a line break, blank optional columns.
  files["users.csv"] =
      "\xEF\xBB\xBF"
      "ROLE,SourcedId,givenname,FamilyName,metadata.sis.homeroom,enabledUser,orgSourcedIds,"
      "username,ext_vendor_flag,email,agentSourcedIds,grades\r\n"
      "teacher,u-t1,Tina,Teach,,TRUE,s1,tina.teach,x,tina@maple.test,,\r\n"
      "student,u-s1,\"Sam, Jr.\",\"Stone\",\"Room\r\n12\",true,\"s1\",sam.stone,,,\"u-g1\",09\r\n"
      "parent,u-g1,Gail,Stone,,TRUE,s1,gail.stone,,,u-s1,\r\n";
  files["Manifest.CSV"] = files["manifest.csv"];  // file names in any case
  files.erase("manifest.csv");
  ReadReport report;
  OneRosterSet set = Read(files, report);
  ASSERT_TRUE(report.problems.empty()) << Formatted(report.problems)[0];
  ASSERT_EQ(set.users.size(), 3u);
  EXPECT_EQ(set.users[1].given_name, "Sam, Jr.");
  EXPECT_EQ(set.users[1].role, "student");
  EXPECT_EQ(set.users[1].line, 3);
  EXPECT_EQ(set.users[2].line, 5);  // the quoted line break took line 4
  EXPECT_EQ(report.ignored_columns["users.csv"],
            (std::vector<std::string>{"metadata.sis.homeroom", "ext_vendor_flag"}));
}

TEST(OneRosterReaderTest, AZipWithOneTopFolderIsRead) {
  const Files fixture = LoadFixture("handmade/v1p1");
  const std::string path =
      ::testing::TempDir() + "/oneroster-" + std::to_string(::getpid()) + ".zip";
  archive* zip = archive_write_new();
  ASSERT_EQ(archive_write_set_format_zip(zip), ARCHIVE_OK);
  ASSERT_EQ(archive_write_open_filename(zip, path.c_str()), ARCHIVE_OK);
  for (const auto& [name, content] : fixture) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, ("Export 2026/" + name).c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    ASSERT_EQ(archive_write_header(zip, entry), ARCHIVE_OK);
    ASSERT_EQ(archive_write_data(zip, content.data(), content.size()),
              static_cast<la_ssize_t>(content.size()));
    archive_entry_free(entry);
  }
  ASSERT_EQ(archive_write_close(zip), ARCHIVE_OK);
  archive_write_free(zip);

  ReadReport report;
  auto set = ReadOneRoster(path, report);
  std::filesystem::remove(path);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_TRUE(report.problems.empty());
  EXPECT_EQ(set->users.size(), 10u);

  ZipLimits tight;
  tight.max_total_bytes = 100;
  ReadReport ignored;
  auto refused = ReadOneRoster(
      testing::FixturePath("moodle-enrol_oneroster/Test_full_data_set.zip"), ignored, tight);
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ReadOneRoster("/no/such/set", ignored).status().code(), StatusCode::kNotFound);
}

TEST(OneRosterReaderTest, BlankStatusInBulkAndTobedeletedWithOnlyAnId) {
  Files files = LoadFixture("handmade/v1p1");
  files["users.csv"] =
      ReplaceLine(files["users.csv"], 2, "u-t1,tobedeleted,2026-01-01,,,,,,,,,,,,,,,");
  ReadReport report;
  OneRosterSet set = Read(files, report);
  EXPECT_TRUE(report.problems.empty()) << Formatted(report.problems)[0];
  EXPECT_EQ(set.users[0].status, RecordStatus::kToBeDeleted);
  EXPECT_EQ(set.users[1].status, RecordStatus::kActive);  // blank status
}

struct StrictCase {
  const char* name;
  const char* file;
  int line;
  const char* replacement;
  const char* expected;  // FormatProblem of the one problem
};

class StrictErrorTest : public ::testing::TestWithParam<StrictCase> {};

TEST_P(StrictErrorTest, ReportsTheExactPlace) {
  const StrictCase& c = GetParam();
  Files files = LoadFixture("handmade/v1p1");
  files[AsciiLower(c.file)] = ReplaceLine(files[AsciiLower(c.file)], c.line, c.replacement);
  ReadReport report;
  Read(files, report);
  EXPECT_EQ(Formatted(report.problems), (std::vector<std::string>{c.expected}));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StrictErrorTest,
    ::testing::Values(
        StrictCase{"RequiredBlank", "users.csv", 3,
                   "u-t2,,,TRUE,s1,teacher,tom.tutor,,,Tutor,,T002,,,,,,",
                   "users.csv:3:givenName: required, but blank"},
        StrictCase{"MissingRequiredColumn", "users.csv", 1,
                   "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
                   "userIds,givenName,surname,middleName,identifier,email,sms,phone,"
                   "agentSourcedIds,grades,password",
                   "users.csv:1:familyName: required column is missing"},
        StrictCase{"BadStatus", "orgs.csv", 3,
                   "s1,inactive,2025-08-01T00:00:00.000Z,Maple High,school,MH,d1",
                   "orgs.csv:3:status: 'inactive' is not one of active, tobedeleted"},
        StrictCase{"BadOrgType", "orgs.csv", 3, "s1,,,Maple High,campus,MH,d1",
                   "orgs.csv:3:type: 'campus' is not one of district, school, department, "
                   "local, state, national"},
        StrictCase{"BadRole", "users.csv", 2,
                   "u-t1,,,TRUE,s1,instructor,tina.teach,,Tina,Teach,,T001,,,,,,",
                   "users.csv:2:role: 'instructor' is not one of administrator, aide, "
                   "guardian, parent, proctor, relative, student, teacher, counselor, "
                   "principal, districtAdministrator, siteAdministrator, systemAdministrator"},
        StrictCase{"BadEnrollmentRole", "enrollments.csv", 3,
                   "e-2,,,k-alg1-p1,s1,u-s1,learner,false,,",
                   "enrollments.csv:3:role: 'learner' is not one of student, teacher, "
                   "administrator, proctor, aide"},
        StrictCase{"ImpossibleDate", "academicSessions.csv", 3,
                   "t1,,,Fall 2025,term,2025-08-15,2025-02-30,y2026,2026",
                   "academicSessions.csv:3:endDate: '2025-02-30' is not a date (YYYY-MM-DD)"},
        StrictCase{"EndBeforeStart", "academicSessions.csv", 3,
                   "t1,,,Fall 2025,term,2025-08-15,2025-08-01,y2026,2026",
                   "academicSessions.csv:3:endDate: ends (2025-08-01) before it starts "
                   "(2025-08-15)"},
        StrictCase{"UsDateInDates", "enrollments.csv", 2,
                   "e-1,,,k-alg1-p1,s1,u-t1,teacher,true,8/15/2025,2025-12-20",
                   "enrollments.csv:2:beginDate: '8/15/2025' is not a date (YYYY-MM-DD)"},
        StrictCase{"BadDateLastModified", "courses.csv", 2,
                   "c-alg1,,1/05/2023,y2026,Algebra I,ALG1,09,d1,Mathematics,",
                   "courses.csv:2:dateLastModified: '1/05/2023' is not a date and time "
                   "(YYYY-MM-DDThh:mm:ss.sssZ)"},
        StrictCase{"BadBoolean", "users.csv", 2,
                   "u-t1,,,yes,s1,teacher,tina.teach,,Tina,Teach,,T001,,,,,,",
                   "users.csv:2:enabledUser: 'yes' is not true or false"},
        StrictCase{"BadSchoolYear", "academicSessions.csv", 2,
                   "y2026,,,2025-26,schoolYear,2025-08-15,2026-06-15,,2025-26",
                   "academicSessions.csv:2:schoolYear: '2025-26' is not a year (YYYY)"},
        StrictCase{"DuplicateSourcedId", "classes.csv", 4,
                   "k-alg1-p1,,,Geometry - Period 3,10,c-geo,GEO-3,scheduled,,s1,t2,,,3",
                   "classes.csv:4:sourcedId: duplicate sourcedId 'k-alg1-p1' (first on line 2)"},
        StrictCase{"BadClassType", "classes.csv", 2,
                   "k-alg1-p1,,,Algebra I - Period 1,09,c-alg1,ALG1-1,lecture,,s1,t1,,,1",
                   "classes.csv:2:classType: 'lecture' is not one of homeroom, scheduled"},
        StrictCase{"BadManifestMode", "manifest.csv", 4, "file.academicSessions,full",
                   "manifest.csv:4:value: 'full' is not one of bulk, delta, absent"},
        StrictCase{"BadVersion", "manifest.csv", 3, "oneroster.version,1.0",
                   "manifest.csv:3:value: OneRoster version '1.0' is not 1.1 or 1.2"},
        StrictCase{"UnterminatedQuote", "orgs.csv", 4,
                   "s2,active,2025-08-01T00:00:00.000Z,\"Birch Middle,school,BM,d1",
                   "orgs.csv:4:column 4: quoted field opened on line 4 is never closed (a "
                   "missing \")"}),
    [](const ::testing::TestParamInfo<StrictCase>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(OneRosterReaderTest, ManifestListingAFileThatIsNotThere) {
  Files files = LoadFixture("handmade/v1p1");
  files.erase("demographics.csv");
  ReadReport report;
  Read(files, report);
  EXPECT_EQ(Formatted(report.problems),
            (std::vector<std::string>{
                "manifest.csv:10:value: file.demographics is bulk but demographics.csv is not "
                "in the set"}));
  files.erase("manifest.csv");
  ReadReport missing;
  Read(files, missing);
  EXPECT_EQ(Formatted(missing.problems),
            (std::vector<std::string>{"manifest.csv: manifest.csv is missing from the set"}));
}

TEST(OneRosterReaderTest, EveryProblemIsReportedNotOnlyTheFirst) {
  Files files = LoadFixture("handmade/v1p1");
  files["users.csv"] =
      ReplaceLine(files["users.csv"], 2, "u-t1,,,maybe,s1,teacher,tina.teach,,,Teach,,T001,,,,,,");
  files["users.csv"] = ReplaceLine(files["users.csv"], 4,
                                   "u-p1,,,TRUE,s1,janitor,pat.principal,,Pat,Principal,,,,,,,,");
  files["enrollments.csv"] =
      ReplaceLine(files["enrollments.csv"], 9, "e-1,,,k-geo-p3,s1,u-s3,student,false,,");
  files["orgs.csv"] += "x1,active,2025-13-01,Broken,school,,d1\n";
  ReadReport report;
  Read(files, report);
  EXPECT_EQ(Formatted(report.problems),
            (std::vector<std::string>{
                "orgs.csv:6:dateLastModified: '2025-13-01' is not a date and time "
                "(YYYY-MM-DDThh:mm:ss.sssZ)",
                "users.csv:2:enabledUser: 'maybe' is not true or false",
                "users.csv:2:givenName: required, but blank",
                "users.csv:4:role: 'janitor' is not one of administrator, aide, guardian, "
                "parent, proctor, relative, student, teacher, counselor, principal, "
                "districtAdministrator, siteAdministrator, systemAdministrator",
                "enrollments.csv:9:sourcedId: duplicate sourcedId 'e-1' (first on line 2)"}));
}

}  // namespace
}  // namespace cairn::oneroster
