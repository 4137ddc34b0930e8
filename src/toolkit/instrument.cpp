#include "toolkit/instrument.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/json_fields.h"
#include "common/json_limits.h"

namespace cairn {
namespace {

using nlohmann::json;

// Name tables: one place for the JSON spelling of each enum.
constexpr std::array<std::pair<InstrumentKind, std::string_view>, 4> kKindNames{{
    {InstrumentKind::kSurvey, "survey"},
    {InstrumentKind::kDiscussion, "discussion"},
    {InstrumentKind::kRubric, "rubric"},
    {InstrumentKind::kStaging, "staging"},
}};
constexpr std::array<std::pair<RespondentRole, std::string_view>, 6> kRoleNames{{
    {RespondentRole::kDistrictLeader, "district_leader"},
    {RespondentRole::kSchoolLeader, "school_leader"},
    {RespondentRole::kTeacher, "teacher"},
    {RespondentRole::kStudent, "student"},
    {RespondentRole::kGuardian, "guardian"},
    {RespondentRole::kAdmin, "admin"},
}};
constexpr std::array<std::pair<RepeatEvery, std::string_view>, 4> kRepeatNames{{
    {RepeatEvery::kNone, "none"},
    {RepeatEvery::kTermly, "termly"},
    {RepeatEvery::kYearly, "yearly"},
    {RepeatEvery::kWeeks, "weeks"},
}};
constexpr std::array<std::pair<ResponseKind, std::string_view>, 3> kResponseNames{{
    {ResponseKind::kScale, "scale"},
    {ResponseKind::kText, "text"},
    {ResponseKind::kRubric, "rubric"},
}};

template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "";
}

template <typename Enum, std::size_t N>
std::optional<Enum> FromName(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string NameList(const std::array<std::pair<Enum, std::string_view>, N>& table) {
  std::string out;
  for (const auto& entry : table) {
    if (!out.empty()) out += ", ";
    out += "\"" + std::string(entry.second) + "\"";
  }
  return out;
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

std::string At(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// Reads one instrument document, collecting every problem with its JSON path
// (like the catalog reader) so an author fixes a file in one pass.
class InstrumentReader {
 public:
  explicit InstrumentReader(std::string_view source) : source_(source) {}

  Result<Instrument> Read(std::string_view text) {
    auto parsed = ParseUntrustedJson(text, source_);
    if (!parsed.ok()) return parsed.status();
    ReadRoot(*parsed);
    CheckReferences();
    if (!fields_.ok()) return fields_.ToStatus(source_);
    return std::move(instrument_);
  }

 private:
  void Error(const std::string& path, const std::string& what) { fields_.Error(path, what); }

  bool CheckObject(const json& j, const std::string& path,
                   std::initializer_list<std::string_view> allowed) {
    if (!j.is_object()) {
      Error(path, "expected an object");
      return false;
    }
    return fields_.CheckObject(j, path, allowed);
  }

  // Wording shown to respondents: present (when required), a string, and
  // not blank.
  std::string Wording(const json& j, const std::string& path, const char* key, bool required) {
    std::string value = fields_.String(j, path, key, required, required);
    if (!value.empty() && IsBlank(value)) Error(path + "." + key, "must not be blank");
    return value;
  }

  std::vector<std::string> WordingList(const json& j, const std::string& path, const char* key) {
    std::vector<std::string> values = fields_.Strings(j, path, key);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (IsBlank(values[i])) Error(At(path + "." + key, i), "must not be blank");
    }
    return values;
  }

  std::string Id(const json& j, const std::string& path) {
    std::string id = fields_.String(j, path, "id", true);
    if (!id.empty() && !IsValidId(id)) {
      Error(path + ".id", "use 1 to 64 of a-z, 0-9, '-', '_' and '.'");
    }
    return id;
  }

  // Records `id` under its kind; a second occurrence names the first.
  void Unique(std::map<std::string, std::string>& seen, const std::string& id,
              const std::string& path, const char* kind) {
    if (id.empty()) return;
    auto [it, inserted] = seen.emplace(id, path);
    if (!inserted) {
      Error(path,
            std::string("duplicate ") + kind + " \"" + id + "\" (first at " + it->second + ")");
    }
  }

  void ReadRoot(const json& root) {
    const std::string path = "$";
    if (!CheckObject(root, path,
                     {"format", "format_version", "id", "title", "description", "source", "kind",
                      "respondents", "anonymous", "repeat", "scales", "sections"})) {
      return;
    }
    if (fields_.String(root, path, "format", true) != "cairn-instrument" &&
        root.contains("format")) {
      Error("$.format", "expected \"cairn-instrument\"");
    }
    const auto version = fields_.Int(root, path, "format_version", 0, 1, 1000);
    if (version != kInstrumentFormatVersion && root.contains("format_version")) {
      Error("$.format_version",
            "this Cairn reads format_version " + std::to_string(kInstrumentFormatVersion));
    } else if (!root.contains("format_version")) {
      Error("$.format_version", "missing");
    }
    instrument_.id = Id(root, path);
    instrument_.title = Wording(root, path, "title", true);
    instrument_.description = Wording(root, path, "description", false);
    ReadSource(root);
    const std::string kind = fields_.String(root, path, "kind", true);
    if (auto parsed = InstrumentKindFromName(kind)) {
      instrument_.kind = *parsed;
    } else if (!kind.empty()) {
      Error("$.kind",
            "unknown kind \"" + kind + "\" (expected one of " + NameList(kKindNames) + ")");
    }
    ReadRespondents(root);
    instrument_.anonymous = fields_.Bool(root, path, "anonymous", true);
    ReadRepeat(root);
    if (const json* scales = fields_.Array(root, path, "scales", false)) {
      for (std::size_t i = 0; i < scales->size(); ++i) ReadScale((*scales)[i], At("$.scales", i));
    }
    if (const json* sections = fields_.Array(root, path, "sections", true)) {
      for (std::size_t i = 0; i < sections->size(); ++i) {
        ReadSection((*sections)[i], At("$.sections", i));
      }
      if (sections->empty()) Error("$.sections", "an instrument needs at least one section");
    }
  }

  void ReadSource(const json& root) {
    auto it = root.find("source");
    if (it == root.end()) return;
    const std::string path = "$.source";
    if (!CheckObject(*it, path, {"seed", "template"})) return;
    instrument_.source.seed = Wording(*it, path, "seed", true);
    instrument_.source.template_name = Wording(*it, path, "template", false);
  }

  void ReadRespondents(const json& root) {
    const json* roles = fields_.Array(root, "$", "respondents", true);
    if (!roles) return;
    if (roles->empty()) Error("$.respondents", "name at least one role that may respond");
    for (std::size_t i = 0; i < roles->size(); ++i) {
      const json& role = (*roles)[i];
      const std::string path = At("$.respondents", i);
      if (!role.is_string()) {
        Error(path, "expected a role name");
        continue;
      }
      auto parsed = RespondentRoleFromName(role.get<std::string>());
      if (!parsed) {
        Error(path, "unknown role \"" + role.get<std::string>() + "\" (expected one of " +
                        NameList(kRoleNames) + ")");
        continue;
      }
      if (instrument_.MayRespond(*parsed)) {
        Error(path, "role \"" + role.get<std::string>() + "\" is listed twice");
        continue;
      }
      instrument_.respondents.push_back(*parsed);
    }
  }

  void ReadRepeat(const json& root) {
    auto it = root.find("repeat");
    if (it == root.end()) return;
    const std::string path = "$.repeat";
    if (!CheckObject(*it, path, {"every", "weeks"})) return;
    const std::string every = fields_.String(*it, path, "every", true);
    auto parsed = RepeatEveryFromName(every);
    if (!parsed) {
      if (!every.empty()) {
        Error(path + ".every", "unknown schedule \"" + every + "\" (expected one of " +
                                   NameList(kRepeatNames) + ")");
      }
      return;
    }
    instrument_.repeat.every = *parsed;
    if (*parsed == RepeatEvery::kWeeks) {
      auto weeks = fields_.OptionalInt(*it, path, "weeks", 1, 104, true);
      instrument_.repeat.weeks = weeks ? static_cast<int>(*weeks) : 0;
    } else if (it->contains("weeks")) {
      Error(path + ".weeks", "only for \"every\": \"weeks\"");
    }
  }

  void ReadScale(const json& j, const std::string& path) {
    if (!CheckObject(j, path, {"id", "title", "points"})) return;
    ResponseScale scale;
    scale.id = Id(j, path);
    scale.title = Wording(j, path, "title", false);
    Unique(scale_paths_, scale.id, path + ".id", "scale id");
    const json* points = fields_.Array(j, path, "points", true);
    if (!points) return;
    for (std::size_t i = 0; i < points->size(); ++i) {
      const std::string ppath = At(path + ".points", i);
      const json& pj = (*points)[i];
      if (!CheckObject(pj, ppath, {"value", "label", "description", "activities"})) continue;
      ScalePoint point;
      auto value = fields_.OptionalInt(pj, ppath, "value", -1000, 1000, true);
      point.value = value ? static_cast<int>(*value) : 0;
      point.label = Wording(pj, ppath, "label", true);
      point.description = Wording(pj, ppath, "description", false);
      point.activities = WordingList(pj, ppath, "activities");
      if (value && !scale.points.empty() && point.value <= scale.points.back().value) {
        Error(ppath + ".value", "points must be listed in increasing value order");
      }
      scale.points.push_back(std::move(point));
    }
    if (points->size() < 2) Error(path + ".points", "a scale needs at least two points");
    instrument_.scales.push_back(std::move(scale));
  }

  void ReadSection(const json& j, const std::string& path) {
    if (!CheckObject(j, path, {"id", "title", "description", "indicators", "items"})) return;
    InstrumentSection section;
    section.id = Id(j, path);
    section.title = Wording(j, path, "title", true);
    section.description = Wording(j, path, "description", false);
    Unique(section_paths_, section.id, path + ".id", "section id");
    if (const json* indicators = fields_.Array(j, path, "indicators", false)) {
      std::map<std::string, std::string> seen;
      for (std::size_t i = 0; i < indicators->size(); ++i) {
        const std::string ipath = At(path + ".indicators", i);
        const json& ij = (*indicators)[i];
        if (!CheckObject(ij, ipath, {"id", "category", "system", "student", "shift"})) continue;
        IndicatorCategory indicator;
        indicator.id = Id(ij, ipath);
        indicator.category = Wording(ij, ipath, "category", true);
        indicator.system_indicator = Wording(ij, ipath, "system", true);
        indicator.student_indicator = Wording(ij, ipath, "student", true);
        if (const json* shift = fields_.Object(ij, ipath, "shift", false)) {
          const std::string spath = ipath + ".shift";
          if (CheckObject(*shift, spath, {"from", "to", "description"})) {
            indicator.shift_from = Wording(*shift, spath, "from", true);
            indicator.shift_to = Wording(*shift, spath, "to", true);
            indicator.shift_description = Wording(*shift, spath, "description", false);
          }
        }
        Unique(seen, indicator.id, ipath + ".id", "indicator id");
        section.indicators.push_back(std::move(indicator));
      }
    }
    if (const json* items = fields_.Array(j, path, "items", true)) {
      for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string ipath = At(path + ".items", i);
        if (auto item = ReadItem((*items)[i], ipath)) section.items.push_back(std::move(*item));
      }
      if (items->empty()) Error(path + ".items", "a section needs at least one item");
    }
    instrument_.sections.push_back(std::move(section));
  }

  std::optional<InstrumentItem> ReadItem(const json& j, const std::string& path) {
    if (!CheckObject(j, path, {"id", "prompt", "help", "data_note", "questions", "response"})) {
      return std::nullopt;
    }
    InstrumentItem item;
    item.id = Id(j, path);
    item.prompt = Wording(j, path, "prompt", true);
    item.help = Wording(j, path, "help", false);
    item.data_note = Wording(j, path, "data_note", false);
    Unique(item_paths_, item.id, path + ".id", "item id");
    response_paths_.push_back(path + ".response");
    if (const json* questions = fields_.Array(j, path, "questions", false)) {
      for (std::size_t i = 0; i < questions->size(); ++i) {
        const std::string qpath = At(path + ".questions", i);
        const json& qj = (*questions)[i];
        if (!CheckObject(qj, qpath, {"text", "points"})) continue;
        item.questions.push_back(
            {Wording(qj, qpath, "text", true), WordingList(qj, qpath, "points")});
      }
    }
    if (const json* response = fields_.Object(j, path, "response", true)) {
      item.response = ReadResponse(*response, path + ".response");
    }
    return item;
  }

  ItemResponse ReadResponse(const json& j, const std::string& path) {
    ItemResponse response;
    if (!CheckObject(j, path, {"type", "scale", "fields", "levels"})) return response;
    const std::string type = fields_.String(j, path, "type", true);
    auto kind = ResponseKindFromName(type);
    if (!kind) {
      if (!type.empty()) {
        Error(path + ".type", "unknown response type \"" + type + "\" (expected one of " +
                                  NameList(kResponseNames) + ")");
      }
      return response;
    }
    response.kind = *kind;
    if (*kind == ResponseKind::kText) {
      if (j.contains("scale")) Error(path + ".scale", "a text response has no scale");
      if (j.contains("levels")) Error(path + ".levels", "only a rubric response has levels");
      ReadTextFields(j, path, response);
      return response;
    }
    if (j.contains("fields")) Error(path + ".fields", "only a text response has fields");
    response.scale = fields_.String(j, path, "scale", true);
    if (*kind == ResponseKind::kScale) {
      if (j.contains("levels")) Error(path + ".levels", "only a rubric response has levels");
      return response;
    }
    const json* levels = fields_.Array(j, path, "levels", true);
    if (!levels) return response;
    for (std::size_t i = 0; i < levels->size(); ++i) {
      const std::string lpath = At(path + ".levels", i);
      const json& lj = (*levels)[i];
      if (!CheckObject(lj, lpath, {"value", "title", "description", "outcomes", "activities"})) {
        continue;
      }
      RubricLevel level;
      auto value = fields_.OptionalInt(lj, lpath, "value", -1000, 1000, true);
      level.value = value ? static_cast<int>(*value) : 0;
      level.title = Wording(lj, lpath, "title", false);
      level.description = Wording(lj, lpath, "description", true);
      level.outcomes = WordingList(lj, lpath, "outcomes");
      level.activities = WordingList(lj, lpath, "activities");
      response.levels.push_back(std::move(level));
    }
    return response;
  }

  void ReadTextFields(const json& j, const std::string& path, ItemResponse& response) {
    const json* text_fields = fields_.Array(j, path, "fields", false);
    if (!text_fields) return;
    std::map<std::string, std::string> seen;
    for (std::size_t i = 0; i < text_fields->size(); ++i) {
      const std::string fpath = At(path + ".fields", i);
      const json& fj = (*text_fields)[i];
      if (!CheckObject(fj, fpath, {"id", "label", "starter"})) continue;
      TextField field;
      field.id = Id(fj, fpath);
      field.label = Wording(fj, fpath, "label", true);
      field.starter = Wording(fj, fpath, "starter", false);
      Unique(seen, field.id, fpath + ".id", "field id");
      response.fields.push_back(std::move(field));
    }
  }

  // Scale references and rubric levels, once every scale is known. Runs
  // even after other errors so one pass reports them all.
  void CheckReferences() {
    if (!instrument_.sections.empty() && instrument_.ItemCount() == 0) {
      Error("$.sections", "an instrument needs at least one item");
    }
    // Items were read in this same order, each recording its JSON path.
    std::size_t index = 0;
    for (const InstrumentSection& section : instrument_.sections) {
      for (const InstrumentItem& item : section.items) {
        CheckResponse(item.response, response_paths_[index++]);
      }
    }
  }

  void CheckResponse(const ItemResponse& response, const std::string& path) {
    if (response.kind == ResponseKind::kText || response.scale.empty()) return;
    const ResponseScale* scale = instrument_.FindScale(response.scale);
    if (!scale) {
      Error(path + ".scale", "unknown scale \"" + response.scale + "\"");
      return;
    }
    if (response.kind != ResponseKind::kRubric) return;
    if (response.levels.size() != scale->points.size()) {
      Error(path + ".levels", "scale \"" + scale->id + "\" has " +
                                  std::to_string(scale->points.size()) + " points but " +
                                  std::to_string(response.levels.size()) + " levels are described");
      return;
    }
    for (std::size_t i = 0; i < scale->points.size(); ++i) {
      if (response.levels[i].value != scale->points[i].value) {
        Error(At(path + ".levels", i) + ".value",
              "expected " + std::to_string(scale->points[i].value) + " (\"" +
                  scale->points[i].label + "\"): levels follow their scale's points in order");
      }
    }
  }

  std::string source_;
  JsonFieldReader fields_;
  Instrument instrument_;
  std::map<std::string, std::string> scale_paths_;
  std::map<std::string, std::string> section_paths_;
  std::map<std::string, std::string> item_paths_;
  std::vector<std::string> response_paths_;  // per item read, in order
};

json ResponseToJson(const ItemResponse& response) {
  json out = {{"type", ResponseKindName(response.kind)}};
  if (response.kind != ResponseKind::kText) out["scale"] = response.scale;
  if (!response.fields.empty()) {
    json fields = json::array();
    for (const TextField& f : response.fields) {
      json field = {{"id", f.id}, {"label", f.label}};
      if (!f.starter.empty()) field["starter"] = f.starter;
      fields.push_back(std::move(field));
    }
    out["fields"] = std::move(fields);
  }
  if (response.kind == ResponseKind::kRubric) {
    json levels = json::array();
    for (const RubricLevel& l : response.levels) {
      json level = {{"value", l.value}};
      if (!l.title.empty()) level["title"] = l.title;
      level["description"] = l.description;
      if (!l.outcomes.empty()) level["outcomes"] = l.outcomes;
      if (!l.activities.empty()) level["activities"] = l.activities;
      levels.push_back(std::move(level));
    }
    out["levels"] = std::move(levels);
  }
  return out;
}

json ItemToJson(const InstrumentItem& item) {
  json out = {{"id", item.id}, {"prompt", item.prompt}};
  if (!item.help.empty()) out["help"] = item.help;
  if (!item.data_note.empty()) out["data_note"] = item.data_note;
  if (!item.questions.empty()) {
    json questions = json::array();
    for (const GuidingQuestion& q : item.questions) {
      json question = {{"text", q.text}};
      if (!q.points.empty()) question["points"] = q.points;
      questions.push_back(std::move(question));
    }
    out["questions"] = std::move(questions);
  }
  out["response"] = ResponseToJson(item.response);
  return out;
}

json SectionToJson(const InstrumentSection& section) {
  json out = {{"id", section.id}, {"title", section.title}};
  if (!section.description.empty()) out["description"] = section.description;
  if (!section.indicators.empty()) {
    json indicators = json::array();
    for (const IndicatorCategory& c : section.indicators) {
      json indicator = {{"id", c.id},
                        {"category", c.category},
                        {"system", c.system_indicator},
                        {"student", c.student_indicator}};
      if (!c.shift_from.empty() || !c.shift_to.empty()) {
        json shift = {{"from", c.shift_from}, {"to", c.shift_to}};
        if (!c.shift_description.empty()) shift["description"] = c.shift_description;
        indicator["shift"] = std::move(shift);
      }
      indicators.push_back(std::move(indicator));
    }
    out["indicators"] = std::move(indicators);
  }
  json items = json::array();
  for (const InstrumentItem& item : section.items) items.push_back(ItemToJson(item));
  out["items"] = std::move(items);
  return out;
}

}  // namespace

const ScalePoint* ResponseScale::FindPoint(int value) const {
  for (const ScalePoint& point : points) {
    if (point.value == value) return &point;
  }
  return nullptr;
}

const ResponseScale* Instrument::FindScale(std::string_view scale_id) const {
  for (const ResponseScale& scale : scales) {
    if (scale.id == scale_id) return &scale;
  }
  return nullptr;
}

const InstrumentItem* Instrument::FindItem(std::string_view item_id) const {
  for (const InstrumentSection& section : sections) {
    for (const InstrumentItem& item : section.items) {
      if (item.id == item_id) return &item;
    }
  }
  return nullptr;
}

const InstrumentSection* Instrument::SectionOf(std::string_view item_id) const {
  for (const InstrumentSection& section : sections) {
    for (const InstrumentItem& item : section.items) {
      if (item.id == item_id) return &section;
    }
  }
  return nullptr;
}

std::size_t Instrument::ItemCount() const {
  std::size_t count = 0;
  for (const InstrumentSection& section : sections) count += section.items.size();
  return count;
}

bool Instrument::MayRespond(RespondentRole role) const {
  return std::find(respondents.begin(), respondents.end(), role) != respondents.end();
}

Result<Instrument> ParseInstrument(std::string_view json_text, std::string_view source) {
  return InstrumentReader(source).Read(json_text);
}

nlohmann::json InstrumentToJson(const Instrument& instrument) {
  json out = {{"format", "cairn-instrument"},
              {"format_version", kInstrumentFormatVersion},
              {"id", instrument.id},
              {"title", instrument.title}};
  if (!instrument.description.empty()) out["description"] = instrument.description;
  if (!instrument.source.seed.empty()) {
    json source = {{"seed", instrument.source.seed}};
    if (!instrument.source.template_name.empty()) {
      source["template"] = instrument.source.template_name;
    }
    out["source"] = std::move(source);
  }
  out["kind"] = InstrumentKindName(instrument.kind);
  json roles = json::array();
  for (RespondentRole role : instrument.respondents) roles.push_back(RespondentRoleName(role));
  out["respondents"] = std::move(roles);
  out["anonymous"] = instrument.anonymous;
  json repeat = {{"every", RepeatEveryName(instrument.repeat.every)}};
  if (instrument.repeat.every == RepeatEvery::kWeeks) repeat["weeks"] = instrument.repeat.weeks;
  out["repeat"] = std::move(repeat);
  json scales = json::array();
  for (const ResponseScale& scale : instrument.scales) {
    json s = {{"id", scale.id}};
    if (!scale.title.empty()) s["title"] = scale.title;
    json points = json::array();
    for (const ScalePoint& p : scale.points) {
      json point = {{"value", p.value}, {"label", p.label}};
      if (!p.description.empty()) point["description"] = p.description;
      if (!p.activities.empty()) point["activities"] = p.activities;
      points.push_back(std::move(point));
    }
    s["points"] = std::move(points);
    scales.push_back(std::move(s));
  }
  out["scales"] = std::move(scales);
  json sections = json::array();
  for (const InstrumentSection& section : instrument.sections) {
    sections.push_back(SectionToJson(section));
  }
  out["sections"] = std::move(sections);
  return out;
}

std::string_view InstrumentKindName(InstrumentKind kind) { return NameOf(kKindNames, kind); }
std::optional<InstrumentKind> InstrumentKindFromName(std::string_view name) {
  return FromName(kKindNames, name);
}
std::string_view RespondentRoleName(RespondentRole role) { return NameOf(kRoleNames, role); }
std::optional<RespondentRole> RespondentRoleFromName(std::string_view name) {
  return FromName(kRoleNames, name);
}
std::string_view RepeatEveryName(RepeatEvery every) { return NameOf(kRepeatNames, every); }
std::optional<RepeatEvery> RepeatEveryFromName(std::string_view name) {
  return FromName(kRepeatNames, name);
}
std::string_view ResponseKindName(ResponseKind kind) { return NameOf(kResponseNames, kind); }
std::optional<ResponseKind> ResponseKindFromName(std::string_view name) {
  return FromName(kResponseNames, name);
}

const std::vector<Instrument>& BundledInstruments() {
  static const std::vector<Instrument> instruments = [] {
    std::vector<Instrument> out;
    for (const BundledInstrumentFile& file : BundledInstrumentFiles()) {
      auto parsed = ParseInstrument(file.json, file.file_name);
      if (parsed.ok()) out.push_back(std::move(*parsed));
    }
    return out;
  }();
  return instruments;
}

const Instrument* FindBundledInstrument(std::string_view instrument_id) {
  for (const Instrument& instrument : BundledInstruments()) {
    if (instrument.id == instrument_id) return &instrument;
  }
  return nullptr;
}

}  // namespace cairn
