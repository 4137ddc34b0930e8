#include "interop/case/case_package.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/json_fields.h"
#include "common/json_limits.h"

namespace cairn::standards {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxIdentifier = 256;

constexpr std::array<std::string_view, 10> kAssociationTypes = {
    "isChildOf",   "isPeerOf",   "isPartOf", "exactMatchOf",  "precedes",
    "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf"};

bool Digits(std::string_view text, int& out) {
  if (text.empty()) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

// Every problem of the package, the first `limit` of them kept: a hostile
// file may have millions, each reader's own list is bounded the same way.
class Problems {
 public:
  explicit Problems(std::size_t limit) : limit_(limit) {}
  void Add(std::string field, std::string message) {
    ++total_;
    if (kept_.size() < limit_) kept_.push_back({std::move(field), std::move(message)});
  }
  // The reader's problems from the `from`th on; returns how many it has.
  std::size_t Absorb(const JsonFieldReader& reader, std::size_t from) {
    for (std::size_t i = from; i < reader.errors().size(); ++i) {
      Add(reader.errors()[i].field, reader.errors()[i].message);
    }
    return reader.errors().size();
  }
  bool empty() const { return total_ == 0; }
  std::vector<FieldError> Take() {
    if (total_ > kept_.size()) {
      kept_.push_back({"CFPackage", std::to_string(total_ - kept_.size()) +
                                        " more problems not listed (fix these first)"});
    }
    return std::move(kept_);
  }

 private:
  std::size_t limit_;
  std::size_t total_ = 0;
  std::vector<FieldError> kept_;
};

// Reads one object's fields. Its problems go to `problems` as they are
// found when it reads nested objects, else when it dies, so they stay in
// document order.
class ObjectReader {
 public:
  ObjectReader(const json& j, std::string path, const CaseLimits& limits, Problems& problems)
      : j_(j), path_(std::move(path)), limits_(limits), problems_(problems) {
    ok_ = reader_.CheckObject(j_, path_);
    Flush();
  }
  ~ObjectReader() { Flush(); }
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }
  std::string Field(const char* key) const { return JsonFieldReader::Join(path_, key); }
  void Error(const char* key, std::string what) { reader_.Error(Field(key), std::move(what)); }

  // A string field; over the length limit it is an error.
  std::string Text(const char* key, bool required) {
    if (!ok_) return {};
    std::string value = reader_.String(j_, path_, key, required, required);
    if (value.size() > limits_.max_text) {
      reader_.Error(Field(key), "longer than " + std::to_string(limits_.max_text) + " bytes");
      value.clear();
    }
    return value;
  }
  std::string Identifier() {
    std::string id = Text("identifier", true);
    if (id.size() > kMaxIdentifier) {
      Error("identifier", "longer than " + std::to_string(kMaxIdentifier) + " characters");
      id.clear();
    }
    return id;
  }
  std::string Uri(const char* key, bool required) {
    std::string uri = Text(key, required);
    if (!uri.empty() && !IsAbsoluteUri(uri)) {
      Error(key, "'" + uri + "' is not an absolute URI");
      uri.clear();
    }
    return uri;
  }
  // lastChangeDateTime (always required by CASE).
  std::string DateTime(const char* key, Instant* at) {
    std::string text = Text(key, true);
    if (text.empty()) return text;
    auto parsed = ParseCaseDateTime(text);
    if (!parsed.ok()) {
      Error(key, parsed.status().message());
      return {};
    }
    if (at) *at = *parsed;
    return text;
  }
  std::vector<std::string> Strings(const char* key) {
    if (!ok_) return {};
    return reader_.Strings(j_, path_, key);
  }
  std::optional<std::int64_t> Whole(const char* key) {
    if (!ok_) return std::nullopt;
    return reader_.OptionalInt(j_, path_, key, INT32_MIN, INT32_MAX);
  }
  const json* Array(const char* key) {
    if (!ok_) return nullptr;
    const json* array = reader_.Array(j_, path_, key, false);
    Flush();
    return array;
  }
  const json* Object(const char* key, bool required) {
    if (!ok_) return nullptr;
    const json* object = reader_.Object(j_, path_, key, required);
    Flush();
    return object;
  }
  void Flush() { absorbed_ = problems_.Absorb(reader_, absorbed_); }

 private:
  const json& j_;
  std::string path_;
  const CaseLimits& limits_;
  Problems& problems_;
  JsonFieldReader reader_{64};
  std::size_t absorbed_ = 0;
  bool ok_ = false;
};

// A LinkURI / LinkGenURI object at `key`; identifier and uri required
// when `required` (then the object itself is too).
std::optional<CaseLink> ReadLink(ObjectReader& parent, const char* key, bool required,
                                 const CaseLimits& limits, Problems& problems) {
  const json* link = parent.Object(key, required);
  if (!link) return std::nullopt;
  ObjectReader r(*link, parent.Field(key), limits, problems);
  CaseLink out;
  out.title = r.Text("title", false);
  out.identifier = r.Text("identifier", true);
  out.uri = r.Uri("uri", true);
  if (out.identifier.empty() || out.uri.empty()) return std::nullopt;
  return out;
}

CaseDocument ReadDocument(const json& j, const std::string& path, const CaseLimits& limits,
                          Problems& problems) {
  ObjectReader r(j, path, limits, problems);
  CaseDocument d;
  d.identifier = r.Identifier();
  d.uri = r.Uri("uri", true);
  d.title = r.Text("title", true);
  d.creator = r.Text("creator", true);
  d.publisher = r.Text("publisher", false);
  d.description = r.Text("description", false);
  d.version = r.Text("version", false);
  d.adoption_status = r.Text("adoptionStatus", false);
  d.language = r.Text("language", false);
  d.last_change = r.DateTime("lastChangeDateTime", &d.last_change_at);
  (void)r.Uri("officialSourceURL", false);
  (void)r.Strings("subject");
  (void)ReadLink(r, "licenseURI", false, limits, problems);
  (void)ReadLink(r, "CFPackageURI", false, limits, problems);
  d.case_version = r.Text("caseVersion", false);
  if (d.case_version.empty()) {
    d.case_version = d.uri.find("/v1p1/") != std::string::npos ? "1.1" : "1.0";
  } else if (d.case_version.rfind("1.", 0) != 0) {
    r.Error("caseVersion", "Cairn reads CASE 1.0 and 1.1, not '" + d.case_version + "'");
  }
  return d;
}

CaseItem ReadItem(const json& j, const std::string& path, const CaseLimits& limits,
                  Problems& problems) {
  ObjectReader r(j, path, limits, problems);
  CaseItem item;
  item.identifier = r.Identifier();
  item.uri = r.Uri("uri", true);
  item.full_statement = r.Text("fullStatement", true);
  item.human_coding_scheme = r.Text("humanCodingScheme", false);
  item.abbreviated_statement = r.Text("abbreviatedStatement", false);
  item.list_enumeration = r.Text("listEnumeration", false);
  item.item_type = r.Text("CFItemType", false);
  item.language = r.Text("language", false);
  item.education_level = r.Strings("educationLevel");
  item.last_change = r.DateTime("lastChangeDateTime", &item.last_change_at);
  (void)r.Text("alternativeLabel", false);
  (void)r.Text("notes", false);
  (void)r.Strings("conceptKeywords");
  (void)ReadLink(r, "CFItemTypeURI", false, limits, problems);
  (void)ReadLink(r, "CFDocumentURI", false, limits, problems);
  (void)ReadLink(r, "licenseURI", false, limits, problems);
  return item;
}

CaseAssociation ReadAssociation(const json& j, const std::string& path, const CaseLimits& limits,
                                Problems& problems) {
  ObjectReader r(j, path, limits, problems);
  CaseAssociation a;
  a.identifier = r.Identifier();
  a.uri = r.Uri("uri", true);
  a.type = r.Text("associationType", true);
  if (!a.type.empty() && !IsCaseAssociationType(a.type)) {
    r.Error("associationType", "'" + a.type + "' is not a CASE association type");
    a.type.clear();
  }
  a.origin = ReadLink(r, "originNodeURI", true, limits, problems).value_or(CaseLink{});
  a.destination = ReadLink(r, "destinationNodeURI", true, limits, problems).value_or(CaseLink{});
  a.sequence_number = r.Whole("sequenceNumber");
  a.last_change = r.DateTime("lastChangeDateTime", nullptr);
  (void)ReadLink(r, "CFAssociationGroupingURI", false, limits, problems);
  (void)ReadLink(r, "CFDocumentURI", false, limits, problems);
  return a;
}

CaseDefinition ReadDefinition(const json& j, const std::string& path, const CaseLimits& limits,
                              Problems& problems) {
  ObjectReader r(j, path, limits, problems);
  CaseDefinition d;
  d.identifier = r.Identifier();
  d.uri = r.Uri("uri", true);
  d.title = r.Text("title", true);
  d.description = r.Text("description", false);
  d.last_change = r.DateTime("lastChangeDateTime", nullptr);
  return d;
}

// The identifiers every object of the package declares, for uniqueness.
class IdentifierIndex {
 public:
  explicit IdentifierIndex(Problems& problems) : problems_(problems) {}
  void Declare(const std::string& identifier, const std::string& path) {
    if (identifier.empty()) return;
    auto [it, inserted] = first_.emplace(identifier, path);
    if (!inserted) {
      problems_.Add(JsonFieldReader::Join(path, "identifier"),
                    "'" + identifier + "' is also the identifier of " + it->second);
    }
  }

