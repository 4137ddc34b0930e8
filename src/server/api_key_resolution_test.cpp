// Issue #14: keys that outside verifiers can resolve, checked through the
// public routes the way those verifiers do it, with code of their own here
// rather than Cairn's verifier:
// - a key-resolution probe written to 1EdTech's validator rules
//   (EmbeddedProofProbe: did:key, did:web, "{controller}#z6Mk..." fragments,
//   a bare key document with a controller, or a single verificationMethod
//   object; the controller must be the credential's issuer), run on every
//   form a credential is downloaded in (JSON, baked PNG and SVG);
// - the VC-JWT's kid fetched as a JWK and the ES256 signature checked with
//   OpenSSL directly;
// - the district's did:web document and the links a credential offers.
#include <gtest/gtest.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <optional>
#include <string>

#include "credentials/baking.h"
#include "credentials/base64url.h"
#include "credentials/credential_issuer.h"
#include "credentials/data_integrity.h"
#include "server/api_test_fixture.h"

namespace cairn {
namespace {

constexpr const char* kBaseUrl = "https://badges.test";

// base58btc (the multibase 'z' alphabet), written here so the probe does not
// lean on Cairn's own decoder.
std::optional<std::string> Base58Decode(std::string_view text) {
  static const std::string kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::string bytes;  // big-endian
  for (char c : text) {
    std::size_t digit = kAlphabet.find(c);
    if (digit == std::string::npos) return std::nullopt;
    int carry = static_cast<int>(digit);
    for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
      carry += 58 * static_cast<unsigned char>(*it);
      *it = static_cast<char>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.insert(bytes.begin(), static_cast<char>(carry & 0xff));
      carry >>= 8;
    }
  }
  for (std::size_t i = 0; i < text.size() && text[i] == '1'; ++i) bytes.insert(bytes.begin(), '\0');
  return bytes;
}

// An Ed25519 public key from a publicKeyMultibase: 'z' + base58btc of
// multicodec 0xed 0x01 + 32 bytes. Nothing for anything else.
std::optional<std::string> Ed25519FromMultibase(std::string_view multibase) {
  if (multibase.empty() || multibase[0] != 'z') return std::nullopt;
  auto bytes = Base58Decode(multibase.substr(1));
  if (!bytes || bytes->size() != 34 || static_cast<unsigned char>((*bytes)[0]) != 0xed ||
      (*bytes)[1] != 0x01) {
    return std::nullopt;
  }
  return bytes->substr(2);
}

struct ProbeResult {
  std::string error;  // empty when resolved
  std::string public_key;
  std::string controller;
};

ProbeResult Error(std::string why) {
  ProbeResult r;
  r.error = std::move(why);
  return r;
}

class ApiKeyResolutionTest : public ApiTest {
 protected:
  // GET of one of this server's public URLs, anonymously, through the API.
  std::optional<json> Fetch(const std::string& url) {
    if (url.rfind(kBaseUrl, 0) != 0) return std::nullopt;
    HttpResponse r = Call("GET", url.substr(std::string(kBaseUrl).size()), "", std::nullopt);
    if (r.status != 200) return std::nullopt;
    json doc = Body(r);
    if (doc.is_discarded()) return std::nullopt;
    return doc;
  }

