#include "server/handlers/intervention_handlers.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "evidence/intervention.h"
#include "mastery/awards.h"
#include "reports/intervention_report.h"
#include "server/policy.h"
#include "server/read_model.h"
#include "server/responses.h"
#include "service/crypto.h"

namespace cairn {

using nlohmann::json;

namespace {

HttpResponse NoStudent() {
  return ErrorResponse(404, "not_found", "student: no student", "student");
}

HttpResponse NoIntervention() {
  return ErrorResponse(404, "not_found", "intervention: no such intervention for this student",
                       "intervention");
}

// The current revision of each of a student's interventions.
Result<std::vector<Intervention>> StudentInterventions(Store& store, Id student) {
  auto entries = store.StudentJournal(student, kInterventionStream);
  if (!entries.ok()) return entries.status();
  std::map<std::string, const JournalEntry*> latest;
  for (const JournalEntry& e : *entries) latest[e.key] = &e;  // oldest first: last wins
  std::vector<Intervention> out;
  for (const auto& [key, entry] : latest) {
    auto parsed = InterventionFromStored(key, student, entry->body);
    if (!parsed.ok()) return parsed.status();
    out.push_back(std::move(*parsed));
  }
  return out;
}

JournalEntry EntryOf(const Intervention& i, const Person& student, Id by, Instant at) {
  JournalEntry entry;
  entry.district_id = student.district_id;
  entry.stream = std::string(kInterventionStream);
  entry.key = i.id;
  entry.student_id = student.id;
  entry.body = InterventionToStored(i).dump();
  entry.recorded_by = by;
  entry.recorded_at = at;
  return entry;
}

}  // namespace

Result<std::vector<Intervention>> ReadableInterventions(Store& store, const Roster& roster,
                                                        const Principal& who) {
  std::vector<Intervention> all;
  for (const District& district : roster.districts) {
    CAIRN_ASSIGN_OR_RETURN(auto entries, store.JournalLatest(district.id, kInterventionStream));
    for (const JournalEntry& e : entries) {
      if (!e.student_id) continue;
      const Person* p = roster.FindPerson(*e.student_id);
      if (!p || !CanReadStudent(roster, who, *p)) continue;
      CAIRN_ASSIGN_OR_RETURN(Intervention parsed,
                             InterventionFromStored(e.key, *e.student_id, e.body));
      all.push_back(std::move(parsed));
    }
  }
  return all;
}

HttpResponse InterventionHandlers::List(RequestContext& ctx) {
  if (!ctx.student) return NoStudent();
  auto list = StudentInterventions(services_.Service().store(), ctx.student->id);
  if (!list.ok()) return ErrorResponse(list.status());
  // Open ones first, then the latest started.
  std::sort(list->begin(), list->end(), [](const Intervention& a, const Intervention& b) {
    if (a.open() != b.open()) return a.open();
    return a.started_on > b.started_on;
  });
  json out = json::array();
  for (const Intervention& i : *list) out.push_back(InterventionJson(i));
  return JsonResponse(200, json{{"interventions", std::move(out)}});
}

HttpResponse InterventionHandlers::Open(RequestContext& ctx) {
  if (!ctx.student) return NoStudent();
  auto catalog = services_.model().WithSnapshot([](const ReadSnapshot& s) { return s.catalog; });
  if (!catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
  const std::string today = FormatDate(DayOf(services_.Now()));
  auto opening = ParseInterventionOpening(ctx.body, *catalog, today);
  if (!opening.ok()) return ErrorResponse(opening.status());
  Intervention intervention = std::move(*opening);
  intervention.id = "iv-" + RandomToken(12);
  intervention.student = ctx.student->id;
  const Person student = *ctx.student;
  const Id by = ctx.who->person.id;
  const Instant now = services_.Now();
  ctx.audit_detail = "intervention " + intervention.id + " opened on " + intervention.badge;
  return services_.Write([=](CairnService& service) -> HttpResponse {
    auto ids = service.store().AppendJournal({EntryOf(intervention, student, by, now)});
    if (!ids.ok()) return ErrorResponse(ids.status());
    return JsonResponse(201, InterventionJson(intervention));
  });
}

HttpResponse InterventionHandlers::Close(RequestContext& ctx) {
  if (!ctx.student) return NoStudent();
  const std::string id = ctx.params["intervention"];
  const json body = ctx.body;
  const Person student = *ctx.student;
  const Id by = ctx.who->person.id;
  const Instant now = services_.Now();
  const std::string today = FormatDate(DayOf(now));
  ctx.audit_detail = "intervention " + id + " closed";
  return services_.Write([=](CairnService& service) -> HttpResponse {
    auto list = StudentInterventions(service.store(), student.id);
    if (!list.ok()) return ErrorResponse(list.status());
    auto it =
        std::find_if(list->begin(), list->end(), [&](const Intervention& i) { return i.id == id; });
    if (it == list->end()) return NoIntervention();
    Intervention intervention = *it;
    if (Status s = CloseIntervention(body, today, intervention); !s.ok()) return ErrorResponse(s);
    auto ids = service.store().AppendJournal({EntryOf(intervention, student, by, now)});
    if (!ids.ok()) return ErrorResponse(ids.status());
    return JsonResponse(201, InterventionJson(intervention));
  });
}

// Outcomes from the read model: a badge intervention worked when the badge
// was confirmed; a CPE one when the CPE counts at mastery (its latest
// evidence day).
HttpResponse InterventionHandlers::Report(RequestContext& ctx) {
  auto readable = ReadableInterventions(services_.Service().store(), *ctx.roster, *ctx.who);
  if (!readable.ok()) return ErrorResponse(readable.status());
  const std::vector<Intervention>& all = *readable;
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    std::vector<InterventionOutcome> outcomes;
    for (const Intervention& i : all) {
      InterventionOutcome outcome{&i, ""};
      const Badge* badge = state.catalog->FindBadge(i.badge);
      if (badge && i.cpe.empty()) {
        auto found = state.index->awards().find(i.student);
        if (found != state.index->awards().end()) {
          auto records = FoldAwards(found->second);
          auto record = records.find(i.badge);
          if (record != records.end() && record->second.state == AwardState::kConfirmed) {
            outcome.mastered_on = FormatDate(DayOf(record->second.confirmed_at));
          }
        }
      } else if (badge) {
        for (const CpeExplanation& cpe : state.index->engine().Explain(i.student, *badge).cpes) {
          if (cpe.cpe_id == i.cpe && cpe.counts)
            outcome.mastered_on = FormatDate(cpe.last_demonstrated);
        }
      }
      outcomes.push_back(std::move(outcome));
    }
    return JsonResponse(200, InterventionReportJson(outcomes));
  });
}

std::vector<GroupRoute<InterventionHandlers>> InterventionHandlers::Routes() {
  using G = InterventionHandlers;
  using R = AccessRule;
  return {
      {{"GET", "/api/v1/students/{student}/interventions", R::kStudentRead, true}, &G::List},
      {{"POST", "/api/v1/students/{student}/interventions", R::kStudentWrite, true}, &G::Open},
      {{"POST", "/api/v1/students/{student}/interventions/{intervention}/close", R::kStudentWrite,
        true},
       &G::Close},
      {{"GET", "/api/v1/reports/interventions", R::kLeader, false, Work::kSlow}, &G::Report},
  };
}

}  // namespace cairn
