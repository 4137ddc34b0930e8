#include "server/handlers/alignment_handlers.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "server/handlers/params.h"
#include "server/responses.h"
#include "service/alignment_input.h"

namespace cairn {

using nlohmann::json;

namespace {

std::shared_ptr<const Catalog> CatalogOf(ApiServices& services) {
  return services.model().Read([](const ReadState& state) { return state.catalog; });
}

HttpResponse NoCatalog() { return ErrorResponse(409, "failed_precondition", "no catalog loaded"); }

const Course* FindCourse(const Roster& roster, const std::string& sourced_id) {
  for (const Course& c : roster.courses) {
    if (c.sourced_id == sourced_id) return &c;
  }
  return nullptr;
}

std::string NameOf(const Roster& roster, Id person) {
  const Person* p = roster.FindPerson(person);
  return p ? p->DisplayName() : "";
}

// Who may remove a resource or an item: whoever added it, or an admin.
bool MayRemove(const Principal& who, Id added_by) {
  return who.person.role == PersonRole::kAdmin || who.person.id == added_by;
}

json ResourceJson(const CurriculumResource& r, const Roster& roster, const Principal& who) {
  return {{"id", r.id},
          {"cpe", r.cpe_id},
          {"indicator", r.indicator_id},
          {"title", r.title},
          {"url", r.url},
          {"provider", r.provider},
          {"kind", r.kind},
          {"note", r.note},
          {"added_by", NameOf(roster, r.added_by)},
          {"added_at", FormatInstant(r.added_at)},
          {"can_remove", MayRemove(who, r.added_by)}};
}

json ItemJson(const AssessmentItem& i, const Roster& roster, const Principal& who) {
  return {{"id", i.id},
          {"badge", i.badge_code},
          {"item_key", i.item_key},
          {"title", i.title},
          {"target", i.target},
          {"standards", i.standards},
          {"cpe", i.cpe_id},
          {"indicator", i.indicator_id},
          {"added_by", NameOf(roster, i.added_by)},
          {"added_at", FormatInstant(i.added_at)},
          {"can_remove", MayRemove(who, i.added_by)}};
}

}  // namespace

std::vector<GroupRoute<AlignmentHandlers>> AlignmentHandlers::Routes() {
  using G = AlignmentHandlers;
  using R = AccessRule;
  return {
      {{"GET", "/api/v1/courses", R::kStaff, false, Work::kSlow}, &G::ListCourses},
      {{"GET", "/api/v1/courses/{course}/badges", R::kStaff, false, Work::kSlow},
       &G::GetCourseBadges},
      {{"PUT", "/api/v1/courses/{course}/badges", R::kAdmin, true}, &G::PutCourseBadges},
      {{"GET", "/api/v1/catalog/badges/{badge}/resources", R::kAuthenticated, false, Work::kSlow},
       &G::ListResources},
      {{"POST", "/api/v1/catalog/cpes/{cpe}/resources", R::kStaff, true}, &G::AddResource},
      {{"DELETE", "/api/v1/catalog/resources/{resource}", R::kStaff, true}, &G::RemoveResource},
      {{"GET", "/api/v1/catalog/badges/{badge}/assessment-items", R::kStaff, false, Work::kSlow},
       &G::ListItems},
      {{"POST", "/api/v1/catalog/badges/{badge}/assessment-items", R::kStaff, true}, &G::AddItem},
      {{"DELETE", "/api/v1/catalog/badges/{badge}/assessment-items/{item}", R::kStaff, true},
       &G::RemoveItem},
  };
}

HttpResponse AlignmentHandlers::ListCourses(RequestContext& ctx) {
  Store& store = services_.Service().store();
  json out = json::array();
  for (const Course& course : ctx.roster->courses) {
    auto badges = store.CourseBadges(course.id);
    if (!badges.ok()) return ErrorResponse(badges.status());
    out.push_back({{"id", course.sourced_id}, {"title", course.title}, {"badges", *badges}});
  }
  return JsonResponse(200, out);
}

HttpResponse AlignmentHandlers::GetCourseBadges(RequestContext& ctx) {
  const Course* course = FindCourse(*ctx.roster, ctx.params["course"]);
  if (!course) return ErrorResponse(404, "not_found", "course: no course", "course");
  auto badges = services_.Service().store().CourseBadges(course->id);
  if (!badges.ok()) return ErrorResponse(badges.status());
  return JsonResponse(
      200, json{{"id", course->sourced_id}, {"title", course->title}, {"badges", *badges}});
}

HttpResponse AlignmentHandlers::PutCourseBadges(RequestContext& ctx) {
  const Course* course = FindCourse(*ctx.roster, ctx.params["course"]);
  if (!course) return ErrorResponse(404, "not_found", "course: no course", "course");
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  auto badges = ParseBadgeList(ctx.body, catalog.get());
  if (!badges.ok()) return ErrorResponse(badges.status());
  ctx.audit_detail = "default badges of course " + course->sourced_id + ": " + json(*badges).dump();
  return services_.Write([id = course->id, sourced = course->sourced_id, title = course->title,
                          badges = *badges](CairnService& service) {
    if (Status s = service.store().SetCourseBadges(id, badges); !s.ok()) return ErrorResponse(s);
    return JsonResponse(200, json{{"id", sourced}, {"title", title}, {"badges", badges}});
  });
}

HttpResponse AlignmentHandlers::ListResources(RequestContext& ctx) {
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  const Badge* badge = catalog->FindBadge(ctx.params["badge"]);
  if (!badge) return ErrorResponse(404, "not_found", "badge: no badge in the catalog", "badge");
  std::vector<std::string> cpes;
  for (const Cpe& cpe : badge->cpes) cpes.push_back(cpe.id);
  auto resources = services_.Service().store().CurriculumResources(cpes);
  if (!resources.ok()) return ErrorResponse(resources.status());
  std::map<std::string, json> by_cpe;
  for (const CurriculumResource& r : *resources) {
    // Another district's links stay theirs.
    if (r.district_id != ctx.who->person.district_id) continue;
    by_cpe[r.cpe_id].push_back(ResourceJson(r, *ctx.roster, *ctx.who));
  }
  json out = json::array();
  for (const Cpe& cpe : badge->cpes) {
    auto it = by_cpe.find(cpe.id);
    out.push_back({{"cpe", cpe.id},
                   {"label", cpe.label},
                   {"resources", it == by_cpe.end() ? json::array() : it->second}});
  }
  return JsonResponse(200, json{{"badge", badge->code}, {"cpes", std::move(out)}});
}

HttpResponse AlignmentHandlers::AddResource(RequestContext& ctx) {
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  const std::string cpe = ctx.params["cpe"];
  if (!catalog->FindCpe(cpe)) {
    return ErrorResponse(404, "not_found", "cpe: no CPE in the catalog", "cpe");
  }
  BodyReader r(ctx.body);
  if (!r.CheckObject(ctx.body, "", {"title", "url", "provider", "kind", "note", "indicator"})) {
    return ErrorResponse(r.Done());
  }
  ResourceInput input;
  input.cpe_id = cpe;
  input.title = r.Required("title");
  input.url = r.Required("url");
  input.provider = r.Optional("provider");
  input.kind = r.Optional("kind");
  input.note = r.Optional("note");
  input.indicator_id = r.Optional("indicator");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  auto checked = CheckResource(*catalog, input);
  if (!checked.ok()) return ErrorResponse(checked.status());
  CurriculumResource resource = std::move(checked).value();
  resource.district_id = ctx.who->person.district_id;
  resource.added_by = ctx.who->person.id;
  resource.added_at = services_.Now();
  ctx.audit_detail = "resource for " + cpe + ": " + resource.url;
  return services_.Write([resource, roster = ctx.roster, who = *ctx.who](CairnService& service) {
    auto id = service.store().InsertCurriculumResource(resource);
    if (!id.ok()) return ErrorResponse(id.status());
    CurriculumResource stored = resource;
    stored.id = *id;
    return JsonResponse(201, ResourceJson(stored, *roster, who));
  });
}

HttpResponse AlignmentHandlers::RemoveResource(RequestContext& ctx) {
  auto number = PathNumber(ctx.params, "resource");
  if (!number) return ErrorResponse(404, "not_found", "resource: no such resource", "resource");
  auto found = services_.Service().store().FindCurriculumResource(*number);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found || (*found)->retired_at || (*found)->district_id != ctx.who->person.district_id) {
    return ErrorResponse(404, "not_found", "resource: no such resource", "resource");
  }
  if (!MayRemove(*ctx.who, (*found)->added_by)) {
    return ErrorResponse(403, "permission_denied",
                         "resource: only the person who added it or an admin may remove it",
                         "resource");
  }
  ctx.audit_detail = "removed resource " + std::to_string(*number) + " (" + (*found)->url + ")";
  return services_.Write(
      [id = *number, by = ctx.who->person.id, now = services_.Now()](CairnService& service) {
        if (Status s = service.store().RetireCurriculumResource(id, by, now); !s.ok()) {
          return ErrorResponse(s);
        }
        return JsonResponse(200, json{{"id", id}, {"removed", true}});
      });
}

