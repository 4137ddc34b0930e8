#include "agency/credit_map.h"

#include <cmath>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cairn {

using nlohmann::json;

namespace {

constexpr double kMaxCredits = 100;
constexpr std::size_t kMaxRequirements = 500;

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

// "1 credit", "0.5 credits"
std::string Credits(double n) {
  std::ostringstream out;
  out << n << (n == 1 ? " credit" : " credits");
  return out.str();
}

class Reader {
 public:
  explicit Reader(std::vector<FieldError>& errors) : errors_(errors) {}

  void Error(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }

  std::string String(const json& obj, const std::string& at, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Error(at + "." + key, "required");
      return {};
    }
    if (!it->is_string() || it->get<std::string>().empty()) {
      Error(at + "." + key, "expected a non-empty string");
      return {};
    }
    return it->get<std::string>();
  }

  double Number(const json& obj, const std::string& at, const char* key, bool positive) {
    auto it = obj.find(key);
    if (it == obj.end()) return 0;
    if (!it->is_number() || !std::isfinite(it->get<double>())) {
      Error(at + "." + key, "expected a number");
      return 0;
    }
    const double v = it->get<double>();
    if (v < 0 || v > kMaxCredits || (positive && v == 0)) {
      Error(at + "." + key, std::string(positive ? "expected more than 0" : "expected 0") + " to " +
                                std::to_string(static_cast<int>(kMaxCredits)));
      return 0;
    }
    return v;
  }

  std::vector<std::string> Strings(const json& obj, const std::string& at, const char* key) {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    if (!it->is_array()) {
      Error(at + "." + key, "expected an array of strings");
      return out;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      const std::string place = at + "." + key + "[" + std::to_string(i) + "]";
      if (!v.is_string() || v.get<std::string>().empty()) {
        Error(place, "expected a non-empty string");
      } else if (!seen.insert(v.get<std::string>()).second) {
        Error(place, "listed twice");
      } else {
        out.push_back(v.get<std::string>());
      }
    }
    return out;
  }

 private:
  std::vector<FieldError>& errors_;
};

}  // namespace

std::string_view RequirementKindName(RequirementKind kind) {
  return kind == RequirementKind::kCredit ? "credit" : "graduation";
}

