// The documents Cairn publishes about a badge, built as plain JSON (unsigned;
// signing is credential_issuer.h's): the Open Badges 3.0 Achievement and
// OpenBadgeCredential, the issuer Profile with its verification keys, the
// CLR 2.0 ClrCredential, and the Open Badges 2.0 Issuer, BadgeClass and
// Assertion for platforms that take only 2.0.
//
// Pure functions of their inputs: no clock, no randomness, no I/O, so the
// same award always gives the same bytes to sign.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "common/time.h"

namespace cairn {

// Where a district's public documents live, all under the server's public URL.
struct IssuerUrls {
  std::string base;      // "https://badges.example.org" (no trailing slash)
  std::string district;  // the district's sourced id

  std::string Issuer() const { return base + "/issuers/" + district; }
  // The fragment form credentials issued before key documents name
  // ("…/issuers/{district}#key-1"); verifiers still accept it.
  std::string Key(const std::string& key_id) const { return Issuer() + "#" + key_id; }
  // A key's own document (a bare Multikey, or a JWK for a P-256 key): what
  // new proofs and JWT `kid`s name, since outside verifiers dereference the
  // verification method URL and expect the key itself there.
  std::string KeyDocument(const std::string& key_id) const { return Issuer() + "/keys/" + key_id; }
  // The district's did:web identifier (did:web:<host>:issuers:<district>)
  // and where it resolves (https://<host>/issuers/<district>/did.json).
  std::string Did() const;
  std::string DidDocument() const { return Issuer() + "/did.json"; }
  // The DID of the server's host alone (did:web:<host>, served at
  // /.well-known/did.json), naming the district when it is the only one.
  std::string HostDid() const;
  std::string Achievement(const std::string& code) const {
    return base + "/achievements/" + district + "/" + code;
  }
  std::string AchievementImage(const std::string& code) const {
    return Achievement(code) + "/image.png";
  }
  // The district's revocation list number `list`. List 0 keeps the address
  // credentials issued before there were several lists name.
  std::string StatusList(int list = 0) const {
    std::string url = base + "/status/" + district + "/revocation";
    return list == 0 ? url : url + "/" + std::to_string(list);
  }
  std::string Credential(const std::string& uuid) const { return base + "/credentials/" + uuid; }
  std::string Ob2Issuer() const { return base + "/ob2/issuers/" + district; }
  std::string Ob2Badge(const std::string& code) const {
    return base + "/ob2/badges/" + district + "/" + code;
  }
  std::string Ob2Assertion(const std::string& uuid) const {
    return base + "/ob2/assertions/" + uuid;
  }
  std::string Ob2Revocations() const { return base + "/ob2/revocations/" + district; }
};

// The list number of a status list URL's last segment (IssuerUrls::StatusList):
// decimal digits without sign or leading zero, 1 or more (list 0's URL has
// no number). Nothing for anything else.
std::optional<int> ParseStatusListNumber(std::string_view segment);

inline constexpr const char* kCredentialsV2Context = "https://www.w3.org/ns/credentials/v2";
inline constexpr const char* kOb3Context =
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
// Defines 1EdTechJsonSchemaValidator2019 (credentialSchema's type): without it
// strict JSON-LD processors refuse the credential.
inline constexpr const char* kOb3ExtensionsContext =
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
inline constexpr const char* kClrContext =
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";
inline constexpr const char* kOb3Schema =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

struct IssuerInfo {
  std::string name;
  std::string url;  // the district's web site
  std::string email;
  std::string image;
  std::string description;
};

// The OB 3.0 Profile of the issuer (also the controller document of its keys
// when `keys` is given: every key a Multikey verification method, so old
// proofs still dereference; under assertionMethod only the keys that may
// back a credential now (see CredentialIssuer's key lifecycle)).
struct PublishedKey {
  std::string key_id;    // "key-1"
  std::string multikey;  // "z6Mk..."
  // Its key document (urls.KeyDocument) is this Multikey; a P-256 key's
  // serves the JWK instead, so it is listed under its fragment id only.
  bool multikey_document = true;
  bool assertion = true;     // listed under assertionMethod
  std::string revoked = {};  // when revoked (compromised): its XML Schema dateTime
};
nlohmann::json IssuerProfileJson(const IssuerUrls& urls, const IssuerInfo& info);
// Each Ed25519 key is listed twice, under its old fragment id (urls.Key) and
// its key document URL (urls.KeyDocument), so proofs of either form find it
// in assertionMethod; `alsoKnownAs` links the district's did:web.
nlohmann::json ControllerDocument(const IssuerUrls& urls, const IssuerInfo& info,
                                  const std::vector<PublishedKey>& keys);

// A key as its own document, what a verifier finds at urls.KeyDocument:
// {"@context", "id", "type": "Multikey", "controller": urls.Issuer(),
// "publicKeyMultibase"}. `controller` is the credentials' issuer id, which
// 1EdTech's validator compares it with.
nlohmann::json MultikeyDocument(const IssuerUrls& urls, const PublishedKey& key);

// A key of the district's DID document: an Ed25519 Multikey, or a P-256 key
// as a JsonWebKey (its public JWK).
struct DidKey {
  std::string key_id;
  std::string multikey;      // Ed25519: "z6Mk..."; empty for a JWK
  nlohmann::json jwk;        // P-256: {"kty":"EC","crv":"P-256","x","y"}; null otherwise
  bool active = false;       // listed under assertionMethod
  std::string revoked = {};  // when revoked (compromised): its XML Schema dateTime
};
// The DID document of `did` (urls.Did() or urls.HostDid()): every key as a
// verification method "<did>#<key id>" controlled by `did`, only active keys
// under assertionMethod, and alsoKnownAs the issuer Profile's URL.
nlohmann::json DidDocumentJson(const IssuerUrls& urls, const std::string& did,
                               const std::vector<DidKey>& keys);

// A standard (a CFItem of an imported CASE framework) that one of a
// badge's CPEs is crosswalked to: an Alignment of targetType "CFItem".
struct StandardAlignment {
  std::string cpe;          // the badge's CPE that links it
  std::string identifier;   // the CFItem identifier (one entry per item)
  std::string name;         // targetName: the human code, else a short statement
  std::string description;  // targetDescription: the full statement
  std::string framework;    // targetFramework: the CFDocument's title
  std::string code;         // targetCode: humanCodingScheme (may be empty)
  std::string url;          // targetUrl: the item's CASE URI
};

// The badge as an OB 3.0 Achievement: criteria (the rule, in words, and the
// CPEs), image, alignments to each CPE, to the state standards the catalog
// lists for the CPEs and to the crosswalked CASE items (`standards`, each
// after the first CPE that links it, once), and one ResultDescription per
// CPE with the scale's levels.
nlohmann::json AchievementJson(const IssuerUrls& urls, const IssuerInfo& info,
                               const Catalog& catalog, const Badge& badge,
                               const std::vector<StandardAlignment>& standards = {});

struct CpeResult {
  std::string cpe;
  std::string level;  // a level id of the badge's scale
};

// Evidence the student chose to show (their showcase for the badge).
struct EvidenceItem {
  std::string name;
  std::string narrative;
};

struct AwardedBadge {
  std::string uuid;  // credential id: urn:uuid:<uuid>
  std::string student_name;
  std::string student_sourced_id;
  std::string email_hash;  // "sha256$<hex>", empty when no email
  std::string salt;
  Instant awarded_at = 0;
  std::vector<CpeResult> results;
  std::vector<EvidenceItem> evidence;
  int status_list = 0;
  std::int64_t status_index = 0;
};

nlohmann::json OpenBadgeCredentialJson(const IssuerUrls& urls, const IssuerInfo& info,
                                       const Catalog& catalog, const Badge& badge,
                                       const AwardedBadge& award,
                                       const std::vector<StandardAlignment>& standards = {});

// "sha256$" + hex(SHA-256(identity + salt)), the OB recipient hash.
std::string HashedIdentity(const std::string& identity, const std::string& salt);

// Open Badges 2.0 hosted documents.
nlohmann::json Ob2IssuerJson(const IssuerUrls& urls, const IssuerInfo& info);
nlohmann::json Ob2BadgeClassJson(const IssuerUrls& urls, const Catalog& catalog,
                                 const Badge& badge);
nlohmann::json Ob2AssertionJson(const IssuerUrls& urls, const Badge& badge,
                                const AwardedBadge& award);

}  // namespace cairn
