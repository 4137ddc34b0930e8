#include "notify/smtp_mailer.h"

#include <curl/curl.h>
#include <sodium.h>

#include <cstring>
#include <ctime>
#include <mutex>

namespace cairn {
namespace {

std::string Base64(std::string_view data) {
  std::string out(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool Ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || c == '\r' || c == '\n') return false;
  }
  return true;
}

// A header value: as is when plain ASCII, else RFC 2047 base64 words.
std::string HeaderText(std::string_view value) {
  if (Ascii(value)) return std::string(value);
  return "=?UTF-8?B?" + Base64(value) + "?=";
}

// Strips what would end a header early.
std::string OneLine(std::string_view value) {
  std::string out;
  for (char c : value) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

struct Upload {
  std::string data;
  std::size_t sent = 0;
};

std::size_t ReadPayload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t n = std::min(room, upload->data.size() - upload->sent);
  std::memcpy(buffer, upload->data.data() + upload->sent, n);
  upload->sent += n;
  return n;
}

}  // namespace

std::string FormatEmail(const EmailMessage& m, const std::string& date) {
  std::string out;
  auto header = [&](std::string_view name, const std::string& value) {
    out.append(name).append(": ").append(value).append("\r\n");
  };
  header("Date", date);
  header("From", "<" + OneLine(m.from) + ">");
  header("To", "<" + OneLine(m.to) + ">");
  header("Message-ID", OneLine(m.message_id));
  header("Subject", HeaderText(OneLine(m.subject)));
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=UTF-8");
  header("Content-Transfer-Encoding", "8bit");
  if (!m.language.empty()) header("Content-Language", OneLine(m.language));
  if (!m.unsubscribe_url.empty()) {
    header("List-Unsubscribe", "<" + OneLine(m.unsubscribe_url) + ">");
    header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
  }
  out += "\r\n";
  // Body lines end in CRLF; a bare LF becomes one.
  for (std::size_t i = 0; i < m.text.size(); ++i) {
    if (m.text[i] == '\n' && (i == 0 || m.text[i - 1] != '\r')) out += '\r';
    out += m.text[i];
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

SmtpMailer::SmtpMailer(SmtpOptions options) : options_(std::move(options)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Status SmtpMailer::Send(const EmailMessage& message) {
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  Upload upload{FormatEmail(message, date), 0};

  CURL* curl = curl_easy_init();
  if (!curl) return Status::Internal("smtp: cannot start libcurl");
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + OneLine(message.to) + ">").c_str());
  const std::string from = "<" + OneLine(message.from) + ">";
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadPayload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, options_.timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, options_.timeout_seconds * 3);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  long response = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK) return Status::Ok();
  const std::string what = "smtp " + options_.url + ": " + curl_easy_strerror(rc) +
                           (response ? " (reply " + std::to_string(response) + ")" : "");
  // A permanent refusal (5xx) will not get better by retrying.
  if (response >= 500) return Status::Invalid(what);
  return Status::Unavailable(what);
}

}  // namespace cairn
