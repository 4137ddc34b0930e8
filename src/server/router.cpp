#include "server/route.h"

namespace cairn {

std::vector<std::string> Router::Split(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.push_back(UrlDecode(path.substr(start, slash - start)));
    start = slash + 1;
  }
  return parts;
}

void Router::Add(RouteInfo info, Handler handler) {
  routes_.push_back({info, std::move(handler), Split(info.pattern)});
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  const std::vector<std::string> parts = Split(path);
  for (const Route& route : routes_) {
    const std::vector<std::string>& pattern = route.segments;
    if (pattern.size() != parts.size()) continue;
    std::map<std::string, std::string> captured;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      if (pattern[i].size() > 2 && pattern[i].front() == '{') {
        captured[pattern[i].substr(1, pattern[i].size() - 2)] = parts[i];
      } else {
        ok = pattern[i] == parts[i];
      }
    }
    if (!ok) continue;
    match.path_matched = true;
    if (route.info.method == method) {
      match.route = &route;
      match.params = std::move(captured);
      break;
    }
  }
  return match;
}

}  // namespace cairn
