#include "evidence/intervention.h"

#include <array>
#include <utility>

#include "common/time.h"

namespace cairn {
namespace {

struct KindInfo {
  InterventionKind kind;
  std::string_view name, label;
};
constexpr std::array<KindInfo, 5> kKinds = {{
    {InterventionKind::kReteach, "reteach", "Re-teaching"},
    {InterventionKind::kFlexTime, "flex_time", "Flex time"},
    {InterventionKind::kTutoring, "tutoring", "Tutoring"},
    {InterventionKind::kSummer, "summer", "Summer work"},
    {InterventionKind::kOther, "other", "Other support"},
}};

const nlohmann::json* Field(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  return it == body.end() || it->is_null() ? nullptr : &*it;
}

// A string field; "" when absent; an error when present but not a string or
// longer than `max`.
std::string Text(const nlohmann::json& body, const char* key, std::size_t max,
                 std::vector<FieldError>& errors) {
  const nlohmann::json* value = Field(body, key);
  if (!value) return "";
  if (!value->is_string()) {
    errors.push_back({key, "expected a string"});
    return "";
  }
  std::string text = value->get<std::string>();
  if (text.size() > max) errors.push_back({key, "at most " + std::to_string(max) + " characters"});
  return text;
}

// A date no later than `today`, not before `earliest` (either may be "");
// absent: `today`.
std::string DateField(const nlohmann::json& body, const char* key, std::string_view today,
                      std::string_view earliest, std::vector<FieldError>& errors) {
  std::string text = Text(body, key, 10, errors);
  if (text.empty()) return std::string(today);
  if (!ParseDate(text).ok()) {
    errors.push_back({key, "expected a date, YYYY-MM-DD"});
  } else if (text > today) {
    errors.push_back({key, "cannot be in the future"});
  } else if (!earliest.empty() && text < earliest) {
    errors.push_back({key, "cannot be before the start, " + std::string(earliest)});
  }
  return text;
}

}  // namespace

std::string_view InterventionKindName(InterventionKind kind) {
  for (const KindInfo& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "other";
}

std::string_view InterventionKindLabel(InterventionKind kind) {
  for (const KindInfo& k : kKinds) {
    if (k.kind == kind) return k.label;
  }
  return "Other support";
}

std::optional<InterventionKind> ParseInterventionKind(std::string_view name) {
  for (const KindInfo& k : kKinds) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

Result<Intervention> ParseInterventionOpening(const nlohmann::json& body, const Catalog& catalog,
                                              std::string_view today) {
  if (!body.is_object()) return Status::Invalid("expected a JSON object");
  std::vector<FieldError> errors;
  Intervention out;
  out.badge = Text(body, "badge", 64, errors);
  const Badge* badge = out.badge.empty() ? nullptr : catalog.FindBadge(out.badge);
  if (out.badge.empty()) {
    errors.push_back({"badge", "required"});
  } else if (!badge) {
    errors.push_back({"badge", "no such badge in the catalog"});
  }
  out.cpe = Text(body, "cpe", 64, errors);
  if (!out.cpe.empty() && badge) {
    bool found = false;
    for (const Cpe& cpe : badge->cpes) found |= cpe.id == out.cpe;
    if (!found) errors.push_back({"cpe", "not a CPE of " + out.badge});
  }
  const std::string kind = Text(body, "kind", 32, errors);
  if (auto parsed = ParseInterventionKind(kind)) {
    out.kind = *parsed;
  } else {
    errors.push_back({"kind", "expected reteach, flex_time, tutoring, summer or other"});
  }
  out.provider = Text(body, "provider", 200, errors);
  out.note = Text(body, "note", 2000, errors);
  out.started_on = DateField(body, "started_on", today, "", errors);
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  return out;
}

Status CloseIntervention(const nlohmann::json& body, std::string_view today,
                         Intervention& intervention) {
  if (!intervention.open()) {
    return Status::AtField(StatusCode::kFailedPrecondition, "intervention",
                           "already closed on " + intervention.ended_on);
  }
  if (!body.is_null() && !body.is_object()) return Status::Invalid("expected a JSON object");
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json& fields = body.is_null() ? kEmpty : body;
  std::vector<FieldError> errors;
  const std::string ended = DateField(fields, "ended_on", today, intervention.started_on, errors);
  const std::string note = Text(fields, "note", 2000, errors);
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  intervention.ended_on = ended;
  intervention.exit_note = note;
  return Status::Ok();
}

nlohmann::json InterventionToStored(const Intervention& i) {
  return {{"badge", i.badge},
          {"cpe", i.cpe},
          {"kind", InterventionKindName(i.kind)},
          {"provider", i.provider},
          {"started_on", i.started_on},
          {"note", i.note},
          {"ended_on", i.ended_on},
          {"exit_note", i.exit_note}};
}

Result<Intervention> InterventionFromStored(const std::string& key, Id student,
                                            const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object())
    return Status::Internal("intervention " + key + ": stored body unreadable");
  Intervention out;
  out.id = key;
  out.student = student;
  out.badge = json.value("badge", "");
  out.cpe = json.value("cpe", "");
  out.kind = ParseInterventionKind(json.value("kind", "")).value_or(InterventionKind::kOther);
  out.provider = json.value("provider", "");
  out.started_on = json.value("started_on", "");
  out.note = json.value("note", "");
  out.ended_on = json.value("ended_on", "");
  out.exit_note = json.value("exit_note", "");
  return out;
}

nlohmann::json InterventionJson(const Intervention& i) {
  nlohmann::json out = InterventionToStored(i);
  out["id"] = i.id;
  out["kind_label"] = InterventionKindLabel(i.kind);
  out["open"] = i.open();
  return out;
}

}  // namespace cairn
