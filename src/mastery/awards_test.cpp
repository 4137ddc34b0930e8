#include "mastery/awards.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

AwardFact Fact(FactId id, const std::string& badge, AwardAction action, Instant at,
               const std::string& reason = "") {
  AwardFact fact;
  fact.id = id;
  fact.student_id = 1;
  fact.badge_code = badge;
  fact.action = action;
  fact.recorded_at = at;
  fact.reason = reason;
  return fact;
}

TEST(AwardsTest, FoldFollowsTimeNotListOrder) {
  std::vector<AwardFact> facts{
      Fact(3, "M101", AwardAction::kRevoked, 300, "Evidence was not the student's own"),
      Fact(1, "M101", AwardAction::kProposed, 100),
      Fact(2, "M101", AwardAction::kConfirmed, 200),
      Fact(4, "M102", AwardAction::kProposed, 150),
  };
  auto records = FoldAwards(facts);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records["M101"].state, AwardState::kRevoked);
  EXPECT_EQ(records["M101"].reason, "Evidence was not the student's own");
  EXPECT_EQ(records["M101"].since, 300);
  EXPECT_EQ(records["M102"].state, AwardState::kProposed);
  facts.pop_back();
  facts.erase(facts.begin());
  records = FoldAwards(facts);
  EXPECT_EQ(records["M101"].state, AwardState::kConfirmed);
  EXPECT_EQ(records["M101"].confirmed_at, 200);
}

TEST(AwardsTest, AutomaticActionsNeverRevoke) {
  using S = AwardState;
  EXPECT_EQ(AutomaticAwardAction(S::kNone, true, false), AwardAction::kProposed);
  EXPECT_EQ(AutomaticAwardAction(S::kNone, true, true), AwardAction::kConfirmed);
  EXPECT_EQ(AutomaticAwardAction(S::kProposed, true, true), AwardAction::kConfirmed);
  EXPECT_EQ(AutomaticAwardAction(S::kProposed, true, false), std::nullopt);
  EXPECT_EQ(AutomaticAwardAction(S::kNone, false, true), std::nullopt);
  // A confirmed award whose rule is no longer met stays: a person decides.
  EXPECT_EQ(AutomaticAwardAction(S::kConfirmed, false, true), std::nullopt);
  EXPECT_EQ(AutomaticAwardAction(S::kConfirmed, false, false), std::nullopt);
  // A revoked award is not silently re-proposed.
  EXPECT_EQ(AutomaticAwardAction(S::kRevoked, true, true), std::nullopt);
}

TEST(AwardsTest, PeopleCanOnlyTakeValidSteps) {
  using S = AwardState;
  using A = AwardAction;
  EXPECT_TRUE(CheckAwardAction(S::kNone, A::kProposed, "").ok());
  EXPECT_TRUE(CheckAwardAction(S::kRevoked, A::kProposed, "").ok());
  EXPECT_EQ(CheckAwardAction(S::kProposed, A::kProposed, "").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckAwardAction(S::kProposed, A::kConfirmed, "").ok());
  EXPECT_EQ(CheckAwardAction(S::kNone, A::kConfirmed, "").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckAwardAction(S::kConfirmed, A::kConfirmed, "").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckAwardAction(S::kConfirmed, A::kRevoked, "entered in error").ok());
  EXPECT_EQ(CheckAwardAction(S::kConfirmed, A::kRevoked, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckAwardAction(S::kNone, A::kRevoked, "x").code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace cairn
