// UTF-8 validation and XML text escaping shared by the credential media code.
// Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace cairn::credentials {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// ISO 8859-1 bytes (PNG tEXt/zTXt) as UTF-8.
std::string Latin1ToUtf8(std::string_view text);

// Escapes & < > " ' for XML text and attribute values.
std::string XmlEscape(std::string_view text);

}  // namespace cairn::credentials