  // 1EdTech's EmbeddedProofProbe key lookup, step by step.
  ProbeResult Resolve(const std::string& method, const std::string& issuer) {
    ProbeResult out;
    std::string multibase;
    const std::size_t hash = method.find('#');
    const std::string fragment = hash == std::string::npos ? "" : method.substr(hash + 1);
    if (!fragment.empty() && Ed25519FromMultibase(fragment)) {
      multibase = fragment;  // {controller}#z6Mk...
      out.controller = method.substr(0, hash);
    } else if (method.rfind("did:key:", 0) == 0) {
      multibase = method.substr(8, hash == std::string::npos ? std::string::npos : hash - 8);
    } else if (method.rfind("did:web:", 0) == 0) {
      // did:web read: ':' -> '/', a percent-encoded port colon decoded,
      // https://, /.well-known when there is no path, then /did.json.
      std::string id = method.substr(8, hash == std::string::npos ? std::string::npos : hash - 8);
      for (char& c : id) c = c == ':' ? '/' : c;
      if (auto port = id.find("%3A"); port != std::string::npos && port < id.find('/')) {
        id.replace(port, 3, ":");
      }
      std::string url = "https://" + id;
      if (id.find('/') == std::string::npos) url += "/.well-known";
      url += "/did.json";
      auto doc = Fetch(url);
      if (!doc) return Error("key document not found at " + url);
      if (!(*doc)["assertionMethod"].is_array()) return Error("no assertionMethod list at " + url);
      const json& assertion = (*doc)["assertionMethod"];
      if (std::find(assertion.begin(), assertion.end(), method) == assertion.end()) {
        return Error("assertion method " + method + " not found in DID document");
      }
      if (!(*doc)["verificationMethod"].is_array()) return Error("no verificationMethod list");
      const json* found = nullptr;
      for (const json& m : (*doc)["verificationMethod"]) {
        if (m.value("id", "") == method) found = &m;
      }
      if (!found) return Error("verification method " + method + " not found in DID document");
      out.controller = found->value("controller", "");
      multibase = found->value("publicKeyMultibase", "");
    } else if (method.rfind("https://", 0) == 0 || method.rfind("http://", 0) == 0) {
      auto doc = Fetch(method.substr(0, hash));
      if (!doc || !doc->is_object()) return Error("key document not found at " + method);
      if (doc->contains("controller") && (*doc)["controller"].is_string()) {
        out.controller = (*doc)["controller"];  // a bare key document
        multibase = doc->value("publicKeyMultibase", "");
      } else if (doc->contains("verificationMethod") && (*doc)["verificationMethod"].is_object()) {
        const json& m = (*doc)["verificationMethod"];  // one verification method object
        out.controller = m.value("controller", "");
        multibase = m.value("publicKeyMultibase", "");
      } else {
        return Error("cannot parse key document from " + method +
                     " (no controller, and verificationMethod is not a single object)");
      }
    } else {
      return Error("unknown verification method " + method);
    }
    auto key = Ed25519FromMultibase(multibase);
    if (!key) return Error("verification method does not contain an Ed25519 public key");
    if (!out.controller.empty() && out.controller != issuer) {
      return Error("key controller " + out.controller + " does not match issuer " + issuer);
    }
    out.public_key = *key;
    return out;
  }

  // The probe's key, then the eddsa-rdfc-2022 proof checked with only that key.
  void ProbeCredential(const json& credential, const std::string& label) {
    ASSERT_TRUE(credential.is_object()) << label;
    const json proof =
        credential["proof"].is_array() ? credential["proof"][0] : credential["proof"];
    EXPECT_EQ(proof["proofPurpose"], "assertionMethod") << label;
    EXPECT_EQ(proof["cryptosuite"], "eddsa-rdfc-2022") << label;
    const std::string method = proof["verificationMethod"];
    const std::string issuer = credential["issuer"].is_object()
                                   ? credential["issuer"].value("id", "")
                                   : credential["issuer"].get<std::string>();
    ProbeResult r = Resolve(method, issuer);
    ASSERT_TRUE(r.error.empty()) << label << ": " << r.error;
    credentials::KeyResolver only_that_key =
        [&](std::string_view m) -> Result<multibase::Ed25519PublicKey> {
      if (m != method) return Status::NotFound("not the probed key");
      multibase::Ed25519PublicKey key{};
      std::copy(r.public_key.begin(), r.public_key.end(), key.begin());
      return key;
    };
    auto report =
        credentials::DataIntegrity(SharedJsonLdProcessor()).Verify(credential, only_that_key);
    EXPECT_TRUE(report.verified()) << label << ": " << report.ToStatus().ToString();
  }

