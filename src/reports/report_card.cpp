#include "reports/report_card.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "mastery/awards.h"
#include "mastery/engine.h"
#include "service/cairn_service.h"

namespace cairn {

namespace {

// The first mastery level's label: the goal every CPE is measured against.
std::string GoalLabel(const Scale& scale) {
  for (const ScaleLevel& level : scale.levels) {
    if (level.mastery) return level.label;
  }
  return scale.levels.back().label;
}

bool IsMasteryLevel(const Scale& scale, const std::string& level_id) {
  const int index = scale.LevelIndex(level_id);
  return index >= 0 && scale.levels[static_cast<std::size_t>(index)].mastery;
}

std::string Lowercase(std::string_view text) {
  std::string out(text);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

std::vector<ReportCardCpe> CpesOf(const Badge& badge, const Scale& scale,
                                  const BadgeExplanation& explanation) {
  const std::string goal = GoalLabel(scale);
  std::vector<ReportCardCpe> out;
  for (std::size_t i = 0; i < badge.cpes.size() && i < explanation.cpes.size(); ++i) {
    const Cpe& cpe = badge.cpes[i];
    const CpeExplanation& e = explanation.cpes[i];
    ReportCardCpe item;
    item.id = cpe.id;
    item.label = cpe.label;
    item.code = cpe.code;
    item.statement = cpe.statement;
    item.has_evidence = e.has_evidence;
    item.at_goal = e.counts;
    if (!e.has_evidence) {
      item.standing = "No evidence yet.";
    } else {
      item.level_label = e.level_label;
      item.last_demonstrated = e.last_demonstrated;
      if (e.counts) {
        item.standing = "Meets the goal (" + e.level_label + ").";
      } else if (IsMasteryLevel(scale, e.level_id)) {
        const int needed = badge.rule.min_evidence_per_cpe;
        item.standing = e.level_label + ", and the badge asks for " + std::to_string(needed) +
                        " pieces of evidence (" + std::to_string(e.evidence_count) + " so far).";
      } else {
        // A scale whose lowest level is called "Not yet" reads it once.
        const bool says_not_yet = Lowercase(e.level_label).rfind("not yet", 0) == 0;
        item.standing = (says_not_yet ? e.level_label : "Not yet: " + e.level_label) +
                        ". The goal is " + goal + ".";
      }
    }
    out.push_back(std::move(item));
  }
  return out;
}

// What remains of a badge, in the words a family reads: learning
// expectations and kinds of work, not rule clauses.
std::vector<std::string> RemainingOf(const Catalog& catalog, const Badge& badge, const Scale& scale,
                                     const BadgeExplanation& e) {
  const std::string goal = GoalLabel(scale);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < e.cpes.size(); ++i) {
    if (e.cpes[i].required && !e.cpes[i].counts) {
      out.push_back("Reach " + goal + " on " + e.cpes[i].label + " (required).");
    }
  }
  if (e.cpes_counting < e.cpes_needed) {
    if (badge.rule.quorum == AwardRule::Quorum::kAll) {
      for (const CpeExplanation& c : e.cpes) {
        if (!c.counts && !c.required) out.push_back("Reach " + goal + " on " + c.label + ".");
      }
    } else {
      const int more = e.cpes_needed - e.cpes_counting;
      out.push_back("Reach " + goal + " on " + std::to_string(more) + " more learning " +
                    (more == 1 ? "expectation" : "expectations") + " (" +
                    std::to_string(e.cpes_counting) + " of " + std::to_string(e.cpes_needed) +
                    " so far).");
    }
  }
  for (EvidenceKind kind : e.missing_kinds) {
    out.push_back("Show " + goal + " work in a " + Lowercase(EvidenceKindLabel(kind)) + ".");
  }
  for (const std::string& code : e.missing_prerequisites) {
    const Badge* pre = catalog.FindBadge(code);
    out.push_back("Earn the badge " + code + (pre ? " " + pre->title : "") + " first.");
  }
  return out;
}

// Facts recorded by the end of `as_of` (UTC).
template <typename Fact, typename When>
std::vector<Fact> RecordedBy(const std::vector<Fact>& facts, Instant end, When when) {
  std::vector<Fact> out;
  for (const Fact& f : facts) {
    if (when(f) < end) out.push_back(f);
  }
  return out;
}

std::string NameOf(const Roster& roster, Id person) {
  const Person* p = roster.FindPerson(person);
  return p ? p->DisplayName() : "";
}

bool IsStaffMember(const Roster& roster, Id person) {
  const Person* p = roster.FindPerson(person);
  return p && p->role != PersonRole::kStudent && p->role != PersonRole::kGuardian;
}

std::vector<ReportCardComment> CommentsOf(const Catalog& catalog, const Roster& roster,
                                          const std::vector<RatingFact>& ratings,
                                          const std::vector<VoidFact>& voids,
                                          const std::vector<SubmissionRecord>& submissions,
                                          Instant end) {
  std::set<FactId> voided;
  for (const VoidFact& v : voids) voided.insert(v.target);
  std::set<FactId> replaced;
  for (const RatingFact& r : ratings) {
    if (r.corrects && !voided.count(r.id)) replaced.insert(*r.corrects);
  }
  std::vector<std::pair<Instant, ReportCardComment>> found;
  for (const RatingFact& r : ratings) {
    if (r.note.empty() || voided.count(r.id) || replaced.count(r.id)) continue;
    ReportCardComment c;
    c.on = r.demonstrated_on;
    c.teacher = NameOf(roster, r.recorded_by);
    if (auto ref = catalog.FindCpe(r.cpe_id)) {
      c.about = catalog.badges[ref->badge].code + " · " + catalog.CpeAt(*ref).label;
    } else {
      c.about = r.cpe_id;
    }
    c.text = r.note;
    found.emplace_back(r.recorded_at, std::move(c));
  }
  for (const SubmissionRecord& record : submissions) {
    // Sharing as of the day: fold only the events recorded by then.
    SubmissionRecord then = record;
    std::erase_if(then.events, [&](const PortfolioEvent& e) { return e.at >= end; });
    std::erase_if(then.versions, [&](const SubmissionVersion& v) { return v.at >= end; });
    if (then.versions.empty()) continue;
    const SubmissionView view = FoldSubmission(then);
    if (!view.shared_with_guardians) continue;
    for (const PortfolioEvent* e : view.feedback) {
      if (e->message.empty() || !IsStaffMember(roster, e->actor)) continue;
      ReportCardComment c;
      c.on = DayOf(e->at);
      c.teacher = NameOf(roster, e->actor);
      c.about = record.submission.badge_code + " · " + record.submission.title;
      c.text = e->message;
      found.emplace_back(e->at, std::move(c));
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.on, a.first) > std::tie(b.second.on, b.first);
  });
  std::vector<ReportCardComment> out;
  for (auto& [at, c] : found) out.push_back(std::move(c));
  return out;
}

}  // namespace

