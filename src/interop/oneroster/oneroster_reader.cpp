#include "interop/oneroster/oneroster_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <memory>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/time.h"
#include "interop/oneroster/key_table.h"

namespace cairn::oneroster {
namespace {

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// dateLastModified: a date, or a date and time ("2023-05-01T18:25:43.511Z",
// with or without fractions, Z or an offset).
bool ValidDateTime(std::string_view text) {
  if (text.size() < 10 || !ParseDate(text.substr(0, 10)).ok()) return false;
  if (text.size() == 10) return true;
  text.remove_prefix(10);
  if (text.front() != 'T' && text.front() != ' ') return false;
  text.remove_prefix(1);
  if (text.size() < 8 || !IsDigits(text.substr(0, 2)) || text[2] != ':' ||
      !IsDigits(text.substr(3, 2)) || text[5] != ':' || !IsDigits(text.substr(6, 2))) {
    return false;
  }
  if (std::stoi(std::string(text.substr(0, 2))) > 23 ||
      std::stoi(std::string(text.substr(3, 2))) > 59 ||
      std::stoi(std::string(text.substr(6, 2))) > 60) {
    return false;
  }
  text.remove_prefix(8);
  if (!text.empty() && text.front() == '.') {
    text.remove_prefix(1);
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0) return false;
    text.remove_prefix(digits);
  }
  if (text.empty() || text == "Z") return true;
  return text.size() == 6 && (text[0] == '+' || text[0] == '-') && IsDigits(text.substr(1, 2)) &&
         text[3] == ':' && IsDigits(text.substr(4, 2));
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string item = Trim(text.substr(start, comma - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

std::string Quoted(std::initializer_list<const char*> values) {
  std::string out;
  for (const char* value : values) out += (out.empty() ? "" : ", ") + std::string(value);
  return out;
}

// Reads the fields of one record, reporting each problem at its column.
class RowReader {
 public:
  RowReader(const CsvTable& table, const CsvRecord& record, const std::string& file,
            std::vector<ImportProblem>& problems)
      : table_(table), record_(record), file_(file), problems_(problems) {}

  bool ok() const { return ok_; }
  int line() const { return record_.line; }

  void Problem(std::string_view column, std::string reason) {
    auto index = table_.Column(column);
    problems_.push_back({file_, record_.line, std::string(column),
                         index ? static_cast<int>(*index) + 1 : 0, std::move(reason)});
    ok_ = false;
  }

  std::string Optional(std::string_view column) { return Trim(table_.Field(record_, column)); }

  // Blank is a problem, unless the whole column is missing (reported once
  // for the file).
  std::string Required(std::string_view column) {
    std::string value = Optional(column);
    if (value.empty() && table_.Column(column)) Problem(column, "required, but blank");
    return value;
  }

  // One of `allowed` (compared in any case), returned as spelled there; ""
  // when blank and not required.
  std::string Enum(std::string_view column, std::initializer_list<const char*> allowed,
                   bool required) {
    std::string value = required ? Required(column) : Optional(column);
    if (value.empty()) return value;
    const std::string lower = AsciiLower(value);
    for (const char* option : allowed) {
      if (AsciiLower(option) == lower) return option;
    }
    Problem(column, "'" + value + "' is not one of " + Quoted(allowed));
    return "";
  }

  std::optional<bool> Bool(std::string_view column, bool required) {
    std::string value = required ? Required(column) : Optional(column);
    if (value.empty()) return std::nullopt;
    const std::string lower = AsciiLower(value);
    if (lower == "true") return true;
    if (lower == "false") return false;
    Problem(column, "'" + value + "' is not true or false");
    return std::nullopt;
  }

  std::string Date(std::string_view column, bool required) {
    std::string value = required ? Required(column) : Optional(column);
    if (value.empty()) return value;
    if (value.size() != 10 || !ParseDate(value).ok()) {
      Problem(column, "'" + value + "' is not a date (YYYY-MM-DD)");
      return "";
    }
    return value;
  }

  // status and dateLastModified, common to every file.
  RecordStatus Status() {
    const std::string modified = Optional("dateLastModified");
    if (!modified.empty() && !ValidDateTime(modified)) {
      Problem("dateLastModified",
              "'" + modified + "' is not a date and time (YYYY-MM-DDThh:mm:ss.sssZ)");
    }
    const std::string status = Enum("status", {"active", "tobedeleted"}, false);
    return status == "tobedeleted" ? RecordStatus::kToBeDeleted : RecordStatus::kActive;
  }

 private:
  const CsvTable& table_;
  const CsvRecord& record_;
  const std::string& file_;
  std::vector<ImportProblem>& problems_;
  bool ok_ = true;
};

// One file's description: its columns as the specifications (1.1 and 1.2)
// name them, and which of them must be present.
struct FileSpec {
  const char* name;
  const char* manifest_key;  // "file.orgs"
  std::vector<const char*> columns;
  std::vector<const char*> required_columns;
};

const std::vector<FileSpec>& Specs() {
  static const std::vector<FileSpec> specs{
      {kOrgsFile,
       "file.orgs",
       {"sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"},
       {"sourcedId", "name", "type"}},
      {kAcademicSessionsFile,
       "file.academicSessions",
       {"sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
        "parentSourcedId", "schoolYear"},
       {"sourcedId", "title", "type", "startDate", "endDate", "schoolYear"}},
      {kCoursesFile,
       "file.courses",
       {"sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode",
        "grades", "orgSourcedId", "subjects", "subjectCodes", "resourceSourcedIds"},
       {"sourcedId", "title", "orgSourcedId"}},
      {kClassesFile,
       "file.classes",
       {"sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
        "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects",
        "subjectCodes", "periods", "resourceSourcedIds"},
       {"sourcedId", "title", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"}},
      {kUsersFile,
       "file.users",
       {"sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "orgSourcedIds",
        "role",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
        "userMasterIdentifier",
        "resourceSourcedIds",
        "preferredGivenName",
        "preferredMiddleName",
        "preferredFamilyName",
        "primaryOrgSourcedId",
        "pronouns"},
       {"sourcedId", "enabledUser", "username", "givenName", "familyName"}},
      {kRolesFile,
       "file.roles",
       {"sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "beginDate",
        "endDate", "orgSourcedId", "userProfileSourcedId"},
       {"sourcedId", "userSourcedId", "roleType", "role", "orgSourcedId"}},
      {kUserProfilesFile,
       "file.userProfiles",
       {"sourcedId", "status", "dateLastModified", "userSourcedId", "profileType", "vendorId",
        "applicationId", "description", "credentialType", "username", "password"},
       {"sourcedId", "userSourcedId", "profileType", "vendorId", "credentialType", "username"}},
      {kEnrollmentsFile,
       "file.enrollments",
       {"sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
        "userSourcedId", "role", "primary", "beginDate", "endDate"},
       {"sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"}},
      {kDemographicsFile,
       "file.demographics",
       {"sourcedId", "status", "dateLastModified", "birthDate", "sex",
        "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
        "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
        "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation",
        "cityOfBirth", "publicSchoolResidenceStatus"},
       {"sourcedId"}},
  };
  return specs;
}

// Every role OneRoster 1.1 and 1.2 name for users.
constexpr std::initializer_list<const char*> kUserRoles{"administrator",
                                                        "aide",
                                                        "guardian",
                                                        "parent",
                                                        "proctor",
                                                        "relative",
                                                        "student",
                                                        "teacher",
                                                        "counselor",
                                                        "principal",
                                                        "districtAdministrator",
                                                        "siteAdministrator",
                                                        "systemAdministrator"};

// Checks a file's header: required columns present; columns the
// specification does not name are noted as ignored.
void CheckHeader(const CsvTable& table, const FileSpec& spec, ReadReport& report) {
  for (const char* column : spec.required_columns) {
    if (!table.Column(column)) {
      report.problems.push_back({spec.name, 1, column, 0, "required column is missing"});
    }
  }
  std::set<std::string> known;
  for (const char* column : spec.columns) known.insert(AsciiLower(column));
  for (const std::string& name : table.header()) {
    if (!known.contains(AsciiLower(name))) {
      report.ignored_columns[spec.name].push_back(name.empty() ? "(unnamed)" : name);
    }
  }
}

// Keeps the first record of each sourcedId; a later one is a problem. Keyed
// by a 64-bit hash of the sourcedId with the first line (key_table.h): 16
// to 32 bytes a record, whatever the ids' length.
class DuplicateCheck {
 public:
  bool First(RowReader& row, const std::string& sourced_id) {
    auto [line, inserted] =
        first_line_.Emplace(KeyTable::Hash(sourced_id), static_cast<std::uint32_t>(row.line()));
    if (inserted) return true;
    row.Problem("sourcedId", "duplicate sourcedId '" + sourced_id + "' (first on line " +
                                 std::to_string(line) + ")");
    return false;
  }
  void Reserve(std::size_t sourced_ids) { first_line_.Reserve(sourced_ids); }

 private:
  KeyTable first_line_;
};

// One file's text and where to report how far reading it has got (the byte
// offset past each record).
struct FileInput {
  const std::string& text;
  const std::function<void(std::uint64_t)>& at;
};

// Checks one file's records, one at a time, as the CSV streams (csv_table.h):
// the header once, the fields common to every file (status,
// dateLastModified, sourcedId), the file's own fields with `read`, and
// duplicate sourcedIds. Problems go to `report`.
template <typename Record>
class RecordChecker {
 public:
  // `rejected` (optional) gets the sourcedIds of records left out for their
  // own problems.
  RecordChecker(const FileSpec& spec, ReadReport& report, std::set<std::string>* rejected)
      : spec_(spec), file_(spec.name), report_(report), rejected_(rejected) {}

  // Fills `typed` from `record`; false when it is left out (its problems
  // reported). `read(row, typed, deleting)` reads the file's own fields.
  template <typename ReadFn>
  bool Check(const CsvTable& table, const CsvRecord& record, const ReadFn& read, Record& typed) {
    if (!header_checked_) {
      CheckHeader(table, spec_, report_);
      header_checked_ = true;
    }
    ++rows_;
    RowReader row(table, record, file_, report_.problems);
    typed = Record{};
    typed.line = record.line;
    typed.status = row.Status();
    typed.sourced_id = row.Required("sourcedId");
    const bool deleting = typed.status == RecordStatus::kToBeDeleted;
    read(row, typed, deleting);
    if (typed.sourced_id.empty()) return false;
    if (!row.ok()) {
      if (rejected_) rejected_->insert(typed.sourced_id);
      return false;
    }
    return duplicates_.First(row, typed.sourced_id);
  }

  // Room for `records` sourcedIds before the duplicate check grows.
  void ReserveRecords(std::size_t records) { duplicates_.Reserve(records); }

  // After the last record: the header's check when there was no record, and
  // the count of rows.
  void Finish(const CsvTable& header) {
    if (!header_checked_) CheckHeader(header, spec_, report_);
    header_checked_ = true;
    report_.rows[spec_.name] = rows_;
  }

 private:
  const FileSpec& spec_;
  const std::string file_;
  ReadReport& report_;
  std::set<std::string>* rejected_;
  DuplicateCheck duplicates_;
  bool header_checked_ = false;
  int rows_ = 0;
};

// Parses one file's records with `read`: each record's fields are read as
// the CSV streams and only the typed records are kept.
template <typename Record, typename ReadFn>
void ReadFile(const FileInput& text, const FileSpec& spec, ReadReport& report, OneRosterSet& set,
              std::vector<Record>& out, ReadFn read) {
  RecordChecker<Record> checker(spec, report, &set.rejected_ids[spec.name]);
  const std::string file = spec.name;
  CsvTable header = CsvTable::Stream(text.text, file, report.problems,
                                     [&](const CsvTable& table, const CsvRecord& record) {
                                       if (text.at) text.at(record.end);
                                       Record typed;
                                       if (checker.Check(table, record, read, typed))
                                         out.push_back(std::move(typed));
                                     });
  checker.Finish(header);
}

// Required unless the record is being deleted (a delta's tobedeleted row
// needs only its sourcedId).
std::string Needed(RowReader& row, std::string_view column, bool deleting) {
  return deleting ? row.Optional(column) : row.Required(column);
}

void ReadOrgs(const FileInput& text, const FileSpec& spec, ReadReport& report, OneRosterSet& set) {
  ReadFile(text, spec, report, set, set.orgs, [](RowReader& row, OrgRecord& org, bool deleting) {
    org.name = Needed(row, "name", deleting);
    org.type = row.Enum("type", {"district", "school", "department", "local", "state", "national"},
                        !deleting);
    org.identifier = row.Optional("identifier");
    org.parent_sourced_id = row.Optional("parentSourcedId");
  });
}

void ReadAcademicSessions(const FileInput& text, const FileSpec& spec, ReadReport& report,
                          OneRosterSet& set) {
  ReadFile(text, spec, report, set, set.academic_sessions,
           [](RowReader& row, AcademicSessionRecord& session, bool deleting) {
             session.title = Needed(row, "title", deleting);
             session.type =
                 row.Enum("type", {"gradingPeriod", "semester", "schoolYear", "term"}, !deleting);
             session.start_date = row.Date("startDate", !deleting);
             session.end_date = row.Date("endDate", !deleting);
             if (!session.start_date.empty() && !session.end_date.empty() &&
                 session.end_date < session.start_date) {
               row.Problem("endDate", "ends (" + session.end_date + ") before it starts (" +
                                          session.start_date + ")");
             }
             session.parent_sourced_id = row.Optional("parentSourcedId");
             session.school_year = Needed(row, "schoolYear", deleting);
             if (!session.school_year.empty() &&
                 (session.school_year.size() != 4 || !IsDigits(session.school_year))) {
               row.Problem("schoolYear", "'" + session.school_year + "' is not a year (YYYY)");
             }
           });
}

void ReadCourses(const FileInput& text, const FileSpec& spec, ReadReport& report,
                 OneRosterSet& set) {
  ReadFile(text, spec, report, set, set.courses,
           [](RowReader& row, CourseRecord& course, bool deleting) {
             course.title = Needed(row, "title", deleting);
             course.school_year_sourced_id = row.Optional("schoolYearSourcedId");
             course.course_code = row.Optional("courseCode");
             course.org_sourced_id = Needed(row, "orgSourcedId", deleting);
           });
}

void ReadClasses(const FileInput& text, const FileSpec& spec, ReadReport& report,
                 OneRosterSet& set) {
  ReadFile(text, spec, report, set, set.classes, [](RowReader& row, ClassRecord& c, bool deleting) {
    c.title = Needed(row, "title", deleting);
    c.course_sourced_id = Needed(row, "courseSourcedId", deleting);
    c.class_code = row.Optional("classCode");
    c.class_type = row.Enum("classType", {"homeroom", "scheduled"}, !deleting);
    c.school_sourced_id = Needed(row, "schoolSourcedId", deleting);
    c.term_sourced_ids = SplitList(Needed(row, "termSourcedIds", deleting));
  });
}

void ReadUsers(const FileInput& text, const FileSpec& spec, ReadReport& report, OneRosterSet& set,
               bool role_column_required) {
  ReadFile(
      text, spec, report, set, set.users, [&](RowReader& row, UserRecord& user, bool deleting) {
        user.enabled = row.Bool("enabledUser", !deleting).value_or(true);
        user.username = Needed(row, "username", deleting);
        user.given_name = Needed(row, "givenName", deleting);
        user.family_name = Needed(row, "familyName", deleting);
        user.email = row.Optional("email");
        user.org_sourced_ids =
            SplitList(role_column_required ? Needed(row, "orgSourcedIds", deleting)
                                           : row.Optional("orgSourcedIds"));
        user.primary_org = row.Optional("primaryOrgSourcedId");
        user.role = AsciiLower(row.Enum("role", kUserRoles, role_column_required && !deleting));
        user.agent_sourced_ids = SplitList(row.Optional("agentSourcedIds"));
        user.grades = SplitList(row.Optional("grades"));
      });
}

void ReadRoles(const FileInput& text, const FileSpec& spec, ReadReport& report, OneRosterSet& set) {
  ReadFile(text, spec, report, set, set.roles, [](RowReader& row, RoleRecord& role, bool deleting) {
    role.user_sourced_id = Needed(row, "userSourcedId", deleting);
    role.primary = row.Enum("roleType", {"primary", "secondary"}, !deleting) == "primary";
    role.role = AsciiLower(row.Enum("role", kUserRoles, !deleting));
    role.org_sourced_id = Needed(row, "orgSourcedId", deleting);
    row.Date("beginDate", false);
    row.Date("endDate", false);
  });
}

void ReadUserProfiles(const FileInput& text, const FileSpec& spec, ReadReport& report,
                      OneRosterSet& set) {
  ReadFile(text, spec, report, set, set.user_profiles,
           [](RowReader& row, UserProfileRecord& profile, bool deleting) {
             profile.user_sourced_id = Needed(row, "userSourcedId", deleting);
             profile.profile_type = Needed(row, "profileType", deleting);
             profile.vendor_id = Needed(row, "vendorId", deleting);
             profile.credential_type = Needed(row, "credentialType", deleting);
             Needed(row, "username", deleting);
           });
}

void ReadEnrollmentFields(RowReader& row, EnrollmentRecord& enrollment, bool deleting) {
  enrollment.class_sourced_id = Needed(row, "classSourcedId", deleting);
  enrollment.school_sourced_id = Needed(row, "schoolSourcedId", deleting);
  enrollment.user_sourced_id = Needed(row, "userSourcedId", deleting);
  enrollment.role = AsciiLower(
      row.Enum("role", {"student", "teacher", "administrator", "proctor", "aide"}, !deleting));
  row.Bool("primary", false);
  const std::string begin = row.Date("beginDate", false);
  const std::string end = row.Date("endDate", false);
  if (!begin.empty() && !end.empty() && end < begin) {
    row.Problem("endDate", "ends (" + end + ") before it begins (" + begin + ")");
  }
}

void ReadEnrollments(const FileInput& text, const FileSpec& spec, ReadReport& report,
                     OneRosterSet& set) {
  ReadFile(text, spec, report, set, set.enrollments, ReadEnrollmentFields);
}

void ReadDemographics(const FileInput& text, const FileSpec& spec, ReadReport& report,
                      OneRosterSet& set) {
  ReadFile(text, spec, report, set, set.demographics,
           [](RowReader& row, DemographicsRecord& d, bool) {
             row.Date("birthDate", false);
             d.sex = row.Enum("sex", {"male", "female", "other", "unspecified"}, false);
             d.american_indian_or_alaska_native = row.Bool("americanIndianOrAlaskaNative", false);
             d.asian = row.Bool("asian", false);
             d.black_or_african_american = row.Bool("blackOrAfricanAmerican", false);
             d.native_hawaiian_or_other_pacific_islander =
                 row.Bool("nativeHawaiianOrOtherPacificIslander", false);
             d.white = row.Bool("white", false);
             d.two_or_more_races = row.Bool("demographicRaceTwoOrMoreRaces", false);
             d.hispanic_or_latino = row.Bool("hispanicOrLatinoEthnicity", false);
           });
}

// The manifest: version and each file's mode.
void ReadManifest(const std::string& text, OneRosterSet& set, ReadReport& report,
                  std::map<std::string, int>& mode_lines) {
  std::vector<ImportProblem>& problems = report.problems;
  CsvTable table = CsvTable::Parse(text, kManifestFile, problems);
  for (const char* column : {"propertyName", "value"}) {
    if (!table.Column(column))
      problems.push_back({kManifestFile, 1, column, 0, "required column is missing"});
  }
  std::unordered_map<std::string, const FileSpec*> spec_by_key;
  for (const FileSpec& spec : Specs()) spec_by_key[AsciiLower(spec.manifest_key)] = &spec;
  int version_line = 0;
  const std::string file = kManifestFile;
  for (const CsvRecord& record : table.records()) {
    RowReader row(table, record, file, problems);
    const std::string name = row.Required("propertyName");
    const std::string lower = AsciiLower(name);
    if (lower == "oneroster.version") {
      version_line = record.line;
      set.version = row.Required("value");
      if (!set.version.empty() && set.version != "1.1" && set.version != "1.2") {
        row.Problem("value", "OneRoster version '" + set.version + "' is not 1.1 or 1.2");
      }
      continue;
    }
    if (!lower.starts_with("file.")) continue;
    const std::string mode = row.Enum("value", {"bulk", "delta", "absent"}, true);
    auto it = spec_by_key.find(lower);
    if (it == spec_by_key.end()) {
      if (!mode.empty() && mode != "absent") {
        report.ignored_files.push_back(name.substr(5) + " (not imported by Cairn)");
      }
      continue;
    }
    set.modes[it->second->name] = mode == "bulk"    ? FileMode::kBulk
                                  : mode == "delta" ? FileMode::kDelta
                                                    : FileMode::kAbsent;
    mode_lines[it->second->name] = record.line;
  }
  if (version_line == 0 && table.Column("propertyName")) {
    problems.push_back({kManifestFile, 0, "", 0, "oneroster.version is missing"});
  }
}

// Files keyed by their lowercase base name.
using FileMap = std::map<std::string, std::string>;

std::string BaseName(const std::string& path) {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Hands one file's text to the reader, which drops it when done: the set is
// never in memory all at once.
using FileFn = std::function<Status(const std::string& key, std::string text)>;

// Reads a file a piece at a time: appends up to `max` bytes to `out`,
// returning how many (0 at the end).
using PieceFn = std::function<Result<std::size_t>(std::string& out, std::size_t max)>;

// Where a set's files come from. `keys` and `sizes` are known before any
// file is read; `each` reads the files `wanted` names, in any order; `open`
// reads one in pieces (a folder's file from disk as asked; a zip's entry or
// a file in memory is read whole first).
struct SetSource {
  std::vector<std::string> keys;               // lowercase base names, sorted
  std::map<std::string, std::uint64_t> sizes;  // bytes, when known
  std::function<Status(const std::set<std::string>& wanted, const FileFn& fn)> each;
  std::function<Result<PieceFn>(const std::string& key)> open;
};

// Pieces of a text already in memory.
PieceFn PiecesOf(std::shared_ptr<const std::string> text) {
  auto offset = std::make_shared<std::size_t>(0);
  return [text, offset](std::string& out, std::size_t max) -> Result<std::size_t> {
    const std::size_t n = std::min(max, text->size() - *offset);
    out.append(*text, *offset, n);
    *offset += n;
    return n;
  };
}

// Opens a file of the set by reading it whole with `each` (zips, memory).
Result<PieceFn> OpenWhole(const SetSource& source, const std::string& key) {
  auto text = std::make_shared<std::string>();
  CAIRN_RETURN_IF_ERROR(source.each({key}, [&](const std::string&, std::string content) {
    *text = std::move(content);
    return Status::Ok();
  }));
  return PiecesOf(std::move(text));
}

// The entries of a zip, read through a fixed buffer within `limits`
// (`total` counts expanded bytes across calls). Folders, dotfiles and macOS
// resource forks are skipped; `fn` gets the entries `wanted` names, one at a
// time; the others are skipped unread. `sizes` (when given) gets every
// entry, with its expanded size as its header states it (0 when unstated).
Status ForEachZipEntry(const std::string& path, const ZipLimits& limits, std::uint64_t& total,
                       const std::set<std::string>* wanted, const FileFn& fn,
                       std::map<std::string, std::uint64_t>* sizes) {
  using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;
  ArchivePtr reader(archive_read_new(), &archive_read_free);
  if (!reader) return Status::Internal("libarchive: out of memory");
  archive_read_support_format_zip(reader.get());
  auto corrupt = [&]() {
    const char* detail = archive_error_string(reader.get());
    return Status::Invalid("'" + path + "' is not a readable zip" + (detail ? ": " : "") +
                           (detail ? detail : ""));
  };
  if (archive_read_open_filename(reader.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    return corrupt();
  }
  std::set<std::string> seen;
  std::vector<char> buffer(64 * 1024);
  std::size_t entries = 0;
  for (;;) {
    archive_entry* entry = nullptr;
    const int header = archive_read_next_header(reader.get(), &entry);
    if (header == ARCHIVE_EOF) break;
    if (header < ARCHIVE_WARN) return corrupt();
    if (++entries > limits.max_entries) {
      return Status::TooLarge("the zip has more than " + std::to_string(limits.max_entries) +
                              " entries");
    }
    if (archive_entry_is_encrypted(entry)) {
      return Status::Invalid("the zip is encrypted; export it without a password");
    }
    const char* raw = archive_entry_pathname(entry);
    const std::string name = raw ? raw : "";
    const std::string base = BaseName(name);
    if (archive_entry_filetype(entry) != AE_IFREG || base.empty() || base.front() == '.' ||
        name.starts_with("__MACOSX/")) {
      continue;
    }
    const std::string key = AsciiLower(base);
    if (!seen.insert(key).second) {
      return Status::Invalid("the zip holds two files named '" + base + "'");
    }
    if (sizes) {
      (*sizes)[key] = archive_entry_size_is_set(entry)
                          ? static_cast<std::uint64_t>(archive_entry_size(entry))
                          : 0;
    }
    if (wanted && !wanted->contains(key)) continue;  // libarchive skips the data
    std::string content;
    const la_int64_t compressed_start = archive_filter_bytes(reader.get(), -1);
    for (;;) {
      const la_ssize_t got = archive_read_data(reader.get(), buffer.data(), buffer.size());
      if (got < 0) return corrupt();
      if (got == 0) break;
      total += static_cast<std::uint64_t>(got);
      if (total > limits.max_total_bytes) {
        return Status::TooLarge("the zip expands beyond " +
                                std::to_string(limits.max_total_bytes >> 20) + " MB");
      }
      content.append(buffer.data(), static_cast<std::size_t>(got));
      if (content.size() > (1u << 20)) {
        const la_int64_t compressed = archive_filter_bytes(reader.get(), -1) - compressed_start;
        if (static_cast<double>(content.size()) >
            limits.max_ratio * static_cast<double>(std::max<la_int64_t>(compressed, 1))) {
          return Status::TooLarge("zip entry '" + name + "' expands more than " +
                                  std::to_string(static_cast<int>(limits.max_ratio)) +
                                  " times its compressed size (zip bomb?)");
        }
      }
    }
    CAIRN_RETURN_IF_ERROR(fn(key, std::move(content)));
  }
  return Status::Ok();
}

// A zip: one pass lists the entries (reading none), each later pass reads
// the entries asked for, so one entry's text is in memory at a time.
Result<SetSource> ZipSource(const std::string& path, const ZipLimits& limits) {
  auto total = std::make_shared<std::uint64_t>(0);
  SetSource source;
  const std::set<std::string> none;
  CAIRN_RETURN_IF_ERROR(ForEachZipEntry(
      path, limits, *total, &none, [](const std::string&, std::string) { return Status::Ok(); },
      &source.sizes));
  for (const auto& [key, size] : source.sizes) source.keys.push_back(key);
  source.each = [path, limits, total](const std::set<std::string>& wanted, const FileFn& fn) {
    return ForEachZipEntry(path, limits, *total, &wanted, fn, nullptr);
  };
  source.open = [each = source.each](const std::string& key) {
    return OpenWhole(SetSource{{}, {}, each, {}}, key);
  };
  return source;
}

Result<SetSource> FolderSource(const std::string& path, const ZipLimits& limits) {
  namespace fs = std::filesystem;
  SetSource source;
  std::map<std::string, fs::path> paths;
  std::error_code error;
  std::uint64_t total = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(path, error)) {
    if (!entry.is_regular_file()) continue;
    const std::string base = entry.path().filename().string();
    if (base.empty() || base.front() == '.') continue;
    const std::string key = AsciiLower(base);
    if (!key.ends_with(".csv")) continue;
    total += entry.file_size();
    if (total > limits.max_total_bytes) {
      return Status::TooLarge("the files in '" + path + "' are larger than " +
                              std::to_string(limits.max_total_bytes >> 20) + " MB");
    }
    if (paths.contains(key))
      return Status::Invalid("two files named '" + base + "' in '" + path + "'");
    paths.emplace(key, entry.path());
    source.sizes[key] = entry.file_size();
  }
  if (error) return Status::NotFound("cannot read folder '" + path + "': " + error.message());
  for (const auto& [key, file] : paths) source.keys.push_back(key);
  source.each = [paths](const std::set<std::string>& wanted, const FileFn& fn) -> Status {
    for (const auto& [key, file] : paths) {
      if (!wanted.contains(key)) continue;
      std::ifstream in(file, std::ios::binary);
      std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) return Status::Internal("cannot read '" + file.string() + "'");
      CAIRN_RETURN_IF_ERROR(fn(key, std::move(content)));
    }
    return Status::Ok();
  };
  source.open = [paths](const std::string& key) -> Result<PieceFn> {
    auto it = paths.find(key);
    if (it == paths.end()) return Status::NotFound("no file '" + key + "' in the set");
    auto in = std::make_shared<std::ifstream>(it->second, std::ios::binary);
    if (!*in) return Status::Internal("cannot read '" + it->second.string() + "'");
    return PieceFn(
        [in, file = it->second](std::string& out, std::size_t max) -> Result<std::size_t> {
          const std::size_t before = out.size();
          out.resize(before + max);
          in->read(out.data() + before, static_cast<std::streamsize>(max));
          const auto got = static_cast<std::size_t>(in->gcount());
          out.resize(before + got);
          if (in->bad()) return Status::Internal("cannot read '" + file.string() + "'");
          return got;
        });
  };
  return source;
}

Result<SetSource> PathSource(const std::string& path, const ZipLimits& limits) {
  std::error_code error;
  const auto kind = std::filesystem::status(path, error).type();
  if (error || kind == std::filesystem::file_type::not_found) {
    return Status::NotFound("no file or folder '" + path + "'");
  }
  return kind == std::filesystem::file_type::directory ? FolderSource(path, limits)
                                                       : ZipSource(path, limits);
}

// Reports reading progress in bytes of the files read: after each file,
// and within a large file every kProgressBytes.
class ReadProgressMeter {
 public:
  static constexpr std::uint64_t kProgressBytes = 1u << 20;
  ReadProgressMeter(const ProgressFn& fn, std::uint64_t total) : fn_(fn), total_(total) {}

  void Within(const std::string& file, std::uint64_t offset) {
    if (!fn_ || offset < last_reported_ + kProgressBytes) return;
    last_reported_ = offset;
    Report(file, std::min(done_ + offset, total_));
  }
  void FileDone(const std::string& file, std::uint64_t size) {
    done_ = std::min(done_ + size, total_);
    last_reported_ = 0;
    Report(file, done_);
  }
  void Finish() { Report("", total_); }

 private:
  void Report(const std::string& file, std::uint64_t done) {
    if (!fn_ || done < reported_) return;
    reported_ = done;
    fn_(ImportProgress{"reading", done, total_, file});
  }
  const ProgressFn& fn_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  std::uint64_t last_reported_ = 0;
  std::uint64_t reported_ = 0;
};

// enrollments.csv a piece at a time: whole records are parsed from the
// front of the buffer, the rest (a record cut by the piece's end) waits for
// the next piece.
class StreamedEnrollments final : public EnrollmentReader {
 public:
  StreamedEnrollments(PieceFn read, const FileSpec& spec, std::uint64_t size)
      : read_(std::move(read)),
        spec_(spec),
        file_(spec.name),
        size_(size),
        checker_(spec, report_, nullptr) {
    // Sized once from the file (a record is rarely under 56 bytes): growing
    // a million-entry table step by step re-inserts every key several times.
    checker_.ReserveRecords(static_cast<std::size_t>(size / 56));
  }

  Result<bool> Next(const RecordFn& fn) override {
    if (done_) return false;
    for (;;) {
      CAIRN_ASSIGN_OR_RETURN(const std::size_t got, read_(buffer_, kPieceBytes));
      bytes_ += got;
      const bool end = got == 0;
      const std::size_t whole = end ? buffer_.size() : CsvTable::WholeRecords(buffer_);
      if (!end && whole == 0) continue;  // a record longer than a piece so far
      auto on_record = [&](const CsvTable& table, const CsvRecord& record) {
        if (checker_.Check(table, record, ReadEnrollmentFields, typed_)) fn(typed_);
      };
      const std::string_view piece(buffer_.data(), whole);
      if (!header_read_) {
        table_ = CsvTable::Stream(piece, file_, report_.problems, on_record);
        line_ = table_.next_line();
        header_read_ = true;
      } else {
        line_ = table_.StreamMore(piece, line_, file_, report_.problems, on_record);
      }
      buffer_.erase(0, whole);
      if (!end) return true;
      checker_.Finish(table_);
      done_ = true;
      std::string().swap(buffer_);
      return false;
    }
  }
  const ReadReport& report() const override { return report_; }
  std::uint64_t bytes_read() const override { return bytes_; }
  std::uint64_t size() const override { return size_; }

 private:
  PieceFn read_;
  const FileSpec& spec_;
  const std::string file_;
  std::uint64_t size_;
  ReadReport report_;
  RecordChecker<EnrollmentRecord> checker_;
  EnrollmentRecord typed_;  // reused: its strings keep their capacity
  CsvTable table_;          // the header
  std::string buffer_;
  std::uint64_t bytes_ = 0;
  int line_ = 1;
  bool header_read_ = false;
  bool done_ = false;
};

Result<OneRosterSet> ReadSet(const SetSource& source, ReadReport& report,
                             const ProgressFn& progress, bool stream_enrollments) {
  OneRosterSet set;
  const bool has_manifest =
      std::binary_search(source.keys.begin(), source.keys.end(), std::string("manifest.csv"));
  if (!has_manifest) {
    report.problems.push_back({kManifestFile, 0, "", 0, "manifest.csv is missing from the set"});
    return set;
  }
  std::map<std::string, int> mode_lines;
  CAIRN_RETURN_IF_ERROR(source.each({"manifest.csv"}, [&](const std::string&, std::string text) {
    ReadManifest(text, set, report, mode_lines);
    return Status::Ok();
  }));
  const bool v12 = set.version == "1.2";

  // Problems per file, put in the report in the specification's file order
  // whatever order the files come in.
  std::map<std::string, std::vector<ImportProblem>> problems_of;
  std::map<std::string, const FileSpec*> to_read;  // by key
  std::uint64_t total_bytes = 0;
  for (const FileSpec& spec : Specs()) {
    const FileMode mode = set.Mode(spec.name);
    const std::string key = AsciiLower(spec.name);
    const bool present = std::binary_search(source.keys.begin(), source.keys.end(), key);
    if (mode == FileMode::kAbsent) {
      if (present) report.ignored_files.push_back(std::string(spec.name) + " (manifest: absent)");
      continue;
    }
    if (!present) {
      problems_of[spec.name].push_back({kManifestFile, mode_lines[spec.name], "value", 0,
                                        std::string(spec.manifest_key) + " is " +
                                            (mode == FileMode::kBulk ? "bulk" : "delta") + " but " +
                                            spec.name + " is not in the set"});
      continue;
    }
    auto size = source.sizes.find(key);
    if (stream_enrollments && spec.name == std::string_view(kEnrollmentsFile)) {
      CAIRN_ASSIGN_OR_RETURN(PieceFn pieces, source.open(key));
      set.enrollment_reader = std::make_shared<StreamedEnrollments>(
          std::move(pieces), spec, size == source.sizes.end() ? 0 : size->second);
      continue;
    }
    to_read[key] = &spec;
    if (size != source.sizes.end()) total_bytes += size->second;
  }
  ReadProgressMeter meter(progress, total_bytes);
  std::set<std::string> wanted;
  for (const auto& [key, spec] : to_read) wanted.insert(key);
  CAIRN_RETURN_IF_ERROR(source.each(wanted, [&](const std::string& key, std::string text) {
    const FileSpec& spec = *to_read.at(key);
    const std::string name = spec.name;
    std::vector<ImportProblem> before;
    before.swap(report.problems);
    const std::function<void(std::uint64_t)> at = [&](std::uint64_t offset) {
      meter.Within(name, offset);
    };
    const FileInput input{text, at};
    if (name == kOrgsFile) ReadOrgs(input, spec, report, set);
    if (name == kAcademicSessionsFile) ReadAcademicSessions(input, spec, report, set);
    if (name == kCoursesFile) ReadCourses(input, spec, report, set);
    if (name == kClassesFile) ReadClasses(input, spec, report, set);
    if (name == kUsersFile) {
      // 1.1 names each user's role and orgs in users.csv; 1.2 moves roles
      // to roles.csv (a 1.2 set without it may still carry the column).
      const bool roles_in_users = !v12 || set.Mode(kRolesFile) == FileMode::kAbsent;
      ReadUsers(input, spec, report, set, roles_in_users);
    }
    if (name == kRolesFile) ReadRoles(input, spec, report, set);
    if (name == kUserProfilesFile) ReadUserProfiles(input, spec, report, set);
    if (name == kEnrollmentsFile) ReadEnrollments(input, spec, report, set);
    if (name == kDemographicsFile) ReadDemographics(input, spec, report, set);
    problems_of[name] = std::move(report.problems);
    report.problems = std::move(before);
    auto size = source.sizes.find(key);
    meter.FileDone(name, size == source.sizes.end() ? text.size() : size->second);
    return Status::Ok();
  }));
  for (const FileSpec& spec : Specs()) {
    if (spec.name == std::string_view(kEnrollmentsFile)) {
      set.enrollment_problems_at = report.problems.size();
    }
    auto it = problems_of.find(spec.name);
    if (it == problems_of.end()) continue;
    report.problems.insert(report.problems.end(), it->second.begin(), it->second.end());
  }
  for (const std::string& key : source.keys) {
    bool known = key == "manifest.csv";
    for (const FileSpec& spec : Specs()) known |= key == AsciiLower(spec.name);
    if (!known) report.ignored_files.push_back(key + " (not imported by Cairn)");
  }
  meter.Finish();
  return set;
}

SetSource MemorySource(const std::map<std::string, std::string>& given) {
  auto files = std::make_shared<FileMap>();
  for (const auto& [name, content] : given) (*files)[AsciiLower(BaseName(name))] = content;
  SetSource source;
  for (const auto& [key, content] : *files) {
    source.keys.push_back(key);
    source.sizes[key] = content.size();
  }
  source.each = [files](const std::set<std::string>& wanted, const FileFn& fn) -> Status {
    for (const auto& [key, content] : *files) {
      if (wanted.contains(key)) CAIRN_RETURN_IF_ERROR(fn(key, content));
    }
    return Status::Ok();
  };
  source.open = [files](const std::string& key) -> Result<PieceFn> {
    auto it = files->find(key);
    if (it == files->end()) return Status::NotFound("no file '" + key + "' in the set");
    return PiecesOf(std::shared_ptr<const std::string>(files, &it->second));
  };
  return source;
}

}  // namespace

FileMode OneRosterSet::Mode(const std::string& file) const {
  auto it = modes.find(file);
  return it == modes.end() ? FileMode::kAbsent : it->second;
}

OneRosterSet ReadOneRosterFiles(const std::map<std::string, std::string>& given, ReadReport& report,
                                const ProgressFn& progress) {
  // Reading from memory cannot fail.
  auto set = ReadSet(MemorySource(given), report, progress, false);
  return set.ok() ? std::move(*set) : OneRosterSet{};
}

Result<std::map<std::string, std::string>> ReadSetFiles(const std::string& path,
                                                        const ZipLimits& limits) {
  CAIRN_ASSIGN_OR_RETURN(SetSource source, PathSource(path, limits));
  std::set<std::string> all(source.keys.begin(), source.keys.end());
  FileMap files;
  CAIRN_RETURN_IF_ERROR(source.each(all, [&](const std::string& key, std::string text) {
    files.emplace(key, std::move(text));
    return Status::Ok();
  }));
  return files;
}

Result<OneRosterSet> ReadOneRoster(const std::string& path, ReadReport& report,
                                   const ZipLimits& limits, const ProgressFn& progress,
                                   bool stream_enrollments) {
  CAIRN_ASSIGN_OR_RETURN(SetSource source, PathSource(path, limits));
  return ReadSet(source, report, progress, stream_enrollments);
}

}  // namespace cairn::oneroster