 private:
  Problems& problems_;
  std::unordered_map<std::string, std::string> first_;
};

CaseRubric ReadRubric(const json& j, const std::string& path, const CaseLimits& limits,
                      Problems& problems, IdentifierIndex& ids) {
  ObjectReader r(j, path, limits, problems);
  CaseRubric rubric;
  rubric.identifier = r.Identifier();
  rubric.uri = r.Uri("uri", true);
  rubric.title = r.Text("title", false);
  rubric.description = r.Text("description", false);
  rubric.last_change = r.DateTime("lastChangeDateTime", nullptr);
  if (const json* criteria = r.Array("CFRubricCriteria")) {
    for (std::size_t i = 0; i < criteria->size(); ++i) {
      const std::string where = JsonFieldReader::At(r.Field("CFRubricCriteria"), i);
      ObjectReader c((*criteria)[i], where, limits, problems);
      ids.Declare(c.Identifier(), where);
      (void)c.Uri("uri", true);
      (void)c.DateTime("lastChangeDateTime", nullptr);
      ++rubric.criteria;
      if (const json* levels = c.Array("CFRubricCriterionLevels")) {
        for (std::size_t k = 0; k < levels->size(); ++k) {
          const std::string level_path = JsonFieldReader::At(c.Field("CFRubricCriterionLevels"), k);
          ObjectReader l((*levels)[k], level_path, limits, problems);
          ids.Declare(l.Identifier(), level_path);
          (void)l.Uri("uri", true);
          (void)l.DateTime("lastChangeDateTime", nullptr);
        }
      }
    }
  }
  return rubric;
}

// An isChildOf tree without cycles: each closing association is a problem.
// Iterative, so a chain of 200,000 items costs no stack.
void CheckNoCycles(const CasePackage& package, const std::string& prefix, Problems& problems) {
  std::unordered_map<std::string, std::vector<std::size_t>> parents_of;  // item -> associations
  for (std::size_t i = 0; i < package.associations.size(); ++i) {
    const CaseAssociation& a = package.associations[i];
    if (a.type == "isChildOf" && !a.origin.identifier.empty()) {
      parents_of[a.origin.identifier].push_back(i);
    }
  }
  enum class Mark : char { kNew, kOpen, kDone };
  std::unordered_map<std::string, Mark> mark;
  for (const CaseItem& start : package.items) {
    if (mark[start.identifier] != Mark::kNew) continue;
    // (node, next edge to follow)
    std::vector<std::pair<std::string, std::size_t>> stack{{start.identifier, 0}};
    mark[start.identifier] = Mark::kOpen;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      auto edges = parents_of.find(node);
      if (edges == parents_of.end() || next >= edges->second.size()) {
        mark[node] = Mark::kDone;
        stack.pop_back();
        continue;
      }
      const std::size_t index = edges->second[next++];
      const std::string& parent = package.associations[index].destination.identifier;
      Mark& m = mark[parent];
      if (m == Mark::kOpen) {
        const std::string path = JsonFieldReader::At(prefix + "CFAssociations", index);
        problems.Add(JsonFieldReader::Join(path, "destinationNodeURI"),
                     parent == package.associations[index].origin.identifier
                         ? "an item cannot be its own child"
                         : "isChildOf makes a cycle: '" + parent + "' would be its own ancestor");
      } else if (m == Mark::kNew) {
        m = Mark::kOpen;
        stack.emplace_back(parent, 0);
      }
    }
  }
}

