#include "server/handlers/report_handlers.h"

#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/completion_report.h"
#include "reports/tracking_sheet.h"
#include "server/responses.h"
#include "service/explanation_json.h"

namespace cairn {

using nlohmann::json;

HttpResponse ReportHandlers::TrackingSheet(RequestContext& ctx) {
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    auto rows = BuildTrackingSheet(
        *state.catalog, *state.roster, state.index->engine(), state.index->awards(),
        [&](const Person& p) { return CanReadStudent(*state.roster, *ctx.who, p); });
    for (const TrackingRow& row : rows) {
      if (const Person* p = state.roster->FindPersonBySourcedId(row.student_id);
          p && (ctx.returned_students.empty() || ctx.returned_students.back() != p->id)) {
        ctx.returned_students.push_back(p->id);
      }
    }
    HttpResponse response;
    auto query = ctx.request.Query();
    if (query["format"] == "json") {
      json out = json::array();
      for (const TrackingRow& row : rows) out.push_back(ToJson(row));
      return JsonResponse(200, out);
    }
    std::ostringstream csv;
    WriteTrackingSheetCsv(csv, rows);
    response.content_type = "text/csv; charset=utf-8";
    response.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"tracking-sheet.csv\""});
    response.body = csv.str();
    return response;
  });
}

// Groups under the minimum are hidden, and so are as many more as it takes
// that no hidden figure can be worked out from shown ones, in any of the
// three reports (reports/completion_report.h).
HttpResponse ReportHandlers::Completion(RequestContext& ctx) {
  auto query = ctx.request.Query();
  auto by = ParseCompletionDimension(query.count("by") ? query["by"] : "badge");
  if (!by.ok()) return ErrorResponse(by.status());
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    auto rows = BuildTrackingSheet(
        *state.catalog, *state.roster, state.index->engine(), state.index->awards(),
        [&](const Person& p) { return CanReadStudent(*state.roster, *ctx.who, p); });
    return JsonResponse(
        200, CompletionReportJson(BuildCompletionReport(rows, kCompletionMinimumGroupSize), *by));
  });
}

std::vector<GroupRoute<ReportHandlers>> ReportHandlers::Routes() {
  using G = ReportHandlers;
  return {
      {{"GET", "/api/v1/reports/tracking-sheet", AccessRule::kStaff, true, Work::kSlow},
       &G::TrackingSheet},
      {{"GET", "/api/v1/reports/completion", AccessRule::kLeader, false, Work::kSlow},
       &G::Completion},
  };
}

}  // namespace cairn
