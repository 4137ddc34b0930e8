// The badge catalog (read, replace, one badge) and the district settings.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class CatalogHandlers {
 public:
  explicit CatalogHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<CatalogHandlers>> Routes();

 private:
  HttpResponse GetCatalog(RequestContext& ctx);
  HttpResponse PutCatalog(RequestContext& ctx);
  HttpResponse GetBadge(RequestContext& ctx);
  HttpResponse GetSettings(RequestContext& ctx);
  HttpResponse PutSettings(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
