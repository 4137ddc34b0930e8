#include "credentials/multibase.h"

#include <gtest/gtest.h>

#include <string>

namespace cairn::multibase {
namespace {

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Base58Test, KnownVectors) {
  // Vectors from the IETF base58 draft and bitcoin's base58_encode_decode.json.
  EXPECT_EQ(Base58BtcEncode(Bytes("")), "");
  EXPECT_EQ(Base58BtcEncode(Bytes("Hello World!")), "2NEpo7TZRRrLZSi2U");
  EXPECT_EQ(Base58BtcEncode(Bytes("The quick brown fox jumps over the lazy dog.")),
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
  EXPECT_EQ(Base58BtcEncode(std::vector<uint8_t>{0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd}), "11233QC4");
  EXPECT_EQ(Base58BtcEncode(std::vector<uint8_t>{0x00}), "1");
  EXPECT_EQ(Base58BtcEncode(std::vector<uint8_t>{0x61}), "2g");
  EXPECT_EQ(Base58BtcEncode(std::vector<uint8_t>{0x62, 0x62, 0x62}), "a3gV");
  EXPECT_EQ(Base58BtcEncode(std::vector<uint8_t>{0x51, 0x6b, 0x6f, 0xcd, 0x0f}), "ABnLTmg");
}

TEST(Base58Test, DecodeRoundTripsAndRejectsBadCharacters) {
  for (std::string_view text : {"", "1", "11233QC4", "2NEpo7TZRRrLZSi2U", "a3gV"}) {
    auto decoded = Base58BtcDecode(text);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(Base58BtcEncode(*decoded), text);
  }
  auto decoded = Base58BtcDecode("2NEpo7TZRRrLZSi2U");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::string(decoded->begin(), decoded->end()), "Hello World!");
  EXPECT_FALSE(Base58BtcDecode("0OIl").ok());
  EXPECT_FALSE(DecodeBase58Btc("u123").ok());  // base64url multibase is not accepted
}

TEST(MultikeyTest, Ed25519PublicAndSecretHeaders) {
  Ed25519PublicKey key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  std::string encoded = EncodeMultikeyEd25519Public(key);
  EXPECT_EQ(encoded.substr(0, 4), "z6Mk");
  auto decoded = DecodeMultikeyEd25519Public(encoded);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, key);
  std::string secret = EncodeMultikeyEd25519Secret(key);
  EXPECT_EQ(secret.substr(0, 4), "z3u2");
  EXPECT_FALSE(DecodeMultikeyEd25519Public(secret).ok());  // wrong header
  EXPECT_TRUE(DecodeMultikeyEd25519Secret(secret).ok());
}

}  // namespace
}  // namespace cairn::multibase
