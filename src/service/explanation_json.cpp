#include "service/explanation_json.h"

namespace cairn {

using nlohmann::json;

json ToJson(const BadgeExplanation& e) {
  json cpes = json::array();
  for (const CpeExplanation& c : e.cpes) {
    json item{{"cpe", c.cpe_id},
              {"label", c.label},
              {"required", c.required},
              {"counts", c.counts},
              {"evidence_count", c.evidence_count},
              {"reason", c.reason}};
    if (c.has_evidence) {
      item["value"] = c.value;
      item["level"] = c.level_id;
      item["level_label"] = c.level_label;
      item["last_demonstrated"] = FormatDate(c.last_demonstrated);
    } else {
      item["value"] = nullptr;
      item["level"] = nullptr;
    }
    cpes.push_back(std::move(item));
  }
  json kinds = json::array();
  for (EvidenceKind kind : e.missing_kinds) kinds.push_back(EvidenceKindName(kind));
  return json{{"badge", e.badge_code},
              {"title", e.badge_title},
              {"met", e.met},
              {"rule", e.rule_summary},
              {"cpes_counting", e.cpes_counting},
              {"cpes_needed", e.cpes_needed},
              {"cpes", cpes},
              {"missing_prerequisites", e.missing_prerequisites},
              {"missing_evidence_kinds", kinds},
              {"remaining", e.remaining}};
}

json ToJson(const StudentProgress& progress, const Catalog& catalog) {
  json badges = json::array();
  for (const BadgeProgress& item : progress.badges) {
    const Badge& badge = catalog.badges[item.standing.badge];
    json award{{"state", AwardStateName(item.award.state)}};
    if (item.award.state == AwardState::kConfirmed) {
      award["confirmed_on"] = FormatDate(DayOf(item.award.confirmed_at));
    }
    if (item.award.state == AwardState::kRevoked) award["reason"] = item.award.reason;
    badges.push_back({{"badge", badge.code},
                      {"title", badge.title},
                      {"state", PathwayStateName(item.standing.state)},
                      {"award", award},
                      {"rule_met", item.standing.rule_met},
                      {"cpes_counting", item.standing.cpes_counting},
                      {"cpes_needed", item.standing.cpes_needed},
                      {"cpes_with_evidence", item.standing.cpes_with_evidence},
                      {"missing_prerequisites", item.standing.missing_prerequisites},
                      {"explanation", ToJson(item.explanation)}});
  }
  json habits = json::array();
  for (const HabitSummary& h : progress.habits) {
    habits.push_back({{"habit", h.habit_id},
                      {"label", h.label},
                      {"level", h.level_id},
                      {"level_label", h.level_label},
                      {"observed_on", FormatDate(h.observed_on)},
                      {"observations", h.observations}});
  }
  const Person& s = progress.student;
  return json{{"student", {{"id", s.sourced_id}, {"name", s.DisplayName()}}},
              {"badges", badges},
              {"habits_of_work", habits}};
}

json ToJson(const RecordOutcome& outcome, const Catalog& catalog) {
  json cpe = nullptr;
  if (outcome.cpe.has_value) {
    const CpeRef& ref = catalog.DenseCpe(outcome.cpe.dense_cpe);
    const Scale& scale = catalog.ScaleOf(catalog.badges[ref.badge]);
    cpe = {{"cpe", catalog.CpeAt(ref).id},
           {"value", outcome.cpe.value},
           {"level", scale.LevelAtOrBelow(outcome.cpe.value).id},
           {"mastered", outcome.cpe.mastered},
           {"evidence_count", outcome.cpe.evidence_count}};
  }
  json award = nullptr;
  if (outcome.award_action) award = AwardActionName(*outcome.award_action);
  return json{{"fact_id", outcome.fact_id},
              {"cpe_status", cpe},
              {"badge", ToJson(outcome.badge)},
              {"award_action", award}};
}

json ToJson(const TrackingRow& row) {
  return json{{"student", row.student_name},
              {"student_id", row.student_id},
              {"teacher", row.teacher_name},
              {"school", row.school},
              {"course", row.course},
              {"section", row.section},
              {"badge", row.badge},
              {"completed", row.completed},
              {"completed_on", row.completed_on.empty() ? json(nullptr) : json(row.completed_on)},
              {"award_state", row.award_state},
              {"remaining", row.remaining}};
}

}  // namespace cairn
