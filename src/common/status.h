// Errors as values. Expected failures (bad input, unknown ids, invalid
// catalogs) travel as a Status with a code that a server maps to an HTTP status
// and a message that names the place (file, line, JSON path, field).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cairn {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad user input; HTTP 400
  kNotFound,            // unknown id; HTTP 404
  kAlreadyExists,       // duplicate; HTTP 409
  kFailedPrecondition,  // state does not allow it (e.g. confirm with no proposal); HTTP 409
  kPermissionDenied,    // HTTP 403
  kResourceExhausted,   // over a size or count limit; HTTP 413
  kUnavailable,         // the database is busy or unreachable: try again; HTTP 503
  kInternal,            // a bug or an I/O failure; HTTP 500
};

// Stable, lowercase name for the code ("invalid_argument"), used in JSON.
const char* StatusCodeName(StatusCode code);

// One input problem at a named place: a request field ("tags[0].cpe"), a
// JSON path ("$.badges[2].code") or a file position ("users.csv:12:role").
struct FieldError {
  std::string field;
  std::string message;  // what is wrong there, without the field's name
  bool operator==(const FieldError&) const = default;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  // Invalid input, every problem with its place; the message lists them
  // one per line as "field: message", prefixed by `source` when given.
  static Status InvalidFields(std::vector<FieldError> fields, std::string_view source = {});
  // One invalid field: "field: message".
  static Status InvalidField(std::string field, std::string message) {
    return InvalidFields({{std::move(field), std::move(message)}});
  }
  // A problem of another kind at one field ("scan.jpg: larger than 25 MB"
  // is kResourceExhausted).
  static Status AtField(StatusCode code, std::string field, std::string message) {
    Status status = InvalidField(std::move(field), std::move(message));
    status.code_ = code;
    return status;
  }

  static Status Ok() { return {}; }
  static Status Invalid(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status Exists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status Precondition(std::string msg) {
    return {StatusCode::kFailedPrecondition, std::move(msg)};
  }
  static Status TooLarge(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  // The same problem seen from an enclosing document: each field becomes
  // "prefix.field" ("level" in "ratings[1]" is "ratings[1].level"); a status
  // without fields is named by `prefix` itself.
  Status Within(const std::string& prefix) const;

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The places the input was wrong, when the producer named them; servers
  // render them as structure (never by parsing the message).
  const std::vector<FieldError>& fields() const { return fields_; }
  // "invalid_argument: catalog.json: $.badges[2].code: duplicate badge code 'M101'"
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<FieldError> fields_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace cairn

// Early-return helpers: keep call sites flat.
#define CAIRN_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::cairn::Status cairn_status_ = (expr);        \
    if (!cairn_status_.ok()) return cairn_status_; \
  } while (0)

#define CAIRN_CONCAT_INNER(a, b) a##b
#define CAIRN_CONCAT(a, b) CAIRN_CONCAT_INNER(a, b)
#define CAIRN_ASSIGN_OR_RETURN(lhs, expr) \
  CAIRN_ASSIGN_OR_RETURN_IMPL(CAIRN_CONCAT(cairn_result_, __LINE__), lhs, expr)
#define CAIRN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
