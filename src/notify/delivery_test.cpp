#include "notify/delivery.h"

#include <gtest/gtest.h>

#include <vector>

namespace cairn {
namespace {

constexpr Instant kT = 1'800'000'000;

DeliveryStep Step(const char* step, int attempt, Instant at) { return {1, step, attempt, at, ""}; }

DeliveryPlan Plan(const std::vector<DeliveryStep>& steps, Instant now) {
  return PlanDelivery(steps, kEmailChannel, now, DeliveryPolicy{});
}

TEST(DeliveryTest, ANewNotificationIsSentAsAttemptOne) {
  DeliveryPlan p = Plan({}, kT);
  EXPECT_EQ(p.action, DeliveryAction::kSend);
  EXPECT_EQ(p.attempt, 1);
}

TEST(DeliveryTest, FinalStepsEndIt) {
  for (const char* final_step : {"sent", "skipped", "held", "gave_up"}) {
    EXPECT_EQ(Plan({Step("claim", 1, kT), Step(final_step, 0, kT)}, kT + 99999).action,
              DeliveryAction::kDone)
        << final_step;
  }
  // "held" is final for email, not for the digest.
  EXPECT_EQ(
      PlanDelivery(std::vector<DeliveryStep>{Step("held", 0, kT)}, kDigestChannel, kT, {}).action,
      DeliveryAction::kSend);
}

TEST(DeliveryTest, AClaimInProgressWaitsUntilItsLeaseRunsOutThenTheNextAttemptGoes) {
  const std::vector<DeliveryStep> claimed{Step("claim", 1, kT)};
  EXPECT_EQ(Plan(claimed, kT + 60).action, DeliveryAction::kWait);
  DeliveryPlan after = Plan(claimed, kT + DeliveryPolicy{}.lease);
  EXPECT_EQ(after.action, DeliveryAction::kSend);
  EXPECT_EQ(after.attempt, 2);
}

TEST(DeliveryTest, FailuresBackOffDoublingAndGiveUpAfterTheLastAttempt) {
  std::vector<DeliveryStep> steps{Step("claim", 1, kT), Step("failed", 1, kT)};
  EXPECT_EQ(Plan(steps, kT + 59).action, DeliveryAction::kWait);
  EXPECT_EQ(Plan(steps, kT + 60).attempt, 2);
  steps.push_back(Step("claim", 2, kT + 60));
  steps.push_back(Step("failed", 2, kT + 60));
  EXPECT_EQ(Plan(steps, kT + 60 + 119).action, DeliveryAction::kWait);
  EXPECT_EQ(Plan(steps, kT + 60 + 120).attempt, 3);
  for (int a = 3; a <= 5; ++a) {
    steps.push_back(Step("claim", a, kT + 1000 * a));
    steps.push_back(Step("failed", a, kT + 1000 * a));
  }
  EXPECT_EQ(Plan(steps, kT + 1'000'000).action, DeliveryAction::kGiveUp);
}

}  // namespace
}  // namespace cairn
