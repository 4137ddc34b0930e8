// Reads a OneRoster 1.1 or 1.2 CSV set (a folder or a .zip) into typed,
// field-checked records. `manifest.csv` says which files are there and
// whether each is `bulk` (the whole truth for that entity) or `delta` (only
// changes); `absent` files are not read.
//
// Checked here, each record on its own: required fields, enumerations
// (status, org type, session type, class type, roles, booleans), dates,
// duplicate sourcedIds within a file, and the CSV itself (csv_table.h).
// Checked later, across files and against the stored roster:
// references (roster_import.h).
//
// Tolerated: file names and header names in any case, columns in any order,
// missing optional columns, vendor columns (`metadata.*`, `ext_*` and any
// other the specification does not name: ignored and counted per file), a
// zip whose files sit in one top-level folder, blank `status` and
// `dateLastModified` (usual in bulk files). Files the manifest marks absent,
// and files Cairn does not import (gradebook, resources), are not read.
//
// Zips are read through fixed buffers with limits (ZipLimits); a zip bomb or
// an oversized set is refused before it fills memory. Memory: one file's
// text at a time (a folder's files and a zip's entries are read one by one
// and dropped once read), its records streamed from the CSV into the typed
// records below; no table of every field is built. Thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "interop/oneroster/csv_table.h"

namespace cairn::oneroster {

enum class FileMode { kAbsent, kBulk, kDelta };

// `active` also when blank (bulk files usually leave it blank).
enum class RecordStatus { kActive, kToBeDeleted };

struct OrgRecord {
  int line = 0;
  RecordStatus status = RecordStatus::kActive;
  std::string sourced_id;
  std::string name;
  std::string type;  // district, school, department, local, state, national
  std::string identifier;
  std::string parent_sourced_id;
};

struct AcademicSessionRecord {
  int line = 0;
  RecordStatus status = RecordStatus::kActive;
  std::string sourced_id;
  std::string title;
  std::string type;        // gradingPeriod, semester, schoolYear, term
  std::string start_date;  // YYYY-MM-DD, checked
  std::string end_date;
  std::string parent_sourced_id;
  std::string school_year;  // YYYY
};

struct CourseRecord {
  int line = 0;
  RecordStatus status = RecordStatus::kActive;
  std::string sourced_id;
  std::string title;
  std::string school_year_sourced_id;
  std::string course_code;
  std::string org_sourced_id;
};

struct ClassRecord {
  int line = 0;
  RecordStatus status = RecordStatus::kActive;
  std::string sourced_id;
  std::string title;
  std::string course_sourced_id;
  std::string class_code;
  std::string class_type;  // homeroom, scheduled
  std::string school_sourced_id;
  std::vector<std::string> term_sourced_ids;
};

struct UserRecord {
  int line = 0;
  RecordStatus status = RecordStatus::kActive;
  std::string sourced_id;
  bool enabled = true;
  std::vector<std::string> org_sourced_ids;  // 1.1 (1.2: optional)
  std::string primary_org;                   // 1.2
  std::string role;                          // 1.1 `role`, lowercase; "" in 1.2
  std::string username;
  std::string given_name;
  std::string family_name;
  std::string email;
  std::vector<std::string> agent_sourced_ids;
  std::vector<std::string> grades;
};

// OneRoster 1.2 roles.csv: a user's role at an org.
struct RoleRecord {
  int line = 0;
  RecordStatus status = RecordStatus::kActive;
  std::string sourced_id;
  std::string user_sourced_id;
  bool primary = false;  // roleType
  std::string role;      // lowercase
  std::string org_sourced_id;
};

// OneRoster 1.2 userProfiles.csv: accounts in other systems. Checked and
// counted; Cairn keeps its own accounts.
struct UserProfileRecord {
  int line = 0;
  RecordStatus status = RecordStatus::kActive;
  std::string sourced_id;
  std::string user_sourced_id;
  std::string profile_type;
  std::string vendor_id;
  std::string credential_type;
};

struct EnrollmentRecord {
  int line = 0;
  RecordStatus status = RecordStatus::kActive;
  std::string sourced_id;
  std::string class_sourced_id;
  std::string school_sourced_id;
  std::string user_sourced_id;
  std::string role;  // student, teacher, administrator, proctor, aide; lowercase
};

struct DemographicsRecord {
  int line = 0;
  RecordStatus status = RecordStatus::kActive;
  std::string sourced_id;  // the user's
  std::string sex;         // male, female, other, unspecified, or ""
  std::optional<bool> american_indian_or_alaska_native;
  std::optional<bool> asian;
  std::optional<bool> black_or_african_american;
  std::optional<bool> native_hawaiian_or_other_pacific_islander;
  std::optional<bool> white;
  std::optional<bool> two_or_more_races;
  std::optional<bool> hispanic_or_latino;
};

// The file names Cairn reads, as the specification spells them.
inline constexpr const char* kOrgsFile = "orgs.csv";
inline constexpr const char* kAcademicSessionsFile = "academicSessions.csv";
inline constexpr const char* kCoursesFile = "courses.csv";
inline constexpr const char* kClassesFile = "classes.csv";
inline constexpr const char* kUsersFile = "users.csv";
inline constexpr const char* kRolesFile = "roles.csv";
inline constexpr const char* kUserProfilesFile = "userProfiles.csv";
inline constexpr const char* kEnrollmentsFile = "enrollments.csv";
inline constexpr const char* kDemographicsFile = "demographics.csv";
inline constexpr const char* kManifestFile = "manifest.csv";

class EnrollmentReader;

struct OneRosterSet {
  std::string version;  // "1.1" or "1.2"
  // Mode of every file Cairn reads, keyed by file name (kOrgsFile...).
  std::map<std::string, FileMode> modes;
  std::vector<OrgRecord> orgs;
  std::vector<AcademicSessionRecord> academic_sessions;
  std::vector<CourseRecord> courses;
  std::vector<ClassRecord> classes;
  std::vector<UserRecord> users;
  std::vector<RoleRecord> roles;
  std::vector<UserProfileRecord> user_profiles;
  std::vector<EnrollmentRecord> enrollments;
  std::vector<DemographicsRecord> demographics;
  // sourcedIds of records left out for their own problems, per file, so a
  // reference to one is not reported a second time as unknown.
  std::map<std::string, std::set<std::string>> rejected_ids;
  // Set instead of `enrollments` when ReadOneRoster was asked to stream
  // them: enrollments.csv is then read by the importer, a piece at a time.
  // Its problems belong at index `enrollment_problems_at` of the reading
  // problems (the files' order).
  std::shared_ptr<EnrollmentReader> enrollment_reader;
  std::size_t enrollment_problems_at = 0;

