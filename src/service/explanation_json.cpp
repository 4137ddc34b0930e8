#include "service/explanation_json.h"

#include "common/json_writer.h"

namespace cairn {

using nlohmann::json;

namespace {

void Write(JsonWriter& w, const BadgeExplanation& e) {
  w.BeginObject()
      .Field("badge", e.badge_code)
      .Field("title", e.badge_title)
      .Field("met", e.met)
      .Field("rule", e.rule_summary)
      .Field("cpes_counting", e.cpes_counting)
      .Field("cpes_needed", e.cpes_needed);
  w.Key("cpes").BeginArray();
  for (const CpeExplanation& c : e.cpes) {
    w.BeginObject()
        .Field("cpe", c.cpe_id)
        .Field("label", c.label)
        .Field("required", c.required)
        .Field("counts", c.counts)
        .Field("evidence_count", c.evidence_count)
        .Field("reason", c.reason);
    if (c.has_evidence) {
      w.Field("value", c.value)
          .Field("level", c.level_id)
          .Field("level_label", c.level_label)
          .Field("last_demonstrated", FormatDate(c.last_demonstrated));
    } else {
      w.Key("value").Null().Key("level").Null();
    }
    w.EndObject();
  }
  w.EndArray();
  w.StringArray("missing_prerequisites", e.missing_prerequisites);
  w.Key("missing_evidence_kinds").BeginArray();
  for (EvidenceKind kind : e.missing_kinds) w.String(EvidenceKindName(kind));
  w.EndArray();
  w.StringArray("remaining", e.remaining);
  w.EndObject();
}

void Write(JsonWriter& w, const StudentProgress& progress, const Catalog& catalog) {
  const Person& s = progress.student;
  w.BeginObject();
  w.Key("student").BeginObject().Field("id", s.sourced_id).Field("name", s.DisplayName());
  w.EndObject();
  w.Key("badges").BeginArray();
  for (const BadgeProgress& item : progress.badges) {
    const Badge& badge = catalog.badges[item.standing.badge];
    w.BeginObject().Field("badge", badge.code).Field("title", badge.title);
    w.Field("state", PathwayStateName(item.standing.state));
    w.Key("award").BeginObject().Field("state", AwardStateName(item.award.state));
    if (item.award.state == AwardState::kConfirmed) {
      w.Field("confirmed_on", FormatDate(DayOf(item.award.confirmed_at)));
    }
    if (item.award.state == AwardState::kRevoked) w.Field("reason", item.award.reason);
    w.EndObject();
    w.Field("rule_met", item.standing.rule_met)
        .Field("cpes_counting", item.standing.cpes_counting)
        .Field("cpes_needed", item.standing.cpes_needed)
        .Field("cpes_with_evidence", item.standing.cpes_with_evidence)
        .StringArray("missing_prerequisites", item.standing.missing_prerequisites);
    w.Key("explanation");
    Write(w, item.explanation);
    w.EndObject();
  }
  w.EndArray();
  w.Key("habits_of_work").BeginArray();
  for (const HabitSummary& h : progress.habits) {
    w.BeginObject()
        .Field("habit", h.habit_id)
        .Field("label", h.label)
        .Field("level", h.level_id)
        .Field("level_label", h.level_label)
        .Field("observed_on", FormatDate(h.observed_on))
        .Field("observations", h.observations)
        .EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void Write(JsonWriter& w, const RecordOutcome& outcome, const Catalog& catalog) {
  w.BeginObject().Field("fact_id", static_cast<std::int64_t>(outcome.fact_id));
  w.Key("cpe_status");
  if (outcome.cpe.has_value) {
    const CpeRef& ref = catalog.DenseCpe(outcome.cpe.dense_cpe);
    const Scale& scale = catalog.ScaleOf(catalog.badges[ref.badge]);
    w.BeginObject()
        .Field("cpe", catalog.CpeAt(ref).id)
        .Field("value", outcome.cpe.value)
        .Field("level", scale.LevelAtOrBelow(outcome.cpe.value).id)
        .Field("mastered", outcome.cpe.mastered)
        .Field("evidence_count", static_cast<int>(outcome.cpe.evidence_count))
        .EndObject();
  } else {
    w.Null();
  }
  w.Key("badge");
  Write(w, outcome.badge);
  w.Key("award_action");
  if (outcome.award_action) {
    w.String(AwardActionName(*outcome.award_action));
  } else {
    w.Null();
  }
  w.EndObject();
}

template <typename... Args>
std::string Text(const Args&... args) {
  JsonWriter w;
  Write(w, args...);
  return w.Take();
}

}  // namespace

std::string ToJsonText(const BadgeExplanation& e) { return Text(e); }
std::string ToJsonText(const StudentProgress& p, const Catalog& c) { return Text(p, c); }
std::string ToJsonText(const RecordOutcome& o, const Catalog& c) { return Text(o, c); }

json ToJson(const BadgeExplanation& e) { return json::parse(ToJsonText(e)); }
json ToJson(const StudentProgress& p, const Catalog& c) { return json::parse(ToJsonText(p, c)); }
json ToJson(const RecordOutcome& o, const Catalog& c) { return json::parse(ToJsonText(o, c)); }

}  // namespace cairn
