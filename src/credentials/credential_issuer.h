// Issues, publishes and revokes the verifiable credentials of awarded badges.
//
// - Every confirmed award gets one signed OpenBadgeCredential (OB 3.0,
//   eddsa-rdfc-2022), stored exactly as issued. IssuePending() is called in
//   the same transaction as the award, so an award never lacks its credential.
// - Keys: one active Ed25519 key per district (created on first use), listed
//   with every retired key in the issuer's controller document and DID
//   document, so rotation never breaks old credentials. A P-256 key signs
//   VC-JWTs. Both documents put the same keys under assertionMethod: the
//   active ones, and a retired Ed25519 key while a credential it signed is
//   still live (not revoked, e.g. re-issued, and not past its validUntil).
//   A revoked (compromised) key is never there, carries a `revoked` time,
//   and proofs it made at or after that time fail (credentials/key_revocation.h).
// - Issuance is refused (nothing issued, no error: the award stands and its
//   credential waits) while IssuerOptions::issuance_blocked says why.
// - Revocation: revoking the award (an append-only fact) sets the
//   credential's bit in one of the district's Bitstring Status Lists, which
//   are built and signed on request, and kept in a StatusListCache when one
//   is given until the database says they may differ. A district has as many
//   lists as it needs (StatusListPolicy); issuing finds a free entry with a
//   few indexed lookups, never by reading the district's credentials.
// - Issuing many (IssuePendingMany): reads, status entries and inserts on the
//   caller's thread and transaction; the signing, the CPU cost, on several
//   threads. The credentials are those of the one-by-one path.
//
// Not thread-safe: one per Store, like the Store. Writes happen within the
// caller's transaction.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "credentials/key_revocation.h"
#include "credentials/key_vault.h"
#include "credentials/open_badge.h"
#include "credentials/status_list_cache.h"
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
  // Signed status lists kept between requests (shared by a server's
  // issuers); null: every request builds and signs its list.
  StatusListCache* status_list_cache = nullptr;
  // Counts the documents signed with Ed25519 (credentials and status lists),
  // so tests can tell a cached answer from a fresh one; may be null.
  std::atomic<std::int64_t>* signatures = nullptr;
  // Non-empty: why credentials may not be issued now
  // (credentials/public_url_policy.h); IssuePending* then issue nothing.
  std::string issuance_blocked = {};
};

class CredentialIssuer {
 public:
  CredentialIssuer(Store& store, const KeyVault& vault, IssuerOptions options)
      : store_(store), vault_(vault), options_(std::move(options)) {}

  // Credentials for the student's confirmed awards that have none yet.
  Result<std::vector<IssuedCredential>> IssuePending(const Catalog& catalog, const Roster& roster,
                                                     Id student);
  // The same for several students, in order, with the signing spread over
  // `threads` threads (1: all on this one). All or nothing is the caller's
  // transaction's business: an error is returned as soon as one is seen.
  Result<std::vector<IssuedCredential>> IssuePendingMany(const Catalog& catalog,
                                                         const Roster& roster,
                                                         const std::vector<Id>& students,
                                                         int threads);

  IssuerUrls UrlsFor(const Roster& roster, Id district) const;
  Result<IssuerInfo> InfoFor(const Roster& roster, Id district);

  // The active Ed25519 key (created when the district has none).
  Result<StoredKey> ActiveKey(Id district, KeyAlgorithm algorithm);
  // Retires the active Ed25519 key and creates the next one.
  Result<StoredKey> RotateKey(Id district);
  // Marks a compromised key revoked from `revocation.revoked_at` (not later
  // than now) with its reason, in the journal; a key still active is also
  // retired, and the next key of its kind is created. Revoking a key again
  // records a new revision (a corrected time or reason). kNotFound for an
  // unknown key; kInvalidArgument for an empty reason or a future time.
  Result<KeyRevocation> RevokeKey(Id district, KeyRevocation revocation);
  Result<std::vector<KeyRevocation>> KeyRevocations(Id district);
  // When the key a verification method or JWT kid of this server names was
  // revoked; nothing for a key that was not (or is not this server's).
  Result<std::optional<Instant>> KeyRevokedAt(const Roster& roster, std::string_view method);

