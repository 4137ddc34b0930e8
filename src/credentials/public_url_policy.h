// Whether credentials may be issued under a public base URL (issue #14).
// A credential names its issuer, keys and status lists by this URL for
// ever, so one issued under http:// or a loopback host (localhost,
// 127.0.0.0/8, ::1, 0.0.0.0) cannot be checked by anyone else. Outside
// development Cairn refuses to issue under such a URL; awards are still
// recorded and their credentials wait until the URL is fixed.
//
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cairn {

// Empty when credentials may be issued under `public_url`; otherwise why
// not, in a sentence for /healthz, the admin and the log. `dev` allows any
// URL (local development and tests).
std::string IssuanceBlockedReason(std::string_view public_url, bool dev);

// Whether the URL's host is a loopback or unspecified address.
bool IsLoopbackUrl(std::string_view url);

}  // namespace cairn
