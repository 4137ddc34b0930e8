// The shapes every handler answers with: JSON bodies, and errors as
// {"error": {"code", "message", "field", "errors"}} built from a Status and
// its field errors (never by parsing a message).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "roster/roster.h"
#include "server/http_types.h"

namespace cairn {

int HttpStatusOf(StatusCode code);
HttpResponse JsonResponse(int status, const nlohmann::json& body);
HttpResponse JsonTextResponse(int status, std::string body);  // body: JSON text
// An error with no field at fault (or one named by the caller).
HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           const std::string& field = {});
// The Status's HTTP status and code; its field errors become "field" (the
// first) and "errors": [{"field", "message"}] (all of them).
HttpResponse ErrorResponse(const Status& status);
nlohmann::json PersonJson(const Person& p);
// `text` as a whole decimal number within [lo, hi], or nullopt (so "12abc",
// "1e3" and "99999999999999999999" are refused, not wrapped).
std::optional<long long> BoundedNumber(const std::string& text, long long lo, long long hi);

}  // namespace cairn
