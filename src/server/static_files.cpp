#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <map>

namespace cairn {

namespace fs = std::filesystem;

namespace {

std::string MimeType(const std::string& path) {
  static const std::map<std::string, std::string> kTypes{{".html", "text/html; charset=utf-8"},
                                                         {".js", "text/javascript"},
                                                         {".css", "text/css"},
                                                         {".svg", "image/svg+xml"},
                                                         {".png", "image/png"},
                                                         {".json", "application/json"},
                                                         {".ico", "image/x-icon"},
                                                         {".woff2", "font/woff2"},
                                                         {".txt", "text/plain; charset=utf-8"}};
  auto dot = path.rfind('.');
  if (dot == std::string::npos) return "application/octet-stream";
  auto it = kTypes.find(path.substr(dot));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

HttpResponse Error(int status, const std::string& code, const std::string& message) {
  HttpResponse response;
  response.status = status;
  response.body = "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
  return response;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool ValidUtf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    unsigned min = 0, code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, code = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, code = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, code = c & 0x07u;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3Fu);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

// Whether `relative` (the decoded path without its leading '/') could be one
// of our files' names at all.
bool PlausibleName(const std::string& relative) {
  if (!ValidUtf8(relative)) return false;
  std::size_t start = 0;
  while (start <= relative.size()) {
    auto slash = relative.find('/', start);
    if (slash == std::string::npos) slash = relative.size();
    const std::string segment = relative.substr(start, slash - start);
    // An empty segment is "//" (or a trailing slash); a leading dot is "..",
    // "." or a dotfile.
    if (segment.empty() && slash != relative.size()) return false;
    if (!segment.empty() && segment.front() == '.') return false;
    for (char ch : segment) {
      const auto u = static_cast<unsigned char>(ch);
      if (u < 0x20 || u == 0x7F || ch == '\\' || ch == ':') return false;
    }
    start = slash + 1;
  }
  return true;
}

}  // namespace

StaticFiles::StaticFiles(const std::string& root, const std::vector<std::string>& never) {
  if (root.empty()) return;
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (!ec) root_ = canonical.string();
  for (const std::string& path : never) {
    if (path.empty()) continue;
    fs::path resolved = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (!ec) never_.push_back(resolved.string());
  }
}

HttpResponse StaticFiles::Serve(const HttpRequest& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    return Error(405, "method_not_allowed", "static files are read-only");
  }
  if (root_.empty()) {
    return Error(404, "not_found", "the web app is not built; run scripts/run.sh");
  }
  const std::string path = UrlDecode(request.Path());
  if (path.empty() || path.front() != '/' || !PlausibleName(path.substr(1))) {
    return Error(400, "invalid_argument", "path: not allowed");
  }
  const bool asset = path.rfind("/assets/", 0) == 0;
  std::error_code ec;
  fs::path file;
  if (path != "/") {
    // Resolves every symlink: what is compared is where the bytes are.
    fs::path resolved = fs::weakly_canonical(fs::path(root_) / path.substr(1), ec);
    const std::string text = resolved.string();
    const bool inside = !ec && text.size() > root_.size() + 1 &&
                        text.compare(0, root_.size(), root_) == 0 && text[root_.size()] == '/';
    if (!inside) return Error(404, "not_found", "no file " + path);
    for (const std::string& forbidden : never_) {
      if (text == forbidden ||
          (text.size() > forbidden.size() && text.compare(0, forbidden.size(), forbidden) == 0 &&
           text[forbidden.size()] == '/')) {
        return Error(404, "not_found", "no file " + path);
      }
    }
    if (fs::is_regular_file(resolved, ec)) file = resolved;
  }
  if (file.empty()) {
    // The web app routes in the browser: unknown paths get index.html.
    if (asset) return Error(404, "not_found", "no file " + path);
    file = fs::path(root_) / "index.html";
  }
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Error(404, "not_found", "the web app is not built here; run scripts/build-web.sh");
  HttpResponse response;
  response.content_type = MimeType(file.string());
  response.body.assign(std::istreambuf_iterator<char>(in), {});
  response.headers.push_back(
      {"Cache-Control", asset ? "public, max-age=31536000, immutable" : "no-cache"});
  return response;
}

}  // namespace cairn
