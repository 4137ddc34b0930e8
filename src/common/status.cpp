#include "common/status.h"

namespace cairn {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kResourceExhausted:
      return "payload_too_large";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

Status Status::InvalidFields(std::vector<FieldError> fields, std::string_view source) {
  std::string message;
  for (const FieldError& f : fields) {
    if (!message.empty()) message += '\n';
    if (!source.empty()) message.append(source).append(": ");
    message += f.field.empty() ? f.message : f.field + ": " + f.message;
  }
  Status status(StatusCode::kInvalidArgument, std::move(message));
  status.fields_ = std::move(fields);
  return status;
}

Status Status::Within(const std::string& prefix) const {
  if (ok()) return *this;
  std::vector<FieldError> fields = fields_;
  if (fields.empty()) fields.push_back({"", message_});
  for (FieldError& f : fields) f.field = f.field.empty() ? prefix : prefix + "." + f.field;
  Status out = InvalidFields(std::move(fields));
  out.code_ = code_;
  return out;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

}  // namespace cairn
