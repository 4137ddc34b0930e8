// JSON-LD to RDF (credentials/jsonld.h) with the bundled contexts, as the
// verifier runs it on an uploaded credential: the document is parsed with
// the untrusted-JSON bounds, expanded and turned into RDF both ways (a
// Dataset and a SerializedDataset), and canonicalized. Both ways must agree;
// a second run on the warmed context cache must give the same answer; and
// the canonical N-Quads that get hashed and signed must be unambiguous: they
// parse back, line for line, to the same text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json_limits.h"
#include "credentials/jsonld.h"
#include "credentials/nquads.h"
#include "credentials/rdfc.h"
#include "fuzz_check.h"

using cairn::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = cairn::ParseUntrustedJson(cairn::fuzz::AsText(data, size), "credential");
  if (!document.ok()) return 0;

  namespace jsonld = cairn::jsonld;
  namespace rdf = cairn::rdf;
  jsonld::Options options;
  options.base = "https://example.org/credentials/1";
  options.rdf_direction = static_cast<jsonld::RdfDirection>(size % 3);
  const jsonld::Processor processor(jsonld::BundledContexts());

  const auto expanded = processor.Expand(*document, options);
  const auto dataset = processor.ToRdf(*document, options);
  rdf::SerializedDataset serialized;
  const cairn::Status status = processor.ToRdf(*document, serialized, options);
  Check(dataset.ok() == status.ok(), "ToRdf: Dataset and SerializedDataset disagree");
  if (!dataset.ok()) {
    Check(!dataset.status().message().empty(), "error without a message");
    Check(dataset.status().message() == status.message(), "ToRdf: the two errors differ");
    return 0;
  }
  Check(expanded.ok(), "ToRdf succeeded where Expand failed");
  Check(dataset->size() == serialized.size(), "ToRdf: the two ways count quads differently");

  const auto canonical = rdf::CanonicalizeToNQuads(*dataset);
  const auto canonical_serialized = rdf::CanonicalizeToNQuads(serialized);
  Check(canonical.ok() == canonical_serialized.ok(), "canonicalization: the two ways disagree");
  if (!canonical.ok()) return 0;
  Check(*canonical == *canonical_serialized, "canonicalization: the two ways differ");

  rdf::SerializedDataset again;
  Check(processor.ToRdf(*document, again, options).ok(), "second run (cached contexts) failed");
  const auto canonical_again = rdf::CanonicalizeToNQuads(again);
  Check(canonical_again.ok() && *canonical_again == *canonical,
        "second run (cached contexts) differs");

  const auto reparsed = rdf::ParseNQuads(*canonical);
  Check(reparsed.ok(), "canonical N-Quads do not parse");
  Check(rdf::SerializeNQuads(*reparsed) == *canonical, "canonical N-Quads are ambiguous");
  return 0;
}
