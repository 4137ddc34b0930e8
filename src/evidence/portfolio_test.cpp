#include "evidence/portfolio.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

using K = PortfolioEventKind;

class PortfolioFoldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    record_.submission = {1, 10, "M101", "Work", 10, 100};
    AddVersion();
  }
  Id AddVersion() {
    SubmissionVersion v;
    v.id = static_cast<Id>(record_.versions.size()) + 1;
    v.submission_id = 1;
    v.number = static_cast<int>(record_.versions.size()) + 1;
    v.at = 100 + v.number;
    record_.versions.push_back(v);
    return v.id;
  }
  // Appends the event if the rules allow it now, as the service would.
  Status Try(K kind, Id version = 0, std::string message = "") {
    SubmissionView view = FoldSubmission(record_);
    Status s = kind == K::kSubmit && version == 0 ? CheckTransition(view, kind)
                                                  : CheckTransition(view, kind);
    if (!s.ok()) return s;
    PortfolioEvent e;
    e.id = static_cast<Id>(record_.events.size()) + 1;
    e.submission_id = 1;
    e.version_id = version ? version : record_.versions.back().id;
    e.kind = kind;
    e.at = 200 + e.id;
    e.message = std::move(message);
    record_.events.push_back(e);
    return Status::Ok();
  }
  SubmissionState State() { return FoldSubmission(record_).state; }

  SubmissionRecord record_;
};

TEST_F(PortfolioFoldTest, WalksEveryStateAndRefusesOutOfOrderSteps) {
  EXPECT_EQ(State(), SubmissionState::kDraft);
  EXPECT_EQ(Try(K::kAccept).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Try(K::kStartReview).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Try(K::kFeedback).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Try(K::kShowcase).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckNewVersion(FoldSubmission(record_)).ok());

  ASSERT_TRUE(Try(K::kSubmit).ok());
  EXPECT_EQ(State(), SubmissionState::kSubmitted);
  EXPECT_FALSE(CheckNewVersion(FoldSubmission(record_)).ok());
  EXPECT_EQ(Try(K::kSubmit).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Try(K::kStartReview).ok());
  EXPECT_EQ(State(), SubmissionState::kInReview);
  ASSERT_TRUE(Try(K::kFeedback, 0, "good start").ok());
  ASSERT_TRUE(Try(K::kRequestRevision, 0, "show your check").ok());
  SubmissionView view = FoldSubmission(record_);
  EXPECT_EQ(view.state, SubmissionState::kRevisionRequested);
  EXPECT_EQ(view.revision_message, "show your check");
  EXPECT_EQ(view.feedback.size(), 1u);

  // The same version cannot go back; a new one can.
  EXPECT_EQ(Try(K::kSubmit).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckNewVersion(FoldSubmission(record_)).ok());
  Id v2 = AddVersion();
  ASSERT_TRUE(Try(K::kSubmit, v2).ok());
  view = FoldSubmission(record_);
  EXPECT_EQ(view.state, SubmissionState::kSubmitted);
  EXPECT_EQ(view.submitted->id, v2);
  EXPECT_TRUE(view.revision_message.empty());
  ASSERT_TRUE(Try(K::kAccept).ok());
  EXPECT_EQ(State(), SubmissionState::kAccepted);
  EXPECT_FALSE(CheckNewVersion(FoldSubmission(record_)).ok());
  EXPECT_EQ(Try(K::kRequestRevision, 0, "x").code(), StatusCode::kFailedPrecondition);
}

TEST_F(PortfolioFoldTest, TogglesAndConsentWithdrawalRemovesNominations) {
  ASSERT_TRUE(Try(K::kSubmit).ok());
  EXPECT_EQ(Try(K::kUnshare).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Try(K::kShare).ok());
  EXPECT_TRUE(FoldSubmission(record_).shared_with_guardians);
  EXPECT_EQ(Try(K::kShare).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Try(K::kUnshare).ok());
  EXPECT_FALSE(FoldSubmission(record_).shared_with_guardians);

  EXPECT_EQ(Try(K::kNominateExemplar).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Try(K::kConsent).ok());
  ASSERT_TRUE(Try(K::kNominateExemplar).ok());
  EXPECT_EQ(FoldSubmission(record_).nominations.size(), 1u);
  ASSERT_TRUE(Try(K::kWithdrawConsent).ok());
  EXPECT_TRUE(FoldSubmission(record_).nominations.empty());
  // Consent again does not bring old nominations back.
  ASSERT_TRUE(Try(K::kConsent).ok());
  EXPECT_TRUE(FoldSubmission(record_).nominations.empty());
}

TEST_F(PortfolioFoldTest, EventsTheRulesRefuseAreIgnoredOnReplay) {
  // A stray accept on a draft (never written by the service) changes nothing.
  PortfolioEvent stray;
  stray.id = 1;
  stray.kind = K::kAccept;
  record_.events.push_back(stray);
  EXPECT_EQ(State(), SubmissionState::kDraft);
}

}  // namespace
}  // namespace cairn
