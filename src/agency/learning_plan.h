// A student's personal learning plan (issue #15, student agency): goals
// (badges to earn by a date, a pathway), reflections, advisor comments,
// requests for a badge outside their sections, self-assessments of their own
// work, and notes guardians add after a student-led conference.
//
// Every change is an entry of the journal stream "plan" with the student set
// (store/journal_store.h), so the whole history is kept; this module checks
// an entry's body and folds the entries into the plan as it stands. Pure.
//
// Self-assessments are the student's own view: they are never rating facts
// and never count toward mastery.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "common/status.h"
#include "reports/tracking_row.h"
#include "roster/roster.h"
#include "store/journal_store.h"
#include "store/store.h"

namespace cairn {

inline constexpr std::string_view kPlanStream = "plan";
// A badge a teacher accepted outside the student's sections: one document
// per (student, badge), key "student:<id>:<code>", body {badge, reason,
// state: "accepted"}, written with the decision in one transaction, so
// tracking sheets and reports read every current choice in one query.
inline constexpr std::string_view kBadgeChoiceStream = "badge-choice";

// Every accepted choice of the roster's districts, for tracking sheets
// (reports/tracking_row.h), labelled by reason ("Independent study").
Result<std::vector<ChosenBadge>> LoadChosenBadges(Store& store, const Roster& roster);

// The district's choices for student agency, setting "agency":
//   {"badge_requests": true}
// Whether students may ask for a badge outside their sections (default yes).
// Strict: unknown keys and wrong types are refused, naming the field.
inline constexpr std::string_view kAgencySettingKey = "agency";
struct AgencySettings {
  bool badge_requests = true;
  bool operator==(const AgencySettings&) const = default;
};
Result<AgencySettings> ParseAgencySettings(std::string_view json_text);
std::string AgencySettingsToJson(const AgencySettings& settings);
// The stored settings, or the defaults; kInternal when they no longer parse.
Result<AgencySettings> LoadAgencySettings(Store& store);

// What an entry records. Who may write each is the server's business.
enum class PlanEntryKind {
  kGoals,           // {goals: [{badge, by (YYYY-MM-DD), note}], pathway}: replaces the goals
  kReflection,      // {text}
  kComment,         // {text}: an advisor's (teacher's) comment
  kRequest,         // {badge, reason: independent_study|credit_recovery|cte, note}
  kDecision,        // {badge, accept (bool), note}: a teacher's answer to a request
  kSelfAssessment,  // {cpe, level, note, submission (optional id)}
  kConferenceNote,  // {text}: a guardian's note after the conference
};
std::string_view PlanEntryKindName(PlanEntryKind kind);

// Checks `body` for `kind` against the catalog and returns it normalized
// (with "type" set); kInvalidArgument names the field ("goals[1].by").
Result<nlohmann::json> CheckPlanEntry(PlanEntryKind kind, const nlohmann::json& body,
                                      const Catalog& catalog);

struct BadgeRequest {
  std::string badge;
  std::string reason;
  std::string note;
  std::string state = "requested";  // "accepted", "declined"
  Id decided_by = 0;
  Instant requested_at = 0, decided_at = 0;
};

struct PlanNote {
  std::string text;
  Id by = 0;
  Instant at = 0;
};

struct SelfAssessment {
  std::string cpe;
  std::string level;
  std::string note;
  std::optional<Id> submission;
  Instant at = 0;
};

struct LearningPlan {
  nlohmann::json goals = nlohmann::json::array();
  std::string pathway;
  std::vector<PlanNote> reflections, comments, conference_notes;
  std::vector<BadgeRequest> requests;  // by first request
  std::vector<SelfAssessment> self_assessments;
  int revisions = 0;  // entries so far: the history's length
};

// Folds the student's "plan" entries, oldest first.
LearningPlan FoldLearningPlan(const std::vector<JournalEntry>& entries);

}  // namespace cairn
