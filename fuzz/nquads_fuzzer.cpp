// N-Quads (credentials/nquads.h): ParseNQuads answers every input with a
// dataset or an error naming the line, and what it accepts serializes to
// N-Quads that parse back to the same dataset.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "credentials/nquads.h"
#include "fuzz_check.h"

using cairn::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace rdf = cairn::rdf;
  const auto dataset = rdf::ParseNQuads(cairn::fuzz::AsText(data, size));
  if (!dataset.ok()) {
    Check(dataset.status().message().starts_with("n-quads line "), "error does not name the line");
    return 0;
  }
  std::string joined;
  for (const rdf::Quad& quad : *dataset) {
    Check(
        quad.subject.kind == rdf::TermKind::kIri || quad.subject.kind == rdf::TermKind::kBlankNode,
        "subject is neither IRI nor blank node");
    Check(quad.predicate.kind == rdf::TermKind::kIri, "predicate is not an IRI");
    Check(quad.graph.kind != rdf::TermKind::kLiteral, "graph name is a literal");
    joined += rdf::ToNQuad(quad);
  }
  const std::string text = rdf::SerializeNQuads(*dataset);
  Check(text == joined, "SerializeNQuads differs from ToNQuad line by line");
  const auto again = rdf::ParseNQuads(text);
  Check(again.ok(), "serialized N-Quads do not parse");
  Check(*again == *dataset, "N-Quads round trip changed the dataset");
  return 0;
}
