#include "server/handlers/tracker_handlers.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "evidence/files/file_name.h"
#include "reports/completion_report.h"
#include "server/responses.h"
#include "service/cairn_service.h"
#include "service/crypto.h"
#include "toolkit/instrument.h"
#include "toolkit/observation.h"
#include "toolkit/round_results.h"
#include "toolkit/tracker.h"
#include "toolkit/tracker_export.h"

namespace cairn {

using nlohmann::json;

namespace {

constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr const char* kProtocolTracker = "observation-protocol-3-2";

const District* DistrictByRef(const Roster& roster, const std::string& ref) {
  for (const District& d : roster.districts) {
    if (d.sourced_id == ref) return &d;
  }
  return nullptr;
}

bool IsAdmin(const Principal& who) { return who.person.role == PersonRole::kAdmin; }

HttpResponse NoDistrict() {
  return ErrorResponse(404, "not_found", "district: no such district", "district");
}
HttpResponse NoTracker() {
  return ErrorResponse(404, "not_found", "tracker: no such tracker", "tracker");
}
HttpResponse NoRow() { return ErrorResponse(404, "not_found", "row: no such row", "row"); }
HttpResponse NoObservation() {
  return ErrorResponse(404, "not_found", "observation: no such observation", "observation");
}
HttpResponse Forbidden(const std::string& what) {
  return ErrorResponse(403, "permission_denied", what);
}

// Reads trackers: the district's district and school leaders, admins.
bool ReadsPlan(const Principal& who, const District& district) {
  return CanLeadDistrict(who, district) ||
         (who.person.role == PersonRole::kSchoolLeader && who.person.district_id == district.id);
}

std::string NameOf(const Roster& roster, Id id) {
  const Person* p = roster.FindPerson(id);
  return p ? p->DisplayName() : "";
}

json DefinitionJson(const TrackerDefinition& t) {
  json columns = json::array();
  for (const TrackerColumn& c : t.columns) {
    json col{{"id", c.id},
             {"label", c.label},
             {"kind", ColumnKindName(c.kind)},
             {"required", c.required}};
    if (!c.choices.empty()) col["choices"] = c.choices;
    if (c.kind == TrackerColumnKind::kReport) {
      json links = json::array();
      for (const TrackerReportLink& l : TrackerReportLinks()) {
        links.push_back({{"id", l.id}, {"label", l.label}});
      }
      col["reports"] = links;
    }
    columns.push_back(std::move(col));
  }
  json guiding = json::array();
  for (const GuidingQuestions& g : t.guiding_questions) {
    guiding.push_back({{"heading", g.heading}, {"questions", g.questions}});
  }
  return {{"id", t.id},
          {"title", t.title},
          {"template", t.template_name},
          {"action", t.action},
          {"step", t.step},
          {"step_title", GuideStepTitle(t.step)},
          {"description", t.description},
          {"columns", columns},
          {"questions_intro", t.questions_intro},
          {"questions", t.questions},
          {"guiding_questions", guiding},
          {"examples", t.examples},
          {"statuses", {"not started", "in progress", "done", "dropped"}}};
}

// The title a row goes by: its first required column's value.
std::string RowTitle(const TrackerDefinition& t, const TrackerRow& row) {
  for (const TrackerColumn& c : t.columns) {
    if (!c.required) continue;
    if (auto it = row.values.find(c.id); it != row.values.end()) return it->second;
  }
  return "";
}

json RowJson(const TrackerDefinition& t, const TrackerRowState& state, const Roster& roster,
             Day today) {
  json out = TrackerRowJson(t, state.current);
  out["id"] = state.id;
  out["title"] = RowTitle(t, state.current);
  out["overdue"] = IsOverdue(state.current, today);
  out["revisions"] = state.history.size();
  if (!state.history.empty()) {
    out["created_at"] = FormatInstant(state.history.front().recorded_at);
    out["updated_at"] = FormatInstant(state.history.back().recorded_at);
    out["updated_by"] = NameOf(roster, state.history.back().recorded_by);
  }
  return out;
}

// The current value of the Cairn reports that evaluation goals link to,
// computed once per request from what the caller may read.
class ReportValues {
 public:
  ReportValues(ApiServices& services, const Principal& who) : services_(services), who_(who) {}

