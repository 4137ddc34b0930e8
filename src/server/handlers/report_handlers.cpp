#include "server/handlers/report_handlers.h"

#include <algorithm>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "agency/learning_plan.h"
#include "evidence/files/file_name.h"
#include "reports/badge_drilldown.h"
#include "reports/completion_report.h"
#include "reports/csv.h"
#include "reports/equity_report.h"
#include "reports/gradebook.h"
#include "reports/oneroster_gradebook.h"
#include "reports/pace_report.h"
#include "reports/pace_settings.h"
#include "reports/tracking_sheet.h"
#include "reports/tracking_xlsx.h"
#include "server/handlers/intervention_handlers.h"
#include "server/handlers/params.h"
#include "server/responses.h"
#include "service/explanation_json.h"

namespace cairn {

using nlohmann::json;

namespace {

constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Every student a bulk read returned goes to the audit log, once.
void NoteReturned(RequestContext& ctx, const Roster& roster, const std::string& sourced_id) {
  const Person* p = roster.FindPersonBySourcedId(sourced_id);
  if (p && std::find(ctx.returned_students.begin(), ctx.returned_students.end(), p->id) ==
               ctx.returned_students.end()) {
    ctx.returned_students.push_back(p->id);
  }
}

HttpResponse Download(std::string body, const char* content_type, const std::string& name,
                      const char* extension) {
  HttpResponse response;
  response.content_type = content_type;
  response.headers.push_back(
      {"Content-Disposition", ContentDispositionValue(SanitizeFileName(name, extension))});
  response.body = std::move(body);
  return response;
}

HttpResponse XlsxDownload(const std::vector<TrackingRow>& rows, const std::string& name) {
  auto workbook = TrackingSheetXlsx(rows);
  if (!workbook.ok()) return ErrorResponse(workbook.status());
  return Download(std::move(*workbook), kXlsxType, name, "xlsx");
}

// Every tracking row of the students `who` may read (sections' badges and
// the badges students chose), for the aggregate reports.
std::vector<TrackingRow> RowsTheCallerMaySee(const ReadState& state, const Principal& who,
                                             const std::vector<ChosenBadge>& chosen) {
  return BuildTrackingSheet(
      *state.catalog, *state.roster, state.index->engine(), state.index->awards(),
      [&](const Person& p) { return CanReadStudent(*state.roster, who, p); }, chosen);
}

const Section* FindSection(const Roster& roster, const std::string& sourced_id) {
  for (const Section& s : roster.sections) {
    if (s.sourced_id == sourced_id) return &s;
  }
  return nullptr;
}

}  // namespace

// Rows are built under the read model's lock; the CSV or workbook is
// rendered after it is released.
HttpResponse ReportHandlers::TrackingSheet(RequestContext& ctx) {
  auto chosen = LoadChosenBadges(services_.Service().store(), *ctx.roster);
  if (!chosen.ok()) return ErrorResponse(chosen.status());
  std::vector<TrackingRow> rows;
  std::shared_ptr<const Roster> roster;
  const bool have_catalog = services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return false;
    roster = state.roster;
    rows = BuildTrackingSheet(
        *state.catalog, *state.roster, state.index->engine(), state.index->awards(),
        [&](const Person& p) { return CanReadStudent(*state.roster, *ctx.who, p); }, *chosen);
    return true;
  });
  if (!have_catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
  auto supports = ReadableInterventions(services_.Service().store(), *roster, *ctx.who);
  if (!supports.ok()) return ErrorResponse(supports.status());
  AttachSupports(rows, *supports, *roster);
  for (const TrackingRow& row : rows) NoteReturned(ctx, *roster, row.student_id);
  auto query = ctx.request.Query();
  if (query["format"] == "json") {
    json out = json::array();
    for (const TrackingRow& row : rows) out.push_back(ToJson(row));
    return JsonResponse(200, out);
  }
  if (query["format"] == "xlsx") return XlsxDownload(rows, "tracking-sheet");
  std::ostringstream csv;
  WriteTrackingSheetCsv(csv, rows);
  return Download(csv.str(), "text/csv; charset=utf-8", "tracking-sheet", "csv");
}

