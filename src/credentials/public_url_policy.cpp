#include "credentials/public_url_policy.h"

#include <algorithm>
#include <cctype>

namespace cairn {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The host of scheme://[userinfo@]host[:port][/...], brackets of an IPv6
// literal removed.
std::string HostOf(std::string_view url) {
  std::size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  std::string_view rest = url.substr(start);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    return Lower(rest.substr(1, close == std::string_view::npos ? rest.size() - 1 : close - 1));
  }
  return Lower(rest.substr(0, rest.find(':')));
}

}  // namespace

bool IsLoopbackUrl(std::string_view url) {
  const std::string host = HostOf(url);
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  const bool ipv4 = !host.empty() && host.find_first_not_of("0123456789.") == std::string::npos;
  if (ipv4 && (host.rfind("127.", 0) == 0 || host == "0.0.0.0")) return true;
  return host == "::1" || host == "::" || host == "0:0:0:0:0:0:0:1";
}

std::string IssuanceBlockedReason(std::string_view public_url, bool dev) {
  if (dev) return "";
  const std::string url = Lower(public_url);
  if (url.rfind("https://", 0) != 0) {
    return "credentials are not issued while the public URL (" + std::string(public_url) +
           ") is not https: verifiers could not check them; restart with `cairn serve "
           "--public-url https://...` (or --dev for local development)";
  }
  if (IsLoopbackUrl(url)) {
    return "credentials are not issued while the public URL (" + std::string(public_url) +
           ") is a loopback address no one else can reach; restart with `cairn serve "
           "--public-url https://<your host>` (or --dev for local development)";
  }
  return "";
}

}  // namespace cairn