  FileMode Mode(const std::string& file) const;
};

// What reading found, file by file.
struct ReadReport {
  std::vector<ImportProblem> problems;  // every one, in file order
  std::map<std::string, int> rows;      // records read per file
  // Columns ignored per file (vendor extensions such as metadata.* or ext_*,
  // and columns the specification does not name), with their names.
  std::map<std::string, std::vector<std::string>> ignored_columns;
  std::vector<std::string> ignored_files;  // present but absent, or not imported
};

struct ZipLimits {
  std::uint64_t max_total_bytes = 2ull << 30;  // all entries, expanded
  std::size_t max_entries = 64;
  double max_ratio = 200.0;  // expanded / compressed, per entry past 1 MB
};

// How far an import has got, for a progress bar (the CLI's line, the admin
// page's job). `phase` is "reading" (done/total: bytes of the set's CSV
// files read; `file` the one being read), then "checking" and "writing"
// (done/total 0/1 then 1/1). Within a phase `done` never decreases, and
// reading ends with done == total.
struct ImportProgress {
  std::string_view phase;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  std::string_view file;
};
using ProgressFn = std::function<void(const ImportProgress&)>;

// enrollments.csv read a piece at a time (about kPieceBytes of text, and one
// record's fields, in memory at once), each record checked as the other
// files' are (fields, duplicate sourcedIds: 16 to 32 bytes a record).
// Records are handed over, not kept. Thread-compatible.
class EnrollmentReader {
 public:
  static constexpr std::size_t kPieceBytes = 1u << 20;
  using RecordFn = std::function<void(const EnrollmentRecord&)>;
  virtual ~EnrollmentReader() = default;

  // Reads the next piece and hands each record read without problems to
  // `fn`, in file order (the record is valid during the call). False once
  // the file is done; an error when it cannot be read.
  virtual Result<bool> Next(const RecordFn& fn) = 0;
  // Problems, rows and ignored columns of enrollments.csv so far.
  virtual const ReadReport& report() const = 0;
  virtual std::uint64_t bytes_read() const = 0;
  virtual std::uint64_t size() const = 0;  // of the file; 0 when unknown
};

// The set in `path` (a folder, or a file read as a zip). Problems with the
// content are in `report` (the set is usable only when it has none); the
// Status is an error only when the set cannot be read at all (missing path,
// unreadable or corrupt zip, limits exceeded).
// `progress`, when set, is called from this thread as files are read.
// With `stream_enrollments`, enrollments.csv is not read here: the set's
// `enrollment_reader` reads it (a folder's file from disk a piece at a time;
// a zip's entry is expanded whole first), and reading progress counts the
// other files.
Result<OneRosterSet> ReadOneRoster(const std::string& path, ReadReport& report,
                                   const ZipLimits& limits = {}, const ProgressFn& progress = {},
                                   bool stream_enrollments = false);

// The files of the set in `path` (a folder's *.csv, or a zip's entries),
// keyed by lowercase base name, read within `limits`.
Result<std::map<std::string, std::string>> ReadSetFiles(const std::string& path,
                                                        const ZipLimits& limits = {});

// The same from files already in memory, keyed by their names (any case,
// possibly inside one folder). For tests and for uploads.
OneRosterSet ReadOneRosterFiles(const std::map<std::string, std::string>& files, ReadReport& report,
                                const ProgressFn& progress = {});

}  // namespace cairn::oneroster