// One section's rows, as its sheet of the workbook.
HttpResponse ReportHandlers::SectionTrackingXlsx(RequestContext& ctx) {
  const std::string section_id = ctx.params["section"];
  std::vector<TrackingRow> rows;
  std::shared_ptr<const Roster> roster;
  Status found = services_.model().Read([&](const ReadState& state) -> Status {
    const Section* section = FindSection(*state.roster, section_id);
    if (!section) return Status::AtField(StatusCode::kNotFound, "section", "no such section");
    if (!state.catalog) return Status::NotFound("no catalog loaded");
    roster = state.roster;
    std::vector<const Person*> members = state.roster->StudentsIn(section->id);
    rows = BuildTrackingSheet(*state.catalog, *state.roster, state.index->engine(),
                              state.index->awards(), [&](const Person& p) {
                                return std::find(members.begin(), members.end(), &p) !=
                                           members.end() &&
                                       CanReadStudent(*state.roster, *ctx.who, p);
                              });
    return Status::Ok();
  });
  if (!found.ok()) return ErrorResponse(found);
  std::erase_if(rows, [&](const TrackingRow& row) { return row.section_sourced_id != section_id; });
  auto supports = ReadableInterventions(services_.Service().store(), *roster, *ctx.who);
  if (!supports.ok()) return ErrorResponse(supports.status());
  AttachSupports(rows, *supports, *roster);
  for (const TrackingRow& row : rows) NoteReturned(ctx, *roster, row.student_id);
  return XlsxDownload(rows, "tracking-" + section_id);
}

// Groups under the minimum are hidden, and so are as many more as it takes
// that no hidden figure can be worked out from shown ones, in any of the
// three reports (reports/completion_report.h).
HttpResponse ReportHandlers::Completion(RequestContext& ctx) {
  auto query = ctx.request.Query();
  auto by = ParseCompletionDimension(query.count("by") ? query["by"] : "badge");
  if (!by.ok()) return ErrorResponse(by.status());
  auto chosen = LoadChosenBadges(services_.Service().store(), *ctx.roster);
  if (!chosen.ok()) return ErrorResponse(chosen.status());
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    auto rows = RowsTheCallerMaySee(state, *ctx.who, *chosen);
    return JsonResponse(
        200, CompletionReportJson(BuildCompletionReport(rows, kCompletionMinimumGroupSize), *by));
  });
}

// The same rows as Completion, split by a demographic field instead; one
// set of suppression decisions for all fields (reports/equity_report.h).
HttpResponse ReportHandlers::Equity(RequestContext& ctx) {
  auto query = ctx.request.Query();
  auto field = ParseDemographicField(query.count("field") ? query["field"] : "gender");
  if (!field.ok()) return ErrorResponse(field.status());
  const std::string format = query.count("format") ? query["format"] : "json";
  if (format != "json" && format != "csv" && format != "xlsx") {
    return ErrorResponse(Status::InvalidField("format", "expected json, csv or xlsx"));
  }
  auto chosen = LoadChosenBadges(services_.Service().store(), *ctx.roster);
  if (!chosen.ok()) return ErrorResponse(chosen.status());
  auto pace = LoadPaceSettings(services_.Service().store());
  if (!pace.ok()) return ErrorResponse(pace.status());
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    std::vector<TrackingRow> rows = RowsTheCallerMaySee(state, *ctx.who, *chosen);
    // "Not progressing" by group too: the pace flags of the same rows.
    std::vector<const Section*> sections;
    for (const Section& s : state.roster->sections) sections.push_back(&s);
    const PaceReport flags = BuildPaceReport(
        *state.catalog, *state.roster, state.index->engine(), state.index->awards(), sections,
        [&](const Person& p) { return CanReadStudent(*state.roster, *ctx.who, p); },
        PaceOptions{DayOf(services_.Now()), pace->not_progressing_weeks, *pace});
    MarkNotProgressing(rows, flags);
    const EquityReport report = BuildEquityReport(rows);
    if (format == "json") return JsonResponse(200, EquityReportJson(report, *field));
    const auto table = EquityReportTable(report, *field);
    const std::string name = "completion-by-" + std::string(DemographicFieldName(*field));
    if (format == "csv") {
      std::ostringstream csv;
      for (const auto& row : table) WriteCsvRow(csv, row);
      return Download(csv.str(), "text/csv; charset=utf-8", name, "csv");
    }
    auto workbook = TableXlsx("Completion by " + std::string(DemographicFieldTitle(*field)), table);
    if (!workbook.ok()) return ErrorResponse(workbook.status());
    return Download(std::move(*workbook), kXlsxType, name, "xlsx");
  });
}

