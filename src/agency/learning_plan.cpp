#include "agency/learning_plan.h"

#include <algorithm>
#include <iterator>

#include "common/json_fields.h"
#include "common/time.h"

namespace cairn {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxText = 4000;  // a reflection, a comment, a note
constexpr std::size_t kMaxGoals = 20;

std::string Text(JsonFieldReader& r, const json& body, const char* key, bool required) {
  std::string text = r.String(body, "", key, required, required);
  if (text.size() > kMaxText) r.Error(key, "at most 4000 characters");
  return text;
}

bool KnownBadge(const Catalog& catalog, const std::string& code) {
  return catalog.FindBadge(code) != nullptr;
}

}  // namespace

std::string_view PlanEntryKindName(PlanEntryKind kind) {
  switch (kind) {
    case PlanEntryKind::kGoals:
      return "goals";
    case PlanEntryKind::kReflection:
      return "reflection";
    case PlanEntryKind::kComment:
      return "comment";
    case PlanEntryKind::kRequest:
      return "request";
    case PlanEntryKind::kDecision:
      return "decision";
    case PlanEntryKind::kSelfAssessment:
      return "self_assessment";
    case PlanEntryKind::kConferenceNote:
      return "conference_note";
  }
  return "";
}

Result<json> CheckPlanEntry(PlanEntryKind kind, const json& body, const Catalog& catalog) {
  JsonFieldReader r;
  json out{{"type", PlanEntryKindName(kind)}};
  switch (kind) {
    case PlanEntryKind::kGoals: {
      if (!r.CheckObject(body, "", {"goals", "pathway"})) break;
      const json* goals = r.Array(body, "", "goals", true);
      json list = json::array();
      if (goals && goals->size() > kMaxGoals) r.Error("goals", "at most 20 goals");
      for (std::size_t i = 0; goals && i < goals->size() && i < kMaxGoals; ++i) {
        const std::string at = JsonFieldReader::At("goals", i);
        const json& g = (*goals)[i];
        if (!r.CheckObject(g, at, {"badge", "by", "note"})) continue;
        const std::string badge = r.String(g, at, "badge", true);
        if (!badge.empty() && !KnownBadge(catalog, badge)) {
          r.Error(JsonFieldReader::Join(at, "badge"), "no badge '" + badge + "'");
        }
        const std::string by = r.String(g, at, "by", false, false);
        if (!by.empty() && !ParseDate(by).ok()) {
          r.Error(JsonFieldReader::Join(at, "by"), "expected a date YYYY-MM-DD");
        }
        const std::string note = r.String(g, at, "note", false, false);
        if (note.size() > kMaxText) r.Error(JsonFieldReader::Join(at, "note"), "too long");
        list.push_back({{"badge", badge}, {"by", by}, {"note", note}});
      }
      const std::string pathway = r.String(body, "", "pathway", false, false);
      if (!pathway.empty() && std::none_of(catalog.pathways.begin(), catalog.pathways.end(),
                                           [&](const Pathway& p) { return p.id == pathway; })) {
        r.Error("pathway", "no pathway '" + pathway + "'");
      }
      out["goals"] = std::move(list);
      out["pathway"] = pathway;
      break;
    }
    case PlanEntryKind::kReflection:
    case PlanEntryKind::kComment:
    case PlanEntryKind::kConferenceNote:
      if (!r.CheckObject(body, "", {"text"})) break;
      out["text"] = Text(r, body, "text", true);
      break;
    case PlanEntryKind::kRequest: {
      if (!r.CheckObject(body, "", {"badge", "reason", "note"})) break;
      const std::string badge = r.String(body, "", "badge", true);
      if (!badge.empty() && !KnownBadge(catalog, badge))
        r.Error("badge", "no badge '" + badge + "'");
      const std::string reason = r.String(body, "", "reason", true);
      if (!reason.empty() && reason != "independent_study" && reason != "credit_recovery" &&
          reason != "cte") {
        r.Error("reason", "expected independent_study, credit_recovery or cte");
      }
      out["badge"] = badge;
      out["reason"] = reason;
      out["note"] = Text(r, body, "note", false);
      break;
    }
    case PlanEntryKind::kDecision:
      if (!r.CheckObject(body, "", {"badge", "accept", "note"})) break;
      out["badge"] = r.String(body, "", "badge", true);
      if (!body.contains("accept") || !body["accept"].is_boolean()) {
        r.Error("accept", "expected true or false");
      } else {
        out["accept"] = body["accept"].get<bool>();
      }
      out["note"] = Text(r, body, "note", false);
      break;
    case PlanEntryKind::kSelfAssessment: {
      if (!r.CheckObject(body, "", {"cpe", "level", "note", "submission"})) break;
      const std::string cpe = r.String(body, "", "cpe", true);
      const std::string level = r.String(body, "", "level", true);
      if (auto ref = cpe.empty() ? std::nullopt : catalog.FindCpe(cpe); !cpe.empty() && !ref) {
        r.Error("cpe", "no CPE '" + cpe + "'");
      } else if (ref && !level.empty() &&
                 catalog.ScaleOf(catalog.badges[ref->badge]).LevelIndex(level) < 0) {
        r.Error("level", "not a level of the badge's scale");
      }
      out["cpe"] = cpe;
      out["level"] = level;
      out["note"] = Text(r, body, "note", false);
      if (auto s = r.OptionalInt(body, "", "submission", 1, INT64_MAX)) out["submission"] = *s;
      break;
    }
  }
  CAIRN_RETURN_IF_ERROR(r.ToStatus());
  return out;
}

