// Base64url (RFC 4648 §5) without padding, as JOSE (RFC 7515 §2) and multibase 'u'
// use it.
//
// Decoding is strict because these strings are signed or compared byte for byte:
// no padding, no whitespace, only the URL-safe alphabet, and the unused low bits
// of the last character must be zero (so each byte string has exactly one
// encoding). Both functions are pure and safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::credentials {

std::string Base64UrlEncode(std::string_view bytes);

// kInvalidArgument naming the offending position on any deviation from the
// canonical unpadded encoding.
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace cairn::credentials
