#include "mastery/awards.h"

#include <algorithm>
#include <array>
#include <tuple>
#include <vector>

namespace cairn {

std::string_view AwardStateName(AwardState state) {
  static constexpr std::array<std::string_view, 4> kNames{"none", "proposed", "confirmed",
                                                          "revoked"};
  return kNames[static_cast<std::size_t>(state)];
}

std::map<std::string, AwardRecord> FoldAwards(std::span<const AwardFact> facts) {
  std::vector<const AwardFact*> ordered;
  for (const AwardFact& fact : facts) ordered.push_back(&fact);
  std::sort(ordered.begin(), ordered.end(), [](const AwardFact* a, const AwardFact* b) {
    return std::tie(a->recorded_at, a->id) < std::tie(b->recorded_at, b->id);
  });
  std::map<std::string, AwardRecord> out;
  for (const AwardFact* fact : ordered) {
    AwardRecord& record = out[fact->badge_code];
    record.since = fact->recorded_at;
    record.last_fact = fact->id;
    switch (fact->action) {
      case AwardAction::kProposed:
        record.state = AwardState::kProposed;
        record.reason.clear();
        break;
      case AwardAction::kConfirmed:
        record.state = AwardState::kConfirmed;
        record.confirmed_at = fact->recorded_at;
        record.reason.clear();
        break;
      case AwardAction::kRevoked:
        record.state = AwardState::kRevoked;
        record.confirmed_at = 0;
        record.reason = fact->reason;
        break;
    }
  }
  return out;
}

std::optional<AwardAction> AutomaticAwardAction(AwardState state, bool rule_met, bool auto_award) {
  if (!rule_met) return std::nullopt;
  if (state == AwardState::kNone) {
    return auto_award ? AwardAction::kConfirmed : AwardAction::kProposed;
  }
  if (state == AwardState::kProposed && auto_award) return AwardAction::kConfirmed;
  return std::nullopt;
}

Status CheckAwardAction(AwardState state, AwardAction action, const std::string& reason) {
  switch (action) {
    case AwardAction::kProposed:
      if (state == AwardState::kProposed || state == AwardState::kConfirmed) {
        return Status::Precondition("the badge is already " + std::string(AwardStateName(state)));
      }
      return Status::Ok();
    case AwardAction::kConfirmed:
      if (state != AwardState::kProposed) {
        return Status::Precondition("only a proposed award can be confirmed (the award is " +
                                    std::string(AwardStateName(state)) + ")");
      }
      return Status::Ok();
    case AwardAction::kRevoked:
      if (state != AwardState::kProposed && state != AwardState::kConfirmed) {
        return Status::Precondition("there is no award to revoke (the award is " +
                                    std::string(AwardStateName(state)) + ")");
      }
      if (reason.empty()) return Status::Invalid("reason: a revocation needs a reason");
      return Status::Ok();
  }
  return Status::Invalid("unknown award action");
}

}  // namespace cairn