  // {"label", "group", "value", "completion_rate", "students"} or null.
  json For(const TrackerRow& row) {
    if (row.report.empty()) return nullptr;
    const TrackerReportLink* link = FindTrackerReportLink(row.report);
    if (!link) return nullptr;
    if (!report_) Build();
    json out{{"report", link->id}, {"label", link->label}};
    if (!report_) {
      out["value"] = "no catalog loaded";
      return out;
    }
    auto by = ParseCompletionDimension(link->by);
    if (!by.ok()) return nullptr;
    if (row.report_group.empty()) {
      int students = 0, enrolments = 0, completed = 0;
      for (const CompletionGroup& g : report_->groups(*by)) {
        if (g.suppressed()) continue;
        students += g.students;
        enrolments += g.badge_enrolments;
        completed += g.completed;
      }
      out["group"] = nullptr;
      out["completed"] = completed;
      out["badge_enrolments"] = enrolments;
      out["value"] = enrolments > 0 ? Percent(static_cast<double>(completed) / enrolments) +
                                          " of badge enrolments completed (groups shown)"
                                    : "no badge enrolments yet";
      return out;
    }
    out["group"] = row.report_group;
    for (const CompletionGroup& g : report_->groups(*by)) {
      if (g.key != row.report_group) continue;
      if (g.suppressed()) {
        out["value"] = "hidden (a small group)";
      } else {
        out["completion_rate"] = g.completion_rate;
        out["students"] = g.students;
        out["value"] = Percent(g.completion_rate) + " of " + std::to_string(g.badge_enrolments) +
                       " badge enrolments completed (" + std::to_string(g.students) + " students)";
      }
      return out;
    }
    out["value"] = "no such " + link->by + " in the report";
    return out;
  }

 private:
  static std::string Percent(double rate) {
    return std::to_string(static_cast<int>(rate * 100 + 0.5)) + "%";
  }
  void Build() {
    report_ =
        services_.model().Read([&](const ReadState& state) -> std::optional<CompletionReport> {
          if (!state.catalog) return std::nullopt;
          auto rows = BuildTrackingSheet(
              *state.catalog, *state.roster, state.index->engine(), state.index->awards(),
              [&](const Person& p) { return CanReadStudent(*state.roster, who_, p); });
          return BuildCompletionReport(rows, kCompletionMinimumGroupSize);
        });
  }

