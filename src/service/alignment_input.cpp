#include "service/alignment_input.h"

#include <algorithm>
#include <cctype>

namespace cairn {
namespace {

std::string Field(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

bool HasControl(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// A short single-line text: required or not, at most kMaxAlignmentTextBytes.
void CheckLine(const std::string& field, const std::string& value, bool required,
               std::vector<FieldError>& errors) {
  if (required && value.empty()) {
    errors.push_back({field, "required"});
  } else if (value.size() > kMaxAlignmentTextBytes) {
    errors.push_back({field, "longer than " + std::to_string(kMaxAlignmentTextBytes) + " bytes"});
  } else if (HasControl(value)) {
    errors.push_back({field, "must be one line of text"});
  }
}

// The CPE exists, and the indicator (when given) is one of its own.
const Cpe* CheckCpe(const Catalog& catalog, const std::string& prefix, const std::string& cpe_id,
                    const std::string& indicator_id, std::vector<FieldError>& errors) {
  if (cpe_id.empty()) {
    errors.push_back({Field(prefix, "cpe"), "required"});
    return nullptr;
  }
  auto ref = catalog.FindCpe(cpe_id);
  if (!ref) {
    errors.push_back({Field(prefix, "cpe"), "no CPE '" + cpe_id + "' in the catalog"});
    return nullptr;
  }
  const Cpe& cpe = catalog.CpeAt(*ref);
  if (!indicator_id.empty() &&
      std::none_of(cpe.indicators.begin(), cpe.indicators.end(),
                   [&](const Indicator& i) { return i.id == indicator_id; })) {
    errors.push_back(
        {Field(prefix, "indicator"), "'" + indicator_id + "' is not an indicator of " + cpe.id});
  }
  return &cpe;
}

}  // namespace

std::string UrlProblem(const std::string& url) {
  if (url.empty()) return "required";
  if (url.size() > kMaxUrlBytes) return "longer than " + std::to_string(kMaxUrlBytes) + " bytes";
  std::string lower(url.substr(0, 8));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t rest = 0;
  if (lower.rfind("https://", 0) == 0) {
    rest = 8;
  } else if (lower.rfind("http://", 0) == 0) {
    rest = 7;
  } else {
    return "must be an http:// or https:// link";
  }
  if (rest >= url.size() || url[rest] == '/') return "has no host";
  if (std::any_of(url.begin(), url.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '<' ||
               c == '>' || c == '\\';
      })) {
    return "must not hold spaces, quotes, angle brackets or control characters";
  }
  return "";
}

Result<CurriculumResource> CheckResource(const Catalog& catalog, const ResourceInput& input) {
  std::vector<FieldError> errors;
  CheckCpe(catalog, "", input.cpe_id, input.indicator_id, errors);
  CheckLine("title", input.title, true, errors);
  if (std::string problem = UrlProblem(input.url); !problem.empty()) {
    errors.push_back({"url", problem});
  }
  CheckLine("provider", input.provider, false, errors);
  CheckLine("kind", input.kind, false, errors);
  if (input.note.size() > kMaxAlignmentNoteBytes) {
    errors.push_back({"note", "longer than " + std::to_string(kMaxAlignmentNoteBytes) + " bytes"});
  }
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  CurriculumResource r;
  r.cpe_id = input.cpe_id;
  r.indicator_id = input.indicator_id;
  r.title = input.title;
  r.url = input.url;
  r.provider = input.provider;
  r.kind = input.kind;
  r.note = input.note;
  return r;
}

std::optional<AssessmentItem> CheckItemInto(const Catalog& catalog, const ItemInput& input,
                                            const std::string& prefix,
                                            std::vector<FieldError>& errors) {
  const std::size_t before = errors.size();
  const Badge* badge = catalog.FindBadge(input.badge_code);
  if (!badge) {
    errors.push_back(
        {Field(prefix, "badge"), "no badge '" + input.badge_code + "' in the catalog"});
  }
  CheckLine(Field(prefix, "item_key"), input.item_key, true, errors);
  CheckLine(Field(prefix, "title"), input.title, false, errors);
  CheckLine(Field(prefix, "target"), input.target, false, errors);
  if (input.standards.size() > kMaxItemStandards) {
    errors.push_back({Field(prefix, "standards"),
                      "more than " + std::to_string(kMaxItemStandards) + " standards"});
  }
  for (std::size_t i = 0; i < input.standards.size(); ++i) {
    CheckLine(Field(prefix, "standards[" + std::to_string(i) + "]"), input.standards[i], true,
              errors);
  }
  const Cpe* cpe = CheckCpe(catalog, prefix, input.cpe_id, input.indicator_id, errors);
  if (badge && cpe && std::none_of(badge->cpes.begin(), badge->cpes.end(), [&](const Cpe& c) {
        return c.id == cpe->id;
      })) {
    errors.push_back({Field(prefix, "cpe"), cpe->id + " is not a CPE of " + badge->code});
  }
  if (errors.size() != before) return std::nullopt;
  AssessmentItem item;
  item.badge_code = input.badge_code;
  item.item_key = input.item_key;
  item.title = input.title;
  item.target = input.target;
  item.standards = input.standards;
  item.cpe_id = input.cpe_id;
  item.indicator_id = input.indicator_id;
  return item;
}

Result<AssessmentItem> CheckItem(const Catalog& catalog, const ItemInput& input,
                                 const std::string& prefix) {
  std::vector<FieldError> errors;
  auto item = CheckItemInto(catalog, input, prefix, errors);
  if (!item) return Status::InvalidFields(std::move(errors));
  return *item;
}

}  // namespace cairn
