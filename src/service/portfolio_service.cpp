#include "service/portfolio_service.h"

#include <algorithm>

namespace cairn {
namespace {

bool IsHttpUrl(const std::string& link) {
  if (link.rfind("https://", 0) != 0 && link.rfind("http://", 0) != 0) return false;
  return std::none_of(link.begin(), link.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>';
  });
}

Status Denied(const std::string& why) { return {StatusCode::kPermissionDenied, why}; }

}  // namespace

bool PortfolioService::IsGuardianOf(const Person& guardian, Id student) const {
  if (guardian.role != PersonRole::kGuardian) return false;
  return std::any_of(roster_.guardian_links.begin(), roster_.guardian_links.end(),
                     [&](const GuardianLink& l) {
                       return l.guardian_id == guardian.id && l.student_id == student;
                     });
}

Status PortfolioService::ValidateVersion(const Person& student, const Badge& badge,
                                         const VersionInput& input) {
  if (input.text.size() > kMaxTextBytes) {
    return Status::InvalidField("text", "longer than " + std::to_string(kMaxTextBytes) + " bytes");
  }
  if (input.reflection.size() > kMaxReflectionBytes) {
    return Status::InvalidField("reflection",
                                "longer than " + std::to_string(kMaxReflectionBytes) + " bytes");
  }
  if (!input.link.empty() && (input.link.size() > kMaxLinkBytes || !IsHttpUrl(input.link))) {
    return Status::InvalidField("link", "must be an http or https address");
  }
  if (input.text.empty() && input.link.empty() && input.artifact_ids.empty()) {
    return Status::InvalidField("text", "add typed work, a link or a file");
  }
  if (input.tags.empty()) {
    return Status::InvalidField("tags", "name at least one CPE this work is evidence for");
  }
  for (std::size_t i = 0; i < input.tags.size(); ++i) {
    const CpeTag& tag = input.tags[i];
    const std::string where = "tags[" + std::to_string(i) + "]";
    auto cpe = std::find_if(badge.cpes.begin(), badge.cpes.end(),
                            [&](const Cpe& c) { return c.id == tag.cpe; });
    if (cpe == badge.cpes.end()) {
      return Status::InvalidField(where + ".cpe",
                                  "'" + tag.cpe + "' is not a CPE of " + badge.code);
    }
    if (!tag.indicator.empty() &&
        std::none_of(cpe->indicators.begin(), cpe->indicators.end(),
                     [&](const Indicator& ind) { return ind.id == tag.indicator; })) {
      return Status::InvalidField(where + ".indicator",
                                  "'" + tag.indicator + "' is not an indicator of " + tag.cpe);
    }
  }
  if (input.artifact_ids.size() > kMaxArtifactsPerVersion) {
    return Status::InvalidField(
        "artifacts", "at most " + std::to_string(kMaxArtifactsPerVersion) + " files per version");
  }
  for (std::size_t i = 0; i < input.artifact_ids.size(); ++i) {
    CAIRN_ASSIGN_OR_RETURN(auto artifact, store_.FindArtifact(input.artifact_ids[i]));
    if (!artifact || artifact->student_id != student.id) {
      // Someone else's file is reported as missing: its existence is private.
      return Status::InvalidField("artifacts[" + std::to_string(i) + "]", "no such file");
    }
  }
  return Status::Ok();
}

Result<Id> PortfolioService::AppendVersion(const Actor& actor, Id submission, int number,
                                           const VersionInput& input, bool submit, Instant now) {
  SubmissionVersion v;
  v.submission_id = submission;
  v.number = number;
  v.author = actor.person.id;
  v.at = now;
  v.text = input.text;
  v.link = input.link;
  v.reflection = input.reflection;
  v.tags = input.tags;
  v.artifact_ids = input.artifact_ids;
  CAIRN_ASSIGN_OR_RETURN(Id version_id, store_.AppendSubmissionVersion(v));
  if (submit) {
    PortfolioEvent e;
    e.submission_id = submission;
    e.version_id = version_id;
    e.kind = PortfolioEventKind::kSubmit;
    e.actor = actor.person.id;
    e.at = now;
    CAIRN_RETURN_IF_ERROR(store_.AppendPortfolioEvent(e).status());
  }
  return version_id;
}

