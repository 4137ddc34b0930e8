#include "credentials/credential_issuer.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "credentials/base64url.h"
#include "credentials/data_integrity.h"
#include "credentials/jsonld.h"
#include "credentials/multibase.h"
#include "credentials/public_url_history.h"
#include "credentials/rdfc.h"
#include "credentials/status_list.h"
#include "credentials/vc_jwt.h"

namespace cairn {
namespace {

using json = nlohmann::json;

static_assert(kStatusListEntries == static_cast<std::int64_t>(credentials::kMinStatusListBits));

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), buf.data(), buf.size());
  hex.pop_back();
  return hex;
}

// RFC 4122 version 4.
std::string RandomUuid() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

std::vector<CpeResult> ResultsOf(const AwardFact& fact) {
  std::vector<CpeResult> out;
  json explanation = json::parse(fact.explanation_json, nullptr, false);
  if (!explanation.is_object() || !explanation.contains("cpes")) return out;
  for (const json& c : explanation["cpes"]) {
    if (c.contains("level") && c["level"].is_string()) {
      out.push_back({c.value("cpe", ""), c["level"].get<std::string>()});
    }
  }
  return out;
}

const District* FindDistrict(const Roster& roster, Id id) {
  for (const District& d : roster.districts) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

// A P-256 public JWK as a Multikey: multicodec p256-pub (0x1200, varint
// 0x80 0x24) + the compressed point, base58btc.
Result<std::string> P256Multikey(const std::string& jwk_text) {
  json jwk = json::parse(jwk_text, nullptr, false);
  if (!jwk.is_object()) return Status::Invalid("not a JWK");
  auto x = credentials::Base64UrlDecode(jwk.value("x", ""));
  auto y = credentials::Base64UrlDecode(jwk.value("y", ""));
  if (!x.ok() || !y.ok() || x->size() != 32 || y->size() != 32) {
    return Status::Invalid("not a P-256 JWK");
  }
  std::vector<std::uint8_t> bytes{0x80, 0x24};
  bytes.push_back(
      static_cast<std::uint8_t>((static_cast<unsigned char>(y->back()) & 1) ? 0x03 : 0x02));
  bytes.insert(bytes.end(), x->begin(), x->end());
  return multibase::EncodeBase58Btc(bytes.data(), bytes.size());
}

}  // namespace

const jsonld::Processor& SharedJsonLdProcessor() {
  static const jsonld::Processor processor(jsonld::BundledContexts());
  return processor;
}

IssuerUrls CredentialIssuer::UrlsFor(const Roster& roster, Id district) const {
  const District* d = FindDistrict(roster, district);
  return IssuerUrls{options_.public_url, d ? d->sourced_id : std::to_string(district)};
}

Result<IssuerInfo> CredentialIssuer::InfoFor(const Roster& roster, Id district) {
  CAIRN_ASSIGN_OR_RETURN(auto profile, store_.FindIssuerProfile(district));
  IssuerInfo info;
  if (profile) {
    info = {profile->name, profile->url, profile->email, profile->image, profile->description};
  }
  if (info.name.empty()) {
    const District* d = FindDistrict(roster, district);
    info.name = d ? d->name : "Cairn issuer";
  }
  if (info.url.empty()) info.url = options_.public_url;
  return info;
}

Result<StoredKey> CredentialIssuer::ActiveKey(Id district, KeyAlgorithm algorithm) {
  CAIRN_ASSIGN_OR_RETURN(auto keys, store_.SigningKeys(district));
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
    if (it->algorithm == algorithm && !it->retired_at) return *it;
  }
  StoredKey key;
  key.district_id = district;
  key.algorithm = algorithm;
  key.created_at = options_.clock();
  int n = 1;
  for (const StoredKey& k : keys) n += k.algorithm == algorithm ? 1 : 0;
  if (algorithm == KeyAlgorithm::kEd25519) {
    multibase::Ed25519Seed seed{};
    randombytes_buf(seed.data(), seed.size());
    auto pair = credentials::Ed25519KeyPair::FromSeed(seed);
    key.key_id = "key-" + std::to_string(n);
    key.public_key = multibase::EncodeMultikeyEd25519Public(pair.public_key);
    key.sealed_private = vault_.Seal(multibase::EncodeMultikeyEd25519Secret(seed));
    sodium_memzero(seed.data(), seed.size());
  } else {
    CAIRN_ASSIGN_OR_RETURN(auto generated,
                           credentials::SigningKey::Generate(credentials::JwsAlgorithm::kES256));
    key.key_id = "jwt-key-" + std::to_string(n);
    CAIRN_ASSIGN_OR_RETURN(json jwk, generated.PublicJwk(key.key_id));
    key.public_key = jwk.dump();
    CAIRN_ASSIGN_OR_RETURN(std::string pem, generated.ToPkcs8Pem());
    key.sealed_private = vault_.Seal(pem);
  }
  CAIRN_ASSIGN_OR_RETURN(key.id, store_.InsertSigningKey(key));
  return key;
}

