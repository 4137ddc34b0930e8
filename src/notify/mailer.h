// Sending one email. The server uses SmtpMailer (smtp_mailer.h); tests use
// a fake that keeps what it was given.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace cairn {

struct EmailMessage {
  std::string from;  // an address: "cairn@district.example"
  std::string to;
  std::string subject;
  std::string text;  // plain text, UTF-8
  // Stable for every attempt at the same notification, so a mail system
  // that received an earlier attempt can drop a repeat.
  std::string message_id;       // "<n12.a3@cairn>" form, with the angle brackets
  std::string unsubscribe_url;  // List-Unsubscribe (RFC 8058 one-click); "" none
  std::string language;         // Content-Language
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // OK once the server has accepted the message. Errors are values:
  // kUnavailable for a server that cannot be reached or refuses for now.
  virtual Status Send(const EmailMessage& message) = 0;
};

// The whole message as it goes on the wire: headers (subject RFC 2047
// encoded when not ASCII), a blank line, the body with CRLF line ends.
std::string FormatEmail(const EmailMessage& message, const std::string& date_rfc5322);

}  // namespace cairn
