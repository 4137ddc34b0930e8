#include "catalog/catalog_json.h"

#include "common/json_fields.h"
#include "common/json_limits.h"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace cairn {
namespace {

using nlohmann::json;

// Reads one JSON document into a Catalog, collecting every problem with its
// JSON path instead of stopping at the first, so a district fixes a file in
// one pass.
class CatalogReader {
 public:
  explicit CatalogReader(std::string_view source) : source_(source) {}

  Result<Catalog> Read(std::string_view text) {
    auto parsed = ParseUntrustedJson(text, source_);
    if (!parsed.ok()) return parsed.status();
    const json& root = *parsed;
    ReadRoot(root);
    if (fields_.ok()) CheckReferences();
    if (!fields_.ok()) return fields_.ToStatus(source_);
    catalog_.Index();
    return std::move(catalog_);
  }

 private:
  // The shared typed reader (common/json_fields.h) with the catalog's
  // JSON paths ("$.badges[2].code").
  void Error(const std::string& path, const std::string& what) { fields_.Error(path, what); }
  bool CheckObject(const json& j, const std::string& path,
                   std::initializer_list<std::string_view> allowed) {
    if (!j.is_object()) {
      Error(path, "expected an object");
      return false;
    }
    return fields_.CheckObject(j, path, allowed);
  }
  std::string String(const json& j, const std::string& path, const char* key, bool required,
                     bool non_empty = true) {
    return fields_.String(j, path, key, required, non_empty);
  }
  std::vector<std::string> Strings(const json& j, const std::string& path, const char* key) {
    return fields_.Strings(j, path, key);
  }
  const json* Array(const json& j, const std::string& path, const char* key, bool required) {
    return fields_.Array(j, path, key, required);
  }
  bool Bool(const json& j, const std::string& path, const char* key, bool fallback) {
    return fields_.Bool(j, path, key, fallback);
  }
  int Int(const json& j, const std::string& path, const char* key, int fallback, int min, int max) {
    return static_cast<int>(fields_.Int(j, path, key, fallback, min, max));
  }

  // Records `id` under `kind`; a second occurrence is an error naming the first.
  void Unique(std::map<std::string, std::string>& seen, const std::string& id,
              const std::string& path, const char* kind) {
    if (id.empty()) return;
    auto [it, inserted] = seen.emplace(id, path);
    if (!inserted)
      Error(path, std::string("duplicate ") + kind + " '" + id + "' (first at " + it->second + ")");
  }

  void ReadRoot(const json& root) {
    const std::string path = "$";
    if (!CheckObject(root, path,
                     {"format", "format_version", "framework", "scales", "default_scale",
                      "calculation", "habits", "badges", "pathways"})) {
      return;
    }
    if (String(root, path, "format", true) != "cairn-catalog" && root.contains("format")) {
      Error("$.format", "expected \"cairn-catalog\"");
    }
    int version = Int(root, path, "format_version", 0, 1, 1000);
    if (version != kCatalogFormatVersion) {
      Error("$.format_version",
            "this Cairn reads format_version " + std::to_string(kCatalogFormatVersion));
    }
    ReadFramework(root);
    if (const json* scales = Array(root, path, "scales", true)) {
      for (std::size_t i = 0; i < scales->size(); ++i) {
        ReadScale((*scales)[i], "$.scales[" + std::to_string(i) + "]");
      }
      if (scales->empty()) Error("$.scales", "at least one proficiency scale is needed");
    }
    default_scale_ = String(root, path, "default_scale", false);
    if (root.contains("calculation")) {
      catalog_.default_calculation = ReadCalculation(root["calculation"], "$.calculation");
    }
    if (root.contains("habits")) ReadHabits(root["habits"], "$.habits");
    if (const json* badges = Array(root, path, "badges", true)) {
      for (std::size_t i = 0; i < badges->size(); ++i) {
        ReadBadge((*badges)[i], "$.badges[" + std::to_string(i) + "]");
      }
    }
    if (const json* pathways = Array(root, path, "pathways", false)) {
      for (std::size_t i = 0; i < pathways->size(); ++i) {
        ReadPathway((*pathways)[i], "$.pathways[" + std::to_string(i) + "]");
      }
    }
  }