Result<StoredKey> CredentialIssuer::RotateKey(Id district) {
  CAIRN_ASSIGN_OR_RETURN(StoredKey current, ActiveKey(district, KeyAlgorithm::kEd25519));
  CAIRN_RETURN_IF_ERROR(store_.RetireSigningKey(current.id, options_.clock()));
  return ActiveKey(district, KeyAlgorithm::kEd25519);
}

Result<KeyRevocation> CredentialIssuer::RevokeKey(Id district, KeyRevocation revocation) {
  const Instant now = options_.clock();
  if (revocation.revoked_at > now) {
    return Status::InvalidField("revoked_at", "a key cannot be revoked from a future time");
  }
  CAIRN_ASSIGN_OR_RETURN(auto keys, store_.SigningKeys(district));
  auto key = std::find_if(keys.begin(), keys.end(),
                          [&](const StoredKey& k) { return k.key_id == revocation.key_id; });
  if (key == keys.end()) {
    return Status::AtField(StatusCode::kNotFound, "key", "no key '" + revocation.key_id + "'");
  }
  revocation.recorded_at = now;
  CAIRN_ASSIGN_OR_RETURN(JournalEntry entry, KeyRevocationEntry(district, revocation));
  CAIRN_RETURN_IF_ERROR(store_.AppendJournal({entry}).status());
  if (!key->retired_at) {
    // It must not sign again: the next key of its kind takes over.
    CAIRN_RETURN_IF_ERROR(store_.RetireSigningKey(key->id, now));
    CAIRN_RETURN_IF_ERROR(ActiveKey(district, key->algorithm).status());
  }
  return revocation;
}

Result<std::vector<KeyRevocation>> CredentialIssuer::KeyRevocations(Id district) {
  CAIRN_ASSIGN_OR_RETURN(auto latest, store_.JournalLatest(district, kKeyRevocationStream));
  return KeyRevocationsFrom(latest);
}

Result<std::optional<Instant>> CredentialIssuer::KeyRevokedAt(const Roster& roster,
                                                              std::string_view method) {
  std::optional<KeyRef> ref = ParseKeyRef(roster, method);
  if (!ref) return std::optional<Instant>();
  CAIRN_ASSIGN_OR_RETURN(auto revocations, KeyRevocations(ref->district));
  const KeyRevocation* r = FindKeyRevocation(revocations, ref->key_id);
  return r ? std::optional<Instant>(r->revoked_at) : std::nullopt;
}

namespace {

// The key id a stored credential's proof names (".../keys/key-1",
// "...#key-1" or a did:web URL ending "#key-1"); empty when unreadable.
std::string SigningKeyIdOf(const json& credential) {
  if (!credential.contains("proof")) return "";
  const json& proofs = credential["proof"];
  const json& proof = proofs.is_array() && !proofs.empty() ? proofs[0] : proofs;
  if (!proof.is_object()) return "";
  const std::string method = proof.value("verificationMethod", "");
  const std::size_t cut = method.find_last_of("/#");
  return cut == std::string::npos ? "" : method.substr(cut + 1);
}

}  // namespace

// Retired keys stay under assertionMethod only while a credential they
// signed is live: external verifiers check that list, and those credentials
// must keep verifying until they are re-issued (revoked and replaced) or
// expire. Reads the district's credentials only when it has such a key.
Result<std::vector<CredentialIssuer::KeyState>> CredentialIssuer::KeyStates(Id district) {
  CAIRN_ASSIGN_OR_RETURN(auto keys, store_.SigningKeys(district));
  CAIRN_ASSIGN_OR_RETURN(auto revocations, KeyRevocations(district));
  std::vector<KeyState> states;
  std::set<std::string> undecided;  // retired Ed25519 keys, not revoked
  for (const StoredKey& k : keys) {
    KeyState state;
    state.key = k;
    if (const KeyRevocation* r = FindKeyRevocation(revocations, k.key_id)) state.revocation = *r;
    state.assertion = !state.revocation && !k.retired_at;
    if (!state.revocation && k.retired_at && k.algorithm == KeyAlgorithm::kEd25519) {
      undecided.insert(k.key_id);
    }
    states.push_back(std::move(state));
  }
  if (undecided.empty()) return states;
  CAIRN_ASSIGN_OR_RETURN(auto revoked, store_.RevokedCredentials(district, std::nullopt));
  std::set<Id> revoked_ids;
  for (const RevokedCredential& r : revoked) revoked_ids.insert(r.credential_id);
  CAIRN_ASSIGN_OR_RETURN(auto issued, store_.Credentials(std::nullopt, district));
  const Instant now = options_.clock();
  std::set<std::string> live;
  for (const IssuedCredential& c : issued) {
    if (revoked_ids.count(c.id)) continue;
    json body = json::parse(c.body, nullptr, false);
    if (!body.is_object()) continue;
    const std::string key_id = SigningKeyIdOf(body);
    if (!undecided.count(key_id) || live.count(key_id)) continue;
    if (body.contains("validUntil") && body["validUntil"].is_string()) {
      auto until = ParseInstant(body["validUntil"].get<std::string>());
      if (until.ok() && *until <= now) continue;
    }
    live.insert(key_id);
    if (live.size() == undecided.size()) break;  // every retired key is still needed
  }
  for (KeyState& state : states) {
    if (live.count(state.key.key_id)) state.assertion = true;
  }
  return states;
}

