// Portfolio routes: submissions, versions, review actions, ratings from a
// submission, version comparison, the review queue and the exemplar bank.
// Files (upload, download, previews, export) are in api_files.cpp.
#include <algorithm>

#include "server/handlers/params.h"
#include "server/handlers/portfolio_handlers.h"
#include "server/policy.h"
#include "server/responses.h"
#include "service/explanation_json.h"
#include "service/portfolio_service.h"

namespace cairn {

using nlohmann::json;
namespace {

constexpr std::size_t kMaxDiffLines = 4000;

bool IsReviewer(const ReadState& state, const Principal& who, Id student) {
  const Person* p = state.roster->FindPerson(student);
  return p && CanWriteStudent(*state.roster, who, *p);
}

json PersonRef(const ReadState& state, Id id) {
  const Person* p = state.roster->FindPerson(id);
  if (!p) return json{{"id", nullptr}, {"name", "(unknown)"}, {"role", ""}};
  return PersonJson(*p);
}

json ArtifactJson(const Artifact& a) {
  return json{{"id", a.id},         {"name", a.name},
              {"mime", a.mime},     {"size", a.size},
              {"sha256", a.sha256}, {"uploaded_at", FormatInstant(a.uploaded_at)}};
}

json VersionJson(const ReadState& state, Store& store, const SubmissionVersion& v,
                 bool with_author) {
  json tags = json::array();
  for (const CpeTag& t : v.tags) tags.push_back({{"cpe", t.cpe}, {"indicator", t.indicator}});
  json files = json::array();
  for (Id id : v.artifact_ids) {
    auto a = store.FindArtifact(id);
    if (!a.ok() || !*a) continue;
    json file = ArtifactJson(**a);
    // A stored name may carry the student's: shown without its author, a
    // file is only "file 2".
    if (!with_author) file["name"] = "file " + std::to_string(files.size() + 1);
    files.push_back(std::move(file));
  }
  json out{{"id", v.id},
           {"number", v.number},
           {"at", FormatInstant(v.at)},
           {"text", v.text},
           {"link", v.link},
           {"reflection", v.reflection},
           {"tags", tags},
           {"artifacts", std::move(files)}};
  if (with_author) out["author"] = PersonRef(state, v.author);
  return out;
}

json EventJson(const ReadState& state, const PortfolioEvent& e, bool with_actor) {
  json out{{"id", e.id},
           {"kind", PortfolioEventKindName(e.kind)},
           {"at", FormatInstant(e.at)},
           {"version", e.version_id ? json(e.version_id) : json(nullptr)},
           {"message", e.message}};
  if (with_actor) out["actor"] = PersonRef(state, e.actor);
  if (e.anchor) {
    out["anchor"] = {{"artifact", e.anchor->artifact_id},
                     {"page", e.anchor->page},
                     {"x", e.anchor->x},
                     {"y", e.anchor->y},
                     {"w", e.anchor->w},
                     {"h", e.anchor->h}};
  }
  if (!e.cpe.empty()) out["cpe"] = e.cpe;
  if (!e.level.empty()) out["level"] = e.level;
  return out;
}

json SummaryJson(const ReadState& state, const SubmissionRecord& r, const SubmissionView& view,
                 Instant now) {
  json out{
      {"id", r.submission.id},
      {"student", PersonRef(state, r.submission.student_id)},
      {"badge", r.submission.badge_code},
      {"title", r.submission.title},
      {"state", SubmissionStateName(view.state)},
      {"versions", r.versions.size()},
      {"created_at", FormatInstant(r.submission.created_at)},
      {"last_change", FormatInstant(view.last_change)},
      {"shared", view.shared_with_guardians},
      {"showcased", view.showcased},
      {"consented", view.consented},
      // Under 18 (a linked guardian) the family decides on exemplar use.
      {"consent_by",
       std::any_of(state.roster->guardian_links.begin(), state.roster->guardian_links.end(),
                   [&](const GuardianLink& l) { return l.student_id == r.submission.student_id; })
           ? "guardian"
           : "student"},
      {"feedback", view.feedback.size()}};
  if (view.submitted_at) {
    out["submitted_at"] = FormatInstant(view.submitted_at);
    out["waiting_days"] = (now - view.submitted_at) / 86400;
  }
  if (!view.revision_message.empty()) out["revision_message"] = view.revision_message;
  return out;
}

// The ratings recorded from this submission, found by the reference the
// rating route writes ("submission:<id>/v<number>").
json LinkedRatings(const ReadState& state, Store& store, const SubmissionRecord& r) {
  json out = json::array();
  const std::string prefix = "submission:" + std::to_string(r.submission.id) + "/v";
  (void)store.ForEachRating(r.submission.student_id, [&](const RatingFact& f) {
    if (f.artifact_ref.rfind(prefix, 0) != 0) return;
    out.push_back({{"id", f.id},
                   {"cpe", f.cpe_id},
                   {"indicator", f.indicator_id},
                   {"level", f.level_id},
                   {"version", std::atoi(f.artifact_ref.c_str() + prefix.size())},
                   {"demonstrated_on", FormatDate(f.demonstrated_on)},
                   {"recorded_at", FormatInstant(f.recorded_at)},
                   {"recorded_by", PersonRef(state, f.recorded_by)},
                   {"note", f.note}});
  });
  return out;
}

// Parameter parsers: typed fields, or a 400 naming each field at fault.

std::vector<CpeTag> ReadTags(BodyReader& r) {
  std::vector<CpeTag> tags;
  const json* list = r.Array(r.body(), "", "tags", false);
  if (!list) return tags;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& t = (*list)[i];
    if (t.is_string()) {  // a bare CPE id
      tags.push_back({t.get<std::string>(), ""});
      continue;
    }
    const std::string where = JsonFieldReader::At("tags", i);
    if (!r.CheckObject(t, where)) continue;
    tags.push_back(
        {r.String(t, where, "cpe", true), r.String(t, where, "indicator", false, false)});
  }
  return tags;
}

VersionInput ReadVersion(BodyReader& r) {
  VersionInput v;
  v.text = r.Optional("text");
  v.link = r.Optional("link");
  v.reflection = r.Optional("reflection");
  v.tags = ReadTags(r);
  if (const json* files = r.Array(r.body(), "", "artifacts", false)) {
    for (std::size_t i = 0; i < files->size(); ++i) {
      const json& f = (*files)[i];
      if (!f.is_number_integer() || f.get<std::int64_t>() < 1) {
        r.Error(JsonFieldReader::At("artifacts", i), "expected a file id");
        continue;
      }
      v.artifact_ids.push_back(f.get<Id>());
    }
  }
  return v;
}

Result<SubmissionInput> ParseNewSubmission(const json& body) {
  BodyReader r(body);
  SubmissionInput in;
  in.badge_code = r.Required("badge");
  in.title = r.Optional("title");
  in.first = ReadVersion(r);
  in.submit = r.Bool(body, "", "submit", false);
  CAIRN_RETURN_IF_ERROR(r.Done());
  return in;
}

struct NewVersionParams {
  VersionInput version;
  bool submit = false;
};

Result<NewVersionParams> ParseNewVersion(const json& body) {
  BodyReader r(body);
  NewVersionParams out{ReadVersion(r), r.Bool(body, "", "submit", false)};
  CAIRN_RETURN_IF_ERROR(r.Done());
  return out;
}

Result<ActionInput> ParseAction(const json& body) {
  BodyReader r(body);
  ActionInput in;
  const std::string kind = r.Required("kind");
  in.message = r.Optional("message");
  in.cpe = r.Optional("cpe");
  in.level = r.Optional("level");
  if (auto v = r.OptionalInt(body, "", "version", 1, INT64_MAX)) in.version_id = *v;
  if (const json* a = r.Object(body, "", "anchor", false)) {
    Anchor anchor;
    anchor.artifact_id = r.OptionalInt(*a, "anchor", "artifact", 1, INT64_MAX, true).value_or(0);
    anchor.page = static_cast<int>(r.Int(*a, "anchor", "page", 0, 0, 100000));
    anchor.x = r.Number(*a, "anchor", "x", 0, 0, 1);
    anchor.y = r.Number(*a, "anchor", "y", 0, 0, 1);
    anchor.w = r.Number(*a, "anchor", "w", 0, 0, 1);
    anchor.h = r.Number(*a, "anchor", "h", 0, 0, 1);
    in.anchor = anchor;
  }
  CAIRN_RETURN_IF_ERROR(r.Done());
  auto parsed = ParsePortfolioEventKind(kind);
  if (!parsed) {
    return Status::InvalidField("kind",
                                "expected submit, start_review, request_revision, accept, "
                                "feedback, share, unshare, showcase, unshowcase, consent, "
                                "withdraw_consent or nominate_exemplar");
  }
  in.kind = *parsed;
  return in;
}

struct RatingsParams {
  std::vector<RatingInput> ratings;  // without student and recorder
  std::optional<Id> version;
};

Result<RatingsParams> ParseSubmissionRatings(const json& body) {
  BodyReader r(body);
  RatingsParams out;
  const std::string day = r.Optional("demonstrated_on");  // empty: the day it was submitted
  // The kind the teacher picked for this work; each rating may differ.
  std::string kind = r.Optional("kind");
  if (kind.empty()) kind = "portfolio_item";
  if (auto v = r.OptionalInt(body, "", "version", 1, INT64_MAX)) out.version = *v;
  const json* list = r.Array(body, "", "ratings", true);
  if (list && list->empty()) r.Error("ratings", "rate at least one CPE");
  for (std::size_t i = 0; list && i < list->size(); ++i) {
    const std::string where = JsonFieldReader::At("ratings", i);
    const json& item = (*list)[i];
    if (!r.CheckObject(item, where)) continue;
    RatingInput in;
    in.cpe_id = r.String(item, where, "cpe", true);
    in.level_id = r.String(item, where, "level", true);
    in.indicator_id = r.String(item, where, "indicator", false, false);
    in.note = r.String(item, where, "note", false, false);
    in.kind = r.String(item, where, "kind", false, false);
    if (in.kind.empty()) in.kind = kind;
    in.demonstrated_on = day;
    out.ratings.push_back(std::move(in));
  }
  CAIRN_RETURN_IF_ERROR(r.Done());
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// A line diff by longest common subsequence: plain, and enough for student
// writing. Past kMaxDiffLines the whole text is shown as replaced.
json LineDiff(const std::string& before, const std::string& after) {
  const std::vector<std::string> a = Lines(before), b = Lines(after);
  json out = json::array();
  if (a.size() > kMaxDiffLines || b.size() > kMaxDiffLines) {
    for (const auto& line : a) out.push_back({{"op", "del"}, {"line", line}});
    for (const auto& line : b) out.push_back({{"op", "add"}, {"line", line}});
    return out;
  }
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  std::size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] == b[j]) {
      out.push_back({{"op", "same"}, {"line", a[i]}});
      ++i, ++j;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      out.push_back({{"op", "del"}, {"line", a[i++]}});
    } else {
      out.push_back({{"op", "add"}, {"line", b[j++]}});
    }
  }
  while (i < n) out.push_back({{"op", "del"}, {"line", a[i++]}});
  while (j < m) out.push_back({{"op", "add"}, {"line", b[j++]}});
  return out;
}