  void ReadFramework(const json& root) {
    auto it = root.find("framework");
    if (it == root.end()) {
      Error("$.framework", "missing");
      return;
    }
    const std::string path = "$.framework";
    if (!CheckObject(*it, path, {"id", "title", "version", "publisher"})) return;
    catalog_.framework_id = String(*it, path, "id", true);
    catalog_.title = String(*it, path, "title", true);
    catalog_.version = String(*it, path, "version", false);
    catalog_.publisher = String(*it, path, "publisher", false);
  }

  void ReadScale(const json& j, const std::string& path) {
    if (!CheckObject(j, path, {"id", "title", "levels"})) return;
    Scale scale;
    scale.id = String(j, path, "id", true);
    scale.title = String(j, path, "title", false);
    Unique(scale_paths_, scale.id, path + ".id", "scale id");
    const json* levels = Array(j, path, "levels", true);
    if (!levels) return;
    std::map<std::string, std::string> level_ids;
    for (std::size_t i = 0; i < levels->size(); ++i) {
      const json& lj = (*levels)[i];
      std::string lpath = path + ".levels[" + std::to_string(i) + "]";
      if (!CheckObject(lj, lpath, {"id", "label", "score", "mastery", "description"})) continue;
      ScaleLevel level;
      level.id = String(lj, lpath, "id", true);
      level.label = String(lj, lpath, "label", true);
      level.description = String(lj, lpath, "description", false, false);
      level.mastery = Bool(lj, lpath, "mastery", false);
      auto score = lj.find("score");
      if (score == lj.end() || !score->is_number()) {
        Error(lpath + ".score", "expected a number");
      } else {
        level.score = score->get<double>();
      }
      Unique(level_ids, level.id, lpath + ".id", "level id");
      if (!scale.levels.empty() && level.score <= scale.levels.back().score) {
        Error(lpath + ".score", "levels must be listed in ascending score order");
      }
      if (!scale.levels.empty() && scale.levels.back().mastery && !level.mastery) {
        Error(lpath + ".mastery", "a level above a mastery level must count as mastery too");
      }
      scale.levels.push_back(std::move(level));
    }
    if (scale.levels.size() < 2) {
      Error(path + ".levels", "a scale needs at least two levels");
    } else if (std::none_of(scale.levels.begin(), scale.levels.end(),
                            [](const ScaleLevel& l) { return l.mastery; })) {
      Error(path + ".levels", "no level counts as mastery (set \"mastery\": true on one)");
    } else if (scale.levels.front().mastery) {
      Error(path + ".levels", "the lowest level cannot count as mastery");
    }
    catalog_.scales.push_back(std::move(scale));
  }

  CalculationSpec ReadCalculation(const json& j, const std::string& path) {
    CalculationSpec spec;
    if (!CheckObject(j, path, {"method", "n", "weight", "include_formative"})) return spec;
    std::string name = String(j, path, "method", true);
    if (auto method = ParseMethod(name)) {
      spec.method = *method;
    } else if (!name.empty()) {
      Error(path + ".method", "unknown method '" + name + "'");
    }
    spec.n = Int(j, path, "n", spec.n, 1, 100);
    auto weight = j.find("weight");
    if (weight != j.end()) {
      if (!weight->is_number() || weight->get<double>() <= 0 || weight->get<double>() > 1) {
        Error(path + ".weight", "expected a number greater than 0 and at most 1");
      } else {
        spec.weight = weight->get<double>();
      }
    }
    spec.include_formative = Bool(j, path, "include_formative", false);
    return spec;
  }

  void ReadHabits(const json& j, const std::string& path) {
    if (!CheckObject(j, path, {"scale", "items"})) return;
    catalog_.habit_scale_id = String(j, path, "scale", true);
    const json* items = Array(j, path, "items", true);
    if (!items) return;
    std::map<std::string, std::string> seen;
    for (std::size_t i = 0; i < items->size(); ++i) {
      std::string hpath = path + ".items[" + std::to_string(i) + "]";
      const json& hj = (*items)[i];
      if (!CheckObject(hj, hpath, {"id", "label", "description"})) continue;
      Habit habit{String(hj, hpath, "id", true), String(hj, hpath, "label", true),
                  String(hj, hpath, "description", false, false)};
      Unique(seen, habit.id, hpath + ".id", "habit id");
      catalog_.habits.push_back(std::move(habit));
    }
  }