struct CredentialIssuer::Signer {
  std::string verification_method;
  credentials::Ed25519KeyPair pair;

  Signer() = default;
  Signer(Signer&& other) noexcept
      : verification_method(std::move(other.verification_method)), pair(other.pair) {
    other.Wipe();
  }
  Signer& operator=(Signer&& other) noexcept {
    if (this != &other) {
      verification_method = std::move(other.verification_method);
      pair = other.pair;
      other.Wipe();
    }
    return *this;
  }
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;
  ~Signer() { Wipe(); }
  void Wipe() {
    sodium_memzero(pair.seed.data(), pair.seed.size());
    sodium_memzero(pair.secret_key.data(), pair.secret_key.size());
  }
};

namespace {

// Signs with a key already unsealed: no store, so any thread may call it.
Result<json> SignWith(const json& document, const std::string& verification_method,
                      const credentials::Ed25519KeyPair& pair, Instant created,
                      std::atomic<std::int64_t>* signatures) {
  credentials::ProofOptions proof;
  proof.verification_method = verification_method;
  proof.created = FormatInstant(created);
  credentials::DataIntegrity suite(SharedJsonLdProcessor());
  auto signed_doc = suite.Sign(document, proof, pair);
  if (signatures) signatures->fetch_add(1, std::memory_order_relaxed);
  // OB 3.0's JSON Schema wants a list of proofs; the signature is the same.
  if (signed_doc.ok() && signed_doc->contains("proof") && (*signed_doc)["proof"].is_object()) {
    (*signed_doc)["proof"] = json::array({(*signed_doc)["proof"]});
  }
  return signed_doc;
}

}  // namespace

Result<CredentialIssuer::Signer> CredentialIssuer::LoadSigner(Id district, const IssuerUrls& urls) {
  CAIRN_ASSIGN_OR_RETURN(StoredKey key, ActiveKey(district, KeyAlgorithm::kEd25519));
  CAIRN_ASSIGN_OR_RETURN(std::string secret, vault_.Unseal(key.sealed_private));
  auto pair = credentials::Ed25519KeyPair::FromMultikeySecret(secret);
  sodium_memzero(secret.data(), secret.size());
  if (!pair.ok())
    return Status::Internal("signing key " + key.key_id + ": " + pair.status().message());
  Signer signer;
  signer.verification_method = urls.KeyDocument(key.key_id);
  signer.pair = *pair;
  sodium_memzero(pair->seed.data(), pair->seed.size());
  sodium_memzero(pair->secret_key.data(), pair->secret_key.size());
  return signer;
}

Result<json> CredentialIssuer::SignJson(const json& document, Id district, const IssuerUrls& urls) {
  CAIRN_ASSIGN_OR_RETURN(Signer signer, LoadSigner(district, urls));
  return SignWith(document, signer.verification_method, signer.pair, options_.clock(),
                  options_.signatures);
}

Result<std::vector<StandardAlignment>> StandardAlignmentsOf(StandardsStore& store,
                                                            const Badge& badge) {
  std::vector<StandardAlignment> out;
  for (const Cpe& cpe : badge.cpes) {
    CAIRN_ASSIGN_OR_RETURN(auto links, store.CurrentCrosswalk(cpe.id));
    for (const CrosswalkFact& link : links) {
      CAIRN_ASSIGN_OR_RETURN(auto found, store.FindCurrentCaseItem(link.item_identifier));
      if (!found) continue;
      const CaseItemRecord& item = found->item;
      StandardAlignment a;
      a.cpe = cpe.id;
      a.identifier = item.identifier;
      // A name people recognise: the code, else the statement's start.
      a.name = item.human_coding_scheme;
      if (a.name.empty()) {
        a.name = item.full_statement;
        if (a.name.size() > 80) {
          std::size_t cut = 77;  // not inside a UTF-8 sequence
          while (cut > 0 && (static_cast<unsigned char>(a.name[cut]) & 0xC0) == 0x80) --cut;
          a.name = a.name.substr(0, cut) + "...";
        }
      }
      a.description = item.full_statement;
      a.framework = found->framework_title;
      a.code = item.human_coding_scheme;
      a.url = item.uri;
      out.push_back(std::move(a));
    }
  }
  return out;
}

// One credential between its reads and its insert.
struct CredentialIssuer::Prepared {
  IssuedCredential record;  // all but id and body
  json unsigned_credential;
  std::string verification_method;
  Instant created = 0;
  Result<json> signed_credential = Status::Internal("not signed");
};

