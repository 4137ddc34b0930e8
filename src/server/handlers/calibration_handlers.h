// Calibration sessions (blind rating, reveal with agreement figures,
// notes) and the staff directory raters are picked from.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evidence/calibration.h"
#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class CalibrationHandlers {
 public:
  explicit CalibrationHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<CalibrationHandlers>> Routes();

 private:
  HttpResponse ListCalibrations(RequestContext& ctx);
  HttpResponse CreateCalibration(RequestContext& ctx);
  HttpResponse GetCalibration(RequestContext& ctx);
  HttpResponse CalibrationEventRoute(RequestContext& ctx);
  HttpResponse CalibrationArtifact(RequestContext& ctx);
  HttpResponse ListStaff(RequestContext& ctx);

  bool MayOpenCalibration(const Principal& who, const CalibrationSession& session);
  Result<CalibrationRecord> CalibrationOf(const RequestContext& ctx);
  nlohmann::json CalibrationJson(const ReadState& state, const CalibrationRecord& record,
                                 const Principal& who);

  ApiServices& services_;
};

}  // namespace cairn
