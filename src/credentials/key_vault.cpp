#include "credentials/key_vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace cairn {
namespace {

std::string Hex(const std::uint8_t* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

Result<std::vector<std::uint8_t>> Unhex(std::string_view hex) {
  std::vector<std::uint8_t> out(hex.size() / 2 + 1);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
      end != hex.data() + hex.size()) {
    return Status::Invalid("not hexadecimal");
  }
  out.resize(len);
  return out;
}

Result<std::array<std::uint8_t, 32>> KeyFromHex(std::string_view hex, const std::string& where) {
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) {
    hex.remove_suffix(1);
  }
  auto bytes = Unhex(hex);
  if (!bytes.ok() || bytes->size() != 32) {
    return Status::Invalid(where + ": the master key must be 64 hexadecimal digits");
  }
  std::array<std::uint8_t, 32> key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

}  // namespace

std::string DefaultMasterKeyPath(const std::string& db_path) { return db_path + ".master-key"; }

Result<KeyVault> KeyVault::Open(const std::string& key_file) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  if (const char* env = std::getenv("CAIRN_MASTER_KEY"); env && *env) {
    CAIRN_ASSIGN_OR_RETURN(auto key, KeyFromHex(env, "CAIRN_MASTER_KEY"));
    return KeyVault(key);
  }
  std::ifstream in(key_file);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    CAIRN_ASSIGN_OR_RETURN(auto key, KeyFromHex(text.str(), key_file));
    return KeyVault(key);
  }
  // First use: create it readable by this user only. O_EXCL so two servers
  // starting together cannot each write a different key.
  std::array<std::uint8_t, 32> key{};
  randombytes_buf(key.data(), key.size());
  const std::string hex = Hex(key.data(), key.size()) + "\n";
  int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Open(key_file);
    return Status::Internal("cannot create the master key file " + key_file);
  }
  const bool written =
      ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Status::Internal("cannot write the master key file " + key_file);
  return KeyVault(key);
}

std::string KeyVault::Seal(std::string_view plaintext) const {
  std::vector<std::uint8_t> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                plaintext.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        out.data(), key_.data());
  return Hex(out.data(), out.size());
}

Result<std::string> KeyVault::Unseal(std::string_view sealed) const {
  auto bytes = Unhex(sealed);
  if (!bytes.ok() || bytes->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Status::Invalid("sealed secret: malformed");
  }
  std::string plain(bytes->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 bytes->data() + crypto_secretbox_NONCEBYTES,
                                 bytes->size() - crypto_secretbox_NONCEBYTES, bytes->data(),
                                 key_.data()) != 0) {
    return Status::Invalid("sealed secret: does not open with this master key");
  }
  return plain;
}

}  // namespace cairn
