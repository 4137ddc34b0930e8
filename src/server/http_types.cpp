#include "server/http_types.h"

#include <future>

namespace cairn {

void PendingResponse::Complete(HttpResponse response) {
  Responder next;
  {
    std::lock_guard lock(mutex_);
    if (!next_) {
      result_ = std::move(response);
      return;
    }
    next = std::move(next_);
  }
  next(std::move(response));
}

void PendingResponse::OnComplete(Responder next) {
  HttpResponse ready;
  {
    std::lock_guard lock(mutex_);
    if (!result_) {
      next_ = std::move(next);
      return;
    }
    ready = std::move(*result_);
    result_.reset();
  }
  next(std::move(ready));
}

std::shared_ptr<PendingResponse> PendingResponse::Then(std::function<void(HttpResponse&)> fn) {
  auto after = std::make_shared<PendingResponse>();
  OnComplete([after, fn = std::move(fn)](HttpResponse response) {
    fn(response);
    after->Complete(std::move(response));
  });
  return after;
}

HttpResponse PendingResponse::Wait() {
  // Shared: the completing thread may still be inside set_value when get()
  // returns here.
  auto done = std::make_shared<std::promise<HttpResponse>>();
  auto result = done->get_future();
  OnComplete([done](HttpResponse response) { done->set_value(std::move(response)); });
  return result.get();
}

std::string_view HttpRequest::Path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::map<std::string, std::string> HttpRequest::Query() const {
  std::map<std::string, std::string> out;
  auto q = target.find('?');
  if (q == std::string::npos) return out;
  std::string_view rest = std::string_view(target).substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    std::string key = UrlDecode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
    if (!key.empty()) out[key] = value;
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return out;
}

std::optional<std::string> HttpRequest::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

std::optional<std::string> HttpRequest::Cookie(std::string_view name) const {
  auto header = Header("cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view item = rest.substr(0, semi);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    auto eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == name) {
      return std::string(item.substr(eq + 1));
    }
    if (semi == std::string_view::npos) break;
    rest = rest.substr(semi + 1);
  }
  return std::nullopt;
}

std::string UrlDecode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 &&
               hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace cairn
