#include "credentials/open_badge.h"

#include <sodium.h>

#include <cctype>
#include <set>

#include "mastery/rule.h"

namespace cairn {
namespace {

using json = nlohmann::json;

// What a reader of the credential sees for a CPE: its id, the guide's code
// when the catalog has one ("M101.1 (101a) One-variable equations"), its label.
std::string CpeName(const Cpe& cpe) {
  return cpe.id + (cpe.code.empty() ? "" : " (" + cpe.code + ")") + " " + cpe.label;
}

std::string ResultDescriptionId(const IssuerUrls& urls, const Badge& badge, const Cpe& cpe) {
  return urls.Achievement(badge.code) + "/results/" + cpe.id;
}

std::string LevelId(const IssuerUrls& urls, const Badge& badge, const std::string& level) {
  return urls.Achievement(badge.code) + "/levels/" + level;
}

std::string IsoDate(Instant at) { return FormatInstant(at); }

void PutIfSet(json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

json ProfileCore(const IssuerUrls& urls, const IssuerInfo& info) {
  json p{{"id", urls.Issuer()}, {"type", json::array({"Profile"})}, {"name", info.name}};
  PutIfSet(p, "url", info.url);
  PutIfSet(p, "email", info.email);
  PutIfSet(p, "description", info.description);
  if (!info.image.empty()) p["image"] = {{"id", info.image}, {"type", "Image"}};
  return p;
}

// did:web's method-specific id characters; anything else percent-encoded.
std::string DidWebSegment(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.' || c == '-' || c == '_') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0f];
    }
  }
  return out;
}

}  // namespace

// did:web:<host>[%3A<port>][:<path segment>...] from the public URL.
std::string IssuerUrls::HostDid() const {
  std::string_view rest = base;
  if (auto scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
  }
  const std::size_t slash = rest.find('/');
  std::string did = "did:web:" + DidWebSegment(rest.substr(0, slash));
  if (slash == std::string_view::npos) return did;
  std::string_view path = rest.substr(slash + 1);
  while (!path.empty()) {
    const std::size_t next = path.find('/');
    if (next != 0) did += ":" + DidWebSegment(path.substr(0, next));
    if (next == std::string_view::npos) break;
    path.remove_prefix(next + 1);
  }
  return did;
}

std::string IssuerUrls::Did() const { return HostDid() + ":issuers:" + DidWebSegment(district); }

std::optional<int> ParseStatusListNumber(std::string_view segment) {
  if (segment.empty() || segment.size() > 9 || segment[0] == '0') return std::nullopt;
  int list = 0;
  for (char c : segment) {
    if (c < '0' || c > '9') return std::nullopt;
    list = list * 10 + (c - '0');
  }
  return list;
}

std::string HashedIdentity(const std::string& identity, const std::string& salt) {
  const std::string input = identity + salt;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string("sha256$") + hex;
}

json IssuerProfileJson(const IssuerUrls& urls, const IssuerInfo& info) {
  json p = ProfileCore(urls, info);
  p["@context"] = json::array({kCredentialsV2Context, kOb3Context});
  return p;
}

json ControllerDocument(const IssuerUrls& urls, const IssuerInfo& info,
                        const std::vector<PublishedKey>& keys) {
  json doc = IssuerProfileJson(urls, info);
  doc["@context"].push_back("https://w3id.org/security/multikey/v1");
  // Defines verificationMethod and assertionMethod at the top level.
  doc["@context"].push_back("https://www.w3.org/ns/did/v1");
  json methods = json::array(), assertion = json::array();
  auto method = [&](const PublishedKey& k, const std::string& id) {
    json m{{"id", id},
           {"type", "Multikey"},
           {"controller", urls.Issuer()},
           {"publicKeyMultibase", k.multikey}};
    if (!k.revoked.empty()) m["revoked"] = k.revoked;
    methods.push_back(std::move(m));
    if (k.assertion) assertion.push_back(id);
  };
  for (const PublishedKey& k : keys) method(k, urls.Key(k.key_id));
  for (const PublishedKey& k : keys) {
    if (k.multikey_document) method(k, urls.KeyDocument(k.key_id));
  }
  doc["verificationMethod"] = std::move(methods);
  doc["assertionMethod"] = std::move(assertion);
  doc["alsoKnownAs"] = json::array({urls.Did()});
  return doc;
}

json MultikeyDocument(const IssuerUrls& urls, const PublishedKey& key) {
  json doc{{"@context", "https://w3id.org/security/multikey/v1"},
           {"id", urls.KeyDocument(key.key_id)},
           {"type", "Multikey"},
           {"controller", urls.Issuer()},
           {"publicKeyMultibase", key.multikey}};
  if (!key.revoked.empty()) doc["revoked"] = key.revoked;
  return doc;
}

