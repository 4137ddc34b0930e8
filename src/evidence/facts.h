// The ledger's facts. Every fact is immutable once appended: a mistake is
// fixed by a correction (a new rating that points at the one it replaces) or
// a void (a fact that withdraws another, with a reason). Nothing is updated in
// place or deleted, so the history of every decision can be shown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "catalog/evidence_kind.h"
#include "common/time.h"
#include "roster/roster.h"

namespace cairn {

using FactId = std::int64_t;

// One judgement of a student's work against one CPE.
struct RatingFact {
  FactId id = 0;  // assigned by the store
  Id student_id = 0;
  std::string cpe_id;
  std::string indicator_id;  // optional
  std::string level_id;      // a level of the badge's scale
  Day demonstrated_on = 0;   // when the student did the work: orders evidence
  Instant recorded_at = 0;   // when the teacher entered it
  Id recorded_by = 0;
  EvidenceKind kind = EvidenceKind::kSummative;
  std::string note;                // feedback to the student
  std::string artifact_ref;        // portfolio item, URL or file reference
  std::optional<FactId> corrects;  // this rating replaces that one
  // The interim assessment item (store/alignment_store.h) the work answered,
  // of the same badge and CPE; none for most ratings.
  std::optional<Id> assessment_item;
};

// Withdraws a rating (entered for the wrong student, duplicated...). A void
// of a correction restores what the correction replaced.
struct VoidFact {
  FactId id = 0;
  FactId target = 0;
  Id student_id = 0;  // the target's student, kept for per-student reads
  std::string reason;
  Instant recorded_at = 0;
  Id recorded_by = 0;
};

// Habits of work (collaboration, persistence...) are reported beside, never
// inside, academic mastery.
struct HabitFact {
  FactId id = 0;
  Id student_id = 0;
  std::string habit_id;
  std::string level_id;
  Day observed_on = 0;
  Instant recorded_at = 0;
  Id recorded_by = 0;
  std::string note;
};

enum class AwardAction { kProposed, kConfirmed, kRevoked };
std::string_view AwardActionName(AwardAction action);
std::optional<AwardAction> ParseAwardAction(std::string_view name);

// A step in an award's life: proposed when the rule is met, confirmed by a
// teacher (or automatically where the district enables it), revoked with a
// reason. The latest fact for (student, badge) is the award's state.
struct AwardFact {
  FactId id = 0;
  Id student_id = 0;
  std::string badge_code;
  AwardAction action = AwardAction::kProposed;
  Instant recorded_at = 0;
  std::optional<Id> recorded_by;  // empty when Cairn itself proposed it
  std::string reason;             // required to revoke
  std::string explanation_json;   // the rule evaluation that led to it
};

}  // namespace cairn
