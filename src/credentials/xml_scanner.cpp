#include "credentials/xml_scanner.h"

#include <cstdint>

namespace cairn::credentials {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsNameStart(char c) {
  auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || byte >= 0x80;
}

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

bool StartsWith(std::string_view text, std::size_t pos, std::string_view prefix) {
  return text.size() >= pos && text.substr(pos).substr(0, prefix.size()) == prefix;
}

bool IsXmlChar(std::uint32_t code) {
  return code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) ||
         (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
}

void AppendUtf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | code >> 6);
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | code >> 12);
    out += static_cast<char>(0x80 | (code >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | code >> 18);
    out += static_cast<char>(0x80 | (code >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (code >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

Result<std::uint32_t> ParseCharRef(std::string_view body) {
  // body is "#123" or "#x1F".
  bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
  std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return Status::Invalid("bad character reference");
  std::uint32_t code = 0;
  for (char c : digits) {
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return Status::Invalid("bad character reference");
    }
    code = code * (hex ? 16u : 10u) + digit;
    if (code > 0x10FFFF) return Status::Invalid("character reference out of range");
  }
  if (!IsXmlChar(code)) return Status::Invalid("character reference to a non-XML character");
  return code;
}

}  // namespace

Result<std::string> DecodeXmlEntities(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    std::size_t semi = raw.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      return Status::Invalid("'&' not followed by an entity reference");
    }
    std::string_view body = raw.substr(i + 1, semi - i - 1);
    if (body == "lt") {
      out += '<';
    } else if (body == "gt") {
      out += '>';
    } else if (body == "amp") {
      out += '&';
    } else if (body == "quot") {
      out += '"';
    } else if (body == "apos") {
      out += '\'';
    } else if (!body.empty() && body[0] == '#') {
      CAIRN_ASSIGN_OR_RETURN(std::uint32_t code, ParseCharRef(body));
      AppendUtf8(out, code);
    } else {
      return Status::Invalid("undefined entity '&" + std::string(body) + ";'");
    }
    i = semi + 1;
  }
  return out;
}

std::string_view XmlPrefix(std::string_view qualified_name) {
  std::size_t colon = qualified_name.find(':');
  return colon == std::string_view::npos ? std::string_view() : qualified_name.substr(0, colon);
}

std::string_view XmlLocalName(std::string_view qualified_name) {
  std::size_t colon = qualified_name.find(':');
  return colon == std::string_view::npos ? qualified_name : qualified_name.substr(colon + 1);
}

XmlScanner::XmlScanner(std::string_view document) : doc_(document) {}

Status XmlScanner::Error(std::size_t offset, std::string_view what) const {
  return Status::Invalid("XML at byte " + std::to_string(offset) + ": " + std::string(what));
}

Result<XmlToken> XmlScanner::Next() {
  XmlToken token;
  token.begin = pos_;
  if (pos_ >= doc_.size()) {
    token.kind = XmlToken::Kind::kEnd;
    token.end = pos_;
    return token;
  }
  if (doc_[pos_] != '<') {
    std::size_t lt = doc_.find('<', pos_);
    if (lt == std::string_view::npos) lt = doc_.size();
    auto decoded = DecodeXmlEntities(doc_.substr(pos_, lt - pos_));
    if (!decoded.ok()) return Error(pos_, decoded.status().message());
    token.kind = XmlToken::Kind::kText;
    token.text = std::move(decoded).value();
    token.end = pos_ = lt;
    return token;
  }
  if (StartsWith(doc_, pos_, "<!")) return ScanMarkupDeclaration(pos_);
  if (StartsWith(doc_, pos_, "<?")) {
    std::size_t close = doc_.find("?>", pos_ + 2);
    if (close == std::string_view::npos) return Error(pos_, "unterminated processing instruction");
    token.kind = XmlToken::Kind::kProcessing;
    token.end = pos_ = close + 2;
    return token;
  }
  if (StartsWith(doc_, pos_, "</")) {
    std::size_t i = pos_ + 2;
    std::size_t name_begin = i;
    while (i < doc_.size() && IsNameChar(doc_[i])) ++i;
    if (i == name_begin) return Error(pos_, "end tag without a name");
    token.name = doc_.substr(name_begin, i - name_begin);
    while (i < doc_.size() && IsSpace(doc_[i])) ++i;
    if (i >= doc_.size() || doc_[i] != '>') return Error(pos_, "unterminated end tag");
    token.kind = XmlToken::Kind::kEndTag;
    token.end = pos_ = i + 1;
    return token;
  }
  return ScanTag(pos_);
}

