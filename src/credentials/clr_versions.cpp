#include "credentials/clr_versions.h"

namespace cairn {

JournalEntry ClrEntry(const Person& student, const IssuedClr& issued, Id recorded_by, Instant at) {
  JournalEntry e;
  e.district_id = student.district_id;
  e.stream = std::string(kClrStream);
  e.key = "student:" + student.sourced_id;
  e.student_id = student.id;
  e.recorded_by = recorded_by;
  e.recorded_at = at;
  e.body = nlohmann::json{{"version", issued.version}, {"clr", issued.clr}}.dump();
  return e;
}

Result<std::optional<IssuedClr>> LatestClr(const std::vector<JournalEntry>& entries) {
  if (entries.empty()) return std::optional<IssuedClr>();
  const JournalEntry& last = entries.back();
  nlohmann::json body = nlohmann::json::parse(last.body, nullptr, false);
  if (!body.is_object() || !body.contains("version") || !body["version"].is_string() ||
      !body.contains("clr") || !body["clr"].is_object()) {
    return Status::Internal("journal entry " + std::to_string(last.id) + ": not an issued CLR");
  }
  return std::optional<IssuedClr>(IssuedClr{body["version"], body["clr"]});
}

}  // namespace cairn
