#include "server/handlers/agency_handlers.h"

#include <set>

#include <nlohmann/json.hpp>

#include "agency/credit_map.h"
#include "mastery/awards.h"
#include "server/read_model.h"
#include "server/responses.h"

namespace cairn {

using nlohmann::json;

namespace {

json NoteJson(const PlanNote& n, const Roster& roster) {
  const Person* by = roster.FindPerson(n.by);
  return {{"text", n.text},
          {"by", by ? by->DisplayName() : ""},
          {"by_role", by ? std::string(PersonRoleName(by->role)) : ""},
          {"at", FormatInstant(n.at)}};
}

json PlanJson(const LearningPlan& plan, const Roster& roster, const Catalog* catalog) {
  auto title = [&](const std::string& code) {
    const Badge* b = catalog ? catalog->FindBadge(code) : nullptr;
    return b ? b->title : code;
  };
  json goals = json::array();
  for (const json& g : plan.goals) {
    json goal = g;
    goal["title"] = title(g.value("badge", ""));
    goals.push_back(std::move(goal));
  }
  json notes[3] = {json::array(), json::array(), json::array()};
  for (const PlanNote& n : plan.reflections) notes[0].push_back(NoteJson(n, roster));
  for (const PlanNote& n : plan.comments) notes[1].push_back(NoteJson(n, roster));
  for (const PlanNote& n : plan.conference_notes) notes[2].push_back(NoteJson(n, roster));
  json requests = json::array();
  for (const BadgeRequest& r : plan.requests) {
    const Person* by = roster.FindPerson(r.decided_by);
    requests.push_back({{"badge", r.badge},
                        {"title", title(r.badge)},
                        {"reason", r.reason},
                        {"note", r.note},
                        {"state", r.state},
                        {"requested_at", FormatInstant(r.requested_at)},
                        {"decided_by", by ? json(by->DisplayName()) : json(nullptr)},
                        {"decided_at", r.decided_at ? json(FormatInstant(r.decided_at)) : json()}});
  }
  json self = json::array();
  for (const SelfAssessment& s : plan.self_assessments) {
    json item{{"cpe", s.cpe}, {"level", s.level}, {"note", s.note}, {"at", FormatInstant(s.at)}};
    if (catalog) {
      if (auto ref = catalog->FindCpe(s.cpe)) {
        const Badge& badge = catalog->badges[ref->badge];
        item["badge"] = badge.code;
        item["cpe_label"] = catalog->CpeAt(*ref).label;
        const Scale& scale = catalog->ScaleOf(badge);
        const int level = scale.LevelIndex(s.level);
        if (level >= 0) item["level_label"] = scale.levels[static_cast<std::size_t>(level)].label;
      }
    }
    if (s.submission) item["submission"] = *s.submission;
    self.push_back(std::move(item));
  }
  return {{"goals", std::move(goals)},
          {"pathway", plan.pathway},
          {"reflections", std::move(notes[0])},
          {"comments", std::move(notes[1])},
          {"conference_notes", std::move(notes[2])},
          {"badge_requests", std::move(requests)},
          {"self_assessments", std::move(self)},
          {"revisions", plan.revisions}};
}

json CreditProgressJson(const CreditMap& map, const std::set<std::string>& earned,
                        const Catalog* catalog) {
  json out = json::array();
  for (const RequirementProgress& p : CreditProgress(map, earned)) {
    const CreditRequirement& r = *p.requirement;
    auto badges = [&](const std::vector<std::string>& codes) {
      json list = json::array();
      for (const std::string& code : codes) {
        const Badge* b = catalog ? catalog->FindBadge(code) : nullptr;
        list.push_back({{"code", code}, {"title", b ? b->title : code}});
      }
      return list;
    };
    json item{{"id", r.id},
              {"title", r.title},
              {"kind", RequirementKindName(r.kind)},
              {"met", p.met},
              {"standing", p.standing},
              {"earned_badges", badges(p.earned_badges)},
              {"missing_badges", badges(p.missing_badges)},
              {"badges_needed", p.badges_needed},
              {"credits_earned", p.credits_earned}};
    if (r.kind == RequirementKind::kCredit) {
      item["credits"] = r.credits;
    } else {
      item["credits_needed"] = r.credits_needed;
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

// The badges the student holds now: confirmed, not revoked.
std::set<std::string> AgencyHandlers::EarnedBadges(Id student) {
  return services_.model().Read([&](const ReadState& state) {
    std::set<std::string> earned;
    for (const auto& [code, record] : FoldAwards(state.index->AwardsOf(student))) {
      if (record.state == AwardState::kConfirmed) earned.insert(code);
    }
    return earned;
  });
}

HttpResponse AgencyHandlers::GetPlan(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student", "student");
  auto entries = services_.Service().store().StudentJournal(ctx.student->id, kPlanStream);
  if (!entries.ok()) return ErrorResponse(entries.status());
  const LearningPlan plan = FoldLearningPlan(*entries);
  CairnService& service = services_.Service();
  json out = PlanJson(plan, *ctx.roster, service.has_catalog() ? &service.catalog() : nullptr);
  // The history: who changed the plan, when, and how.
  json history = json::array();
  for (auto e = entries->rbegin(); e != entries->rend(); ++e) {
    const json body = json::parse(e->body, nullptr, false);
    const Person* by = ctx.roster->FindPerson(e->recorded_by);
    history.push_back({{"type", body.is_object() ? body.value("type", "") : ""},
                       {"by", by ? by->DisplayName() : ""},
                       {"at", FormatInstant(e->recorded_at)},
                       {"entry", body}});
  }
  out["history"] = std::move(history);
  out["student"] = {{"id", ctx.student->sourced_id}, {"name", ctx.student->DisplayName()}};
  Store& store = service.store();
  auto credit_map = LoadCreditMap(store);
  if (!credit_map.ok()) return ErrorResponse(credit_map.status());
  out["credit_progress"] = CreditProgressJson(*credit_map, EarnedBadges(ctx.student->id),
                                              service.has_catalog() ? &service.catalog() : nullptr);
  auto settings = LoadAgencySettings(store);
  if (!settings.ok()) return ErrorResponse(settings.status());
  out["badge_requests_allowed"] = settings->badge_requests;
  return JsonResponse(200, out);
}

HttpResponse AgencyHandlers::Append(RequestContext& ctx, PlanEntryKind kind, json body) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no student", "student");
  const Id student = ctx.student->id, district = ctx.student->district_id, by = ctx.who->person.id;
  const Instant now = services_.Now();
  return services_.Write(
      [=, body = std::move(body), roster = ctx.roster](CairnService& service) -> HttpResponse {
        if (!service.has_catalog()) return ErrorResponse(404, "not_found", "no catalog loaded");
        auto checked = CheckPlanEntry(kind, body, service.catalog());
        if (!checked.ok()) return ErrorResponse(checked.status());
        Store& store = service.store();
        if (kind == PlanEntryKind::kRequest) {
          auto settings = LoadAgencySettings(store);
          if (!settings.ok()) return ErrorResponse(settings.status());
          if (!settings->badge_requests) {
            return ErrorResponse(Status::AtField(StatusCode::kFailedPrecondition, "badge",
                                                 "this district does not take badge requests"));
          }
        }
        auto entries = store.StudentJournal(student, kPlanStream);
        if (!entries.ok()) return ErrorResponse(entries.status());
        std::vector<JournalEntry> batch;
        if (kind == PlanEntryKind::kDecision) {
          const LearningPlan plan = FoldLearningPlan(*entries);
          const std::string badge = (*checked)["badge"];
          const bool open = std::any_of(
              plan.requests.begin(), plan.requests.end(),
              [&](const BadgeRequest& r) { return r.badge == badge && r.state == "requested"; });
          if (!open) {
            return ErrorResponse(Status::AtField(StatusCode::kFailedPrecondition, "badge",
                                                 "no open request for this badge"));
          }
          if ((*checked)["accept"].get<bool>()) {
            std::string reason;
            for (const BadgeRequest& r : plan.requests) {
              if (r.badge == badge) reason = r.reason;
            }
            JournalEntry choice;
            choice.district_id = district;
            choice.stream = std::string(kBadgeChoiceStream);
            choice.key = "student:" + std::to_string(student) + ":" + badge;
            choice.student_id = student;
            choice.body = json{{"badge", badge}, {"reason", reason}, {"state", "accepted"}}.dump();
            choice.recorded_by = by;
            choice.recorded_at = now;
            batch.push_back(std::move(choice));
          }
        }
        JournalEntry entry;
        entry.district_id = district;
        entry.stream = std::string(kPlanStream);
        entry.key = "student:" + std::to_string(student);
        entry.student_id = student;
        entry.body = checked->dump();
        entry.recorded_by = by;
        entry.recorded_at = now;
        batch.insert(batch.begin(), entry);
        auto ids = store.AppendJournal(batch);
        if (!ids.ok()) return ErrorResponse(ids.status());
        entries->push_back(entry);
        return JsonResponse(201, PlanJson(FoldLearningPlan(*entries), *roster, &service.catalog()));
      });
}

HttpResponse AgencyHandlers::PutGoals(RequestContext& ctx) {
  return Append(ctx, PlanEntryKind::kGoals, ctx.body);
}
HttpResponse AgencyHandlers::AddReflection(RequestContext& ctx) {
  return Append(ctx, PlanEntryKind::kReflection, ctx.body);
}
HttpResponse AgencyHandlers::AddComment(RequestContext& ctx) {
  return Append(ctx, PlanEntryKind::kComment, ctx.body);
}
HttpResponse AgencyHandlers::RequestBadge(RequestContext& ctx) {
  return Append(ctx, PlanEntryKind::kRequest, ctx.body);
}
HttpResponse AgencyHandlers::DecideRequest(RequestContext& ctx) {
  json body = ctx.body.is_object() ? ctx.body : json::object();
  body["badge"] = ctx.params["badge"];  // the path names the request
  return Append(ctx, PlanEntryKind::kDecision, std::move(body));
}
HttpResponse AgencyHandlers::SelfAssess(RequestContext& ctx) {
  return Append(ctx, PlanEntryKind::kSelfAssessment, ctx.body);
}
HttpResponse AgencyHandlers::AddConferenceNote(RequestContext& ctx) {
  return Append(ctx, PlanEntryKind::kConferenceNote, ctx.body);
}

HttpResponse AgencyHandlers::GetCreditMap(RequestContext&) {
  auto map = LoadCreditMap(services_.Service().store());
  if (!map.ok()) return ErrorResponse(map.status());
  return JsonTextResponse(200, CreditMapToJson(*map));
}

HttpResponse AgencyHandlers::PutCreditMap(RequestContext& ctx) {
  const std::string text = ctx.body.dump();
  ctx.audit_detail = "credit map: " + std::to_string(text.size()) + " bytes";
  return services_.Write([text](CairnService& service) {
    if (!service.has_catalog()) return ErrorResponse(404, "not_found", "no catalog loaded");
    auto saved = SaveCreditMap(service.store(), text, service.catalog());
    if (!saved.ok()) return ErrorResponse(saved.status());
    return JsonTextResponse(200, CreditMapToJson(*saved));
  });
}

HttpResponse AgencyHandlers::GetAgencySettings(RequestContext&) {
  auto settings = LoadAgencySettings(services_.Service().store());
  if (!settings.ok()) return ErrorResponse(settings.status());
  return JsonTextResponse(200, AgencySettingsToJson(*settings));
}

HttpResponse AgencyHandlers::PutAgencySettings(RequestContext& ctx) {
  const std::string text = ctx.body.dump();
  auto checked = ParseAgencySettings(text);
  if (!checked.ok()) return ErrorResponse(checked.status());
  ctx.audit_detail = "agency settings: " + text;
  return services_.Write([settings = *checked](CairnService& service) {
    if (Status s = service.store().PutSetting(kAgencySettingKey, AgencySettingsToJson(settings));
        !s.ok()) {
      return ErrorResponse(s);
    }
    return JsonTextResponse(200, AgencySettingsToJson(settings));
  });
}

std::vector<GroupRoute<AgencyHandlers>> AgencyHandlers::Routes() {
  using G = AgencyHandlers;
  using R = AccessRule;
  return {
      {{"GET", "/api/v1/students/{student}/plan", R::kStudentRead, true}, &G::GetPlan},
      {{"PUT", "/api/v1/students/{student}/plan/goals", R::kSelf, true}, &G::PutGoals},
      {{"POST", "/api/v1/students/{student}/plan/reflections", R::kSelf, true}, &G::AddReflection},
      {{"POST", "/api/v1/students/{student}/plan/comments", R::kStudentWrite, true},
       &G::AddComment},
      {{"POST", "/api/v1/students/{student}/badge-requests", R::kSelf, true}, &G::RequestBadge},
      {{"POST", "/api/v1/students/{student}/badge-requests/{badge}/decision", R::kStudentWrite,
        true},
       &G::DecideRequest},
      {{"POST", "/api/v1/students/{student}/self-assessments", R::kSelf, true}, &G::SelfAssess},
      {{"POST", "/api/v1/students/{student}/conference-notes", R::kStudentRead, true},
       &G::AddConferenceNote},
      {{"GET", "/api/v1/settings/credit-map", R::kStaff, false}, &G::GetCreditMap},
      {{"PUT", "/api/v1/settings/credit-map", R::kAdmin, true}, &G::PutCreditMap},
      {{"GET", "/api/v1/settings/agency", R::kAuthenticated, false}, &G::GetAgencySettings},
      {{"PUT", "/api/v1/settings/agency", R::kAdmin, true}, &G::PutAgencySettings},
  };
}

}  // namespace cairn
