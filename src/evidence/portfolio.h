// The portfolio: what a student submits as evidence for a badge, every version
// of it, and everything that happens to it afterwards (submission, review,
// feedback, revision requests, acceptance, sharing, showcasing, consent to use
// as an anonymized exemplar).
//
// Nothing here is ever rewritten. A submission is a stable identity; each
// edit or resubmission is a new SubmissionVersion; everything else is a
// PortfolioEvent. The current state is a fold over the events
// (FoldSubmission), so the history can always be replayed and explained.
// Pure values and functions: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "roster/roster.h"

namespace cairn {

// A stored file. The bytes live in the blob store under their SHA-256; the
// name is the sanitized one the student gave, for display only.
struct Artifact {
  Id id = 0;
  Id student_id = 0;
  std::string sha256;
  std::int64_t size = 0;
  std::string mime;  // detected from the content, never from the name
  std::string name;
  Id uploaded_by = 0;
  Instant uploaded_at = 0;
};

// Which CPE (and optionally which indicator) a version is evidence for.
struct CpeTag {
  std::string cpe;
  std::string indicator;  // optional
  bool operator==(const CpeTag&) const = default;
};

struct Submission {
  Id id = 0;
  Id student_id = 0;
  std::string badge_code;
  std::string title;
  Id created_by = 0;  // the student, or a teacher on their behalf
  Instant created_at = 0;
};

struct SubmissionVersion {
  Id id = 0;
  Id submission_id = 0;
  int number = 0;  // 1, 2, ... within the submission
  Id author = 0;
  Instant at = 0;
  std::string text;        // typed work
  std::string link;        // e.g. a Desmos activity (http/https only)
  std::string reflection;  // the student's own words about the work
  std::vector<CpeTag> tags;
  std::vector<Id> artifact_ids;
};

enum class SubmissionState { kDraft, kSubmitted, kInReview, kRevisionRequested, kAccepted };
std::string_view SubmissionStateName(SubmissionState state);

enum class PortfolioEventKind {
  kSubmit,           // the latest version goes to the teacher
  kStartReview,      // a teacher has opened it
  kRequestRevision,  // message says what to change
  kAccept,
  kFeedback,  // a comment, optionally anchored to a region of a file
  kShare,     // the student shows it to their guardians
  kUnshare,
  kShowcase,  // one of the student's best pieces for the badge
  kUnshowcase,
  kConsent,           // may be used as an anonymized exemplar
  kWithdrawConsent,   // removes it from the exemplar bank at once
  kNominateExemplar,  // staff: exemplar of `cpe` at `level`
};
std::string_view PortfolioEventKindName(PortfolioEventKind kind);
std::optional<PortfolioEventKind> ParsePortfolioEventKind(std::string_view name);

// A region of a file a comment refers to: the page (1-based, PDFs; 0 for an
// image) and a rectangle in fractions of the page, so it survives resizing.
struct Anchor {
  Id artifact_id = 0;
  int page = 0;
  double x = 0, y = 0, w = 0, h = 0;
};

struct PortfolioEvent {
  Id id = 0;
  Id submission_id = 0;
  Id version_id = 0;  // the version it is about (0: not version-specific)
  PortfolioEventKind kind = PortfolioEventKind::kSubmit;
  Id actor = 0;
  Instant at = 0;
  std::string message;  // feedback text, revision request, note
  std::optional<Anchor> anchor;
  std::string cpe;    // kNominateExemplar
  std::string level;  // kNominateExemplar
};

// A submission with its whole history, as the store returns it.
struct SubmissionRecord {
  Submission submission;
  std::vector<SubmissionVersion> versions;  // by number
  std::vector<PortfolioEvent> events;       // by id
};

struct ExemplarNomination {
  Id version_id = 0;
  std::string cpe;
  std::string level;
  Id nominated_by = 0;
  Instant at = 0;
};

// What the history adds up to.
struct SubmissionView {
  SubmissionState state = SubmissionState::kDraft;
  const SubmissionVersion* latest = nullptr;     // null only for a corrupt record
  const SubmissionVersion* submitted = nullptr;  // the version under review or accepted
  Instant last_change = 0;
  Instant submitted_at = 0;      // when it last went to the teacher (review queue age)
  std::string revision_message;  // set while a revision is requested
  bool shared_with_guardians = false;
  bool showcased = false;
  bool consented = false;
  std::vector<const PortfolioEvent*> feedback;
  std::vector<ExemplarNomination> nominations;
};

// Folds the events in id order. Events that the transition rules would have
// refused (they never reach the store) are ignored, so a fold never fails.
SubmissionView FoldSubmission(const SubmissionRecord& record);

// Whether `kind` may happen now. Messages are for people: "this submission
// was accepted; start a new one to add evidence".
Status CheckTransition(const SubmissionView& view, PortfolioEventKind kind);
// Whether a new version may be added (drafts and revision requests only).
Status CheckNewVersion(const SubmissionView& view);

}  // namespace cairn
