#include "reports/oneroster_gradebook.h"

#include <archive.h>
#include <archive_entry.h>

#include <map>
#include <memory>
#include <sstream>

#include "reports/csv.h"
#include "service/crypto.h"

namespace cairn {
namespace {

// The 1.2 binding's dateTime form ("2026-01-31T23:59:59.000Z").
std::string DateTime(Instant instant) {
  std::string text = FormatInstant(instant);
  text.insert(text.size() - 1, ".000");
  return text;
}

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string Table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows) {
  std::ostringstream out;
  WriteCsvRow(out, header);
  for (const auto& row : rows) WriteCsvRow(out, row);
  return out.str();
}

std::string Manifest() {
  // Every file of the 1.2 binding is named; only the gradebook's are present.
  const std::vector<std::pair<std::string, std::string>> properties = {
      {"manifest.version", "1.0"},
      {"oneroster.version", "1.2"},
      {"file.academicSessions", "absent"},
      {"file.categories", "delta"},
      {"file.classes", "absent"},
      {"file.classResources", "absent"},
      {"file.courses", "absent"},
      {"file.courseResources", "absent"},
      {"file.demographics", "absent"},
      {"file.enrollments", "absent"},
      {"file.lineItemLearningObjectiveIds", "absent"},
      {"file.lineItems", "delta"},
      {"file.lineItemScoreScales", "absent"},
      {"file.orgs", "absent"},
      {"file.resources", "absent"},
      {"file.resultLearningObjectiveIds", "absent"},
      {"file.results", "delta"},
      {"file.resultScoreScales", "absent"},
      {"file.roles", "absent"},
      {"file.scoreScales", "absent"},
      {"file.userProfiles", "absent"},
      {"file.userResources", "absent"},
      {"file.users", "absent"},
      {"source.systemName", "Cairn"},
      {"source.systemCode", "cairn"},
  };
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, value] : properties) rows.push_back({name, value});
  return Table({"propertyName", "value"}, rows);
}

// What a SIS shows beside the grade: when it was earned, or what remains.
std::string Comment(const GradebookEntry& entry) {
  constexpr std::size_t kMaxComment = 1000;
  std::string text = entry.outcome == GradebookOutcome::kPass
                         ? "Badge earned on " + FormatDate(entry.passed_on) + "."
                         : "Remaining: " + Join(entry.remaining, "; ") + ".";
  if (text.size() > kMaxComment) text = text.substr(0, kMaxComment - 3) + "...";
  return text;
}

la_ssize_t ArchiveWrite(struct archive*, void* out, const void* data, std::size_t size) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

}  // namespace

const std::vector<std::string>& OneRosterCategoryColumns() {
  static const std::vector<std::string> columns = {"sourcedId", "status", "dateLastModified",
                                                   "title", "weight"};
  return columns;
}

const std::vector<std::string>& OneRosterLineItemColumns() {
  static const std::vector<std::string> columns = {"sourcedId",         "status",
                                                   "dateLastModified",  "title",
                                                   "description",       "assignDate",
                                                   "dueDate",           "classSourcedId",
                                                   "categorySourcedId", "academicSessionSourcedId",
                                                   "resultValueMin",    "resultValueMax",
                                                   "schoolSourcedId"};
  return columns;
}

const std::vector<std::string>& OneRosterResultColumns() {
  static const std::vector<std::string> columns = {"sourcedId",
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
  return columns;
}

std::string DerivedSourcedId(const std::string& name) {
  std::string hex = Sha256Hex(name).substr(0, 32);
  hex[12] = '8';  // version 8: a custom, name-derived UUID
  const int variant = std::stoi(hex.substr(16, 1), nullptr, 16);
  hex[16] = "89ab"[variant & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::vector<ExportFile> OneRosterGradebookFiles(const Gradebook& gradebook) {
  const std::string modified = DateTime(gradebook.as_of);
  const std::string category = DerivedSourcedId("cairn/category/badges");
  const bool points = gradebook.settings.HasPoints();
  const bool letters = gradebook.settings.HasLetters();
  const std::string max_value = points ? FormatScore(gradebook.settings.points_max) : "1";

  std::vector<std::vector<std::string>> line_items;
  std::map<std::string, std::string> line_item_of;  // badge code -> sourcedId
  for (const GradebookBadge& badge : gradebook.badges) {
    const std::string id = DerivedSourcedId("cairn/line-item/" + gradebook.section_sourced_id +
                                            "/" + badge.code + "/" + gradebook.period.sourced_id);
    line_item_of[badge.code] = id;
    line_items.push_back({id, "active", modified, badge.code + " " + badge.title,
                          "Badge " + badge.code + ": " + badge.rule_summary,
                          DateTime(StartOf(gradebook.period.start)),
                          DateTime(StartOf(gradebook.period.end + 1) - 1),
                          gradebook.section_sourced_id, category, gradebook.period.sourced_id, "0",
                          max_value, gradebook.school_sourced_id});
  }

  std::vector<std::vector<std::string>> results;
  const std::string score_date = FormatDate(DayOf(gradebook.as_of));
  for (const GradebookEntry& entry : gradebook.entries) {
    const std::string& line_item = line_item_of[entry.badge_code];
    const bool pass = entry.outcome == GradebookOutcome::kPass;
    const bool graded = pass || entry.has_evidence;
    std::string score;
    if (points && entry.points) {
      score = FormatScore(*entry.points);
    } else if (graded) {
      score = pass ? "1" : "0";
    }
    results.push_back(
        {DerivedSourcedId("cairn/result/" + line_item + "/" + entry.student_sourced_id), "active",
         modified, line_item, entry.student_sourced_id, graded ? "fully graded" : "not submitted",
         score, score_date, Comment(entry), letters ? entry.letter : entry.outcome_label,
         gradebook.section_sourced_id, !pass && entry.has_evidence ? "true" : "false", "", "", ""});
  }

  return {
      {"manifest.csv", Manifest()},
      {"categories.csv",
       Table(OneRosterCategoryColumns(), {{category, "active", modified, "Badges", ""}})},
      {"lineItems.csv", Table(OneRosterLineItemColumns(), line_items)},
      {"results.csv", Table(OneRosterResultColumns(), results)},
  };
}

Result<std::string> ZipFiles(const std::vector<ExportFile>& files, Instant mtime) {
  std::string out;
  std::unique_ptr<struct archive, decltype(&archive_write_free)> zip(archive_write_new(),
                                                                     archive_write_free);
  auto failure = [&](const std::string& what) {
    const char* detail = zip ? archive_error_string(zip.get()) : nullptr;
    return Status::Internal("zip: " + what + (detail ? std::string(": ") + detail : ""));
  };
  if (!zip || archive_write_set_format_zip(zip.get()) != ARCHIVE_OK ||
      archive_write_open(zip.get(), &out, nullptr, ArchiveWrite, nullptr) != ARCHIVE_OK) {
    return failure("opening");
  }
  for (const ExportFile& file : files) {
    std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                               archive_entry_free);
    archive_entry_set_pathname(entry.get(), file.name.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(file.bytes.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_mtime(entry.get(), mtime, 0);
    if (archive_write_header(zip.get(), entry.get()) != ARCHIVE_OK) {
      return failure("writing " + file.name);
    }
    if (archive_write_data(zip.get(), file.bytes.data(), file.bytes.size()) !=
        static_cast<la_ssize_t>(file.bytes.size())) {
      return failure("writing " + file.name);
    }
  }
  if (archive_write_close(zip.get()) != ARCHIVE_OK) return failure("closing");
  return out;
}

}  // namespace cairn
