#include "notify/preferences.h"

namespace cairn {

using nlohmann::json;

namespace {

std::string Key(Id person) { return "person:" + std::to_string(person); }

std::optional<EmailMode> ParseEmailMode(std::string_view name) {
  if (name == "immediate") return EmailMode::kImmediate;
  if (name == "digest") return EmailMode::kDigest;
  if (name == "off") return EmailMode::kOff;
  return std::nullopt;
}

Preferences FromStored(const std::string& body) {
  Preferences p;
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) return p;
  if (doc.contains("language") && doc["language"].is_string()) {
    std::string language = doc["language"];
    if (IsSupportedLanguage(language)) p.language = language;
  }
  if (doc.contains("email") && doc["email"].is_string()) {
    p.email = ParseEmailMode(doc["email"].get<std::string>()).value_or(EmailMode::kImmediate);
  }
  if (doc.contains("read_up_to") && doc["read_up_to"].is_number_integer()) {
    p.read_up_to = doc["read_up_to"].get<Id>();
  }
  if (doc.contains("unsubscribe_secret") && doc["unsubscribe_secret"].is_string()) {
    p.unsubscribe_secret = doc["unsubscribe_secret"];
  }
  return p;
}

}  // namespace

std::string_view EmailModeName(EmailMode mode) {
  switch (mode) {
    case EmailMode::kImmediate:
      return "immediate";
    case EmailMode::kDigest:
      return "digest";
    case EmailMode::kOff:
      return "off";
  }
  return "immediate";
}

bool IsSupportedLanguage(std::string_view code) { return code == "en" || code == "es"; }

Status ApplyPreferenceChange(const json& body, Preferences& prefs) {
  if (!body.is_object()) return Status::Invalid("the body must be a JSON object");
  Preferences next = prefs;
  for (const auto& [field, value] : body.items()) {
    if (field == "language") {
      if (value.is_null()) {
        next.language.clear();
      } else if (value.is_string() && IsSupportedLanguage(value.get<std::string>())) {
        next.language = value;
      } else {
        return Status::InvalidField("language", "expected \"en\", \"es\" or null");
      }
    } else if (field == "email") {
      auto mode = value.is_string() ? ParseEmailMode(value.get<std::string>()) : std::nullopt;
      if (!mode) return Status::InvalidField("email", "expected immediate, digest or off");
      next.email = *mode;
    } else {
      return Status::InvalidField(field, "unknown field");
    }
  }
  prefs = std::move(next);
  return Status::Ok();
}

std::string EffectiveLanguage(const Preferences& prefs, std::string_view district_language) {
  if (!prefs.language.empty()) return prefs.language;
  if (IsSupportedLanguage(district_language)) return std::string(district_language);
  return "en";
}

json PreferencesJson(const Preferences& prefs, std::string_view district_language) {
  const std::string district =
      IsSupportedLanguage(district_language) ? std::string(district_language) : std::string("en");
  return {{"language", prefs.language.empty() ? json() : json(prefs.language)},
          {"email", EmailModeName(prefs.email)},
          {"effective_language", EffectiveLanguage(prefs, district)},
          {"district_language", district},
          {"languages", json::array({{{"code", "en"}, {"name", "English"}},
                                     {{"code", "es"}, {"name", "Espa\u00f1ol"}}})}};
}

Result<Preferences> LoadPreferences(JournalStore& store, const Person& person) {
  auto entries = store.Journal(person.district_id, kPreferencesStream, Key(person.id));
  if (!entries.ok()) return entries.status();
  if (entries->empty()) return Preferences{};
  return FromStored(entries->back().body);
}

Status SavePreferences(JournalStore& store, const Person& person, const Preferences& prefs, Id by,
                       Instant at) {
  JournalEntry entry;
  entry.district_id = person.district_id;
  entry.stream = std::string(kPreferencesStream);
  entry.key = Key(person.id);
  entry.body = json{{"language", prefs.language},
                    {"email", EmailModeName(prefs.email)},
                    {"read_up_to", prefs.read_up_to},
                    {"unsubscribe_secret", prefs.unsubscribe_secret}}
                   .dump();
  entry.recorded_by = by;
  entry.recorded_at = at;
  return store.AppendJournal({entry}).status();
}

std::string DistrictLanguage(LedgerStore& store) {
  auto setting = store.GetSetting(kLanguageSetting);
  return setting.ok() && *setting && IsSupportedLanguage(**setting) ? **setting : "en";
}

}  // namespace cairn