  ApiServices& services_;
  const Principal& who_;
  std::optional<CompletionReport> report_;
};

struct LoadedTracker {
  const District* district = nullptr;
  const TrackerDefinition* tracker = nullptr;
  std::vector<TrackerRowState> rows;
};

// The district and tracker the path names, their rows folded; or the
// refusal / 404 to answer.
std::variant<LoadedTracker, HttpResponse> LoadTracker(RequestContext& ctx, Store& store) {
  LoadedTracker out;
  out.district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!out.district) return NoDistrict();
  if (!ReadsPlan(*ctx.who, *out.district)) {
    return Forbidden("only this district's leaders see its implementation plan");
  }
  out.tracker = FindBundledTracker(ctx.params["tracker"]);
  if (!out.tracker) return NoTracker();
  auto entries = store.Journal(out.district->id, TrackerStream(out.tracker->id), std::nullopt);
  if (!entries.ok()) return ErrorResponse(entries.status());
  out.rows = FoldTrackerRows(*out.tracker, *entries);
  return out;
}

bool ValidRowId(const std::string& id) {
  return id.size() > 4 && id.size() <= 64 && id.rfind("row-", 0) == 0;
}

// --- observations ------------------------------------------------------------

// The leaders the district named to read observations (stream
// "observation-readers", key "readers", body {"readers": [person ids]});
// nullopt until it names any, when every district leader reads them.
constexpr const char* kObservationReadersStream = "observation-readers";

Result<std::optional<std::set<Id>>> ObservationReaders(Store& store, Id district) {
  CAIRN_ASSIGN_OR_RETURN(auto entries,
                         store.Journal(district, kObservationReadersStream, "readers"));
  if (entries.empty()) return std::optional<std::set<Id>>();
  const json body = json::parse(entries.back().body, nullptr, false);
  std::set<Id> readers;
  if (body.is_object() && body["readers"].is_array()) {
    for (const json& id : body["readers"]) {
      if (id.is_number_integer()) readers.insert(id.get<Id>());
    }
  }
  return std::optional<std::set<Id>>(std::move(readers));
}

bool SeesObservation(const Principal& who, Id district, const Observation& o,
                     const std::optional<std::set<Id>>& readers) {
  if (IsAdmin(who)) return true;
  if (who.person.district_id != district) return false;
  if (who.person.id == o.observer || who.person.id == o.teacher) return true;
  return who.person.role == PersonRole::kDistrictLeader &&
         (!readers || readers->count(who.person.id));
}

json PersonRef(const Roster& roster, Id id) {
  const Person* p = roster.FindPerson(id);
  if (!p) return nullptr;
  return {{"id", p->sourced_id}, {"name", p->DisplayName()}};
}

json ObservationJson(const std::string& id, const Observation& o, const Roster& roster,
                     const std::map<std::string, std::string>& protocol_names, bool full) {
  json out{{"id", id},
           {"observer", PersonRef(roster, o.observer)},
           {"teacher", PersonRef(roster, o.teacher)},
           {"date", FormatDate(o.date)},
           {"protocol", o.protocol.empty() ? json(nullptr) : json(o.protocol)},
           {"look_fors_recorded", o.look_fors.size()}};
  auto name = protocol_names.find(o.protocol);
  out["protocol_name"] = name == protocol_names.end() ? json(nullptr) : json(name->second);
  if (full) {
    json looks = json::array();
    for (const LookForNote& n : o.look_fors) {
      looks.push_back(
          {{"look_for", n.look_for}, {"seen", LookForSeenName(n.seen)}, {"note", n.note}});
    }
    out["look_fors"] = looks;
    out["notes"] = o.notes;
  }
  return out;
}

// The district's observation protocols (Template 3.2 rows, not dropped):
// row id -> (name, look-fors).
struct Protocol {
  std::string name;
  std::vector<std::string> look_fors;
};
Result<std::map<std::string, Protocol>> Protocols(Store& store, Id district) {
  const TrackerDefinition* t = FindBundledTracker(kProtocolTracker);
  std::map<std::string, Protocol> out;
  if (!t) return out;
  CAIRN_ASSIGN_OR_RETURN(auto entries, store.Journal(district, TrackerStream(t->id), std::nullopt));
  for (const TrackerRowState& r : FoldTrackerRows(*t, entries)) {
    if (r.current.status == RowStatus::kDropped) continue;
    Protocol p;
    p.name = RowTitle(*t, r.current);
    if (auto it = r.current.lists.find("look_fors"); it != r.current.lists.end()) {
      p.look_fors = it->second;
    }
    out.emplace(r.id, std::move(p));
  }
  return out;
}

std::map<std::string, std::string> ProtocolNames(const std::map<std::string, Protocol>& p) {
  std::map<std::string, std::string> out;
  for (const auto& [id, protocol] : p) out[id] = protocol.name;
  return out;
}

// --- rounds, for the dashboard ---------------------------------------------

// The latest round of each answerable instrument whose results may be shown
// (named, or closed, or past due: the rule of toolkit_handlers.h), with its
// per-domain aggregate.
Result<json> LatestRoundResults(Store& store, Id district, Instant now) {
  CAIRN_ASSIGN_OR_RETURN(auto rounds, store.JournalLatest(district, "round"));
  struct Candidate {
    std::string id;
    json body;
    Instant opened_at = 0;
  };
  std::map<std::string, Candidate> latest;  // by instrument
  for (const JournalEntry& e : rounds) {
    json body = json::parse(e.body, nullptr, false);
    if (!body.is_object()) continue;
    const std::string instrument = body.value("instrument", "");
    const bool anonymous = body.value("anonymous", true);
    const bool closed = body.value("status", "open") == "closed";
    const bool past_due = DayOf(now) > body.value("due", Day{0});
    if (anonymous && !closed && !past_due) continue;
    const Instant opened = body.value("opened_at", Instant{0});
    auto it = latest.find(instrument);
    if (it == latest.end() ||
        std::tie(opened, e.key) > std::tie(it->second.opened_at, it->second.id)) {
      latest[instrument] = {e.key, body, opened};
    }
  }
  json out = json::array();
  for (const auto& [instrument_id, round] : latest) {
    const Instrument* instrument = FindBundledInstrument(instrument_id);
    if (!instrument) continue;
    CAIRN_ASSIGN_OR_RETURN(auto responses,
                           store.JournalLatest(district, "round-response:" + round.id));
    std::vector<RespondentAnswers> answers;
    for (const JournalEntry& r : responses) {
      json body = json::parse(r.body, nullptr, false);
      RespondentAnswers a;
      if (body.is_object() && body.contains("answers") && body["answers"].is_object()) {
        for (const auto& [item, value] : body["answers"].items()) {
          if (value.is_number_integer()) a.values[item] = value.get<int>();
        }
      }
      answers.push_back(std::move(a));
    }
    const bool anonymous = round.body.value("anonymous", true);
    const RoundResults results = ComputeRoundResults(*instrument, answers, anonymous);
    json domains = json::array();
    for (const DomainResult& d : results.domains) {
      domains.push_back({{"section", d.section_id},
                         {"title", d.title},
                         {"median", d.median ? json(*d.median) : json(nullptr)},
                         {"mean", d.mean ? json(*d.mean) : json(nullptr)},
                         {"scale_min", d.scale_min ? json(*d.scale_min) : json(nullptr)},
                         {"scale_max", d.scale_max ? json(*d.scale_max) : json(nullptr)},
                         {"respondents", d.respondents}});
    }
    out.push_back({{"instrument", instrument_id},
                   {"title", instrument->title},
                   {"round", round.id},
                   {"label", round.body.value("label", "")},
                   {"due", FormatDate(round.body.value("due", Day{0}))},
                   {"status", round.body.value("status", "open")},
                   {"respondents", results.respondents},
                   {"domains", domains}});
  }
  return out;
}

}  // namespace

