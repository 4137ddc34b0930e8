#include "credentials/status_list.h"

#include <gtest/gtest.h>

#include <random>

#include "credentials/base64url.h"
#include "credentials/bounded_inflate.h"
#include "credentials/media_test_support.h"

namespace cairn::credentials {
namespace {

using testing::FixturePath;
using testing::ReadFile;
using testing::SharedPath;

// W3C Bitstring Status List v1.0, the status list credential example: 131,072
// entries, none set.
constexpr char kSpecExample[] =
    "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";

TEST(StatusListTest, NewListIsClearAndIndexZeroIsTheLeftmostBit) {
  auto list = BitstringStatusList::Create();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 131072u);
  EXPECT_EQ(list->bytes().size(), 16384u);
  EXPECT_FALSE(*list->Get(0));
  ASSERT_TRUE(list->Set(0, true).ok());
  ASSERT_TRUE(list->Set(9, true).ok());
  ASSERT_TRUE(list->Set(131071, true).ok());
  EXPECT_EQ(list->bytes()[0], 0x80);
  EXPECT_EQ(list->bytes()[1], 0x40);
  EXPECT_EQ(list->bytes()[16383], 0x01);
  EXPECT_TRUE(*list->Get(9));
  ASSERT_TRUE(list->Set(9, false).ok());
  EXPECT_FALSE(*list->Get(9));
  EXPECT_FALSE(list->Get(131072).ok());
  EXPECT_FALSE(list->Set(131072, true).ok());
}

TEST(StatusListTest, CreateRefusesSmallOrRaggedLists) {
  EXPECT_FALSE(BitstringStatusList::Create(1024).ok());
  EXPECT_FALSE(BitstringStatusList::Create(131073).ok());
  EXPECT_TRUE(BitstringStatusList::Create(131072 * 2).ok());
}

TEST(StatusListTest, EncodeRoundTripsDeterministically) {
  auto list = *BitstringStatusList::Create();
  for (std::size_t index : {0u, 7u, 8u, 1000u, 94567u, 131071u})
    ASSERT_TRUE(list.Set(index, true).ok());
  auto encoded = list.Encode();
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->front(), 'u');
  EXPECT_EQ(encoded->find('='), std::string::npos);
  EXPECT_EQ(*encoded, *list.Encode());
  EXPECT_EQ(encoded->substr(0, 4), "uH4s");  // gzip magic 1f 8b
  auto decoded = BitstringStatusList::Decode(*encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->bytes(), list.bytes());
}

TEST(StatusListTest, DecodesTheSpecExample) {
  auto list = BitstringStatusList::Decode(kSpecExample);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), 131072u);
  for (std::uint8_t byte : list->bytes()) ASSERT_EQ(byte, 0);
  // An empty list of the same size encodes to something as small.
  EXPECT_LT(BitstringStatusList::Create()->Encode()->size(), 100u);
}

TEST(StatusListTest, OneEdTechSampleHasIndex23Set) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob30/bit-string-list");
  for (const std::string& path : {FixturePath("bitstring-testlist.json"),
                                  SharedPath("openbadges/ob30/bit-string-list/testlist")}) {
    std::string text = ReadFile(path);
    ASSERT_FALSE(text.empty()) << path;
    auto list_credential = nlohmann::json::parse(text);
    auto list = BitstringStatusList::Decode(
        list_credential["credentialSubject"]["encodedList"].get<std::string>());
    ASSERT_TRUE(list.ok()) << list.status().ToString();
    EXPECT_EQ(list->size(), 131072u);
    for (std::size_t index = 0; index < 64; ++index) {
      EXPECT_EQ(*list->Get(index), index == 23) << index;
    }
  }
  std::string credential_text =
      ReadFile(SharedPath("openbadges/ob30/bit-string-list/credential-status-revoked.json"));
  ASSERT_FALSE(credential_text.empty());
  auto credential = nlohmann::json::parse(credential_text);
  auto list_credential = nlohmann::json::parse(ReadFile(FixturePath("bitstring-testlist.json")));
  auto revoked = ReadCredentialStatus(credential["credentialStatus"], list_credential);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_TRUE(*revoked);

  auto other = credential["credentialStatus"];
  other["statusListIndex"] = "24";
  EXPECT_FALSE(*ReadCredentialStatus(other, list_credential));
  other["statusPurpose"] = "suspension";
  EXPECT_FALSE(ReadCredentialStatus(other, list_credential).ok());
  other["statusPurpose"] = "revocation";
  other["statusListIndex"] = "-1";
  EXPECT_FALSE(ReadCredentialStatus(other, list_credential).ok());
  other["statusListIndex"] = "999999999";
  EXPECT_FALSE(ReadCredentialStatus(other, list_credential).ok());
}

