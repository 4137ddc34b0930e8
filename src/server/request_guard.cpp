#include "server/request_guard.h"

#include <algorithm>
#include <cctype>

namespace cairn {

const char* const kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// "https://badges.example.org/path" -> "https://badges.example.org"
std::string OriginOf(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  auto end = url.find('/', scheme + 3);
  return Lower(url.substr(0, end));
}

bool HasHeader(const HttpResponse& response, const char* name) {
  const std::string lower = Lower(name);
  return std::any_of(response.headers.begin(), response.headers.end(),
                     [&](const auto& h) { return Lower(h.first) == lower; });
}

}  // namespace

Status CheckSameOrigin(const HttpRequest& request, const std::string& public_url) {
  if (auto site = request.Header("sec-fetch-site")) {
    const std::string value = Lower(*site);
    if (value != "same-origin" && value != "none") {
      return {
          StatusCode::kPermissionDenied,
          "origin: cross-site requests may not change anything (Sec-Fetch-Site: " + value + ")"};
    }
  }
  auto origin = request.Header("origin");
  if (!origin) return Status::Ok();
  const std::string given = Lower(*origin);
  if (!given.empty() && given == OriginOf(public_url)) return Status::Ok();
  if (auto host = request.Header("host"); host && !host->empty()) {
    const std::string h = Lower(*host);
    if (given == "http://" + h || given == "https://" + h) return Status::Ok();
  }
  return {StatusCode::kPermissionDenied,
          "origin: requests from " + *origin + " may not change anything here"};
}

Status CheckJsonContentType(const HttpRequest& request) {
  const std::string type = Lower(request.Header("content-type").value_or(""));
  const std::string media = type.substr(0, type.find(';'));
  auto trimmed = media;
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
  if (trimmed == "application/json") return Status::Ok();
  return Status::Invalid("content-type: expected application/json, got '" +
                         (type.empty() ? std::string("none") : type) + "'");
}

void AddSecurityHeaders(HttpResponse& response, bool api_response,
                        const SecurityHeaderOptions& options) {
  auto add = [&](const char* name, const char* value) {
    if (!HasHeader(response, name)) response.headers.push_back({name, value});
  };
  add("Referrer-Policy", "no-referrer");
  add("X-Frame-Options", "DENY");
  add("Cross-Origin-Opener-Policy", "same-origin");
  if (api_response) {
    // Student records must not linger in a shared computer's cache.
    add("Cache-Control", "no-store");
    // JSON is never a page; files (PDFs opened in the browser's viewer)
    // keep nosniff and their Content-Disposition instead.
    if (response.content_type.rfind("application/json", 0) == 0) {
      add("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
  } else {
    add("Content-Security-Policy", kContentSecurityPolicy);
  }
  if (options.https) add("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

}  // namespace cairn