Result<std::vector<IssuedCredential>> CredentialIssuer::IssuePending(const Catalog& catalog,
                                                                     const Roster& roster,
                                                                     Id student) {
  return IssuePendingMany(catalog, roster, {student}, 1);
}

Result<std::vector<IssuedCredential>> CredentialIssuer::IssuePendingMany(
    const Catalog& catalog, const Roster& roster, const std::vector<Id>& students, int threads) {
  // The awards stand; their credentials wait for a usable public URL.
  if (!options_.issuance_blocked.empty()) return std::vector<IssuedCredential>{};
  // Reservations live only until this batch's inserts (or its failure).
  struct ClearReserved {
    CredentialIssuer& issuer;
    ~ClearReserved() {
      issuer.reserved_.clear();
      issuer.reserved_per_list_.clear();
    }
  } clear_reserved{*this};
  std::vector<Prepared> prepared;
  std::map<Id, Signer> signers;  // per district, unsealed once per batch
  for (Id student : students) {
    const Person* person = roster.FindPerson(student);
    if (!person) return Status::NotFound("no student " + std::to_string(student));
    CAIRN_ASSIGN_OR_RETURN(auto facts, store_.Awards(student));
    // The confirm fact in force per badge (a later revoke clears it).
    std::map<std::string, const AwardFact*> confirmed;
    for (const AwardFact& f : facts) {
      if (f.action == AwardAction::kConfirmed) confirmed[f.badge_code] = &f;
      if (f.action == AwardAction::kRevoked) confirmed.erase(f.badge_code);
    }
    if (confirmed.empty()) continue;
    CAIRN_ASSIGN_OR_RETURN(auto issued, store_.CredentialAwardIds(student));
    for (const auto& [code, fact] : confirmed) {
      if (std::binary_search(issued.begin(), issued.end(), fact->id)) continue;
      const Badge* badge = catalog.FindBadge(code);
      if (!badge) continue;  // dropped from the catalog: nothing to describe
      if (!signers.count(person->district_id)) {
        CAIRN_ASSIGN_OR_RETURN(
            Signer signer, LoadSigner(person->district_id, UrlsFor(roster, person->district_id)));
        signers.emplace(person->district_id, std::move(signer));
      }
      CAIRN_ASSIGN_OR_RETURN(Prepared p, Prepare(catalog, roster, *person, *badge, *fact));
      p.verification_method = signers.at(p.record.district_id).verification_method;
      prepared.push_back(std::move(p));
    }
  }

  // Each worker takes the next unsigned credential; every one is signed
  // exactly as on a single thread, only the order of the work differs.
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < prepared.size(); i = next++) {
      Prepared& p = prepared[i];
      p.signed_credential =
          SignWith(p.unsigned_credential, p.verification_method,
                   signers.at(p.record.district_id).pair, p.created, options_.signatures);
    }
  };
  const std::size_t helpers =
      std::min<std::size_t>(threads > 1 ? static_cast<std::size_t>(threads) - 1 : 0,
                            prepared.size() > 1 ? prepared.size() - 1 : 0);
  {
    std::vector<std::jthread> pool;
    pool.reserve(helpers);
    for (std::size_t i = 0; i < helpers; ++i) pool.emplace_back(work);
    work();
  }  // joined

  std::vector<IssuedCredential> out;
  out.reserve(prepared.size());
  for (Prepared& p : prepared) {
    if (!p.signed_credential.ok()) return p.signed_credential.status();
    IssuedCredential c = std::move(p.record);
    c.issued_at = options_.clock();
    c.body = p.signed_credential->dump();
    CAIRN_ASSIGN_OR_RETURN(c.id, store_.InsertCredential(c));
    out.push_back(std::move(c));
  }
  return out;
}

Result<CredentialIssuer::Prepared> CredentialIssuer::Prepare(const Catalog& catalog,
                                                             const Roster& roster,
                                                             const Person& student,
                                                             const Badge& badge,
                                                             const AwardFact& confirm) {
  const IssuerUrls urls = UrlsFor(roster, student.district_id);
  CAIRN_ASSIGN_OR_RETURN(IssuerInfo info, InfoFor(roster, student.district_id));
  AwardedBadge award;
  award.uuid = RandomUuid();
  award.student_name = student.DisplayName();
  award.student_sourced_id = student.sourced_id;
  award.salt = RandomHex(8);
  if (!student.email.empty()) award.email_hash = HashedIdentity(student.email, award.salt);
  award.awarded_at = confirm.recorded_at;
  award.results = ResultsOf(confirm);
  // Evidence appears only where the student put work in their showcase.
  CAIRN_ASSIGN_OR_RETURN(auto submissions, store_.LoadSubmissions(student.id));
  for (const SubmissionRecord& r : submissions) {
    if (r.submission.badge_code != badge.code) continue;
    const SubmissionView view = FoldSubmission(r);
    if (!view.showcased || !view.submitted) continue;
    award.evidence.push_back({r.submission.title, view.submitted->reflection});
  }
  CAIRN_ASSIGN_OR_RETURN(auto entry, FreeStatusEntry(student.district_id));
  award.status_list = entry.first;
  award.status_index = entry.second;
  reserved_.insert({student.district_id, entry.first, entry.second});
  ++reserved_per_list_[{student.district_id, entry.first}];

  CAIRN_ASSIGN_OR_RETURN(auto standards, StandardAlignmentsOf(store_, badge));
  Prepared p;
  p.unsigned_credential = OpenBadgeCredentialJson(urls, info, catalog, badge, award, standards);
  p.created = options_.clock();
  IssuedCredential& c = p.record;
  c.uuid = award.uuid;
  c.award_id = confirm.id;
  c.student_id = student.id;
  c.district_id = student.district_id;
  c.badge_code = badge.code;
  c.status_list = award.status_list;
  c.status_index = award.status_index;
  return p;
}

