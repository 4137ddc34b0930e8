#include "reports/gradebook.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "mastery/awards.h"
#include "reports/csv.h"
#include "service/cairn_service.h"

namespace cairn {
namespace {

Instant EndOf(Day day) { return StartOf(day + 1) - 1; }

Result<Day> DateField(const char* field, const std::string& text) {
  auto day = ParseDate(text);
  if (!day.ok()) return Status::InvalidField(field, day.status().message());
  return *day;
}

Result<GradingPeriod> SessionPeriod(const Roster& roster, const std::string& sourced_id) {
  for (const AcademicSession& session : roster.academic_sessions) {
    if (session.sourced_id != sourced_id) continue;
    auto start = ParseDate(session.start_date);
    auto end = ParseDate(session.end_date);
    if (!start.ok() || !end.ok() || *end < *start) {
      return Status::InvalidField(
          "period", "academic session '" + sourced_id + "' has no usable start and end dates");
    }
    return GradingPeriod{session.sourced_id, session.title, *start, *end};
  }
  return Status::AtField(StatusCode::kNotFound, "period",
                         "no academic session '" + sourced_id + "'");
}

Result<GradingPeriod> DatesPeriod(const Section& section, const GradebookRequest& request) {
  if (request.from.empty()) return Status::InvalidField("from", "required with to");
  if (request.to.empty()) return Status::InvalidField("to", "required with from");
  CAIRN_ASSIGN_OR_RETURN(Day start, DateField("from", request.from));
  CAIRN_ASSIGN_OR_RETURN(Day end, DateField("to", request.to));
  if (end < start)
    return Status::InvalidField("to", request.to + " is before from " + request.from);
  GradingPeriod period;
  // The SIS knows the section's term; without one, an id stable for these dates.
  period.sourced_id = !section.term_sourced_id.empty()
                          ? section.term_sourced_id
                          : "cairn-period-" + FormatDate(start) + "-" + FormatDate(end);
  period.title = FormatDate(start) + " to " + FormatDate(end);
  period.start = start;
  period.end = end;
  return period;
}

Result<Instant> AsOf(const std::string& text, const GradingPeriod& period, Instant now) {
  if (text.empty()) return std::min(EndOf(period.end), now);
  Instant as_of = 0;
  if (text.size() == 10) {
    CAIRN_ASSIGN_OR_RETURN(Day day, DateField("as_of", text));
    if (day > DayOf(now)) return Status::InvalidField("as_of", text + " is in the future");
    as_of = std::min(EndOf(day), now);  // today: as of now
  } else {
    auto instant = ParseInstant(text);
    if (!instant.ok()) return Status::InvalidField("as_of", instant.status().message());
    if (*instant > now) return Status::InvalidField("as_of", text + " is in the future");
    as_of = *instant;
  }
  if (as_of < StartOf(period.start)) {
    return Status::InvalidField(
        "as_of", text + " is before the period starts (" + FormatDate(period.start) + ")");
  }
  return as_of;
}

GradebookEntry Grade(const Catalog& catalog, const Badge& badge, const Person& student,
                     const MasteryEngine& engine, const std::map<std::string, AwardRecord>& awards,
                     const GradebookSettings& settings) {
  const BadgeExplanation explanation = engine.Explain(student.id, badge);
  GradebookEntry entry;
  entry.student_name = student.DisplayName();
  entry.student_sourced_id = student.sourced_id;
  entry.badge_code = badge.code;
  auto award = awards.find(badge.code);
  if (award != awards.end() && award->second.state == AwardState::kConfirmed) {
    entry.outcome = GradebookOutcome::kPass;
    entry.passed_on = DayOf(award->second.confirmed_at);
  }
  entry.outcome_label =
      entry.outcome == GradebookOutcome::kPass ? settings.pass_label : settings.not_yet_label;
  for (const CpeExplanation& cpe : explanation.cpes) {
    if (!cpe.has_evidence) continue;
    entry.has_evidence = true;
    entry.last_evidence = std::max(entry.last_evidence, cpe.last_demonstrated);
  }
  entry.cpes_met = explanation.cpes_counting;
  entry.cpes_needed = explanation.cpes_needed;
  if (entry.outcome == GradebookOutcome::kNotYet) {
    entry.remaining = explanation.remaining;
    if (entry.remaining.empty())
      entry.remaining.push_back("The award awaits a teacher's confirmation");
  }
  if (const GradeRule* rule =
          MatchGradeRule(settings, entry.outcome, explanation, catalog.ScaleOf(badge))) {
    entry.letter = rule->letter;
    entry.points = rule->points;
  }
  return entry;
}

}  // namespace

std::string FormatScore(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

Result<ResolvedGradebookRequest> ResolveGradebookRequest(const Roster& roster,
                                                         const GradebookRequest& request,
                                                         Instant now) {
  ResolvedGradebookRequest resolved;
  for (const Section& section : roster.sections) {
    if (section.sourced_id == request.section) resolved.section = &section;
  }
  if (!resolved.section) {
    return Status::AtField(StatusCode::kNotFound, "section",
                           "no section '" + request.section + "'");
  }
  const bool dates = !request.from.empty() || !request.to.empty();
  if (!request.period.empty() && dates) {
    return Status::InvalidField("period", "give an academic session or from and to, not both");
  }
  if (request.period.empty() && !dates) {
    return Status::InvalidField("period",
                                "required: an academic session's sourcedId, or from and to");
  }
  if (dates) {
    CAIRN_ASSIGN_OR_RETURN(resolved.period, DatesPeriod(*resolved.section, request));
  } else {
    CAIRN_ASSIGN_OR_RETURN(resolved.period, SessionPeriod(roster, request.period));
  }
  CAIRN_ASSIGN_OR_RETURN(resolved.as_of, AsOf(request.as_of, resolved.period, now));
  return resolved;
}

Result<Gradebook> BuildGradebook(Store& store, const Catalog& catalog, const Roster& roster,
                                 const ResolvedGradebookRequest& request,
                                 const GradebookSettings& settings) {
  const Section& section = *request.section;
  Gradebook gradebook;
  gradebook.section_sourced_id = section.sourced_id;
  gradebook.section_title = section.title;
  if (const School* school = roster.FindSchool(section.school_id)) {
    gradebook.school_sourced_id = school->sourced_id;
  }
  gradebook.period = request.period;
  gradebook.as_of = request.as_of;
  gradebook.settings = settings;
  std::vector<const Badge*> badges;
  for (const std::string& code : section.badges) {
    const Badge* badge = catalog.FindBadge(code);
    if (!badge) continue;  // dropped from the catalog since the section chose it
    badges.push_back(badge);
    gradebook.badges.push_back(
        {badge->code, badge->title, DescribeRule(*badge, catalog.ScaleOf(*badge))});
  }

  std::vector<const Person*> students = roster.StudentsIn(section.id);
  std::sort(students.begin(), students.end(), [](const Person* a, const Person* b) {
    return std::tie(a->family_name, a->given_name, a->sourced_id) <
           std::tie(b->family_name, b->given_name, b->sourced_id);
  });
  for (const Person* student : students) {
    CAIRN_ASSIGN_OR_RETURN(auto engine,
                           BuildEngineFromStore(store, catalog, student->id, request.as_of));
    CAIRN_ASSIGN_OR_RETURN(auto facts, store.Awards(student->id));
    std::erase_if(facts, [&](const AwardFact& fact) { return fact.recorded_at > request.as_of; });
    const auto awards = FoldAwards(facts);
    for (const Badge* badge : badges) {
      gradebook.entries.push_back(Grade(catalog, *badge, *student, *engine, awards, settings));
    }
  }
  return gradebook;
}

Result<Gradebook> LoadGradebook(Store& store, const Catalog& catalog, const Roster& roster,
                                const GradebookRequest& request, Instant now) {
  CAIRN_ASSIGN_OR_RETURN(ResolvedGradebookRequest resolved,
                         ResolveGradebookRequest(roster, request, now));
  CAIRN_ASSIGN_OR_RETURN(GradebookSettings settings, LoadGradebookSettings(store));
  return BuildGradebook(store, catalog, roster, resolved, settings);
}

void WriteGradebookCsv(std::ostream& out, const Gradebook& gradebook) {
  WriteCsvRow(out, {"Student", "sourcedId", "Badge", "Outcome", "Grade", "Points", "As of"});
  const std::string as_of = FormatInstant(gradebook.as_of);
  for (const GradebookEntry& entry : gradebook.entries) {
    WriteCsvRow(
        out, {entry.student_name, entry.student_sourced_id, entry.badge_code, entry.outcome_label,
              entry.letter, entry.points ? FormatScore(*entry.points) : "", as_of});
  }
}

}  // namespace cairn
