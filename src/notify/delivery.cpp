#include "notify/delivery.h"

#include <string_view>

namespace cairn {

DeliveryPlan PlanDelivery(std::span<const DeliveryStep> steps, const DeliveryChannel& channel,
                          Instant now, const DeliveryPolicy& policy) {
  const bool email = std::string_view(channel.done) == kEmailChannel.done;
  int last_claim = 0;
  Instant claimed_at = 0;
  int last_failure = 0;
  Instant failed_at = 0;
  for (const DeliveryStep& s : steps) {
    const std::string_view step = s.step;
    if (step == channel.done || step == "gave_up") return {DeliveryAction::kDone, 0};
    if (email && (step == "skipped" || step == "held")) return {DeliveryAction::kDone, 0};
    if (step == channel.claim && s.attempt > last_claim) {
      last_claim = s.attempt;
      claimed_at = s.at;
    }
    if (step == channel.failed && s.attempt > last_failure) {
      last_failure = s.attempt;
      failed_at = s.at;
    }
  }
  if (last_claim == 0) return {DeliveryAction::kSend, 1};
  const bool failed = last_failure >= last_claim;
  if (!failed && now - claimed_at < policy.lease) return {DeliveryAction::kWait, 0};
  // Failed, or interrupted (a claim past its lease counts as a failure).
  if (last_claim >= policy.max_attempts) return {DeliveryAction::kGiveUp, 0};
  if (failed) {
    Instant wait = policy.retry_after;
    for (int i = 1; i < last_claim; ++i) wait *= 2;
    if (now - failed_at < wait) return {DeliveryAction::kWait, 0};
  }
  return {DeliveryAction::kSend, last_claim + 1};
}

}  // namespace cairn