void CheckAssociations(const CasePackage& package, const std::string& prefix, Problems& problems) {
  std::unordered_map<std::string_view, bool> in_package;  // identifier -> is an item
  in_package[package.document.identifier] = false;
  for (const CaseItem& item : package.items) in_package[item.identifier] = true;
  auto find = [&](const std::string& id) -> std::optional<bool> {
    auto it = in_package.find(id);
    if (it == in_package.end()) return std::nullopt;
    return it->second;
  };
  for (std::size_t i = 0; i < package.associations.size(); ++i) {
    const CaseAssociation& a = package.associations[i];
    if (a.origin.identifier.empty() || a.destination.identifier.empty() || a.type.empty()) {
      continue;  // already a problem
    }
    const std::string path = JsonFieldReader::At(prefix + "CFAssociations", i);
    const std::optional<bool> origin = find(a.origin.identifier);
    const std::optional<bool> destination = find(a.destination.identifier);
    if (a.type == "isChildOf") {
      if (origin != true) {
        problems.Add(path + ".originNodeURI.identifier",
                     origin ? "the document cannot be a child"
                            : "no CFItem '" + a.origin.identifier + "' in this package");
      }
      if (!destination) {
        problems.Add(path + ".destinationNodeURI.identifier",
                     "no CFItem or CFDocument '" + a.destination.identifier + "' in this package");
      }
    } else if (!origin && !destination) {
      problems.Add(path, "neither end ('" + a.origin.identifier + "', '" +
                             a.destination.identifier + "') is in this package");
    }
  }
}

}  // namespace

