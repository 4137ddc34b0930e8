#include "server/handlers/catalog_handlers.h"

#include <nlohmann/json.hpp>

#include "catalog/catalog_json.h"
#include "mastery/rule.h"
#include "notify/preferences.h"
#include "server/handlers/params.h"
#include "server/responses.h"

namespace cairn {

using nlohmann::json;

HttpResponse CatalogHandlers::GetCatalog(RequestContext&) {
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    json out = CatalogToJson(*state.catalog);
    out["catalog_version"] = state.marks.catalog;
    return JsonResponse(200, out);
  });
}

HttpResponse CatalogHandlers::PutCatalog(RequestContext& ctx) {
  // What GET returned may come back as it is: drop the version it added.
  std::string body = ctx.request.body;
  if (ctx.body.is_object() && ctx.body.contains("catalog_version")) {
    json doc = ctx.body;
    doc.erase("catalog_version");
    body = doc.dump();
  }
  // Checked here, with every problem and its JSON path; only a valid
  // catalog goes to the writer.
  auto version = ParseCatalog(body, "catalog");
  // One entry per problem: {"field": "$.badges[1].title", "message": ...}.
  if (!version.ok()) return ErrorResponse(version.status());
  ctx.audit_detail = "catalog '" + version->title + "'";
  return services_.Write([body](CairnService& service) {
    auto loaded = service.LoadCatalog(body, "catalog");
    if (!loaded.ok()) return ErrorResponse(loaded.status());
    return JsonResponse(200, json{{"catalog_version", *loaded}});
  });
}

HttpResponse CatalogHandlers::GetBadge(RequestContext& ctx) {
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    const json all = CatalogToJson(*state.catalog);
    for (const json& badge : all["badges"]) {
      if (badge["code"] == ctx.params["badge"]) {
        json out = badge;
        for (const json& scale : all["scales"]) {
          if (scale["id"] == badge["scale"]) out["scale_levels"] = scale["levels"];
        }
        const Badge* b = state.catalog->FindBadge(ctx.params["badge"]);
        out["rule_summary"] = ExplainRule(*state.catalog, *b, {}, {}).rule_summary;
        return JsonResponse(200, out);
      }
    }
    return ErrorResponse(404, "not_found", "badge: no badge '" + ctx.params["badge"] + "'",
                         "badge");
  });
}

HttpResponse CatalogHandlers::GetSettings(RequestContext&) {
  Store& store = services_.Service().store();
  return services_.model().Read([&](const ReadState& state) {
    json out{{"auto_award", state.auto_award}, {"language", DistrictLanguage(store)}};
    if (state.catalog) out["calculation"] = CalculationToJson(state.catalog->default_calculation);
    return JsonResponse(200, out);
  });
}

HttpResponse CatalogHandlers::PutSettings(RequestContext& ctx) {
  BodyReader r(ctx.body);
  (void)r.Bool(ctx.body, "", "auto_award", false);
  (void)r.Object(ctx.body, "", "calculation", false);
  const std::string language = r.Optional("language");
  if (!language.empty() && !IsSupportedLanguage(language)) {
    r.Error("language", "expected \"en\" or \"es\"");
  }
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  ctx.audit_detail = "settings: " + ctx.body.dump();
  return services_.Write([body = ctx.body](CairnService& service) {
    if (body.contains("auto_award")) {
      if (Status s = service.SetAutoAward(body["auto_award"].get<bool>()); !s.ok())
        return ErrorResponse(s);
    }
    if (body.contains("calculation")) {
      if (!service.has_catalog())
        return ErrorResponse(409, "failed_precondition", "no catalog loaded");
      // Validated by the catalog reader, so the rules are the same as a file's.
      json doc = CatalogToJson(service.catalog());
      doc["calculation"] = body["calculation"];
      auto parsed = ParseCatalog(doc.dump(), "settings");
      if (!parsed.ok()) return ErrorResponse(parsed.status());
      if (Status s = service.SetDefaultCalculation(parsed->default_calculation); !s.ok())
        return ErrorResponse(s);
    }
    if (body.contains("language")) {
      if (Status s =
              service.store().PutSetting(kLanguageSetting, body["language"].get<std::string>());
          !s.ok())
        return ErrorResponse(s);
    }
    json out{{"auto_award", service.auto_award()}, {"language", DistrictLanguage(service.store())}};
    if (service.has_catalog()) {
      out["calculation"] = CalculationToJson(service.catalog().default_calculation);
    }
    return JsonResponse(200, out);
  });
}

std::vector<GroupRoute<CatalogHandlers>> CatalogHandlers::Routes() {
  using G = CatalogHandlers;
  return {
      {{"GET", "/api/v1/catalog", AccessRule::kAuthenticated, false}, &G::GetCatalog},
      {{"PUT", "/api/v1/catalog", AccessRule::kAdmin, true, Work::kSlow, BodyKind::kCatalog},
       &G::PutCatalog},
      {{"GET", "/api/v1/badges/{badge}", AccessRule::kAuthenticated, false}, &G::GetBadge},
      {{"GET", "/api/v1/settings", AccessRule::kAdmin, false}, &G::GetSettings},
      {{"PUT", "/api/v1/settings", AccessRule::kAdmin, true}, &G::PutSettings},
  };
}

}  // namespace cairn