std::vector<GroupRoute<TrackerHandlers>> TrackerHandlers::Routes() {
  using G = TrackerHandlers;
  using R = AccessRule;
  return {
      {{"GET", "/api/v1/districts/{district}/trackers", R::kDistrictLeaders, false},
       &G::ListTrackers},
      {{"GET", "/api/v1/districts/{district}/trackers/{tracker}/rows", R::kDistrictLeaders, false},
       &G::ListRows},
      {{"POST", "/api/v1/districts/{district}/trackers/{tracker}/rows", R::kDistrictLeader, false},
       &G::AddRow},
      {{"GET", "/api/v1/districts/{district}/trackers/{tracker}/rows/{row}", R::kDistrictLeaders,
        false},
       &G::GetRow},
      {{"PUT", "/api/v1/districts/{district}/trackers/{tracker}/rows/{row}", R::kDistrictLeader,
        false},
       &G::ReviseRow},
      {{"GET", "/api/v1/districts/{district}/trackers/{tracker}/export.xlsx", R::kDistrictLeaders,
        false, Work::kSlow},
       &G::ExportXlsx},
      {{"GET", "/api/v1/districts/{district}/trackers/{tracker}/export.pdf", R::kDistrictLeaders,
        false, Work::kSlow},
       &G::ExportPdf},
      {{"GET", "/api/v1/districts/{district}/observations", R::kDistrictStaff, true},
       &G::ListObservations},
      {{"POST", "/api/v1/districts/{district}/observations", R::kDistrictLeaders, true},
       &G::AddObservation},
      {{"GET", "/api/v1/observations/{observation}", R::kStaff, true}, &G::GetObservation},
      {{"GET", "/api/v1/districts/{district}/observation-readers", R::kDistrictLeader, false},
       &G::GetObservationReaders},
      {{"PUT", "/api/v1/districts/{district}/observation-readers", R::kAdmin, true},
       &G::PutObservationReaders},
      {{"GET", "/api/v1/districts/{district}/implementation", R::kDistrictLeaders, false},
       &G::Implementation},
  };
}

HttpResponse TrackerHandlers::ListTrackers(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return NoDistrict();
  if (!ReadsPlan(*ctx.who, *district)) {
    return Forbidden("only this district's leaders see its implementation plan");
  }
  Store& store = services_.Service().store();
  const Day today = DayOf(services_.Now());
  json out = json::array();
  for (const TrackerDefinition& t : BundledTrackers()) {
    auto entries = store.JournalLatest(district->id, TrackerStream(t.id));
    if (!entries.ok()) return ErrorResponse(entries.status());
    int rows = 0, overdue = 0, done = 0, open = 0;
    for (const TrackerRowState& r : FoldTrackerRows(t, *entries)) {
      ++rows;
      if (IsOverdue(r.current, today)) ++overdue;
      if (r.current.status == RowStatus::kDone) ++done;
      if (r.current.status == RowStatus::kInProgress || r.current.status == RowStatus::kNotStarted)
        ++open;
    }
    out.push_back({{"id", t.id},
                   {"title", t.title},
                   {"template", t.template_name},
                   {"action", t.action},
                   {"step", t.step},
                   {"rows", rows},
                   {"open", open},
                   {"done", done},
                   {"overdue", overdue}});
  }
  return JsonResponse(200, {{"trackers", out}, {"can_edit", CanLeadDistrict(*ctx.who, *district)}});
}

HttpResponse TrackerHandlers::ListRows(RequestContext& ctx) {
  auto loaded = LoadTracker(ctx, services_.Service().store());
  if (auto* refused = std::get_if<HttpResponse>(&loaded)) return std::move(*refused);
  const LoadedTracker& l = std::get<LoadedTracker>(loaded);
  const Day today = DayOf(services_.Now());
  ReportValues reports(services_, *ctx.who);
  json rows = json::array();
  for (const TrackerRowState& r : l.rows) {
    json row = RowJson(*l.tracker, r, *ctx.roster, today);
    if (!r.current.report.empty()) row["report_value"] = reports.For(r.current);
    rows.push_back(std::move(row));
  }
  return JsonResponse(200, {{"tracker", DefinitionJson(*l.tracker)},
                            {"rows", rows},
                            {"today", FormatDate(today)},
                            {"can_edit", CanLeadDistrict(*ctx.who, *l.district)}});
}

