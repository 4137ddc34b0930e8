// Baked badges (credentials/baking.h): extracting a credential from any PNG
// or SVG never fails other than with a Status, and baking a credential into
// an image the baker accepts must give back exactly that credential, OB 3.0
// or 2.0, replacing whatever the image carried. A PNG input is also tried
// with its chunk CRCs recomputed, so mutations get past the CRC check to the
// text chunks behind it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <zlib.h>

#include "credentials/baking.h"
#include "fuzz_check.h"

namespace {

using cairn::fuzz::Check;
namespace credentials = cairn::credentials;

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
// Non-ASCII, and "]]>" for the SVG CDATA section.
constexpr std::string_view kCredential =
    R"({"id":"urn:uuid:0a1b","type":["VerifiableCredential"],"name":"Élan ]]> <x>"})";
constexpr std::string_view kAssertion =
    R"({"id":"https://example.org/assertions/1","type":"Assertion"})";
constexpr std::string_view kHostedUrl = "https://example.org/assertions/2";

std::uint32_t ReadBigEndian(std::string_view bytes, std::size_t pos) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[pos + i]);
  return value;
}

// The PNG with every complete chunk's CRC made right.
std::string WithFixedCrcs(std::string png) {
  std::size_t pos = kPngSignature.size();
  while (pos + 12 <= png.size()) {
    const std::uint32_t length = ReadBigEndian(png, pos);
    if (length > png.size() - pos - 12) break;
    const auto* typed = reinterpret_cast<const Bytef*>(png.data() + pos + 4);
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), typed, static_cast<uInt>(length + 4));
    for (std::size_t i = 0; i < 4; ++i) {
      png[pos + 8 + length + i] = static_cast<char>((crc >> (24 - 8 * i)) & 0xff);
    }
    pos += 12 + length;
  }
  return png;
}

void CheckExtracted(const cairn::Result<credentials::BakedCredential>& extracted) {
  if (!extracted.ok()) {
    Check(!extracted.status().message().empty(), "extraction error without a message");
    return;
  }
  Check(extracted->payload.size() <= credentials::kMaxBakedPayloadBytes, "payload over the bound");
  Check(!extracted->carrier.empty(), "extracted without naming the carrier");
}

void CheckRoundTrip(const cairn::Result<std::string>& baked, bool png,
                    credentials::BadgeVersion version, std::string_view payload,
                    std::string_view verify_attribute) {
  if (!baked.ok()) return;
  const auto extracted =
      png ? credentials::ExtractFromPng(*baked) : credentials::ExtractFromSvg(*baked);
  Check(extracted.ok(), "a freshly baked image does not extract");
  Check(extracted->version == version, "baked version not extracted");
  Check(extracted->payload == payload, "baked payload not extracted");
  Check(extracted->kind == credentials::ClassifyBakedPayload(payload), "payload kind changed");
  Check(extracted->verify_attribute == verify_attribute, "verify attribute not extracted");
  Check(credentials::ExtractBakedCredential(*baked).ok(), "sniffing misses a baked image");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view image = cairn::fuzz::AsText(data, size);
  CheckExtracted(credentials::ExtractBakedCredential(image));
  (void)credentials::BakeImage(image, credentials::BadgeVersion::kOb30, kCredential);

  if (image.starts_with(kPngSignature)) {
    const std::string fixed = WithFixedCrcs(std::string(image));
    CheckExtracted(credentials::ExtractFromPng(fixed));
    CheckRoundTrip(credentials::BakePng(fixed, credentials::BadgeVersion::kOb30, kCredential), true,
                   credentials::BadgeVersion::kOb30, kCredential, "");
    CheckRoundTrip(credentials::BakePng(fixed, credentials::BadgeVersion::kOb20, kHostedUrl), true,
                   credentials::BadgeVersion::kOb20, kHostedUrl, "");
    return 0;
  }
  CheckExtracted(credentials::ExtractFromSvg(image));
  CheckRoundTrip(credentials::BakeSvg(image, credentials::BadgeVersion::kOb30, kCredential), false,
                 credentials::BadgeVersion::kOb30, kCredential, "");
  CheckRoundTrip(credentials::BakeSvg(image, credentials::BadgeVersion::kOb20, kAssertion), false,
                 credentials::BadgeVersion::kOb20, kAssertion, "https://example.org/assertions/1");
  return 0;
}
