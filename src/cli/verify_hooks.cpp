#include "cli/verify_hooks.h"

#include "common/json_limits.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <nlohmann/json.hpp>

#include "cli/http_fetch.h"
#include "credentials/base64url.h"
#include "credentials/credential_issuer.h"
#include "credentials/multibase.h"

namespace cairn {
namespace {

using json = nlohmann::json;

Result<json> FetchJson(std::string_view url) {
  CAIRN_ASSIGN_OR_RETURN(std::string body, HttpGet(std::string(url)));
  json doc = ParseUntrustedJsonOrDiscarded(body);
  if (doc.is_discarded()) return Status::Invalid(std::string(url) + ": not JSON");
  return doc;
}

// The verification method `id` as published: the document its URL serves
// when that is the key itself (a Multikey document or a JWK, without a
// fragment), else the method listed in the controller document the id's URL
// (without fragment) serves.
Result<json> FetchMethod(std::string_view id) {
  const std::string url(id.substr(0, id.find('#')));
  CAIRN_ASSIGN_OR_RETURN(json doc, FetchJson(url));
  if (url == id && doc.is_object() && (doc.contains("publicKeyMultibase") || doc.contains("kty"))) {
    if (doc.contains("kty")) return json{{"publicKeyJwk", doc}};
    return doc;
  }
  if (doc.contains("verificationMethod") && doc["verificationMethod"].is_array()) {
    for (const json& m : doc["verificationMethod"]) {
      const std::string mid = m.value("id", "");
      if (mid == id || (mid.rfind('#', 0) == 0 && url + mid == id)) return m;
    }
  }
  return Status::NotFound(std::string(id) + " is not listed by " + url);
}

// "zDn..." (multicodec p256-pub + compressed point) to a public JWK.
Result<json> P256MultikeyToJwk(std::string_view multikey) {
  CAIRN_ASSIGN_OR_RETURN(auto bytes, multibase::DecodeBase58Btc(multikey));
  if (bytes.size() != 35 || bytes[0] != 0x80 || bytes[1] != 0x24) {
    return Status::Invalid("not a P-256 Multikey");
  }
  EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  EC_POINT* point = EC_POINT_new(group);
  BIGNUM* x = BN_new();
  BIGNUM* y = BN_new();
  std::string xs(32, '\0'), ys(32, '\0');
  const bool ok = EC_POINT_oct2point(group, point, bytes.data() + 2, 33, nullptr) == 1 &&
                  EC_POINT_get_affine_coordinates(group, point, x, y, nullptr) == 1 &&
                  BN_bn2binpad(x, reinterpret_cast<unsigned char*>(xs.data()), 32) == 32 &&
                  BN_bn2binpad(y, reinterpret_cast<unsigned char*>(ys.data()), 32) == 32;
  BN_free(x);
  BN_free(y);
  EC_POINT_free(point);
  EC_GROUP_free(group);
  if (!ok) return Status::Invalid("not a point on P-256");
  return json{{"kty", "EC"},
              {"crv", "P-256"},
              {"x", credentials::Base64UrlEncode(xs)},
              {"y", credentials::Base64UrlEncode(ys)}};
}

}  // namespace

VerifierHooks NetworkHooks() {
  VerifierHooks hooks;
  hooks.clock = SystemClock();
  hooks.resolve_key = [](std::string_view method) -> Result<std::array<std::uint8_t, 32>> {
    CAIRN_ASSIGN_OR_RETURN(json m, FetchMethod(method));
    return multibase::DecodeMultikeyEd25519Public(m.value("publicKeyMultibase", ""));
  };
  hooks.resolve_jwk = [](std::string_view kid) -> Result<json> {
    CAIRN_ASSIGN_OR_RETURN(json m, FetchMethod(kid));
    if (m.contains("publicKeyJwk")) return m["publicKeyJwk"];
    return P256MultikeyToJwk(m.value("publicKeyMultibase", ""));
  };
  // The method's `revoked` time (W3C Controlled Identifiers), when it has one.
  hooks.key_revoked_at = [](std::string_view method) -> std::optional<Instant> {
    auto m = FetchMethod(method);
    if (!m.ok() || !m->contains("revoked") || !(*m)["revoked"].is_string()) return std::nullopt;
    auto at = ParseInstant((*m)["revoked"].get<std::string>());
    return at.ok() ? *at : Instant{0};  // unreadable: refuse every proof
  };
  hooks.fetch_status_list = [](std::string_view url) { return FetchJson(url); };
  hooks.fetch_ob2_assertion = [](std::string_view url) -> Result<json> {
    auto doc = FetchJson(url);
    if (!doc.ok() && doc.status().code() == StatusCode::kNotFound &&
        doc.status().message().find(" 410") != std::string::npos) {
      return Status::Precondition("revoked by the issuer (" + doc.status().message() + ")");
    }
    return doc;
  };
  return hooks;
}

Result<VerifierHooks> DatabaseHooks(CairnService& service, const std::string& db_path) {
  CAIRN_ASSIGN_OR_RETURN(auto public_url, service.store().GetSetting("public_url"));
  if (!public_url) {
    return Status::Precondition("this database has never been served, so it has issued nothing");
  }
  CAIRN_ASSIGN_OR_RETURN(KeyVault vault, KeyVault::Open(DefaultMasterKeyPath(db_path)));
  CAIRN_ASSIGN_OR_RETURN(Roster roster, service.store().LoadRoster());
  // One shared state: the issuer borrows the vault and the roster.
  struct State {
    KeyVault vault;
    Roster roster;
    std::optional<CredentialIssuer> issuer;
  };
  auto st = std::make_shared<State>(State{vault, std::move(roster), std::nullopt});
  st->roster.Index();
  st->issuer.emplace(service.store(), st->vault, IssuerOptions{*public_url, SystemClock()});
  VerifierHooks hooks;
  hooks.clock = SystemClock();
  hooks.resolve_key = [st](std::string_view method) {
    return st->issuer->ResolveKey(st->roster, method);
  };
  hooks.resolve_jwk = [st](std::string_view kid) {
    return st->issuer->ResolveJwk(st->roster, kid);
  };
  hooks.key_revoked_at = [st](std::string_view method) -> std::optional<Instant> {
    auto at = st->issuer->KeyRevokedAt(st->roster, method);
    return at.ok() ? *at : std::optional<Instant>(0);
  };
  // Any of the district's lists (list 0 and the ones opened after it).
  hooks.fetch_status_list = [st](std::string_view url) -> Result<json> {
    return st->issuer->StatusListAt(st->roster, url);
  };
  hooks.revocation_reason = [st, &service](std::string_view id) -> std::optional<std::string> {
    if (id.rfind("urn:uuid:", 0) != 0) return std::nullopt;
    auto c = service.store().FindCredential(id.substr(9));
    if (!c.ok() || !*c) return std::nullopt;
    auto r = st->issuer->RevocationOf(**c);
    return r.ok() && r->revoked ? std::optional<std::string>(r->reason) : std::nullopt;
  };
  return hooks;
}

}  // namespace cairn