  void ReadBadge(const json& j, const std::string& path) {
    if (!CheckObject(j, path,
                     {"code", "title", "description", "grouping", "scale", "prerequisites",
                      "calculation", "award_rule", "cpes"})) {
      return;
    }
    Badge badge;
    badge.code = String(j, path, "code", true);
    badge.title = String(j, path, "title", true);
    badge.description = String(j, path, "description", false, false);
    badge.grouping = String(j, path, "grouping", false, false);
    badge.scale_id = String(j, path, "scale", false);
    badge.prerequisites = Strings(j, path, "prerequisites");
    Unique(badge_paths_, badge.code, path + ".code", "badge code");
    if (j.contains("calculation")) {
      badge.calculation = ReadCalculation(j["calculation"], path + ".calculation");
    }
    badge_cpe_codes_.clear();
    if (const json* cpes = Array(j, path, "cpes", true)) {
      for (std::size_t i = 0; i < cpes->size(); ++i) {
        ReadCpe((*cpes)[i], path + ".cpes[" + std::to_string(i) + "]", badge);
      }
      if (cpes->empty()) Error(path + ".cpes", "a badge needs at least one CPE");
    }
    if (j.contains("award_rule")) ReadRule(j["award_rule"], path + ".award_rule", badge);
    badge_json_paths_.push_back(path);
    catalog_.badges.push_back(std::move(badge));
  }

  void ReadCpe(const json& j, const std::string& path, Badge& badge) {
    if (!CheckObject(j, path,
                     {"id", "label", "statement", "kind", "indicators", "alignments", "calculation",
                      "code", "level_descriptions"})) {
      return;
    }
    Cpe cpe;
    cpe.id = String(j, path, "id", true);
    cpe.label = String(j, path, "label", true);
    cpe.code = Code(j, path);
    if (!cpe.code.empty()) Unique(badge_cpe_codes_, cpe.code, path + ".code", "CPE code");
    ReadLevelDescriptions(j, path, cpe);
    cpe.statement = String(j, path, "statement", false, false);
    std::string kind = String(j, path, "kind", false);
    if (kind == "practice") {
      cpe.kind = CpeKind::kPractice;
    } else if (!kind.empty() && kind != "content") {
      Error(path + ".kind", "expected \"content\" or \"practice\"");
    }
    cpe.alignments = Strings(j, path, "alignments");
    Unique(cpe_paths_, cpe.id, path + ".id", "CPE id");
    if (j.contains("calculation")) {
      cpe.calculation = ReadCalculation(j["calculation"], path + ".calculation");
    }
    if (const json* indicators = Array(j, path, "indicators", false)) {
      std::map<std::string, std::string> indicator_codes;
      for (std::size_t i = 0; i < indicators->size(); ++i) {
        std::string ipath = path + ".indicators[" + std::to_string(i) + "]";
        const json& ij = (*indicators)[i];
        if (!CheckObject(ij, ipath, {"id", "label", "description", "code"})) continue;
        Indicator indicator{String(ij, ipath, "id", true), String(ij, ipath, "label", true),
                            String(ij, ipath, "description", false, false), Code(ij, ipath)};
        Unique(indicator_paths_, indicator.id, ipath + ".id", "indicator id");
        Unique(indicator_codes, indicator.code, ipath + ".code", "indicator code");
        cpe.indicators.push_back(std::move(indicator));
      }
    }
    badge.cpes.push_back(std::move(cpe));
  }

