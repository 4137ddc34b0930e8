// Display names for uploaded files. Storage never uses the name (blobs are
// content-addressed), but the name is shown in the UI and sent back in
// Content-Disposition, so it must not carry paths, control or bidi characters
// that disguise the real extension ("invoice\u202Efdp.exe"), or names that
// Windows refuses to save ("CON.pdf").
//
// Pure functions, reentrant, no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cairn {

inline constexpr std::size_t kMaxFileNameBytes = 120;

// A safe display name for a user-supplied name:
//  - keeps only the last path component ('/' and '\\' both separate);
//  - drops NUL, C0/C1 controls, DEL, bidi controls (U+202A-U+202E,
//    U+2066-U+2069, U+200E, U+200F, U+061C) and U+FEFF; invalid UTF-8 and
//    the characters Windows forbids (<>:"|?*) become '_';
//  - folds runs of whitespace to one space, runs of dots to one dot, and
//    trims leading dots and spaces and trailing dots and spaces;
//  - prefixes reserved Windows device names (CON, PRN, AUX, NUL, COM1-9,
//    LPT1-9) with '_';
//  - replaces the user's extension with `extension` (the detected type's,
//    without a dot; empty keeps no extension);
//  - caps the result at `max_bytes` (at least 16), cutting the stem on a UTF-8
//    boundary and keeping the extension;
//  - an empty stem becomes "file".
// The result is valid UTF-8 and never empty.
std::string SanitizeFileName(std::string_view user_name, std::string_view extension,
                             std::size_t max_bytes = kMaxFileNameBytes);

// The value of a Content-Disposition header for `name` (best passed through
// SanitizeFileName first; it is made header-safe regardless):
//   attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded
// (RFC 6266 / RFC 8187). `inline_disposition` gives "inline" instead.
std::string ContentDispositionValue(std::string_view name, bool inline_disposition = false);

}  // namespace cairn
