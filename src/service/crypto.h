// The few cryptographic operations accounts and the server need, all from libsodium:
// argon2id password hashes, random tokens and SHA-256 for storing tokens.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn {

// Must run once before any other function here (idempotent, thread-safe).
Status InitCrypto();

// An argon2id hash string (libsodium's format, parameters included). The
// "interactive" limits: ~0.1 s and 64 MiB per hash on this class of machine.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& hash);

// `bytes` random bytes as URL-safe base64 without padding.
std::string RandomToken(std::size_t bytes = 32);
std::string Sha256Hex(std::string_view data);
// Constant-time comparison for secrets of equal length.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace cairn