json DidDocumentJson(const IssuerUrls& urls, const std::string& did,
                     const std::vector<DidKey>& keys) {
  json context =
      json::array({"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"});
  json methods = json::array(), assertion = json::array();
  bool any_jwk = false;
  for (const DidKey& k : keys) {
    const std::string id = did + "#" + k.key_id;
    json method{{"id", id}, {"controller", did}};
    if (!k.multikey.empty()) {
      method["type"] = "Multikey";
      method["publicKeyMultibase"] = k.multikey;
    } else {
      method["type"] = "JsonWebKey";
      method["publicKeyJwk"] = k.jwk;
      any_jwk = true;
    }
    if (!k.revoked.empty()) method["revoked"] = k.revoked;
    methods.push_back(std::move(method));
    if (k.active) assertion.push_back(id);
  }
  if (any_jwk) context.push_back("https://w3id.org/security/jwk/v1");
  return json{{"@context", std::move(context)},
              {"id", did},
              {"alsoKnownAs", json::array({urls.Issuer()})},
              {"controller", did},
              {"verificationMethod", std::move(methods)},
              {"assertionMethod", std::move(assertion)}};
}

json AchievementJson(const IssuerUrls& urls, const IssuerInfo& info, const Catalog& catalog,
                     const Badge& badge, const std::vector<StandardAlignment>& standards) {
  const Scale& scale = catalog.ScaleOf(badge);
  const std::string id = urls.Achievement(badge.code);

  std::string narrative = "To earn this badge: " + DescribeRule(badge, scale) + ".\n";
  json alignments = json::array(), results = json::array();
  json levels = json::array();
  std::set<std::string> aligned_items;  // a CFItem two CPEs link is listed once
  std::string required_level;
  for (const ScaleLevel& level : scale.levels) {
    json l{{"id", LevelId(urls, badge, level.id)},
           {"type", json::array({"RubricCriterionLevel"})},
           {"name", level.label}};
    PutIfSet(l, "description", level.description);
    levels.push_back(std::move(l));
    if (level.mastery && required_level.empty()) required_level = LevelId(urls, badge, level.id);
  }
  for (const Cpe& cpe : badge.cpes) {
    narrative += "\n- " + CpeName(cpe) + ": " + cpe.statement;
    json a{
        {"type", json::array({"Alignment"})},
        {"targetName", CpeName(cpe)},
        {"targetCode", cpe.id},
        {"targetType", "ext:CPE"},
        {"targetFramework", catalog.title.empty() ? std::string("Cairn catalog") : catalog.title},
        {"targetUrl", id + "#" + cpe.id}};
    PutIfSet(a, "targetDescription", cpe.statement);
    alignments.push_back(std::move(a));
    for (const std::string& standard : cpe.alignments) {
      alignments.push_back({{"type", json::array({"Alignment"})},
                            {"targetName", standard},
                            {"targetCode", standard},
                            {"targetType", "CFItem"},
                            {"targetUrl", id + "#standard-" + standard}});
    }
    for (const StandardAlignment& standard : standards) {
      if (standard.cpe != cpe.id || !aligned_items.insert(standard.identifier).second) continue;
      json item{{"type", json::array({"Alignment"})},
                {"targetName", standard.name},
                {"targetType", "CFItem"},
                {"targetUrl", standard.url}};
      PutIfSet(item, "targetDescription", standard.description);
      PutIfSet(item, "targetFramework", standard.framework);
      PutIfSet(item, "targetCode", standard.code);
      alignments.push_back(std::move(item));
    }
    json rd{{"id", ResultDescriptionId(urls, badge, cpe)},
            {"type", json::array({"ResultDescription"})},
            {"name", CpeName(cpe)},
            {"resultType", "RubricCriterionLevel"},
            {"rubricCriterionLevel", levels}};
    if (!required_level.empty()) rd["requiredLevel"] = required_level;
    results.push_back(std::move(rd));
  }
  json achievement{{"id", id},
                   {"type", json::array({"Achievement"})},
                   {"achievementType", "Badge"},
                   {"humanCode", badge.code},
                   {"name", badge.code + " " + badge.title},
                   {"description", badge.description.empty() ? badge.title : badge.description},
                   {"criteria", {{"id", id + "#criteria"}, {"narrative", narrative}}},
                   {"image",
                    {{"id", urls.AchievementImage(badge.code)},
                     {"type", "Image"},
                     {"caption", badge.code + " " + badge.title}}},
                   {"alignment", std::move(alignments)},
                   {"resultDescription", std::move(results)},
                   {"creator", ProfileCore(urls, info)}};
  if (!badge.grouping.empty()) achievement["tag"] = json::array({badge.grouping});
  return achievement;
}

