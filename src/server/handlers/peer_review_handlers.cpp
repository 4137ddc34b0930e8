#include "server/handlers/peer_review_handlers.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "agency/peer_review.h"
#include "server/handlers/file_handlers.h"
#include "server/handlers/portfolio_handlers.h"
#include "server/policy.h"
#include "server/read_model.h"
#include "server/responses.h"
#include "service/crypto.h"

namespace cairn {

using nlohmann::json;

namespace {

HttpResponse NoSubmission() {
  return ErrorResponse(404, "not_found", "submission: no such submission", "submission");
}
HttpResponse NoReview() {
  return ErrorResponse(404, "not_found", "review: no such peer review", "review");
}

std::vector<Id> DistrictIds(const Roster& roster) {
  std::vector<Id> ids;
  for (const District& d : roster.districts) ids.push_back(d.id);
  return ids;
}

std::optional<Id> SubmissionId(const std::map<std::string, std::string>& params) {
  if (auto id = PathNumber(params, "submission")) return static_cast<Id>(*id);
  return std::nullopt;
}

// A review as the reader may see it: staff see the reviewer; the author's
// side reads "a classmate".
json ReviewJson(const PeerReview& r, const Roster& roster, bool with_reviewer) {
  json out{{"id", r.id},
           {"submission", r.submission},
           {"state", PeerReviewStateName(r.state)},
           {"prompt", r.prompt},
           {"assigned_at", FormatInstant(r.assigned_at)}};
  if (r.state == PeerReviewState::kAnswered) {
    out["strength"] = r.strength;
    out["suggestion"] = r.suggestion;
    out["answered_at"] = FormatInstant(r.answered_at);
  }
  if (with_reviewer) {
    const Person* p = roster.FindPerson(r.reviewer);
    out["reviewer"] = p ? json{{"id", p->sourced_id}, {"name", p->DisplayName()}} : json(nullptr);
  } else {
    out["reviewer"] = "A classmate";
  }
  return out;
}

bool SharesASection(const Roster& roster, Id a, Id b) {
  for (const Section* s : roster.SectionsOf(a)) {
    for (const Person* p : roster.StudentsIn(s->id)) {
      if (p->id == b) return true;
    }
  }
  return false;
}

}  // namespace

HttpResponse PeerReviewHandlers::Assign(RequestContext& ctx) {
  const auto id = SubmissionId(ctx.params);
  if (!id || !ctx.student) return NoSubmission();
  std::string prompt;
  auto reviewer_ref = CheckPeerReviewAssignment(ctx.body, prompt);
  if (!reviewer_ref.ok()) return ErrorResponse(reviewer_ref.status());
  const Person* reviewer = ctx.roster->FindPersonBySourcedId(*reviewer_ref);
  const Person& author = *ctx.student;
  if (!reviewer || reviewer->role != PersonRole::kStudent || reviewer->id == author.id ||
      !SharesASection(*ctx.roster, author.id, reviewer->id)) {
    return ErrorResponse(Status::InvalidField("reviewer", "not a classmate of the work's author"));
  }
  PeerReview review;
  review.id = "pr-" + RandomToken(9);
  review.submission = *id;
  review.author = author.id;
  review.reviewer = reviewer->id;
  review.assigned_by = ctx.who->person.id;
  review.prompt = prompt;
  review.assigned_at = services_.Now();
  ctx.audit_detail = "peer review " + review.id + " of submission " + std::to_string(*id) + " by " +
                     reviewer->sourced_id;
  const Id district = author.district_id;
  return services_.Write([=, roster = ctx.roster](CairnService& service) -> HttpResponse {
    Store& store = service.store();
    auto record = store.LoadSubmission(review.submission);
    if (!record.ok()) return ErrorResponse(record.status());
    if (!*record) return NoSubmission();
    const SubmissionView view = FoldSubmission(**record);
    if (!view.submitted) {
      return ErrorResponse(Status::AtField(StatusCode::kFailedPrecondition, "submission",
                                           "the work has not been submitted yet"));
    }
    auto entries = store.StudentJournal(review.author, kPeerReviewStream);
    if (!entries.ok()) return ErrorResponse(entries.status());
    std::size_t open = 0;
    for (const PeerReview& r : FoldPeerReviews(*entries)) {
      if (r.submission != review.submission || r.state == PeerReviewState::kWithdrawn) continue;
      if (r.reviewer == review.reviewer) {
        return ErrorResponse(
            Status::AtField(StatusCode::kAlreadyExists, "reviewer", "already reviewing this work"));
      }
      ++open;
    }
    if (open >= kMaxPeerReviewers) {
      return ErrorResponse(Status::AtField(
          StatusCode::kFailedPrecondition, "reviewer",
          "at most " + std::to_string(kMaxPeerReviewers) + " classmates review one piece of work"));
    }
    JournalEntry entry;
    entry.district_id = district;
    entry.stream = std::string(kPeerReviewStream);
    entry.key = review.id;
    entry.student_id = review.author;
    entry.body = PeerReviewToStored(review).dump();
    entry.recorded_by = review.assigned_by;
    entry.recorded_at = review.assigned_at;
    auto ids = store.AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    return JsonResponse(201, ReviewJson(review, *roster, true));
  });
}

HttpResponse PeerReviewHandlers::OfSubmission(RequestContext& ctx) {
  const auto id = SubmissionId(ctx.params);
  if (!id || !ctx.student) return NoSubmission();
  auto entries = services_.Service().store().StudentJournal(ctx.student->id, kPeerReviewStream);
  if (!entries.ok()) return ErrorResponse(entries.status());
  const bool staff = IsStaff(ctx.who->person.role);
  json out = json::array();
  for (const PeerReview& r : FoldPeerReviews(*entries)) {
    if (r.submission != *id || r.state == PeerReviewState::kWithdrawn) continue;
    // The author's side reads only finished reviews: a pending one says
    // nothing yet and could hint at who was asked.
    if (!staff && r.state != PeerReviewState::kAnswered) continue;
    out.push_back(ReviewJson(r, *ctx.roster, staff));
  }
  return JsonResponse(200, json{{"peer_reviews", std::move(out)}});
}

HttpResponse PeerReviewHandlers::Mine(RequestContext& ctx) {
  const Person& me = ctx.who->person;
  if (me.role != PersonRole::kStudent) {
    return JsonResponse(200, json{{"peer_reviews", json::array()}});
  }
  // Reviews name their reviewer inside the body; a student's are found among
  // their district's reviews.
  auto entries = services_.Service().store().Journal(me.district_id, kPeerReviewStream, {});
  if (!entries.ok()) return ErrorResponse(entries.status());
  json out = json::array();
  for (const PeerReview& r : FoldPeerReviews(*entries)) {
    if (r.reviewer != me.id || r.state == PeerReviewState::kWithdrawn) continue;
    json item = ReviewJson(r, *ctx.roster, false);
    item.erase("reviewer");
    auto record = services_.Service().store().LoadSubmission(r.submission);
    if (record.ok() && *record) {
      item["title"] = (*record)->submission.title;
      item["badge"] = (*record)->submission.badge_code;
    }
    out.push_back(std::move(item));
  }
  return JsonResponse(200, json{{"peer_reviews", std::move(out)}});
}

HttpResponse PeerReviewHandlers::Get(RequestContext& ctx) {
  auto found =
      FindPeerReview(services_.Service().store(), DistrictIds(*ctx.roster), ctx.params["review"]);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found || (*found)->review.state == PeerReviewState::kWithdrawn) return NoReview();
  const PeerReview& review = (*found)->review;
  Store& store = services_.Service().store();
  auto record = store.LoadSubmission(review.submission);
  if (!record.ok()) return ErrorResponse(record.status());
  if (!*record) return NoReview();
  // Only the version under review, without its author or their reflection.
  SubmissionRecord shown = **record;
  const SubmissionView view = FoldSubmission(shown);
  std::erase_if(shown.versions, [&](const SubmissionVersion& v) {
    return !view.submitted || v.id != view.submitted->id;
  });
  for (SubmissionVersion& v : shown.versions) v.reflection.clear();
  return services_.model().Read([&](const ReadState& state) {
    json out = ReviewJson(review, *ctx.roster, false);
    out.erase("reviewer");
    out["work"] = SubmissionJson(state, store, shown, /*anonymous=*/true, services_.Now());
    return JsonResponse(200, out);
  });
}