// The newest list while it has room: random positions, a bounded number of
// tries, each one indexed lookup. The store's UNIQUE (district, list, index)
// still refuses a position taken by a concurrent writer.
Result<std::pair<int, std::int64_t>> CredentialIssuer::FreeStatusEntry(Id district) {
  const StatusListPolicy& policy = options_.status_lists;
  if (policy.entries <= 0 || policy.entries > kStatusListEntries || policy.probes <= 0) {
    return Status::Internal("status list policy out of range");
  }
  CAIRN_ASSIGN_OR_RETURN(StatusListFill newest, store_.NewestStatusList(district));
  // Entries reserved in this batch count as taken, and may have opened a
  // list the store has no credential in yet.
  auto reserved = reserved_per_list_.lower_bound({district + 1, 0});
  if (reserved != reserved_per_list_.begin() && (--reserved)->first.first == district) {
    const int reserved_list = reserved->first.second;
    if (reserved_list > newest.list) newest = {reserved_list, 0};
    if (reserved_list == newest.list) newest.taken += reserved->second;
  }
  int list = newest.list;
  if (newest.taken >= policy.fill_limit) ++list;
  for (int attempt = 0; attempt < 2; ++attempt, ++list) {
    for (int probe = 0; probe < policy.probes; ++probe) {
      const std::int64_t index = randombytes_uniform(static_cast<std::uint32_t>(policy.entries));
      if (reserved_.count({district, list, index})) continue;
      CAIRN_ASSIGN_OR_RETURN(bool taken, store_.StatusSlotTaken(district, list, index));
      if (!taken) return std::pair{list, index};
    }
  }
  return Status::Internal("no free status list entry after " + std::to_string(2 * policy.probes) +
                          " tries");
}

// Publishes the keys there are: a GET never creates one (keys are made by
// the writer, when the first credential is issued).
Result<json> CredentialIssuer::ControllerDocument(const Roster& roster, Id district) {
  CAIRN_ASSIGN_OR_RETURN(auto states, KeyStates(district));
  CAIRN_ASSIGN_OR_RETURN(IssuerInfo info, InfoFor(roster, district));
  std::vector<PublishedKey> published;
  for (const KeyState& state : states) {
    const StoredKey& k = state.key;
    PublishedKey key{k.key_id, k.public_key, true, state.assertion, ""};
    if (state.revocation) key.revoked = FormatInstant(state.revocation->revoked_at);
    if (k.algorithm == KeyAlgorithm::kP256) {
      auto multikey = P256Multikey(k.public_key);
      if (!multikey.ok()) continue;
      key.multikey = *multikey;
      key.multikey_document = false;
    }
    published.push_back(std::move(key));
  }
  return cairn::ControllerDocument(UrlsFor(roster, district), info, published);
}

Result<CredentialIssuer::Revocation> CredentialIssuer::RevocationOf(
    const IssuedCredential& credential) {
  CAIRN_ASSIGN_OR_RETURN(auto facts, store_.Awards(credential.student_id));
  for (const AwardFact& f : facts) {
    if (f.id > credential.award_id && f.badge_code == credential.badge_code &&
        f.action == AwardAction::kRevoked) {
      return Revocation{true, f.reason, f.recorded_at};
    }
  }
  return Revocation{};
}

Result<StatusListCache::Version> CredentialIssuer::StatusListVersion(Id district) {
  CAIRN_ASSIGN_OR_RETURN(ChangeMarks marks, store_.Marks());
  CAIRN_ASSIGN_OR_RETURN(auto keys, store_.SigningKeys(district));
  StatusListCache::Version version{marks.award, marks.roster, ""};
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
    if (it->algorithm == KeyAlgorithm::kEd25519 && !it->retired_at) {
      version.key_id = it->key_id;
      break;
    }
  }
  return version;
}