  // A short code as the guide prints it ("101a", "ii"): optional, but when
  // given it is what people read beside the id, so it must be short and
  // printable on one line.
  std::string Code(const json& j, const std::string& path) {
    std::string code = String(j, path, "code", false);
    const bool printable = std::none_of(code.begin(), code.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (code.size() > kMaxCodeLength || !printable ||
        (!code.empty() && (code.front() == ' ' || code.back() == ' '))) {
      Error(path + ".code", "expected a short code (at most " + std::to_string(kMaxCodeLength) +
                                " characters, one line, no spaces at either end)");
      return {};
    }
    return code;
  }

  // {"proficient": "text", ...}; the level ids are checked against the
  // badge's scale once every scale is known (CheckReferences).
  void ReadLevelDescriptions(const json& j, const std::string& path, Cpe& cpe) {
    const json* levels = fields_.Object(j, path, "level_descriptions", false);
    if (!levels) return;
    const std::string lpath = path + ".level_descriptions";
    for (const auto& [level, text] : levels->items()) {
      const std::string where = lpath + "." + level;
      if (!text.is_string() || text.get<std::string>().empty()) {
        Error(where, "expected a non-empty text");
        continue;
      }
      cpe.level_descriptions[level] = text.get<std::string>();
      level_checks_.push_back({catalog_.badges.size(), level, where});
    }
  }

  void ReadRule(const json& j, const std::string& path, Badge& badge) {
    if (!CheckObject(j, path,
                     {"quorum", "at_least", "required_cpes", "min_evidence_per_cpe",
                      "required_evidence_kinds", "prerequisites_earned"})) {
      return;
    }
    AwardRule& rule = badge.rule;
    std::string quorum = String(j, path, "quorum", false);
    if (quorum == "majority") {
      rule.quorum = AwardRule::Quorum::kMajority;
    } else if (quorum == "at_least") {
      rule.quorum = AwardRule::Quorum::kAtLeast;
      const int cpe_count = static_cast<int>(badge.cpes.size());
      rule.at_least = Int(j, path, "at_least", 0, 1, std::max(cpe_count, 1));
      if (!j.contains("at_least")) Error(path + ".at_least", "missing (quorum is at_least)");
    } else if (!quorum.empty() && quorum != "all") {
      Error(path + ".quorum", "expected \"all\", \"majority\" or \"at_least\"");
    }
    if (rule.quorum != AwardRule::Quorum::kAtLeast && j.contains("at_least")) {
      Error(path + ".at_least", "only meaningful with \"quorum\": \"at_least\"");
    }
    rule.required_cpes = Strings(j, path, "required_cpes");
    for (std::size_t i = 0; i < rule.required_cpes.size(); ++i) {
      const std::string& id = rule.required_cpes[i];
      bool in_badge = std::any_of(badge.cpes.begin(), badge.cpes.end(),
                                  [&](const Cpe& c) { return c.id == id; });
      if (!in_badge) {
        Error(path + ".required_cpes[" + std::to_string(i) + "]",
              "CPE '" + id + "' is not a CPE of badge " + badge.code);
      }
    }
    rule.min_evidence_per_cpe = Int(j, path, "min_evidence_per_cpe", 1, 1, 100);
    std::vector<std::string> kinds = Strings(j, path, "required_evidence_kinds");
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      if (auto kind = ParseEvidenceKind(kinds[i])) {
        rule.required_kinds.push_back(*kind);
      } else {
        Error(path + ".required_evidence_kinds[" + std::to_string(i) + "]",
              "unknown evidence kind '" + kinds[i] + "'");
      }
    }
    rule.prerequisites_earned = Bool(j, path, "prerequisites_earned", true);
  }

  void ReadPathway(const json& j, const std::string& path) {
    if (!CheckObject(j, path, {"id", "title", "description", "badges", "example"})) return;
    Pathway pathway;
    pathway.id = String(j, path, "id", true);
    pathway.title = String(j, path, "title", true);
    pathway.description = String(j, path, "description", false, false);
    pathway.badges = Strings(j, path, "badges");
    pathway.example = Bool(j, path, "example", false);
    Unique(pathway_paths_, pathway.id, path + ".id", "pathway id");
    if (pathway.badges.empty()) Error(path + ".badges", "a pathway needs at least one badge");
    pathway_json_paths_.push_back(path);
    catalog_.pathways.push_back(std::move(pathway));
  }

