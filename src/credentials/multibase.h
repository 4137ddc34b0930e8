// Base58btc, multibase ('z' prefix) and Multikey encodings for Ed25519 keys
// (W3C Controlled Identifiers, Multikey: 0xed01 public / 0x8026 secret).
//
// Thread safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cairn::multibase {

std::string Base58BtcEncode(const uint8_t* data, size_t size);
std::string Base58BtcEncode(const std::vector<uint8_t>& data);
// Errors: kInvalidArgument on a character outside the bitcoin alphabet.
Result<std::vector<uint8_t>> Base58BtcDecode(std::string_view text);

// "z" + base58btc. Decoding accepts only the 'z' base (the only one the
// Data Integrity EdDSA suites use).
std::string EncodeBase58Btc(const uint8_t* data, size_t size);
Result<std::vector<uint8_t>> DecodeBase58Btc(std::string_view multibase);

using Ed25519PublicKey = std::array<uint8_t, 32>;
using Ed25519Seed = std::array<uint8_t, 32>;  // the 32-byte private key

// "z6Mk..." form. Errors name the problem (prefix, header, length).
std::string EncodeMultikeyEd25519Public(const Ed25519PublicKey& key);
Result<Ed25519PublicKey> DecodeMultikeyEd25519Public(std::string_view multikey);
std::string EncodeMultikeyEd25519Secret(const Ed25519Seed& seed);
Result<Ed25519Seed> DecodeMultikeyEd25519Secret(std::string_view multikey);

}  // namespace cairn::multibase
