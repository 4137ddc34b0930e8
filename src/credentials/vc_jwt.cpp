#include "credentials/vc_jwt.h"

#include "common/json_limits.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <optional>

#include "credentials/base64url.h"

namespace cairn::credentials {
namespace {

constexpr std::size_t kP256FieldBytes = 32;
constexpr int kMinRsaBits = 2048;
constexpr std::size_t kMaxPemBytes = 64 * 1024;

// --- small RAII helpers ------------------------------------------------------

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;

std::shared_ptr<evp_pkey_st> Own(EVP_PKEY* key) {
  return std::shared_ptr<evp_pkey_st>(key, [](EVP_PKEY* k) { EVP_PKEY_free(k); });
}

// OpenSSL keeps a per-thread error queue; drain it so a failure here does not
// surface in unrelated code later, and keep the first reason for the message.
std::string TakeOpenSslError() {
  unsigned long code = ERR_get_error();
  std::string reason;
  if (code != 0) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    reason = buffer.data();
  }
  ERR_clear_error();
  return reason;
}

Status OpenSslFailure(std::string_view what) {
  std::string reason = TakeOpenSslError();
  return Status::Internal(std::string(what) + (reason.empty() ? "" : ": " + reason));
}

BioPtr MemoryBio(std::string_view bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string();
}

// Which JWS algorithm a key can serve, refusing weak or unexpected keys.
Result<JwsAlgorithm> AlgorithmOf(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "EC")) {
    std::array<char, 64> group{};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(),
                                       &length) != 1) {
      TakeOpenSslError();
      return Status::Invalid("EC key without a named curve");
    }
    std::string_view name(group.data(), length);
    if (name != "prime256v1" && name != "P-256") {
      return Status::Invalid("EC key on curve " + std::string(name) + ", expected P-256");
    }
    return JwsAlgorithm::kES256;
  }
  if (EVP_PKEY_is_a(key, "RSA")) {
    if (EVP_PKEY_get_bits(key) < kMinRsaBits) {
      return Status::Invalid("RSA key of " + std::to_string(EVP_PKEY_get_bits(key)) +
                             " bits; at least 2048 required");
    }
    return JwsAlgorithm::kRS256;
  }
  return Status::Invalid("unsupported key type (need EC P-256 or RSA)");
}

// --- ECDSA signature format: DER (OpenSSL) <-> raw R||S (JOSE) -------------

Result<std::string> DerToRaw(std::string_view der) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (!sig) return OpenSslFailure("decoding ECDSA signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kP256FieldBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kP256FieldBytes) < 0 ||
      BN_bn2binpad(s, out + kP256FieldBytes, kP256FieldBytes) < 0) {
    return OpenSslFailure("encoding ECDSA signature");
  }
  return raw;
}

Result<std::string> RawToDer(std::string_view raw) {
  if (raw.size() != 2 * kP256FieldBytes) {
    return Status::Invalid("ES256 signature must be 64 bytes, got " + std::to_string(raw.size()));
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BnPtr r(BN_bin2bn(bytes, kP256FieldBytes, nullptr));
  BnPtr s(BN_bin2bn(bytes + kP256FieldBytes, kP256FieldBytes, nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return OpenSslFailure("building ECDSA signature");
  }
  r.release();  // owned by sig now
  s.release();
  int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) return OpenSslFailure("encoding ECDSA signature");
  std::string der(static_cast<std::size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

Result<std::string> SignBytes(EVP_PKEY* key, JwsAlgorithm algorithm, std::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
    return OpenSslFailure("EVP_DigestSignInit");
  }
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  std::size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) != 1) {
    return OpenSslFailure("EVP_DigestSign");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     input.size()) != 1) {
    return OpenSslFailure("EVP_DigestSign");
  }
  signature.resize(length);
  if (algorithm == JwsAlgorithm::kES256) return DerToRaw(signature);
  return signature;
}