std::optional<Id> ParamId(const std::map<std::string, std::string>& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty() || it->second.size() > 18 ||
      it->second.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(it->second);
}

}  // namespace

json SubmissionJson(const ReadState& state, Store& store, const SubmissionRecord& r, bool anonymous,
                    Instant now) {
  const SubmissionView view = FoldSubmission(r);
  json out = anonymous ? json::object() : SummaryJson(state, r, view, now);
  if (anonymous) {
    out = {{"badge", r.submission.badge_code}, {"title", r.submission.title}};
  }
  json versions = json::array();
  for (const SubmissionVersion& v : r.versions) {
    versions.push_back(VersionJson(state, store, v, !anonymous));
  }
  out["history"] = std::move(versions);
  if (anonymous) return out;
  json events = json::array();
  for (const PortfolioEvent& e : r.events) events.push_back(EventJson(state, e, true));
  out["events"] = std::move(events);
  out["ratings"] = LinkedRatings(state, store, r);
  out["current_version"] = view.latest ? json(view.latest->number) : json(nullptr);
  out["submitted_version"] = view.submitted ? json(view.submitted->number) : json(nullptr);
  return out;
}

Result<SubmissionRecord> PortfolioHandlers::LoadVisibleSubmission(RequestContext& ctx,
                                                                  const ReadState& state) {
  auto id = ParamId(ctx.params, "submission");
  if (!id) return Status::AtField(StatusCode::kNotFound, "submission", "no such submission");
  CAIRN_ASSIGN_OR_RETURN(auto record, services_.Service().store().LoadSubmission(*id));
  if (!record) return Status::AtField(StatusCode::kNotFound, "submission", "no such submission");
  // Guardians see what the student shared with them, nothing else; the
  // rest does not exist for them.
  if (ctx.who && ctx.who->person.role == PersonRole::kGuardian &&
      !PortfolioService::GuardianMaySee(FoldSubmission(*record))) {
    return Status::AtField(StatusCode::kNotFound, "submission", "no such submission");
  }
  (void)state;
  return std::move(*record);
}

