// Peer review (issue #15, student agency): a teacher asks a classmate to
// review a submitted piece of work; the classmate answers with what works
// and what to improve. A peer review is feedback, never a rating: it never
// counts toward mastery.
//
// Who sees whom: the reviewer's identity is shown only to the author's
// teachers (and leaders, admins); the author and their family read "a
// classmate". The reviewer sees the work without its author's name.
//
// Storage: the journal, stream "peer-review", key = the review id
// ("pr-..."), student = the author; one entry per revision (assigned, then
// answered or withdrawn), the newest is the review. Pure: checks bodies and
// folds entries.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"
#include "roster/roster.h"
#include "store/journal_store.h"

namespace cairn {

inline constexpr std::string_view kPeerReviewStream = "peer-review";
// Reviewers per submission: enough for a small group, not a survey.
inline constexpr std::size_t kMaxPeerReviewers = 4;

enum class PeerReviewState { kAssigned, kAnswered, kWithdrawn };
std::string_view PeerReviewStateName(PeerReviewState state);

struct PeerReview {
  std::string id;
  Id submission = 0;
  Id author = 0;    // the student whose work it is
  Id reviewer = 0;  // a classmate
  Id assigned_by = 0;
  PeerReviewState state = PeerReviewState::kAssigned;
  std::string prompt;      // the teacher's question for the reviewer, optional
  std::string strength;    // what works
  std::string suggestion;  // what to improve
  Instant assigned_at = 0, answered_at = 0;
};

// The stored form of a review's current revision, and back
// (kInvalidArgument when `body` is not one).
nlohmann::json PeerReviewToStored(const PeerReview& review);
Result<PeerReview> PeerReviewFromStored(std::string_view id, const nlohmann::json& body);

// The newest revision of each review among `entries` (any order), in
// assignment order.
std::vector<PeerReview> FoldPeerReviews(const std::vector<JournalEntry>& entries);

// A review by id, looked up in each of `districts` (ids need not say where
// they live); nullopt when none has it.
struct FoundPeerReview {
  Id district = 0;
  PeerReview review;
};
Result<std::optional<FoundPeerReview>> FindPeerReview(JournalStore& store,
                                                      const std::vector<Id>& districts,
                                                      std::string_view id);

// Checks an assignment body {reviewer, prompt}: returns the reviewer's
// sourced id and fills `prompt`; every problem named by its field.
Result<std::string> CheckPeerReviewAssignment(const nlohmann::json& body, std::string& prompt);
// Checks an answer body {strength, suggestion} into `review` (both
// required, each at most 2,000 characters).
Status CheckPeerReviewAnswer(const nlohmann::json& body, PeerReview& review);

}  // namespace cairn
