// Mailer over SMTP with libcurl: one connection per message, STARTTLS when
// the server offers it (smtps:// for TLS from the start), timeouts so a
// stuck server never holds the sender.
#pragma once

#include <string>

#include "notify/mailer.h"

namespace cairn {

struct SmtpOptions {
  std::string url;                 // smtp://host:port or smtps://host:port
  std::string username, password;  // empty: no AUTH
  long timeout_seconds = 20;
};

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpOptions options);
  Status Send(const EmailMessage& message) override;

 private:
  SmtpOptions options_;
};

}  // namespace cairn