Status VerifyBytes(EVP_PKEY* key, JwsAlgorithm algorithm, std::string_view input,
                   std::string_view signature) {
  std::string der;
  if (algorithm == JwsAlgorithm::kES256) {
    CAIRN_ASSIGN_OR_RETURN(der, RawToDer(signature));
    signature = der;
  } else if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key))) {
    return Status::Invalid("RS256 signature length does not match the key");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
    return OpenSslFailure("EVP_DigestVerifyInit");
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(input.data()),
                            input.size());
  TakeOpenSslError();
  if (rc != 1) return Status::Invalid("JWS signature does not verify");
  return Status::Ok();
}

// --- JSON helpers ------------------------------------------------------------

Result<nlohmann::json> ParseJsonObject(std::string_view text, std::string_view what) {
  auto parsed = ParseUntrustedJsonOrDiscarded(text);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Status::Invalid(std::string(what) + " is not a JSON object");
  }
  return parsed;
}

Result<std::string> DumpJson(const nlohmann::json& value) {
  try {
    return value.dump();
  } catch (const nlohmann::json::exception& error) {
    return Status::Invalid(std::string("cannot serialize JSON: ") + error.what());
  }
}

struct JwsParts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
};

Result<JwsParts> SplitJws(std::string_view jws) {
  if (jws.size() > kMaxJwsBytes) return Status::Invalid("JWS is too large");
  std::size_t first = jws.find('.');
  std::size_t second = first == std::string_view::npos ? first : jws.find('.', first + 1);
  if (second == std::string_view::npos || jws.find('.', second + 1) != std::string_view::npos) {
    return Status::Invalid("not a compact JWS (expected header.payload.signature)");
  }
  return JwsParts{jws.substr(0, first), jws.substr(first + 1, second - first - 1),
                  jws.substr(second + 1)};
}

Result<nlohmann::json> DecodeHeader(std::string_view encoded) {
  auto bytes = Base64UrlDecode(encoded);
  if (!bytes.ok()) return Status::Invalid("JWS header: " + bytes.status().message());
  return ParseJsonObject(*bytes, "JWS header");
}

const std::string* StringMember(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

// issuer may be a URI string or a Profile object with "id".
const std::string* IssuerId(const nlohmann::json& credential) {
  auto issuer = credential.find("issuer");
  if (issuer == credential.end()) return nullptr;
  if (issuer->is_string()) return &issuer->get_ref<const std::string&>();
  if (issuer->is_object()) return StringMember(*issuer, "id");
  return nullptr;
}

const std::string* SubjectId(const nlohmann::json& credential) {
  auto subject = credential.find("credentialSubject");
  if (subject == credential.end() || !subject->is_object()) return nullptr;
  return StringMember(*subject, "id");
}

Result<std::optional<Instant>> DateMember(const nlohmann::json& credential,
                                          std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = credential.find(key);
    if (it == credential.end()) continue;
    if (!it->is_string()) return Status::Invalid(std::string(key) + " is not a string");
    auto instant = ParseDateTime(it->get_ref<const std::string&>());
    if (!instant.ok()) return Status::Invalid(std::string(key) + ": " + instant.status().message());
    return std::optional<Instant>(*instant);
  }
  return std::optional<Instant>();
}

Result<std::optional<Instant>> NumericDateClaim(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<Instant>();
  if (!it->is_number()) return Status::Invalid(std::string(name) + " claim is not a NumericDate");
  double value = it->get<double>();
  if (!std::isfinite(value) || value < -1e15 || value > 1e15) {
    return Status::Invalid(std::string(name) + " claim is out of range");
  }
  return std::optional<Instant>(static_cast<Instant>(std::floor(value)));
}

constexpr std::array<const char*, 6> kRegisteredClaims = {"iss", "jti", "sub", "nbf", "exp", "iat"};

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

// --- algorithms --------------------------------------------------------------

std::string_view JwsAlgorithmName(JwsAlgorithm algorithm) {
  return algorithm == JwsAlgorithm::kES256 ? "ES256" : "RS256";
}

Result<JwsAlgorithm> ParseJwsAlgorithm(std::string_view name) {
  if (name == "ES256") return JwsAlgorithm::kES256;
  if (name == "RS256") return JwsAlgorithm::kRS256;
  std::string lowered(name);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lowered == "none") return Status::Invalid("alg 'none' (unsecured JWS) is refused");
  return Status::Invalid("unsupported JWS alg '" + std::string(name) + "'");
}