HttpResponse TrackerHandlers::GetRow(RequestContext& ctx) {
  auto loaded = LoadTracker(ctx, services_.Service().store());
  if (auto* refused = std::get_if<HttpResponse>(&loaded)) return std::move(*refused);
  const LoadedTracker& l = std::get<LoadedTracker>(loaded);
  const std::string& id = ctx.params["row"];
  auto it = std::find_if(l.rows.begin(), l.rows.end(),
                         [&](const TrackerRowState& r) { return r.id == id; });
  if (it == l.rows.end()) return NoRow();
  const Day today = DayOf(services_.Now());
  json out = RowJson(*l.tracker, *it, *ctx.roster, today);
  if (!it->current.report.empty()) {
    ReportValues reports(services_, *ctx.who);
    out["report_value"] = reports.For(it->current);
  }
  json history = json::array();
  for (std::size_t i = 0; i < it->history.size(); ++i) {
    const RowRevision& rev = it->history[i];
    json h = TrackerRowJson(*l.tracker, rev.row);
    h["revision"] = i + 1;
    h["recorded_at"] = FormatInstant(rev.recorded_at);
    h["recorded_by"] = NameOf(*ctx.roster, rev.recorded_by);
    history.push_back(std::move(h));
  }
  out["history"] = history;
  out["tracker"] = {{"id", l.tracker->id}, {"title", l.tracker->title}};
  return JsonResponse(200, out);
}

HttpResponse TrackerHandlers::AddRow(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return NoDistrict();
  if (!CanLeadDistrict(*ctx.who, *district)) {
    return Forbidden("only this district's leaders edit its implementation plan");
  }
  const TrackerDefinition* tracker = FindBundledTracker(ctx.params["tracker"]);
  if (!tracker) return NoTracker();
  auto row = ParseTrackerRow(*tracker, ctx.body);
  if (!row.ok()) return ErrorResponse(row.status());
  JournalEntry entry;
  entry.district_id = district->id;
  entry.stream = TrackerStream(tracker->id);
  entry.key = "row-" + RandomToken(9);
  entry.body = TrackerRowJson(*tracker, *row).dump();
  entry.recorded_by = ctx.who->person.id;
  entry.recorded_at = services_.Now();
  return services_.Write([entry, tracker,
                          roster = ctx.roster](CairnService& service) mutable -> HttpResponse {
    auto ids = service.store().AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    entry.id = ids->front();
    auto rows = FoldTrackerRows(*tracker, {entry});
    return JsonResponse(201, RowJson(*tracker, rows.front(), *roster, DayOf(entry.recorded_at)));
  });
}

HttpResponse TrackerHandlers::ReviseRow(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return NoDistrict();
  if (!CanLeadDistrict(*ctx.who, *district)) {
    return Forbidden("only this district's leaders edit its implementation plan");
  }
  const TrackerDefinition* tracker = FindBundledTracker(ctx.params["tracker"]);
  if (!tracker) return NoTracker();
  const std::string id = ctx.params["row"];
  if (!ValidRowId(id)) return NoRow();
  auto row = ParseTrackerRow(*tracker, ctx.body);
  if (!row.ok()) return ErrorResponse(row.status());
  JournalEntry entry;
  entry.district_id = district->id;
  entry.stream = TrackerStream(tracker->id);
  entry.key = id;
  entry.body = TrackerRowJson(*tracker, *row).dump();
  entry.recorded_by = ctx.who->person.id;
  entry.recorded_at = services_.Now();
  return services_.Write([entry, tracker,
                          roster = ctx.roster](CairnService& service) mutable -> HttpResponse {
    Store& writer = service.store();
    // Checked in the writer: only an existing row gets a revision.
    auto earlier = writer.Journal(entry.district_id, entry.stream, entry.key);
    if (!earlier.ok()) return ErrorResponse(earlier.status());
    if (earlier->empty()) return NoRow();
    auto ids = writer.AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    entry.id = ids->front();
    earlier->push_back(entry);
    auto rows = FoldTrackerRows(*tracker, *earlier);
    return JsonResponse(200, RowJson(*tracker, rows.front(), *roster, DayOf(entry.recorded_at)));
  });
}

namespace {

TrackerExport ExportOf(const LoadedTracker& l, RequestContext& ctx, ApiServices& services) {
  TrackerExport data;
  data.tracker = l.tracker;
  data.district_name = l.district->name;
  data.rows = l.rows;
  data.today = DayOf(services.Now());
  ReportValues reports(services, *ctx.who);
  for (const TrackerRowState& r : l.rows) {
    if (r.current.report.empty()) continue;
    json v = reports.For(r.current);
    if (v.is_object() && v.contains("value"))
      data.report_values[r.id] = v["value"].get<std::string>();
  }
  return data;
}

HttpResponse Download(std::string body, const char* type, const std::string& name,
                      const char* extension) {
  HttpResponse response;
  response.content_type = type;
  response.headers.push_back(
      {"Content-Disposition", ContentDispositionValue(SanitizeFileName(name, extension))});
  response.body = std::move(body);
  return response;
}

}  // namespace

