#include "server/handlers/toolkit_handlers.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "server/responses.h"
#include "service/crypto.h"
#include "toolkit/instrument.h"
#include "toolkit/round_results.h"

namespace cairn {

using nlohmann::json;

namespace {

constexpr const char* kTeamStream = "team";
constexpr const char* kRoundStream = "round";
constexpr std::size_t kMaxName = 120;
constexpr std::size_t kMaxMembers = 60;
constexpr std::size_t kMaxText = 4000;
constexpr std::size_t kMostDisagreed = 5;

std::string ResponseStream(const std::string& round_id) { return "round-response:" + round_id; }

// --- the documents ---------------------------------------------------------

struct Team {
  std::string id;
  Id district = 0;
  std::string name;
  std::optional<Id> school;
  std::vector<Id> members;
  Instant created_at = 0;
};

struct Round {
  std::string id;
  Id district = 0;
  std::string instrument;
  std::string team;
  std::string label;
  Day due = 0;
  bool anonymous = true;
  bool closed = false;
  std::string previous;  // the team's earlier round of the same instrument, or ""
  std::string secret;    // sealed (anonymous rounds)
  Id opened_by = 0;
  Instant opened_at = 0;
  // The round's place among the district's rounds (1, 2, ...), given by the
  // single writer: orders rounds opened within the same second.
  std::int64_t number = 0;
  Instant closed_at = 0;
  json body;  // the current revision as stored
};

Team TeamOf(const JournalEntry& entry) {
  const json body = json::parse(entry.body, nullptr, false);
  Team team;
  team.id = entry.key;
  team.district = entry.district_id;
  team.name = body.value("name", "");
  if (body.contains("school") && body["school"].is_number_integer()) {
    team.school = body["school"].get<Id>();
  }
  if (body.contains("members") && body["members"].is_array()) {
    for (const json& m : body["members"]) {
      if (m.is_number_integer()) team.members.push_back(m.get<Id>());
    }
  }
  team.created_at = body.value("created_at", Instant{0});
  return team;
}

Round RoundOf(const JournalEntry& entry) {
  Round round;
  round.body = json::parse(entry.body, nullptr, false);
  const json& body = round.body;
  round.id = entry.key;
  round.district = entry.district_id;
  round.instrument = body.value("instrument", "");
  round.team = body.value("team", "");
  round.label = body.value("label", "");
  round.due = body.value("due", Day{0});
  round.anonymous = body.value("anonymous", true);
  round.closed = body.value("status", "open") == "closed";
  round.previous = body.value("previous", "");
  round.secret = body.value("secret", "");
  round.opened_by = body.value("opened_by", Id{0});
  round.opened_at = body.value("opened_at", Instant{0});
  round.number = body.value("number", std::int64_t{0});
  round.closed_at = body.value("closed_at", Instant{0});
  return round;
}

Result<std::optional<Team>> LoadTeam(Store& store, Id district, const std::string& id) {
  CAIRN_ASSIGN_OR_RETURN(auto entries, store.Journal(district, kTeamStream, id));
  if (entries.empty()) return std::optional<Team>();
  return std::optional<Team>(TeamOf(entries.back()));
}

// The round the path names, whichever district it is in (round ids are
// random, so at most one district has it).
Result<std::optional<Round>> FindRound(Store& store, const Roster& roster, const std::string& id) {
  if (id.empty() || id.size() > 64) return std::optional<Round>();
  for (const District& district : roster.districts) {
    CAIRN_ASSIGN_OR_RETURN(auto entries, store.Journal(district.id, kRoundStream, id));
    if (!entries.empty()) return std::optional<Round>(RoundOf(entries.back()));
  }
  return std::optional<Round>();
}

// --- who may do what -------------------------------------------------------

const District* DistrictByRef(const Roster& roster, const std::string& ref) {
  for (const District& d : roster.districts) {
    if (d.sourced_id == ref) return &d;
  }
  return nullptr;
}

bool IsAdmin(const Principal& who) { return who.person.role == PersonRole::kAdmin; }

bool InDistrict(const Principal& who, const District& district) {
  return IsAdmin(who) || who.person.district_id == district.id;
}

// Leads some teams of the district: its district leaders and admins (all of
// them), its school leaders (their school's).
bool LeadsIn(const Principal& who, const District& district) {
  return CanLeadDistrict(who, district) ||
         (who.person.role == PersonRole::kSchoolLeader && who.person.district_id == district.id);
}

bool LeadsTeam(const Principal& who, const Team& team) {
  if (IsAdmin(who)) return true;
  if (who.person.district_id != team.district) return false;
  if (who.person.role == PersonRole::kDistrictLeader) return true;
  return who.person.role == PersonRole::kSchoolLeader && team.school && who.person.school_id &&
         *who.person.school_id == *team.school;
}

bool IsMember(const Principal& who, const Team& team) {
  return who.person.district_id == team.district &&
         std::find(team.members.begin(), team.members.end(), who.person.id) != team.members.end();
}

std::optional<RespondentRole> RespondentRoleOf(PersonRole role) {
  switch (role) {
    case PersonRole::kTeacher:
      return RespondentRole::kTeacher;
    case PersonRole::kSchoolLeader:
      return RespondentRole::kSchoolLeader;
    case PersonRole::kDistrictLeader:
      return RespondentRole::kDistrictLeader;
    case PersonRole::kAdmin:
      return RespondentRole::kAdmin;
    default:
      return std::nullopt;
  }
}

bool Answerable(const Instrument& instrument) {
  return instrument.kind == InstrumentKind::kSurvey || instrument.kind == InstrumentKind::kRubric;
}

bool Accepting(const Round& round, Instant now) { return !round.closed && DayOf(now) <= round.due; }

// An anonymous round's results wait until nobody can answer any more.
bool ResultsReady(const Round& round, Instant now) {
  return !round.anonymous || !Accepting(round, now);
}

HttpResponse Forbidden(const std::string& what) {
  return ErrorResponse(403, "permission_denied", what);
}

HttpResponse NoRound() { return ErrorResponse(404, "not_found", "round: no such round", "round"); }

// --- anonymous keys --------------------------------------------------------

std::string NewSecretHex() {
  unsigned char secret[crypto_auth_hmacsha256_KEYBYTES];
  randombytes_buf(secret, sizeof secret);
  char hex[sizeof secret * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, secret, sizeof secret);
  sodium_memzero(secret, sizeof secret);
  return hex;
}

// Who answered, as the journal keys it: "person:<id>" in named rounds, an
// HMAC only the server can compute in anonymous ones.
Result<std::string> RespondentKey(const Round& round, Id person, const KeyVault& vault) {
  if (!round.anonymous) return "person:" + std::to_string(person);
  CAIRN_ASSIGN_OR_RETURN(std::string secret_hex, vault.Unseal(round.secret));
  unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
  std::size_t key_len = 0;
  if (sodium_hex2bin(key, sizeof key, secret_hex.data(), secret_hex.size(), nullptr, &key_len,
                     nullptr) != 0 ||
      key_len != sizeof key) {
    return Status::Internal("round " + round.id + ": its secret is unreadable");
  }
  const std::string message = round.id + ":" + std::to_string(person);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key, sizeof key);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(key, sizeof key);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return "anon:" + std::string(hex);
}

// --- answers ---------------------------------------------------------------

RespondentAnswers AnswersOf(const json& body) {
  RespondentAnswers answers;
  if (body.contains("answers") && body["answers"].is_object()) {
    for (const auto& [item, value] : body["answers"].items()) {
      if (value.is_number_integer()) answers.values[item] = value.get<int>();
    }
  }
  if (body.contains("texts") && body["texts"].is_object()) {
    for (const auto& [item, value] : body["texts"].items()) {
      if (value.is_string() && !value.get_ref<const std::string&>().empty()) {
        answers.texts[item] = value.get<std::string>();
      }
    }
  }
  return answers;
}

json AnswersJson(const RespondentAnswers& answers) {
  return {{"answers", answers.values}, {"texts", answers.texts}};
}

// A member's answers from a request body, checked against the instrument:
// every problem named by its field ("answers.vision-setting-1").
Result<RespondentAnswers> ParseAnswers(const json& body, const Instrument& instrument) {
  std::vector<FieldError> errors;
  RespondentAnswers out;
  if (!body.is_object()) return Status::InvalidField("body", "a JSON object with \"answers\"");
  if (body.contains("answers") && !body["answers"].is_object()) {
    errors.push_back({"answers", "an object of item id to the chosen point's value"});
  } else if (body.contains("answers")) {
    for (const auto& [item_id, value] : body["answers"].items()) {
      const std::string field = "answers." + item_id;
      const InstrumentItem* item = instrument.FindItem(item_id);
      if (!item) {
        errors.push_back({field, "no such item in " + instrument.id});
        continue;
      }
      if (item->response.kind == ResponseKind::kText) {
        errors.push_back({field, "a free-text item: answer it in \"texts\""});
        continue;
      }
      if (value.is_null()) continue;  // left blank
      const ResponseScale* scale = instrument.FindScale(item->response.scale);
      if (!value.is_number_integer() || !scale || !scale->FindPoint(value.get<int>())) {
        std::string points;
        if (scale) {
          for (const ScalePoint& p : scale->points) {
            points += (points.empty() ? "" : ", ") + std::to_string(p.value);
          }
        }
        errors.push_back({field, "one of the scale's points (" + points + ")"});
        continue;
      }
      out.values[item_id] = value.get<int>();
    }
  }
  if (body.contains("texts") && !body["texts"].is_object()) {
    errors.push_back({"texts", "an object of item id to text"});
  } else if (body.contains("texts")) {
    for (const auto& [item_id, value] : body["texts"].items()) {
      const std::string field = "texts." + item_id;
      const InstrumentItem* item = instrument.FindItem(item_id);
      if (!item) {
        errors.push_back({field, "no such item in " + instrument.id});
      } else if (!value.is_string() && !value.is_null()) {
        errors.push_back({field, "text"});
      } else if (value.is_string() && value.get_ref<const std::string&>().size() > kMaxText) {
        errors.push_back({field, "at most " + std::to_string(kMaxText) + " characters"});
      } else if (value.is_string() && !value.get_ref<const std::string&>().empty()) {
        out.texts[item_id] = value.get<std::string>();
      }
    }
  }
  if (errors.empty() && out.values.empty() && out.texts.empty()) {
    errors.push_back({"answers", "answer at least one item"});
  }
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  return out;
}

struct StoredAnswer {
  JournalEntry entry;
  RespondentAnswers answers;
};

Result<std::vector<StoredAnswer>> LoadAnswers(Store& store, const Round& round) {
  CAIRN_ASSIGN_OR_RETURN(auto entries,
                         store.JournalLatest(round.district, ResponseStream(round.id)));
  std::vector<StoredAnswer> out;
  for (JournalEntry& entry : entries) {
    RespondentAnswers answers = AnswersOf(json::parse(entry.body, nullptr, false));
    out.push_back({std::move(entry), std::move(answers)});
  }
  return out;
}

// --- rendering -------------------------------------------------------------

json OptionalNumber(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

json PointsJson(const std::vector<PointCount>& points) {
  json out = json::array();
  for (const PointCount& p : points) {
    out.push_back({{"value", p.value}, {"label", p.label}, {"count", p.count}});
  }
  return out;
}

json ItemResultJson(const ItemResult& item) {
  json out{{"item", item.item_id},  {"section", item.section_id},
           {"prompt", item.prompt}, {"kind", item.scaled ? "scale" : "text"},
           {"n", item.n},           {"suppressed", item.suppressed}};
  if (item.suppressed) {
    out["note"] = "fewer than " + std::to_string(kMinAnonymousResponses) +
                  " answers: not shown in an anonymous round";
    return out;
  }
  if (item.scaled) {
    out["median"] = OptionalNumber(item.median);
    out["q1"] = OptionalNumber(item.q1);
    out["q3"] = OptionalNumber(item.q3);
    out["iqr"] = OptionalNumber(item.iqr);
    out["lowest"] = item.lowest ? json(*item.lowest) : json(nullptr);
    out["highest"] = item.highest ? json(*item.highest) : json(nullptr);
    out["mean"] = OptionalNumber(item.mean);
    out["disagreement"] = OptionalNumber(item.disagreement);
    out["distribution"] = PointsJson(item.distribution);
  } else {
    out["texts"] = item.texts;
  }
  return out;
}

json ResultsJson(const RoundResults& results) {
  json items = json::array();
  for (const ItemResult& item : results.items) items.push_back(ItemResultJson(item));
  json domains = json::array();
  for (const DomainResult& d : results.domains) {
    domains.push_back({{"section", d.section_id},
                       {"title", d.title},
                       {"items", d.items},
                       {"items_counted", d.items_counted},
                       {"respondents", d.respondents},
                       {"answers", d.answers},
                       {"mean", OptionalNumber(d.mean)},
                       {"median", OptionalNumber(d.median)},
                       {"disagreement", OptionalNumber(d.disagreement)},
                       {"scale_min", d.scale_min ? json(*d.scale_min) : json(nullptr)},
                       {"scale_max", d.scale_max ? json(*d.scale_max) : json(nullptr)},
                       {"distribution", PointsJson(d.distribution)}});
  }
  json most = json::array();
  for (std::size_t i = 0; i < results.by_disagreement.size() && i < kMostDisagreed; ++i) {
    most.push_back(ItemResultJson(results.items[results.by_disagreement[i]]));
  }
  return {{"respondents", results.respondents},
          {"anonymous", results.anonymous},
          {"domains", domains},
          {"most_disagreed", most},
          {"items", items}};
}

// Themes a leader tagged free-text answers with (check-in surveys, the
// guide's Template 3.1): stream "round-themes", key = the round id, one
// document per round, each revision the whole set. An answer is named by
// the SHA-256 of its item id and text, so the tags never carry who wrote it
// and identical answers share them.
constexpr const char* kThemeStream = "round-themes";

std::string AnswerKey(const std::string& item, const std::string& text) {
  return Sha256Hex(item + "\n" + text);
}

// answer key -> themes
using Themes = std::map<std::string, std::vector<std::string>>;

Result<Themes> LoadThemes(Store& store, const Round& round) {
  CAIRN_ASSIGN_OR_RETURN(auto entries, store.Journal(round.district, kThemeStream, round.id));
  Themes themes;
  if (entries.empty()) return themes;
  const json body = json::parse(entries.back().body, nullptr, false);
  if (body.is_object() && body["tags"].is_object()) {
    for (const auto& [key, list] : body["tags"].items()) {
      themes[key] = list.get<std::vector<std::string>>();
    }
  }
  return themes;
}

// Each text item gets "text_themes" (beside "texts", same order) and the
// results a "themes" summary: each theme with how many answers carry it.
void AttachThemes(json& results, const Themes& themes) {
  std::map<std::string, int> counts;
  for (json& item : results["items"]) {
    if (!item.contains("texts")) continue;
    json tags = json::array();
    for (const json& text : item["texts"]) {
      auto it = themes.find(AnswerKey(item["item"], text));
      const std::vector<std::string> list =
          it == themes.end() ? std::vector<std::string>{} : it->second;
      for (const std::string& t : list) ++counts[t];
      tags.push_back(list);
    }
    item["text_themes"] = std::move(tags);
  }
  json summary = json::array();
  for (const auto& [theme, n] : counts) summary.push_back({{"theme", theme}, {"answers", n}});
  results["themes"] = std::move(summary);
}

json TeamJson(const Team& team, const Roster& roster) {
  json members = json::array();
  for (Id id : team.members) {
    if (const Person* p = roster.FindPerson(id)) members.push_back(PersonJson(*p));
  }
  json school = nullptr;
  if (team.school) {
    if (const School* s = roster.FindSchool(*team.school)) {
      school = {{"id", s->sourced_id}, {"name", s->name}};
    }
  }
  return {{"id", team.id},
          {"name", team.name},
          {"school", school},
          {"members", members},
          {"created_at", FormatInstant(team.created_at)}};
}

// A district's own instruments (adapted or added; issue #15: "so a district
// can adapt them"): stream "instrument", key = the instrument id, one entry
// per revision. A round opened on one keeps the document it was opened with
// ("instrument_document" in the round), so editing the instrument never
// changes a round under way.
constexpr const char* kInstrumentStream = "instrument";

std::optional<Instrument> ParseStoredInstrument(const json& doc) {
  if (!doc.is_object()) return std::nullopt;
  auto parsed = ParseInstrument(doc.dump(), "stored instrument");
  if (!parsed.ok()) return std::nullopt;
  return std::move(*parsed);
}

// The instrument a round asks: its own copy, else the bundled one.
std::optional<Instrument> InstrumentOf(const Round& round) {
  if (round.body.is_object() && round.body.contains("instrument_document")) {
    return ParseStoredInstrument(round.body["instrument_document"]);
  }
  if (const Instrument* bundled = FindBundledInstrument(round.instrument)) return *bundled;
  return std::nullopt;
}

// The district's own instrument with this id, else the bundled one.
Result<std::optional<Instrument>> DistrictInstrument(Store& store, Id district,
                                                     const std::string& id) {
  CAIRN_ASSIGN_OR_RETURN(auto entries, store.Journal(district, kInstrumentStream, id));
  if (!entries.empty()) {
    return ParseStoredInstrument(json::parse(entries.back().body, nullptr, false));
  }
  if (const Instrument* bundled = FindBundledInstrument(id)) {
    return std::optional<Instrument>(*bundled);
  }
  return std::optional<Instrument>();
}

json RoundJson(const Round& round, const std::optional<Team>& team, Instant now) {
  const std::optional<Instrument> own = InstrumentOf(round);
  const Instrument* instrument = own ? &*own : nullptr;
  return {
      {"id", round.id},
      {"instrument",
       {{"id", round.instrument}, {"title", instrument ? instrument->title : round.instrument}}},
      {"team", {{"id", round.team}, {"name", team ? team->name : ""}}},
      {"label", round.label},
      {"due", FormatDate(round.due)},
      {"anonymous", round.anonymous},
      {"status", round.closed ? "closed" : "open"},
      {"accepting", Accepting(round, now)},
      {"results_ready", ResultsReady(round, now)},
      {"previous", round.previous.empty() ? json(nullptr) : json(round.previous)},
      {"members", team ? team->members.size() : 0},
      {"opened_at", FormatInstant(round.opened_at)},
      {"closed_at", round.closed ? json(FormatInstant(round.closed_at)) : json(nullptr)}};
}

json InstrumentSummary(const Instrument& i) {
  return {{"id", i.id},
          {"title", i.title},
          {"description", i.description},
          {"kind", InstrumentKindName(i.kind)},
          {"anonymous", i.anonymous},
          {"repeat", RepeatEveryName(i.repeat.every)},
          {"sections", i.sections.size()},
          {"items", i.ItemCount()},
          {"source", {{"seed", i.source.seed}, {"template", i.source.template_name}}},
          {"rounds", Answerable(i)}};
}

std::string NameOf(const Roster& roster, Id id) {
  const Person* p = roster.FindPerson(id);
  return p ? p->DisplayName() : "";
}

}  // namespace

std::vector<GroupRoute<ToolkitHandlers>> ToolkitHandlers::Routes() {
  using G = ToolkitHandlers;
  using R = AccessRule;
  return {
      {{"GET", "/api/v1/districts/{district}/instruments", R::kDistrictStaff, false},
       &G::ListInstruments},
      {{"PUT", "/api/v1/districts/{district}/instruments/{instrument}", R::kDistrictLeader, true},
       &G::PutInstrument},
      {{"GET", "/api/v1/districts/{district}/instruments/{instrument}", R::kDistrictStaff, false},
       &G::GetInstrument},
      {{"GET", "/api/v1/districts/{district}/staff", R::kDistrictLeaders, false}, &G::ListStaff},
      {{"GET", "/api/v1/districts/{district}/teams", R::kDistrictLeaders, false}, &G::ListTeams},
      {{"POST", "/api/v1/districts/{district}/teams", R::kDistrictLeaders, false}, &G::CreateTeam},
      {{"GET", "/api/v1/districts/{district}/rounds", R::kDistrictLeaders, false}, &G::ListRounds},
      {{"POST", "/api/v1/districts/{district}/rounds", R::kDistrictLeaders, false}, &G::OpenRound},
      {{"GET", "/api/v1/rounds/{round}", R::kStaff, false}, &G::GetRound},
      {{"PUT", "/api/v1/rounds/{round}/my-response", R::kStaff, false}, &G::PutMyResponse},
      {{"GET", "/api/v1/rounds/{round}/results", R::kLeader, false}, &G::Results},
      {{"POST", "/api/v1/rounds/{round}/close", R::kLeader, false}, &G::CloseRound},
      {{"PUT", "/api/v1/rounds/{round}/themes", R::kLeader, false}, &G::PutThemes},
      {{"GET", "/api/v1/me/rounds", R::kStaff, false}, &G::MyRounds},
  };
}

HttpResponse ToolkitHandlers::ListInstruments(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return ErrorResponse(404, "not_found", "district: no such district", "district");
  if (!InDistrict(*ctx.who, *district))
    return Forbidden("you may not see this district's instruments");
  json out = json::array();
  for (const Instrument& i : BundledInstruments()) {
    json summary = InstrumentSummary(i);
    summary["origin"] = "bundled";
    out.push_back(std::move(summary));
  }
  auto own = services_.Service().store().JournalLatest(district->id, kInstrumentStream);
  if (!own.ok()) return ErrorResponse(own.status());
  for (const JournalEntry& e : *own) {
    if (auto i = ParseStoredInstrument(json::parse(e.body, nullptr, false))) {
      json summary = InstrumentSummary(*i);
      summary["origin"] = "district";
      out.push_back(std::move(summary));
    }
  }
  return JsonResponse(200, out);
}

HttpResponse ToolkitHandlers::GetInstrument(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return ErrorResponse(404, "not_found", "district: no such district", "district");
  if (!InDistrict(*ctx.who, *district))
    return Forbidden("you may not see this district's instruments");
  auto instrument =
      DistrictInstrument(services_.Service().store(), district->id, ctx.params["instrument"]);
  if (!instrument.ok()) return ErrorResponse(instrument.status());
  if (!*instrument) {
    return ErrorResponse(404, "not_found", "instrument: no such instrument", "instrument");
  }
  json out = InstrumentToJson(**instrument);
  out["origin"] = FindBundledInstrument((*instrument)->id) ? "bundled" : "district";
  return JsonResponse(200, out);
}

// A district adapts a shipped instrument (under an id of its own: the shipped
// ones keep the seeds' exact wording) or adds one. The body is the
// instrument document (docs/instrument-format.md); its "id" is the path's.
// Every problem is named by its JSON path and nothing is stored.
HttpResponse ToolkitHandlers::PutInstrument(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return ErrorResponse(404, "not_found", "district: no such district", "district");
  const std::string id = ctx.params["instrument"];
  if (FindBundledInstrument(id)) {
    return ErrorResponse(Status::AtField(
        StatusCode::kFailedPrecondition, "id",
        "'" + id + "' is shipped with Cairn: save your adaptation under an id of its own"));
  }
  if (!ctx.body.is_object() || ctx.body.value("id", json()) != json(id)) {
    return ErrorResponse(
        Status::InvalidField("id", "must be the instrument id in the path, '" + id + "'"));
  }
  auto parsed = ParseInstrument(ctx.body.dump(), "instrument");
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  JournalEntry entry;
  entry.district_id = district->id;
  entry.stream = kInstrumentStream;
  entry.key = id;
  entry.body = InstrumentToJson(*parsed).dump();
  entry.recorded_by = ctx.who->person.id;
  entry.recorded_at = services_.Now();
  ctx.audit_detail = "instrument " + id;
  return services_.Write([entry, document = InstrumentToJson(*parsed)](CairnService& service) {
    auto ids = service.store().AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    json out = document;
    out["origin"] = "district";
    return JsonResponse(200, out);
  });
}

HttpResponse ToolkitHandlers::ListStaff(RequestContext& ctx) {
  const Roster& roster = *ctx.roster;
  const District* district = DistrictByRef(roster, ctx.params["district"]);
  if (!district) return ErrorResponse(404, "not_found", "district: no such district", "district");
  if (!LeadsIn(*ctx.who, *district)) return Forbidden("you may not see this district's staff");
  const bool whole_district = CanLeadDistrict(*ctx.who, *district);
  std::vector<std::pair<std::string, json>> rows;
  for (const Person& p : roster.people) {
    if (!p.active || p.district_id != district->id || !IsStaff(p.role) ||
        p.role == PersonRole::kAdmin) {
      continue;
    }
    if (!whole_district && p.school_id != ctx.who->person.school_id) continue;
    const School* school = p.school_id ? roster.FindSchool(*p.school_id) : nullptr;
    json row = PersonJson(p);
    row["school"] = school ? json(school->name) : json(nullptr);
    rows.emplace_back(
        (school ? school->name : std::string()) + "\n" + p.DisplayName() + "\n" + p.sourced_id,
        std::move(row));
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  json out = json::array();
  for (auto& [key, row] : rows) out.push_back(std::move(row));
  return JsonResponse(200, out);
}

HttpResponse ToolkitHandlers::ListTeams(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return ErrorResponse(404, "not_found", "district: no such district", "district");
  if (!LeadsIn(*ctx.who, *district)) return Forbidden("you may not see this district's teams");
  auto entries = services_.Service().store().JournalLatest(district->id, kTeamStream);
  if (!entries.ok()) return ErrorResponse(entries.status());
  std::vector<Team> teams;
  for (const JournalEntry& e : *entries) {
    Team team = TeamOf(e);
    if (LeadsTeam(*ctx.who, team)) teams.push_back(std::move(team));
  }
  std::sort(teams.begin(), teams.end(), [](const Team& a, const Team& b) {
    return std::tie(a.name, a.id) < std::tie(b.name, b.id);
  });
  json out = json::array();
  for (const Team& team : teams) out.push_back(TeamJson(team, *ctx.roster));
  return JsonResponse(200, out);
}

HttpResponse ToolkitHandlers::CreateTeam(RequestContext& ctx) {
  const Roster& roster = *ctx.roster;
  const District* district = DistrictByRef(roster, ctx.params["district"]);
  if (!district) return ErrorResponse(404, "not_found", "district: no such district", "district");
  if (!LeadsIn(*ctx.who, *district)) return Forbidden("you may not make teams in this district");
  const json& body = ctx.body;
  if (!body.is_object()) {
    return ErrorResponse(Status::InvalidField("body", "a JSON object with name and members"));
  }
  std::vector<FieldError> errors;
  Team team;
  team.district = district->id;
  if (!body.contains("name") || !body["name"].is_string() ||
      body["name"].get_ref<const std::string&>().empty() ||
      body["name"].get_ref<const std::string&>().size() > kMaxName) {
    errors.push_back({"name", "required, 1 to " + std::to_string(kMaxName) + " characters"});
  } else {
    team.name = body["name"].get<std::string>();
  }
  if (body.contains("school") && !body["school"].is_null()) {
    const School* school = nullptr;
    if (body["school"].is_string()) {
      for (const School& s : roster.schools) {
        if (s.sourced_id == body["school"].get_ref<const std::string&>() &&
            s.district_id == district->id) {
          school = &s;
        }
      }
    }
    if (!school) {
      errors.push_back({"school", "a school of this district"});
    } else {
      team.school = school->id;
    }
  }
  if (ctx.who->person.role == PersonRole::kSchoolLeader) {
    // A school leader's teams are their own school's.
    if (!team.school) team.school = ctx.who->person.school_id;
    if (team.school != ctx.who->person.school_id) {
      return ErrorResponse(Status::AtField(StatusCode::kPermissionDenied, "school",
                                           "a school leader makes teams for their own school"));
    }
  }
  if (!body.contains("members") || !body["members"].is_array() || body["members"].empty() ||
      body["members"].size() > kMaxMembers) {
    errors.push_back({"members", "required, 1 to " + std::to_string(kMaxMembers) +
                                     " staff ids (people of this district)"});
  } else {
    std::set<Id> seen;
    for (std::size_t i = 0; i < body["members"].size(); ++i) {
      const json& m = body["members"][i];
      const std::string field = "members[" + std::to_string(i) + "]";
      const Person* p =
          m.is_string() ? roster.FindPersonBySourcedId(m.get<std::string>()) : nullptr;
      if (!p || !p->active || p->district_id != district->id || !RespondentRoleOf(p->role) ||
          p->role == PersonRole::kAdmin) {
        errors.push_back({field, "a teacher or leader of this district"});
      } else if (team.school && p->role != PersonRole::kDistrictLeader &&
                 p->school_id != team.school) {
        errors.push_back({field, "not staff of the team's school"});
      } else if (!seen.insert(p->id).second) {
        errors.push_back({field, "listed twice"});
      } else {
        team.members.push_back(p->id);
      }
    }
  }
  if (!errors.empty()) return ErrorResponse(Status::InvalidFields(std::move(errors)));
  team.id = "team-" + RandomToken(9);
  team.created_at = services_.Now();
  JournalEntry entry;
  entry.district_id = district->id;
  entry.stream = kTeamStream;
  entry.key = team.id;
  entry.body = json{{"name", team.name},
                    {"school", team.school ? json(*team.school) : json(nullptr)},
                    {"members", team.members},
                    {"created_at", team.created_at}}
                   .dump();
  entry.recorded_by = ctx.who->person.id;
  entry.recorded_at = team.created_at;
  return services_.Write([entry, team, roster = ctx.roster](CairnService& service) -> HttpResponse {
    auto ids = service.store().AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    return JsonResponse(201, TeamJson(team, *roster));
  });
}

HttpResponse ToolkitHandlers::ListRounds(RequestContext& ctx) {
  const District* district = DistrictByRef(*ctx.roster, ctx.params["district"]);
  if (!district) return ErrorResponse(404, "not_found", "district: no such district", "district");
  if (!LeadsIn(*ctx.who, *district)) return Forbidden("you may not see this district's rounds");
  Store& store = services_.Service().store();
  auto entries = store.JournalLatest(district->id, kRoundStream);
  if (!entries.ok()) return ErrorResponse(entries.status());
  const Instant now = services_.Now();
  std::vector<std::pair<Round, Team>> rounds;
  for (const JournalEntry& e : *entries) {
    Round round = RoundOf(e);
    auto team = LoadTeam(store, district->id, round.team);
    if (!team.ok()) return ErrorResponse(team.status());
    if (!*team || !LeadsTeam(*ctx.who, **team)) continue;
    rounds.emplace_back(std::move(round), std::move(**team));
  }
  // Newest first.
  std::sort(rounds.begin(), rounds.end(),
            [](const auto& a, const auto& b) { return a.first.number > b.first.number; });
  json out = json::array();
  for (const auto& [round, team] : rounds) {
    auto answers = store.JournalLatest(district->id, ResponseStream(round.id));
    if (!answers.ok()) return ErrorResponse(answers.status());
    json row = RoundJson(round, team, now);
    row["responses"] = answers->size();
    out.push_back(std::move(row));
  }
  return JsonResponse(200, out);
}

HttpResponse ToolkitHandlers::OpenRound(RequestContext& ctx) {
  const Roster& roster = *ctx.roster;
  const District* district = DistrictByRef(roster, ctx.params["district"]);
  if (!district) return ErrorResponse(404, "not_found", "district: no such district", "district");
  if (!LeadsIn(*ctx.who, *district)) return Forbidden("you may not open rounds in this district");
  const json& body = ctx.body;
  if (!body.is_object()) {
    return ErrorResponse(Status::InvalidField("body", "a JSON object with instrument, team, due"));
  }
  Store& store = services_.Service().store();
  const Instant now = services_.Now();
  std::vector<FieldError> errors;
  Round round;
  round.district = district->id;

  std::optional<Instrument> chosen;
  if (body.contains("instrument") && body["instrument"].is_string()) {
    auto found = DistrictInstrument(store, district->id, body["instrument"].get<std::string>());
    if (!found.ok()) return ErrorResponse(found.status());
    chosen = std::move(*found);
  }
  const Instrument* instrument = chosen ? &*chosen : nullptr;
  if (!body.contains("instrument") || !body["instrument"].is_string()) {
    errors.push_back({"instrument", "required, the id of an instrument"});
  } else if (!instrument) {
    errors.push_back({"instrument", "no such instrument"});
  } else if (!Answerable(*instrument)) {
    errors.push_back({"instrument", "a " + std::string(InstrumentKindName(instrument->kind)) +
                                        " is worked through together, not answered in rounds"});
    instrument = nullptr;
  } else {
    round.instrument = instrument->id;
  }

  std::optional<Team> team;
  if (!body.contains("team") || !body["team"].is_string()) {
    errors.push_back({"team", "required, the id of a team"});
  } else {
    auto loaded = LoadTeam(store, district->id, body["team"].get<std::string>());
    if (!loaded.ok()) return ErrorResponse(loaded.status());
    team = std::move(*loaded);
    if (!team) {
      errors.push_back({"team", "no such team in this district"});
    } else if (!LeadsTeam(*ctx.who, *team)) {
      return ErrorResponse(
          Status::AtField(StatusCode::kPermissionDenied, "team", "you do not lead this team"));
    } else {
      round.team = team->id;
      if (instrument) {
        for (Id member : team->members) {
          const Person* p = roster.FindPerson(member);
          auto role = p ? RespondentRoleOf(p->role) : std::nullopt;
          if (!role || !instrument->MayRespond(*role)) {
            errors.push_back(
                {"team", (p ? p->DisplayName() : "a member") + " (" +
                             (p ? std::string(PersonRoleName(p->role)) : std::string()) +
                             ") may not respond to " + instrument->id});
          }
        }
      }
    }
  }

  if (!body.contains("due") || !body["due"].is_string()) {
    errors.push_back({"due", "required, a date (YYYY-MM-DD)"});
  } else if (auto due = ParseDate(body["due"].get<std::string>()); !due.ok()) {
    errors.push_back({"due", "a date (YYYY-MM-DD)"});
  } else if (*due < DayOf(now)) {
    errors.push_back({"due", "today or later"});
  } else {
    round.due = *due;
  }

  if (body.contains("label") && !body["label"].is_null()) {
    if (!body["label"].is_string() ||
        body["label"].get_ref<const std::string&>().size() > kMaxName) {
      errors.push_back({"label", "text of at most " + std::to_string(kMaxName) + " characters"});
    } else {
      round.label = body["label"].get<std::string>();
    }
  }
  round.anonymous = instrument ? instrument->anonymous : true;
  if (body.contains("anonymous") && !body["anonymous"].is_null()) {
    if (!body["anonymous"].is_boolean()) {
      errors.push_back({"anonymous", "true or false"});
    } else {
      round.anonymous = body["anonymous"].get<bool>();
    }
  }
  if (!errors.empty()) return ErrorResponse(Status::InvalidFields(std::move(errors)));
  if (round.label.empty()) round.label = instrument->title + ", due " + FormatDate(round.due);

  round.id = "round-" + RandomToken(9);
  round.opened_by = ctx.who->person.id;
  round.opened_at = now;
  if (round.anonymous) round.secret = services_.Vault().Seal(NewSecretHex());
  // A district's own instrument travels with the round.
  const json own_document =
      FindBundledInstrument(round.instrument) ? json() : InstrumentToJson(*instrument);
  return services_.Write(
      [round, team, now, own_document](CairnService& service) mutable -> HttpResponse {
        Store& writer = service.store();
        // The team's latest earlier round of this instrument, looked up in the
        // writer so two rounds opened at once still chain.
        auto rounds = writer.JournalLatest(round.district, kRoundStream);
        if (!rounds.ok()) return ErrorResponse(rounds.status());
        std::optional<Round> previous;
        for (const JournalEntry& e : *rounds) {
          Round r = RoundOf(e);
          round.number = std::max(round.number, r.number);
          if (r.team != round.team || r.instrument != round.instrument) continue;
          if (!previous || r.number > previous->number) previous = std::move(r);
        }
        ++round.number;
        if (previous) round.previous = previous->id;
        json doc{{"instrument", round.instrument}, {"team", round.team},
                 {"label", round.label},           {"due", round.due},
                 {"anonymous", round.anonymous},   {"status", "open"},
                 {"previous", round.previous},     {"opened_by", round.opened_by},
                 {"opened_at", round.opened_at},   {"number", round.number}};
        if (round.anonymous) doc["secret"] = round.secret;
        if (own_document.is_object()) doc["instrument_document"] = own_document;
        round.body = doc;
        JournalEntry entry;
        entry.district_id = round.district;
        entry.stream = kRoundStream;
        entry.key = round.id;
        entry.body = doc.dump();
        entry.recorded_by = round.opened_by;
        entry.recorded_at = now;
        auto ids = writer.AppendJournal({entry});
        if (!ids.ok()) return ErrorResponse(ids.status());
        json out = RoundJson(round, team, now);
        out["responses"] = 0;
        return JsonResponse(201, out);
      });
}

HttpResponse ToolkitHandlers::GetRound(RequestContext& ctx) {
  Store& store = services_.Service().store();
  auto round = FindRound(store, *ctx.roster, ctx.params["round"]);
  if (!round.ok()) return ErrorResponse(round.status());
  if (!*round) return NoRound();
  auto team = LoadTeam(store, (*round)->district, (*round)->team);
  if (!team.ok()) return ErrorResponse(team.status());
  const bool member = *team && IsMember(*ctx.who, **team);
  const bool leader = *team && LeadsTeam(*ctx.who, **team);
  if (!member && !leader) return Forbidden("you are not in this round's team");
  const std::optional<Instrument> own = InstrumentOf(**round);
  if (!own) return ErrorResponse(500, "internal", "the round's instrument is missing");
  const Instrument* instrument = &*own;
  const Instant now = services_.Now();
  json out = RoundJson(**round, *team, now);
  out["instrument_document"] = InstrumentToJson(*instrument);
  out["you_lead"] = leader;
  out["you_respond"] = member;
  out["my_response"] = nullptr;
  if (member) {
    auto key = RespondentKey(**round, ctx.who->person.id, services_.Vault());
    if (!key.ok()) return ErrorResponse(key.status());
    auto mine = store.Journal((*round)->district, ResponseStream((*round)->id), *key);
    if (!mine.ok()) return ErrorResponse(mine.status());
    if (!mine->empty()) {
      out["my_response"] = AnswersJson(AnswersOf(json::parse(mine->back().body, nullptr, false)));
      out["my_response"]["revisions"] = mine->size();
    }
  }
  if (leader) {
    auto answers = store.JournalLatest((*round)->district, ResponseStream((*round)->id));
    if (!answers.ok()) return ErrorResponse(answers.status());
    out["responses"] = answers->size();
  }
  return JsonResponse(200, out);
}

HttpResponse ToolkitHandlers::PutMyResponse(RequestContext& ctx) {
  Store& store = services_.Service().store();
  auto found = FindRound(store, *ctx.roster, ctx.params["round"]);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return NoRound();
  const Round round = **found;
  auto team = LoadTeam(store, round.district, round.team);
  if (!team.ok()) return ErrorResponse(team.status());
  if (!*team || !IsMember(*ctx.who, **team)) {
    return Forbidden("only the members of this round's team answer it");
  }
  const std::optional<Instrument> own = InstrumentOf(round);
  if (!own) return ErrorResponse(500, "internal", "the round's instrument is missing");
  const Instrument* instrument = &*own;
  auto answers = ParseAnswers(ctx.body, *instrument);
  if (!answers.ok()) return ErrorResponse(answers.status());
  auto key = RespondentKey(round, ctx.who->person.id, services_.Vault());
  if (!key.ok()) return ErrorResponse(key.status());
  const Instant now = services_.Now();
  JournalEntry entry;
  entry.district_id = round.district;
  entry.stream = ResponseStream(round.id);
  entry.key = *key;
  entry.body = AnswersJson(*answers).dump();
  // Anonymous: no recorder, and only the day, so the entry's time does not
  // single out whoever was signed in at that moment.
  entry.recorded_by = round.anonymous ? 0 : ctx.who->person.id;
  entry.recorded_at = round.anonymous ? StartOf(DayOf(now)) : now;
  return services_.Write([entry, round_id = round.id, roster = ctx.roster,
                          now](CairnService& service) -> HttpResponse {
    Store& writer = service.store();
    // Checked again in the writer: the leader may have closed it meanwhile.
    auto current = FindRound(writer, *roster, round_id);
    if (!current.ok()) return ErrorResponse(current.status());
    if (!*current) return NoRound();
    if (!Accepting(**current, now)) {
      return ErrorResponse(409, "failed_precondition",
                           (*current)->closed
                               ? "this round is closed"
                               : "this round was due on " + FormatDate((*current)->due));
    }
    auto earlier = writer.Journal(entry.district_id, entry.stream, entry.key);
    if (!earlier.ok()) return ErrorResponse(earlier.status());
    auto ids = writer.AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    json out = json::parse(entry.body);
    out["revisions"] = earlier->size() + 1;
    return JsonResponse(earlier->empty() ? 201 : 200, out);
  });
}

namespace {

// The round the path names and its team, when the caller leads the team;
// otherwise the refusal (404 for no round, 403 with `refusal`).
std::variant<HttpResponse, std::pair<Round, std::optional<Team>>> LedRound(
    Store& store, RequestContext& ctx, const std::string& refusal) {
  auto found = FindRound(store, *ctx.roster, ctx.params["round"]);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return NoRound();
  auto team = LoadTeam(store, (*found)->district, (*found)->team);
  if (!team.ok()) return ErrorResponse(team.status());
  if (!*team || !LeadsTeam(*ctx.who, **team)) return Forbidden(refusal);
  return std::make_pair(std::move(**found), std::move(*team));
}

}  // namespace

HttpResponse ToolkitHandlers::Results(RequestContext& ctx) {
  Store& store = services_.Service().store();
  auto led = LedRound(store, ctx, "only the leaders of this round's team see its results");
  if (auto* refused = std::get_if<HttpResponse>(&led)) return std::move(*refused);
  const auto& [round, team] = std::get<1>(led);
  const Instant now = services_.Now();
  if (!ResultsReady(round, now)) {
    return ErrorResponse(409, "failed_precondition",
                         "an anonymous round's results are shown once it is closed or past its "
                         "due date, so that watching them change cannot reveal anyone's answers");
  }
  const std::optional<Instrument> own = InstrumentOf(round);
  if (!own) return ErrorResponse(500, "internal", "the round's instrument is missing");
  const Instrument* instrument = &*own;
  auto stored = LoadAnswers(store, round);
  if (!stored.ok()) return ErrorResponse(stored.status());
  std::vector<RespondentAnswers> answers;
  for (const StoredAnswer& s : *stored) answers.push_back(s.answers);
  const RoundResults results = ComputeRoundResults(*instrument, answers, round.anonymous);

  json out = RoundJson(round, *team, now);
  out["responses"] = stored->size();
  out["results"] = ResultsJson(results);
  auto themes = LoadThemes(store, round);
  if (!themes.ok()) return ErrorResponse(themes.status());
  AttachThemes(out["results"], *themes);
  out["change"] = nullptr;
  out["previous_round"] = nullptr;
  if (!round.previous.empty()) {
    auto before = store.Journal(round.district, kRoundStream, round.previous);
    if (!before.ok()) return ErrorResponse(before.status());
    if (!before->empty()) {
      const Round previous = RoundOf(before->back());
      out["previous_round"] = RoundJson(previous, *team, now);
      if (ResultsReady(previous, now)) {
        auto earlier = LoadAnswers(store, previous);
        if (!earlier.ok()) return ErrorResponse(earlier.status());
        std::vector<RespondentAnswers> earlier_answers;
        for (const StoredAnswer& s : *earlier) earlier_answers.push_back(s.answers);
        const RoundResults earlier_results =
            ComputeRoundResults(*instrument, earlier_answers, previous.anonymous);
        json change = json::array();
        for (const DomainMovement& m : CompareRounds(earlier_results, results)) {
          change.push_back({{"section", m.section_id},
                            {"title", m.title},
                            {"before", OptionalNumber(m.before)},
                            {"after", OptionalNumber(m.after)},
                            {"change", OptionalNumber(m.change)},
                            {"disagreement_before", OptionalNumber(m.disagreement_before)},
                            {"disagreement_after", OptionalNumber(m.disagreement_after)}});
        }
        out["change"] = change;
      }
    }
  }
  if (!round.anonymous) {
    // A named round: the leader may see who answered what.
    json by_person = json::array();
    for (const StoredAnswer& s : *stored) {
      const Person* p = ctx.roster->FindPerson(s.entry.recorded_by);
      json row = AnswersJson(s.answers);
      row["person"] = p ? PersonJson(*p) : json(nullptr);
      row["answered_at"] = FormatInstant(s.entry.recorded_at);
      by_person.push_back(std::move(row));
    }
    std::sort(by_person.begin(), by_person.end(), [](const json& a, const json& b) {
      return a["person"].value("name", "") < b["person"].value("name", "");
    });
    out["responses_by_person"] = by_person;
  }
  return JsonResponse(200, out);
}

// {"tags": [{"item", "text", "themes": [...]}, ...]}: the themes of the
// answers named (an answer not named keeps its themes; an empty list clears
// them). Only answers the results show may be tagged.
HttpResponse ToolkitHandlers::PutThemes(RequestContext& ctx) {
  Store& store = services_.Service().store();
  auto led = LedRound(store, ctx, "only the leaders of this round's team tag its answers");
  if (auto* refused = std::get_if<HttpResponse>(&led)) return std::move(*refused);
  const Round& round = std::get<1>(led).first;
  if (!ResultsReady(round, services_.Now())) {
    return ErrorResponse(409, "failed_precondition", "the round's answers are not shown yet");
  }
  const std::optional<Instrument> own = InstrumentOf(round);
  if (!own) return ErrorResponse(500, "internal", "the round's instrument is missing");
  const Instrument* instrument = &*own;
  auto stored = LoadAnswers(store, round);
  if (!stored.ok()) return ErrorResponse(stored.status());
  std::vector<RespondentAnswers> answers;
  for (const StoredAnswer& a : *stored) answers.push_back(a.answers);
  std::set<std::string> shown;  // answer keys the results show
  for (const ItemResult& item : ComputeRoundResults(*instrument, answers, round.anonymous).items) {
    for (const std::string& text : item.texts) shown.insert(AnswerKey(item.item_id, text));
  }
  std::vector<FieldError> errors;
  const json& body = ctx.body;
  if (!body.is_object() || !body.contains("tags") || !body["tags"].is_array()) {
    errors.push_back({"tags", "expected an array of {item, text, themes}"});
  }
  auto themes = LoadThemes(store, round);
  if (!themes.ok()) return ErrorResponse(themes.status());
  if (errors.empty()) {
    for (std::size_t i = 0; i < body["tags"].size(); ++i) {
      const json& tag = body["tags"][i];
      const std::string at = "tags[" + std::to_string(i) + "]";
      if (!tag.is_object() || !tag.value("item", json()).is_string() ||
          !tag.value("text", json()).is_string() || !tag.value("themes", json()).is_array()) {
        errors.push_back({at, "expected {item, text, themes}"});
        continue;
      }
      const std::string key = AnswerKey(tag["item"], tag["text"]);
      if (!shown.count(key)) {
        errors.push_back({at + ".text", "not an answer shown in this round's results"});
        continue;
      }
      std::vector<std::string> list;
      for (std::size_t t = 0; t < tag["themes"].size(); ++t) {
        const json& theme = tag["themes"][t];
        std::string name = theme.is_string() ? theme.get<std::string>() : std::string();
        const auto first = name.find_first_not_of(' ');
        name = first == std::string::npos
                   ? ""
                   : name.substr(first, name.find_last_not_of(' ') - first + 1);
        if (name.empty() || name.size() > 60) {
          errors.push_back(
              {at + ".themes[" + std::to_string(t) + "]", "a theme of 1 to 60 characters"});
        } else if (std::find(list.begin(), list.end(), name) == list.end()) {
          list.push_back(std::move(name));
        }
      }
      if (list.empty()) {
        themes->erase(key);
      } else {
        (*themes)[key] = std::move(list);
      }
    }
  }
  if (!errors.empty()) return ErrorResponse(Status::InvalidFields(std::move(errors)));
  JournalEntry entry;
  entry.district_id = round.district;
  entry.stream = kThemeStream;
  entry.key = round.id;
  entry.body = json{{"tags", *themes}}.dump();
  entry.recorded_by = ctx.who->person.id;
  entry.recorded_at = services_.Now();
  return services_.Write([entry, themes = *themes](CairnService& service) {
    auto ids = service.store().AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    std::map<std::string, int> counts;
    for (const auto& [key, list] : themes) {
      for (const std::string& t : list) ++counts[t];
    }
    json out = json::array();
    for (const auto& [theme, n] : counts) out.push_back({{"theme", theme}, {"answers", n}});
    return JsonResponse(200, json{{"themes", out}});
  });
}

HttpResponse ToolkitHandlers::CloseRound(RequestContext& ctx) {
  Store& store = services_.Service().store();
  auto found = FindRound(store, *ctx.roster, ctx.params["round"]);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return NoRound();
  auto team = LoadTeam(store, (**found).district, (**found).team);
  if (!team.ok()) return ErrorResponse(team.status());
  if (!*team || !LeadsTeam(*ctx.who, **team)) {
    return Forbidden("only the leaders of this round's team close it");
  }
  const Instant now = services_.Now();
  const Id by = ctx.who->person.id;
  return services_.Write([round_id = (**found).id, roster = ctx.roster, team = **team, now,
                          by](CairnService& service) -> HttpResponse {
    auto current = FindRound(service.store(), *roster, round_id);
    if (!current.ok()) return ErrorResponse(current.status());
    if (!*current) return NoRound();
    Round round = **current;
    if (round.closed) return ErrorResponse(409, "failed_precondition", "this round is closed");
    round.body["status"] = "closed";
    round.body["closed_at"] = now;
    round.body["closed_by"] = by;
    JournalEntry entry;
    entry.district_id = round.district;
    entry.stream = kRoundStream;
    entry.key = round.id;
    entry.body = round.body.dump();
    entry.recorded_by = by;
    entry.recorded_at = now;
    auto ids = service.store().AppendJournal({entry});
    if (!ids.ok()) return ErrorResponse(ids.status());
    round.closed = true;
    round.closed_at = now;
    return JsonResponse(200, RoundJson(round, team, now));
  });
}

HttpResponse ToolkitHandlers::MyRounds(RequestContext& ctx) {
  Store& store = services_.Service().store();
  const Id district = ctx.who->person.district_id;
  auto teams = store.JournalLatest(district, kTeamStream);
  if (!teams.ok()) return ErrorResponse(teams.status());
  std::map<std::string, Team> mine;
  for (const JournalEntry& e : *teams) {
    Team team = TeamOf(e);
    if (IsMember(*ctx.who, team)) mine.emplace(team.id, std::move(team));
  }
  auto rounds = store.JournalLatest(district, kRoundStream);
  if (!rounds.ok()) return ErrorResponse(rounds.status());
  const Instant now = services_.Now();
  std::vector<std::pair<Round, json>> out_rows;
  for (const JournalEntry& e : *rounds) {
    Round round = RoundOf(e);
    auto team = mine.find(round.team);
    if (team == mine.end()) continue;
    auto key = RespondentKey(round, ctx.who->person.id, services_.Vault());
    if (!key.ok()) return ErrorResponse(key.status());
    auto answered = store.Journal(district, ResponseStream(round.id), *key);
    if (!answered.ok()) return ErrorResponse(answered.status());
    json row = RoundJson(round, team->second, now);
    row["answered"] = !answered->empty();
    row["opened_by"] = NameOf(*ctx.roster, round.opened_by);
    out_rows.emplace_back(std::move(round), std::move(row));
  }
  // Open ones first, soonest due first; then the rest, newest first.
  std::sort(out_rows.begin(), out_rows.end(), [now](const auto& a, const auto& b) {
    const bool oa = Accepting(a.first, now), ob = Accepting(b.first, now);
    if (oa != ob) return oa;
    if (oa) return std::tie(a.first.due, a.first.id) < std::tie(b.first.due, b.first.id);
    return a.first.number > b.first.number;
  });
  json out = json::array();
  for (auto& [round, row] : out_rows) out.push_back(std::move(row));
  return JsonResponse(200, out);
}

}  // namespace cairn