json OpenBadgeCredentialJson(const IssuerUrls& urls, const IssuerInfo& info, const Catalog& catalog,
                             const Badge& badge, const AwardedBadge& award,
                             const std::vector<StandardAlignment>& standards) {
  json identifiers = json::array();
  identifiers.push_back({{"type", "IdentityObject"},
                         {"identityHash", award.student_name},
                         {"identityType", "name"},
                         {"hashed", false}});
  if (!award.email_hash.empty()) {
    identifiers.push_back({{"type", "IdentityObject"},
                           {"identityHash", award.email_hash},
                           {"identityType", "emailAddress"},
                           {"hashed", true},
                           {"salt", award.salt}});
  }
  json results = json::array();
  for (const CpeResult& r : award.results) {
    for (const Cpe& cpe : badge.cpes) {
      if (cpe.id != r.cpe) continue;
      results.push_back({{"type", json::array({"Result"})},
                         {"resultDescription", ResultDescriptionId(urls, badge, cpe)},
                         {"achievedLevel", LevelId(urls, badge, r.level)}});
    }
  }
  json subject{{"type", json::array({"AchievementSubject"})},
               {"identifier", std::move(identifiers)},
               {"achievement", AchievementJson(urls, info, catalog, badge, standards)}};
  if (!results.empty()) subject["result"] = std::move(results);

  json credential{
      {"@context", json::array({kCredentialsV2Context, kOb3Context, kOb3ExtensionsContext})},
      {"id", "urn:uuid:" + award.uuid},
      {"type", json::array({"VerifiableCredential", "OpenBadgeCredential"})},
      {"name", badge.code + " " + badge.title},
      {"issuer", ProfileCore(urls, info)},
      {"validFrom", IsoDate(award.awarded_at)},
      {"awardedDate", IsoDate(award.awarded_at)},
      {"credentialSubject", std::move(subject)},
      {"credentialSchema",
       json::array({{{"id", kOb3Schema}, {"type", "1EdTechJsonSchemaValidator2019"}}})},
      {"credentialStatus",
       {{"id", urls.StatusList(award.status_list) + "#" + std::to_string(award.status_index)},
        {"type", "BitstringStatusListEntry"},
        {"statusPurpose", "revocation"},
        {"statusListIndex", std::to_string(award.status_index)},
        {"statusListCredential", urls.StatusList(award.status_list)}}}};
  if (!award.evidence.empty()) {
    json evidence = json::array();
    for (const EvidenceItem& e : award.evidence) {
      json item{{"type", json::array({"Evidence"})}, {"name", e.name}};
      PutIfSet(item, "narrative", e.narrative);
      evidence.push_back(std::move(item));
    }
    credential["evidence"] = std::move(evidence);
  }
  return credential;
}

json Ob2IssuerJson(const IssuerUrls& urls, const IssuerInfo& info) {
  json issuer{{"@context", "https://w3id.org/openbadges/v2"},
              {"type", "Issuer"},
              {"id", urls.Ob2Issuer()},
              {"name", info.name},
              {"url", info.url.empty() ? urls.base : info.url},
              {"revocationList", urls.Ob2Revocations()}};
  PutIfSet(issuer, "email", info.email);
  PutIfSet(issuer, "description", info.description);
  PutIfSet(issuer, "image", info.image);
  return issuer;
}

json Ob2BadgeClassJson(const IssuerUrls& urls, const Catalog& catalog, const Badge& badge) {
  const Scale& scale = catalog.ScaleOf(badge);
  std::string narrative = "To earn this badge: " + DescribeRule(badge, scale) + ".";
  json alignment = json::array();
  for (const Cpe& cpe : badge.cpes) {
    narrative += "\n- " + CpeName(cpe) + ": " + cpe.statement;
    alignment.push_back({{"targetName", CpeName(cpe)},
                         {"targetUrl", urls.Achievement(badge.code) + "#" + cpe.id},
                         {"targetDescription", cpe.statement},
                         {"targetCode", cpe.id}});
  }
  return json{{"@context", "https://w3id.org/openbadges/v2"},
              {"type", "BadgeClass"},
              {"id", urls.Ob2Badge(badge.code)},
              {"name", badge.code + " " + badge.title},
              {"description", badge.description.empty() ? badge.title : badge.description},
              {"image", urls.AchievementImage(badge.code)},
              {"criteria", {{"narrative", narrative}}},
              {"alignment", std::move(alignment)},
              {"issuer", urls.Ob2Issuer()}};
}

json Ob2AssertionJson(const IssuerUrls& urls, const Badge& badge, const AwardedBadge& award) {
  return json{
      {"@context", "https://w3id.org/openbadges/v2"},
      {"type", "Assertion"},
      {"id", urls.Ob2Assertion(award.uuid)},
      {"recipient",
       {{"type", "email"}, {"hashed", true}, {"salt", award.salt}, {"identity", award.email_hash}}},
      {"badge", urls.Ob2Badge(badge.code)},
      {"issuedOn", IsoDate(award.awarded_at)},
      {"image", urls.Ob2Assertion(award.uuid) + "/image.png"},
      {"verification", {{"type", "hosted"}}}};
}

}  // namespace cairn
