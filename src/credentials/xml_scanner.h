// A small pull scanner for the subset of XML that badge SVGs use: elements,
// attributes, text, CDATA, comments, processing instructions and a DOCTYPE
// without an internal subset. It never resolves entities beyond the five
// predefined ones and character references, and it refuses internal DTD subsets
// and ENTITY declarations outright, so "billion laughs" and external-entity
// tricks cannot work. Internal to src/credentials (used by baking).
//
// Not thread-safe per instance; the scanner borrows `document`, which must
// outlive it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cairn::credentials {

struct XmlAttribute {
  std::string_view name;
  std::string value;          // entity-decoded
  std::size_t value_begin{};  // raw value span in the document (without quotes)
  std::size_t value_end{};
};

struct XmlToken {
  enum class Kind { kStartTag, kEndTag, kText, kCData, kComment, kProcessing, kDoctype, kEnd };
  Kind kind = Kind::kEnd;
  std::string_view name;  // element name for tags
  std::vector<XmlAttribute> attributes;
  bool self_closing = false;
  std::string text;  // decoded text for kText / raw content for kCData
  std::size_t begin{};
  std::size_t end{};       // one past the last byte of the token
  std::size_t name_end{};  // for start tags: offset just after the element name
};

class XmlScanner {
 public:
  explicit XmlScanner(std::string_view document);
  // The next token, kEnd at the end of input, or kInvalidArgument naming the
  // byte offset of malformed or refused markup.
  Result<XmlToken> Next();

 private:
  Result<XmlToken> ScanTag(std::size_t start);
  Result<XmlToken> ScanMarkupDeclaration(std::size_t start);
  Status Error(std::size_t offset, std::string_view what) const;

  std::string_view doc_;
  std::size_t pos_ = 0;
};

// Decodes &lt; &gt; &amp; &quot; &apos; &#N; &#xH;. Any other entity is an
// error (we never read a DTD, so no other entity can be defined).
Result<std::string> DecodeXmlEntities(std::string_view raw);

// "openbadges:credential" -> prefix "openbadges", local "credential".
std::string_view XmlPrefix(std::string_view qualified_name);
std::string_view XmlLocalName(std::string_view qualified_name);

}  // namespace cairn::credentials
