#include "credentials/vc_jwt.h"

#include <gtest/gtest.h>

#include <random>

#include "credentials/baking.h"
#include "credentials/base64url.h"
#include "credentials/media_test_support.h"

namespace cairn::credentials {
namespace {

using testing::FixturePath;
using testing::ReadFile;
using testing::SharedPath;

// RFC 7515 Appendix A.3 (ES256): the public JWK and the compact serialization.
const nlohmann::json kRfcJwk = {{"kty", "EC"},
                                {"crv", "P-256"},
                                {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                                {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};
constexpr char kRfcJws[] =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

nlohmann::json SampleCredential() {
  return nlohmann::json::parse(R"({
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://cairn.example/issuers/district-7", "type": ["Profile"],
               "name": "District 7"},
    "validFrom": "2026-06-01T12:00:00Z",
    "validUntil": "2031-06-01T12:00:00Z",
    "name": "M101 Fractions",
    "credentialSubject": {"id": "did:example:student-42", "type": ["AchievementSubject"],
                          "achievement": {"id": "https://cairn.example/achievements/M101",
                                          "type": ["Achievement"], "name": "Fractions"}}
  })");
}

constexpr Instant kJune2026 = 1780315200;  // 2026-06-01T12:00:00Z

std::string Part(const std::string& jws, int index) {
  std::size_t first = jws.find('.');
  std::size_t second = jws.find('.', first + 1);
  if (index == 0) return jws.substr(0, first);
  if (index == 1) return jws.substr(first + 1, second - first - 1);
  return jws.substr(second + 1);
}

TEST(VcJwtTest, VerifiesRfc7515AppendixA3) {
  auto key = VerificationKey::FromJwk(kRfcJwk);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->algorithm(), JwsAlgorithm::kES256);
  auto verified = VerifyCompactJws(kRfcJws, *key);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->header["alg"], "ES256");
  EXPECT_EQ(verified->payload,
            "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");
  // Exported JWK equals the RFC's (minus d, which we never had).
  EXPECT_EQ(*key->ToJwk(), kRfcJwk);

  std::string tampered = kRfcJws;
  tampered.back() = 'A';  // ...U1Q -> ...U1A: last signature byte changes
  EXPECT_FALSE(VerifyCompactJws(tampered, *key).ok());
}

TEST(VcJwtTest, CredentialRoundTripWithGeneratedKey) {
  auto key = SigningKey::Generate(JwsAlgorithm::kES256);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto jwt = SignCredentialJwt(SampleCredential(), *key, "https://cairn.example/keys/1");
  ASSERT_TRUE(jwt.ok()) << jwt.status().ToString();

  auto header = PeekJwsHeader(*jwt);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(*header, nlohmann::json::parse(
                         R"({"alg":"ES256","typ":"JWT","kid":"https://cairn.example/keys/1"})"));
  EXPECT_EQ(Base64UrlDecode(Part(*jwt, 2))->size(), 64u);  // raw R||S, not DER

  auto verified = VerifyCredentialJwt(*jwt, key->PublicKey(), kJune2026);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->credential, SampleCredential());
  EXPECT_EQ(verified->claims["iss"], "https://cairn.example/issuers/district-7");
  EXPECT_EQ(verified->claims["jti"], "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002");
  EXPECT_EQ(verified->claims["sub"], "did:example:student-42");
  EXPECT_EQ(verified->claims["nbf"], kJune2026);
  EXPECT_EQ(verified->claims["exp"], kJune2026 + 1826 * 86400);
}

TEST(VcJwtTest, TamperedPayloadFails) {
  auto key = *SigningKey::Generate(JwsAlgorithm::kES256);
  std::string jwt = *SignCredentialJwt(SampleCredential(), key, "k1");
  auto claims = nlohmann::json::parse(*Base64UrlDecode(Part(jwt, 1)));
  claims["name"] = "M999 Something Else";
  std::string forged = Part(jwt, 0) + "." + Base64UrlEncode(claims.dump()) + "." + Part(jwt, 2);
  auto result = VerifyCredentialJwt(forged, key.PublicKey(), kJune2026);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("signature does not verify"), std::string::npos);
}

