// The HTTP request path up to the handler: Boost.Beast parses one or more
// pipelined requests the way server/http_server.cpp reads them (a header
// parser with a 16 KiB header limit, then the body under the body limit),
// each is converted to an HttpRequest the way the server does, and the
// accessors handlers use (Path, Query, Header, Cookie, UrlDecode) and the
// request guard's checks run on it.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_check.h"
#include "server/http_types.h"
#include "server/request_guard.h"

namespace {

namespace http = boost::beast::http;
using cairn::fuzz::Check;

// server/http_server.cpp's defaults (ServerOptions).
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kBodyLimit = 8 * 1024 * 1024;
constexpr std::size_t kUploadLimit = 64 * 1024 * 1024;
constexpr int kMaxRequests = 8;

// Feeds `rest` to the parser until it is done (the header only, or the whole
// message), consuming what it used. The input is all there is: when the
// parser needs more, the peer has closed. False when the message is
// malformed or incomplete.
template <typename Parser>
bool Feed(Parser& parser, std::string_view& rest, bool header_only) {
  auto done = [&] { return header_only ? parser.is_header_done() : parser.is_done(); };
  while (!done()) {
    boost::beast::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    Check(used <= rest.size(), "parser used more bytes than it was given");
    rest.remove_prefix(used);
    if (ec == http::error::need_more) {
      if (used > 0) continue;
      parser.put_eof(ec);
      return !ec && done();
    }
    if (ec) return false;
    if (used == 0 && !done()) return false;
  }
  return true;
}

// As the server's Session::Handle builds it.
cairn::HttpRequest Convert(http::request<http::string_body> message) {
  cairn::HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote = "192.0.2.1";
  request.request_id = "fuzz";
  return request;
}

void CheckUrlDecode(std::string_view text) {
  const std::string decoded = cairn::UrlDecode(text);
  Check(decoded.size() <= text.size(), "UrlDecode grew its input");
  if (text.find_first_of("%+") == std::string_view::npos) {
    Check(decoded == text, "UrlDecode changed text without escapes");
  }
}

void Exercise(const cairn::HttpRequest& request) {
  const std::string_view path = request.Path();
  Check(std::string_view(request.target).starts_with(path), "Path() is not a prefix of the target");
  Check(path.find('?') == std::string_view::npos, "Path() holds the query");
  CheckUrlDecode(path);

  const auto query = request.Query();
  for (const auto& [key, value] : query) {
    Check(!key.empty(), "Query() returned an empty key");
    Check(key.size() + value.size() <= request.target.size(), "Query() grew the target");
  }
  if (const auto q = request.target.find('?'); q != std::string::npos) {
    CheckUrlDecode(std::string_view(request.target).substr(q + 1));
  }

  for (const auto& [name, value] : request.headers) {
    for (char c : name) Check(!(c >= 'A' && c <= 'Z'), "header name not lower-case");
    const auto found = request.Header(name);
    Check(found.has_value(), "Header() misses a header the request has");
  }
  for (const char* name : {"content-type", "origin", "host", "sec-fetch-site", "authorization",
                           "x-csrf-token", "x-request-id", "expect"}) {
    (void)request.Header(name);
  }

  if (const auto cookie = request.Cookie("cairn_session")) {
    const auto header = request.Header("cookie");
    Check(header.has_value(), "Cookie() without a Cookie header");
    Check(header->find("cairn_session=" + *cookie) != std::string::npos,
          "Cookie() value not in the header");
  }

  const cairn::Status same_origin = cairn::CheckSameOrigin(request, "https://badges.example.org");
  if (same_origin.ok()) {
    if (const auto site = request.Header("sec-fetch-site")) {
      std::string lower = *site;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      Check(lower == "same-origin" || lower == "none", "cross-site Sec-Fetch-Site accepted");
    }
  } else {
    Check(same_origin.code() == cairn::StatusCode::kPermissionDenied, "same-origin: wrong code");
  }
  const cairn::Status json = cairn::CheckJsonContentType(request);
  if (json.ok()) {
    const auto type = request.Header("content-type");
    Check(type.has_value(), "JSON content type accepted without a Content-Type");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest = cairn::fuzz::AsText(data, size);
  // Keep-alive: what follows one request is the next one.
  for (int i = 0; i < kMaxRequests && !rest.empty(); ++i) {
    http::request_parser<http::empty_body> head;
    head.header_limit(kHeaderLimit);
    head.body_limit(kUploadLimit);
    if (!Feed(head, rest, /*header_only=*/true)) return 0;
    if (const auto length = head.content_length(); length && *length > kBodyLimit) return 0;
    http::request_parser<http::string_body> parser(std::move(head));
    parser.body_limit(kBodyLimit);
    if (!Feed(parser, rest, /*header_only=*/false)) return 0;
    const bool keep_alive = parser.keep_alive();
    Exercise(Convert(parser.release()));
    if (!keep_alive) return 0;
  }
  return 0;
}