  // Checks that need the whole document: scales, prerequisites, cycles.
  void CheckReferences() {
    if (!default_scale_.empty() && !scale_paths_.count(default_scale_)) {
      Error("$.default_scale", "unknown scale '" + default_scale_ + "'");
    }
    const std::string fallback_scale =
        !default_scale_.empty() ? default_scale_ : catalog_.scales.front().id;
    if (!catalog_.habit_scale_id.empty() && !scale_paths_.count(catalog_.habit_scale_id)) {
      Error("$.habits.scale", "unknown scale '" + catalog_.habit_scale_id + "'");
    }
    for (std::size_t b = 0; b < catalog_.badges.size(); ++b) {
      Badge& badge = catalog_.badges[b];
      const std::string& path = badge_json_paths_[b];
      // A badge relying on an unknown default_scale is already reported there.
      if (badge.scale_id.empty()) {
        badge.scale_id = fallback_scale;
      } else if (!scale_paths_.count(badge.scale_id)) {
        Error(path + ".scale", "unknown scale '" + badge.scale_id + "'");
      }
      if (const Scale* scale = catalog_.FindScale(badge.scale_id)) {
        for (const LevelCheck& check : level_checks_) {
          if (check.badge != b || scale->LevelIndex(check.level) >= 0) continue;
          Error(check.path, "unknown level '" + check.level + "' of scale '" + scale->id + "'");
        }
      }
      for (std::size_t p = 0; p < badge.prerequisites.size(); ++p) {
        const std::string& code = badge.prerequisites[p];
        std::string where = path + ".prerequisites[" + std::to_string(p) + "]";
        if (!badge_paths_.count(code)) Error(where, "unknown badge '" + code + "'");
        if (code == badge.code) Error(where, "a badge cannot be its own prerequisite");
      }
    }
    for (std::size_t p = 0; p < catalog_.pathways.size(); ++p) {
      const Pathway& pathway = catalog_.pathways[p];
      for (std::size_t i = 0; i < pathway.badges.size(); ++i) {
        if (!badge_paths_.count(pathway.badges[i])) {
          Error(pathway_json_paths_[p] + ".badges[" + std::to_string(i) + "]",
                "unknown badge '" + pathway.badges[i] + "'");
        }
      }
    }
    if (fields_.ok()) CheckCycles();
  }

  // Depth-first search over prerequisites; reports each cycle once with its
  // members in order ("M201 -> M202 -> M201").
  void CheckCycles() {
    std::map<std::string, std::size_t> by_code;
    for (std::size_t b = 0; b < catalog_.badges.size(); ++b) by_code[catalog_.badges[b].code] = b;
    enum class Mark { kNone, kActive, kDone };
    std::map<std::string, Mark> mark;
    std::vector<std::string> stack;
    std::function<void(std::size_t)> visit = [&](std::size_t b) {
      const Badge& badge = catalog_.badges[b];
      mark[badge.code] = Mark::kActive;
      stack.push_back(badge.code);
      for (const std::string& pre : badge.prerequisites) {
        if (mark[pre] == Mark::kActive) {
          std::string cycle;
          auto start = std::find(stack.begin(), stack.end(), pre);
          for (auto it = start; it != stack.end(); ++it) cycle += *it + " -> ";
          Error(badge_json_paths_[b] + ".prerequisites", "prerequisite cycle: " + cycle + pre);
        } else if (mark[pre] == Mark::kNone) {
          visit(by_code[pre]);
        }
      }
      stack.pop_back();
      mark[badge.code] = Mark::kDone;
    };
    for (std::size_t b = 0; b < catalog_.badges.size(); ++b) {
      if (mark[catalog_.badges[b].code] == Mark::kNone) visit(b);
    }
  }

  std::string_view source_;
  Catalog catalog_;
  JsonFieldReader fields_;
  std::string default_scale_;
  std::map<std::string, std::string> scale_paths_, badge_paths_, cpe_paths_, indicator_paths_,
      pathway_paths_;
  std::vector<std::string> badge_json_paths_, pathway_json_paths_;
  std::map<std::string, std::string> badge_cpe_codes_;  // of the badge being read
  // A level description's level id, checked against its badge's scale.
  struct LevelCheck {
    std::size_t badge;
    std::string level;
    std::string path;
  };
  std::vector<LevelCheck> level_checks_;
  static constexpr std::size_t kMaxCodeLength = 24;
};

const char* QuorumName(AwardRule::Quorum quorum) {
  switch (quorum) {
    case AwardRule::Quorum::kAll:
      return "all";
    case AwardRule::Quorum::kAtLeast:
      return "at_least";
    case AwardRule::Quorum::kMajority:
      return "majority";
  }
  return "all";
}

json RuleToJson(const AwardRule& rule) {
  json j{{"quorum", QuorumName(rule.quorum)},
         {"min_evidence_per_cpe", rule.min_evidence_per_cpe},
         {"prerequisites_earned", rule.prerequisites_earned}};
  if (rule.quorum == AwardRule::Quorum::kAtLeast) j["at_least"] = rule.at_least;
  if (!rule.required_cpes.empty()) j["required_cpes"] = rule.required_cpes;
  if (!rule.required_kinds.empty()) {
    json kinds = json::array();
    for (EvidenceKind kind : rule.required_kinds) kinds.push_back(EvidenceKindName(kind));
    j["required_evidence_kinds"] = kinds;
  }
  return j;
}

}  // namespace

