// Moving a server's credentials to a new public base URL (`cairn reissue`,
// issue #14). A credential names its issuer, keys and status list by URL for
// ever, so a new address means new credentials: each live credential whose
// issuer is not under the new URL gets a successor signed under it, and the
// old one is revoked through its status list (reason "re-issued under
// <url>"), so a verifier holding it is told to ask for the new one.
//
// How, with the ledger's own facts: the award is revoked and confirmed again
// (same badge, the original confirmation's date and explanation), which is
// what the status lists and IssuePending already understand. Nothing new is
// stored. All or nothing (one transaction), and idempotent: credentials
// already under the new URL, and revoked ones, are left alone.
//
// Not thread-safe: uses the caller's Store, like CredentialIssuer.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "credentials/credential_issuer.h"
#include "credentials/key_vault.h"
#include "roster/roster.h"
#include "store/store.h"

namespace cairn {

struct ReissueDistrict {
  Id district_id = 0;
  std::string district;  // sourced id
  int reissued = 0;      // new credentials signed, old ones revoked
  int already = 0;       // already under the new URL
  int revoked = 0;       // revoked before: left alone
};

struct ReissueReport {
  std::string public_url;  // the new base URL
  std::vector<ReissueDistrict> districts;
  int Reissued() const;
};

// Re-issues every district's live credentials under `options.public_url`
// (no trailing slash), in one transaction of `store`, and remembers the URL
// as the "public_url" setting. kFailedPrecondition, with nothing changed,
// when options.issuance_blocked says the URL may not be used; an error from
// any credential undoes all.
Result<ReissueReport> ReissueUnderBaseUrl(Store& store, const Catalog& catalog,
                                          const Roster& roster, const KeyVault& vault,
                                          IssuerOptions options);

}  // namespace cairn
