#include "server/handlers/wallet_handlers.h"

#include "credentials/credential_issuer.h"
#include "credentials/qr_svg.h"
#include "credentials/wallet_exchange.h"
#include "server/responses.h"

namespace cairn {

using nlohmann::json;

namespace {

const District* DistrictNamed(const Roster& roster, const std::string& sourced_id) {
  for (const District& d : roster.districts) {
    if (d.sourced_id == sourced_id) return &d;
  }
  return nullptr;
}

// The offer under `key`, as its newest journal entry says; nothing if none.
Result<std::optional<WalletExchange>> FindExchange(Store& store, Id district,
                                                   const std::string& key) {
  CAIRN_ASSIGN_OR_RETURN(auto entries, store.Journal(district, kWalletExchangeStream, key));
  if (entries.empty()) return std::optional<WalletExchange>();
  CAIRN_ASSIGN_OR_RETURN(WalletExchange x, ReadExchange(entries.back()));
  return std::optional<WalletExchange>(std::move(x));
}

// The answer to a wallet using an offer it no longer may; nothing when usable.
std::optional<HttpResponse> Unusable(const WalletExchange& x, Instant now) {
  if (x.delivered()) {
    return ErrorResponse(409, "failed_precondition", "exchange: already used; ask for a new offer",
                         "exchange");
  }
  if (now >= x.expires_at) {
    return ErrorResponse(410, "expired", "exchange: the offer expired; ask for a new one",
                         "exchange");
  }
  return std::nullopt;
}

}  // namespace

std::vector<GroupRoute<WalletHandlers>> WalletHandlers::Routes() {
  using G = WalletHandlers;
  return {
      {{"POST", "/api/v1/credentials/{credential}/wallet-offer", AccessRule::kSelf, true},
       &G::CreateOffer},
      {{"POST", "/issuers/{district}/exchanges/{exchange}", AccessRule::kPublic, false,
        Work::kSlow},
       &G::Exchange},
  };
}

HttpResponse WalletHandlers::CreateOffer(RequestContext& ctx) {
  Store& store = services_.Service().store();
  auto found = store.FindCredential(ctx.params.at("credential"));
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found)
    return ErrorResponse(404, "not_found", "credential: no such credential", "credential");
  const IssuedCredential c = **found;
  if (!services_.IssuanceBlocked().empty()) {
    return ErrorResponse(409, "failed_precondition", services_.IssuanceBlocked());
  }
  CredentialIssuer issuer = services_.Issuer(store);
  auto revocation = issuer.RevocationOf(c);
  if (!revocation.ok()) return ErrorResponse(revocation.status());
  if (revocation->revoked) {
    return ErrorResponse(
        409, "failed_precondition",
        "credential: revoked (" + revocation->reason + "); it cannot go to a wallet", "credential");
  }
  const IssuerUrls urls = issuer.UrlsFor(*ctx.roster, c.district_id);

  WalletExchange offer;
  offer.credential_uuid = c.uuid;
  offer.challenge = NewChallenge();
  offer.created_at = services_.Now();
  offer.expires_at = offer.created_at + kWalletOfferSeconds;
  const std::string secret = NewExchangeSecret();
  const std::string exchange_url = urls.Issuer() + "/exchanges/" + secret;
  const json interaction = WalletInteraction(urls.base, exchange_url);
  const std::string deep_link = LcwDeepLink(interaction);
  auto qr = QrCodeSvg(deep_link);
  if (!qr.ok()) return ErrorResponse(qr.status());
  JournalEntry entry =
      OfferEntry(c.district_id, c.student_id, ExchangeKey(secret), offer, ctx.who->person.id);
  return services_.Write(
      [entry = std::move(entry), out = json{
                                     {"credential", c.uuid},
                                     {"exchange_url", exchange_url},
                                     {"interaction", interaction},
                                     {"deep_link", deep_link},
                                     {"qr_svg", *qr},
                                     {"expires_at", FormatInstant(offer.expires_at)},
                                 }](CairnService& service) {
        auto ids = service.store().AppendJournal({entry});
        if (!ids.ok()) return ErrorResponse(ids.status());
        return JsonResponse(201, out);
      });
}

HttpResponse WalletHandlers::Exchange(RequestContext& ctx) {
  // The roster this request decided on (RequestContext), kept by the write.
  std::shared_ptr<const Roster> roster = ctx.roster;
  const District* district = DistrictNamed(*roster, ctx.params.at("district"));
  if (!district) return ErrorResponse(404, "not_found", "district: no such issuer", "district");
  const std::string key = ExchangeKey(ctx.params.at("exchange"));
  auto found = FindExchange(services_.Service().store(), district->id, key);
  if (!found.ok()) return ErrorResponse(found.status());
  if (!*found) return ErrorResponse(404, "not_found", "exchange: no such exchange", "exchange");
  const WalletExchange x = **found;
  if (auto refused = Unusable(x, services_.Now())) return *refused;

  CredentialIssuer issuer = services_.Issuer(services_.Service().store());
  const IssuerUrls urls = issuer.UrlsFor(*roster, district->id);
  const json* presentation = nullptr;
  if (ctx.body.is_object()) {
    if (auto it = ctx.body.find("verifiablePresentation"); it != ctx.body.end()) {
      presentation = &*it;
    }
  } else if (!ctx.body.is_null()) {
    return ErrorResponse(400, "invalid_argument", "body: expected a JSON object", "body");
  }
  // Step 2: what the wallet must prove.
  if (!presentation) return JsonResponse(200, PresentationRequest(x, urls.base));

  // Step 3: the proof, checked before the writer is bothered.
  credentials::DataIntegrity integrity(SharedJsonLdProcessor());
  auto holder = CheckDidAuthentication(integrity, *presentation, x.challenge, urls.base);
  if (!holder.ok()) return ErrorResponse(holder.status());
  return services_.Write(
      [this, roster, district_id = district->id, key, holder = *holder](CairnService& service) {
        // Again inside the transaction: two wallets racing get one delivery.
        auto now_found = FindExchange(service.store(), district_id, key);
        if (!now_found.ok()) return ErrorResponse(now_found.status());
        if (!*now_found)
          return ErrorResponse(404, "not_found", "exchange: no such exchange", "exchange");
        WalletExchange current = **now_found;
        if (auto refused = Unusable(current, services_.Now())) return *refused;
        auto c = service.store().FindCredential(current.credential_uuid);
        if (!c.ok()) return ErrorResponse(c.status());
        if (!*c)
          return ErrorResponse(404, "not_found", "credential: no such credential", "credential");
        auto copy = services_.Issuer(service.store()).HolderBoundCopy(*roster, **c, holder);
        if (!copy.ok()) return ErrorResponse(copy.status());
        current.holder = holder;
        current.delivered_uuid = copy->value("id", "").substr(9);  // after "urn:uuid:"
        current.delivered_at = services_.Now();
        auto ids = service.store().AppendJournal(
            {DeliveryEntry(district_id, (*c)->student_id, key, current, *copy)});
        if (!ids.ok()) return ErrorResponse(ids.status());
        return JsonResponse(200, DeliveryResponse(*copy, holder));
      });
}

}  // namespace cairn