std::string VerificationUrl(const std::string& public_url, const std::string& uuid) {
  return public_url + "/verify/" + uuid;
}

Result<ReportCard> BuildReportCard(const Catalog& catalog, const Roster& roster,
                                   const Person& student, const ReportCardFacts& facts,
                                   const ReportCardOptions& options) {
  if (student.role != PersonRole::kStudent) {
    return Status::InvalidField("student", "'" + student.sourced_id + "' is not a student");
  }
  if (options.as_of <= 0) return Status::InvalidField("as_of", "required");
  const Instant end = StartOf(options.as_of + 1);

  const auto ratings = RecordedBy(facts.ratings, end, [](const RatingFact& f) {
    return std::max(f.recorded_at, StartOf(f.demonstrated_on));
  });
  const auto voids = RecordedBy(facts.voids, end, [](const VoidFact& f) { return f.recorded_at; });
  const auto awards =
      RecordedBy(facts.awards, end, [](const AwardFact& f) { return f.recorded_at; });
  const auto habits = RecordedBy(facts.habits, end, [](const HabitFact& f) {
    return std::max(f.recorded_at, StartOf(f.observed_on));
  });

  MasteryEngine engine(catalog);
  for (const RatingFact& r : ratings) {
    if (r.student_id == student.id) (void)engine.AddRating(r, /*recompute=*/false);
  }
  for (const VoidFact& v : voids) {
    if (v.student_id == student.id) (void)engine.AddVoid(v, /*recompute=*/false);
  }
  const auto records = FoldAwards(awards);
  for (const auto& [code, record] : records) {
    auto badge = catalog.BadgeIndex(code);
    if (badge && record.state == AwardState::kConfirmed) {
      engine.SetEarned(student.id, *badge, true, /*recompute=*/false);
    }
  }
  engine.RecomputeAll();
  const StudentProgress progress = BuildStudentProgress(catalog, engine, student, awards, habits);

  ReportCard card;
  card.as_of = options.as_of;
  card.student_name = student.DisplayName();
  card.student_id = student.sourced_id;
  card.grade = student.demographics.grade;
  for (const District& d : roster.districts) {
    if (d.id == student.district_id) card.district = d.name;
  }
  if (student.school_id) {
    if (const School* school = roster.FindSchool(*student.school_id)) card.school = school->name;
  }

  for (const BadgeProgress& item : progress.badges) {
    const Badge& badge = catalog.badges[item.standing.badge];
    const Scale& scale = catalog.ScaleOf(badge);
    if (item.standing.state == PathwayState::kEarned) {
      ReportCardEarnedBadge earned;
      earned.code = badge.code;
      earned.title = badge.title;
      earned.earned_on = DayOf(item.award.confirmed_at);
      earned.cpes = CpesOf(badge, scale, item.explanation);
      // The credential of this award (its confirm fact), else the newest of
      // the badge issued by the day.
      const IssuedCredential* found = nullptr;
      for (const IssuedCredential& c : facts.credentials) {
        if (c.badge_code != badge.code || c.issued_at >= end) continue;
        if (c.award_id == item.award.last_fact) {
          found = &c;
          break;
        }
        if (!found || c.issued_at >= found->issued_at) found = &c;
      }
      if (found) {
        earned.credential =
            ReportCardCredential{found->uuid, VerificationUrl(options.public_url, found->uuid),
                                 facts.public_credentials.count(found->id) > 0};
      }
      card.earned.push_back(std::move(earned));
    } else if (item.standing.state == PathwayState::kInProgress) {
      ReportCardBadgeInProgress progressing;
      progressing.code = badge.code;
      progressing.title = badge.title;
      progressing.cpes = CpesOf(badge, scale, item.explanation);
      progressing.goals_met = item.explanation.cpes_counting;
      progressing.goals_needed = item.explanation.cpes_needed;
      progressing.awaiting_confirmation = item.award.state == AwardState::kProposed;
      progressing.remaining = RemainingOf(catalog, badge, scale, item.explanation);
      if (progressing.remaining.empty()) {
        progressing.remaining.push_back("Every goal is met: a teacher will confirm the badge.");
      }
      card.in_progress.push_back(std::move(progressing));
    }
  }
  std::stable_sort(card.earned.begin(), card.earned.end(),
                   [](const auto& a, const auto& b) { return a.earned_on < b.earned_on; });

  for (const HabitSummary& h : progress.habits) {
    ReportCardHabit habit;
    habit.label = h.label;
    habit.level_label = h.level_label;
    habit.observed_on = h.observed_on;
    habit.observations = h.observations;
    // The note of the observation shown (the latest, as BuildStudentProgress
    // orders them).
    const HabitFact* latest = nullptr;
    for (const HabitFact& f : habits) {
      if (f.student_id != student.id || f.habit_id != h.habit_id) continue;
      if (!latest || std::tie(f.observed_on, f.recorded_at, f.id) >
                         std::tie(latest->observed_on, latest->recorded_at, latest->id)) {
        latest = &f;
      }
    }
    if (latest) habit.note = latest->note;
    card.habits.push_back(std::move(habit));
  }

  card.comments = CommentsOf(catalog, roster, ratings, voids, facts.submissions, end);
  if (options.max_comments >= 0 &&
      card.comments.size() > static_cast<std::size_t>(options.max_comments)) {
    card.comments.resize(static_cast<std::size_t>(options.max_comments));
  }
  if (options.credit_map) {
    std::set<std::string> earned;
    for (const ReportCardEarnedBadge& b : card.earned) earned.insert(b.code);
    for (const RequirementProgress& p : CreditProgress(*options.credit_map, earned)) {
      card.requirements.push_back({p.requirement->title,
                                   std::string(RequirementKindName(p.requirement->kind)), p.met,
                                   p.standing});
    }
  }
  return card;
}