// --- keys --------------------------------------------------------------------

Result<VerificationKey> VerificationKey::FromJwk(const nlohmann::json& jwk) {
  if (!jwk.is_object()) return Status::Invalid("JWK is not a JSON object");
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
    if (jwk.contains(secret)) {
      return Status::Invalid(std::string("JWK contains private key member '") + secret + "'");
    }
  }
  const std::string* kty = StringMember(jwk, "kty");
  if (kty == nullptr) return Status::Invalid("JWK has no kty");
  EVP_PKEY* raw_key = nullptr;
  if (*kty == "EC") {
    const std::string* crv = StringMember(jwk, "crv");
    const std::string* x = StringMember(jwk, "x");
    const std::string* y = StringMember(jwk, "y");
    if (crv == nullptr || *crv != "P-256") return Status::Invalid("EC JWK crv must be P-256");
    if (x == nullptr || y == nullptr) return Status::Invalid("EC JWK needs x and y");
    auto x_bytes = Base64UrlDecode(*x);
    auto y_bytes = Base64UrlDecode(*y);
    if (!x_bytes.ok() || !y_bytes.ok() || x_bytes->size() != kP256FieldBytes ||
        y_bytes->size() != kP256FieldBytes) {
      return Status::Invalid("EC JWK x and y must be 32-byte base64url values");
    }
    std::string point = "\x04" + *x_bytes + *y_bytes;  // uncompressed SEC1 point
    std::array<char, 11> group = {"prime256v1"};
    std::array<OSSL_PARAM, 3> params = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
        OSSL_PARAM_construct_end()};
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw_key, EVP_PKEY_PUBLIC_KEY, params.data()) != 1) {
      TakeOpenSslError();
      return Status::Invalid("EC JWK is not a valid P-256 public key");
    }
  } else if (*kty == "RSA") {
    const std::string* n = StringMember(jwk, "n");
    const std::string* e = StringMember(jwk, "e");
    if (n == nullptr || e == nullptr) return Status::Invalid("RSA JWK needs n and e");
    auto n_bytes = Base64UrlDecode(*n);
    auto e_bytes = Base64UrlDecode(*e);
    if (!n_bytes.ok() || !e_bytes.ok() || n_bytes->empty() || e_bytes->empty() ||
        n_bytes->size() > 2048 || e_bytes->size() > 8) {
      return Status::Invalid("RSA JWK n and e must be base64url big-endian integers");
    }
    BnPtr n_bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(n_bytes->data()),
                         static_cast<int>(n_bytes->size()), nullptr));
    BnPtr e_bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(e_bytes->data()),
                         static_cast<int>(e_bytes->size()), nullptr));
    ParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (!n_bn || !e_bn || !builder ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()) != 1) {
      return OpenSslFailure("building RSA parameters");
    }
    ParamPtr params(OSSL_PARAM_BLD_to_param(builder.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw_key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
      TakeOpenSslError();
      return Status::Invalid("RSA JWK is not a valid public key");
    }
  } else {
    return Status::Invalid("unsupported JWK kty '" + *kty + "'");
  }
  std::shared_ptr<evp_pkey_st> key = Own(raw_key);
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    TakeOpenSslError();
    return Status::Invalid("JWK public key fails validation (point not on curve?)");
  }
  CAIRN_ASSIGN_OR_RETURN(JwsAlgorithm algorithm, AlgorithmOf(key.get()));
  return VerificationKey(std::move(key), algorithm);
}

Result<VerificationKey> VerificationKey::FromSpkiPem(std::string_view pem) {
  if (pem.empty() || pem.size() > kMaxPemBytes) return Status::Invalid("PEM size out of range");
  BioPtr bio = MemoryBio(pem);
  EVP_PKEY* raw_key = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (raw_key == nullptr) {
    TakeOpenSslError();
    return Status::Invalid("not a PEM SubjectPublicKeyInfo (BEGIN PUBLIC KEY)");
  }
  std::shared_ptr<evp_pkey_st> key = Own(raw_key);
  CAIRN_ASSIGN_OR_RETURN(JwsAlgorithm algorithm, AlgorithmOf(key.get()));
  return VerificationKey(std::move(key), algorithm);
}