Result<SubmissionRecord> PortfolioService::Load(Id submission) {
  CAIRN_ASSIGN_OR_RETURN(auto record, store_.LoadSubmission(submission));
  if (!record) return Status::NotFound("no submission " + std::to_string(submission));
  return std::move(*record);
}

Result<Id> PortfolioService::RecordArtifact(const Actor& actor, const Person& student,
                                            const std::string& sha256, std::int64_t size,
                                            const std::string& mime, const std::string& name) {
  if (actor.person.id != student.id && !actor.reviewer) {
    return Denied("only the student or their teacher adds files");
  }
  Artifact a;
  a.student_id = student.id;
  a.sha256 = sha256;
  a.size = size;
  a.mime = mime;
  a.name = name;
  a.uploaded_by = actor.person.id;
  a.uploaded_at = clock_();
  return store_.InsertArtifact(a);
}

Result<Id> PortfolioService::CreateSubmission(const Actor& actor, const Person& student,
                                              const SubmissionInput& input) {
  if (student.role != PersonRole::kStudent) return Status::InvalidField("student", "not a student");
  if (actor.person.id != student.id && !actor.reviewer) {
    return Denied("only the student or their teacher submits work");
  }
  const Badge* badge = catalog_.FindBadge(input.badge_code);
  if (!badge) return Status::InvalidField("badge", "no badge '" + input.badge_code + "'");
  if (input.title.empty() || input.title.size() > 200) {
    return Status::InvalidField("title", "give a title of 1 to 200 characters");
  }
  CAIRN_RETURN_IF_ERROR(ValidateVersion(student, *badge, input.first));
  const Instant now = clock_();
  Submission sub{0, student.id, badge->code, input.title, actor.person.id, now};
  CAIRN_ASSIGN_OR_RETURN(Id id, store_.InsertSubmission(sub));
  CAIRN_RETURN_IF_ERROR(AppendVersion(actor, id, 1, input.first, input.submit, now).status());
  return id;
}

Result<Id> PortfolioService::AddVersion(const Actor& actor, Id submission,
                                        const VersionInput& input, bool submit) {
  CAIRN_ASSIGN_OR_RETURN(SubmissionRecord record, Load(submission));
  const Person* student = roster_.FindPerson(record.submission.student_id);
  if (!student) return Status::NotFound("the submission's student is not in the roster");
  if (actor.person.id != student->id && !actor.reviewer) {
    return Denied("only the student or their teacher revises work");
  }
  const SubmissionView view = FoldSubmission(record);
  CAIRN_RETURN_IF_ERROR(CheckNewVersion(view));
  const Badge* badge = catalog_.FindBadge(record.submission.badge_code);
  if (!badge) return Status::Precondition("the badge is no longer in the catalog");
  CAIRN_RETURN_IF_ERROR(ValidateVersion(*student, *badge, input));
  const int number = record.versions.empty() ? 1 : record.versions.back().number + 1;
  return AppendVersion(actor, submission, number, input, submit, clock_());
}