TEST(VcJwtTest, WrongKeyFails) {
  auto signer = *SigningKey::Generate(JwsAlgorithm::kES256);
  auto other = *SigningKey::Generate(JwsAlgorithm::kES256);
  std::string jwt = *SignCredentialJwt(SampleCredential(), signer, "k1");
  EXPECT_FALSE(VerifyCredentialJwt(jwt, other.PublicKey(), kJune2026).ok());
  EXPECT_FALSE(VerifyCredentialJwt(jwt, *VerificationKey::FromJwk(kRfcJwk), kJune2026).ok());
}

TEST(VcJwtTest, RefusesAlgNoneAndAlgConfusion) {
  auto key = *SigningKey::Generate(JwsAlgorithm::kES256);
  std::string jwt = *SignCredentialJwt(SampleCredential(), key, "k1");
  std::string none = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + Part(jwt, 1) + ".";
  auto refused = VerifyCredentialJwt(none, key.PublicKey(), kJune2026);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("'none'"), std::string::npos);
  std::string none_upper = Base64UrlEncode(R"({"alg":"NONE"})") + "." + Part(jwt, 1) + ".";
  EXPECT_FALSE(VerifyCompactJws(none_upper, key.PublicKey()).ok());

  std::string hs256 =
      Base64UrlEncode(R"({"alg":"HS256"})") + "." + Part(jwt, 1) + "." + Part(jwt, 2);
  EXPECT_NE(VerifyCompactJws(hs256, key.PublicKey()).status().message().find("unsupported"),
            std::string::npos);

  auto rsa = *SigningKey::Generate(JwsAlgorithm::kRS256);
  std::string rs_jwt = *SignCredentialJwt(SampleCredential(), rsa, "k2");
  auto mismatch = VerifyCompactJws(rs_jwt, key.PublicKey());  // RS256 token, EC key trusted
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("does not match the expected ES256"),
            std::string::npos);

  std::string crit = Base64UrlEncode(R"({"alg":"ES256","crit":["exp"]})") + "." + Part(jwt, 1) +
                     "." + Part(jwt, 2);
  EXPECT_FALSE(VerifyCompactJws(crit, key.PublicKey()).ok());
}

TEST(VcJwtTest, ChecksTimesAgainstTheInjectedClock) {
  auto key = *SigningKey::Generate(JwsAlgorithm::kES256);
  std::string jwt = *SignCredentialJwt(SampleCredential(), key, "k1");
  auto early = VerifyCredentialJwt(jwt, key.PublicKey(), kJune2026 - 10);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("not valid before"), std::string::npos);
  EXPECT_TRUE(VerifyCredentialJwt(jwt, key.PublicKey(), kJune2026 - 10, 60).ok());
  Instant expiry = kJune2026 + 1826 * 86400;
  EXPECT_TRUE(VerifyCredentialJwt(jwt, key.PublicKey(), expiry - 1).ok());
  auto late = VerifyCredentialJwt(jwt, key.PublicKey(), expiry);
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.status().message().find("expired"), std::string::npos);
}

TEST(VcJwtTest, ClaimsMustAgreeWithTheCredential) {
  auto key = *SigningKey::Generate(JwsAlgorithm::kES256);
  auto sign_claims = [&](const nlohmann::json& claims) {
    return *SignCompactJws({{"typ", "JWT"}}, claims.dump(), key);
  };
  std::string jwt = *SignCredentialJwt(SampleCredential(), key, "k1");
  auto claims = nlohmann::json::parse(*Base64UrlDecode(Part(jwt, 1)));
  for (const char* claim : {"iss", "jti", "sub"}) {
    auto changed = claims;
    changed[claim] = "https://evil.example/";
    EXPECT_FALSE(VerifyCredentialJwt(sign_claims(changed), key.PublicKey(), kJune2026).ok())
        << claim;
  }
  auto shifted = claims;
  shifted["nbf"] = kJune2026 - 86400;
  EXPECT_FALSE(VerifyCredentialJwt(sign_claims(shifted), key.PublicKey(), kJune2026).ok());
  auto no_exp = claims;
  no_exp.erase("exp");
  EXPECT_FALSE(VerifyCredentialJwt(sign_claims(no_exp), key.PublicKey(), kJune2026).ok());
  auto no_nbf = claims;
  no_nbf.erase("nbf");
  EXPECT_FALSE(VerifyCredentialJwt(sign_claims(no_nbf), key.PublicKey(), kJune2026).ok());
  EXPECT_TRUE(VerifyCredentialJwt(sign_claims(claims), key.PublicKey(), kJune2026).ok());

  auto bad = SampleCredential();
  bad["iss"] = "x";
  EXPECT_FALSE(SignCredentialJwt(bad, key, "k1").ok());
  bad = SampleCredential();
  bad.erase("validFrom");
  EXPECT_FALSE(SignCredentialJwt(bad, key, "k1").ok());
}