Result<ReportCardFacts> LoadReportCardFacts(Store& store, Id student) {
  ReportCardFacts facts;
  CAIRN_RETURN_IF_ERROR(
      store.ForEachRating(student, [&](const RatingFact& r) { facts.ratings.push_back(r); }));
  CAIRN_ASSIGN_OR_RETURN(facts.voids, store.Voids(student));
  CAIRN_ASSIGN_OR_RETURN(facts.awards, store.Awards(student));
  CAIRN_ASSIGN_OR_RETURN(facts.habits, store.Habits(student));
  CAIRN_ASSIGN_OR_RETURN(facts.credentials, store.Credentials(student, std::nullopt));
  for (const IssuedCredential& c : facts.credentials) {
    CAIRN_ASSIGN_OR_RETURN(bool is_public, store.CredentialIsPublic(c.id));
    if (is_public) facts.public_credentials.insert(c.id);
  }
  CAIRN_ASSIGN_OR_RETURN(facts.submissions, store.LoadSubmissions(student));
  return facts;
}

Result<ReportCard> LoadReportCard(Store& store, const Catalog& catalog, const Roster& roster,
                                  const Person& student, const ReportCardOptions& options) {
  CAIRN_ASSIGN_OR_RETURN(ReportCardFacts facts, LoadReportCardFacts(store, student.id));
  return BuildReportCard(catalog, roster, student, facts, options);
}

}  // namespace cairn
