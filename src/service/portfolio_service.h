// Portfolio operations: validate, check who may do what to which submission,
// and append the facts. The API authorizes the route first (server/policy.h:
// may this person touch this student's record at all); these functions add
// the portfolio's own rules (only staff accept; only the student or a
// guardian consents; a resubmission needs a new version...).
//
// Each function writes within the caller's transaction and changes nothing
// when it returns an error. Not thread-safe: one per Store, like the Store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "common/time.h"
#include "evidence/portfolio.h"
#include "roster/roster.h"
#include "store/store.h"

namespace cairn {

struct VersionInput {
  std::string text;
  std::string link;
  std::string reflection;
  std::vector<CpeTag> tags;
  std::vector<Id> artifact_ids;
};

struct SubmissionInput {
  std::string badge_code;
  std::string title;
  VersionInput first;
  bool submit = false;  // send it to the teacher now rather than keep a draft
};

struct ActionInput {
  PortfolioEventKind kind = PortfolioEventKind::kSubmit;
  std::string message;
  std::optional<Anchor> anchor;
  Id version_id = 0;  // feedback and exemplars: which version (0: the latest submitted)
  std::string cpe;    // exemplar nominations
  std::string level;
};

// Limits that keep one submission a reasonable size.
inline constexpr std::size_t kMaxTextBytes = 100'000;
inline constexpr std::size_t kMaxReflectionBytes = 10'000;
inline constexpr std::size_t kMaxLinkBytes = 2'000;
inline constexpr std::size_t kMaxArtifactsPerVersion = 20;

// Who is acting. `reviewer` is decided by the server's policy: the student's
// teacher, a leader of their school or an admin may review their work.
struct Actor {
  const Person& person;
  bool reviewer = false;
};

class PortfolioService {
 public:
  // All references must outlive the service.
  PortfolioService(Store& store, const Roster& roster, const Catalog& catalog, Clock clock)
      : store_(store), roster_(roster), catalog_(catalog), clock_(std::move(clock)) {}

  Result<Id> RecordArtifact(const Actor& actor, const Person& student, const std::string& sha256,
                            std::int64_t size, const std::string& mime, const std::string& name);
  Result<Id> CreateSubmission(const Actor& actor, const Person& student,
                              const SubmissionInput& input);
  // A new version (edit of a draft, or the revision the teacher asked for);
  // `submit` sends it to the teacher in the same transaction.
  Result<Id> AddVersion(const Actor& actor, Id submission, const VersionInput& input, bool submit);
  Result<Id> Act(const Actor& actor, Id submission, const ActionInput& input);

  // Who may read a submission: anyone who may read the student's record,
  // except guardians, who see only what the student shared with them.
  static bool GuardianMaySee(const SubmissionView& view) { return view.shared_with_guardians; }

 private:
  Status ValidateVersion(const Person& student, const Badge& badge, const VersionInput& input);
  Result<SubmissionRecord> Load(Id submission);
  // Appends version `number` and, if asked, submits it.
  Result<Id> AppendVersion(const Actor& actor, Id submission, int number, const VersionInput& input,
                           bool submit, Instant now);
  bool IsGuardianOf(const Person& guardian, Id student) const;

  Store& store_;
  const Roster& roster_;
  const Catalog& catalog_;
  Clock clock_;
};

}  // namespace cairn
