// The life of an award, folded from append-only AwardFacts. Pure functions:
// the service decides what to append; the store only appends.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>

#include "common/status.h"
#include "evidence/facts.h"

namespace cairn {

enum class AwardState { kNone, kProposed, kConfirmed, kRevoked };
std::string_view AwardStateName(AwardState state);

struct AwardRecord {
  AwardState state = AwardState::kNone;
  Instant since = 0;         // when the current state began
  Instant confirmed_at = 0;  // the date of completion, once confirmed
  std::string reason;        // the revocation reason
  FactId last_fact = 0;
};

// Current state per badge code from one student's award facts, in any order
// (ordered by recorded_at, then fact id).
std::map<std::string, AwardRecord> FoldAwards(std::span<const AwardFact> facts);

// What Cairn appends on its own when a rule outcome is known: a proposal (or,
// with auto-award, a confirmation) when the rule is met and there is no award
// yet; a confirmation of an open proposal under auto-award. Never a
// revocation: a rule change or a voided rating does not silently take an
// award away; a person decides.
std::optional<AwardAction> AutomaticAwardAction(AwardState state, bool rule_met, bool auto_award);

// Whether a person may take `action` now. Propose: no open award (none or
// revoked). Confirm: an open proposal. Revoke: proposed or confirmed, with a
// reason.
Status CheckAwardAction(AwardState state, AwardAction action, const std::string& reason);

}  // namespace cairn
