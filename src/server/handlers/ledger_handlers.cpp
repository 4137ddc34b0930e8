#include "server/handlers/ledger_handlers.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "mastery/awards.h"
#include "reports/family_summary.h"
#include "server/handlers/params.h"
#include "server/responses.h"
#include "service/explanation_json.h"

namespace cairn {

using nlohmann::json;

AwardRecord AwardOf(const ReadState& state, Id student, const std::string& code) {
  if (!state.index) return {};
  auto it = state.index->awards().find(student);
  if (it == state.index->awards().end()) return {};
  auto records = FoldAwards(it->second);
  auto found = records.find(code);
  return found == records.end() ? AwardRecord{} : found->second;
}

json AwardJson(const AwardRecord& record) {
  json out{{"state", AwardStateName(record.state)}};
  if (record.state == AwardState::kConfirmed) {
    out["confirmed_on"] = FormatDate(DayOf(record.confirmed_at));
  }
  if (record.state == AwardState::kRevoked) out["reason"] = record.reason;
  return out;
}

namespace {

// Parameter parsers: the body's typed fields, or a 400 naming each field at
// fault (wrong type, missing). Meaning (does the CPE exist, is the date in
// the future) is the service's to check.

Result<RatingInput> ParseRating(const json& body) {
  BodyReader r(body);
  RatingInput in;
  in.cpe_id = r.Required("cpe");
  in.level_id = r.Required("level");
  in.demonstrated_on = r.Required("demonstrated_on");
  in.indicator_id = r.Optional("indicator");
  in.note = r.Optional("note");
  in.artifact_ref = r.Optional("artifact_ref");
  if (auto kind = r.OptionalString(body, "", "kind")) in.kind = *kind;
  if (auto corrects = r.OptionalInt(body, "", "corrects", 1, INT64_MAX)) in.corrects = *corrects;
  if (auto item = r.OptionalInt(body, "", "assessment_item", 1, INT64_MAX)) {
    in.assessment_item = *item;
  }
  CAIRN_RETURN_IF_ERROR(r.Done());
  return in;
}

Result<HabitInput> ParseHabit(const json& body) {
  BodyReader r(body);
  HabitInput in;
  in.habit_id = r.Required("habit");
  in.level_id = r.Required("level");
  in.observed_on = r.Required("observed_on");
  in.note = r.Optional("note");
  CAIRN_RETURN_IF_ERROR(r.Done());
  return in;
}

struct AwardParams {
  AwardAction action;
  std::string reason;
};

Result<AwardParams> ParseAward(const json& body) {
  BodyReader r(body);
  const std::string name = r.Required("action");
  AwardParams out{AwardAction::kProposed, r.Optional("reason")};
  CAIRN_RETURN_IF_ERROR(r.Done());
  if (name == "confirm") {
    out.action = AwardAction::kConfirmed;
  } else if (name == "revoke") {
    out.action = AwardAction::kRevoked;
  } else if (name != "propose") {
    return Status::InvalidField("action", "expected propose, confirm or revoke");
  }
  return out;
}

}  // namespace

HttpResponse LedgerHandlers::PostRating(RequestContext& ctx) {
  auto parsed = ParseRating(ctx.body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student", "student");
  RatingInput input = std::move(parsed).value();
  input.student = ctx.student->sourced_id;  // the owner the access rule was decided on
  input.recorded_by = ctx.who->person.sourced_id;
  return services_.Write([this, input](CairnService& service) {
    // The people as of the snapshot that authorized the request; the store
    // when either is missing from it, for the error it gives.
    std::optional<Person> student, recorder;
    services_.model().Read([&](const ReadState& state) {
      if (const Person* p = state.roster->FindPersonBySourcedId(input.student)) student = *p;
      if (const Person* p = state.roster->FindPersonBySourcedId(input.recorded_by)) recorder = *p;
    });
    auto outcome = student && recorder ? service.RecordRating(input, *student, *recorder)
                                       : service.RecordRating(input);
    if (!outcome.ok()) return ErrorResponse(outcome.status());
    // Auto-award may have confirmed a badge: its credential comes with it.
    if (outcome->award_action != AwardAction::kConfirmed) {
      return JsonTextResponse(201, ToJsonText(*outcome, service.catalog()));
    }
    Status issued = services_.model().Read([&](const ReadState& state) {
      const Person* awarded = state.roster->FindPersonBySourcedId(input.student);
      return awarded ? services_.IssuePending(service, state, awarded->id) : Status::Ok();
    });
    if (!issued.ok()) return ErrorResponse(issued);
    return JsonTextResponse(201, ToJsonText(*outcome, service.catalog()));
  });
}

HttpResponse LedgerHandlers::VoidRating(RequestContext& ctx) {
  BodyReader r(ctx.body, /*optional=*/true);
  const std::string reason = r.Optional("reason");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  auto number = PathNumber(ctx.params, "rating");
  if (!number) return ErrorResponse(404, "not_found", "rating: no such rating", "rating");
  const FactId id = *number;
  return services_.Write([id, reason, by = ctx.who->person.sourced_id](CairnService& service) {
    Status status = service.Void(id, reason, by);
    if (!status.ok()) return ErrorResponse(status);
    return JsonResponse(200, json{{"voided", id}});
  });
}

HttpResponse LedgerHandlers::PostHabit(RequestContext& ctx) {
  auto parsed = ParseHabit(ctx.body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student", "student");
  HabitInput input = std::move(parsed).value();
  input.student = ctx.student->sourced_id;
  input.recorded_by = ctx.who->person.sourced_id;
  return services_.Write([input](CairnService& service) {
    auto id = service.RecordHabit(input);
    if (!id.ok()) return ErrorResponse(id.status());
    return JsonResponse(201, json{{"id", *id}});
  });
}

HttpResponse LedgerHandlers::PostAward(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student", "student");
  auto params = ParseAward(ctx.body);
  if (!params.ok()) return ErrorResponse(params.status());
  return services_.Write([this, student = ctx.student->sourced_id, badge = ctx.params["badge"],
                          action = params->action, by = ctx.who->person.sourced_id,
                          reason = params->reason](CairnService& service) {
    auto record = service.Award(student, badge, action, by, reason);
    if (!record.ok()) return ErrorResponse(record.status());
    Status issued = services_.model().Read([&](const ReadState& state) {
      const Person* p = state.roster->FindPersonBySourcedId(student);
      return p ? services_.IssuePending(service, state, p->id) : Status::Ok();
    });
    if (!issued.ok()) return ErrorResponse(issued);
    return JsonResponse(200, AwardJson(*record));
  });
}

// Oldest first: the award that has waited longest is the one to check next.
HttpResponse LedgerHandlers::PendingAwards(RequestContext& ctx) {
  const Day today = DayOf(services_.Now());
  return services_.model().Read([&](const ReadState& state) {
    json out = json::array();
    if (!state.catalog) return JsonResponse(200, out);
    struct Waiting {
      Instant since;
      const Person* student;
      const Badge* badge;
    };
    std::vector<Waiting> waiting;
    for (const Person* student : ReadableStudents(*state.roster, *ctx.who)) {
      auto it = state.index->awards().find(student->id);
      if (it == state.index->awards().end()) continue;
      for (const auto& [code, record] : FoldAwards(it->second)) {
        if (record.state != AwardState::kProposed) continue;
        if (const Badge* badge = state.catalog->FindBadge(code)) {
          waiting.push_back({record.since, student, badge});
        }
      }
    }
    std::stable_sort(waiting.begin(), waiting.end(),
                     [](const Waiting& a, const Waiting& b) { return a.since < b.since; });
    for (const Waiting& w : waiting) {
      ctx.returned_students.push_back(w.student->id);
      out.push_back(
          {{"student", PersonJson(*w.student)},
           {"badge", w.badge->code},
           {"title", w.badge->title},
           {"proposed_at", FormatInstant(w.since)},
           {"waiting_days", std::max(0, today - DayOf(w.since))},
           {"explanation", ToJson(state.index->engine().Explain(w.student->id, *w.badge))}});
    }
    std::sort(ctx.returned_students.begin(), ctx.returned_students.end());
    ctx.returned_students.erase(
        std::unique(ctx.returned_students.begin(), ctx.returned_students.end()),
        ctx.returned_students.end());
    return JsonResponse(200, out);
  });
}

HttpResponse LedgerHandlers::StudentProgress(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student", "student");
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    const Id id = ctx.student->id;
    const std::string key = "progress:" + std::to_string(id);
    HttpResponse response;
    // Rendering a progress page is the costliest read; it only changes when
    // this student's facts (or the catalog, settings, roster) do.
    if (auto body = services_.model().Cached(key, state.generation, state.StudentGeneration(id))) {
      response.shared_body = std::move(body);
      return response;
    }
    auto progress = BuildStudentProgress(*state.catalog, state.index->engine(), *ctx.student,
                                         state.index->AwardsOf(id), state.index->HabitsOf(id));
    auto body = std::make_shared<const std::string>(ToJsonText(progress, *state.catalog));
    services_.model().Remember(key, state.generation, state.StudentGeneration(id), body);
    response.shared_body = std::move(body);
    return response;
  });
}

namespace {

// A student's ratings with the voids and corrections that touch them.
struct StudentRatings {
  std::vector<RatingFact> ratings;  // recorded order
  std::map<FactId, VoidFact> voided;
  std::map<FactId, FactId> corrected_by;  // original -> its current correction