HttpResponse TrackerHandlers::ExportXlsx(RequestContext& ctx) {
  auto loaded = LoadTracker(ctx, services_.Service().store());
  if (auto* refused = std::get_if<HttpResponse>(&loaded)) return std::move(*refused);
  const LoadedTracker& l = std::get<LoadedTracker>(loaded);
  auto bytes = TrackerXlsx(ExportOf(l, ctx, services_));
  if (!bytes.ok()) return ErrorResponse(bytes.status());
  return Download(std::move(*bytes), kXlsxType, l.tracker->id, "xlsx");
}

HttpResponse TrackerHandlers::ExportPdf(RequestContext& ctx) {
  auto loaded = LoadTracker(ctx, services_.Service().store());
  if (auto* refused = std::get_if<HttpResponse>(&loaded)) return std::move(*refused);
  const LoadedTracker& l = std::get<LoadedTracker>(loaded);
  auto bytes = TrackerPdf(ExportOf(l, ctx, services_));
  if (!bytes.ok()) return ErrorResponse(bytes.status());
  return Download(std::move(*bytes), "application/pdf", l.tracker->id, "pdf");
}

HttpResponse TrackerHandlers::ListObservations(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return NoDistrict();
  if (!IsAdmin(*ctx.who) && ctx.who->person.district_id != district->id) {
    return Forbidden("observations are seen only within their district");
  }
  Store& store = services_.Service().store();
  auto entries = store.JournalLatest(district->id, kObservationStream);
  if (!entries.ok()) return ErrorResponse(entries.status());
  auto protocols = Protocols(store, district->id);
  if (!protocols.ok()) return ErrorResponse(protocols.status());
  const auto names = ProtocolNames(*protocols);
  auto readers = ObservationReaders(store, district->id);
  if (!readers.ok()) return ErrorResponse(readers.status());
  std::vector<std::pair<Observation, std::string>> visible;
  for (const JournalEntry& e : *entries) {
    auto o = ObservationFromStored(json::parse(e.body, nullptr, false));
    if (!o.ok() || !SeesObservation(*ctx.who, district->id, *o, *readers)) continue;
    visible.emplace_back(std::move(*o), e.key);
  }
  std::sort(visible.begin(), visible.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.date, a.second) > std::tie(b.first.date, b.second);
  });
  json out = json::array();
  std::string listed;
  for (const auto& [o, id] : visible) {
    out.push_back(ObservationJson(id, o, *ctx.roster, names, false));
    listed += (listed.empty() ? "" : " ") + id;
  }
  ctx.audit_detail = "observations listed: " + (listed.empty() ? std::string("none") : listed);
  json protocol_list = json::array();
  for (const auto& [id, p] : *protocols) {
    protocol_list.push_back({{"id", id}, {"name", p.name}, {"look_fors", p.look_fors}});
  }
  json teachers = json::array();
  const bool records = ReadsPlan(*ctx.who, *district);
  if (records) {
    for (const Person& p : ctx.roster->people) {
      if (!p.active || p.role != PersonRole::kTeacher || p.district_id != district->id) continue;
      if (ctx.who->person.role == PersonRole::kSchoolLeader &&
          p.school_id != ctx.who->person.school_id) {
        continue;
      }
      teachers.push_back({{"id", p.sourced_id}, {"name", p.DisplayName()}});
    }
  }
  return JsonResponse(200, {{"observations", out},
                            {"can_record", records},
                            {"protocols", protocol_list},
                            {"teachers", teachers}});
}

