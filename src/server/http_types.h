// Transport-neutral HTTP values. Handlers take an HttpRequest and return an
// HttpResponse, so every route is testable without sockets; the Beast server
// only converts.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace cairn {

// Takes a request body as it arrives from the socket (uploads), so it is
// neither held in memory nor spooled to disk first. Called on one thread at a
// time; an error stops the upload (the server answers 400, or 413 for a
// kInvalidArgument message containing "larger than").
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual Status Write(std::string_view chunk) = 0;
  virtual Status Finish() = 0;
};

struct HttpRequest {
  std::string method;                                        // "GET"
  std::string target;                                        // "/api/v1/students/4/progress?x=1"
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  // Large bodies (multipart uploads) are spooled to this file instead of
  // `body`, so memory stays flat; the server deletes it after the response.
  std::string body_file;
  // Or, when the handler asked for it, the body already went to this sink.
  std::shared_ptr<BodySink> body_sink;
  std::string remote;      // client address, for logs
  std::string request_id;  // set by the server

  std::string_view Path() const;
  std::map<std::string, std::string> Query() const;
  std::optional<std::string> Header(std::string_view lower_name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
};

class PendingResponse;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A body shared with a cache, sent without copying; when set, it is the
  // body and `body` is empty.
  std::shared_ptr<const std::string> shared_body;
  // Or a file streamed from disk (downloads, exports: never whole in
  // memory); deleted after sending when `delete_body_file` (a temp file).
  std::string body_file;
  bool delete_body_file = false;
  // Set when the answer comes later from another thread (a change waiting
  // for its group commit); the fields above are then unused.
  std::shared_ptr<PendingResponse> pending;

  std::string_view Body() const { return shared_body ? *shared_body : body; }
};

// The answer to one request, delivered exactly once, from any thread.
using Responder = std::function<void(HttpResponse)>;

// A response completed later by another thread. Complete() is called once;
// the continuation runs on the completing thread, or at once when it is set
// after completion.
class PendingResponse {
 public:
  void Complete(HttpResponse response);
  void OnComplete(Responder next);
  // A pending response that is this one after `fn` has seen it.
  std::shared_ptr<PendingResponse> Then(std::function<void(HttpResponse&)> fn);
  // Blocks until complete (tests and the command line, not I/O threads).
  HttpResponse Wait();

 private:
  std::mutex mutex_;
  std::optional<HttpResponse> result_;
  Responder next_;
};

// "%2F" -> "/", "+" -> " " (query strings). Invalid escapes stay as they are.
std::string UrlDecode(std::string_view text);

}  // namespace cairn