TEST(VcJwtTest, JwkExportImportAndEmbeddedJwk) {
  auto key = *SigningKey::Generate(JwsAlgorithm::kES256);
  auto jwk = key.PublicJwk("https://cairn.example/keys/1");
  ASSERT_TRUE(jwk.ok());
  EXPECT_EQ((*jwk)["kty"], "EC");
  EXPECT_EQ((*jwk)["crv"], "P-256");
  EXPECT_EQ((*jwk)["kid"], "https://cairn.example/keys/1");
  EXPECT_EQ((*jwk)["x"].get<std::string>().size(), 43u);
  EXPECT_EQ((*jwk)["y"].get<std::string>().size(), 43u);
  EXPECT_FALSE(jwk->contains("d"));
  auto imported = VerificationKey::FromJwk(*jwk);
  ASSERT_TRUE(imported.ok());

  std::string jwt = *SignCredentialJwt(SampleCredential(), key, "");  // no kid: jwk in header
  auto header = *PeekJwsHeader(jwt);
  ASSERT_TRUE(header.contains("jwk"));
  EXPECT_TRUE(VerifyCredentialJwt(jwt, *VerificationKey::FromJwk(header["jwk"]), kJune2026).ok());

  auto with_private = kRfcJwk;
  with_private["d"] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
  EXPECT_FALSE(VerificationKey::FromJwk(with_private).ok());
  auto off_curve = kRfcJwk;
  off_curve["y"] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1";
  EXPECT_FALSE(VerificationKey::FromJwk(off_curve).ok());
  auto wrong_curve = kRfcJwk;
  wrong_curve["crv"] = "P-384";
  EXPECT_FALSE(VerificationKey::FromJwk(wrong_curve).ok());
  EXPECT_FALSE(VerificationKey::FromJwk(nlohmann::json{{"kty", "oct"}, {"k", "AAAA"}}).ok());
}

