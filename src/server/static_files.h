// The built web app (index.html, assets/), served read-only.
//
// Only regular files under the canonical web root are served: the path is
// decoded once, refused if it holds anything a file name of ours never does
// (empty segments "//", "..", dotfiles, backslashes, NUL, control bytes,
// invalid or overlong UTF-8), then resolved with its symlinks and compared
// with the root by path prefix. So a symlink or an absolute path that would
// leave the root is refused, whatever its spelling.
#pragma once

#include <string>
#include <vector>

#include "server/http_types.h"

namespace cairn {

class StaticFiles {
 public:
  // `root`: the web app's directory; empty serves nothing (a 404 saying the
  // app is not built). `never`: files and folders never to serve even if
  // someone put them under the root (the database, its log, the master
  // key, the portfolio files).
  explicit StaticFiles(const std::string& root, const std::vector<std::string>& never = {});

  // GET/HEAD only. Paths the browser routes (no file) get index.html, except
  // under /assets/, which are real files or 404.
  HttpResponse Serve(const HttpRequest& request) const;

  const std::string& root() const { return root_; }

 private:
  std::string root_;                // canonical, no trailing slash; empty when none
  std::vector<std::string> never_;  // canonical
};

}  // namespace cairn
