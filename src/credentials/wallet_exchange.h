// Handing a credential to the student's own wallet (issue #14), with the
// VC-API exchange the DCC Learner Credential Wallet speaks:
//
//   1. The student asks for an offer of one of their credentials. Cairn
//      keeps the offer in the journal (under the SHA-256 of a random secret)
//      and shows a QR code / link holding the exchange URL with the secret.
//   2. The wallet POSTs {} to the exchange URL and gets a
//      verifiablePresentationRequest: DIDAuthentication with a challenge.
//   3. The wallet POSTs a presentation signed by the holder's did:key for
//      that challenge (proof of control). Cairn signs a copy of the
//      credential with credentialSubject.id = that DID and answers it inside
//      a presentation. The offer is then used up.
//
// Why a copy rather than the stored credential: the stored one identifies
// the student by hashed email (what Canvas Credentials and LinkedIn match),
// and a wallet needs the subject bound to its own key. The copy keeps the
// stored credential's status entry, so revoking the award revokes both.
//
// The secret is the only credential the wallet needs (a bearer capability):
// it is never stored, offers expire after kWalletOfferSeconds, and each is
// used once. Everything here is pure (no I/O) except the random secret.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"
#include "credentials/data_integrity.h"
#include "roster/roster.h"
#include "store/journal_store.h"

namespace cairn {

inline constexpr std::string_view kWalletExchangeStream = "wallet-exchange";
inline constexpr Instant kWalletOfferSeconds = 15 * 60;

// One offer and, once used, what it delivered.
struct WalletExchange {
  std::string credential_uuid;  // the stored credential offered
  std::string challenge;        // the nonce the holder's proof must carry
  Instant created_at = 0;
  Instant expires_at = 0;
  std::string holder;          // the DID the wallet proved control of
  std::string delivered_uuid;  // the copy bound to it
  Instant delivered_at = 0;

  bool delivered() const { return !holder.empty(); }
};

// 32 random bytes, base64url: the capability the exchange URL carries.
std::string NewExchangeSecret();
// A fresh challenge (16 random bytes, base64url).
std::string NewChallenge();
// The journal key of an offer: the hex SHA-256 of its secret.
std::string ExchangeKey(std::string_view secret);

// The entries that record an offer and its delivery (with the signed copy).
JournalEntry OfferEntry(Id district, Id student, std::string_view key, const WalletExchange& offer,
                        Id recorded_by);
JournalEntry DeliveryEntry(Id district, Id student, std::string_view key,
                           const WalletExchange& exchange, const nlohmann::json& credential);
// An entry of the stream back; kInternal naming the journal id if unreadable.
Result<WalletExchange> ReadExchange(const JournalEntry& entry);

// What the wallet is handed (QR code or link):
// {"credentialRequestOrigin": origin, "protocols": {"vcapi": exchange_url}}.
nlohmann::json WalletInteraction(std::string_view origin, std::string_view exchange_url);
// The Learner Credential Wallet's universal link for an interaction
// ("https://lcw.app/request.html?request=<percent-encoded JSON>").
std::string LcwDeepLink(const nlohmann::json& interaction);
// Step 2's answer: {"verifiablePresentationRequest": {query DIDAuthentication
// for did:key, challenge, domain}}.
nlohmann::json PresentationRequest(const WalletExchange& exchange, std::string_view domain);
// Step 3's answer: the credential inside an (unsigned) presentation.
nlohmann::json DeliveryResponse(const nlohmann::json& credential, std::string_view holder);

// Checks a holder's proof of control: a VerifiablePresentation with a Data
// Integrity proof (eddsa-rdfc-2022 or Ed25519Signature2020) whose purpose
// is "authentication", whose challenge is `challenge`, whose domain (when it
// has one) is `domain`, made with a did:key Ed25519 key; `holder`, when
// given, must be that DID. Returns the DID. kInvalidArgument naming the
// field (verifiablePresentation.proof.challenge, ...) otherwise.
Result<std::string> CheckDidAuthentication(const credentials::DataIntegrity& integrity,
                                           const nlohmann::json& presentation,
                                           std::string_view challenge, std::string_view domain);

}  // namespace cairn
