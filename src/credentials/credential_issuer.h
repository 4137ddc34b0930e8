// Issues, publishes and revokes the verifiable credentials of awarded badges.
//
// - Every confirmed award gets one signed OpenBadgeCredential (OB 3.0,
//   eddsa-rdfc-2022), stored exactly as issued. IssuePending() is called in
//   the same transaction as the award, so an award never lacks its credential.
// - Keys: one active Ed25519 key per district (created on first use), listed
//   with every retired key in the issuer's controller document, so rotation
//   never breaks old credentials. A P-256 key signs VC-JWTs.
// - Revocation: revoking the award (an append-only fact) sets the
//   credential's bit in one of the district's Bitstring Status Lists, which
//   are built and signed on request. A district has as many lists as it
//   needs (StatusListPolicy); issuing finds a free entry with a few indexed
//   lookups, never by reading the district's credentials.
//
// Not thread-safe: one per Store, like the Store. Writes happen within the
// caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "credentials/key_vault.h"
#include "credentials/open_badge.h"
#include "roster/roster.h"
#include "store/credential_records.h"
#include "store/store.h"

namespace cairn {

namespace jsonld {
class Processor;
}

// The JSON-LD processor over the contexts bundled with Cairn: shared by every
// signer and verifier in the process (it caches processed contexts).
const jsonld::Processor& SharedJsonLdProcessor();

// The standards the badge's CPEs are crosswalked to (standards_store.h),
// for its Achievement's alignments: current links to items of current
// framework versions, in CPE order; a link to an item no current framework
// has is left out.
Result<std::vector<StandardAlignment>> StandardAlignmentsOf(StandardsStore& store,
                                                            const Badge& badge);

// Where new credentials' revocation entries go. Entries are taken at random
// positions of the district's newest list, so neighbouring bits say nothing
// about who was awarded when; once `fill_limit` of a list's entries are taken
// (or `probes` random positions in a row were taken) the next list opens, so
// a free position is found in a few tries.
struct StatusListPolicy {
  std::int64_t entries = kStatusListEntries;  // positions used per list (tests use fewer)
  std::int64_t fill_limit = kStatusListEntries / 4 * 3;
  int probes = 64;  // at 3/4 full, all 64 taken has a chance of 1e-8
};

struct IssuerOptions {
  std::string public_url;  // "http://localhost:8080"; no trailing slash
  Clock clock;
  StatusListPolicy status_lists = {};
};

class CredentialIssuer {
 public:
  CredentialIssuer(Store& store, const KeyVault& vault, IssuerOptions options)
      : store_(store), vault_(vault), options_(std::move(options)) {}

  // Credentials for the student's confirmed awards that have none yet.
  Result<std::vector<IssuedCredential>> IssuePending(const Catalog& catalog, const Roster& roster,
                                                     Id student);

  IssuerUrls UrlsFor(const Roster& roster, Id district) const;
  Result<IssuerInfo> InfoFor(const Roster& roster, Id district);

  // The active Ed25519 key (created when the district has none).
  Result<StoredKey> ActiveKey(Id district, KeyAlgorithm algorithm);
  // Retires the active Ed25519 key and creates the next one.
  Result<StoredKey> RotateKey(Id district);

  Result<nlohmann::json> ControllerDocument(const Roster& roster, Id district);
  // The signed BitstringStatusListCredential of the revocations in one of
  // the district's lists. kNotFound for a list the district has not opened
  // (list 0 always exists).
  Result<nlohmann::json> StatusListCredential(const Roster& roster, Id district, int list = 0);
  // The same for a status list URL of this server (UrlsFor(...).StatusList(n)),
  // as a verifier dereferences it; kNotFound for any other URL.
  Result<nlohmann::json> StatusListAt(const Roster& roster, std::string_view url);
  // The OB 2.0 RevocationList of the district.
  Result<nlohmann::json> Ob2RevocationList(const Roster& roster, Id district);

  // Whether the credential's award was revoked after it was issued, and why.
  struct Revocation {
    bool revoked = false;
    std::string reason;
    Instant at = 0;
  };
  Result<Revocation> RevocationOf(const IssuedCredential& credential);

  // The credential as a VC-JWT (ES256), signed now with the district's key.
  Result<std::string> Jwt(const IssuedCredential& credential);
  // A student's ClrCredential bundling all their current badge credentials,
  // with associations for the pathway order of the badges.
  Result<nlohmann::json> Clr(const Catalog& catalog, const Roster& roster, Id student);

  // Ed25519 public key of a verificationMethod URL of this server, if known
  // (retired keys included). kNotFound otherwise.
  Result<std::array<std::uint8_t, 32>> ResolveKey(const Roster& roster,
                                                  std::string_view verification_method);
  // The P-256 public JWK for a JWT `kid` of this server.
  Result<nlohmann::json> ResolveJwk(const Roster& roster, std::string_view kid);

 private:
  Result<IssuedCredential> Issue(const Catalog& catalog, const Roster& roster,
                                 const Person& student, const Badge& badge,
                                 const AwardFact& confirm);
  Result<nlohmann::json> SignJson(const nlohmann::json& document, Id district,
                                  const IssuerUrls& urls);
  // A free (list, index) in the district's status lists (StatusListPolicy).
  Result<std::pair<int, std::int64_t>> FreeStatusEntry(Id district);

  Store& store_;
  const KeyVault& vault_;
  IssuerOptions options_;
};

}  // namespace cairn
