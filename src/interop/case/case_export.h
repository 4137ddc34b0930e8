// Cairn's own badge framework as a CASE 1.1 package, for OpenSALT or any
// CASE consumer: the catalog is the CFDocument; each badge is a CFItem of
// CFItemType "Badge" with its CPEs ("CPE") and their indicators
// ("Indicator") below it through isChildOf associations (sequence numbers
// keep catalog order); a badge's prerequisites precede it ("precedes").
//
// Identifiers are UUIDs derived from the catalog's framework id and each
// code, so exporting the same catalog again names the same items and a
// consumer sees a new version, not a new framework. URIs are their
// urn:uuid: form. The package reads back through ParseCasePackage without
// a problem (tested).
//
// Pure: no I/O, no clock.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "common/status.h"
#include "common/time.h"

namespace cairn::standards {

struct CaseExportOptions {
  Instant last_change = 0;  // lastChangeDateTime of everything (the catalog version's load time)
  std::string creator;      // default: the catalog's publisher, else "Cairn"
};

// {"CFPackage": {...}}. kFailedPrecondition for a catalog without badges.
Result<nlohmann::json> CatalogAsCase(const Catalog& catalog, const CaseExportOptions& options);

// A UUID (version 8, RFC 9562) from SHA-256 of `name`: the same name, the
// same UUID.
std::string NameUuid(const std::string& name);

}  // namespace cairn::standards
