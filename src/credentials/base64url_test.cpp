#include "credentials/base64url.h"

#include <gtest/gtest.h>

namespace cairn::credentials {
namespace {

TEST(Base64UrlTest, Rfc4648Vectors) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64UrlTest, RoundTripsAllByteValues) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (std::size_t length = 0; length <= bytes.size(); length += 37) {
    auto decoded = Base64UrlDecode(Base64UrlEncode(bytes.substr(0, length)));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, bytes.substr(0, length));
  }
}

TEST(Base64UrlTest, DecodingIsStrict) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").ok());       // padding
  EXPECT_FALSE(Base64UrlDecode("Zm9v YmFy").ok());  // whitespace
  EXPECT_FALSE(Base64UrlDecode("Zm+v").ok());       // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm9vY").ok());      // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());         // non-zero trailing bits ("Zg" is canonical)
  auto error = Base64UrlDecode("ab$d");
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.status().message().find("offset 2"), std::string::npos);
}

}  // namespace
}  // namespace cairn::credentials