HttpResponse AlignmentHandlers::ListItems(RequestContext& ctx) {
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  const Badge* badge = catalog->FindBadge(ctx.params["badge"]);
  if (!badge) return ErrorResponse(404, "not_found", "badge: no badge in the catalog", "badge");
  auto items = services_.Service().store().AssessmentItems(badge->code);
  if (!items.ok()) return ErrorResponse(items.status());
  json out = json::array();
  for (const AssessmentItem& item : *items) {
    if (item.district_id == ctx.who->person.district_id) {
      out.push_back(ItemJson(item, *ctx.roster, *ctx.who));
    }
  }
  return JsonResponse(200, json{{"badge", badge->code}, {"items", std::move(out)}});
}

HttpResponse AlignmentHandlers::AddItem(RequestContext& ctx) {
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  const Badge* badge = catalog->FindBadge(ctx.params["badge"]);
  if (!badge) return ErrorResponse(404, "not_found", "badge: no badge in the catalog", "badge");
  BodyReader r(ctx.body);
  if (!r.CheckObject(ctx.body, "",
                     {"item_key", "title", "target", "standards", "cpe", "indicator"})) {
    return ErrorResponse(r.Done());
  }
  ItemInput input;
  input.badge_code = badge->code;
  input.item_key = r.Required("item_key");
  input.title = r.Optional("title");
  input.target = r.Optional("target");
  input.standards = r.Strings(ctx.body, "", "standards");
  input.cpe_id = r.Required("cpe");
  input.indicator_id = r.Optional("indicator");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  auto checked = CheckItem(*catalog, input);
  if (!checked.ok()) return ErrorResponse(checked.status());
  AssessmentItem item = std::move(checked).value();
  item.district_id = ctx.who->person.district_id;
  item.added_by = ctx.who->person.id;
  item.added_at = services_.Now();
  ctx.audit_detail = "assessment item " + item.item_key + " of " + item.badge_code;
  return services_.Write([item, roster = ctx.roster, who = *ctx.who](CairnService& service) {
    auto ids = service.store().InsertAssessmentItems({item});
    if (!ids.ok()) {
      if (ids.status().code() == StatusCode::kAlreadyExists) {
        return ErrorResponse(
            Status::AtField(StatusCode::kAlreadyExists, "item_key", ids.status().message()));
      }
      return ErrorResponse(ids.status());
    }
    AssessmentItem stored = item;
    stored.id = ids->front();
    return JsonResponse(201, ItemJson(stored, *roster, who));
  });
}

HttpResponse AlignmentHandlers::RemoveItem(RequestContext& ctx) {
  auto number = PathNumber(ctx.params, "item");
  auto not_found = [] {
    return ErrorResponse(404, "not_found", "item: no such assessment item", "item");
  };
  if (!number) return not_found();
  auto found = services_.Service().store().FindAssessmentItem(*number);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found || (*found)->retired_at || (*found)->badge_code != ctx.params["badge"] ||
      (*found)->district_id != ctx.who->person.district_id) {
    return not_found();
  }
  if (!MayRemove(*ctx.who, (*found)->added_by)) {
    return ErrorResponse(403, "permission_denied",
                         "item: only the person who added it or an admin may remove it", "item");
  }
  ctx.audit_detail =
      "removed assessment item " + (*found)->item_key + " of " + (*found)->badge_code;
  return services_.Write(
      [id = *number, by = ctx.who->person.id, now = services_.Now()](CairnService& service) {
        if (Status s = service.store().RetireAssessmentItem(id, by, now); !s.ok()) {
          return ErrorResponse(s);
        }
        return JsonResponse(200, json{{"id", id}, {"removed", true}});
      });
}

}  // namespace cairn
