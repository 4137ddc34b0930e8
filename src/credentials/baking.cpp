#include "credentials/baking.h"

#include "common/json_limits.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "credentials/bounded_inflate.h"
#include "credentials/utf8.h"
#include "credentials/xml_scanner.h"

namespace cairn::credentials {
namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::string_view kOb3Keyword = "openbadgecredential";
constexpr std::string_view kOb2Keyword = "openbadges";
constexpr std::string_view kOb3Namespace = "https://purl.imsglobal.org/ob/v3p0";
constexpr std::string_view kOb2Namespace = "http://openbadges.org";
constexpr std::uint32_t kMaxChunkLength = 0x7FFFFFFF;  // PNG §5.3

std::string_view Trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

const char* VersionName(BadgeVersion version) {
  return version == BadgeVersion::kOb30 ? "OB 3.0" : "OB 2.0";
}

// --- PNG -------------------------------------------------------------------

struct PngChunk {
  int ordinal = 0;  // 1-based position, for messages
  std::string_view type;
  std::string_view data;
  std::string_view raw;  // length + type + data + CRC
};

std::uint32_t ReadBe32(std::string_view bytes, std::size_t pos) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[pos])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[pos + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[pos + 2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[pos + 3]));
}

void AppendBe32(std::string& out, std::uint32_t value) {
  out += static_cast<char>(value >> 24 & 0xFF);
  out += static_cast<char>(value >> 16 & 0xFF);
  out += static_cast<char>(value >> 8 & 0xFF);
  out += static_cast<char>(value & 0xFF);
}

std::uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32_z(0L, Z_NULL, 0);
  crc = crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size());
  return static_cast<std::uint32_t>(crc);
}

