#include "credentials/multibase.h"

#include <algorithm>

namespace cairn::multibase {
namespace {

constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int AlphabetIndex(char c) {
  const char* found = std::find(kAlphabet, kAlphabet + 58, c);
  return found == kAlphabet + 58 ? -1 : static_cast<int>(found - kAlphabet);
}

template <size_t N>
Result<std::array<uint8_t, N>> DecodeMultikey(std::string_view multikey, uint8_t header0,
                                              uint8_t header1, std::string_view what) {
  CAIRN_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, DecodeBase58Btc(multikey));
  if (bytes.size() != N + 2 || bytes[0] != header0 || bytes[1] != header1) {
    return Status::Invalid(std::string(what) + ": wrong multicodec header or length in '" +
                           std::string(multikey) + "'");
  }
  std::array<uint8_t, N> key{};
  std::copy(bytes.begin() + 2, bytes.end(), key.begin());
  return key;
}

template <size_t N>
std::string EncodeMultikey(const std::array<uint8_t, N>& key, uint8_t header0, uint8_t header1) {
  std::vector<uint8_t> bytes{header0, header1};
  bytes.insert(bytes.end(), key.begin(), key.end());
  return EncodeBase58Btc(bytes.data(), bytes.size());
}

}  // namespace

std::string Base58BtcEncode(const uint8_t* data, size_t size) {
  size_t zeros = 0;
  while (zeros < size && data[zeros] == 0) ++zeros;
  // log(256)/log(58) ~ 1.37: upper bound on digits.
  std::vector<uint8_t> digits((size - zeros) * 138 / 100 + 1, 0);
  size_t length = 0;
  for (size_t i = zeros; i < size; ++i) {
    uint32_t carry = data[i];
    size_t j = 0;
    for (auto it = digits.rbegin(); (carry != 0 || j < length) && it != digits.rend(); ++it, ++j) {
      carry += 256u * *it;
      *it = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    length = j;
  }
  auto it = digits.begin() + static_cast<std::ptrdiff_t>(digits.size() - length);
  while (it != digits.end() && *it == 0) ++it;
  std::string out(zeros, '1');
  for (; it != digits.end(); ++it) out.push_back(kAlphabet[*it]);
  return out;
}

std::string Base58BtcEncode(const std::vector<uint8_t>& data) {
  return Base58BtcEncode(data.data(), data.size());
}

Result<std::vector<uint8_t>> Base58BtcDecode(std::string_view text) {
  size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  // log(58)/log(256) ~ 0.733
  std::vector<uint8_t> bytes((text.size() - zeros) * 733 / 1000 + 1, 0);
  size_t length = 0;
  for (size_t i = zeros; i < text.size(); ++i) {
    int value = AlphabetIndex(text[i]);
    if (value < 0) {
      return Status::Invalid("base58btc: invalid character '" + std::string(1, text[i]) +
                             "' at offset " + std::to_string(i));
    }
    uint32_t carry = static_cast<uint32_t>(value);
    size_t j = 0;
    for (auto it = bytes.rbegin(); (carry != 0 || j < length) && it != bytes.rend(); ++it, ++j) {
      carry += 58u * *it;
      *it = static_cast<uint8_t>(carry % 256);
      carry /= 256;
    }
    length = j;
  }
  auto it = bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() - length);
  while (it != bytes.end() && *it == 0) ++it;
  std::vector<uint8_t> out(zeros, 0);
  out.insert(out.end(), it, bytes.end());
  return out;
}

std::string EncodeBase58Btc(const uint8_t* data, size_t size) {
  // Not `"z" + ...`: g++ 12 at -O3 reports a false -Wrestrict on that form.
  std::string out = "z";
  out += Base58BtcEncode(data, size);
  return out;
}

Result<std::vector<uint8_t>> DecodeBase58Btc(std::string_view multibase) {
  if (multibase.empty() || multibase[0] != 'z') {
    return Status::Invalid("multibase: expected base58btc ('z' prefix)");
  }
  return Base58BtcDecode(multibase.substr(1));
}

std::string EncodeMultikeyEd25519Public(const Ed25519PublicKey& key) {
  return EncodeMultikey(key, 0xed, 0x01);
}

Result<Ed25519PublicKey> DecodeMultikeyEd25519Public(std::string_view multikey) {
  return DecodeMultikey<32>(multikey, 0xed, 0x01, "ed25519 public multikey");
}

std::string EncodeMultikeyEd25519Secret(const Ed25519Seed& seed) {
  return EncodeMultikey(seed, 0x80, 0x26);
}

Result<Ed25519Seed> DecodeMultikeyEd25519Secret(std::string_view multikey) {
  return DecodeMultikey<32>(multikey, 0x80, 0x26, "ed25519 secret multikey");
}

}  // namespace cairn::multibase
