#include "credentials/status_list.h"

#include <charconv>

#include "credentials/base64url.h"
#include "credentials/bounded_inflate.h"

namespace cairn::credentials {
namespace {

Status RangeError(std::size_t index, std::size_t size) {
  return Status::Invalid("status list index " + std::to_string(index) +
                         " is out of range (list has " + std::to_string(size) + " entries)");
}

bool HasType(const nlohmann::json& node, std::string_view type) {
  auto it = node.find("type");
  if (it == node.end()) return false;
  if (it->is_string()) return it->get_ref<const std::string&>() == type;
  if (it->is_array()) {
    for (const auto& entry : *it) {
      if (entry.is_string() && entry.get_ref<const std::string&>() == type) return true;
    }
  }
  return false;
}

const std::string* StringField(const nlohmann::json& node, const char* key) {
  auto it = node.find(key);
  if (it == node.end() || !it->is_string()) return nullptr;
  return &it->get_ref<const std::string&>();
}

Result<std::size_t> ParseIndex(const nlohmann::json& value) {
  if (value.is_number_unsigned()) return value.get<std::size_t>();
  if (!value.is_string()) return Status::Invalid("statusListIndex must be a string of digits");
  const std::string& text = value.get_ref<const std::string&>();
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      (text.size() > 1 && text[0] == '0')) {
    return Status::Invalid("statusListIndex '" + text + "' is not a non-negative integer");
  }
  return index;
}

}  // namespace

Result<BitstringStatusList> BitstringStatusList::Create(std::size_t bit_count) {
  if (bit_count < kMinStatusListBits || bit_count % 8 != 0 || bit_count / 8 > kMaxStatusListBytes) {
    return Status::Invalid("status list size must be a multiple of 8 between " +
                           std::to_string(kMinStatusListBits) + " and " +
                           std::to_string(kMaxStatusListBytes * 8) + " bits");
  }
  return BitstringStatusList(std::vector<std::uint8_t>(bit_count / 8, 0));
}

Result<BitstringStatusList> BitstringStatusList::Decode(std::string_view encoded_list,
                                                        std::size_t max_bytes) {
  if (encoded_list.empty() || encoded_list.front() != 'u') {
    return Status::Invalid("encodedList must start with the multibase base64url prefix 'u'");
  }
  // Deflate never shrinks data by less than a small overhead, so a longer
  // input could not decompress within the cap anyway.
  if (encoded_list.size() > 2 * max_bytes + 4096) {
    return Status::Invalid("encodedList is too long");
  }
  auto compressed = Base64UrlDecode(encoded_list.substr(1));
  if (!compressed.ok()) return Status::Invalid("encodedList: " + compressed.status().message());
  auto bits = Decompress(*compressed, CompressionFormat::kGzip, max_bytes);
  if (!bits.ok()) return Status::Invalid("encodedList: " + bits.status().message());
  if (bits->empty()) return Status::Invalid("encodedList: empty bitstring");
  return BitstringStatusList(std::vector<std::uint8_t>(bits->begin(), bits->end()));
}