Result<json> CredentialIssuer::StatusListCredential(const Roster& roster, Id district, int list) {
  if (list < 0) return Status::NotFound("no status list " + std::to_string(list));
  // Read before the list itself: a revocation committed in between is then
  // in the list kept under the older version, which the next fetch replaces.
  std::optional<StatusListCache::Version> version;
  if (options_.status_list_cache) {
    CAIRN_ASSIGN_OR_RETURN(version, StatusListVersion(district));
    if (auto kept = options_.status_list_cache->Find(district, list, *version)) return *kept;
  }
  if (list > 0) {
    CAIRN_ASSIGN_OR_RETURN(StatusListFill newest, store_.NewestStatusList(district));
    if (list > newest.list) return Status::NotFound("no status list " + std::to_string(list));
  }
  CAIRN_ASSIGN_OR_RETURN(auto bits, credentials::BitstringStatusList::Create());
  CAIRN_ASSIGN_OR_RETURN(auto revoked, store_.RevokedCredentials(district, list));
  for (const RevokedCredential& r : revoked) {
    CAIRN_RETURN_IF_ERROR(bits.Set(static_cast<std::size_t>(r.status_index), true));
  }
  CAIRN_ASSIGN_OR_RETURN(std::string encoded, bits.Encode());
  const IssuerUrls urls = UrlsFor(roster, district);
  credentials::StatusListCredentialFields fields;
  fields.id = urls.StatusList(list);
  fields.issuer = urls.Issuer();
  fields.valid_from = options_.clock();
  fields.encoded_list = encoded;
  CAIRN_ASSIGN_OR_RETURN(json signed_list,
                         SignJson(credentials::BuildStatusListCredential(fields), district, urls));
  // Signing may have created the district's first key: keep the list under
  // the version that names it, so the next fetch finds it.
  if (version && version->key_id.empty()) {
    CAIRN_ASSIGN_OR_RETURN(StatusListCache::Version now, StatusListVersion(district));
    version->key_id = now.key_id;
  }
  if (version) options_.status_list_cache->Put(district, list, *version, signed_list);
  return signed_list;
}

Result<json> CredentialIssuer::StatusListAt(const Roster& roster, std::string_view url) {
  // A list named under a former public URL is the same list (it moved).
  for (const std::string& base : BaseUrls()) {
    if (url.rfind(base + "/", 0) != 0 || base == options_.public_url) continue;
    const std::string moved = options_.public_url + std::string(url.substr(base.size()));
    return StatusListAt(roster, moved);
  }
  for (const District& d : roster.districts) {
    const IssuerUrls urls = UrlsFor(roster, d.id);
    const std::string first = urls.StatusList(0);
    if (url.rfind(first, 0) != 0) continue;
    std::string_view rest = url.substr(first.size());
    if (rest.empty()) return StatusListCredential(roster, d.id, 0);
    auto list = ParseStatusListNumber(rest.substr(0, 1) == "/" ? rest.substr(1) : "");
    if (!list) break;
    return StatusListCredential(roster, d.id, *list);
  }
  return Status::NotFound("not a status list of this server: " + std::string(url));
}

Result<json> CredentialIssuer::Ob2RevocationList(const Roster& roster, Id district) {
  CAIRN_ASSIGN_OR_RETURN(auto revocations, store_.RevokedCredentials(district, std::nullopt));
  const IssuerUrls urls = UrlsFor(roster, district);
  std::vector<credentials::RevokedAssertion> revoked;
  for (const RevokedCredential& r : revocations) {
    revoked.push_back({urls.Ob2Assertion(r.uuid), r.reason});
  }
  return credentials::BuildOb2RevocationList(urls.Ob2Revocations(), urls.Ob2Issuer(), revoked);
}

Result<std::string> CredentialIssuer::Jwt(const IssuedCredential& credential) {
  CAIRN_ASSIGN_OR_RETURN(StoredKey key, ActiveKey(credential.district_id, KeyAlgorithm::kP256));
  CAIRN_ASSIGN_OR_RETURN(std::string pem, vault_.Unseal(key.sealed_private));
  auto signer = credentials::SigningKey::FromPkcs8Pem(pem);
  sodium_memzero(pem.data(), pem.size());
  if (!signer.ok()) return signer.status();
  json body = json::parse(credential.body, nullptr, false);
  if (!body.is_object()) return Status::Internal("stored credential is not JSON");
  body.erase("proof");  // the JWS is the proof in this format
  const std::string issuer = body["issuer"].value("id", "");
  return credentials::SignCredentialJwt(body, *signer, issuer + "/keys/" + key.key_id,
                                        /*embed_jwk=*/true);
}

Result<json> CredentialIssuer::HolderBoundCopy(const Roster& roster,
                                               const IssuedCredential& credential,
                                               std::string_view holder) {
  if (!options_.issuance_blocked.empty()) return Status::Precondition(options_.issuance_blocked);
  json body = json::parse(credential.body, nullptr, false);
  if (!body.is_object()) return Status::Internal("stored credential is not JSON");
  const IssuerUrls urls = UrlsFor(roster, credential.district_id);
  if (!body.contains("issuer") || body["issuer"].value("id", "") != urls.Issuer()) {
    return Status::Precondition(
        "the credential was issued under another address; re-issue it "
        "under " +
        urls.base + " first (cairn reissue)");
  }
  body.erase("proof");
  body["id"] = "urn:uuid:" + RandomUuid();
  body["credentialSubject"]["id"] = std::string(holder);
  return SignJson(body, credential.district_id, urls);
}