Result<nlohmann::json> VerificationKey::ToJwk(std::string_view kid) const {
  nlohmann::json jwk;
  auto export_bn = [&](const char* param, std::size_t pad) -> Result<std::string> {
    BIGNUM* raw_bn = nullptr;
    if (EVP_PKEY_get_bn_param(key_.get(), param, &raw_bn) != 1) {
      return OpenSslFailure("reading key parameter");
    }
    BnPtr bn(raw_bn);
    std::size_t size = pad != 0 ? pad : static_cast<std::size_t>(BN_num_bytes(bn.get()));
    std::string bytes(size, '\0');
    if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()),
                     static_cast<int>(size)) < 0) {
      return OpenSslFailure("encoding key parameter");
    }
    return Base64UrlEncode(bytes);
  };
  if (algorithm_ == JwsAlgorithm::kES256) {
    CAIRN_ASSIGN_OR_RETURN(std::string x, export_bn(OSSL_PKEY_PARAM_EC_PUB_X, kP256FieldBytes));
    CAIRN_ASSIGN_OR_RETURN(std::string y, export_bn(OSSL_PKEY_PARAM_EC_PUB_Y, kP256FieldBytes));
    jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", x}, {"y", y}};
  } else {
    CAIRN_ASSIGN_OR_RETURN(std::string n, export_bn(OSSL_PKEY_PARAM_RSA_N, 0));
    CAIRN_ASSIGN_OR_RETURN(std::string e, export_bn(OSSL_PKEY_PARAM_RSA_E, 0));
    jwk = {{"kty", "RSA"}, {"n", n}, {"e", e}};
  }
  if (!kid.empty()) jwk["kid"] = std::string(kid);
  return jwk;
}

Result<std::string> VerificationKey::ToSpkiPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    return OpenSslFailure("writing public key PEM");
  }
  return BioContents(bio.get());
}

Result<SigningKey> SigningKey::Generate(JwsAlgorithm algorithm) {
  EVP_PKEY* raw_key = nullptr;
  if (algorithm == JwsAlgorithm::kES256) {
    raw_key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else {
    raw_key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(kMinRsaBits));
  }
  if (raw_key == nullptr) return OpenSslFailure("key generation");
  return SigningKey(Own(raw_key), algorithm);
}

namespace {
// Refuses encrypted PEM instead of letting OpenSSL prompt on the terminal.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return -1; }
}  // namespace

Result<SigningKey> SigningKey::FromPkcs8Pem(std::string_view pem) {
  if (pem.empty() || pem.size() > kMaxPemBytes) return Status::Invalid("PEM size out of range");
  BioPtr bio = MemoryBio(pem);
  EVP_PKEY* raw_key =
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr) : nullptr;
  if (raw_key == nullptr) {
    TakeOpenSslError();
    return Status::Invalid("not an unencrypted PEM private key (BEGIN PRIVATE KEY)");
  }
  std::shared_ptr<evp_pkey_st> key = Own(raw_key);
  CAIRN_ASSIGN_OR_RETURN(JwsAlgorithm algorithm, AlgorithmOf(key.get()));
  return SigningKey(std::move(key), algorithm);
}

Result<std::string> SigningKey::ToPkcs8Pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr,
                                            nullptr) != 1) {
    return OpenSslFailure("writing PKCS#8 PEM");
  }
  return BioContents(bio.get());
}

// --- compact JWS ---------------------------------------------------------------

Result<std::string> SignCompactJws(const nlohmann::json& header, std::string_view payload,
                                   const SigningKey& key) {
  if (!header.is_object()) return Status::Invalid("JWS header must be a JSON object");
  nlohmann::json protected_header = header;
  protected_header["alg"] = std::string(JwsAlgorithmName(key.algorithm()));
  CAIRN_ASSIGN_OR_RETURN(std::string header_json, DumpJson(protected_header));
  std::string signing_input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload);
  CAIRN_ASSIGN_OR_RETURN(std::string signature,
                         SignBytes(key.key_.get(), key.algorithm(), signing_input));
  return signing_input + "." + Base64UrlEncode(signature);
}

