// The public base URLs a server was known by before its current one
// (setting "former_public_urls", a JSON array, oldest first). Credentials
// issued under an earlier URL name their keys and status lists under it, so
// Cairn's own verifier still recognises those as its own after a move
// (`cairn reissue`, or `cairn serve --public-url` with a new address).
//
// Not thread-safe: uses the caller's Store.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "store/store.h"

namespace cairn {

// Empty when none was recorded; an unreadable setting is an error.
Result<std::vector<std::string>> FormerPublicUrls(Store& store);

// Adds `url` (trailing slashes dropped) unless it is already there or empty.
Status RememberFormerPublicUrl(Store& store, std::string url);

}  // namespace cairn