HttpResponse TrackerHandlers::AddObservation(RequestContext& ctx) {
  const Roster& roster = *ctx.roster;
  const District* district = DistrictByRef(roster, ctx.params["district"]);
  if (!district) return NoDistrict();
  if (!ReadsPlan(*ctx.who, *district)) {
    return Forbidden("only this district's leaders record observations");
  }
  const json& body = ctx.body;
  if (!body.is_object()) {
    return ErrorResponse(Status::InvalidField("body", "a JSON object with teacher, date, notes"));
  }
  Store& store = services_.Service().store();
  std::vector<FieldError> errors;
  const Person* teacher = nullptr;
  if (!body.contains("teacher") || !body["teacher"].is_string()) {
    errors.push_back({"teacher", "required, the id of a teacher of this district"});
  } else {
    teacher = roster.FindPersonBySourcedId(body["teacher"].get<std::string>());
    if (!teacher || !teacher->active || teacher->role != PersonRole::kTeacher ||
        teacher->district_id != district->id) {
      errors.push_back({"teacher", "a teacher of this district"});
      teacher = nullptr;
    } else if (ctx.who->person.role == PersonRole::kSchoolLeader &&
               teacher->school_id != ctx.who->person.school_id) {
      return ErrorResponse(Status::AtField(StatusCode::kPermissionDenied, "teacher",
                                           "a school leader observes their own school's teachers"));
    }
  }
  std::string protocol_id;
  std::vector<std::string> allowed;
  if (body.contains("protocol") && !body["protocol"].is_null()) {
    auto protocols = Protocols(store, district->id);
    if (!protocols.ok()) return ErrorResponse(protocols.status());
    auto it = body["protocol"].is_string() ? protocols->find(body["protocol"].get<std::string>())
                                           : protocols->end();
    if (it == protocols->end()) {
      errors.push_back({"protocol", "a protocol row of this district's Template 3.2 tracker"});
    } else {
      protocol_id = it->first;
      allowed = it->second.look_fors;
    }
  }
  auto parsed = ParseObservationBody(body, allowed, DayOf(services_.Now()));
  if (!parsed.ok()) {
    for (const FieldError& f : parsed.status().fields()) errors.push_back(f);
  }
  for (const auto& [k, v] : body.items()) {
    static const std::set<std::string> known{"teacher", "protocol", "date", "look_fors", "notes"};
    if (!known.count(k)) errors.push_back({k, "not a field of an observation"});
  }
  if (!errors.empty()) return ErrorResponse(Status::InvalidFields(std::move(errors)));
  Observation o = std::move(*parsed);
  o.observer = ctx.who->person.id;
  o.teacher = teacher->id;
  o.protocol = protocol_id;
  JournalEntry entry;
  entry.district_id = district->id;
  entry.stream = kObservationStream;
  entry.key = "obs-" + RandomToken(9);
  entry.body = ObservationToStored(o).dump();
  entry.recorded_by = o.observer;
  entry.recorded_at = services_.Now();
  ctx.audit_detail = "observation " + entry.key + " of " + teacher->sourced_id;
  return services_.Write([entry, o, roster = ctx.roster](CairnService& service) -> HttpResponse {
    auto ids = service.store().AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    return JsonResponse(201, ObservationJson(entry.key, o, *roster, {}, true));
  });
}

HttpResponse TrackerHandlers::GetObservation(RequestContext& ctx) {
  const std::string id = ctx.params["observation"];
  if (id.rfind("obs-", 0) != 0 || id.size() > 64) return NoObservation();
  Store& store = services_.Service().store();
  // Looked up in the caller's district (admins: every district), so an id
  // from elsewhere is simply not found.
  for (const District& district : ctx.roster->districts) {
    if (!IsAdmin(*ctx.who) && district.id != ctx.who->person.district_id) continue;
    auto entries = store.Journal(district.id, kObservationStream, id);
    if (!entries.ok()) return ErrorResponse(entries.status());
    if (entries->empty()) continue;
    auto o = ObservationFromStored(json::parse(entries->back().body, nullptr, false));
    if (!o.ok()) return ErrorResponse(o.status());
    const Person* teacher = ctx.roster->FindPerson(o->teacher);
    ctx.audit_detail =
        "observation " + id + " of " + (teacher ? teacher->sourced_id : std::to_string(o->teacher));
    auto readers = ObservationReaders(store, district.id);
    if (!readers.ok()) return ErrorResponse(readers.status());
    if (!SeesObservation(*ctx.who, district.id, *o, *readers)) {
      return Forbidden(
          "staff evaluation data: only the observer, the observed teacher and the leaders the "
          "district named see this observation");
    }
    auto protocols = Protocols(store, district.id);
    if (!protocols.ok()) return ErrorResponse(protocols.status());
    json out = ObservationJson(id, *o, *ctx.roster, ProtocolNames(*protocols), true);
    out["recorded_at"] = FormatInstant(entries->back().recorded_at);
    return JsonResponse(200, out);
  }
  return NoObservation();
}

namespace {

json ReadersJson(const std::optional<std::set<Id>>& readers, const Roster& roster) {
  json list = json::array();
  if (readers) {
    for (Id id : *readers) list.push_back(PersonRef(roster, id));
  }
  return {{"named", readers.has_value()}, {"readers", std::move(list)}};
}

}  // namespace

HttpResponse TrackerHandlers::GetObservationReaders(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return NoDistrict();
  auto readers = ObservationReaders(services_.Service().store(), district->id);
  if (!readers.ok()) return ErrorResponse(readers.status());
  return JsonResponse(200, ReadersJson(*readers, *ctx.roster));
}