Result<nlohmann::json> PeekJwsHeader(std::string_view jws) {
  CAIRN_ASSIGN_OR_RETURN(JwsParts parts, SplitJws(jws));
  return DecodeHeader(parts.header);
}

Result<VerifiedJws> VerifyCompactJws(std::string_view jws, const VerificationKey& key) {
  CAIRN_ASSIGN_OR_RETURN(JwsParts parts, SplitJws(jws));
  CAIRN_ASSIGN_OR_RETURN(nlohmann::json header, DecodeHeader(parts.header));
  const std::string* alg = StringMember(header, "alg");
  if (alg == nullptr) return Status::Invalid("JWS header has no alg");
  CAIRN_ASSIGN_OR_RETURN(JwsAlgorithm algorithm, ParseJwsAlgorithm(*alg));
  if (algorithm != key.algorithm()) {
    return Status::Invalid("JWS alg " + *alg + " does not match the expected " +
                           std::string(JwsAlgorithmName(key.algorithm())));
  }
  if (header.contains("crit")) {
    return Status::Invalid("JWS header has crit parameters, none of which are supported");
  }
  auto signature = Base64UrlDecode(parts.signature);
  if (!signature.ok()) return Status::Invalid("JWS signature: " + signature.status().message());
  auto payload = Base64UrlDecode(parts.payload);
  if (!payload.ok()) return Status::Invalid("JWS payload: " + payload.status().message());
  std::string_view signing_input = jws.substr(0, parts.header.size() + 1 + parts.payload.size());
  CAIRN_RETURN_IF_ERROR(VerifyBytes(key.key_.get(), algorithm, signing_input, *signature));
  return VerifiedJws{std::move(header), std::move(payload).value()};
}

// --- OB 3.0 VC-JWT -------------------------------------------------------------

Result<std::string> SignCredentialJwt(const nlohmann::json& credential, const SigningKey& key,
                                      std::string_view kid, bool embed_jwk) {
  if (!credential.is_object()) return Status::Invalid("credential must be a JSON object");
  for (const char* claim : kRegisteredClaims) {
    if (credential.contains(claim)) {
      return Status::Invalid(std::string("credential already has a '") + claim + "' member");
    }
  }
  const std::string* issuer = IssuerId(credential);
  const std::string* id = StringMember(credential, "id");
  if (issuer == nullptr) return Status::Invalid("credential has no issuer id");
  if (id == nullptr) return Status::Invalid("credential has no id");
  CAIRN_ASSIGN_OR_RETURN(std::optional<Instant> valid_from,
                         DateMember(credential, {"validFrom", "issuanceDate"}));
  if (!valid_from) return Status::Invalid("credential has no validFrom");
  CAIRN_ASSIGN_OR_RETURN(std::optional<Instant> valid_until,
                         DateMember(credential, {"validUntil", "expirationDate"}));

  nlohmann::json claims = credential;
  claims["iss"] = *issuer;
  claims["jti"] = *id;
  if (const std::string* subject = SubjectId(credential)) claims["sub"] = *subject;
  claims["nbf"] = *valid_from;
  if (valid_until) claims["exp"] = *valid_until;

  nlohmann::json header = {{"typ", "JWT"}};
  if (!kid.empty()) header["kid"] = std::string(kid);
  if (kid.empty() || embed_jwk) {
    CAIRN_ASSIGN_OR_RETURN(header["jwk"], key.PublicJwk());
  }
  CAIRN_ASSIGN_OR_RETURN(std::string payload, DumpJson(claims));
  return SignCompactJws(header, payload, key);
}

