// RDF Dataset Canonicalization (credentials/rdfc.h) on N-Quads input. The
// canonical form must not depend on the order of the quads or on the blank
// node labels, both entry points (Dataset, SerializedDataset) must agree,
// and canonicalizing the canonical form again changes nothing. Poison
// graphs must end in the work-limit error, not hang (libFuzzer's -timeout);
// how much work a graph takes may depend on its labels, so a variant that
// hits the limit is not compared.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "credentials/nquads.h"
#include "credentials/rdfc.h"
#include "fuzz_check.h"

namespace {

using cairn::fuzz::Check;
namespace rdf = cairn::rdf;

void Relabel(rdf::Term& term) {
  if (term.is_blank()) term.value = "x" + term.value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto dataset = rdf::ParseNQuads(cairn::fuzz::AsText(data, size));
  if (!dataset.ok()) return 0;
  rdf::CanonicalizeOptions options;
  if (size % 2 == 1) options.hash = rdf::HashAlgorithm::kSha384;

  const auto canonical = rdf::Canonicalize(*dataset, options);
  if (!canonical.ok()) {
    Check(canonical.status().code() == cairn::StatusCode::kInvalidArgument,
          "canonicalization error is not kInvalidArgument");
    return 0;
  }
  for (const auto& [label, issued] : canonical->issued) {
    Check(issued.starts_with("c14n"), "issued label is not c14nN");
  }

  rdf::SerializedDataset serialized;
  for (const rdf::Quad& quad : *dataset) serialized.Add(quad);
  const auto from_serialized = rdf::Canonicalize(serialized, options);
  Check(from_serialized.ok() && from_serialized->nquads == canonical->nquads,
        "SerializedDataset canonicalizes differently");

  // Same graph, other order and other labels.
  rdf::Dataset shuffled(dataset->rbegin(), dataset->rend());
  for (rdf::Quad& quad : shuffled) {
    Relabel(quad.subject);
    Relabel(quad.object);
    Relabel(quad.graph);
  }
  const auto from_shuffled = rdf::Canonicalize(shuffled, options);
  if (from_shuffled.ok()) {
    Check(from_shuffled->nquads == canonical->nquads, "quad order or labels changed the result");
  }

  const auto reparsed = rdf::ParseNQuads(canonical->nquads);
  Check(reparsed.ok(), "canonical N-Quads do not parse");
  const auto twice = rdf::CanonicalizeToNQuads(*reparsed, options);
  if (twice.ok()) Check(*twice == canonical->nquads, "canonicalization is not idempotent");
  return 0;
}
