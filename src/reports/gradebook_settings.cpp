#include "reports/gradebook_settings.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "common/json_fields.h"

namespace cairn {
namespace {

using nlohmann::json;

constexpr std::string_view kRoot = "gradebook";
constexpr std::size_t kMaxSettingBytes = 64 * 1024;
constexpr double kMaxPoints = 10000;

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

// A short piece of text a spreadsheet or SIS shows: not empty, short, one line.
void ReadLabel(JsonFieldReader& r, const json& j, const std::string& path, const char* key,
               std::size_t max_bytes, std::string& into) {
  auto value = r.OptionalString(j, path, key);
  if (!value) return;
  const std::string field = JsonFieldReader::Join(path, key);
  if (value->empty()) {
    r.Error(field, "must not be empty");
  } else if (value->size() > max_bytes) {
    r.Error(field, "longer than " + std::to_string(max_bytes) + " bytes");
  } else if (HasControl(*value)) {
    r.Error(field, "control characters (line breaks included)");
  } else {
    into = std::move(*value);
  }
}

bool LevelOfSomeScale(const Catalog& catalog, const std::string& level) {
  return std::any_of(catalog.scales.begin(), catalog.scales.end(),
                     [&](const Scale& scale) { return scale.LevelIndex(level) >= 0; });
}

GradeRule ReadRule(JsonFieldReader& r, const json& j, const std::string& path, double points_max,
                   const Catalog* catalog) {
  GradeRule rule;
  if (!j.is_object()) {
    r.Error(path, "expected an object");
    return rule;
  }
  r.CheckObject(j, path, {"outcome", "min_level", "min_cpes_met", "letter", "points"});
  const std::string outcome = r.String(j, path, "outcome", /*required=*/true);
  if (outcome == "pass") {
    rule.outcome = GradebookOutcome::kPass;
  } else if (outcome == "not_yet") {
    rule.outcome = GradebookOutcome::kNotYet;
  } else if (!outcome.empty()) {
    r.Error(JsonFieldReader::Join(path, "outcome"),
            "expected \"pass\" or \"not_yet\", got \"" + outcome + "\"");
  }
  if (auto level = r.OptionalString(j, path, "min_level")) {
    const std::string field = JsonFieldReader::Join(path, "min_level");
    if (level->empty()) {
      r.Error(field, "must not be empty");
    } else if (catalog && !LevelOfSomeScale(*catalog, *level)) {
      r.Error(field, "'" + *level + "' is not a level of any scale of the catalog");
    } else {
      rule.min_level = std::move(*level);
    }
  }
  if (auto n = r.OptionalInt(j, path, "min_cpes_met", 0, 64))
    rule.min_cpes_met = static_cast<int>(*n);
  ReadLabel(r, j, path, "letter", kMaxGradeLetter, rule.letter);
  if (j.contains("points")) {
    rule.points = r.Number(j, path, "points", 0, 0, points_max);
  }
  if (!j.contains("letter") && !j.contains("points")) {
    r.Error(path, "gives no grade: add \"letter\", \"points\" or both");
  }
  return rule;
}

// Every rule gives the same kinds of grade; each outcome ends with a rule
// without conditions and has nothing after it.
void CheckCoverage(JsonFieldReader& r, const std::vector<GradeRule>& rules,
                   const std::string& path) {
  const bool letters = !rules.front().letter.empty();
  const bool points = rules.front().points.has_value();
  std::optional<std::size_t> catch_all[2];
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const GradeRule& rule = rules[i];
    const std::string field = JsonFieldReader::At(path, i);
    if (!rule.letter.empty() != letters || rule.points.has_value() != points) {
      r.Error(field, std::string("gives ") +
                         (letters && points ? "a letter and points"
                          : letters         ? "a letter"
                                            : "points") +
                         " like grade_map[0], so every student's grade has the same form");
    }
    auto& last = catch_all[rule.outcome == GradebookOutcome::kPass ? 0 : 1];
    if (last) {
      r.Error(field, "never applies: grade_map[" + std::to_string(*last) +
                         "] already grades every '" +
                         std::string(GradebookOutcomeName(rule.outcome)) + "'");
    } else if (rule.Unconditional()) {
      last = i;
    }
  }
  for (GradebookOutcome outcome : {GradebookOutcome::kPass, GradebookOutcome::kNotYet}) {
    if (!catch_all[outcome == GradebookOutcome::kPass ? 0 : 1]) {
      r.Error(path, "no rule grades every '" + std::string(GradebookOutcomeName(outcome)) +
                        "': end with {\"outcome\": \"" +
                        std::string(GradebookOutcomeName(outcome)) + "\"} and a grade");
    }
  }
}

}  // namespace

