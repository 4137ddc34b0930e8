#include "reports/family_summary.h"

#include <algorithm>
#include <map>

namespace cairn {
namespace {

// Evidence kinds as a family would say them.
std::string_view PlainKind(EvidenceKind kind) {
  switch (kind) {
    case EvidenceKind::kFormative:
      return "a practice check in class";
    case EvidenceKind::kSummative:
      return "an end-of-unit test or task";
    case EvidenceKind::kPerformanceTask:
      return "a longer project that uses the skills together";
    case EvidenceKind::kPortfolioItem:
      return "a finished piece of work for the portfolio";
    case EvidenceKind::kExternalAssessment:
      return "an outside test";
    case EvidenceKind::kOutsideSchool:
      return "learning done outside school";
  }
  return "another piece of work";
}

std::string MasteryLabel(const Scale& scale) {
  for (const ScaleLevel& level : scale.levels) {
    if (level.mastery) return level.label;
  }
  return scale.levels.empty() ? std::string() : scale.levels.back().label;
}

std::string BadgeTitle(const Catalog& catalog, const std::string& code) {
  for (const Badge& b : catalog.badges) {
    if (b.code == code) return b.title;
  }
  return code;
}

// The CPE a family should hear about next: a required one that does not
// count yet, else the first that does not count, preferring one with some
// evidence (it is closest). Index into the explanation's CPEs, or -1.
int NextCpe(const BadgeExplanation& e) {
  int first = -1, started = -1;
  for (std::size_t i = 0; i < e.cpes.size(); ++i) {
    const CpeExplanation& c = e.cpes[i];
    if (c.counts) continue;
    if (c.required) return static_cast<int>(i);
    if (first < 0) first = static_cast<int>(i);
    if (started < 0 && c.has_evidence) started = static_cast<int>(i);
  }
  return started >= 0 ? started : first;
}

void PlanNextStep(const Catalog& catalog, const Badge& badge, const BadgeExplanation& e,
                  const std::string& child, FamilyBadge& out) {
  const Scale& scale = catalog.ScaleOf(badge);
  FamilyNextStep& next = out.next;
  if (e.met) {
    out.state = "confirming";
    next.kind = "confirming";
    out.next_step = child +
                    " has shown everything this badge asks for. A teacher is checking "
                    "the work before awarding it.";
    return;
  }
  auto prerequisite = [&] {
    next.kind = "prerequisite";
    next.prerequisite = e.missing_prerequisites.front();
    next.prerequisite_title = BadgeTitle(catalog, next.prerequisite);
    out.next_step = "Next: earn " + next.prerequisite_title + " first. This badge builds on it.";
  };
  if (e.cpes_counting >= e.cpes_needed && !e.missing_prerequisites.empty()) {
    prerequisite();
    return;
  }
  const int index = NextCpe(e);
  if (index >= 0 && e.cpes_counting < e.cpes_needed) {
    const CpeExplanation& c = e.cpes[static_cast<std::size_t>(index)];
    const Cpe& cpe = badge.cpes[static_cast<std::size_t>(index)];
    out.next_cpe = cpe.id;
    next.cpe = cpe.id;
    next.cpe_label = cpe.label;
    next.skill = index + 1;
    next.of = static_cast<int>(badge.cpes.size());
    const std::string where = " (" + badge.code + ", skill " + std::to_string(index + 1) + " of " +
                              std::to_string(badge.cpes.size()) + ")";
    const int level = c.has_evidence ? scale.LevelIndex(c.level_id) : -1;
    if (level >= 0 && scale.levels[static_cast<std::size_t>(level)].mastery) {
      next.kind = "again";
      out.next_step =
          "Next: show \u201c" + cpe.label + "\u201d again in another piece of work" + where + ".";
    } else {
      next.kind = "show";
      next.level = MasteryLabel(scale);
      out.next_step = "Next: show " + MasteryLabel(scale) + " work on \u201c" + cpe.label +
                      "\u201d" + where + ".";
    }
    return;
  }
  if (!e.missing_kinds.empty()) {
    next.kind = "evidence_kind";
    next.evidence_kind = std::string(EvidenceKindName(e.missing_kinds.front()));
    out.next_step =
        "Next: complete " + std::string(PlainKind(e.missing_kinds.front())) + " for this badge.";
    return;
  }
  if (!e.missing_prerequisites.empty()) {
    prerequisite();
    return;
  }
  next.kind = "keep_going";
  out.next_step = "Next: keep adding work to the portfolio with the teacher's feedback.";
}

}  // namespace

FamilySummary BuildFamilySummary(const Catalog& catalog, const StudentProgress& progress,
                                 std::span<const RatingFact> ratings,
                                 const std::function<std::string(Id)>& teacher_name,
                                 std::span<const CurriculumResource> resources) {
  FamilySummary out;
  out.child = progress.student.given_name.empty() ? progress.student.DisplayName()
                                                  : progress.student.given_name;
  // The newest note per badge: latest day of work, then latest recorded.
  std::map<std::string, const RatingFact*> last_note;
  for (const RatingFact& r : ratings) {
    if (r.note.empty()) continue;
    auto ref = catalog.FindCpe(r.cpe_id);
    if (!ref) continue;
    const RatingFact*& best = last_note[catalog.badges[ref->badge].code];
    if (!best || std::tie(r.demonstrated_on, r.recorded_at, r.id) >
                     std::tie(best->demonstrated_on, best->recorded_at, best->id)) {
      best = &r;
    }
  }
  for (const BadgeProgress& p : progress.badges) {
    const Badge& badge = catalog.badges[p.standing.badge];
    FamilyBadge b;
    b.code = badge.code;
    b.title = badge.title;
    b.done = p.explanation.cpes_counting;
    b.needed = p.explanation.cpes_needed;
    if (p.standing.state == PathwayState::kEarned) {
      b.state = "earned";
      b.earned_on = p.award.confirmed_at ? DayOf(p.award.confirmed_at) : 0;
      out.earned.push_back(std::move(b));
      continue;
    }
    // Work begun counts even on a badge whose prerequisite is not earned.
    const bool started = p.standing.state == PathwayState::kInProgress ||
                         p.standing.cpes_with_evidence > 0 ||
                         p.standing.award == AwardState::kProposed || p.explanation.met;
    if (!started) continue;
    b.state = "working";
    PlanNextStep(catalog, badge, p.explanation, out.child, b);
    if (auto it = last_note.find(badge.code); it != last_note.end()) {
      b.last_note = FamilyNote{it->second->note, teacher_name(it->second->recorded_by),
                               it->second->demonstrated_on};
    }
    for (const CurriculumResource& r : resources) {
      if (b.next_cpe.empty() || r.cpe_id != b.next_cpe || r.retired_at) continue;
      b.help.push_back({r.title, r.url, r.provider});
      if (b.help.size() == 3) break;  // a few good links, not a catalogue
    }
    out.working.push_back(std::move(b));
  }
  std::stable_sort(
      out.earned.begin(), out.earned.end(),
      [](const FamilyBadge& a, const FamilyBadge& b) { return a.earned_on > b.earned_on; });
  return out;
}

namespace {

nlohmann::json NextJson(const FamilyNextStep& n) {
  if (n.kind.empty()) return nullptr;
  auto or_null = [](const std::string& s) {
    return s.empty() ? nlohmann::json() : nlohmann::json(s);
  };
  return {{"kind", n.kind},
          {"prerequisite",
           n.prerequisite.empty()
               ? nlohmann::json()
               : nlohmann::json{{"code", n.prerequisite}, {"title", n.prerequisite_title}}},
          {"cpe", n.cpe.empty() ? nlohmann::json()
                                : nlohmann::json{{"id", n.cpe},
                                                 {"label", n.cpe_label},
                                                 {"skill", n.skill},
                                                 {"of", n.of}}},
          {"level", or_null(n.level)},
          {"evidence_kind", or_null(n.evidence_kind)}};
}

}  // namespace

nlohmann::json FamilySummaryJson(const FamilySummary& summary) {
  auto badges = [](const std::vector<FamilyBadge>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const FamilyBadge& b : list) {
      nlohmann::json help = nlohmann::json::array();
      for (const FamilyHelp& h : b.help) {
        help.push_back({{"title", h.title}, {"url", h.url}, {"provider", h.provider}});
      }
      out.push_back(
          {{"code", b.code},
           {"title", b.title},
           {"state", b.state},
           {"earned_on", b.earned_on ? nlohmann::json(FormatDate(b.earned_on)) : nlohmann::json()},
           {"done", b.done},
           {"needed", b.needed},
           {"next_step", b.next_step},
           {"next_cpe", b.next_cpe},
           {"next", NextJson(b.next)},
           {"last_note", b.last_note ? nlohmann::json{{"text", b.last_note->text},
                                                      {"by", b.last_note->by},
                                                      {"on", FormatDate(b.last_note->on)}}
                                     : nlohmann::json()},
           {"help", std::move(help)}});
    }
    return out;
  };
  return {{"child", summary.child},
          {"earned", badges(summary.earned)},
          {"working", badges(summary.working)}};
}

}  // namespace cairn
