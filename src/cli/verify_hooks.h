// Where `cairn verify` gets keys, status lists and hosted assertions: from
// the web, as any outside verifier would (NetworkHooks), or from a Cairn
// database it has access to (DatabaseHooks, no network at all).
#pragma once

#include <memory>
#include <string>

#include "credentials/verifier.h"
#include "service/cairn_service.h"

namespace cairn {

VerifierHooks NetworkHooks();

// Borrows `service`, which must outlive the hooks.
Result<VerifierHooks> DatabaseHooks(CairnService& service, const std::string& db_path);

}  // namespace cairn
