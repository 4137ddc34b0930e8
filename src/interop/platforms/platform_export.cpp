#include "interop/platforms/platform_export.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "mastery/awards.h"
#include "reports/csv.h"

namespace cairn {

Result<AwardPlatform> ParseAwardPlatform(std::string_view name, const std::string& field) {
  if (name == "credly") return AwardPlatform::kCredly;
  if (name == "canvas") return AwardPlatform::kCanvasCredentials;
  return Status::InvalidField(field, "expected \"credly\" or \"canvas\"");
}

std::vector<PlatformAward> AwardsInForce(const Roster& roster, Id district,
                                         const std::map<Id, std::vector<AwardFact>>& awards,
                                         std::string_view badge) {
  std::vector<PlatformAward> out;
  for (const auto& [student_id, facts] : awards) {
    const Person* student = roster.FindPerson(student_id);
    if (!student || !student->active || student->district_id != district) continue;
    for (const auto& [code, record] : FoldAwards(facts)) {
      if (record.state != AwardState::kConfirmed) continue;
      if (!badge.empty() && code != badge) continue;
      out.push_back({code, student, record.confirmed_at});
    }
  }
  std::sort(out.begin(), out.end(), [](const PlatformAward& a, const PlatformAward& b) {
    if (a.badge_code != b.badge_code) return a.badge_code < b.badge_code;
    if (a.confirmed_at != b.confirmed_at) return a.confirmed_at < b.confirmed_at;
    return a.student->sourced_id < b.student->sourced_id;
  });
  return out;
}

namespace {

// Credly's bulk issue dates: short US form, mm/dd/yy.
std::string CredlyDate(Instant at) {
  const std::string iso = FormatDate(DayOf(at));  // yyyy-mm-dd
  return iso.substr(5, 2) + "/" + iso.substr(8, 2) + "/" + iso.substr(2, 2);
}

std::string Narrative(const Catalog& catalog, const std::string& code) {
  const Badge* badge = catalog.FindBadge(code);
  if (!badge) return "Earned " + code + " by showing mastery of each of its expectations.";
  return "Earned " + badge->code + " " + badge->title + " by showing mastery of each of its " +
         std::to_string(badge->cpes.size()) + " content and practice expectations.";
}

}  // namespace

PlatformExport ExportAwards(AwardPlatform platform, std::span<const PlatformAward> awards,
                            const Catalog& catalog,
                            const std::map<std::string, std::string>& platform_ids) {
  PlatformExport out;
  std::ostringstream csv;
  if (platform == AwardPlatform::kCredly) {
    WriteCsvRow(csv, {"Badge Template ID", "Recipient Email", "First Name", "Middle Name",
                      "Last Name", "Issued at", "Expiration Date", "Issuer Earner ID", "Country",
                      "State or Province", "Evidence Name", "Evidence URL", "Locale"});
  } else {
    WriteCsvRow(csv, {"Badge Class ID", "Identifier", "First Name", "Last Name", "Narrative",
                      "Evidence Narrative", "Evidence URL", "Issue Date", "Expiration Date"});
  }
  for (const PlatformAward& a : awards) {
    if (a.student->email.empty()) {
      ++out.without_email;
      continue;
    }
    auto id = platform_ids.find(a.badge_code);
    const std::string platform_id = id == platform_ids.end() ? "" : id->second;
    if (platform == AwardPlatform::kCredly) {
      WriteCsvRow(csv,
                  {platform_id, a.student->email, a.student->given_name, "", a.student->family_name,
                   CredlyDate(a.confirmed_at), "", a.student->sourced_id, "", "", "", "", ""});
    } else {
      WriteCsvRow(
          csv, {platform_id, a.student->email, a.student->given_name, a.student->family_name,
                Narrative(catalog, a.badge_code), "", "", FormatDate(DayOf(a.confirmed_at)), ""});
    }
    ++out.rows;
  }
  out.csv = csv.str();
  return out;
}

Result<std::map<std::string, std::string>> ParsePlatformIds(std::string_view text,
                                                            const std::string& field) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  int index = 0;
  while (start <= text.size() && !text.empty()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view entry = text.substr(start, end - start);
    const std::size_t eq = entry.find('=');
    const std::string place = field + "[" + std::to_string(index) + "]";
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == entry.size()) {
      return Status::InvalidField(place,
                                  "expected BADGE=PLATFORM_ID, got \"" + std::string(entry) + "\"");
    }
    const std::string code(entry.substr(0, eq));
    if (!out.emplace(code, std::string(entry.substr(eq + 1))).second) {
      return Status::InvalidField(place, code + " appears twice");
    }
    start = end + 1;
    ++index;
  }
  return out;
}

}  // namespace cairn