Result<Id> PortfolioService::Act(const Actor& actor, Id submission, const ActionInput& input) {
  CAIRN_ASSIGN_OR_RETURN(SubmissionRecord record, Load(submission));
  const Id student_id = record.submission.student_id;
  const SubmissionView view = FoldSubmission(record);
  const bool self = actor.person.id == student_id;
  const bool staff = actor.reviewer;
  const bool guardian = IsGuardianOf(actor.person, student_id);

  using K = PortfolioEventKind;
  switch (input.kind) {
    case K::kSubmit:
      if (!self && !staff) return Denied("only the student or their teacher submits work");
      break;
    case K::kStartReview:
    case K::kRequestRevision:
    case K::kAccept:
    case K::kFeedback:
    case K::kNominateExemplar:
      if (!staff) return Denied("only teachers and leaders review work");
      break;
    case K::kShare:
    case K::kUnshare:
    case K::kShowcase:
    case K::kUnshowcase:
      if (!self) return Denied("only the student decides what to share and showcase");
      break;
    case K::kConsent: {
      // Under 18 the family decides; a linked guardian stands for that,
      // since the roster carries no birth dates.
      const bool has_guardian =
          std::any_of(roster_.guardian_links.begin(), roster_.guardian_links.end(),
                      [&](const GuardianLink& l) { return l.student_id == student_id; });
      if (guardian) break;
      if (self && !has_guardian) break;
      return Denied(self ? "a parent or guardian gives this consent" : "only the student's family");
    }
    case K::kWithdrawConsent:
      if (!self && !guardian) return Denied("only the student or their family withdraws consent");
      break;
  }
  CAIRN_RETURN_IF_ERROR(CheckTransition(view, input.kind));

  PortfolioEvent e;
  e.submission_id = submission;
  e.kind = input.kind;
  e.actor = actor.person.id;
  e.at = clock_();
  e.message = input.message;
  if (input.kind == K::kRequestRevision && input.message.empty()) {
    return Status::InvalidField("message", "say what to revise");
  }
  if (input.kind == K::kFeedback && input.message.empty()) {
    return Status::InvalidField("message", "feedback must not be empty");
  }
  if (input.message.size() > kMaxReflectionBytes) {
    return Status::InvalidField("message",
                                "longer than " + std::to_string(kMaxReflectionBytes) + " bytes");
  }
  // Which version it is about: the one named (it must belong here), else the
  // one under review, else the newest.
  if (input.version_id) {
    auto it = std::find_if(record.versions.begin(), record.versions.end(),
                           [&](const SubmissionVersion& v) { return v.id == input.version_id; });
    if (it == record.versions.end()) {
      return Status::InvalidField("version", "not a version of this submission");
    }
    e.version_id = input.version_id;
  } else if (view.submitted) {
    e.version_id = view.submitted->id;
  } else if (view.latest) {
    e.version_id = view.latest->id;
  }
  if (input.kind == K::kSubmit && view.latest) e.version_id = view.latest->id;

  if (input.anchor) {
    if (input.kind != K::kFeedback)
      return Status::InvalidField("anchor", "only feedback has an anchor");
    const Anchor& a = *input.anchor;
    const SubmissionVersion* version = nullptr;
    for (const SubmissionVersion& v : record.versions) {
      if (v.id == e.version_id) version = &v;
    }
    if (!version || std::find(version->artifact_ids.begin(), version->artifact_ids.end(),
                              a.artifact_id) == version->artifact_ids.end()) {
      return Status::InvalidField("anchor.artifact", "not a file of this version");
    }
    auto in_unit = [](double v) { return v >= 0.0 && v <= 1.0; };
    if (!in_unit(a.x) || !in_unit(a.y) || !in_unit(a.w) || !in_unit(a.h) || a.x + a.w > 1.0001 ||
        a.y + a.h > 1.0001) {
      return Status::InvalidField("anchor", "x, y, w, h are fractions of the page (0 to 1)");
    }
    if (a.page < 0)
      return Status::InvalidField("anchor.page", "must be 0 (image) or a page number");
    e.anchor = a;
  }
  if (input.kind == K::kNominateExemplar) {
    const Badge* badge = catalog_.FindBadge(record.submission.badge_code);
    if (!badge) return Status::Precondition("the badge is no longer in the catalog");
    auto cpe = std::find_if(badge->cpes.begin(), badge->cpes.end(),
                            [&](const Cpe& c) { return c.id == input.cpe; });
    if (cpe == badge->cpes.end()) {
      return Status::InvalidField("cpe", "'" + input.cpe + "' is not a CPE of " + badge->code);
    }
    const Scale& scale = catalog_.ScaleOf(*badge);
    if (std::none_of(scale.levels.begin(), scale.levels.end(),
                     [&](const ScaleLevel& l) { return l.id == input.level; })) {
      return Status::InvalidField("level", "'" + input.level + "' is not a level of the scale");
    }
    e.cpe = input.cpe;
    e.level = input.level;
  }
  return store_.AppendPortfolioEvent(e);
}

}  // namespace cairn