  json FirstCredentialSummary(const Login& student) {
    json list = Body(Call("GET", "/api/v1/students/student-00001/credentials", "", student));
    EXPECT_FALSE(list["credentials"].empty()) << list.dump();
    return list["credentials"].empty() ? json() : list["credentials"][0];
  }
};

// Every form a student downloads, and the status list it names, pass
// 1EdTech's key lookup; the key document is bare and names the issuer.
TEST_F(ApiKeyResolutionTest, EveryCredentialFormPassesTheKeyResolutionProbe) {
  Login student = SignIn("student-00001");
  const json summary = FirstCredentialSummary(student);
  ASSERT_TRUE(summary.is_object());
  const std::string api = "/api/v1/credentials/" + summary["uuid"].get<std::string>();
  HttpResponse body = Call("GET", api, "", student);
  ASSERT_EQ(body.status, 200);
  const json credential = Body(body);
  ProbeCredential(credential, "json");
  for (const char* form : {"/badge.png", "/badge.svg"}) {
    HttpResponse image = Call("GET", api + form, "", student);
    ASSERT_EQ(image.status, 200) << form;
    auto baked = credentials::ExtractBakedCredential(image.body);
    ASSERT_TRUE(baked.ok()) << form << " " << baked.status().ToString();
    ProbeCredential(json::parse(baked->payload), form);
  }
  auto list = Fetch(credential["credentialStatus"]["statusListCredential"]);
  ASSERT_TRUE(list.has_value());
  ProbeCredential(*list, "status list");

  // What the verification method serves: the key alone.
  const std::string method = credential["proof"][0]["verificationMethod"];
  EXPECT_EQ(method.rfind("https://badges.test/issuers/district-demo/keys/key-", 0), 0u) << method;
  HttpResponse key = Call("GET", method.substr(std::string(kBaseUrl).size()), "", std::nullopt);
  ASSERT_EQ(key.status, 200) << key.body;
  EXPECT_EQ(key.content_type, "application/ld+json");
  const json doc = Body(key);
  EXPECT_EQ(doc["type"], "Multikey");
  EXPECT_EQ(doc["id"], method);
  EXPECT_EQ(doc["controller"], "https://badges.test/issuers/district-demo");
  EXPECT_EQ(Call("GET", "/issuers/district-demo/keys/key-99", "", std::nullopt).status, 404);
  EXPECT_EQ(Call("GET", "/issuers/nowhere/keys/key-1", "", std::nullopt).status, 404);

  // The form credentials used to name (the Profile, a list of methods) is
  // what the probe refuses: the fix is the key document above.
  ProbeResult old = Resolve("https://badges.test/issuers/district-demo#key-1",
                            "https://badges.test/issuers/district-demo");
  EXPECT_NE(old.error.find("verificationMethod is not a single object"), std::string::npos)
      << old.error;
}

// did:web:badges.test:issuers:district-demo resolves by the did:web rules to
// a document whose active keys are assertion methods and which links the
// Profile; the Profile links back. The host DID needs a single district.
TEST_F(ApiKeyResolutionTest, DistrictDidWebResolvesAndLinksTheProfile) {
  const std::string did = "did:web:badges.test:issuers:district-demo";
  HttpResponse r = Call("GET", "/issuers/district-demo/did.json", "", std::nullopt);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/did+json");
  const json doc = Body(r);
  EXPECT_EQ(doc["id"], did);
  EXPECT_EQ(doc["alsoKnownAs"], json::array({"https://badges.test/issuers/district-demo"}));
  ASSERT_FALSE(doc["assertionMethod"].empty());
  for (const json& m : doc["assertionMethod"]) {
    const std::string method = m;
    if (method.find("#key-") == std::string::npos) continue;  // the JWT key is P-256
    ProbeResult resolved = Resolve(method, did);
    EXPECT_TRUE(resolved.error.empty()) << method << ": " << resolved.error;
  }
  json profile = Body(Call("GET", "/issuers/district-demo", "", std::nullopt));
  EXPECT_EQ(profile["alsoKnownAs"], json::array({did}));
  EXPECT_EQ(profile["id"], "https://badges.test/issuers/district-demo");
  EXPECT_EQ(profile["type"], json::array({"Profile"}));

  // The demo has two districts: no single host identity.
  HttpResponse host = Call("GET", "/.well-known/did.json", "", std::nullopt);
  EXPECT_EQ(host.status, 404);
  EXPECT_NE(host.body.find("/issuers/{district}/did.json"), std::string::npos) << host.body;
}

// ES256 with OpenSSL alone: the JWK's point, the raw R||S signature as DER.
bool Es256Verifies(const json& jwk, const std::string& signing_input,
                   const std::string& signature) {
  auto x = credentials::Base64UrlDecode(jwk.value("x", ""));
  auto y = credentials::Base64UrlDecode(jwk.value("y", ""));
  if (!x.ok() || !y.ok() || x->size() != 32 || y->size() != 32 || signature.size() != 64) {
    return false;
  }
  const std::string point = std::string(1, '\x04') + *x + *y;
  OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(build, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
  EVP_PKEY_CTX* from = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* key = nullptr;
  const bool have_key = EVP_PKEY_fromdata_init(from) == 1 &&
                        EVP_PKEY_fromdata(from, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(
      sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()), 32, nullptr),
      BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()) + 32, 32, nullptr));
  unsigned char* der = nullptr;
  const int der_size = i2d_ECDSA_SIG(sig, &der);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  const bool ok = have_key && der_size > 0 &&
                  EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(md, der, static_cast<std::size_t>(der_size),
                                   reinterpret_cast<const unsigned char*>(signing_input.data()),
                                   signing_input.size()) == 1;
  EVP_MD_CTX_free(md);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  EVP_PKEY_free(key);
  EVP_PKEY_CTX_free(from);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(build);
  return ok;
}