  Status Load(Store& store, Id student) {
    CAIRN_RETURN_IF_ERROR(
        store.ForEachRating(student, [&](const RatingFact& r) { ratings.push_back(r); }));
    CAIRN_ASSIGN_OR_RETURN(std::vector<VoidFact> voids, store.Voids(student));
    for (VoidFact& v : voids) voided[v.target] = std::move(v);
    for (const RatingFact& r : ratings) {
      if (r.corrects && !voided.count(r.id)) corrected_by[*r.corrects] = r.id;
    }
    return Status::Ok();
  }

  // What counts now: neither voided nor replaced by a correction.
  std::vector<RatingFact> Counted() const {
    std::vector<RatingFact> out;
    for (const RatingFact& r : ratings) {
      if (!voided.count(r.id) && !corrected_by.count(r.id)) out.push_back(r);
    }
    return out;
  }
};

}  // namespace

HttpResponse LedgerHandlers::StudentEvidence(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student", "student");
  StudentRatings loaded;
  if (Status s = loaded.Load(services_.Service().store(), ctx.student->id); !s.ok()) {
    return ErrorResponse(s);
  }
  const std::vector<RatingFact>& ratings = loaded.ratings;
  std::map<FactId, FactId>& corrected_by = loaded.corrected_by;
  return services_.model().Read([&](const ReadState& state) {
    json out = json::array();
    // Latest work first, by the day it was done (what the list says), then
    // the latest recorded: a rating entered late sits where the work was.
    std::vector<const RatingFact*> order;
    order.reserve(ratings.size());
    for (const RatingFact& rating : ratings) order.push_back(&rating);
    std::stable_sort(order.begin(), order.end(), [](const RatingFact* a, const RatingFact* b) {
      return std::tie(a->demonstrated_on, a->recorded_at, a->id) >
             std::tie(b->demonstrated_on, b->recorded_at, b->id);
    });
    for (const RatingFact* r : order) {
      json item{
          {"id", r->id},
          {"cpe", r->cpe_id},
          {"indicator", r->indicator_id},
          {"level", r->level_id},
          {"demonstrated_on", FormatDate(r->demonstrated_on)},
          {"recorded_at", FormatInstant(r->recorded_at)},
          {"kind", EvidenceKindName(r->kind)},
          {"note", r->note},
          {"artifact_ref", r->artifact_ref},
          {"corrects", r->corrects ? json(*r->corrects) : json(nullptr)},
          {"assessment_item", r->assessment_item ? json(*r->assessment_item) : json(nullptr)},
          {"voided", nullptr},
          {"corrected_by", corrected_by.count(r->id) ? json(corrected_by[r->id]) : json(nullptr)}};
      if (const Person* by = state.roster->FindPerson(r->recorded_by))
        item["recorded_by"] = by->DisplayName();
      if (state.catalog) {
        if (auto ref = state.catalog->FindCpe(r->cpe_id)) {
          const Badge& badge = state.catalog->badges[ref->badge];
          item["badge"] = badge.code;
          item["cpe_label"] = state.catalog->CpeAt(*ref).label;
          const Scale& scale = state.catalog->ScaleOf(badge);
          int level = scale.LevelIndex(r->level_id);
          if (level >= 0) item["level_label"] = scale.levels[static_cast<std::size_t>(level)].label;
        }
      }
      if (auto v = loaded.voided.find(r->id); v != loaded.voided.end()) {
        item["voided"] = {{"reason", v->second.reason},
                          {"at", FormatInstant(v->second.recorded_at)}};
      }
      out.push_back(std::move(item));
    }
    return JsonResponse(200, out);
  });
}

HttpResponse LedgerHandlers::StudentExplanation(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student", "student");
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    const Badge* badge = state.catalog->FindBadge(ctx.params["badge"]);
    if (!badge)
      return ErrorResponse(404, "not_found", "badge: no badge '" + ctx.params["badge"] + "'",
                           "badge");
    return JsonResponse(200, ToJson(state.index->engine().Explain(ctx.student->id, *badge)));
  });
}

