// What each person chose about being told things (issue #13): email at
// once, in a weekly digest, or not at all; the language Cairn speaks to them
// in (empty: the district's); how far they have read their in-app feed; and
// the secret that lets an email's one link unsubscribe them
// without signing in.
//
// Stored as journal revisions (store/journal_store.h, stream
// kPreferencesStream, key "person:<id>"): a change is a new revision.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"
#include "roster/roster.h"
#include "store/store.h"

namespace cairn {

inline constexpr std::string_view kPreferencesStream = "preferences";

enum class EmailMode { kImmediate, kDigest, kOff };
std::string_view EmailModeName(EmailMode mode);  // "immediate", "digest", "off"

// The languages Cairn's messages come in: "en", "es".
bool IsSupportedLanguage(std::string_view code);

struct Preferences {
  std::string language;  // "" follows the district's default
  EmailMode email = EmailMode::kImmediate;
  Id read_up_to = 0;  // in-app notifications up to this id are read
  // What an unsubscribe link must carry; "" until the first email. Stored
  // as is: it only ever turns email off.
  std::string unsubscribe_secret;
};

// Applies {"language"?: "en"|"es"|null, "email"?: "immediate"|"digest"|"off"}
// to `prefs`. kInvalidArgument names the field; `prefs` is then unchanged.
Status ApplyPreferenceChange(const nlohmann::json& body, Preferences& prefs);

// The person's language, else the district's, else English.
std::string EffectiveLanguage(const Preferences& prefs, std::string_view district_language);

// {"language" (or null), "email", "effective_language", "district_language",
// "languages": [{"code", "name"}]}.
nlohmann::json PreferencesJson(const Preferences& prefs, std::string_view district_language);

// The person's current preferences (defaults when they never chose).
Result<Preferences> LoadPreferences(JournalStore& store, const Person& person);
// Stores a new revision; `by` is who made the change (0: Cairn itself).
Status SavePreferences(JournalStore& store, const Person& person, const Preferences& prefs, Id by,
                       Instant at);

// The district's default language: the "language" setting, else "en" (also
// when the setting cannot be read: a message in English beats none).
inline constexpr std::string_view kLanguageSetting = "language";
std::string DistrictLanguage(LedgerStore& store);

}  // namespace cairn
