#include "toolkit/observation.h"

#include <algorithm>
#include <set>

namespace cairn {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxNotes = 8000;
constexpr std::size_t kMaxLookFors = 40;

std::optional<LookForSeen> ParseSeen(std::string_view s) {
  for (LookForSeen v : {LookForSeen::kSeen, LookForSeen::kPartly, LookForSeen::kNotSeen}) {
    if (LookForSeenName(v) == s) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view LookForSeenName(LookForSeen seen) {
  switch (seen) {
    case LookForSeen::kSeen:
      return "seen";
    case LookForSeen::kPartly:
      return "partly";
    case LookForSeen::kNotSeen:
      return "not seen";
  }
  return "not seen";
}

Result<Observation> ParseObservationBody(const json& body, const std::vector<std::string>& allowed,
                                         Day today) {
  if (!body.is_object()) {
    return Status::InvalidField("body", "a JSON object with teacher, date, look_fors, notes");
  }
  std::vector<FieldError> errors;
  Observation o;
  auto date = body.contains("date") && body["date"].is_string()
                  ? ParseDate(body["date"].get<std::string>())
                  : Result<Day>(Status::Invalid("date"));
  if (!date.ok()) {
    errors.push_back({"date", "required, a date (YYYY-MM-DD)"});
  } else if (*date > today) {
    errors.push_back({"date", "not after today (" + FormatDate(today) + ")"});
  } else {
    o.date = *date;
  }
  if (body.contains("look_fors") && !body["look_fors"].is_null()) {
    const json& list = body["look_fors"];
    if (!list.is_array() || list.size() > kMaxLookFors) {
      errors.push_back({"look_fors", "an array of at most " + std::to_string(kMaxLookFors) +
                                         " {look_for, seen, note}"});
    } else {
      std::set<std::string> seen_names;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = "look_fors[" + std::to_string(i) + "]";
        const json& item = list[i];
        if (!item.is_object()) {
          errors.push_back({at, "an object {look_for, seen, note}"});
          continue;
        }
        LookForNote n;
        if (!item.contains("look_for") || !item["look_for"].is_string() ||
            item["look_for"].get_ref<const std::string&>().empty() ||
            item["look_for"].get_ref<const std::string&>().size() > 400) {
          errors.push_back({at + ".look_for", "required text"});
        } else {
          n.look_for = item["look_for"].get<std::string>();
          if (!allowed.empty() &&
              std::find(allowed.begin(), allowed.end(), n.look_for) == allowed.end()) {
            errors.push_back({at + ".look_for", "not a look-for of the protocol"});
          } else if (!seen_names.insert(n.look_for).second) {
            errors.push_back({at + ".look_for", "listed twice"});
          }
        }
        auto seen = item.contains("seen") && item["seen"].is_string()
                        ? ParseSeen(item["seen"].get<std::string>())
                        : std::nullopt;
        if (!seen) {
          errors.push_back({at + ".seen", "one of seen, partly, not seen"});
        } else {
          n.seen = *seen;
        }
        if (item.contains("note") && !item["note"].is_null()) {
          if (!item["note"].is_string() ||
              item["note"].get_ref<const std::string&>().size() > 2000) {
            errors.push_back({at + ".note", "text of at most 2000 characters"});
          } else {
            n.note = item["note"].get<std::string>();
          }
        }
        o.look_fors.push_back(std::move(n));
      }
    }
  }
  if (body.contains("notes") && !body["notes"].is_null()) {
    if (!body["notes"].is_string() ||
        body["notes"].get_ref<const std::string&>().size() > kMaxNotes) {
      errors.push_back({"notes", "text of at most " + std::to_string(kMaxNotes) + " characters"});
    } else {
      o.notes = body["notes"].get<std::string>();
    }
  }
  if (errors.empty() && o.look_fors.empty() && o.notes.empty()) {
    errors.push_back({"notes", "write notes or record at least one look-for"});
  }
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  return o;
}

json ObservationToStored(const Observation& o) {
  json looks = json::array();
  for (const LookForNote& n : o.look_fors) {
    looks.push_back(
        {{"look_for", n.look_for}, {"seen", LookForSeenName(n.seen)}, {"note", n.note}});
  }
  return {{"observer", o.observer}, {"teacher", o.teacher}, {"date", FormatDate(o.date)},
          {"protocol", o.protocol}, {"look_fors", looks},   {"notes", o.notes}};
}

Result<Observation> ObservationFromStored(const json& body) {
  if (!body.is_object() || !body.contains("observer") || !body["observer"].is_number_integer() ||
      !body.contains("teacher") || !body["teacher"].is_number_integer()) {
    return Status::Invalid("observation: not a stored observation");
  }
  Observation o;
  o.observer = body["observer"].get<Id>();
  o.teacher = body["teacher"].get<Id>();
  if (auto d = ParseDate(body.value("date", "")); d.ok()) o.date = *d;
  o.protocol = body.value("protocol", "");
  o.notes = body.value("notes", "");
  if (body.contains("look_fors") && body["look_fors"].is_array()) {
    for (const json& item : body["look_fors"]) {
      if (!item.is_object()) continue;
      LookForNote n;
      n.look_for = item.value("look_for", "");
      n.seen = ParseSeen(item.value("seen", "")).value_or(LookForSeen::kNotSeen);
      n.note = item.value("note", "");
      o.look_fors.push_back(std::move(n));
    }
  }
  return o;
}

}  // namespace cairn