  Result<nlohmann::json> ControllerDocument(const Roster& roster, Id district);
  // Each key of the district with where it is published: the rule of the
  // contract above, shared by the controller and DID documents.
  struct KeyState {
    StoredKey key;
    bool assertion = false;
    std::optional<KeyRevocation> revocation;
  };
  Result<std::vector<KeyState>> KeyStates(Id district);
  // What UrlsFor(...).KeyDocument(key_id) serves: an Ed25519 key as a bare
  // Multikey document, a P-256 key as its public JWK (with kid, alg, use).
  // Retired keys too (old credentials name them). kNotFound for an unknown key.
  Result<nlohmann::json> KeyDocument(const Roster& roster, Id district, std::string_view key_id);
  // The district's DID document under `did` (UrlsFor(...).Did(), or
  // HostDid() where the server has one district): every key, only the
  // active ones under assertionMethod. A GET never creates a key.
  Result<nlohmann::json> DidDocument(const Roster& roster, Id district, const std::string& did);
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

  // The credential as a VC-JWT (ES256), signed now with the district's key:
  // `kid` is the key document URL (it serves the JWK) and the header also
  // carries the public `jwk`.
  Result<std::string> Jwt(const IssuedCredential& credential);
  // A copy of `credential` for the holder's wallet (credentials/wallet_exchange.h):
  // the same content and status entry (revoking the award revokes both), a
  // new id (urn:uuid), credentialSubject.id = `holder`, signed now with the
  // district's active key. kFailedPrecondition while issuance is blocked, or
  // when the credential was issued under another base URL (re-issue first).
  Result<nlohmann::json> HolderBoundCopy(const Roster& roster, const IssuedCredential& credential,
                                         std::string_view holder);
  // A student's ClrCredential bundling all their current badge credentials,
  // with associations for the pathway order of the badges, unsigned. Its id
  // is fixed by what it holds (the student and the credentials in it) and
  // validFrom is the newest credential's issue time, so the same content is
  // always the same document; `version` (hex SHA-256 of it) tells contents
  // apart (credentials/clr_versions.h keeps each version issued).
  struct ClrContent {
    nlohmann::json document;
    std::string version;
  };
  Result<ClrContent> ClrFor(const Catalog& catalog, const Roster& roster, Id student);
  // `content` signed now with the district's active key.
  Result<nlohmann::json> SignClr(const Roster& roster, Id district, const ClrContent& content);

  // Ed25519 public key of a verificationMethod of this server, if known
  // (retired keys included), in any form Cairn has published: the key
  // document URL (".../issuers/{district}/keys/key-1"), the older fragment
  // (".../issuers/{district}#key-1") and the district's did:web URL
  // ("did:web:...:issuers:{district}#key-1"). kNotFound otherwise.
  Result<std::array<std::uint8_t, 32>> ResolveKey(const Roster& roster,
                                                  std::string_view verification_method);
  // The P-256 public JWK for a JWT `kid` of this server (the same forms).
  Result<nlohmann::json> ResolveJwk(const Roster& roster, std::string_view kid);

 private:
  struct Prepared;
  struct Signer;
  // Everything of one credential but its proof: read, its status entry
  // reserved (reserved_), its proof's time fixed.
  Result<Prepared> Prepare(const Catalog& catalog, const Roster& roster, const Person& student,
                           const Badge& badge, const AwardFact& confirm);
  // The district's active Ed25519 key, unsealed, for urls' verification method.
  Result<Signer> LoadSigner(Id district, const IssuerUrls& urls);
  Result<nlohmann::json> SignJson(const nlohmann::json& document, Id district,
                                  const IssuerUrls& urls);
  // A free (list, index) in the district's status lists (StatusListPolicy),
  // counting the entries reserved for credentials not inserted yet.
  Result<std::pair<int, std::int64_t>> FreeStatusEntry(Id district);
  // The district and key id a verification method or kid of this server names.
  struct KeyRef {
    Id district = 0;
    std::string key_id;
  };
  // Under the current public URL or a former one (public_url_history.h).
  std::optional<KeyRef> ParseKeyRef(const Roster& roster, std::string_view method);
  // The current public URL, then the former ones.
  std::vector<std::string> BaseUrls();
  Result<StoredKey> FindKey(const Roster& roster, std::string_view method, KeyAlgorithm algorithm);
  // What decides a status list's content and proof (StatusListCache).
  Result<StatusListCache::Version> StatusListVersion(Id district);

  Store& store_;
  const KeyVault& vault_;
  IssuerOptions options_;
  // Status entries handed out to credentials of the batch in hand, before
  // their insert makes the store know them: (district, list, index), and
  // how many per (district, list).
  std::set<std::tuple<Id, int, std::int64_t>> reserved_;
  std::map<std::pair<Id, int>, std::int64_t> reserved_per_list_;
};

}  // namespace cairn