HttpResponse PeerReviewHandlers::File(RequestContext& ctx) {
  auto found =
      FindPeerReview(services_.Service().store(), DistrictIds(*ctx.roster), ctx.params["review"]);
  if (!found.ok()) return ErrorResponse(found.status());
  auto none = [] { return ErrorResponse(404, "not_found", "artifact: no such file", "artifact"); };
  if (!*found || (*found)->review.state == PeerReviewState::kWithdrawn) return NoReview();
  const auto artifact_id = PathNumber(ctx.params, "artifact");
  if (!artifact_id) return none();
  Store& store = services_.Service().store();
  auto record = store.LoadSubmission((*found)->review.submission);
  if (!record.ok()) return ErrorResponse(record.status());
  if (!*record) return none();
  // Only files of the version under review: the review grants nothing else.
  const SubmissionView view = FoldSubmission(**record);
  if (!view.submitted ||
      std::find(view.submitted->artifact_ids.begin(), view.submitted->artifact_ids.end(),
                static_cast<Id>(*artifact_id)) == view.submitted->artifact_ids.end()) {
    return none();
  }
  auto artifact = store.FindArtifact(static_cast<Id>(*artifact_id));
  if (!artifact.ok()) return ErrorResponse(artifact.status());
  if (!*artifact) return none();
  return AnonymousArtifactResponse(services_.Blobs(), **artifact, ctx.request.Query(),
                                   "work-" + std::to_string(*artifact_id));
}

