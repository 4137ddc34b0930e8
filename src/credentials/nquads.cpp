#include "credentials/nquads.h"

#include <cctype>
#include <cstdint>

#include "common/json_writer.h"

namespace cairn::rdf {
namespace {

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// What IRIREF excludes, written or escaped: IRIs are written back verbatim
// (canonical N-Quads), so a decoded one must not hold these either.
bool ForbiddenInIri(char c) {
  return static_cast<unsigned char>(c) <= 0x20 ||
         std::string_view("<>\"{}|^`\\").find(c) != std::string_view::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Cursor over one line of N-Quads.
class LineParser {
 public:
  LineParser(std::string_view line, size_t line_no) : line_(line), line_no_(line_no) {}

  void SkipSpace() {
    while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= line_.size() || line_[pos_] == '#';
  }
  char Peek() const { return pos_ < line_.size() ? line_[pos_] : '\0'; }

  Status Error(std::string_view what) const {
    return Status::Invalid("n-quads line " + std::to_string(line_no_) + ", column " +
                           std::to_string(pos_ + 1) + ": " + std::string(what));
  }

  // Decodes \uXXXX or \UXXXXXXXX starting at the backslash.
  Status ReadUchar(std::string& out) {
    char kind = pos_ + 1 < line_.size() ? line_[pos_ + 1] : '\0';
    size_t digits = kind == 'u' ? 4 : kind == 'U' ? 8 : 0;
    if (digits == 0 || pos_ + 2 + digits > line_.size()) return Error("bad escape");
    uint32_t cp = 0;
    for (size_t i = 0; i < digits; ++i) {
      int v = HexValue(line_[pos_ + 2 + i]);
      if (v < 0) return Error("bad hex digit in escape");
      cp = cp * 16 + static_cast<uint32_t>(v);
    }
    if (cp > 0x10FFFF) return Error("code point out of range");
    AppendUtf8(cp, out);
    pos_ += 2 + digits;
    return Status::Ok();
  }

  Status ReadIri(std::string& out) {
    ++pos_;  // '<'
    while (pos_ < line_.size() && line_[pos_] != '>') {
      char c = line_[pos_];
      if (c == '\\') {
        const std::size_t decoded = out.size();
        CAIRN_RETURN_IF_ERROR(ReadUchar(out));
        if (out.size() == decoded + 1 && ForbiddenInIri(out.back())) {
          return Error("invalid escaped character in IRI");
        }
        continue;
      }
      if (ForbiddenInIri(c)) return Error("invalid character in IRI");
      out.push_back(c);
      ++pos_;
    }
    if (pos_ >= line_.size()) return Error("unterminated IRI");
    ++pos_;  // '>'
    return Status::Ok();
  }

  Status ReadBlank(std::string& out) {
    if (pos_ + 1 >= line_.size() || line_[pos_ + 1] != ':') return Error("expected '_:'");
    pos_ += 2;
    size_t start = pos_;
    while (pos_ < line_.size()) {
      char c = line_[pos_];
      if (c == ' ' || c == '\t' || c == '<' || c == '"') break;
      // A final '.' terminates the statement rather than belonging to the label.
      if (c == '.' && (pos_ + 1 >= line_.size() || line_[pos_ + 1] == ' ' ||
                       line_[pos_ + 1] == '\t' || line_[pos_ + 1] == '#')) {
        break;
      }
      ++pos_;
    }
    // A label never ends with '.': "_:a.." is the label "a" and two dots.
    while (pos_ > start && line_[pos_ - 1] == '.') --pos_;
    if (pos_ == start) return Error("empty blank node label");
    out.assign(line_.substr(start, pos_ - start));
    return Status::Ok();
  }

  Status ReadLiteral(Term& term) {
    ++pos_;  // '"'
    std::string value;
    while (pos_ < line_.size() && line_[pos_] != '"') {
      char c = line_[pos_];
      if (c != '\\') {
        value.push_back(c);
        ++pos_;
        continue;
      }
      char next = pos_ + 1 < line_.size() ? line_[pos_ + 1] : '\0';
      if (next == 'u' || next == 'U') {
        CAIRN_RETURN_IF_ERROR(ReadUchar(value));
        continue;
      }
      char decoded = 0;
      switch (next) {
        case 't':
          decoded = '\t';
          break;
        case 'b':
          decoded = '\b';
          break;
        case 'n':
          decoded = '\n';
          break;
        case 'r':
          decoded = '\r';
          break;
        case 'f':
          decoded = '\f';
          break;
        case '"':
          decoded = '"';
          break;
        case '\'':
          decoded = '\'';
          break;
        case '\\':
          decoded = '\\';
          break;
        default:
          return Error("bad escape in literal");
      }
      value.push_back(decoded);
      pos_ += 2;
    }
    if (pos_ >= line_.size()) return Error("unterminated literal");
    ++pos_;  // closing '"'
    term = Term::Literal(std::move(value), std::string(kXsdString));
    if (Peek() == '@') {
      size_t start = ++pos_;
      while (pos_ < line_.size() &&
             (std::isalnum(static_cast<unsigned char>(line_[pos_])) || line_[pos_] == '-')) {
        ++pos_;
      }
      if (pos_ == start) return Error("empty language tag");
      term.language.assign(line_.substr(start, pos_ - start));
      term.datatype.assign(kRdfLangString);
    } else if (Peek() == '^') {
      if (pos_ + 2 >= line_.size() || line_[pos_ + 1] != '^' || line_[pos_ + 2] != '<') {
        return Error("expected ^^<datatype>");
      }
      pos_ += 2;
      term.datatype.clear();
      CAIRN_RETURN_IF_ERROR(ReadIri(term.datatype));
    }
    return Status::Ok();
  }

  // Reads one term; `allow_literal` is false for subject, predicate and graph.
  Status ReadTerm(Term& term, bool allow_literal, bool allow_blank) {
    SkipSpace();
    char c = Peek();
    if (c == '<') {
      term.kind = TermKind::kIri;
      return ReadIri(term.value);
    }
    if (c == '_' && allow_blank) {
      term.kind = TermKind::kBlankNode;
      return ReadBlank(term.value);
    }
    if (c == '"' && allow_literal) return ReadLiteral(term);
    return Error("unexpected character");
  }

  Status ReadQuad(Quad& quad) {
    CAIRN_RETURN_IF_ERROR(ReadTerm(quad.subject, false, true));
    CAIRN_RETURN_IF_ERROR(ReadTerm(quad.predicate, false, false));
    CAIRN_RETURN_IF_ERROR(ReadTerm(quad.object, true, true));
    SkipSpace();
    if (Peek() != '.') CAIRN_RETURN_IF_ERROR(ReadTerm(quad.graph, false, true));
    SkipSpace();
    if (Peek() != '.') return Error("expected '.'");
    ++pos_;
    if (!AtEnd()) return Error("trailing characters after '.'");
    return Status::Ok();
  }

 private:
  std::string_view line_;
  size_t line_no_;
  size_t pos_ = 0;
};

}  // namespace

void AppendNQuadLiteral(std::string_view lexical, std::string_view datatype,
                        std::string_view language, std::string& out) {
  out.push_back('"');
  // Canonical N-Quads: JSON's escapes, but in upper-case hex and with U+007F.
  AppendEscaped(lexical, out, {.upper_case_hex = true, .escape_delete = true});
  out.push_back('"');
  if (!language.empty()) {
    out.push_back('@');
    out += language;
  } else if (datatype != kXsdString) {
    out += "^^<";
    out += datatype;
    out.push_back('>');
  }
}

void AppendNQuadTerm(const Term& term, std::string& out) {
  switch (term.kind) {
    case TermKind::kIri:
      out.push_back('<');
      out += term.value;
      out.push_back('>');
      break;
    case TermKind::kBlankNode:
      out += "_:";
      out += term.value;
      break;
    case TermKind::kLiteral:
      AppendNQuadLiteral(term.value, term.datatype, term.language, out);
      break;
    case TermKind::kDefaultGraph:
      break;
  }
}

Result<Dataset> ParseNQuads(std::string_view text) {
  Dataset dataset;
  size_t line_no = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    ++line_no;
    LineParser parser(text.substr(start, end - start), line_no);
    if (!parser.AtEnd()) {
      Quad quad;
      CAIRN_RETURN_IF_ERROR(parser.ReadQuad(quad));
      dataset.push_back(std::move(quad));
    }
    start = end + 1;
  }
  return dataset;
}

void AppendNQuad(const Quad& quad, std::string& out) {
  AppendNQuadTerm(quad.subject, out);
  out.push_back(' ');
  AppendNQuadTerm(quad.predicate, out);
  out.push_back(' ');
  AppendNQuadTerm(quad.object, out);
  if (quad.graph.kind != TermKind::kDefaultGraph) {
    out.push_back(' ');
    AppendNQuadTerm(quad.graph, out);
  }
  out += " .\n";
}

std::string ToNQuad(const Quad& quad) {
  std::string out;
  AppendNQuad(quad, out);
  return out;
}

std::string SerializeNQuads(const Dataset& dataset) {
  std::string out;
  for (const Quad& quad : dataset) AppendNQuad(quad, out);
  return out;
}

}  // namespace cairn::rdf