std::string_view GradebookOutcomeName(GradebookOutcome outcome) {
  return outcome == GradebookOutcome::kPass ? "pass" : "not_yet";
}

Result<GradebookSettings> ParseGradebookSettings(std::string_view json_text,
                                                 const Catalog* catalog) {
  const std::string root(kRoot);
  if (json_text.size() > kMaxSettingBytes) return Status::InvalidField(root, "larger than 64 KB");
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidField(root, "not valid JSON");
  if (!j.is_object()) return Status::InvalidField(root, "expected a JSON object");
  JsonFieldReader r;
  GradebookSettings settings;
  r.CheckObject(j, root, {"pass_label", "not_yet_label", "points_max", "grade_map"});
  ReadLabel(r, j, root, "pass_label", kMaxGradebookLabel, settings.pass_label);
  ReadLabel(r, j, root, "not_yet_label", kMaxGradebookLabel, settings.not_yet_label);
  if (settings.pass_label == settings.not_yet_label) {
    r.Error(JsonFieldReader::Join(root, "not_yet_label"), "must differ from pass_label");
  }
  settings.points_max = r.Number(j, root, "points_max", settings.points_max, 1, kMaxPoints);
  const std::string map_path = JsonFieldReader::Join(root, "grade_map");
  if (const json* map = r.Array(j, root, "grade_map", false)) {
    if (map->size() > kMaxGradeRules) {
      r.Error(map_path, "more than " + std::to_string(kMaxGradeRules) + " rules");
    } else {
      for (std::size_t i = 0; i < map->size(); ++i) {
        settings.grade_map.push_back(
            ReadRule(r, (*map)[i], JsonFieldReader::At(map_path, i), settings.points_max, catalog));
      }
      if (r.ok() && !settings.grade_map.empty()) CheckCoverage(r, settings.grade_map, map_path);
    }
  }
  if (!r.ok()) return r.ToStatus();
  return settings;
}

std::string GradebookSettingsToJson(const GradebookSettings& settings) {
  json map = json::array();
  for (const GradeRule& rule : settings.grade_map) {
    json item{{"outcome", GradebookOutcomeName(rule.outcome)}};
    if (!rule.min_level.empty()) item["min_level"] = rule.min_level;
    if (rule.min_cpes_met) item["min_cpes_met"] = *rule.min_cpes_met;
    if (!rule.letter.empty()) item["letter"] = rule.letter;
    if (rule.points) item["points"] = *rule.points;
    map.push_back(std::move(item));
  }
  return json{{"pass_label", settings.pass_label},
              {"not_yet_label", settings.not_yet_label},
              {"points_max", settings.points_max},
              {"grade_map", std::move(map)}}
      .dump();
}

Result<GradebookSettings> LoadGradebookSettings(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto stored, store.GetSetting(kGradebookSettingKey));
  if (!stored) return GradebookSettings{};
  auto settings = ParseGradebookSettings(*stored);
  if (!settings.ok()) {
    return Status::Internal("stored setting 'gradebook' no longer parses: " +
                            settings.status().message());
  }
  return settings;
}

Result<GradebookSettings> SaveGradebookSettings(Store& store, std::string_view json_text,
                                                const Catalog* catalog) {
  CAIRN_ASSIGN_OR_RETURN(GradebookSettings settings, ParseGradebookSettings(json_text, catalog));
  CAIRN_RETURN_IF_ERROR(store.PutSetting(kGradebookSettingKey, GradebookSettingsToJson(settings)));
  return settings;
}

const GradeRule* MatchGradeRule(const GradebookSettings& settings, GradebookOutcome outcome,
                                const BadgeExplanation& explanation, const Scale& scale) {
  for (const GradeRule& rule : settings.grade_map) {
    if (rule.outcome != outcome) continue;
    if (rule.min_cpes_met && explanation.cpes_counting < *rule.min_cpes_met) continue;
    if (!rule.min_level.empty()) {
      const int needed = scale.LevelIndex(rule.min_level);
      if (needed < 0) continue;
      const bool all_at_level =
          !explanation.cpes.empty() &&
          std::all_of(explanation.cpes.begin(), explanation.cpes.end(),
                      [&](const CpeExplanation& cpe) {
                        return cpe.has_evidence && scale.LevelIndex(cpe.level_id) >= needed;
                      });
      if (!all_at_level) continue;
    }
    return &rule;
  }
  return nullptr;
}

}  // namespace cairn
