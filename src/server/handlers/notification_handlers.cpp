#include "server/handlers/notification_handlers.h"

#include <nlohmann/json.hpp>

#include "notify/notification.h"
#include "notify/notifier.h"
#include "notify/preferences.h"
#include "server/handlers/params.h"
#include "server/policy.h"
#include "server/responses.h"

namespace cairn {

using nlohmann::json;

namespace {

constexpr int kFeedSize = 50;

}  // namespace

HttpResponse NotificationHandlers::Feed(RequestContext& ctx) {
  Store& store = services_.Service().store();
  const Person& me = ctx.who->person;
  auto prefs = LoadPreferences(store, me);
  if (!prefs.ok()) return ErrorResponse(prefs.status());
  auto list = store.NotificationsFor(me.id, kFeedSize);
  if (!list.ok()) return ErrorResponse(list.status());
  const std::string language = EffectiveLanguage(*prefs, DistrictLanguage(store));
  json out = json::array();
  int unread = 0;
  for (const StoredNotification& n : *list) {
    if (n.student_id && *n.student_id != me.id) {
      const Person* student = ctx.roster->FindPerson(*n.student_id);
      if (!student || !CanReadStudent(*ctx.roster, *ctx.who, *student)) continue;
    }
    RenderedNotification r = RenderNotification(n, me, language);
    const bool read = n.id <= prefs->read_up_to;
    unread += read ? 0 : 1;
    out.push_back({{"id", n.id},
                   {"kind", n.kind},
                   {"title", r.title},
                   {"text", r.text},
                   {"link", r.link},
                   {"created_at", FormatInstant(n.created_at)},
                   {"read", read}});
  }
  return JsonResponse(
      200, json{{"unread", unread}, {"language", language}, {"notifications", std::move(out)}});
}

HttpResponse NotificationHandlers::MarkRead(RequestContext& ctx) {
  BodyReader r(ctx.body);
  const auto up_to = r.OptionalInt(ctx.body, "", "up_to", 1, INT64_MAX);
  if (!up_to) r.Error("up_to", "required: the newest notification read");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  const Person me = ctx.who->person;
  const Instant now = services_.Now();
  const Id upto = *up_to;
  return services_.Write([=](CairnService& service) -> HttpResponse {
    auto prefs = LoadPreferences(service.store(), me);
    if (!prefs.ok()) return ErrorResponse(prefs.status());
    if (upto > prefs->read_up_to) {
      prefs->read_up_to = upto;
      if (Status s = SavePreferences(service.store(), me, *prefs, me.id, now); !s.ok())
        return ErrorResponse(s);
    }
    return JsonResponse(200, json{{"read_up_to", prefs->read_up_to}});
  });
}

HttpResponse NotificationHandlers::GetPreferences(RequestContext& ctx) {
  Store& store = services_.Service().store();
  auto prefs = LoadPreferences(store, ctx.who->person);
  if (!prefs.ok()) return ErrorResponse(prefs.status());
  return JsonResponse(200, PreferencesJson(*prefs, DistrictLanguage(store)));
}

HttpResponse NotificationHandlers::PutPreferences(RequestContext& ctx) {
  // Validated before queueing, so a bad body is a 400 that changes nothing.
  Preferences probe;
  if (Status s = ApplyPreferenceChange(ctx.body, probe); !s.ok()) return ErrorResponse(s);
  const Person me = ctx.who->person;
  const json body = ctx.body;
  const Instant now = services_.Now();
  return services_.Write([=](CairnService& service) -> HttpResponse {
    auto prefs = LoadPreferences(service.store(), me);
    if (!prefs.ok()) return ErrorResponse(prefs.status());
    if (Status s = ApplyPreferenceChange(body, *prefs); !s.ok()) return ErrorResponse(s);
    if (Status s = SavePreferences(service.store(), me, *prefs, me.id, now); !s.ok())
      return ErrorResponse(s);
    return JsonResponse(200, PreferencesJson(*prefs, DistrictLanguage(service.store())));
  });
}

HttpResponse NotificationHandlers::Unsubscribe(RequestContext& ctx) {
  auto query = ctx.request.Query();
  const std::string token = query.count("token") ? query["token"] : "";
  auto who = CheckUnsubscribeToken(token, *ctx.roster, services_.Service().store());
  if (!who.ok()) return ErrorResponse(404, "not_found", who.status().message(), "token");
  const Person* person = ctx.roster->FindPerson(*who);
  if (!person) return ErrorResponse(404, "not_found", "token: this unsubscribe link is not valid");
  const Person me = *person;
  const Instant now = services_.Now();
  ctx.audit_detail = "unsubscribed person " + std::to_string(me.id) + " from email";
  return services_.Write([=](CairnService& service) -> HttpResponse {
    auto prefs = LoadPreferences(service.store(), me);
    if (!prefs.ok()) return ErrorResponse(prefs.status());
    if (prefs->email != EmailMode::kOff) {
      prefs->email = EmailMode::kOff;
      if (Status s = SavePreferences(service.store(), me, *prefs, me.id, now); !s.ok())
        return ErrorResponse(s);
    }
    return JsonResponse(200, json{{"email", "off"}, {"name", me.given_name}});
  });
}

HttpResponse NotificationHandlers::SendDigest(RequestContext& ctx) {
  auto round = services_.notifications().RunOnce(true);
  if (!round.ok()) return ErrorResponse(round.status());
  ctx.audit_detail = "sent the notification digest now";
  return JsonResponse(
      200,
      json{{"derived", round->derived}, {"emailed", round->emailed}, {"digests", round->digests}});
}

std::vector<GroupRoute<NotificationHandlers>> NotificationHandlers::Routes() {
  using G = NotificationHandlers;
  using R = AccessRule;
  return {
      {{"GET", "/api/v1/me/notifications", R::kAuthenticated, false}, &G::Feed},
      {{"POST", "/api/v1/me/notifications/read", R::kAuthenticated, false}, &G::MarkRead},
      {{"GET", "/api/v1/me/preferences", R::kAuthenticated, false}, &G::GetPreferences},
      {{"PUT", "/api/v1/me/preferences", R::kAuthenticated, false}, &G::PutPreferences},
      {{"POST", "/api/v1/unsubscribe", R::kPublic, true, Work::kByMethod, BodyKind::kAny},
       &G::Unsubscribe},
      {{"POST", "/api/v1/notifications/digest", R::kAdmin, true, Work::kSlow}, &G::SendDigest},
  };
}

}  // namespace cairn
