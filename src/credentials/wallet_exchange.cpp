#include "credentials/wallet_exchange.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "credentials/base64url.h"
#include "credentials/rdfc.h"

namespace cairn {

using nlohmann::json;

namespace {

std::string RandomBase64Url(std::size_t bytes) {
  if (sodium_init() < 0) return {};
  std::string buf(bytes, '\0');
  randombytes_buf(buf.data(), buf.size());
  std::string out = credentials::Base64UrlEncode(buf);
  sodium_memzero(buf.data(), buf.size());
  return out;
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string StringAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Status Bad(const std::string& field, std::string message) {
  return Status::InvalidField("verifiablePresentation" + field, std::move(message));
}

}  // namespace

std::string NewExchangeSecret() { return RandomBase64Url(32); }
std::string NewChallenge() { return RandomBase64Url(16); }
std::string ExchangeKey(std::string_view secret) { return rdf::Sha256Hex(secret); }

JournalEntry OfferEntry(Id district, Id student, std::string_view key, const WalletExchange& offer,
                        Id recorded_by) {
  JournalEntry e;
  e.district_id = district;
  e.stream = std::string(kWalletExchangeStream);
  e.key = std::string(key);
  e.student_id = student;
  e.recorded_by = recorded_by;
  e.recorded_at = offer.created_at;
  e.body = json{{"state", "offered"},
                {"credential", offer.credential_uuid},
                {"challenge", offer.challenge},
                {"created_at", FormatInstant(offer.created_at)},
                {"expires_at", FormatInstant(offer.expires_at)}}
               .dump();
  return e;
}

JournalEntry DeliveryEntry(Id district, Id student, std::string_view key,
                           const WalletExchange& exchange, const json& credential) {
  JournalEntry e;
  e.district_id = district;
  e.stream = std::string(kWalletExchangeStream);
  e.key = std::string(key);
  e.student_id = student;
  e.recorded_by = student;  // the student's wallet, holding the student's offer
  e.recorded_at = exchange.delivered_at;
  e.body = json{{"state", "delivered"},
                {"credential", exchange.credential_uuid},
                {"challenge", exchange.challenge},
                {"created_at", FormatInstant(exchange.created_at)},
                {"expires_at", FormatInstant(exchange.expires_at)},
                {"holder", exchange.holder},
                {"delivered", exchange.delivered_uuid},
                {"delivered_at", FormatInstant(exchange.delivered_at)},
                {"copy", credential}}
               .dump();
  return e;
}

Result<WalletExchange> ReadExchange(const JournalEntry& entry) {
  const std::string where = "journal entry " + std::to_string(entry.id) + ": ";
  json body = json::parse(entry.body, nullptr, false);
  if (!body.is_object()) return Status::Internal(where + "not a JSON object");
  WalletExchange x;
  x.credential_uuid = StringAt(body, "credential");
  x.challenge = StringAt(body, "challenge");
  auto created = ParseInstant(StringAt(body, "created_at"));
  auto expires = ParseInstant(StringAt(body, "expires_at"));
  if (x.credential_uuid.empty() || x.challenge.empty() || !created.ok() || !expires.ok()) {
    return Status::Internal(where + "not a wallet offer");
  }
  x.created_at = *created;
  x.expires_at = *expires;
  if (StringAt(body, "state") == "delivered") {
    x.holder = StringAt(body, "holder");
    x.delivered_uuid = StringAt(body, "delivered");
    auto at = ParseInstant(StringAt(body, "delivered_at"));
    if (x.holder.empty() || !at.ok()) return Status::Internal(where + "delivery without holder");
    x.delivered_at = *at;
  }
  return x;
}

json WalletInteraction(std::string_view origin, std::string_view exchange_url) {
  return json{{"credentialRequestOrigin", origin}, {"protocols", {{"vcapi", exchange_url}}}};
}

std::string LcwDeepLink(const json& interaction) {
  return "https://lcw.app/request.html?request=" + PercentEncode(interaction.dump());
}

json PresentationRequest(const WalletExchange& exchange, std::string_view domain) {
  return json{
      {"verifiablePresentationRequest",
       {{"query", json::array({{{"type", "DIDAuthentication"},
                                {"acceptedMethods", json::array({{{"method", "key"}}})},
                                {"acceptedCryptosuites",
                                 json::array({{{"cryptosuite", "eddsa-rdfc-2022"}},
                                              {{"cryptosuite", "Ed25519Signature2020"}}})}}})},
        {"challenge", exchange.challenge},
        {"domain", domain}}}};
}

json DeliveryResponse(const json& credential, std::string_view holder) {
  return json{{"verifiablePresentation",
               {{"@context", json::array({"https://www.w3.org/ns/credentials/v2"})},
                {"type", json::array({"VerifiablePresentation"})},
                {"holder", holder},
                {"verifiableCredential", json::array({credential})}}}};
}

Result<std::string> CheckDidAuthentication(const credentials::DataIntegrity& integrity,
                                           const json& presentation, std::string_view challenge,
                                           std::string_view domain) {
  if (!presentation.is_object()) return Bad("", "expected a JSON object");
  const json& type = presentation.contains("type") ? presentation["type"] : json();
  const bool is_presentation =
      (type.is_string() && type == "VerifiablePresentation") ||
      (type.is_array() &&
       std::find(type.begin(), type.end(), "VerifiablePresentation") != type.end());
  if (!is_presentation) return Bad(".type", "expected \"VerifiablePresentation\"");
  if (!presentation.contains("proof"))
    return Bad(".proof", "missing: sign it with the holder's key");
  // The one proof that answers this request; others (a wallet may add more)
  // must still verify below.
  const json& raw = presentation["proof"];
  const json proofs = raw.is_array() ? raw : json::array({raw});
  const json* answer = nullptr;
  for (const json& p : proofs) {
    if (p.is_object() && StringAt(p, "proofPurpose") == "authentication") answer = &p;
  }
  if (!answer) return Bad(".proof.proofPurpose", "expected \"authentication\"");
  if (StringAt(*answer, "challenge") != challenge) {
    return Bad(".proof.challenge", "does not match this exchange's challenge");
  }
  if (answer->contains("domain") && StringAt(*answer, "domain") != domain) {
    return Bad(".proof.domain", "expected \"" + std::string(domain) + "\"");
  }
  const std::string method = StringAt(*answer, "verificationMethod");
  if (method.rfind("did:key:", 0) != 0) {
    return Bad(".proof.verificationMethod", "expected a did:key verification method");
  }
  const std::string did = method.substr(0, method.find('#'));
  if (presentation.contains("holder")) {
    const json& h = presentation["holder"];
    const std::string holder = h.is_string()   ? h.get<std::string>()
                               : h.is_object() ? StringAt(h, "id")
                                               : std::string();
    if (holder != did) return Bad(".holder", "is not the DID that signed the proof");
  }
  const credentials::VerifyReport report = integrity.Verify(
      presentation, [](std::string_view m) { return credentials::ResolveDidKey(m); });
  if (!report.verified()) return Bad(".proof", report.ToStatus().message());
  return did;
}

}  // namespace cairn