Result<Catalog> ParseCatalog(std::string_view json_text, std::string_view source) {
  return CatalogReader(source).Read(json_text);
}

json CalculationToJson(const CalculationSpec& spec) {
  return json{{"method", MethodName(spec.method)},
              {"n", spec.n},
              {"weight", spec.weight},
              {"include_formative", spec.include_formative}};
}

json CatalogToJson(const Catalog& catalog) {
  json root{{"format", "cairn-catalog"}, {"format_version", kCatalogFormatVersion}};
  root["framework"] = {{"id", catalog.framework_id}, {"title", catalog.title}};
  // Optional strings the reader rejects when empty are left out when unset.
  if (!catalog.version.empty()) root["framework"]["version"] = catalog.version;
  if (!catalog.publisher.empty()) root["framework"]["publisher"] = catalog.publisher;
  json scales = json::array();
  for (const Scale& scale : catalog.scales) {
    json levels = json::array();
    for (const ScaleLevel& level : scale.levels) {
      levels.push_back({{"id", level.id},
                        {"label", level.label},
                        {"score", level.score},
                        {"mastery", level.mastery},
                        {"description", level.description}});
    }
    json sj{{"id", scale.id}, {"levels", levels}};
    if (!scale.title.empty()) sj["title"] = scale.title;
    scales.push_back(std::move(sj));
  }
  root["scales"] = scales;
  root["calculation"] = CalculationToJson(catalog.default_calculation);
  if (!catalog.habits.empty()) {
    json items = json::array();
    for (const Habit& habit : catalog.habits) {
      items.push_back(
          {{"id", habit.id}, {"label", habit.label}, {"description", habit.description}});
    }
    root["habits"] = {{"scale", catalog.habit_scale_id}, {"items", items}};
  }
  json badges = json::array();
  for (const Badge& badge : catalog.badges) {
    json cpes = json::array();
    for (const Cpe& cpe : badge.cpes) {
      json indicators = json::array();
      for (const Indicator& ind : cpe.indicators) {
        json ij{{"id", ind.id}, {"label", ind.label}, {"description", ind.description}};
        if (!ind.code.empty()) ij["code"] = ind.code;
        indicators.push_back(std::move(ij));
      }
      json cj{{"id", cpe.id},
              {"label", cpe.label},
              {"statement", cpe.statement},
              {"kind", cpe.kind == CpeKind::kPractice ? "practice" : "content"},
              {"indicators", indicators}};
      if (!cpe.alignments.empty()) cj["alignments"] = cpe.alignments;
      if (cpe.calculation) cj["calculation"] = CalculationToJson(*cpe.calculation);
      if (!cpe.code.empty()) cj["code"] = cpe.code;
      if (!cpe.level_descriptions.empty()) cj["level_descriptions"] = cpe.level_descriptions;
      cpes.push_back(std::move(cj));
    }
    json bj{{"code", badge.code},
            {"title", badge.title},
            {"description", badge.description},
            {"grouping", badge.grouping},
            {"scale", badge.scale_id},
            {"prerequisites", badge.prerequisites},
            {"award_rule", RuleToJson(badge.rule)},
            {"cpes", cpes}};
    if (badge.calculation) bj["calculation"] = CalculationToJson(*badge.calculation);
    badges.push_back(std::move(bj));
  }
  root["badges"] = badges;
  json pathways = json::array();
  for (const Pathway& pathway : catalog.pathways) {
    pathways.push_back({{"id", pathway.id},
                        {"title", pathway.title},
                        {"description", pathway.description},
                        {"badges", pathway.badges},
                        {"example", pathway.example}});
  }
  root["pathways"] = pathways;
  return root;
}

}  // namespace cairn
