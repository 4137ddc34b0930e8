// Calibration sessions: a leader picks anonymized work and raters; raters
// rate blind; the leader reveals the ratings side by side with agreement
// figures per CPE; the group's notes are kept. Also the staff directory the
// session form picks raters from.
#include <algorithm>
#include <fstream>

#include "evidence/agreement.h"
#include "evidence/files/image_metadata.h"
#include "server/handlers/calibration_handlers.h"
#include "server/handlers/file_handlers.h"
#include "server/handlers/params.h"
#include "server/policy.h"
#include "server/responses.h"

namespace cairn {

using nlohmann::json;
namespace {

constexpr std::size_t kMaxItems = 40;
constexpr std::size_t kMaxRaters = 30;

std::string StateOf(const CalibrationView& view) {
  return view.closed ? "closed" : (view.revealed ? "revealed" : "rating");
}

bool InSession(const CalibrationSession& s, Id person) {
  return s.created_by == person ||
         std::find(s.raters.begin(), s.raters.end(), person) != s.raters.end();
}

json PersonOrUnknown(const ReadState& state, Id id) {
  const Person* p = state.roster->FindPerson(id);
  return p ? PersonJson(*p) : json{{"id", nullptr}, {"name", "(unknown)"}, {"role", ""}};
}

std::optional<double> Round1(std::optional<double> v) {
  if (!v) return v;
  return std::round(*v * 10) / 10;
}

std::optional<double> Round3(std::optional<double> v) {
  if (!v) return v;
  return std::round(*v * 1000) / 1000;
}

json OptionalNumber(std::optional<double> v) { return v ? json(*v) : json(nullptr); }

}  // namespace

bool CalibrationHandlers::MayOpenCalibration(const Principal& who,
                                             const CalibrationSession& session) {
  return who.person.role == PersonRole::kAdmin || InSession(session, who.person.id);
}

HttpResponse CalibrationHandlers::ListCalibrations(RequestContext& ctx) {
  auto records = services_.Service().store().LoadCalibrations();
  if (!records.ok()) return ErrorResponse(records.status());
  return services_.model().Read([&](const ReadState& state) {
    json out = json::array();
    for (const CalibrationRecord& r : *records) {
      if (!MayOpenCalibration(*ctx.who, r.session)) continue;
      const CalibrationView view = FoldCalibration(r);
      json raters = json::array();
      for (Id rater : r.session.raters) raters.push_back(PersonOrUnknown(state, rater));
      const int total = static_cast<int>(r.session.items.size() * r.session.cpes.size());
      auto done = view.progress.find(ctx.who->person.id);
      out.push_back(
          {{"id", r.session.id},
           {"title", r.session.title},
           {"badge", r.session.badge_code},
           {"cpes", r.session.cpes},
           {"items", r.session.items.size()},
           {"raters", std::move(raters)},
           {"created_by", PersonOrUnknown(state, r.session.created_by)},
           {"created_at", FormatInstant(r.session.created_at)},
           {"state", StateOf(view)},
           {"my_progress",
            {{"done", done == view.progress.end() ? 0 : done->second}, {"total", total}}}});
    }
    return JsonResponse(200, json{{"calibrations", std::move(out)}});
  });
}

HttpResponse CalibrationHandlers::CreateCalibration(RequestContext& ctx) {
  BodyReader fields(ctx.body);
  CalibrationSession session;
  session.title = fields.Optional("title");
  session.badge_code = fields.Required("badge");
  if (Status s = fields.Done(); !s.ok()) return ErrorResponse(s);
  if (session.title.empty() || session.title.size() > 200) {
    return ErrorResponse(Status::InvalidField("title", "give a title of 1 to 200 characters"));
  }
  auto list = [&](const char* key) -> const json* {
    auto it = ctx.body.find(key);
    return it != ctx.body.end() && it->is_array() ? &*it : nullptr;
  };
  const json* cpes = list("cpes");
  const json* items = list("items");
  const json* raters = list("raters");
  if (!cpes || cpes->empty())
    return ErrorResponse(Status::InvalidField("cpes", "name at least one CPE"));
  if (!items || items->empty() || items->size() > kMaxItems) {
    return ErrorResponse(Status::InvalidField(
        "items", "choose 1 to " + std::to_string(kMaxItems) + " pieces of work"));
  }
  if (!raters || raters->size() < 2 || raters->size() > kMaxRaters) {
    return ErrorResponse(
        Status::InvalidField("raters", "choose 2 to " + std::to_string(kMaxRaters) + " raters"));
  }
  Store& store = services_.Service().store();
  HttpResponse invalid;
  bool ok = services_.model().Read([&](const ReadState& state) {
    const Badge* badge = state.catalog ? state.catalog->FindBadge(session.badge_code) : nullptr;
    if (!badge) {
      invalid =
          ErrorResponse(Status::InvalidField("badge", "no badge '" + session.badge_code + "'"));
      return false;
    }
    for (std::size_t i = 0; i < cpes->size(); ++i) {
      const json& c = (*cpes)[i];
      if (!c.is_string() ||
          std::none_of(badge->cpes.begin(), badge->cpes.end(),
                       [&](const Cpe& cpe) { return cpe.id == c.get<std::string>(); })) {
        invalid = ErrorResponse(400, "invalid_argument",
                                "cpes[" + std::to_string(i) + "]: not a CPE of " + badge->code);
        return false;
      }
      session.cpes.push_back(c.get<std::string>());
    }
    for (std::size_t i = 0; i < items->size(); ++i) {
      const json& v = (*items)[i];
      const std::string where = "items[" + std::to_string(i) + "]";
      if (!v.is_number_integer()) {
        invalid = ErrorResponse(400, "invalid_argument", where + ": expected a version id");
        return false;
      }
      auto sub = store.SubmissionOfVersion(v.get<Id>());
      auto record = sub.ok() && *sub ? store.LoadSubmission(**sub)
                                     : Result<std::optional<SubmissionRecord>>(std::nullopt);
      const Person* student = record.ok() && *record
                                  ? state.roster->FindPerson((*record)->submission.student_id)
                                  : nullptr;
      // Leaders choose work they may read; raters then see it anonymized.
      if (!student || !CanReadStudent(*state.roster, *ctx.who, *student)) {
        invalid = ErrorResponse(400, "invalid_argument", where + ": no such piece of work");
        return false;
      }
      if (FoldSubmission(**record).state == SubmissionState::kDraft) {
        invalid = ErrorResponse(400, "invalid_argument", where + ": a draft cannot be calibrated");
        return false;
      }
      session.items.push_back(v.get<Id>());
    }
    for (std::size_t i = 0; i < raters->size(); ++i) {
      const json& r = (*raters)[i];
      const Person* p =
          r.is_string() ? state.roster->FindPersonBySourcedId(r.get<std::string>()) : nullptr;
      if (!p || !IsStaff(p->role) ||
          (ctx.who->person.role != PersonRole::kAdmin &&
           p->district_id != ctx.who->person.district_id)) {
        invalid = ErrorResponse(
            400, "invalid_argument",
            "raters[" + std::to_string(i) + "]: not a teacher or leader of the district");
        return false;
      }
      if (std::find(session.raters.begin(), session.raters.end(), p->id) != session.raters.end()) {
        invalid = ErrorResponse(400, "invalid_argument",
                                "raters[" + std::to_string(i) + "]: listed twice");
        return false;
      }
      session.raters.push_back(p->id);
    }
    return true;
  });
  if (!ok) return invalid;
  session.created_by = ctx.who->person.id;
  session.created_at = services_.options().clock();
  return services_.Write([session](CairnService& service) {
    auto id = service.store().InsertCalibrationSession(session);
    if (!id.ok()) return ErrorResponse(id.status());
    return JsonResponse(201, json{{"id", *id}});
  });
}

Result<CalibrationRecord> CalibrationHandlers::CalibrationOf(const RequestContext& ctx) {
  auto it = ctx.params.find("calibration");
  if (it == ctx.params.end() || it->second.empty() || it->second.size() > 18 ||
      it->second.find_first_not_of("0123456789") != std::string::npos) {
    return Status::AtField(StatusCode::kNotFound, "calibration", "no such session");
  }
  CAIRN_ASSIGN_OR_RETURN(auto record,
                         services_.Service().store().LoadCalibration(std::stoll(it->second)));
  // Not in it: it does not exist for you.
  if (!record || !MayOpenCalibration(*ctx.who, record->session)) {
    return Status::AtField(StatusCode::kNotFound, "calibration", "no such session");
  }
  return std::move(*record);
}

json CalibrationHandlers::CalibrationJson(const ReadState& state, const CalibrationRecord& r,
                                          const Principal& who) {
  Store& store = services_.Service().store();
  const CalibrationSession& s = r.session;
  const CalibrationView view = FoldCalibration(r);
  json raters = json::array();
  for (Id rater : s.raters) raters.push_back(PersonOrUnknown(state, rater));
  json items = json::array();
  for (std::size_t i = 0; i < s.items.size(); ++i) {
    json work = json::object();
    if (auto sub = store.SubmissionOfVersion(s.items[i]); sub.ok() && *sub) {
      if (auto rec = store.LoadSubmission(**sub); rec.ok() && *rec) {
        for (const SubmissionVersion& v : (*rec)->versions) {
          if (v.id != s.items[i]) continue;
          json files = json::array();
          for (Id a : v.artifact_ids) {
            auto art = store.FindArtifact(a);
            if (!art.ok() || !*art) continue;
            // Stored names may carry the student's name: anonymized too.
            files.push_back({{"id", (*art)->id},
                             {"name", "Item " + std::to_string(i + 1) + " file " +
                                          std::to_string(files.size() + 1)},
                             {"mime", (*art)->mime},
                             {"size", (*art)->size}});
          }
          // Anonymized: the work, not who did it or what they wrote about it.
          work = {{"text", v.text}, {"link", v.link}, {"artifacts", std::move(files)}};
        }
      }
    }
    items.push_back({{"item", i + 1}, {"work", std::move(work)}});
  }
  json mine = json::object();
  for (const auto& [key, level] : view.ratings) {
    const auto& [item, rater, cpe] = key;
    if (rater == who.person.id) mine[std::to_string(item) + "/" + cpe] = level;
  }
  json progress = json::array();
  for (Id rater : s.raters) {
    auto it = view.progress.find(rater);
    progress.push_back({{"rater", PersonOrUnknown(state, rater)},
                        {"done", it == view.progress.end() ? 0 : it->second},
                        {"total", s.items.size() * s.cpes.size()}});
  }
  json out{{"id", s.id},
           {"title", s.title},
           {"badge", s.badge_code},
           {"cpes", s.cpes},
           {"state", StateOf(view)},
           {"raters", std::move(raters)},
           {"created_by", PersonOrUnknown(state, s.created_by)},
           {"created_at", FormatInstant(s.created_at)},
           {"items", std::move(items)},
           {"my_ratings", std::move(mine)},
           {"progress", std::move(progress)}};
  if (!view.revealed) return out;

  json ratings = json::array();
  for (const auto& [key, level] : view.ratings) {
    const auto& [item, rater, cpe] = key;
    ratings.push_back(
        {{"item", item}, {"rater", PersonOrUnknown(state, rater)}, {"cpe", cpe}, {"level", level}});
  }
  out["ratings"] = std::move(ratings);
  // Agreement per CPE over the scale's order of levels.
  json agreement = json::array();
  const Badge* badge = state.catalog ? state.catalog->FindBadge(s.badge_code) : nullptr;
  if (badge) {
    const Scale& scale = state.catalog->ScaleOf(*badge);
    for (const std::string& cpe : s.cpes) {
      RatingMatrix matrix;
      matrix.min_level = 1;
      matrix.max_level = static_cast<int>(scale.levels.size());
      for (std::size_t item = 1; item <= s.items.size(); ++item) {
        std::vector<std::optional<int>> row;
        for (Id rater : s.raters) {
          auto it = view.ratings.find({static_cast<int>(item), rater, cpe});
          const int index = it == view.ratings.end() ? -1 : scale.LevelIndex(it->second);
          row.push_back(index < 0 ? std::nullopt : std::optional<int>(index + 1));
        }
        matrix.ratings.push_back(std::move(row));
      }
      auto report = ComputeAgreement(matrix);
      if (!report.ok()) continue;
      json a{{"cpe", cpe},
             {"items", report->items},
             {"raters", report->raters},
             {"comparisons", report->pairwise.comparisons},
             {"exact_percent", OptionalNumber(Round1(report->pairwise.exact_percent))},
             {"adjacent_percent", OptionalNumber(Round1(report->pairwise.adjacent_percent))},
             {"fleiss_kappa", OptionalNumber(Round3(report->fleiss.value))}};
      if (!report->fleiss.value) a["fleiss_reason"] = report->fleiss.reason;
      if (report->cohen) {
        a["cohen_kappa"] = OptionalNumber(Round3(report->cohen->value));
        if (!report->cohen->value) a["cohen_reason"] = report->cohen->reason;
      }
      agreement.push_back(std::move(a));
    }
  }
  out["agreement"] = std::move(agreement);
  json notes = json::array();
  for (const CalibrationEvent* e : view.notes) {
    notes.push_back({{"at", FormatInstant(e->at)},
                     {"author", PersonOrUnknown(state, e->actor)},
                     {"note", e->note}});
  }
  out["notes"] = std::move(notes);
  return out;
}

HttpResponse CalibrationHandlers::GetCalibration(RequestContext& ctx) {
  auto record = CalibrationOf(ctx);
  if (!record.ok()) return ErrorResponse(record.status());
  return services_.model().Read([&](const ReadState& state) {
    return JsonResponse(200, CalibrationJson(state, *record, *ctx.who));
  });
}

HttpResponse CalibrationHandlers::CalibrationEventRoute(RequestContext& ctx) {
  BodyReader r(ctx.body);
  const std::string kind_name = r.Required("kind");
  CalibrationEvent event;
  event.item = static_cast<int>(r.Int(ctx.body, "", "item", 0, 0, 1000));
  event.cpe = r.Optional("cpe");
  event.level = r.Optional("level");
  event.note = r.Optional("note");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  auto record = CalibrationOf(ctx);
  if (!record.ok()) return ErrorResponse(record.status());
  auto kind = ParseCalibrationEventKind(kind_name);
  if (!kind)
    return ErrorResponse(Status::InvalidField("kind", "expected rating, reveal, note or close"));
  event.session_id = record->session.id;
  event.kind = *kind;
  event.actor = ctx.who->person.id;
  event.at = services_.options().clock();
  if (event.note.size() > 10'000) return ErrorResponse(Status::InvalidField("note", "too long"));
  if (*kind == CalibrationEventKind::kRating) {
    const bool known = services_.model().Read([&](const ReadState& state) {
      const Badge* badge =
          state.catalog ? state.catalog->FindBadge(record->session.badge_code) : nullptr;
      return badge && state.catalog->ScaleOf(*badge).LevelIndex(event.level) >= 0;
    });
    if (!known)
      return ErrorResponse(Status::InvalidField("level", "not a level of the badge's scale"));
  }
  return services_.Write(
      [this, event, id = record->session.id, who = *ctx.who](CairnService& service) {
        // Checked against the session as it is now, inside the write.
        auto fresh = service.store().LoadCalibration(id);
        if (!fresh.ok() || !*fresh)
          return ErrorResponse(404, "not_found", "calibration: no such session", "calibration");
        Status allowed = CheckCalibrationEvent(**fresh, FoldCalibration(**fresh), event);
        if (!allowed.ok()) return ErrorResponse(allowed);
        auto appended = service.store().AppendCalibrationEvent(event);
        if (!appended.ok()) return ErrorResponse(appended.status());
        (*fresh)->events.push_back(event);
        return services_.model().Read([&](const ReadState& state) {
          return JsonResponse(201, CalibrationJson(state, **fresh, who));
        });
      });
}

HttpResponse CalibrationHandlers::CalibrationArtifact(RequestContext& ctx) {
  auto record = CalibrationOf(ctx);
  if (!record.ok()) return ErrorResponse(record.status());
  const int item = static_cast<int>(BoundedNumber(ctx.params["item"], 1, 100000).value_or(0));
  if (item < 1 || item > static_cast<int>(record->session.items.size())) {
    return ErrorResponse(404, "not_found", "item: no such item", "item");
  }
  Store& store = services_.Service().store();
  const std::string& ref = ctx.params["artifact"];
  if (ref.empty() || ref.size() > 18 || ref.find_first_not_of("0123456789") != std::string::npos) {
    return ErrorResponse(404, "not_found", "artifact: no such file", "artifact");
  }
  const Id artifact_id = std::stoll(ref);
  // Only files of that item's version: the session grants nothing else.
  auto sub = store.SubmissionOfVersion(record->session.items[static_cast<std::size_t>(item - 1)]);
  if (!sub.ok() || !*sub)
    return ErrorResponse(404, "not_found", "artifact: no such file", "artifact");
  auto rec = store.LoadSubmission(**sub);
  bool belongs = false;
  if (rec.ok() && *rec) {
    for (const SubmissionVersion& v : (*rec)->versions) {
      if (v.id == record->session.items[static_cast<std::size_t>(item - 1)]) {
        belongs = std::find(v.artifact_ids.begin(), v.artifact_ids.end(), artifact_id) !=
                  v.artifact_ids.end();
      }
    }
  }
  if (!belongs) return ErrorResponse(404, "not_found", "artifact: no such file", "artifact");
  auto artifact = store.FindArtifact(artifact_id);
  if (!artifact.ok() || !*artifact)
    return ErrorResponse(404, "not_found", "artifact: no such file", "artifact");
  return AnonymousArtifactResponse(services_.Blobs(), **artifact, ctx.request.Query(),
                                   "item-" + std::to_string(item));
}

HttpResponse CalibrationHandlers::ListStaff(RequestContext& ctx) {
  return services_.model().Read([&](const ReadState& state) {
    json out = json::array();
    for (const Person& p : state.roster->people) {
      if (!IsStaff(p.role) || p.role == PersonRole::kAdmin) continue;
      if (ctx.who->person.role != PersonRole::kAdmin &&
          p.district_id != ctx.who->person.district_id) {
        continue;
      }
      json entry = PersonJson(p);
      if (p.school_id) {
        if (const School* school = state.roster->FindSchool(*p.school_id))
          entry["school"] = school->name;
      }
      out.push_back(std::move(entry));
    }
    return JsonResponse(200, json{{"staff", std::move(out)}});
  });
}

std::vector<GroupRoute<CalibrationHandlers>> CalibrationHandlers::Routes() {
  using G = CalibrationHandlers;
  return {
      {{"GET", "/api/v1/staff", AccessRule::kStaff, false}, &G::ListStaff},
      {{"GET", "/api/v1/calibrations", AccessRule::kStaff, false}, &G::ListCalibrations},
      {{"POST", "/api/v1/calibrations", AccessRule::kLeader, false}, &G::CreateCalibration},
      {{"GET", "/api/v1/calibrations/{calibration}", AccessRule::kStaff, false},
       &G::GetCalibration},
      {{"POST", "/api/v1/calibrations/{calibration}/events", AccessRule::kStaff, false},
       &G::CalibrationEventRoute},
      {{"GET", "/api/v1/calibrations/{calibration}/items/{item}/artifacts/{artifact}",
        AccessRule::kStaff, false, Work::kSlow},
       &G::CalibrationArtifact},
  };
}

}  // namespace cairn
