// Checks every request passes before any route sees it, and the headers
// every response carries. Pure functions of the request and the server's
// options, so each is tested without sockets or a database.
#pragma once

#include <string>

#include "common/status.h"
#include "server/http_types.h"

namespace cairn {

// A state-changing request from a browser must come from our own pages.
// Browsers always send Origin on POST/PUT/DELETE (and Sec-Fetch-Site where
// they support it); a request from another site, or a form's "null" origin,
// is refused. Requests that carry neither header come from programs (curl,
// integrations with API tokens), which a browser cannot be tricked into
// sending with our cookie. `public_url` is the address users know us by;
// the request's own Host is accepted too (a LAN address, a port forward).
// kPermissionDenied when refused.
Status CheckSameOrigin(const HttpRequest& request, const std::string& public_url);

// JSON routes take application/json only: the content types a cross-site
// form can send without a CORS preflight (text/plain, urlencoded,
// multipart) are refused (kInvalidArgument: "content-type: ...").
Status CheckJsonContentType(const HttpRequest& request);

// What the API's responses and the web app's pages carry: no framing, no
// referrer, no sniffing; a strict content security policy for pages (the
// built app has no inline script or style); no caching of anything an API
// route returns (student records); HSTS when served behind TLS.
struct SecurityHeaderOptions {
  bool https = false;  // --secure-cookies: served behind TLS
};
void AddSecurityHeaders(HttpResponse& response, bool api_response,
                        const SecurityHeaderOptions& options);

// The content security policy of the web app's pages.
extern const char* const kContentSecurityPolicy;

}  // namespace cairn