bool IsChunkType(std::string_view type) {
  return std::all_of(type.begin(), type.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

std::string ChunkName(const PngChunk& chunk) {
  return "chunk " + std::to_string(chunk.ordinal) + " (" + std::string(chunk.type) + ")";
}

// Walks the whole datastream: signature, then length/type/data/CRC until IEND.
// Every length is checked against what is left before anything is read.
Result<std::vector<PngChunk>> ParsePngChunks(std::string_view png) {
  if (png.size() < kPngSignature.size() || png.substr(0, kPngSignature.size()) != kPngSignature) {
    return Status::Invalid("not a PNG (missing PNG signature)");
  }
  std::vector<PngChunk> chunks;
  std::size_t pos = kPngSignature.size();
  for (int ordinal = 1;; ++ordinal) {
    std::size_t left = png.size() - pos;
    if (left == 0) {
      return Status::Invalid("PNG truncated: no IEND chunk after chunk " +
                             std::to_string(ordinal - 1));
    }
    if (left < 8) {
      return Status::Invalid("PNG truncated: chunk " + std::to_string(ordinal) +
                             " header incomplete at byte " + std::to_string(pos));
    }
    PngChunk chunk;
    chunk.ordinal = ordinal;
    chunk.type = png.substr(pos + 4, 4);
    if (!IsChunkType(chunk.type)) {
      return Status::Invalid("chunk " + std::to_string(ordinal) + " at byte " +
                             std::to_string(pos) + " has an invalid type");
    }
    std::uint32_t length = ReadBe32(png, pos);
    if (length > kMaxChunkLength) {
      return Status::Invalid(ChunkName(chunk) + " length " + std::to_string(length) +
                             " exceeds the PNG maximum");
    }
    if (static_cast<std::uint64_t>(length) + 12 > left) {
      return Status::Invalid(ChunkName(chunk) + " length " + std::to_string(length) +
                             " exceeds file (" + std::to_string(left - 8) + " bytes left)");
    }
    chunk.data = png.substr(pos + 8, length);
    chunk.raw = png.substr(pos, 12 + static_cast<std::size_t>(length));
    std::uint32_t stored_crc = ReadBe32(png, pos + 8 + length);
    if (Crc32(png.substr(pos + 4, 4 + static_cast<std::size_t>(length))) != stored_crc) {
      return Status::Invalid("CRC mismatch in " + std::string(chunk.type) + " chunk (chunk " +
                             std::to_string(ordinal) + ")");
    }
    if (ordinal == 1 && chunk.type != "IHDR") {
      return Status::Invalid("first chunk is " + std::string(chunk.type) + ", not IHDR");
    }
    chunks.push_back(chunk);
    pos += chunk.raw.size();
    if (chunk.type == "IEND") return chunks;  // anything after IEND is ignored
  }
}

bool IsTextChunk(const PngChunk& chunk) {
  return chunk.type == "iTXt" || chunk.type == "tEXt" || chunk.type == "zTXt";
}

// The keyword of a text chunk (bytes before the first NUL; 1-79 bytes), or empty.
std::string_view TextKeyword(const PngChunk& chunk) {
  std::size_t nul = chunk.data.substr(0, 80).find('\0');
  if (nul == std::string_view::npos || nul == 0) return {};
  return chunk.data.substr(0, nul);
}

bool IsBadgeKeyword(std::string_view keyword) {
  return keyword == kOb3Keyword || keyword == kOb2Keyword;
}

Result<BakedCredential> DecodeBadgeChunk(const PngChunk& chunk) {
  std::string_view keyword = TextKeyword(chunk);
  std::string_view rest = chunk.data.substr(keyword.size() + 1);
  std::string where = std::string(chunk.type) + " '" + std::string(keyword) + "' (chunk " +
                      std::to_string(chunk.ordinal) + ")";
  BakedCredential baked;
  baked.version = keyword == kOb3Keyword ? BadgeVersion::kOb30 : BadgeVersion::kOb20;
  baked.carrier = std::string(chunk.type);
  std::string text;
  if (chunk.type == "tEXt") {
    text = Latin1ToUtf8(rest);
  } else if (chunk.type == "zTXt") {
    if (rest.empty() || rest[0] != 0)
      return Status::Invalid(where + ": unknown compression method");
    auto inflated = Decompress(rest.substr(1), CompressionFormat::kZlib, kMaxBakedPayloadBytes);
    if (!inflated.ok()) return Status::Invalid(where + ": " + inflated.status().message());
    text = Latin1ToUtf8(*inflated);
  } else {  // iTXt: flag, method, language\0, translated keyword\0, text
    if (rest.size() < 2) return Status::Invalid(where + ": truncated header");
    auto flag = static_cast<unsigned char>(rest[0]);
    auto method = static_cast<unsigned char>(rest[1]);
    std::string_view after = rest.substr(2);
    std::size_t language_end = after.find('\0');
    if (language_end == std::string_view::npos) {
      return Status::Invalid(where + ": missing language tag terminator");
    }
    after.remove_prefix(language_end + 1);
    std::size_t translated_end = after.find('\0');
    if (translated_end == std::string_view::npos) {
      return Status::Invalid(where + ": missing translated keyword terminator");
    }
    after.remove_prefix(translated_end + 1);
    if (flag == 0) {
      text = std::string(after);
    } else if (flag == 1 && method == 0) {
      auto inflated = Decompress(after, CompressionFormat::kZlib, kMaxBakedPayloadBytes);
      if (!inflated.ok()) return Status::Invalid(where + ": " + inflated.status().message());
      text = std::move(inflated).value();
      baked.carrier = "iTXt (compressed)";
    } else {
      return Status::Invalid(where + ": unknown compression flag/method");
    }
    if (!IsValidUtf8(text)) return Status::Invalid(where + ": text is not valid UTF-8");
  }
  if (text.size() > kMaxBakedPayloadBytes) return Status::Invalid(where + ": text too large");
  baked.payload = std::string(Trim(text));
  if (baked.payload.empty()) return Status::Invalid(where + ": empty text");
  baked.kind = ClassifyBakedPayload(baked.payload);
  return baked;
}

std::string MakeItxtChunk(std::string_view keyword, std::string_view text) {
  std::string body;
  body.reserve(4 + keyword.size() + 5 + text.size());
  body += "iTXt";
  body += keyword;
  body += '\0';  // keyword terminator
  body += '\0';  // compression flag: uncompressed (the specs forbid compression)
  body += '\0';  // compression method
  body += '\0';  // empty language tag
  body += '\0';  // empty translated keyword
  body += text;
  std::string chunk;
  AppendBe32(chunk, static_cast<std::uint32_t>(body.size() - 4));
  chunk += body;
  AppendBe32(chunk, Crc32(body));
  return chunk;
}

// --- payload checks shared by PNG and SVG -----------------------------------

Result<std::string_view> CheckPayload(BadgeVersion version, std::string_view payload,
                                      BakedPayloadKind& kind) {
  std::string_view trimmed = Trim(payload);
  if (trimmed.empty()) return Status::Invalid("nothing to bake: empty payload");
  if (trimmed.size() > kMaxBakedPayloadBytes) {
    return Status::Invalid("payload exceeds " + std::to_string(kMaxBakedPayloadBytes) + " bytes");
  }
  if (!IsValidUtf8(trimmed)) return Status::Invalid("payload is not valid UTF-8");
  if (trimmed.find('\0') != std::string_view::npos) return Status::Invalid("payload contains NUL");
  kind = ClassifyBakedPayload(trimmed);
  if (kind == BakedPayloadKind::kJson) {
    auto parsed = ParseUntrustedJsonOrDiscarded(trimmed);
    if (parsed.is_discarded() || !parsed.is_object()) {
      return Status::Invalid("payload starts with '{' but is not a JSON object");
    }
  }
  bool allowed = kind == BakedPayloadKind::kJson || kind == BakedPayloadKind::kCompactJws ||
                 (version == BadgeVersion::kOb20 && kind == BakedPayloadKind::kUrl);
  if (!allowed) {
    return Status::Invalid(std::string(VersionName(version)) +
                           " payload must be credential JSON or a compact JWS" +
                           (version == BadgeVersion::kOb20 ? " or a hosted assertion URL" : ""));
  }
  return trimmed;
}

// --- SVG --------------------------------------------------------------------

std::string_view StripBom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

bool IsBlank(std::string_view text) { return Trim(text).empty(); }

// Namespace declarations in scope, innermost last.
class NamespaceScopes {
 public:
  void Push(const XmlToken& tag) {
    std::vector<std::pair<std::string, std::string>> frame;
    for (const XmlAttribute& attribute : tag.attributes) {
      if (XmlPrefix(attribute.name) == "xmlns") {
        frame.emplace_back(std::string(XmlLocalName(attribute.name)), attribute.value);
      }
    }
    frames_.push_back(std::move(frame));
  }
  void Pop() {
    if (!frames_.empty()) frames_.pop_back();
  }
  std::optional<std::string> Lookup(std::string_view prefix) const {
    for (auto frame = frames_.rbegin(); frame != frames_.rend(); ++frame) {
      for (const auto& [name, uri] : *frame) {
        if (name == prefix) return uri;
      }
    }
    return std::nullopt;
  }

 private:
  std::vector<std::vector<std::pair<std::string, std::string>>> frames_;
};

// Which badge element `tag` is, if any: <p:credential> with p bound to the OB 3.0
// namespace, <p:assertion> with p bound to OB 2.0, or the conventional
// "openbadges" prefix left undeclared (tolerated).
std::optional<BadgeVersion> BadgeElementVersion(const XmlToken& tag,
                                                const NamespaceScopes& scopes) {
  std::string_view local = XmlLocalName(tag.name);
  std::string_view prefix = XmlPrefix(tag.name);
  if (local != "credential" && local != "assertion") return std::nullopt;
  std::optional<std::string> uri = scopes.Lookup(prefix);
  if (!uri) {
    if (prefix != "openbadges") return std::nullopt;
    return local == "credential" ? BadgeVersion::kOb30 : BadgeVersion::kOb20;
  }
  if (local == "credential" && *uri == kOb3Namespace) return BadgeVersion::kOb30;
  if (local == "assertion" && *uri == kOb2Namespace) return BadgeVersion::kOb20;
  return std::nullopt;
}

// Reads the content of a badge element after its start tag, up to the matching
// end tag. Returns the concatenated text and CDATA.
Result<std::string> ReadBadgeElementBody(XmlScanner& scanner, const XmlToken& start,
                                         std::size_t& end_offset) {
  std::string body;
  while (true) {
    CAIRN_ASSIGN_OR_RETURN(XmlToken token, scanner.Next());
    switch (token.kind) {
      case XmlToken::Kind::kText:
      case XmlToken::Kind::kCData:
        if (body.size() + token.text.size() > kMaxBakedPayloadBytes) {
          return Status::Invalid("<" + std::string(start.name) + "> content too large");
        }
        body += token.text;
        break;
      case XmlToken::Kind::kComment:
      case XmlToken::Kind::kProcessing:
        break;
      case XmlToken::Kind::kEndTag:
        if (token.name != start.name) {
          return Status::Invalid("mismatched end tag </" + std::string(token.name) + "> in <" +
                                 std::string(start.name) + ">");
        }
        end_offset = token.end;
        return body;
      case XmlToken::Kind::kStartTag:
        return Status::Invalid("unexpected element <" + std::string(token.name) + "> inside <" +
                               std::string(start.name) + ">");
      case XmlToken::Kind::kDoctype:
        return Status::Invalid("DOCTYPE inside <" + std::string(start.name) + ">");
      case XmlToken::Kind::kEnd:
        return Status::Invalid("unterminated <" + std::string(start.name) + "> element");
    }
  }
}

struct SvgScan {
  XmlToken root;
  std::optional<BakedCredential> first_badge;
  std::vector<std::pair<std::size_t, std::size_t>> badge_ranges;  // every badge element
};

// One pass over the document: checks the structure (single <svg> root, nesting,
// no entity declarations) and finds every baked credential element.
Result<SvgScan> ScanSvg(std::string_view svg) {
  SvgScan scan;
  XmlScanner scanner(svg);
  NamespaceScopes scopes;
  std::vector<std::string_view> open;
  bool root_seen = false;
  while (true) {
    CAIRN_ASSIGN_OR_RETURN(XmlToken token, scanner.Next());
    switch (token.kind) {
      case XmlToken::Kind::kEnd:
        if (!root_seen) return Status::Invalid("not an SVG: no root element");
        if (!open.empty()) {
          return Status::Invalid("unterminated <" + std::string(open.back()) + "> element");
        }
        return scan;
      case XmlToken::Kind::kText:
      case XmlToken::Kind::kCData:
        if (open.empty() && !IsBlank(token.text)) {
          return Status::Invalid("not an SVG: text outside the root element");
        }
        break;
      case XmlToken::Kind::kComment:
      case XmlToken::Kind::kProcessing:
        break;
      case XmlToken::Kind::kDoctype:
        if (root_seen) return Status::Invalid("DOCTYPE after the root element");
        break;
      case XmlToken::Kind::kEndTag:
        if (open.empty() || open.back() != token.name) {
          return Status::Invalid("mismatched end tag </" + std::string(token.name) + ">");
        }
        open.pop_back();
        scopes.Pop();
        break;
      case XmlToken::Kind::kStartTag: {
        if (open.empty()) {
          if (root_seen) return Status::Invalid("more than one root element");
          if (XmlLocalName(token.name) != "svg") {
            return Status::Invalid("not an SVG: root element is <" + std::string(token.name) + ">");
          }
          root_seen = true;
          scan.root = token;
        }
        scopes.Push(token);
        std::optional<BadgeVersion> version =
            open.empty() ? std::nullopt : BadgeElementVersion(token, scopes);
        if (!version) {
          if (token.self_closing) {
            scopes.Pop();
          } else {
            open.push_back(token.name);
          }
          break;
        }
        std::size_t end_offset = token.end;
        std::string body;
        if (!token.self_closing) {
          CAIRN_ASSIGN_OR_RETURN(body, ReadBadgeElementBody(scanner, token, end_offset));
        }
        scopes.Pop();
        scan.badge_ranges.emplace_back(token.begin, end_offset);
        if (!scan.first_badge) {
          BakedCredential baked;
          baked.version = *version;
          baked.carrier = "svg:" + std::string(token.name);
          std::string verify;
          for (const XmlAttribute& attribute : token.attributes) {
            if (attribute.name == "verify") verify = std::string(Trim(attribute.value));
          }
          std::string_view content = Trim(body);
          if (!content.empty()) {
            baked.payload = std::string(content);
            baked.verify_attribute = verify;
          } else {
            baked.payload = verify;
          }
          baked.kind = ClassifyBakedPayload(baked.payload);
          scan.first_badge = std::move(baked);
        }
        break;
      }
    }
  }
}

std::string CdataWrap(std::string_view text) {
  // "]]>" cannot appear inside CDATA: end the section and start another.
  std::string out = "<![CDATA[";
  std::size_t pos = 0;
  while (true) {
    std::size_t hit = text.find("]]>", pos);
    if (hit == std::string_view::npos) break;
    out += text.substr(pos, hit - pos);
    out += "]]]]><![CDATA[>";
    pos = hit + 3;
  }
  out += text.substr(pos);
  out += "]]>";
  return out;
}

Result<std::string> MakeSvgBadgeElement(BadgeVersion version, BakedPayloadKind kind,
                                        std::string_view payload, std::string_view verify_url) {
  if (version == BadgeVersion::kOb30) {
    if (kind == BakedPayloadKind::kCompactJws) {
      return "<openbadges:credential verify=\"" + XmlEscape(payload) +
             "\"></openbadges:credential>";
    }
    return "<openbadges:credential>" + CdataWrap(payload) + "</openbadges:credential>";
  }
  if (kind != BakedPayloadKind::kJson) {
    return "<openbadges:assertion verify=\"" + XmlEscape(payload) + "\"/>";
  }
  std::string url(Trim(verify_url));
  if (url.empty()) {
    auto assertion = ParseUntrustedJsonOrDiscarded(payload);
    auto id = assertion.find("id");
    if (id != assertion.end() && id->is_string()) url = id->get<std::string>();
  }
  if (ClassifyBakedPayload(url) != BakedPayloadKind::kUrl) {
    return Status::Invalid(
        "OB 2.0 SVG baking of assertion JSON needs the hosted assertion URL (verify attribute); "
        "the assertion has no http(s) \"id\"");
  }
  return "<openbadges:assertion verify=\"" + XmlEscape(url) + "\">" + CdataWrap(payload) +
         "</openbadges:assertion>";
}

struct Edit {
  std::size_t begin;
  std::size_t end;
  std::string replacement;
};

std::string ApplyEdits(std::string_view text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t pos = 0;
  for (const Edit& edit : edits) {
    out += text.substr(pos, edit.begin - pos);
    out += edit.replacement;
    pos = edit.end;
  }
  out += text.substr(pos);
  return out;
}

}  // namespace

BakedPayloadKind ClassifyBakedPayload(std::string_view payload) {
  std::string_view text = Trim(payload);
  if (text.empty()) return BakedPayloadKind::kOther;
  if (text.front() == '{') return BakedPayloadKind::kJson;
  if (text.substr(0, 8) == "https://" || text.substr(0, 7) == "http://") {
    bool clean = std::none_of(text.begin(), text.end(), [](char c) {
      return static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>';
    });
    return clean ? BakedPayloadKind::kUrl : BakedPayloadKind::kOther;
  }
  int dots = 0;
  std::size_t segment_length = 0;
  for (char c : text) {
    if (c == '.') {
      if (segment_length == 0) return BakedPayloadKind::kOther;
      ++dots;
      segment_length = 0;
      continue;
    }
    bool b64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    if (!b64) return BakedPayloadKind::kOther;
    ++segment_length;
  }
  return dots == 2 && segment_length > 0 ? BakedPayloadKind::kCompactJws : BakedPayloadKind::kOther;
}

Result<std::string> BakePng(std::string_view png, BadgeVersion version, std::string_view payload) {
  BakedPayloadKind kind = BakedPayloadKind::kOther;
  CAIRN_ASSIGN_OR_RETURN(std::string_view text, CheckPayload(version, payload, kind));
  CAIRN_ASSIGN_OR_RETURN(std::vector<PngChunk> chunks, ParsePngChunks(png));
  std::string out(kPngSignature);
  out.reserve(png.size() + text.size() + 64);
  for (const PngChunk& chunk : chunks) {
    if (IsTextChunk(chunk) && IsBadgeKeyword(TextKeyword(chunk))) continue;  // replaced
    if (chunk.type == "IEND") {
      out += MakeItxtChunk(version == BadgeVersion::kOb30 ? kOb3Keyword : kOb2Keyword, text);
    }
    out += chunk.raw;
  }
  return out;
}

Result<BakedCredential> ExtractFromPng(std::string_view png) {
  CAIRN_ASSIGN_OR_RETURN(std::vector<PngChunk> chunks, ParsePngChunks(png));
  // OB 3.0 wins over a leftover OB 2.0 chunk; within a keyword, the first one.
  const PngChunk* ob3 = nullptr;
  const PngChunk* ob2 = nullptr;
  for (const PngChunk& chunk : chunks) {
    if (!IsTextChunk(chunk)) continue;
    std::string_view keyword = TextKeyword(chunk);
    if (keyword == kOb3Keyword && ob3 == nullptr) ob3 = &chunk;
    if (keyword == kOb2Keyword && ob2 == nullptr) ob2 = &chunk;
  }
  if (ob3 != nullptr) return DecodeBadgeChunk(*ob3);
  if (ob2 != nullptr) return DecodeBadgeChunk(*ob2);
  return Status::NotFound("no Open Badges credential baked in this PNG");
}

Result<std::string> BakeSvg(std::string_view svg, BadgeVersion version, std::string_view payload,
                            std::string_view verify_url) {
  BakedPayloadKind kind = BakedPayloadKind::kOther;
  CAIRN_ASSIGN_OR_RETURN(std::string_view text, CheckPayload(version, payload, kind));
  CAIRN_ASSIGN_OR_RETURN(std::string element, MakeSvgBadgeElement(version, kind, text, verify_url));
  std::string_view body = StripBom(svg);
  std::size_t base = svg.size() - body.size();
  CAIRN_ASSIGN_OR_RETURN(SvgScan scan, ScanSvg(body));

  std::vector<Edit> edits;
  std::string_view ns = version == BadgeVersion::kOb30 ? kOb3Namespace : kOb2Namespace;
  const XmlAttribute* declared = nullptr;
  for (const XmlAttribute& attribute : scan.root.attributes) {
    if (attribute.name == "xmlns:openbadges") declared = &attribute;
  }
  if (declared == nullptr) {
    edits.push_back({base + scan.root.name_end, base + scan.root.name_end,
                     " xmlns:openbadges=\"" + std::string(ns) + "\""});
  } else if (declared->value != ns) {
    edits.push_back({base + declared->value_begin, base + declared->value_end, std::string(ns)});
  }
  if (scan.root.self_closing) {
    edits.push_back({base + scan.root.end - 2, base + scan.root.end,
                     ">" + element + "</" + std::string(scan.root.name) + ">"});
  } else {
    edits.push_back({base + scan.root.end, base + scan.root.end, element});
  }
  for (const auto& [begin, end] : scan.badge_ranges)
    edits.push_back({base + begin, base + end, ""});
  std::string baked = ApplyEdits(svg, std::move(edits));
  // Binding the prefix to our namespace can turn elements that were not
  // credentials (under the old binding) into credentials: the badge must
  // carry exactly the one baked here.
  auto check = ScanSvg(StripBom(baked));
  if (!check.ok() || check->badge_ranges.size() != 1) {
    return Status::Invalid(
        "the SVG uses the openbadges prefix for elements of another namespace; cannot bake");
  }
  return baked;
}

Result<BakedCredential> ExtractFromSvg(std::string_view svg) {
  CAIRN_ASSIGN_OR_RETURN(SvgScan scan, ScanSvg(StripBom(svg)));
  if (!scan.first_badge) return Status::NotFound("no Open Badges credential baked in this SVG");
  if (scan.first_badge->payload.empty()) {
    return Status::Invalid("<" + scan.first_badge->carrier.substr(4) +
                           "> has neither content nor a verify attribute");
  }
  return std::move(*scan.first_badge);
}

namespace {
bool LooksLikePng(std::string_view image) {
  return image.substr(0, kPngSignature.size()) == kPngSignature;
}
bool LooksLikeSvg(std::string_view image) {
  std::string_view text = Trim(StripBom(image));
  return !text.empty() && text.front() == '<';
}
}  // namespace

Result<std::string> BakeImage(std::string_view image, BadgeVersion version,
                              std::string_view payload) {
  if (LooksLikePng(image)) return BakePng(image, version, payload);
  if (LooksLikeSvg(image)) return BakeSvg(image, version, payload);
  return Status::Invalid("not a PNG or SVG image");
}

Result<BakedCredential> ExtractBakedCredential(std::string_view image) {
  if (LooksLikePng(image)) return ExtractFromPng(image);
  if (LooksLikeSvg(image)) return ExtractFromSvg(image);
  return Status::Invalid("not a PNG or SVG image");
}

}  // namespace cairn::credentials