Result<CreditMap> ParseCreditMap(std::string_view json_text, const Catalog* catalog) {
  const json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidField("credit_map", "not valid JSON");
  if (!doc.is_object()) return Status::InvalidField("credit_map", "expected a JSON object");
  std::vector<FieldError> errors;
  Reader r(errors);
  for (const auto& [key, value] : doc.items()) {
    if (key != "requirements") r.Error("credit_map." + key, "unknown field");
  }
  CreditMap map;
  auto list = doc.find("requirements");
  if (list == doc.end() || !list->is_array()) {
    r.Error("credit_map.requirements", "expected an array");
    return Status::InvalidFields(std::move(errors));
  }
  if (list->size() > kMaxRequirements) {
    r.Error("credit_map.requirements", "at most " + std::to_string(kMaxRequirements));
    return Status::InvalidFields(std::move(errors));
  }
  std::map<std::string, RequirementKind> kinds;
  std::vector<std::string> places;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& item = (*list)[i];
    const std::string at = "credit_map.requirements[" + std::to_string(i) + "]";
    places.push_back(at);
    CreditRequirement req;
    if (!item.is_object()) {
      r.Error(at, "expected an object");
      map.requirements.push_back(std::move(req));
      continue;
    }
    static const std::set<std::string> kKnown = {
        "id", "title", "kind", "credits", "badges", "min_badges", "credits_from", "credits_needed"};
    for (const auto& [key, value] : item.items()) {
      if (!kKnown.count(key)) r.Error(at + "." + key, "unknown field");
    }
    req.id = r.String(item, at, "id", true);
    if (!req.id.empty()) {
      if (!ValidId(req.id)) {
        r.Error(at + ".id", "use lowercase letters, digits, '-' and '_' (at most 64)");
      }
    }
    req.title = r.String(item, at, "title", true);
    if (req.title.size() > 200) r.Error(at + ".title", "at most 200 characters");
    const std::string kind = r.String(item, at, "kind", true);
    if (kind == "graduation") {
      req.kind = RequirementKind::kGraduation;
    } else if (!kind.empty() && kind != "credit") {
      r.Error(at + ".kind", "expected \"credit\" or \"graduation\"");
    }
    if (!req.id.empty() && !kinds.emplace(req.id, req.kind).second) {
      r.Error(at + ".id", "duplicate requirement id '" + req.id + "'");
    }
    req.badges = r.Strings(item, at, "badges");
    for (std::size_t b = 0; b < req.badges.size(); ++b) {
      if (catalog && !catalog->FindBadge(req.badges[b])) {
        r.Error(at + ".badges[" + std::to_string(b) + "]",
                "no badge '" + req.badges[b] + "' in the catalog");
      }
    }
    req.min_badges = static_cast<int>(req.badges.size());
    if (auto m = item.find("min_badges"); m != item.end()) {
      if (!m->is_number_integer() || m->get<long long>() < 1 ||
          m->get<long long>() > static_cast<long long>(req.badges.size())) {
        r.Error(at + ".min_badges",
                "expected a whole number from 1 to the number of badges listed (" +
                    std::to_string(req.badges.size()) + ")");
      } else {
        req.min_badges = static_cast<int>(m->get<long long>());
      }
    }
    if (req.kind == RequirementKind::kCredit) {
      if (item.contains("credits_from")) {
        r.Error(at + ".credits_from", "only a graduation requirement counts other credits");
      }
      if (item.contains("credits_needed")) {
        r.Error(at + ".credits_needed", "only a graduation requirement needs credits");
      }
      if (!item.contains("credits")) r.Error(at + ".credits", "required");
      req.credits = r.Number(item, at, "credits", /*positive=*/false);
      if (req.badges.empty()) r.Error(at + ".badges", "a credit requirement lists its badges");
    } else {
      if (item.contains("credits")) {
        r.Error(at + ".credits", "a graduation requirement gives no credits of its own");
      }
      req.credits_from = r.Strings(item, at, "credits_from");
      req.credits_needed = r.Number(item, at, "credits_needed", /*positive=*/true);
      if (!req.credits_from.empty() && !item.contains("credits_needed")) {
        r.Error(at + ".credits_needed", "required with credits_from");
      }
      if (req.credits_from.empty() && item.contains("credits_needed")) {
        r.Error(at + ".credits_from", "required with credits_needed");
      }
      if (req.credits_from.empty() && req.badges.empty()) {
        r.Error(at, "a graduation requirement needs credits_from or badges");
      }
    }
    map.requirements.push_back(std::move(req));
  }
  // Credits come from credit requirements only, named anywhere in the list.
  for (std::size_t i = 0; i < map.requirements.size(); ++i) {
    const CreditRequirement& req = map.requirements[i];
    double available = 0;
    for (std::size_t c = 0; c < req.credits_from.size(); ++c) {
      const std::string place = places[i] + ".credits_from[" + std::to_string(c) + "]";
      auto it = kinds.find(req.credits_from[c]);
      if (it == kinds.end()) {
        r.Error(place, "no requirement '" + req.credits_from[c] + "'");
      } else if (it->second != RequirementKind::kCredit) {
        r.Error(place, "'" + req.credits_from[c] + "' is not a credit requirement");
      } else {
        for (const CreditRequirement& other : map.requirements) {
          if (other.id == req.credits_from[c]) available += other.credits;
        }
      }
    }
    if (!req.credits_from.empty() && req.credits_needed > available + 1e-9) {
      r.Error(places[i] + ".credits_needed",
              "more than the " + Credits(available) + " its credits_from can give");
    }
  }
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  return map;
}

