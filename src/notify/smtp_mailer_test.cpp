#include "notify/smtp_mailer.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

EmailMessage Message() {
  EmailMessage m;
  m.from = "cairn@district.test";
  m.to = "family@example.test";
  m.subject = "Maya obtuvo la insignia M101";
  m.text = "Line one\nLine two";
  m.message_id = "<n7@cairn>";
  m.unsubscribe_url = "https://cairn.test/api/v1/unsubscribe?token=7.abc";
  m.language = "es";
  return m;
}

TEST(SmtpMailerTest, FormatsHeadersAndCrlfBody) {
  const std::string wire = FormatEmail(Message(), "Sat, 05 Dec 2026 19:00:00 +0000");
  EXPECT_NE(wire.find("Date: Sat, 05 Dec 2026 19:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Message-ID: <n7@cairn>\r\n"), std::string::npos);
  // Plain ASCII subjects go as they are.
  EXPECT_NE(wire.find("Subject: Maya obtuvo la insignia M101\r\n"), std::string::npos);
  EXPECT_NE(wire.find("List-Unsubscribe: <https://cairn.test/api/v1/unsubscribe?token=7.abc>\r\n"),
            std::string::npos);
  EXPECT_NE(wire.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Content-Language: es\r\n"), std::string::npos);
  EXPECT_NE(wire.find("\r\n\r\nLine one\r\nLine two\r\n"), std::string::npos);
}

TEST(SmtpMailerTest, EncodesAccentedSubjectsAndKeepsHeadersOnOneLine) {
  EmailMessage m = Message();
  m.subject = "Obtuviste la insignia \u00c1lgebra\r\nBcc: someone@evil.test";
  const std::string wire = FormatEmail(m, "x");
  EXPECT_NE(wire.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(wire.find("\r\nBcc:"), std::string::npos);
  m.to = "a@b.test>\r\nBcc: <c@d.test";
  EXPECT_EQ(FormatEmail(m, "x").find("\r\nBcc:"), std::string::npos);
}

TEST(SmtpMailerTest, AServerThatCannotBeReachedIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  SmtpMailer mailer({"smtp://127.0.0.1:1", "", "", 5});
  Status s = mailer.Send(Message());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.message();
}

}  // namespace
}  // namespace cairn
