#include "server/responses.h"

namespace cairn {

using nlohmann::json;

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kResourceExhausted:
      return 413;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse JsonResponse(int status, const json& body) {
  // A path or query may decode to bytes that are not UTF-8 and be echoed in
  // a message: replaced (U+FFFD), never an exception while answering.
  return JsonTextResponse(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

HttpResponse JsonTextResponse(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message,
                           const std::string& field) {
  json error{{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return JsonResponse(status, json{{"error", error}});
}

HttpResponse ErrorResponse(const Status& status) {
  json error{{"code", StatusCodeName(status.code())}, {"message", status.message()}};
  if (!status.fields().empty()) {
    error["field"] = status.fields().front().field;
    json errors = json::array();
    for (const FieldError& f : status.fields()) {
      errors.push_back({{"field", f.field}, {"message", f.message}});
    }
    error["errors"] = std::move(errors);
  }
  return JsonResponse(HttpStatusOf(status.code()), json{{"error", error}});
}

json PersonJson(const Person& p) {
  return json{{"id", p.sourced_id}, {"name", p.DisplayName()}, {"role", PersonRoleName(p.role)}};
}

std::optional<long long> BoundedNumber(const std::string& text, long long lo, long long hi) {
  std::size_t start = !text.empty() && text[0] == '-' ? 1 : 0;
  if (text.size() == start || text.size() - start > 18 ||
      text.find_first_not_of("0123456789", start) != std::string::npos) {
    return std::nullopt;
  }
  const long long value = std::stoll(text);
  if (value < lo || value > hi) return std::nullopt;
  return value;
}

}  // namespace cairn
