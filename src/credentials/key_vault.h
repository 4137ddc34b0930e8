// Seals secrets (the districts' private signing keys) with the server's
// master key, so a copy of the database alone does not give the keys away.
// XSalsa20-Poly1305 (libsodium secretbox) with a random nonce per secret.
//
// The master key comes from $CAIRN_MASTER_KEY (64 hex digits) when set, else
// from a key file beside the database, created with mode 0600 on first use.
// Losing the master key means issuing with new keys: old credentials still
// verify (their public keys stay published), but cannot be re-signed.
//
// Thread-safe: immutable after Open.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cairn {

class KeyVault {
 public:
  static Result<KeyVault> Open(const std::string& key_file);
  static KeyVault FromKey(const std::array<std::uint8_t, 32>& key) { return KeyVault(key); }

  // Printable (hex) nonce || ciphertext.
  std::string Seal(std::string_view plaintext) const;
  // kInvalidArgument when tampered with or sealed under another master key.
  Result<std::string> Unseal(std::string_view sealed) const;

 private:
  explicit KeyVault(const std::array<std::uint8_t, 32>& key) : key_(key) {}
  std::array<std::uint8_t, 32> key_;
};

// "<db path>.master-key": where the key file lives by default.
std::string DefaultMasterKeyPath(const std::string& db_path);

}  // namespace cairn