TEST(VcJwtTest, Pkcs8PemRoundTrip) {
  for (JwsAlgorithm algorithm : {JwsAlgorithm::kES256, JwsAlgorithm::kRS256}) {
    auto key = *SigningKey::Generate(algorithm);
    auto pem = key.ToPkcs8Pem();
    ASSERT_TRUE(pem.ok());
    EXPECT_EQ(pem->rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
    auto reloaded = SigningKey::FromPkcs8Pem(*pem);
    ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
    EXPECT_EQ(reloaded->algorithm(), algorithm);
    EXPECT_EQ(*reloaded->PublicJwk(), *key.PublicJwk());
    std::string jwt = *SignCredentialJwt(SampleCredential(), *reloaded, "k");
    EXPECT_TRUE(VerifyCredentialJwt(jwt, key.PublicKey(), kJune2026).ok());
    auto spki = key.PublicKey().ToSpkiPem();
    ASSERT_TRUE(spki.ok());
    EXPECT_TRUE(VerifyCredentialJwt(jwt, *VerificationKey::FromSpkiPem(*spki), kJune2026).ok());
  }
  EXPECT_FALSE(SigningKey::FromPkcs8Pem("-----BEGIN PRIVATE KEY-----\nAAAA\n").ok());
  EXPECT_FALSE(SigningKey::FromPkcs8Pem("").ok());
  // A public key is not a private key.
  auto key = *SigningKey::Generate(JwsAlgorithm::kES256);
  EXPECT_FALSE(SigningKey::FromPkcs8Pem(*key.PublicKey().ToSpkiPem()).ok());
}

TEST(VcJwtTest, StrictParsing) {
  auto key = *VerificationKey::FromJwk(kRfcJwk);
  std::string jws = kRfcJws;
  EXPECT_FALSE(VerifyCompactJws(jws + ".x", key).ok());                     // four parts
  EXPECT_FALSE(VerifyCompactJws(" " + jws, key).ok());                      // whitespace
  EXPECT_FALSE(VerifyCompactJws(jws + "==", key).ok());                     // padding
  EXPECT_FALSE(VerifyCompactJws(jws.substr(0, jws.size() - 4), key).ok());  // short signature
  EXPECT_FALSE(VerifyCompactJws("", key).ok());
  EXPECT_FALSE(VerifyCompactJws("..", key).ok());
  std::string deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_FALSE(PeekJwsHeader(Base64UrlEncode(deep) + ".e30.").ok());
  EXPECT_FALSE(PeekJwsHeader(Base64UrlEncode("[1]") + ".e30.").ok());  // header not an object
}

TEST(VcJwtTest, MutatedTokensNeverVerify) {
  auto key = *SigningKey::Generate(JwsAlgorithm::kES256);
  std::string jwt = *SignCredentialJwt(SampleCredential(), key, "k1");
  std::mt19937 rng(99);
  constexpr char kAlphabet[] = "AZaz09-_.=+/ {}\"";
  for (int round = 0; round < 2000; ++round) {
    std::string mutated = jwt;
    std::size_t at = rng() % mutated.size();
    char replacement = kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
    if (mutated[at] == replacement) continue;
    mutated[at] = replacement;
    EXPECT_FALSE(VerifyCredentialJwt(mutated, key.PublicKey(), kJune2026).ok()) << mutated;
  }
  for (std::size_t length = 0; length < jwt.size(); length += 7) {
    EXPECT_FALSE(VerifyCredentialJwt(jwt.substr(0, length), key.PublicKey(), kJune2026).ok());
  }
}

TEST(VcJwtTest, ParseDateTime) {
  EXPECT_EQ(*ParseDateTime("2010-01-01T00:00:00Z"), 1262304000);
  EXPECT_EQ(*ParseDateTime("2010-01-01T00:00:00.123Z"), 1262304000);
  EXPECT_EQ(*ParseDateTime("2010-01-01T01:30:00+01:30"), 1262304000);
  EXPECT_EQ(*ParseDateTime("2009-12-31T23:00:00-01:00"), 1262304000);
  EXPECT_FALSE(ParseDateTime("2010-01-01").ok());
  EXPECT_FALSE(ParseDateTime("2010-02-30T00:00:00Z").ok());
  EXPECT_FALSE(ParseDateTime("2010-01-01T24:00:00Z").ok());
  EXPECT_FALSE(ParseDateTime("2010-01-01T00:00:00").ok());
}

// --- 1EdTech samples ---------------------------------------------------------------

TEST(VcJwtSamplesTest, Ob20SimpleJwtVerifiesWithKey1Pem) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob20/simple.jwt");
  auto key_doc = nlohmann::json::parse(ReadFile(FixturePath("key1.json")));
  auto key = VerificationKey::FromSpkiPem(key_doc["publicKeyPem"].get<std::string>());
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->algorithm(), JwsAlgorithm::kRS256);
  for (const std::string& path :
       {FixturePath("simple.jwt"), SharedPath("openbadges/ob20/simple.jwt")}) {
    std::string jwt = ReadFile(path);
    ASSERT_FALSE(jwt.empty()) << path;
    while (!jwt.empty() && (jwt.back() == '\n' || jwt.back() == '\r')) jwt.pop_back();
    auto verified = VerifyCompactJws(jwt, *key);
    ASSERT_TRUE(verified.ok()) << path << ": " << verified.status().ToString();
    auto assertion = nlohmann::json::parse(verified->payload);
    EXPECT_EQ(assertion["type"], "Assertion");
    EXPECT_EQ(assertion["verification"]["creator"], "http://example.org/key1.json");
  }
}