// {"readers": ["<district leader's sourced id>", ...]}; an empty list leaves
// observations to their observer and teacher alone.
HttpResponse TrackerHandlers::PutObservationReaders(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return NoDistrict();
  std::vector<FieldError> errors;
  std::set<Id> readers;
  if (!ctx.body.is_object()) {
    errors.push_back({"", "expected a JSON object"});
  } else {
    for (const auto& [key, value] : ctx.body.items()) {
      if (key != "readers") errors.push_back({key, "not a field of this setting"});
    }
    const json list = ctx.body.value("readers", json());
    if (!list.is_array()) {
      errors.push_back({"readers", "expected an array of district leaders' ids"});
    } else {
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string field = "readers[" + std::to_string(i) + "]";
        const Person* p = list[i].is_string()
                              ? ctx.roster->FindPersonBySourcedId(list[i].get<std::string>())
                              : nullptr;
        if (!p || p->district_id != district->id || p->role != PersonRole::kDistrictLeader) {
          errors.push_back({field, "not a leader of this district"});
        } else {
          readers.insert(p->id);
        }
      }
    }
  }
  if (!errors.empty()) return ErrorResponse(Status::InvalidFields(std::move(errors)));
  JournalEntry entry;
  entry.district_id = district->id;
  entry.stream = kObservationReadersStream;
  entry.key = "readers";
  entry.body = json{{"readers", std::vector<Id>(readers.begin(), readers.end())}}.dump();
  entry.recorded_by = ctx.who->person.id;
  entry.recorded_at = services_.Now();
  ctx.audit_detail = "observation readers: " + std::to_string(readers.size());
  return services_.Write([entry, readers, roster = ctx.roster](CairnService& service) {
    auto ids = service.store().AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    return JsonResponse(200, ReadersJson(readers, *roster));
  });
}

HttpResponse TrackerHandlers::Implementation(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return NoDistrict();
  if (!ReadsPlan(*ctx.who, *district)) {
    return Forbidden("only this district's leaders see its implementation plan");
  }
  Store& store = services_.Service().store();
  const Instant now = services_.Now();
  const Day today = DayOf(now);
  std::vector<std::pair<const TrackerDefinition*, std::vector<TrackerRow>>> all;
  json overdue = json::array();
  json trackers = json::array();
  for (const TrackerDefinition& t : BundledTrackers()) {
    auto entries = store.JournalLatest(district->id, TrackerStream(t.id));
    if (!entries.ok()) return ErrorResponse(entries.status());
    std::vector<TrackerRow> rows;
    int late = 0;
    for (const TrackerRowState& r : FoldTrackerRows(t, *entries)) {
      if (IsOverdue(r.current, today)) {
        ++late;
        overdue.push_back({{"tracker", t.id},
                           {"tracker_title", t.title},
                           {"row", r.id},
                           {"title", RowTitle(t, r.current)},
                           {"owner", r.current.owner},
                           {"due", FormatDate(*r.current.due)},
                           {"status", RowStatusName(r.current.status)},
                           {"days_late", today - *r.current.due}});
      }
      rows.push_back(r.current);
    }
    trackers.push_back({{"id", t.id},
                        {"title", t.title},
                        {"template", t.template_name},
                        {"step", t.step},
                        {"rows", rows.size()},
                        {"overdue", late}});
    all.emplace_back(&t, std::move(rows));
  }
  std::sort(overdue.begin(), overdue.end(), [](const json& a, const json& b) {
    return a["due"].get<std::string>() < b["due"].get<std::string>();
  });
  auto rounds = store.JournalLatest(district->id, "round");
  if (!rounds.ok()) return ErrorResponse(rounds.status());
  const ImplementationStage stage = DeriveImplementationStage(all, today, !rounds->empty());
  json steps = json::array();
  for (const StepProgress& p : stage.steps) {
    steps.push_back({{"step", p.step},
                     {"title", p.title},
                     {"rows", p.rows},
                     {"not_started", p.not_started},
                     {"in_progress", p.in_progress},
                     {"done", p.done},
                     {"dropped", p.dropped},
                     {"overdue", p.overdue}});
  }
  json out{{"district", {{"id", district->sourced_id}, {"name", district->name}}},
           {"today", FormatDate(today)},
           {"stage",
            {{"current_step", stage.current_step},
             {"title", GuideStepTitle(stage.current_step)},
             {"why", stage.why},
             {"steps", steps}}},
           {"overdue", overdue},
           {"trackers", trackers}};
  if (CanLeadDistrict(*ctx.who, *district)) {
    auto results = LatestRoundResults(store, district->id, now);
    if (!results.ok()) return ErrorResponse(results.status());
    out["rounds"] = {{"shown", true}, {"latest", *results}};
  } else {
    out["rounds"] = {{"shown", false},
                     {"note",
                      "round results are shown to district leaders; see your school's "
                      "rounds on the rounds page"}};
  }
  return JsonResponse(200, out);
}

}  // namespace cairn