Result<XmlToken> XmlScanner::ScanMarkupDeclaration(std::size_t start) {
  XmlToken token;
  token.begin = start;
  if (StartsWith(doc_, start, "<!--")) {
    std::size_t close = doc_.find("-->", start + 4);
    if (close == std::string_view::npos) return Error(start, "unterminated comment");
    token.kind = XmlToken::Kind::kComment;
    token.end = pos_ = close + 3;
    return token;
  }
  if (StartsWith(doc_, start, "<![CDATA[")) {
    std::size_t close = doc_.find("]]>", start + 9);
    if (close == std::string_view::npos) return Error(start, "unterminated CDATA section");
    token.kind = XmlToken::Kind::kCData;
    token.text = std::string(doc_.substr(start + 9, close - start - 9));
    token.end = pos_ = close + 3;
    return token;
  }
  if (StartsWith(doc_, start, "<!DOCTYPE")) {
    // Only an external identifier is allowed; an internal subset ('[') is where
    // entity declarations live, so it is refused rather than parsed.
    char quote = 0;
    for (std::size_t i = start + 9; i < doc_.size(); ++i) {
      char c = doc_[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        return Error(start, "DOCTYPE with an internal subset (entity declarations) is refused");
      } else if (c == '>') {
        token.kind = XmlToken::Kind::kDoctype;
        token.end = pos_ = i + 1;
        return token;
      }
    }
    return Error(start, "unterminated DOCTYPE");
  }
  if (StartsWith(doc_, start, "<!ENTITY")) return Error(start, "ENTITY declarations are refused");
  return Error(start, "unsupported markup declaration");
}

Result<XmlToken> XmlScanner::ScanTag(std::size_t start) {
  XmlToken token;
  token.begin = start;
  token.kind = XmlToken::Kind::kStartTag;
  std::size_t i = start + 1;
  if (i >= doc_.size() || !IsNameStart(doc_[i])) return Error(start, "'<' not followed by a name");
  std::size_t name_begin = i;
  while (i < doc_.size() && IsNameChar(doc_[i])) ++i;
  token.name = doc_.substr(name_begin, i - name_begin);
  token.name_end = i;
  while (true) {
    bool had_space = false;
    while (i < doc_.size() && IsSpace(doc_[i])) ++i, had_space = true;
    if (i >= doc_.size()) return Error(start, "unterminated start tag");
    if (doc_[i] == '>') {
      token.end = pos_ = i + 1;
      return token;
    }
    if (doc_[i] == '/') {
      if (i + 1 >= doc_.size() || doc_[i + 1] != '>') return Error(i, "stray '/' in start tag");
      token.self_closing = true;
      token.end = pos_ = i + 2;
      return token;
    }
    if (!had_space || !IsNameStart(doc_[i])) return Error(i, "malformed attribute");
    std::size_t attr_begin = i;
    while (i < doc_.size() && IsNameChar(doc_[i])) ++i;
    XmlAttribute attribute;
    attribute.name = doc_.substr(attr_begin, i - attr_begin);
    while (i < doc_.size() && IsSpace(doc_[i])) ++i;
    if (i >= doc_.size() || doc_[i] != '=') return Error(i, "attribute without '='");
    ++i;
    while (i < doc_.size() && IsSpace(doc_[i])) ++i;
    if (i >= doc_.size() || (doc_[i] != '"' && doc_[i] != '\'')) {
      return Error(i, "attribute value not quoted");
    }
    char quote = doc_[i++];
    std::size_t close = doc_.find(quote, i);
    if (close == std::string_view::npos) return Error(i, "unterminated attribute value");
    std::string_view raw = doc_.substr(i, close - i);
    if (raw.find('<') != std::string_view::npos) return Error(i, "'<' in attribute value");
    auto decoded = DecodeXmlEntities(raw);
    if (!decoded.ok()) return Error(i, decoded.status().message());
    for (const XmlAttribute& seen : token.attributes) {
      if (seen.name == attribute.name) return Error(attr_begin, "duplicate attribute");
    }
    attribute.value = std::move(decoded).value();
    attribute.value_begin = i;
    attribute.value_end = close;
    token.attributes.push_back(std::move(attribute));
    i = close + 1;
  }
}

}  // namespace cairn::credentials
