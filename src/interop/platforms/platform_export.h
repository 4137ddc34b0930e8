// A district's awards in the bulk formats of platforms that issue badges of
// their own (issue #14): Credly's bulk issue CSV and Canvas Credentials' bulk
// award CSV. Those platforms do not import another issuer's signed
// credentials; a district that also keeps its badges there creates the
// badge once on the platform (a "badge template" on Credly, a "badge class"
// on Canvas Credentials) and uploads who earned it. docs/credentials.md says
// what each column carries.
//
// Pure: no I/O, deterministic for given inputs.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "common/time.h"
#include "evidence/facts.h"
#include "roster/roster.h"

namespace cairn {

enum class AwardPlatform { kCredly, kCanvasCredentials };

// "credly" or "canvas"; kInvalidArgument naming `field` otherwise.
Result<AwardPlatform> ParseAwardPlatform(std::string_view name, const std::string& field);

// One confirmed award, as a platform row needs it.
struct PlatformAward {
  std::string badge_code;
  const Person* student = nullptr;  // points into the roster passed in
  Instant confirmed_at = 0;
};

// The awards in force (confirmed and not revoked since) of the district's
// active students, optionally of one badge, ordered by badge code, then
// confirmation time, then sourced id.
std::vector<PlatformAward> AwardsInForce(const Roster& roster, Id district,
                                         const std::map<Id, std::vector<AwardFact>>& awards,
                                         std::string_view badge = {});

struct PlatformExport {
  std::string csv;
  int rows = 0;
  // Students left out because the platform needs an email and the roster
  // has none for them.
  int without_email = 0;
};

// The upload file. `platform_ids` maps a Cairn badge code to the platform's
// id for it (Credly's badge template id, Canvas Credentials' badge class id);
// a badge without one is written with an empty id column, for the admin to
// fill in or to upload from that badge's own page.
PlatformExport ExportAwards(AwardPlatform platform, std::span<const PlatformAward> awards,
                            const Catalog& catalog,
                            const std::map<std::string, std::string>& platform_ids);

// "M101=abc,M102=def" (the form a query string carries) -> a map; errors
// name `field` and the entry.
Result<std::map<std::string, std::string>> ParsePlatformIds(std::string_view text,
                                                            const std::string& field);

}  // namespace cairn
