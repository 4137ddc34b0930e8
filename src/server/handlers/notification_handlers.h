// Notifications and each person's choices over HTTP (issue #13):
//
//   GET  /api/v1/me/notifications          the in-app feed, newest first
//   POST /api/v1/me/notifications/read     {up_to}: read up to this one
//   GET  /api/v1/me/preferences            language and email choices
//   PUT  /api/v1/me/preferences            {language?, email?}
//   POST /api/v1/unsubscribe?token=...     an email's one link: email off
//   POST /api/v1/notifications/digest      admins: send the digest now
//
// "me" is always the signed-in person: no path or body names whose feed or
// choices these are. The feed leaves out notifications about a student the
// reader may no longer read (a guardian link removed). Unsubscribing needs
// no sign-in: the token is a secret only that person's emails carry.
#pragma once

#include <vector>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class NotificationHandlers {
 public:
  explicit NotificationHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<NotificationHandlers>> Routes();

 private:
  HttpResponse Feed(RequestContext& ctx);
  HttpResponse MarkRead(RequestContext& ctx);
  HttpResponse GetPreferences(RequestContext& ctx);
  HttpResponse PutPreferences(RequestContext& ctx);
  HttpResponse Unsubscribe(RequestContext& ctx);
  HttpResponse SendDigest(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