TEST(VcJwtSamplesTest, Ob20JwtsVerifyWithTheKeyTheyName) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob20");
  // Each assertion names its key (verification.creator); the key documents are
  // in ob20/assets. A different key must fail.
  struct Sample {
    const char* jwt;
    const char* key;
  };
  auto key1 = *VerificationKey::FromSpkiPem(
      nlohmann::json::parse(ReadFile(FixturePath("key1.json")))["publicKeyPem"].get<std::string>());
  for (const Sample& sample :
       {Sample{"simple-revoked.jwt", "key3.json"}, Sample{"simple-not-revoked.jwt", "key2.json"}}) {
    std::string jwt = ReadFile(SharedPath(std::string("openbadges/ob20/") + sample.jwt));
    std::string key_doc = ReadFile(SharedPath(std::string("openbadges/ob20/assets/") + sample.key));
    ASSERT_FALSE(jwt.empty() || key_doc.empty()) << sample.jwt;
    while (!jwt.empty() && (jwt.back() == '\n' || jwt.back() == '\r')) jwt.pop_back();
    auto key = VerificationKey::FromSpkiPem(
        nlohmann::json::parse(key_doc)["publicKeyPem"].get<std::string>());
    ASSERT_TRUE(key.ok()) << sample.key << ": " << key.status().ToString();
    auto verified = VerifyCompactJws(jwt, *key);
    ASSERT_TRUE(verified.ok()) << sample.jwt << ": " << verified.status().ToString();
    EXPECT_EQ(nlohmann::json::parse(verified->payload)["verification"]["creator"],
              std::string("http://example.org/") + sample.key);
    EXPECT_FALSE(VerifyCompactJws(jwt, key1).ok()) << sample.jwt;
  }
}

TEST(VcJwtSamplesTest, Clr20JwtVerifiesWithItsEmbeddedJwk) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/clr20/simple.jwt");
  std::string jwt = ReadFile(SharedPath("openbadges/clr20/simple.jwt"));
  ASSERT_FALSE(jwt.empty());
  while (!jwt.empty() && (jwt.back() == '\n' || jwt.back() == '\r')) jwt.pop_back();
  auto header = PeekJwsHeader(jwt);
  ASSERT_TRUE(header.ok());
  auto key = VerificationKey::FromJwk((*header)["jwk"]);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  // Self-asserted key: proves integrity only, not who issued it.
  auto verified = VerifyCompactJws(jwt, *key);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
}

TEST(VcJwtSamplesTest, Ob30BakedJwtsVerifyWithTheirEmbeddedJwk) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob30");
  // 2024-01-01: after the samples' validFrom (2010) and without exp.
  constexpr Instant kNow = 1704067200;
  for (const char* path : {"openbadges/ob30/simple-jwt.png", "openbadges/ob30/simple-jwt.svg",
                           "openbadges/ob30/simple-jwt_v1.png"}) {
    auto baked = ExtractBakedCredential(ReadFile(SharedPath(path)));
    ASSERT_TRUE(baked.ok()) << path << ": " << baked.status().ToString();
    auto header = PeekJwsHeader(baked->payload);
    ASSERT_TRUE(header.ok()) << path;
    auto key = VerificationKey::FromJwk((*header)["jwk"]);
    ASSERT_TRUE(key.ok()) << path << ": " << key.status().ToString();
    auto verified = VerifyCredentialJwt(baked->payload, *key, kNow);
    ASSERT_TRUE(verified.ok()) << path << ": " << verified.status().ToString();
    EXPECT_EQ(verified->credential["credentialSubject"]["id"],
              "did:example:ebfeb1f712ebc6f1c276e12ec21")
        << path;
  }
}

TEST(VcJwtSamplesTest, Ob30SimpleJwtCarriesNoKey) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob30/simple.jwt");
  // ob30/simple.jwt (RS256, VC 1.1 "vc" claim) names neither kid nor jwk: its
  // key is not available offline, so only the structure can be checked.
  std::string jwt = ReadFile(SharedPath("openbadges/ob30/simple.jwt"));
  ASSERT_FALSE(jwt.empty());
  while (!jwt.empty() && (jwt.back() == '\n' || jwt.back() == '\r')) jwt.pop_back();
  auto header = PeekJwsHeader(jwt);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ((*header)["alg"], "RS256");
  EXPECT_FALSE(header->contains("kid"));
  EXPECT_FALSE(header->contains("jwk"));
  auto unrelated = *SigningKey::Generate(JwsAlgorithm::kRS256);
  EXPECT_FALSE(VerifyCompactJws(jwt, unrelated.PublicKey()).ok());
}

}  // namespace
}  // namespace cairn::credentials