Result<Instant> ParseCaseDateTime(std::string_view text) {
  const auto bad = [&]() -> Status {
    return Status::Invalid("expected a date and time like 2017-09-22T23:13:54+00:00, got '" +
                           std::string(text.substr(0, 64)) + "'");
  };
  if (text.size() < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return bad();
  auto day = ParseDate(text.substr(0, 10));
  int hh = 0, mm = 0, ss = 0;
  if (!day.ok() || !Digits(text.substr(11, 2), hh) || !Digits(text.substr(14, 2), mm) ||
      !Digits(text.substr(17, 2), ss) || hh > 23 || mm > 59 || ss > 60) {
    return bad();
  }
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 1) return bad();
    rest.remove_prefix(n);
  }
  Instant offset = 0;
  if (rest == "Z" || rest.empty()) {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (!Digits(rest.substr(1, 2), oh) || !Digits(rest.substr(4, 2), om) || oh > 14 || om > 59) {
      return bad();
    }
    offset = (rest[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else {
    return bad();
  }
  // A leap second is read as the next second's start.
  return StartOf(*day) + hh * 3600 + mm * 60 + ss - offset;
}

bool IsAbsoluteUri(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= text.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = text[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

bool IsCaseAssociationType(std::string_view type) {
  if (std::find(kAssociationTypes.begin(), kAssociationTypes.end(), type) !=
      kAssociationTypes.end()) {
    return true;
  }
  if (type.rfind("ext:", 0) != 0 || type.size() == 4) return false;
  return std::all_of(type.begin() + 4, type.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

Result<CasePackage> ParseCasePackage(std::string_view text, std::string_view source,
                                     const CaseLimits& limits) {
  const std::string what = source.empty() ? std::string("package") : std::string(source);
  if (text.size() > limits.max_bytes) {
    return Status::TooLarge(what + ": " + std::to_string(text.size() >> 20) +
                            " MB is more than the " + std::to_string(limits.max_bytes >> 20) +
                            " MB a CASE package may have");
  }
  CAIRN_ASSIGN_OR_RETURN(json root,
                         ParseUntrustedJson(text, what, limits.max_bytes, limits.max_depth));
  std::string prefix;
  const json* package = &root;
  if (root.is_object() && root.contains("CFPackage") && root["CFPackage"].is_object()) {
    package = &root["CFPackage"];
    prefix = "CFPackage.";
  }
  if (!package->is_object()) {
    return Status::InvalidFields({{"CFPackage", "expected an object"}}, what);
  }
  auto count = [&](const char* key) -> std::size_t {
    auto it = package->find(key);
    return it != package->end() && it->is_array() ? it->size() : 0;
  };
  if (count("CFItems") > limits.max_items) {
    return Status::TooLarge(what + ": " + std::to_string(count("CFItems")) +
                            " CFItems are more than the " + std::to_string(limits.max_items) +
                            " Cairn reads");
  }
  if (count("CFAssociations") > limits.max_associations) {
    return Status::TooLarge(what + ": " + std::to_string(count("CFAssociations")) +
                            " CFAssociations are more than the " +
                            std::to_string(limits.max_associations) + " Cairn reads");
  }

  Problems problems(limits.max_problems);
  IdentifierIndex ids(problems);
  CasePackage out;
  const std::string root_path = prefix.empty() ? "" : "CFPackage";
  {  // `top` reports its own problems when this block ends
    ObjectReader top(*package, root_path, limits, problems);
    if (const json* document = top.Object("CFDocument", true)) {
      out.document = ReadDocument(*document, prefix + "CFDocument", limits, problems);
      ids.Declare(out.document.identifier, prefix + "CFDocument");
    }
    std::unordered_map<std::string, std::string> uri_of_item;  // uri -> path
    if (const json* items = top.Array("CFItems")) {
      out.items.reserve(items->size());
      for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string path = JsonFieldReader::At(prefix + "CFItems", i);
        CaseItem item = ReadItem((*items)[i], path, limits, problems);
        ids.Declare(item.identifier, path);
        if (!item.uri.empty()) {
          auto [it, inserted] = uri_of_item.emplace(item.uri, path);
          if (!inserted) problems.Add(path + ".uri", "also the uri of " + it->second);
        }
        out.items.push_back(std::move(item));
      }
    }
    if (const json* associations = top.Array("CFAssociations")) {
      out.associations.reserve(associations->size());
      for (std::size_t i = 0; i < associations->size(); ++i) {
        const std::string path = JsonFieldReader::At(prefix + "CFAssociations", i);
        CaseAssociation a = ReadAssociation((*associations)[i], path, limits, problems);
        ids.Declare(a.identifier, path);
        out.associations.push_back(std::move(a));
      }
    }
    if (const json* definitions = top.Object("CFDefinitions", false)) {
      ObjectReader defs(*definitions, prefix + "CFDefinitions", limits, problems);
      const std::pair<const char*, std::vector<CaseDefinition>*> lists[] = {
          {"CFItemTypes", &out.item_types},
          {"CFConcepts", &out.concepts},
          {"CFSubjects", &out.subjects},
          {"CFLicenses", &out.licenses},
          {"CFAssociationGroupings", &out.association_groupings}};
      for (const auto& [key, list] : lists) {
        const json* array = defs.Array(key);
        if (!array) continue;
        for (std::size_t i = 0; i < array->size(); ++i) {
          const std::string path = JsonFieldReader::At(defs.Field(key), i);
          CaseDefinition d = ReadDefinition((*array)[i], path, limits, problems);
          ids.Declare(d.identifier, path);
          list->push_back(std::move(d));
        }
      }
    }
    if (const json* rubrics = top.Array("CFRubrics")) {
      for (std::size_t i = 0; i < rubrics->size(); ++i) {
        const std::string path = JsonFieldReader::At(prefix + "CFRubrics", i);
        CaseRubric rubric = ReadRubric((*rubrics)[i], path, limits, problems, ids);
        ids.Declare(rubric.identifier, path);
        out.rubrics.push_back(std::move(rubric));
      }
    }
  }
  // With CFItems unreadable every reference would be one more problem.
  const auto items_field = package->find("CFItems");
  const bool items_readable =
      items_field == package->end() || items_field->is_null() || items_field->is_array();
  if (items_readable) CheckAssociations(out, prefix, problems);
  CheckNoCycles(out, prefix, problems);
  if (!problems.empty()) return Status::InvalidFields(problems.Take(), what);
  out.canonical_json = package->dump();
  return out;
}

}  // namespace cairn::standards