Result<CredentialIssuer::ClrContent> CredentialIssuer::ClrFor(const Catalog& catalog,
                                                              const Roster& roster, Id student) {
  const Person* person = roster.FindPerson(student);
  if (!person) return Status::NotFound("no student " + std::to_string(student));
  CAIRN_ASSIGN_OR_RETURN(auto issued, store_.Credentials(student, std::nullopt));
  const IssuerUrls urls = UrlsFor(roster, person->district_id);
  CAIRN_ASSIGN_OR_RETURN(IssuerInfo info, InfoFor(roster, person->district_id));
  json achievements = json::array(), credentials_json = json::array(), associations = json::array();
  std::vector<std::string> codes;
  // What fixes the id: the student and the credentials held, in order.
  std::string identity = urls.Issuer() + "\n" + person->sourced_id;
  Instant newest = 0;
  for (const IssuedCredential& c : issued) {
    CAIRN_ASSIGN_OR_RETURN(Revocation r, RevocationOf(c));
    if (r.revoked) continue;
    json body = json::parse(c.body, nullptr, false);
    if (!body.is_object()) continue;
    achievements.push_back(body["credentialSubject"]["achievement"]);
    credentials_json.push_back(std::move(body));
    codes.push_back(c.badge_code);
    identity += "\n" + c.uuid;
    newest = std::max(newest, c.issued_at);
  }
  if (codes.empty()) return Status::NotFound("no credentials yet: a CLR bundles them");
  auto earned = [&](const std::string& code) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  };
  // The pathway, as far as it was walked: a prerequisite precedes the badge
  // it opens; a badge is a child of each pathway it belongs to.
  for (const std::string& code : codes) {
    const Badge* badge = catalog.FindBadge(code);
    if (!badge) continue;
    for (const std::string& pre : badge->prerequisites) {
      if (!earned(pre)) continue;
      associations.push_back({{"type", "Association"},
                              {"associationType", "precedes"},
                              {"sourceId", urls.Achievement(pre)},
                              {"targetId", urls.Achievement(code)}});
    }
  }
  for (const Pathway& pathway : catalog.pathways) {
    for (std::size_t i = 0; i + 1 < pathway.badges.size(); ++i) {
      if (!earned(pathway.badges[i]) || !earned(pathway.badges[i + 1])) continue;
      const Badge* next = catalog.FindBadge(pathway.badges[i + 1]);
      if (next && std::find(next->prerequisites.begin(), next->prerequisites.end(),
                            pathway.badges[i]) != next->prerequisites.end()) {
        continue;  // already said through the prerequisite
      }
      associations.push_back({{"type", "Association"},
                              {"associationType", "precedes"},
                              {"sourceId", urls.Achievement(pathway.badges[i])},
                              {"targetId", urls.Achievement(pathway.badges[i + 1])}});
    }
  }
  json subject{{"type", json::array({"ClrSubject"})},
               {"identifier", json::array({{{"type", "IdentityObject"},
                                            {"identityHash", person->DisplayName()},
                                            {"identityType", "name"},
                                            {"hashed", false}}})},
               {"achievement", std::move(achievements)},
               {"verifiableCredential", std::move(credentials_json)}};
  if (!associations.empty()) subject["association"] = std::move(associations);
  // A name-based UUID (RFC 9562 version 8) from the content's identity.
  std::string hex = rdf::Sha256Hex(identity).substr(0, 32);
  hex[12] = '8';
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  const std::string uuid = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
                           "-" + hex.substr(16, 4) + "-" + hex.substr(20);
  json clr{
      {"@context", json::array({kCredentialsV2Context, kClrContext, kOb3Context})},
      {"id", "urn:uuid:" + uuid},
      {"type", json::array({"VerifiableCredential", "ClrCredential"})},
      {"issuer", {{"id", urls.Issuer()}, {"type", json::array({"Profile"})}, {"name", info.name}}},
      {"name", "Badges of " + person->DisplayName()},
      {"validFrom", FormatInstant(newest)},
      {"credentialSubject", std::move(subject)}};
  ClrContent out;
  out.version = rdf::Sha256Hex(clr.dump());
  out.document = std::move(clr);
  return out;
}

Result<json> CredentialIssuer::SignClr(const Roster& roster, Id district,
                                       const ClrContent& content) {
  return SignJson(content.document, district, UrlsFor(roster, district));
}

