// Reports: the tracking sheet (CSV or JSON) and the completion report
// with small groups suppressed.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class ReportHandlers {
 public:
  explicit ReportHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<ReportHandlers>> Routes();

 private:
  HttpResponse TrackingSheet(RequestContext& ctx);
  HttpResponse Completion(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