Result<VerifiedCredentialJwt> VerifyCredentialJwt(std::string_view jwt, const VerificationKey& key,
                                                  Instant now, std::int64_t leeway_seconds) {
  CAIRN_ASSIGN_OR_RETURN(VerifiedJws jws, VerifyCompactJws(jwt, key));
  if (const std::string* typ = StringMember(jws.header, "typ")) {
    std::string lowered = *typ;
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered != "jwt" && lowered != "vc+jwt") {
      return Status::Invalid("JWT typ '" + *typ + "' is not JWT");
    }
  }
  VerifiedCredentialJwt result;
  result.header = std::move(jws.header);
  CAIRN_ASSIGN_OR_RETURN(result.claims, ParseJsonObject(jws.payload, "JWT payload"));
  const nlohmann::json& claims = result.claims;

  auto legacy = claims.find("vc");
  if (legacy != claims.end()) {
    if (!legacy->is_object()) return Status::Invalid("JWT vc claim is not an object");
    result.credential = *legacy;
  } else {
    result.credential = claims;
    for (const char* claim : kRegisteredClaims) result.credential.erase(claim);
  }
  const nlohmann::json& credential = result.credential;

  CAIRN_ASSIGN_OR_RETURN(std::optional<Instant> nbf, NumericDateClaim(claims, "nbf"));
  CAIRN_ASSIGN_OR_RETURN(std::optional<Instant> exp, NumericDateClaim(claims, "exp"));
  if (!nbf) return Status::Invalid("JWT has no nbf claim");
  if (now + leeway_seconds < *nbf) {
    return Status::Invalid("credential is not valid before " + FormatInstant(*nbf));
  }
  if (exp && now - leeway_seconds >= *exp) {
    return Status::Invalid("credential expired at " + FormatInstant(*exp));
  }

  const std::string* iss = StringMember(claims, "iss");
  const std::string* issuer = IssuerId(credential);
  if (iss == nullptr || issuer == nullptr || *iss != *issuer) {
    return Status::Invalid("JWT iss does not match the credential issuer id");
  }
  const std::string* jti = StringMember(claims, "jti");
  const std::string* id = StringMember(credential, "id");
  if (jti == nullptr || id == nullptr || *jti != *id) {
    return Status::Invalid("JWT jti does not match the credential id");
  }
  const std::string* sub = StringMember(claims, "sub");
  const std::string* subject = SubjectId(credential);
  // sub is optional in practice (1EdTech's own baked samples omit it); when
  // present it must name the subject.
  if (sub != nullptr && (subject == nullptr || *sub != *subject)) {
    return Status::Invalid("JWT sub does not match credentialSubject.id");
  }
  CAIRN_ASSIGN_OR_RETURN(std::optional<Instant> valid_from,
                         DateMember(credential, {"validFrom", "issuanceDate"}));
  if (valid_from && *valid_from != *nbf) {
    return Status::Invalid("JWT nbf does not match the credential validFrom");
  }
  CAIRN_ASSIGN_OR_RETURN(std::optional<Instant> valid_until,
                         DateMember(credential, {"validUntil", "expirationDate"}));
  if (valid_until != exp) {
    return Status::Invalid("JWT exp does not match the credential validUntil");
  }
  return result;
}

Result<Instant> ParseDateTime(std::string_view text) {
  auto bad = [&] {
    return Status::Invalid("expected an RFC 3339 date-time, got '" + std::string(text) + "'");
  };
  if (text.size() < 20 || text.size() > 40 || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':' || text[16] != ':') {
    return bad();
  }
  auto day = ParseDate(text.substr(0, 10));
  if (!day.ok()) return bad();
  std::string_view hh = text.substr(11, 2), mm = text.substr(14, 2), ss = text.substr(17, 2);
  if (!IsDigits(hh) || !IsDigits(mm) || !IsDigits(ss)) return bad();
  int hour = ToInt(hh), minute = ToInt(mm), second = ToInt(ss);
  if (hour > 23 || minute > 59 || second > 60) return bad();  // 60: leap second
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 1) return bad();
    rest.remove_prefix(digits);
  }
  Instant offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
             IsDigits(rest.substr(1, 2)) && IsDigits(rest.substr(4, 2))) {
    int oh = ToInt(rest.substr(1, 2)), om = ToInt(rest.substr(4, 2));
    if (oh > 23 || om > 59) return bad();
    offset = (rest[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else {
    return bad();
  }
  return StartOf(*day) + hour * 3600 + minute * 60 + second - offset;
}

}  // namespace cairn::credentials
