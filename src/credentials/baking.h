// Open Badges baking: carrying one credential inside a PNG or SVG badge image.
//
// OB 3.0 (spec §"Baked Badge"): PNG iTXt chunk with keyword
// `openbadgecredential`, uncompressed, text = credential JSON or compact JWS;
// SVG `<openbadges:credential>` as the first child of the root `<svg>`, with
// `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` on the root, JSON in
// CDATA or the JWS in a `verify` attribute.
// OB 2.0 (Badge Baking v1.0): PNG iTXt keyword `openbadges` (assertion JSON,
// signed JWS or hosted URL); SVG `<openbadges:assertion verify="...">` with
// namespace `http://openbadges.org`, JSON in CDATA when an assertion is baked.
//
// Baking replaces every credential the image already carries (both keywords /
// both element kinds) so a badge never holds two. Extraction tolerates what
// older bakers wrote: compressed iTXt, tEXt/zTXt `openbadges` (legacy hosted URL).
//
// All functions are pure (no I/O, no globals) and safe from any thread. Inputs
// are untrusted: malformed images yield kInvalidArgument with a message naming
// the place ("chunk 3 (IDAT) length 900 exceeds file (412 bytes left)").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn::credentials {

enum class BadgeVersion { kOb20, kOb30 };

// What the baked text is, judged by its shape (not verified).
enum class BakedPayloadKind {
  kJson,        // starts with '{'
  kCompactJws,  // three base64url segments separated by '.'
  kUrl,         // http(s) URL: OB 2.0 hosted assertion
  kOther,
};

struct BakedCredential {
  BadgeVersion version = BadgeVersion::kOb30;
  BakedPayloadKind kind = BakedPayloadKind::kOther;
  std::string payload;  // UTF-8; surrounding whitespace trimmed for SVG
  // Where it was found: "iTXt", "iTXt (compressed)", "tEXt", "zTXt" or
  // "svg:<element name>".
  std::string carrier;
  // SVG only: the `verify` attribute when the element also had a JSON body
  // (OB 2.0 hosted URL); empty otherwise.
  std::string verify_attribute;
};

// Upper bound on a baked payload (after any decompression).
inline constexpr std::size_t kMaxBakedPayloadBytes = 16u << 20;

BakedPayloadKind ClassifyBakedPayload(std::string_view payload);

// PNG. `payload` is the credential JSON or compact JWS (OB 3.0), or the
// assertion JSON, signed JWS or hosted URL (OB 2.0); it must be valid UTF-8
// without NUL bytes. The new iTXt chunk goes just before IEND; bytes after IEND
// are dropped.
Result<std::string> BakePng(std::string_view png, BadgeVersion version, std::string_view payload);
Result<BakedCredential> ExtractFromPng(std::string_view png);

// SVG. For OB 2.0 JSON, `verify_url` is the hosted assertion URL for the
// `verify` attribute; when empty the assertion's "id" is used.
Result<std::string> BakeSvg(std::string_view svg, BadgeVersion version, std::string_view payload,
                            std::string_view verify_url = {});
Result<BakedCredential> ExtractFromSvg(std::string_view svg);

// Sniffs PNG (signature) or SVG (markup) and dispatches.
Result<std::string> BakeImage(std::string_view image, BadgeVersion version,
                              std::string_view payload);
Result<BakedCredential> ExtractBakedCredential(std::string_view image);

}  // namespace cairn::credentials
