#include "evidence/portfolio.h"

#include <algorithm>
#include <array>
#include <utility>

namespace cairn {
namespace {

constexpr std::array<std::pair<PortfolioEventKind, std::string_view>, 12> kKindNames{{
    {PortfolioEventKind::kSubmit, "submit"},
    {PortfolioEventKind::kStartReview, "start_review"},
    {PortfolioEventKind::kRequestRevision, "request_revision"},
    {PortfolioEventKind::kAccept, "accept"},
    {PortfolioEventKind::kFeedback, "feedback"},
    {PortfolioEventKind::kShare, "share"},
    {PortfolioEventKind::kUnshare, "unshare"},
    {PortfolioEventKind::kShowcase, "showcase"},
    {PortfolioEventKind::kUnshowcase, "unshowcase"},
    {PortfolioEventKind::kConsent, "consent"},
    {PortfolioEventKind::kWithdrawConsent, "withdraw_consent"},
    {PortfolioEventKind::kNominateExemplar, "nominate_exemplar"},
}};

const SubmissionVersion* VersionById(const SubmissionRecord& record, Id id) {
  for (const SubmissionVersion& v : record.versions) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

}  // namespace

std::string_view SubmissionStateName(SubmissionState state) {
  switch (state) {
    case SubmissionState::kDraft:
      return "draft";
    case SubmissionState::kSubmitted:
      return "submitted";
    case SubmissionState::kInReview:
      return "in_review";
    case SubmissionState::kRevisionRequested:
      return "revision_requested";
    case SubmissionState::kAccepted:
      return "accepted";
  }
  return "draft";
}

std::string_view PortfolioEventKindName(PortfolioEventKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<PortfolioEventKind> ParsePortfolioEventKind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

Status CheckNewVersion(const SubmissionView& view) {
  switch (view.state) {
    case SubmissionState::kDraft:
    case SubmissionState::kRevisionRequested:
      return Status::Ok();
    case SubmissionState::kSubmitted:
    case SubmissionState::kInReview:
      return Status::Precondition("this submission is with the teacher; wait for feedback");
    case SubmissionState::kAccepted:
      return Status::Precondition(
          "this submission was accepted; start a new submission to add evidence");
  }
  return Status::Ok();
}

Status CheckTransition(const SubmissionView& view, PortfolioEventKind kind) {
  const SubmissionState s = view.state;
  const bool with_teacher = s == SubmissionState::kSubmitted || s == SubmissionState::kInReview;
  switch (kind) {
    case PortfolioEventKind::kSubmit:
      if (s == SubmissionState::kDraft) return Status::Ok();
      if (s == SubmissionState::kRevisionRequested) {
        // A resubmission is a new version: the one the teacher asked to
        // change cannot go back unchanged.
        if (view.latest && view.submitted && view.latest->id == view.submitted->id) {
          return Status::Precondition("add a revised version before resubmitting");
        }
        return Status::Ok();
      }
      return Status::Precondition(std::string("cannot submit: the submission is ") +
                                  std::string(SubmissionStateName(s)));
    case PortfolioEventKind::kStartReview:
      if (s == SubmissionState::kSubmitted) return Status::Ok();
      return Status::Precondition(std::string("cannot start a review: the submission is ") +
                                  std::string(SubmissionStateName(s)));
    case PortfolioEventKind::kRequestRevision:
    case PortfolioEventKind::kAccept:
      if (with_teacher) return Status::Ok();
      return Status::Precondition(std::string("the submission is ") +
                                  std::string(SubmissionStateName(s)) +
                                  ", not waiting for a review");
    case PortfolioEventKind::kFeedback:
      if (s == SubmissionState::kDraft) {
        return Status::Precondition("the student has not submitted this yet");
      }
      return Status::Ok();
    case PortfolioEventKind::kShare:
      return view.shared_with_guardians ? Status::Precondition("already shared") : Status::Ok();
    case PortfolioEventKind::kUnshare:
      return view.shared_with_guardians ? Status::Ok() : Status::Precondition("not shared");
    case PortfolioEventKind::kShowcase:
      if (s == SubmissionState::kDraft) {
        return Status::Precondition("submit the work before showcasing it");
      }
      return view.showcased ? Status::Precondition("already in the showcase") : Status::Ok();
    case PortfolioEventKind::kUnshowcase:
      return view.showcased ? Status::Ok() : Status::Precondition("not in the showcase");
    case PortfolioEventKind::kConsent:
      return view.consented ? Status::Precondition("consent was already given") : Status::Ok();
    case PortfolioEventKind::kWithdrawConsent:
      return view.consented ? Status::Ok() : Status::Precondition("no consent to withdraw");
    case PortfolioEventKind::kNominateExemplar:
      if (!view.consented) {
        return Status::Precondition(
            "only work whose student (or guardian) consented can become an exemplar");
      }
      if (!view.submitted) return Status::Precondition("the student has not submitted this yet");
      return Status::Ok();
  }
  return Status::Invalid("unknown event");
}

SubmissionView FoldSubmission(const SubmissionRecord& record) {
  SubmissionView view;
  view.last_change = record.submission.created_at;
  // The newest version is what the student sees and edits. Every event that
  // concerns a version names it, so replay needs no interleaving by time.
  if (!record.versions.empty()) {
    view.latest = &record.versions.back();
    view.last_change = std::max(view.last_change, view.latest->at);
  }
  for (const PortfolioEvent& e : record.events) {
    if (!CheckTransition(view, e.kind).ok()) continue;
    const SubmissionVersion* named = VersionById(record, e.version_id);
    switch (e.kind) {
      case PortfolioEventKind::kSubmit:
        view.state = SubmissionState::kSubmitted;
        view.submitted = named ? named : view.latest;
        view.submitted_at = e.at;
        view.revision_message.clear();
        break;
      case PortfolioEventKind::kStartReview:
        view.state = SubmissionState::kInReview;
        break;
      case PortfolioEventKind::kRequestRevision:
        view.state = SubmissionState::kRevisionRequested;
        view.revision_message = e.message;
        break;
      case PortfolioEventKind::kAccept:
        view.state = SubmissionState::kAccepted;
        break;
      case PortfolioEventKind::kFeedback:
        view.feedback.push_back(&e);
        break;
      case PortfolioEventKind::kShare:
        view.shared_with_guardians = true;
        break;
      case PortfolioEventKind::kUnshare:
        view.shared_with_guardians = false;
        break;
      case PortfolioEventKind::kShowcase:
        view.showcased = true;
        break;
      case PortfolioEventKind::kUnshowcase:
        view.showcased = false;
        break;
      case PortfolioEventKind::kConsent:
        view.consented = true;
        break;
      case PortfolioEventKind::kWithdrawConsent:
        view.consented = false;
        view.nominations.clear();  // withdrawal removes every exemplar use
        break;
      case PortfolioEventKind::kNominateExemplar:
        view.nominations.push_back(
            {named ? named->id : view.submitted->id, e.cpe, e.level, e.actor, e.at});
        break;
    }
    view.last_change = std::max(view.last_change, e.at);
  }
  return view;
}

}  // namespace cairn