// The family's page: plain sentences, built from the same progress, the
// counted ratings' notes and the district's linked resources.
HttpResponse LedgerHandlers::FamilySummary(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student", "student");
  Store& store = services_.Service().store();
  StudentRatings loaded;
  if (Status s = loaded.Load(store, ctx.student->id); !s.ok()) return ErrorResponse(s);
  auto resources = store.CurriculumResources({});
  if (!resources.ok()) return ErrorResponse(resources.status());
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    const Id id = ctx.student->id;
    auto progress = BuildStudentProgress(*state.catalog, state.index->engine(), *ctx.student,
                                         state.index->AwardsOf(id), state.index->HabitsOf(id));
    const std::vector<RatingFact> counted = loaded.Counted();
    auto summary = BuildFamilySummary(
        *state.catalog, progress, counted,
        [&](Id person) {
          const Person* p = state.roster->FindPerson(person);
          return p ? p->DisplayName() : std::string("a teacher");
        },
        *resources);
    json out = FamilySummaryJson(summary);
    // The badge's own picture, as published with its credentials.
    const District* district = nullptr;
    for (const District& d : state.roster->districts) {
      if (d.id == ctx.student->district_id) district = &d;
    }
    for (const char* list : {"earned", "working"}) {
      for (json& b : out[list]) {
        b["image"] = district ? json("/achievements/" + district->sourced_id + "/" +
                                     b["code"].get<std::string>() + "/image.png")
                              : json(nullptr);
      }
    }
    return JsonResponse(200, out);
  });
}