std::string CreditMapToJson(const CreditMap& map) {
  json list = json::array();
  for (const CreditRequirement& req : map.requirements) {
    json item{{"id", req.id}, {"title", req.title}, {"kind", RequirementKindName(req.kind)}};
    if (!req.badges.empty()) {
      item["badges"] = req.badges;
      item["min_badges"] = req.min_badges;
    }
    if (req.kind == RequirementKind::kCredit) {
      item["credits"] = req.credits;
    } else if (!req.credits_from.empty()) {
      item["credits_from"] = req.credits_from;
      item["credits_needed"] = req.credits_needed;
    }
    list.push_back(std::move(item));
  }
  return json{{"requirements", std::move(list)}}.dump();
}

std::vector<RequirementProgress> CreditProgress(const CreditMap& map,
                                                const std::set<std::string>& earned) {
  std::vector<RequirementProgress> out;
  out.reserve(map.requirements.size());
  std::map<std::string, double> credit_given;  // met credit requirements
  auto badge_part = [&](const CreditRequirement& req, RequirementProgress& p) {
    for (const std::string& code : req.badges) {
      (earned.count(code) ? p.earned_badges : p.missing_badges).push_back(code);
    }
    p.badges_needed = req.badges.empty() ? 0 : req.min_badges;
    return static_cast<int>(p.earned_badges.size()) >= p.badges_needed;
  };
  auto badge_words = [](const RequirementProgress& p) {
    const int have = static_cast<int>(p.earned_badges.size());
    std::string s = std::to_string(have) + " of " + std::to_string(p.badges_needed) +
                    (p.badges_needed == 1 ? " badge" : " badges") + " earned";
    return s;
  };
  for (const CreditRequirement& req : map.requirements) {
    if (req.kind != RequirementKind::kCredit) continue;
    RequirementProgress p;
    p.met = badge_part(req, p);
    if (p.met) credit_given[req.id] = req.credits;
  }
  for (const CreditRequirement& req : map.requirements) {
    RequirementProgress p;
    p.requirement = &req;
    const bool badges_met = badge_part(req, p);
    if (req.kind == RequirementKind::kCredit) {
      p.met = badges_met;
      p.credits_earned = p.met ? req.credits : 0;
      if (p.met) {
        p.standing = "Met: " + Credits(req.credits) + ".";
      } else {
        const int more = p.badges_needed - static_cast<int>(p.earned_badges.size());
        p.standing = badge_words(p) + "; " + std::to_string(more) + " more needed for " +
                     Credits(req.credits) + ".";
      }
    } else {
      for (const std::string& from : req.credits_from) {
        if (auto it = credit_given.find(from); it != credit_given.end()) {
          p.credits_earned += it->second;
        }
      }
      const bool credits_met = p.credits_earned + 1e-9 >= req.credits_needed;
      p.met = badges_met && credits_met;
      if (p.met) {
        p.standing = "Met.";
      } else {
        std::vector<std::string> parts;
        if (!req.credits_from.empty()) {
          std::ostringstream c;
          c << p.credits_earned << " of " << Credits(req.credits_needed) << " earned";
          parts.push_back(c.str());
        }
        if (!req.badges.empty()) parts.push_back(badge_words(p));
        p.standing = parts[0] + (parts.size() > 1 ? "; " + parts[1] : "") + ".";
        p.standing[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(p.standing[0])));
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

Result<CreditMap> LoadCreditMap(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto stored, store.GetSetting(kCreditMapSettingKey));
  if (!stored) return CreditMap{};
  auto map = ParseCreditMap(*stored, nullptr);
  if (!map.ok()) {
    return Status::Internal("stored setting 'credit_map' no longer parses: " +
                            map.status().message());
  }
  return map;
}

Result<CreditMap> SaveCreditMap(Store& store, std::string_view json_text, const Catalog& catalog) {
  CAIRN_ASSIGN_OR_RETURN(CreditMap map, ParseCreditMap(json_text, &catalog));
  CAIRN_RETURN_IF_ERROR(store.PutSetting(kCreditMapSettingKey, CreditMapToJson(map)));
  return map;
}

}  // namespace cairn