// The students behind one badge's figure, only those the caller may read;
// each returned student is audited.
HttpResponse ReportHandlers::BadgeStudents(RequestContext& ctx) {
  auto query = ctx.request.Query();
  auto filter = ParseDrilldownFilter(query["school"], query["section"], query["status"],
                                     query["limit"], query["offset"]);
  if (!filter.ok()) return ErrorResponse(filter.status());
  auto chosen = LoadChosenBadges(services_.Service().store(), *ctx.roster);
  if (!chosen.ok()) return ErrorResponse(chosen.status());
  const std::string& code = ctx.params["badge"];
  return services_.model().Read([&](const ReadState& state) {
    if (!state.catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
    const Badge* badge = state.catalog->FindBadge(code);
    if (!badge)
      return ErrorResponse(Status::AtField(StatusCode::kNotFound, "badge", "no such badge"));
    const DrilldownPage page = BuildBadgeDrilldown(
        badge->code, badge->title, RowsTheCallerMaySee(state, *ctx.who, *chosen), *filter);
    for (const std::string& id : page.student_ids) NoteReturned(ctx, *state.roster, id);
    return JsonResponse(200, page.json);
  });
}

// The snapshot is computed from the store's facts recorded by the as-of
// instant (reports/gradebook.h), on this thread's connection, against the
// catalog in force and the roster the request was decided on.
HttpResponse ReportHandlers::SectionGradebook(RequestContext& ctx) {
  auto query = ctx.request.Query();
  const std::string format = query.count("format") ? query["format"] : "oneroster";
  if (format != "oneroster" && format != "csv") {
    return ErrorResponse(Status::InvalidField("format", "expected oneroster or csv"));
  }
  GradebookRequest request{ctx.params["section"], query["period"], query["from"], query["to"],
                           query["as_of"]};
  auto catalog = services_.model().WithSnapshot([](const ReadSnapshot& s) { return s.catalog; });
  if (!catalog) return ErrorResponse(404, "not_found", "no catalog loaded");
  auto gradebook =
      LoadGradebook(services_.Service().store(), *catalog, *ctx.roster, request, services_.Now());
  if (!gradebook.ok()) return ErrorResponse(gradebook.status());
  for (const GradebookEntry& entry : gradebook->entries) {
    NoteReturned(ctx, *ctx.roster, entry.student_sourced_id);
  }
  ctx.audit_detail = "gradebook " + gradebook->section_sourced_id + " " +
                     gradebook->period.sourced_id + " as of " + FormatInstant(gradebook->as_of);
  const std::string name =
      "gradebook-" + gradebook->section_sourced_id + "-" + gradebook->period.sourced_id;
  if (format == "csv") {
    std::ostringstream csv;
    WriteGradebookCsv(csv, *gradebook);
    return Download(csv.str(), "text/csv; charset=utf-8", name, "csv");
  }
  auto zip = ZipFiles(OneRosterGradebookFiles(*gradebook), gradebook->as_of);
  if (!zip.ok()) return ErrorResponse(zip.status());
  return Download(std::move(*zip), "application/zip", name, "zip");
}

HttpResponse ReportHandlers::GetGradebookSettings(RequestContext&) {
  auto settings = LoadGradebookSettings(services_.Service().store());
  if (!settings.ok()) return ErrorResponse(settings.status());
  return JsonTextResponse(200, GradebookSettingsToJson(*settings));
}

// Checked against the catalog in force (levels of the grade map), then
// written by the single writer; an invalid setting changes nothing.
HttpResponse ReportHandlers::PutGradebookSettings(RequestContext& ctx) {
  const std::string text = ctx.body.dump();
  auto catalog = services_.model().WithSnapshot([](const ReadSnapshot& s) { return s.catalog; });
  auto checked = ParseGradebookSettings(text, catalog.get());
  if (!checked.ok()) return ErrorResponse(checked.status());
  ctx.audit_detail = "gradebook settings: " + text;
  return services_.Write([text, catalog](CairnService& service) {
    auto saved = SaveGradebookSettings(service.store(), text, catalog.get());
    if (!saved.ok()) return ErrorResponse(saved.status());
    return JsonTextResponse(200, GradebookSettingsToJson(*saved));
  });
}

namespace {

// The sections a pace request covers: the path's section, the sections of
// its school, or those of its district's schools. The pipeline has decided
// access on that record; students are filtered by CanReadStudent as well.
Result<std::vector<const Section*>> PaceSections(const Roster& roster,
                                                 const std::map<std::string, std::string>& params,
                                                 nlohmann::json& scope) {
  std::vector<const Section*> sections;
  if (auto it = params.find("section"); it != params.end()) {
    const Section* section = FindSection(roster, it->second);
    if (!section) return Status::AtField(StatusCode::kNotFound, "section", "no such section");
    scope = {{"kind", "section"}, {"id", section->sourced_id}, {"name", section->title}};
    sections.push_back(section);
    return sections;
  }
  if (auto it = params.find("school"); it != params.end()) {
    const School* school = nullptr;
    for (const School& s : roster.schools) {
      if (s.sourced_id == it->second) school = &s;
    }
    if (!school) return Status::AtField(StatusCode::kNotFound, "school", "no such school");
    scope = {{"kind", "school"}, {"id", school->sourced_id}, {"name", school->name}};
    for (const Section& s : roster.sections) {
      if (s.school_id == school->id) sections.push_back(&s);
    }
    return sections;
  }
  const auto it = params.find("district");
  const District* district = nullptr;
  for (const District& d : roster.districts) {
    if (it != params.end() && d.sourced_id == it->second) district = &d;
  }
  if (!district) return Status::AtField(StatusCode::kNotFound, "district", "no such district");
  scope = {{"kind", "district"}, {"id", district->sourced_id}, {"name", district->name}};
  for (const Section& s : roster.sections) {
    const School* school = roster.FindSchool(s.school_id);
    if (school && school->district_id == district->id) sections.push_back(&s);
  }
  return sections;
}

}  // namespace

// Lists of who needs help (or more challenge), never a ranking by score:
// the only orders are weeks stalled and last evidence.
constexpr std::int64_t kPacePageDefault = 100;
constexpr std::int64_t kPacePageMax = 1000;

HttpResponse ReportHandlers::Pace(RequestContext& ctx) {
  auto query = ctx.request.Query();
  auto filter = ParsePaceFilter(query.count("flag") ? query["flag"] : "any");
  if (!filter.ok()) return ErrorResponse(filter.status());
  auto sort = ParsePaceSort(query.count("sort") ? query["sort"] : "weeks_stalled");
  if (!sort.ok()) return ErrorResponse(sort.status());
  auto settings = LoadPaceSettings(services_.Service().store());
  if (!settings.ok()) return ErrorResponse(settings.status());
  auto weeks =
      QueryNumber(query, "weeks", settings->not_progressing_weeks, 1, kMaxNotProgressingWeeks);
  if (!weeks.ok()) return ErrorResponse(weeks.status());
  // A district's list is paged: a state-sized one would be hundreds of MB.
  auto limit = QueryNumber(query, "limit", kPacePageDefault, 1, kPacePageMax);
  if (!limit.ok()) return ErrorResponse(limit.status());
  auto offset = QueryNumber(query, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  if (!offset.ok()) return ErrorResponse(offset.status());
  PaceOptions options{DayOf(services_.Now()), static_cast<int>(*weeks), *settings};
  json scope;
  PaceReport report;
  Status built = services_.model().Read([&](const ReadState& state) -> Status {
    if (!state.catalog) return Status::NotFound("no catalog loaded");
    CAIRN_ASSIGN_OR_RETURN(auto sections, PaceSections(*state.roster, ctx.params, scope));
    report = BuildPaceReport(
        *state.catalog, *state.roster, state.index->engine(), state.index->awards(), sections,
        [&](const Person& p) { return CanReadStudent(*state.roster, *ctx.who, p); }, options);
    return Status::Ok();
  });
  if (!built.ok()) return ErrorResponse(built);
  FilterAndSortPaceRows(report.rows, *filter, *sort);
  const std::size_t total = report.rows.size();
  const auto first = std::min(total, static_cast<std::size_t>(*offset));
  const auto last = std::min(total, first + static_cast<std::size_t>(*limit));
  report.rows.erase(report.rows.begin() + static_cast<std::ptrdiff_t>(last), report.rows.end());
  report.rows.erase(report.rows.begin(), report.rows.begin() + static_cast<std::ptrdiff_t>(first));
  // Only the students on this page were disclosed.
  for (const PaceRow& row : report.rows) NoteReturned(ctx, *ctx.roster, row.student_id);
  json out = PaceReportJson(report);
  out["total"] = total;
  out["offset"] = first;
  out["limit"] = *limit;
  out["scope"] = std::move(scope);
  out["flag"] = query.count("flag") ? query["flag"] : "any";
  out["sort"] = query.count("sort") ? query["sort"] : "weeks_stalled";
  return JsonResponse(200, out);
}

HttpResponse ReportHandlers::GetPaceSettings(RequestContext&) {
  auto settings = LoadPaceSettings(services_.Service().store());
  if (!settings.ok()) return ErrorResponse(settings.status());
  return JsonTextResponse(200, PaceSettingsToJson(*settings));
}

HttpResponse ReportHandlers::PutPaceSettings(RequestContext& ctx) {
  const std::string text = ctx.body.dump();
  auto checked = ParsePaceSettings(text);
  if (!checked.ok()) return ErrorResponse(checked.status());
  // A plan for a course the roster does not have is a typo, not a plan.
  for (const auto& [course, weeks] : checked->course_weeks_per_badge) {
    const bool known = std::any_of(ctx.roster->courses.begin(), ctx.roster->courses.end(),
                                   [&](const Course& c) { return c.sourced_id == course; });
    if (!known) {
      return ErrorResponse(Status::InvalidField("pace.course_weeks_per_badge." + course,
                                                "no such course in the roster"));
    }
  }
  ctx.audit_detail = "pace settings: " + text;
  return services_.Write([text](CairnService& service) {
    auto saved = SavePaceSettings(service.store(), text);
    if (!saved.ok()) return ErrorResponse(saved.status());
    return JsonTextResponse(200, PaceSettingsToJson(*saved));
  });
}

std::vector<GroupRoute<ReportHandlers>> ReportHandlers::Routes() {
  using G = ReportHandlers;
  return {
      {{"GET", "/api/v1/reports/tracking-sheet", AccessRule::kStaff, true, Work::kSlow},
       &G::TrackingSheet},
      {{"GET", "/api/v1/reports/completion", AccessRule::kLeader, false, Work::kSlow},
       &G::Completion},
      {{"GET", "/api/v1/reports/equity", AccessRule::kLeader, false, Work::kSlow}, &G::Equity},
      {{"GET", "/api/v1/reports/badges/{badge}/students", AccessRule::kStaff, true, Work::kSlow},
       &G::BadgeStudents},
      {{"GET", "/api/v1/sections/{section}/tracking.xlsx", AccessRule::kSectionRead, true,
        Work::kSlow},
       &G::SectionTrackingXlsx},
      {{"GET", "/api/v1/sections/{section}/gradebook", AccessRule::kSectionRead, true, Work::kSlow},
       &G::SectionGradebook},
      {{"GET", "/api/v1/settings/gradebook", AccessRule::kAdmin, false}, &G::GetGradebookSettings},
      {{"PUT", "/api/v1/settings/gradebook", AccessRule::kAdmin, true}, &G::PutGradebookSettings},
      {{"GET", "/api/v1/sections/{section}/pace", AccessRule::kSectionRead, true, Work::kSlow},
       &G::Pace},
      {{"GET", "/api/v1/schools/{school}/pace", AccessRule::kSchoolLeader, true, Work::kSlow},
       &G::Pace},
      {{"GET", "/api/v1/districts/{district}/pace", AccessRule::kDistrictLeader, true, Work::kSlow},
       &G::Pace},
      {{"GET", "/api/v1/settings/pace", AccessRule::kAdmin, false}, &G::GetPaceSettings},
      {{"PUT", "/api/v1/settings/pace", AccessRule::kAdmin, true}, &G::PutPaceSettings},
  };
}

}  // namespace cairn