std::vector<std::string> CredentialIssuer::BaseUrls() {
  std::vector<std::string> bases{options_.public_url};
  // Unreadable history: only the current URL is this server's.
  if (auto former = FormerPublicUrls(store_); former.ok()) {
    for (std::string& url : *former) {
      if (url != options_.public_url) bases.push_back(std::move(url));
    }
  }
  return bases;
}

std::optional<CredentialIssuer::KeyRef> CredentialIssuer::ParseKeyRef(const Roster& roster,
                                                                      std::string_view method) {
  for (const std::string& base : BaseUrls()) {
    for (const District& d : roster.districts) {
      const IssuerUrls urls{base, d.sourced_id};
      for (const std::string& prefix : {urls.KeyDocument(""), urls.Key(""), urls.Did() + "#"}) {
        if (method.size() > prefix.size() && method.rfind(prefix, 0) == 0) {
          std::string_view key_id = method.substr(prefix.size());
          if (key_id.find_first_of("/#?") != std::string_view::npos) return std::nullopt;
          return KeyRef{d.id, std::string(key_id)};
        }
      }
    }
  }
  return std::nullopt;
}

Result<StoredKey> CredentialIssuer::FindKey(const Roster& roster, std::string_view method,
                                            KeyAlgorithm algorithm) {
  std::optional<KeyRef> ref = ParseKeyRef(roster, method);
  if (!ref) return Status::NotFound("not a key of this server: " + std::string(method));
  CAIRN_ASSIGN_OR_RETURN(auto keys, store_.SigningKeys(ref->district));
  for (const StoredKey& k : keys) {
    if (k.key_id == ref->key_id && k.algorithm == algorithm) return k;
  }
  return Status::NotFound("unknown key " + std::string(method));
}

Result<std::array<std::uint8_t, 32>> CredentialIssuer::ResolveKey(
    const Roster& roster, std::string_view verification_method) {
  CAIRN_ASSIGN_OR_RETURN(StoredKey key,
                         FindKey(roster, verification_method, KeyAlgorithm::kEd25519));
  return multibase::DecodeMultikeyEd25519Public(key.public_key);
}

Result<json> CredentialIssuer::ResolveJwk(const Roster& roster, std::string_view kid) {
  CAIRN_ASSIGN_OR_RETURN(StoredKey key, FindKey(roster, kid, KeyAlgorithm::kP256));
  json jwk = json::parse(key.public_key, nullptr, false);
  if (!jwk.is_object()) return Status::Internal("stored key " + key.key_id + " is not a JWK");
  return jwk;
}

Result<json> CredentialIssuer::KeyDocument(const Roster& roster, Id district,
                                           std::string_view key_id) {
  const IssuerUrls urls = UrlsFor(roster, district);
  CAIRN_ASSIGN_OR_RETURN(auto keys, store_.SigningKeys(district));
  for (const StoredKey& k : keys) {
    if (k.key_id != key_id) continue;
    if (k.algorithm == KeyAlgorithm::kEd25519) {
      PublishedKey key{k.key_id, k.public_key, true, !k.retired_at, ""};
      CAIRN_ASSIGN_OR_RETURN(auto revocations, KeyRevocations(district));
      if (const KeyRevocation* r = FindKeyRevocation(revocations, k.key_id)) {
        key.revoked = FormatInstant(r->revoked_at);
      }
      return MultikeyDocument(urls, key);
    }
    json jwk = json::parse(k.public_key, nullptr, false);
    if (!jwk.is_object()) return Status::Internal("stored key " + k.key_id + " is not a JWK");
    // What a JWT's kid names: the key alone, as validators read kty/crv/x/y.
    jwk["kid"] = urls.KeyDocument(k.key_id);
    jwk["alg"] = "ES256";
    jwk["use"] = "sig";
    CAIRN_ASSIGN_OR_RETURN(auto revocations, KeyRevocations(district));
    if (const KeyRevocation* r = FindKeyRevocation(revocations, k.key_id)) {
      jwk["revoked"] = FormatInstant(r->revoked_at);  // as a Multikey document says it
    }
    return jwk;
  }
  return Status::AtField(StatusCode::kNotFound, "key", "no key '" + std::string(key_id) + "'");
}

Result<json> CredentialIssuer::DidDocument(const Roster& roster, Id district,
                                           const std::string& did) {
  CAIRN_ASSIGN_OR_RETURN(auto states, KeyStates(district));
  std::vector<DidKey> published;
  for (const KeyState& state : states) {
    const StoredKey& k = state.key;
    DidKey key;
    key.key_id = k.key_id;
    key.active = state.assertion;
    if (state.revocation) key.revoked = FormatInstant(state.revocation->revoked_at);
    if (k.algorithm == KeyAlgorithm::kEd25519) {
      key.multikey = k.public_key;
    } else {
      key.jwk = json::parse(k.public_key, nullptr, false);
      if (!key.jwk.is_object()) continue;
      key.jwk.erase("kid");  // the method's id names it
    }
    published.push_back(std::move(key));
  }
  return DidDocumentJson(UrlsFor(roster, district), did, published);
}

}  // namespace cairn