// What a JWT validator does: read the header, fetch what kid names, take
// kty/crv/x/y from it (or from the header's jwk) and check the signature.
TEST_F(ApiKeyResolutionTest, JwtKidDereferencesToAJwkThatVerifiesTheSignature) {
  Login student = SignIn("student-00001");
  const json summary = FirstCredentialSummary(student);
  ASSERT_TRUE(summary.is_object());
  HttpResponse r = Call("GET", summary["links"]["jwt"].get<std::string>(), "", student);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string jwt = r.body;
  const std::size_t dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
  ASSERT_NE(dot1, dot2);
  auto header_bytes = credentials::Base64UrlDecode(jwt.substr(0, dot1));
  auto signature = credentials::Base64UrlDecode(jwt.substr(dot2 + 1));
  ASSERT_TRUE(header_bytes.ok() && signature.ok());
  const json header = json::parse(*header_bytes);
  EXPECT_EQ(header["alg"], "ES256");
  const std::string kid = header.value("kid", "");
  ASSERT_EQ(kid.rfind("https://badges.test/issuers/district-demo/keys/", 0), 0u) << kid;
  HttpResponse fetched = Call("GET", kid.substr(std::string(kBaseUrl).size()), "", std::nullopt);
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  const json jwk = Body(fetched);
  EXPECT_EQ(jwk["kty"], "EC");
  EXPECT_EQ(jwk["crv"], "P-256");
  EXPECT_EQ(jwk["kid"], kid);
  EXPECT_FALSE(jwk.contains("d"));
  for (const char* member : {"kty", "crv", "x", "y"}) {
    EXPECT_EQ(header["jwk"][member], jwk[member]) << member;
  }
  const std::string signing_input = jwt.substr(0, dot2);
  EXPECT_TRUE(Es256Verifies(jwk, signing_input, *signature));
  // The check can fail: one changed payload character.
  std::string altered = signing_input;
  altered[dot1 + 5] = altered[dot1 + 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(Es256Verifies(jwk, altered, *signature));
  // The payload is the credential the JSON download carries.
  auto payload = credentials::Base64UrlDecode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(json::parse(*payload)["jti"], "urn:uuid:" + summary["uuid"].get<std::string>());
}

// links.ob2 and links.share are offered once they resolve: after sharing,
// and for 2.0 once the district's issuer profile has an email.
TEST_F(ApiKeyResolutionTest, CredentialLinksAreOfferedOnlyWhereTheyResolve) {
  Login student = SignIn("student-00001");
  json summary = FirstCredentialSummary(student);
  ASSERT_TRUE(summary.is_object());
  const std::string uuid = summary["uuid"];
  ASSERT_FALSE(summary["public"].get<bool>());
  EXPECT_FALSE(summary["links"].contains("ob2")) << summary.dump();
  EXPECT_FALSE(summary["links"].contains("share")) << summary.dump();
  EXPECT_TRUE(summary["links_waiting_for"].contains("ob2"));
  EXPECT_EQ(Call("GET", "/ob2/assertions/" + uuid, "", std::nullopt).status, 404);
  for (const auto& [name, link] : summary["links"].items()) {
    EXPECT_EQ(Call("GET", link.get<std::string>(), "", student).status, 200) << name;
  }

  ASSERT_EQ(
      Call("POST", "/api/v1/credentials/" + uuid + "/share", json{{"public", true}}.dump(), student)
          .status,
      200);
  summary = FirstCredentialSummary(student);
  EXPECT_EQ(summary["links"]["share"], "/verify/" + uuid);
  EXPECT_EQ(Call("GET", "/api/v1/public/credentials/" + uuid, "", std::nullopt).status, 200);
  // Shared, but the 2.0 issuer would have no email yet.
  EXPECT_FALSE(summary["links"].contains("ob2")) << summary.dump();
  EXPECT_NE(summary["links_waiting_for"]["ob2"].get<std::string>().find("email"),
            std::string::npos);

  Login admin = SignIn("admin");
  ASSERT_EQ(Call("PUT", "/api/v1/issuers/district-demo/profile",
                 json{{"name", "Demo District"}, {"email", "badges@demo.example"}}.dump(), admin)
                .status,
            200);
  summary = FirstCredentialSummary(student);
  ASSERT_TRUE(summary["links"].contains("ob2")) << summary.dump();
  EXPECT_FALSE(summary.contains("links_waiting_for")) << summary.dump();
  const std::string ob2 = summary["links"]["ob2"];
  auto assertion = Fetch(ob2);
  ASSERT_TRUE(assertion.has_value()) << ob2;
  EXPECT_EQ((*assertion)["type"], "Assertion");
  auto badge = Fetch((*assertion)["badge"]);
  ASSERT_TRUE(badge.has_value());
  auto issuer = Fetch((*badge)["issuer"]);
  ASSERT_TRUE(issuer.has_value());
  EXPECT_EQ((*issuer)["email"], "badges@demo.example");
}

}  // namespace
}  // namespace cairn