LearningPlan FoldLearningPlan(const std::vector<JournalEntry>& entries) {
  LearningPlan plan;
  for (const JournalEntry& e : entries) {
    const json body = json::parse(e.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) continue;
    ++plan.revisions;
    const std::string type = body.value("type", "");
    const std::string text = body.value("text", "");
    if (type == "goals") {
      plan.goals = body.value("goals", json::array());
      plan.pathway = body.value("pathway", "");
    } else if (type == "reflection") {
      plan.reflections.push_back({text, e.recorded_by, e.recorded_at});
    } else if (type == "comment") {
      plan.comments.push_back({text, e.recorded_by, e.recorded_at});
    } else if (type == "conference_note") {
      plan.conference_notes.push_back({text, e.recorded_by, e.recorded_at});
    } else if (type == "request" || type == "decision") {
      const std::string badge = body.value("badge", "");
      auto it = std::find_if(plan.requests.begin(), plan.requests.end(),
                             [&](const BadgeRequest& b) { return b.badge == badge; });
      if (type == "request") {
        // Asking again after a decline opens the request again.
        if (it == plan.requests.end()) {
          plan.requests.emplace_back();
          it = std::prev(plan.requests.end());
        }
        it->badge = badge;
        it->reason = body.value("reason", "");
        it->note = body.value("note", "");
        it->state = "requested";
        it->requested_at = e.recorded_at;
        it->decided_by = 0;
        it->decided_at = 0;
      } else if (it != plan.requests.end()) {
        it->state = body.value("accept", false) ? "accepted" : "declined";
        it->decided_by = e.recorded_by;
        it->decided_at = e.recorded_at;
      }
    } else if (type == "self_assessment") {
      SelfAssessment s{body.value("cpe", ""), body.value("level", ""), body.value("note", ""),
                       std::nullopt, e.recorded_at};
      if (body.contains("submission") && body["submission"].is_number_integer()) {
        s.submission = body["submission"].get<Id>();
      }
      plan.self_assessments.push_back(std::move(s));
    }
  }
  return plan;
}

Result<std::vector<ChosenBadge>> LoadChosenBadges(Store& store, const Roster& roster) {
  std::vector<ChosenBadge> out;
  for (const District& district : roster.districts) {
    CAIRN_ASSIGN_OR_RETURN(auto entries, store.JournalLatest(district.id, kBadgeChoiceStream));
    for (const JournalEntry& e : entries) {
      const nlohmann::json body = nlohmann::json::parse(e.body, nullptr, false);
      if (!e.student_id || !body.is_object() || body.value("state", "") != "accepted") continue;
      const std::string reason = body.value("reason", "");
      out.push_back({*e.student_id, body.value("badge", ""),
                     reason == "credit_recovery" ? "Credit recovery"
                     : reason == "cte"           ? "Career and technical education"
                                                 : "Independent study",
                     e.recorded_by});
    }
  }
  return out;
}

Result<AgencySettings> ParseAgencySettings(std::string_view json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidField("agency", "not valid JSON");
  if (!doc.is_object()) return Status::InvalidField("agency", "expected a JSON object");
  AgencySettings settings;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : doc.items()) {
    if (key != "badge_requests") {
      errors.push_back({"agency." + key, "unknown setting"});
    } else if (!value.is_boolean()) {
      errors.push_back({"agency.badge_requests", "expected true or false"});
    } else {
      settings.badge_requests = value.get<bool>();
    }
  }
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  return settings;
}

std::string AgencySettingsToJson(const AgencySettings& settings) {
  return nlohmann::json{{"badge_requests", settings.badge_requests}}.dump();
}

Result<AgencySettings> LoadAgencySettings(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto stored, store.GetSetting(kAgencySettingKey));
  if (!stored) return AgencySettings{};
  auto settings = ParseAgencySettings(*stored);
  if (!settings.ok()) {
    return Status::Internal("stored setting 'agency' no longer parses: " +
                            settings.status().message());
  }
  return settings;
}

}  // namespace cairn