HttpResponse PortfolioHandlers::ListSubmissions(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student", "student");
  auto records = services_.Service().store().LoadSubmissions(ctx.student->id);
  if (!records.ok()) return ErrorResponse(records.status());
  const bool guardian = ctx.who->person.role == PersonRole::kGuardian;
  return services_.model().Read([&](const ReadState& state) {
    json out = json::array();
    for (const SubmissionRecord& r : *records) {
      const SubmissionView view = FoldSubmission(r);
      if (guardian && !PortfolioService::GuardianMaySee(view)) continue;
      out.push_back(SummaryJson(state, r, view, services_.Now()));
    }
    return JsonResponse(200, json{{"submissions", std::move(out)}});
  });
}

HttpResponse PortfolioHandlers::GetSubmission(RequestContext& ctx) {
  return services_.model().Read([&](const ReadState& state) {
    auto record = LoadVisibleSubmission(ctx, state);
    if (!record.ok()) return ErrorResponse(record.status());
    return JsonResponse(
        200, SubmissionJson(state, services_.Service().store(), *record, false, services_.Now()));
  });
}

HttpResponse PortfolioHandlers::CreateSubmission(RequestContext& ctx) {
  if (!ctx.student) return ErrorResponse(404, "not_found", "student: no such student", "student");
  auto parsed = ParseNewSubmission(ctx.body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  const SubmissionInput input = std::move(parsed).value();
  return services_.Write(
      [this, input, who = *ctx.who, student = *ctx.student](CairnService& service) {
        return services_.model().Read([&](const ReadState& state) {
          if (!service.has_catalog())
            return ErrorResponse(409, "failed_precondition", "no catalog");
          PortfolioService portfolio(service.store(), *state.roster, service.catalog(),
                                     services_.options().clock);
          Actor actor{who.person, IsReviewer(state, who, student.id)};
          auto id = portfolio.CreateSubmission(actor, student, input);
          if (!id.ok()) return ErrorResponse(id.status());
          auto record = service.store().LoadSubmission(*id);
          if (!record.ok() || !*record) return ErrorResponse(500, "internal", "reading it back");
          return JsonResponse(
              201, SubmissionJson(state, service.store(), **record, false, services_.Now()));
        });
      });
}

HttpResponse PortfolioHandlers::AddSubmissionVersion(RequestContext& ctx) {
  auto id = ParamId(ctx.params, "submission");
  if (!id || !ctx.student)
    return ErrorResponse(404, "not_found", "submission: no such submission", "submission");
  auto parsed = ParseNewVersion(ctx.body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  return services_.Write([this, id = *id, input = parsed->version, submit = parsed->submit,
                          who = *ctx.who, student = ctx.student->id](CairnService& service) {
    return services_.model().Read([&](const ReadState& state) {
      if (!service.has_catalog()) return ErrorResponse(409, "failed_precondition", "no catalog");
      PortfolioService portfolio(service.store(), *state.roster, service.catalog(),
                                 services_.options().clock);
      Actor actor{who.person, IsReviewer(state, who, student)};
      auto added = portfolio.AddVersion(actor, id, input, submit);
      if (!added.ok()) return ErrorResponse(added.status());
      auto record = service.store().LoadSubmission(id);
      if (!record.ok() || !*record) return ErrorResponse(500, "internal", "reading it back");
      return JsonResponse(201,
                          SubmissionJson(state, service.store(), **record, false, services_.Now()));
    });
  });
}

HttpResponse PortfolioHandlers::SubmissionAction(RequestContext& ctx) {
  auto id = ParamId(ctx.params, "submission");
  if (!id || !ctx.student)
    return ErrorResponse(404, "not_found", "submission: no such submission", "submission");
  auto parsed = ParseAction(ctx.body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  const ActionInput input = std::move(parsed).value();
  return services_.Write(
      [this, id = *id, input, who = *ctx.who, student = ctx.student->id](CairnService& service) {
        return services_.model().Read([&](const ReadState& state) {
          if (!service.has_catalog())
            return ErrorResponse(409, "failed_precondition", "no catalog");
          PortfolioService portfolio(service.store(), *state.roster, service.catalog(),
                                     services_.options().clock);
          Actor actor{who.person, IsReviewer(state, who, student)};
          auto event = portfolio.Act(actor, id, input);
          if (!event.ok()) return ErrorResponse(event.status());
          auto record = service.store().LoadSubmission(id);
          if (!record.ok() || !*record) return ErrorResponse(500, "internal", "reading it back");
          return JsonResponse(
              201, SubmissionJson(state, service.store(), **record, false, services_.Now()));
        });
      });
}

HttpResponse PortfolioHandlers::SubmissionRatings(RequestContext& ctx) {
  auto id = ParamId(ctx.params, "submission");
  if (!id || !ctx.student)
    return ErrorResponse(404, "not_found", "submission: no such submission", "submission");
  auto parsed = ParseSubmissionRatings(ctx.body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  std::vector<RatingInput> inputs = std::move(parsed->ratings);
  for (RatingInput& in : inputs) {
    in.student = ctx.student->sourced_id;
    in.recorded_by = ctx.who->person.sourced_id;
  }
  const std::optional<Id> version = parsed->version;
  return services_.Write([this, id = *id, inputs = std::move(inputs),
                          version](CairnService& service) {
    return services_.model().Read([&](const ReadState& state) {
      auto record = service.store().LoadSubmission(id);
      if (!record.ok()) return ErrorResponse(record.status());
      if (!*record)
        return ErrorResponse(404, "not_found", "submission: no such submission", "submission");
      const SubmissionView view = FoldSubmission(**record);
      if (view.state == SubmissionState::kDraft || !view.submitted) {
        return ErrorResponse(409, "failed_precondition", "the student has not submitted this yet");
      }
      const SubmissionVersion* rated = view.submitted;
      if (version) {
        rated = nullptr;
        for (const SubmissionVersion& v : (*record)->versions) {
          if (v.id == *version) rated = &v;
        }
        if (!rated) return ErrorResponse(Status::InvalidField("version", "not of this submission"));
      }
      const Badge* badge = service.catalog().FindBadge((*record)->submission.badge_code);
      json recorded = json::array();
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        RatingInput in = inputs[i];
        if (badge && std::none_of(badge->cpes.begin(), badge->cpes.end(),
                                  [&](const Cpe& c) { return c.id == in.cpe_id; })) {
          return ErrorResponse(
              Status::InvalidField(JsonFieldReader::At("ratings", i) + ".cpe",
                                   "'" + in.cpe_id + "' is not a CPE of " + badge->code));
        }
        // The work was done when it was submitted, unless the teacher says.
        if (in.demonstrated_on.empty()) in.demonstrated_on = FormatDate(DayOf(rated->at));
        in.artifact_ref = "submission:" + std::to_string(id) + "/v" + std::to_string(rated->number);
        auto outcome = service.RecordRating(in);
        if (!outcome.ok()) {
          return ErrorResponse(outcome.status().Within(JsonFieldReader::At("ratings", i)));
        }
        recorded.push_back(ToJson(*outcome, service.catalog()));
      }
      if (Status issued = services_.IssuePending(service, state, (*record)->submission.student_id);
          !issued.ok()) {
        return ErrorResponse(issued);
      }
      return JsonResponse(201, json{{"recorded", std::move(recorded)}});
    });
  });
}

HttpResponse PortfolioHandlers::CompareVersions(RequestContext& ctx) {
  const auto query = ctx.request.Query();
  return services_.model().Read([&](const ReadState& state) {
    auto record = LoadVisibleSubmission(ctx, state);
    if (!record.ok()) return ErrorResponse(record.status());
    const int last = record->versions.empty() ? 0 : record->versions.back().number;
    auto number = [&](const char* key, int fallback) -> std::optional<int> {
      auto it = query.find(key);
      if (it == query.end()) return fallback;
      auto n = BoundedNumber(it->second, 1, 1000000);
      return n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
    };
    const std::optional<int> from_number = number("from", last - 1), to_number = number("to", last);
    if (!from_number || !to_number) {
      return ErrorResponse(
          400, "invalid_argument",
          std::string(from_number ? "to" : "from") + ": expected a version number");
    }
    const int from = *from_number, to = *to_number;
    const SubmissionVersion *a = nullptr, *b = nullptr;
    for (const SubmissionVersion& v : record->versions) {
      if (v.number == from) a = &v;
      if (v.number == to) b = &v;
    }
    if (!a)
      return ErrorResponse(Status::InvalidField("from", "no version " + std::to_string(from)));
    if (!b) return ErrorResponse(Status::InvalidField("to", "no version " + std::to_string(to)));
    Store& store = services_.Service().store();
    json removed = json::array(), added = json::array(), kept = json::array();
    for (Id id : a->artifact_ids) {
      (std::find(b->artifact_ids.begin(), b->artifact_ids.end(), id) == b->artifact_ids.end()
           ? removed
           : kept)
          .push_back(id);
    }
    for (Id id : b->artifact_ids) {
      if (std::find(a->artifact_ids.begin(), a->artifact_ids.end(), id) == a->artifact_ids.end()) {
        added.push_back(id);
      }
    }
    return JsonResponse(
        200, json{{"from", VersionJson(state, store, *a, true)},
                  {"to", VersionJson(state, store, *b, true)},
                  {"text", LineDiff(a->text, b->text)},
                  {"reflection", LineDiff(a->reflection, b->reflection)},
                  {"link_changed", a->link != b->link},
                  {"artifacts", {{"added", added}, {"removed", removed}, {"kept", kept}}}});
  });
}

HttpResponse PortfolioHandlers::ReviewQueue(RequestContext& ctx) {
  const auto query = ctx.request.Query();
  auto records = services_.Service().store().LoadSubmissions(std::nullopt);
  if (!records.ok()) return ErrorResponse(records.status());
  const Instant now = services_.options().clock();
  return services_.model().Read([&](const ReadState& state) {
    const std::string section_ref = query.count("section") ? query.at("section") : "";
    const std::string badge = query.count("badge") ? query.at("badge") : "";
    const long min_days =
        query.count("older_than_days") ? std::atol(query.at("older_than_days").c_str()) : 0;
    const Section* section = nullptr;
    if (!section_ref.empty()) {
      for (const Section& s : state.roster->sections) {
        if (s.sourced_id == section_ref) section = &s;
      }
      if (!section || !CanReadSection(*state.roster, *ctx.who, *section)) {
        return ErrorResponse(404, "not_found", "section: no such section", "section");
      }
    }
    std::vector<std::pair<Instant, json>> items;
    for (const SubmissionRecord& r : *records) {
      const Person* student = state.roster->FindPerson(r.submission.student_id);
      if (!student || !CanWriteStudent(*state.roster, *ctx.who, *student)) continue;
      if (!badge.empty() && r.submission.badge_code != badge) continue;
      if (section) {
        auto students = state.roster->StudentsIn(section->id);
        if (std::find(students.begin(), students.end(), student) == students.end()) continue;
      }
      const SubmissionView view = FoldSubmission(r);
      if (view.state != SubmissionState::kSubmitted && view.state != SubmissionState::kInReview) {
        continue;
      }
      if ((now - view.submitted_at) / 86400 < min_days) continue;
      json item = SummaryJson(state, r, view, now);
      item["version"] = view.submitted ? view.submitted->number : 0;
      item["version_id"] = view.submitted ? view.submitted->id : 0;
      items.emplace_back(view.submitted_at, std::move(item));
      ctx.returned_students.push_back(student->id);
    }
    // Oldest first: work waiting longest gets feedback first.
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    json out = json::array();
    for (auto& [at, item] : items) out.push_back(std::move(item));
    return JsonResponse(200, json{{"queue", std::move(out)}});
  });
}

HttpResponse PortfolioHandlers::ListExemplars(RequestContext& ctx) {
  const auto query = ctx.request.Query();
  const std::string cpe = query.count("cpe") ? query.at("cpe") : "";
  auto records = services_.Service().store().LoadSubmissions(std::nullopt);
  if (!records.ok()) return ErrorResponse(records.status());
  return services_.model().Read([&](const ReadState& state) {
    json out = json::array();
    for (const SubmissionRecord& r : *records) {
      const Person* student = state.roster->FindPerson(r.submission.student_id);
      // Exemplars are shared within the student's district, anonymized.
      if (!student || (ctx.who->person.role != PersonRole::kAdmin &&
                       student->district_id != ctx.who->person.district_id)) {
        continue;
      }
      const SubmissionView view = FoldSubmission(r);
      for (const ExemplarNomination& n : view.nominations) {
        if (!cpe.empty() && n.cpe != cpe) continue;
        const SubmissionVersion* v = nullptr;
        for (const SubmissionVersion& candidate : r.versions) {
          if (candidate.id == n.version_id) v = &candidate;
        }
        if (!v) continue;
        json version = VersionJson(state, services_.Service().store(), *v, false);
        version.erase("reflection");  // the student's own voice can identify them
        out.push_back({{"id", n.version_id},
                       {"badge", r.submission.badge_code},
                       {"cpe", n.cpe},
                       {"level", n.level},
                       {"nominated_at", FormatInstant(n.at)},
                       {"work", std::move(version)}});
      }
    }
    return JsonResponse(200, json{{"exemplars", std::move(out)}});
  });
}

std::vector<GroupRoute<PortfolioHandlers>> PortfolioHandlers::Routes() {
  using G = PortfolioHandlers;
  return {
      {{"GET", "/api/v1/students/{student}/submissions", AccessRule::kStudentRead, true},
       &G::ListSubmissions},
      {{"POST", "/api/v1/students/{student}/submissions", AccessRule::kPortfolioWrite, true},
       &G::CreateSubmission},
      {{"GET", "/api/v1/submissions/{submission}", AccessRule::kStudentRead, true},
       &G::GetSubmission},
      {{"POST", "/api/v1/submissions/{submission}/versions", AccessRule::kPortfolioWrite, true},
       &G::AddSubmissionVersion},
      {{"POST", "/api/v1/submissions/{submission}/actions", AccessRule::kStudentRead, true},
       &G::SubmissionAction},
      {{"POST", "/api/v1/submissions/{submission}/ratings", AccessRule::kStudentWrite, true},
       &G::SubmissionRatings},
      {{"GET", "/api/v1/submissions/{submission}/compare", AccessRule::kStudentRead, true},
       &G::CompareVersions},
      {{"GET", "/api/v1/portfolio/queue", AccessRule::kStaff, true}, &G::ReviewQueue},
      {{"GET", "/api/v1/exemplars", AccessRule::kStaff, false}, &G::ListExemplars},
  };
}

}  // namespace cairn
