#include "cli/http_fetch.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>

namespace cairn {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct Url {
  bool tls = false;
  std::string host, port, target;
};

Result<Url> ParseUrl(const std::string& url) {
  Url out;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    out.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return Status::Invalid("url: only http and https addresses can be fetched: " + url);
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (auto hash = out.target.find('#'); hash != std::string::npos) out.target.resize(hash);
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    out.host = authority.substr(0, colon);
    out.port = authority.substr(colon + 1);
  } else {
    out.host = authority;
    out.port = out.tls ? "443" : "80";
  }
  if (out.host.empty()) return Status::Invalid("url: no host in " + url);
  return out;
}

template <typename Stream>
Result<http::response<http::string_body>> Exchange(Stream& stream, const Url& url,
                                                   const FetchLimits& limits) {
  http::request<http::empty_body> req{http::verb::get, url.target, 11};
  req.set(http::field::host, url.host);
  req.set(http::field::user_agent, "cairn-verify");
  req.set(http::field::accept, "application/ld+json, application/json, */*");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(limits.max_bytes);
  http::read(stream, buffer, parser);
  return parser.release();
}

}  // namespace

Result<std::string> HttpGet(const std::string& url_text, const FetchLimits& limits) {
  std::string current = url_text;
  for (int hop = 0; hop <= limits.max_redirects; ++hop) {
    CAIRN_ASSIGN_OR_RETURN(Url url, ParseUrl(current));
    try {
      asio::io_context io;
      tcp::resolver resolver(io);
      auto endpoints = resolver.resolve(url.host, url.port);
      http::response<http::string_body> res;
      if (url.tls) {
        ssl::context tls(ssl::context::tls_client);
        tls.set_default_verify_paths();
        tls.set_verify_mode(ssl::verify_peer);
        beast::ssl_stream<beast::tcp_stream> stream(io, tls);
        SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str());
        stream.set_verify_callback(ssl::host_name_verification(url.host));
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(limits.timeout_seconds));
        beast::get_lowest_layer(stream).connect(endpoints);
        stream.handshake(ssl::stream_base::client);
        CAIRN_ASSIGN_OR_RETURN(res, Exchange(stream, url, limits));
      } else {
        beast::tcp_stream stream(io);
        stream.expires_after(std::chrono::seconds(limits.timeout_seconds));
        stream.connect(endpoints);
        CAIRN_ASSIGN_OR_RETURN(res, Exchange(stream, url, limits));
      }
      const int status = res.result_int();
      if (status == 200) return std::move(res.body());
      if (status >= 300 && status < 400 && res.find(http::field::location) != res.end()) {
        current = std::string(res[http::field::location]);
        continue;
      }
      if (status == 404 || status == 410) {
        return Status::NotFound(current + " answered " + std::to_string(status) +
                                (res.body().empty() ? "" : ": " + res.body().substr(0, 300)));
      }
      return Status::Internal(current + " answered " + std::to_string(status));
    } catch (const std::exception& e) {
      return Status::Internal("fetching " + current + ": " + e.what());
    }
  }
  return Status::Internal("too many redirects from " + url_text);
}

}  // namespace cairn
