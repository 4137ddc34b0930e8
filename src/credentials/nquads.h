// RDF 1.1 data model (terms, quads, datasets) and N-Quads parsing and
// canonical serialization, as used by RDF Dataset Canonicalization (RDFC-1.0).
//
// Thread safety: all functions are pure; values are plain data and may be
// shared across threads when not mutated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace cairn::rdf {

inline constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view kRdfLangString =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

enum class TermKind { kIri, kBlankNode, kLiteral, kDefaultGraph };

// One RDF term. `value` holds the IRI, the blank node label (without "_:"),
// or the literal's lexical form. Literals always carry a datatype: xsd:string
// for simple literals, rdf:langString when `language` is set.
struct Term {
  TermKind kind = TermKind::kDefaultGraph;
  std::string value;
  std::string datatype;  // literals only
  std::string language;  // literals only; empty when none

  static Term Iri(std::string iri) { return {TermKind::kIri, std::move(iri), {}, {}}; }
  static Term Blank(std::string label) { return {TermKind::kBlankNode, std::move(label), {}, {}}; }
  static Term Literal(std::string lexical, std::string datatype, std::string language = {}) {
    return {TermKind::kLiteral, std::move(lexical), std::move(datatype), std::move(language)};
  }
  static Term DefaultGraph() { return {}; }

  bool is_blank() const { return kind == TermKind::kBlankNode; }
  friend bool operator==(const Term&, const Term&) = default;
};

// A quad; `graph.kind == kDefaultGraph` means the triple is in the default graph.
struct Quad {
  Term subject;
  Term predicate;
  Term object;
  Term graph;
  friend bool operator==(const Quad&, const Quad&) = default;
};

using Dataset = std::vector<Quad>;

// Parses an N-Quads document (RDF 1.1 N-Quads grammar, comments and blank
// lines allowed). Errors name the 1-based line.
Result<Dataset> ParseNQuads(std::string_view text);

// Appends one term in canonical N-Quads form: <iri>, _:label, or a literal
// with the escaping below; nothing for the default graph.
void AppendNQuadTerm(const Term& term, std::string& out);
// The literal term (lexical, datatype, language) as AppendNQuadTerm writes it.
void AppendNQuadLiteral(std::string_view lexical, std::string_view datatype,
                        std::string_view language, std::string& out);

// Appends one quad in canonical N-Quads form, including the trailing " .\n".
// Literal escaping follows RDFC-1.0: \" \\ \n \r \t \b \f as ECHAR, other
// control characters as \u00XX; IRIs are written verbatim.
void AppendNQuad(const Quad& quad, std::string& out);
std::string ToNQuad(const Quad& quad);

// Serializes every quad in order (no sorting, no de-duplication).
std::string SerializeNQuads(const Dataset& dataset);

}  // namespace cairn::rdf