Result<std::string> BitstringStatusList::Encode() const {
  std::string_view raw(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
  CAIRN_ASSIGN_OR_RETURN(std::string gz, Compress(raw, CompressionFormat::kGzip));
  return "u" + Base64UrlEncode(gz);
}

Result<bool> BitstringStatusList::Get(std::size_t index) const {
  if (index >= size()) return RangeError(index, size());
  return (bytes_[index / 8] >> (7 - index % 8) & 1) != 0;
}

Status BitstringStatusList::Set(std::size_t index, bool value) {
  if (index >= size()) return RangeError(index, size());
  auto mask = static_cast<std::uint8_t>(0x80u >> (index % 8));
  if (value) {
    bytes_[index / 8] = static_cast<std::uint8_t>(bytes_[index / 8] | mask);
  } else {
    bytes_[index / 8] = static_cast<std::uint8_t>(bytes_[index / 8] & ~mask);
  }
  return Status::Ok();
}

nlohmann::json BuildStatusListCredential(const StatusListCredentialFields& fields) {
  nlohmann::json credential = {
      {"@context", nlohmann::json::array({"https://www.w3.org/ns/credentials/v2"})},
      {"id", fields.id},
      {"type", nlohmann::json::array({"VerifiableCredential", "BitstringStatusListCredential"})},
      {"issuer", fields.issuer},
      {"validFrom", FormatInstant(fields.valid_from)},
      {"credentialSubject",
       {{"id", fields.subject_id.empty() ? fields.id + "#list" : fields.subject_id},
        {"type", "BitstringStatusList"},
        {"statusPurpose", fields.status_purpose},
        {"encodedList", fields.encoded_list}}},
  };
  if (fields.valid_until) credential["validUntil"] = FormatInstant(*fields.valid_until);
  return credential;
}

nlohmann::json BuildStatusListEntry(std::string_view status_list_credential, std::size_t index,
                                    std::string_view status_purpose) {
  std::string list(status_list_credential);
  return {
      {"id", list + "#" + std::to_string(index)},
      {"type", "BitstringStatusListEntry"},
      {"statusPurpose", std::string(status_purpose)},
      {"statusListIndex", std::to_string(index)},
      {"statusListCredential", list},
  };
}

Result<bool> ReadCredentialStatus(const nlohmann::json& credential_status,
                                  const nlohmann::json& status_list_credential,
                                  std::size_t max_bytes) {
  if (!credential_status.is_object() || !HasType(credential_status, "BitstringStatusListEntry")) {
    return Status::Invalid("credentialStatus is not a BitstringStatusListEntry");
  }
  const std::string* purpose = StringField(credential_status, "statusPurpose");
  const std::string* list_url = StringField(credential_status, "statusListCredential");
  auto index_node = credential_status.find("statusListIndex");
  if (purpose == nullptr || list_url == nullptr || list_url->empty() ||
      index_node == credential_status.end()) {
    return Status::Invalid(
        "credentialStatus needs statusPurpose, statusListIndex and statusListCredential");
  }
  CAIRN_ASSIGN_OR_RETURN(std::size_t index, ParseIndex(*index_node));

  if (!status_list_credential.is_object() ||
      !HasType(status_list_credential, "BitstringStatusListCredential")) {
    return Status::Invalid("status list is not a BitstringStatusListCredential");
  }
  auto subject = status_list_credential.find("credentialSubject");
  if (subject == status_list_credential.end() || !subject->is_object() ||
      !HasType(*subject, "BitstringStatusList")) {
    return Status::Invalid("status list credentialSubject is not a BitstringStatusList");
  }
  // statusPurpose on the list may be a string or an array of purposes.
  auto list_purpose = subject->find("statusPurpose");
  bool purpose_ok = false;
  if (list_purpose != subject->end()) {
    if (list_purpose->is_string()) purpose_ok = *list_purpose == *purpose;
    if (list_purpose->is_array()) {
      for (const auto& entry : *list_purpose) purpose_ok = purpose_ok || entry == *purpose;
    }
  }
  if (!purpose_ok) {
    return Status::Invalid("status list purpose does not include '" + *purpose + "'");
  }
  const std::string* encoded = StringField(*subject, "encodedList");
  if (encoded == nullptr) return Status::Invalid("status list has no encodedList");
  CAIRN_ASSIGN_OR_RETURN(BitstringStatusList list,
                         BitstringStatusList::Decode(*encoded, max_bytes));
  return list.Get(index);
}

nlohmann::json BuildOb2RevocationList(std::string_view id, std::string_view issuer,
                                      const std::vector<RevokedAssertion>& revoked) {
  nlohmann::json entries = nlohmann::json::array();
  for (const RevokedAssertion& assertion : revoked) {
    nlohmann::json entry = {{"id", assertion.id}};
    if (!assertion.reason.empty()) entry["revocationReason"] = assertion.reason;
    entries.push_back(std::move(entry));
  }
  return {
      {"@context", "https://w3id.org/openbadges/v2"},
      {"id", std::string(id)},
      {"type", "RevocationList"},
      {"issuer", std::string(issuer)},
      {"revokedAssertions", std::move(entries)},
  };
}

}  // namespace cairn::credentials