TEST(StatusListTest, RefusesGzipBombs) {
  std::string zeros(8u << 20, '\0');  // 8 MiB of zeros gzip to a few KB
  auto bomb = Compress(zeros, CompressionFormat::kGzip);
  ASSERT_TRUE(bomb.ok());
  ASSERT_LT(bomb->size(), 64u * 1024);
  std::string encoded = "u" + Base64UrlEncode(*bomb);
  auto refused = BitstringStatusList::Decode(encoded);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("decompresses to more than"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(BitstringStatusList::Decode(kSpecExample, 1024).ok());  // caller's own cap
}

TEST(StatusListTest, RefusesMalformedEncodings) {
  std::string body = std::string(kSpecExample).substr(1);
  EXPECT_FALSE(BitstringStatusList::Decode("").ok());
  EXPECT_FALSE(BitstringStatusList::Decode(body).ok());        // no multibase prefix
  EXPECT_FALSE(BitstringStatusList::Decode("z" + body).ok());  // base58btc prefix
  EXPECT_FALSE(BitstringStatusList::Decode(std::string(kSpecExample) + "=").ok());
  EXPECT_FALSE(BitstringStatusList::Decode("uAAAA").ok());                           // not gzip
  EXPECT_FALSE(BitstringStatusList::Decode(kSpecExample + std::string("AA")).ok());  // trailing
  auto zlib = Compress(std::string(16384, '\0'), CompressionFormat::kZlib);
  EXPECT_FALSE(BitstringStatusList::Decode("u" + Base64UrlEncode(*zlib)).ok());
  std::string truncated = std::string(kSpecExample).substr(0, 40);
  EXPECT_FALSE(BitstringStatusList::Decode(truncated).ok());
}

TEST(StatusListTest, CorruptEncodingsAreHandled) {
  std::string encoded = *BitstringStatusList::Create()->Encode();
  std::mt19937 rng(3);
  for (int round = 0; round < 2000; ++round) {
    std::string mutated = encoded;
    mutated[1 + rng() % (mutated.size() - 1)] = "AZaz09-_"[rng() % 8];
    auto decoded = BitstringStatusList::Decode(mutated);  // error or a list; never a crash
    if (decoded.ok()) {
      EXPECT_LE(decoded->bytes().size(), kMaxStatusListBytes);
    }
  }
}

TEST(StatusListTest, CredentialMatchesTheOneEdTechShape) {
  auto sample = nlohmann::json::parse(ReadFile(FixturePath("bitstring-testlist.json")));
  sample.erase("proof");
  StatusListCredentialFields fields;
  fields.id = "https://example.com/credentials/status/3";
  fields.issuer = "https://1edtech.edu/issuers/565049";
  fields.valid_from = *ParseInstant("2021-04-05T14:27:40Z");
  fields.encoded_list = sample["credentialSubject"]["encodedList"];
  fields.subject_id = "https://example.com/status/3#list";
  EXPECT_EQ(BuildStatusListCredential(fields), sample);

  fields.subject_id.clear();
  fields.valid_until = *ParseInstant("2022-04-05T14:27:40Z");
  auto built = BuildStatusListCredential(fields);
  EXPECT_EQ(built["credentialSubject"]["id"], "https://example.com/credentials/status/3#list");
  EXPECT_EQ(built["validUntil"], "2022-04-05T14:27:40Z");
}

TEST(StatusListTest, EntryUsesAStringIndex) {
  auto entry = BuildStatusListEntry("https://example.com/credentials/status/3", 94567);
  EXPECT_EQ(entry, nlohmann::json::parse(R"({
    "id": "https://example.com/credentials/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://example.com/credentials/status/3"
  })"));
  // Our entry and list work together.
  auto list = *BitstringStatusList::Create();
  ASSERT_TRUE(list.Set(94567, true).ok());
  StatusListCredentialFields fields;
  fields.id = "https://example.com/credentials/status/3";
  fields.issuer = "did:example:12345";
  fields.encoded_list = *list.Encode();
  EXPECT_TRUE(*ReadCredentialStatus(entry, BuildStatusListCredential(fields)));
}

TEST(StatusListTest, Ob2RevocationListMatchesTheSampleShape) {
  CAIRN_SKIP_WITHOUT_TESTDATA("openbadges/ob20/assets/revocation-list.json");
  std::string text = ReadFile(SharedPath("openbadges/ob20/assets/revocation-list.json"));
  ASSERT_FALSE(text.empty());
  auto sample = nlohmann::json::parse(text);
  auto built = BuildOb2RevocationList(
      sample["id"].get<std::string>(), "https://example.org/organization.json",
      {{"https://example.org/beths-robotics-badge-revoked.json", "A good reason, for sure"},
       {"urn:uuid:52e4c6b3-8c13-4fa8-8482-a5cf34ef37a9", ""}});
  EXPECT_EQ(built["@context"], sample["@context"]);
  EXPECT_EQ(built["type"], sample["type"]);
  EXPECT_EQ(built["id"], sample["id"]);
  EXPECT_EQ(built["issuer"], "https://example.org/organization.json");
  EXPECT_EQ(built["revokedAssertions"][0], sample["revokedAssertions"][0]);
  EXPECT_EQ(built["revokedAssertions"][1], sample["revokedAssertions"][1]);
  EXPECT_EQ(BuildOb2RevocationList("https://x/rl", "https://x/i", {})["revokedAssertions"],
            nlohmann::json::array());
}

}  // namespace
}  // namespace cairn::credentials
