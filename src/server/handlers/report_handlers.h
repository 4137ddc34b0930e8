// Reports: the tracking sheet (CSV, JSON or an XLSX workbook; district-wide
// in the caller's scope, or one section's), the completion report with small
// groups suppressed, and a section's gradebook for the SIS (OneRoster 1.2 zip
// or CSV, as of a date) with the district's gradebook setting; pace flags
// (who is not progressing or advancing rapidly, reports/pace_report.h) for a
// section, a school or a district, with the district's pace setting.
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
  HttpResponse SectionTrackingXlsx(RequestContext& ctx);
  HttpResponse Completion(RequestContext& ctx);
  HttpResponse Equity(RequestContext& ctx);
  HttpResponse BadgeStudents(RequestContext& ctx);
  HttpResponse SectionGradebook(RequestContext& ctx);
  HttpResponse GetGradebookSettings(RequestContext& ctx);
  HttpResponse PutGradebookSettings(RequestContext& ctx);
  HttpResponse Pace(RequestContext& ctx);
  HttpResponse GetPaceSettings(RequestContext& ctx);
  HttpResponse PutPaceSettings(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