std::vector<GroupRoute<LedgerHandlers>> LedgerHandlers::Routes() {
  using G = LedgerHandlers;
  return {
      {{"GET", "/api/v1/students/{student}/progress", AccessRule::kStudentRead, true},
       &G::StudentProgress},
      {{"GET", "/api/v1/students/{student}/evidence", AccessRule::kStudentRead, true},
       &G::StudentEvidence},
      {{"GET", "/api/v1/students/{student}/badges/{badge}/explanation", AccessRule::kStudentRead,
        true},
       &G::StudentExplanation},
      {{"GET", "/api/v1/students/{student}/family-summary", AccessRule::kStudentRead, true},
       &G::FamilySummary},
      {{"POST", "/api/v1/students/{student}/badges/{badge}/award", AccessRule::kStudentWrite, true,
        Work::kQuick},
       &G::PostAward},
      {{"POST", "/api/v1/ratings", AccessRule::kStudentWrite, true, Work::kQuick, BodyKind::kJson,
        Owner::kBodyStudent},
       &G::PostRating},
      {{"POST", "/api/v1/ratings/{rating}/void", AccessRule::kStudentWrite, true, Work::kQuick},
       &G::VoidRating},
      {{"POST", "/api/v1/habits", AccessRule::kStudentWrite, true, Work::kQuick, BodyKind::kJson,
        Owner::kBodyStudent},
       &G::PostHabit},
      {{"GET", "/api/v1/awards/pending", AccessRule::kStaff, true}, &G::PendingAwards},
  };
}

}  // namespace cairn