HttpResponse PeerReviewHandlers::Answer(RequestContext& ctx) {
  const std::string id = ctx.params["review"];
  const std::vector<Id> districts = DistrictIds(*ctx.roster);
  const json body = ctx.body;
  const Id by = ctx.who->person.id;
  const Instant now = services_.Now();
  ctx.audit_detail = "peer review " + id + " answered";
  return services_.Write([=, roster = ctx.roster](CairnService& service) -> HttpResponse {
    Store& store = service.store();
    auto found = FindPeerReview(store, districts, id);
    if (!found.ok()) return ErrorResponse(found.status());
    if (!*found || (*found)->review.state == PeerReviewState::kWithdrawn) return NoReview();
    PeerReview review = (*found)->review;
    if (review.state == PeerReviewState::kAnswered) {
      return ErrorResponse(
          Status::AtField(StatusCode::kFailedPrecondition, "review", "already answered"));
    }
    if (Status s = CheckPeerReviewAnswer(body, review); !s.ok()) return ErrorResponse(s);
    review.state = PeerReviewState::kAnswered;
    review.answered_at = now;
    JournalEntry entry;
    entry.district_id = (*found)->district;
    entry.stream = std::string(kPeerReviewStream);
    entry.key = review.id;
    entry.student_id = review.author;
    entry.body = PeerReviewToStored(review).dump();
    entry.recorded_by = by;
    entry.recorded_at = now;
    auto ids = store.AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    json out = ReviewJson(review, *roster, false);
    out.erase("reviewer");
    return JsonResponse(201, out);
  });
}

std::vector<GroupRoute<PeerReviewHandlers>> PeerReviewHandlers::Routes() {
  using G = PeerReviewHandlers;
  using R = AccessRule;
  return {
      {{"POST", "/api/v1/submissions/{submission}/peer-reviews", R::kStudentWrite, true},
       &G::Assign},
      {{"GET", "/api/v1/submissions/{submission}/peer-reviews", R::kStudentRead, true},
       &G::OfSubmission},
      {{"GET", "/api/v1/peer-reviews", R::kAuthenticated, false}, &G::Mine},
      {{"GET", "/api/v1/peer-reviews/{review}", R::kSelf, true}, &G::Get},
      {{"GET", "/api/v1/peer-reviews/{review}/files/{artifact}", R::kSelf, true, Work::kSlow},
       &G::File},
      {{"POST", "/api/v1/peer-reviews/{review}/answer", R::kSelf, true}, &G::Answer},
  };
}

}  // namespace cairn
