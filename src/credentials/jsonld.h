// JSON-LD 1.1 expansion and deserialization to RDF (W3C JSON-LD 1.1
// Processing Algorithms and API, sections 4.1-4.3, 5.1, 6.1, 7.2, 8.1-8.4).
//
// Scope: everything the VC 2.0 / OB 3.0 / CLR 2.0 / Data Integrity contexts
// use and most of the toRdf conformance suite (see README.md for counts):
// context processing (inline, remote, @import, @protected, @propagate,
// property- and type-scoped contexts), all container types, @nest,
// @included, @json literals (JCS), lists, named graphs and rdfDirection.
// Not supported: compaction, framing, generalized RDF, HTML documents.
//
// Remote documents are only obtained through a DocumentLoader; this code
// never touches the network. Errors are Status values whose message starts
// with the JSON-LD error code (e.g. "invalid IRI mapping: ...").
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "credentials/nquads.h"

namespace cairn::rdf {
class SerializedDataset;
}

namespace cairn::jsonld {

using Json = nlohmann::json;

// Resolves a document URL to its parsed JSON. Implementations must be safe
// for concurrent calls. The returned document must stay immutable; processors
// cache contexts derived from it while they hold the pointer.
class DocumentLoader {
 public:
  virtual ~DocumentLoader() = default;
  // Errors: kNotFound naming the URL when the document is unknown.
  virtual Result<std::shared_ptr<const Json>> Load(const std::string& url) const = 0;
};

// The JSON-LD contexts compiled into the binary (data/contexts/, see the
// README there for URLs and sources). A process-wide immutable singleton;
// parses each context once on first use. Thread-safe.
const DocumentLoader& BundledContexts();
std::vector<std::string> BundledContextUrls();

// A loader over an explicit URL -> document map, falling back to another
// loader (may be null). Add() is not thread-safe; Load() is, once populated.
class StaticDocumentLoader : public DocumentLoader {
 public:
  explicit StaticDocumentLoader(const DocumentLoader* fallback = nullptr) : fallback_(fallback) {}
  void Add(std::string url, Json document);
  Result<std::shared_ptr<const Json>> Load(const std::string& url) const override;

 private:
  const DocumentLoader* fallback_;
  std::map<std::string, std::shared_ptr<const Json>, std::less<>> documents_;
};

enum class RdfDirection { kNone, kI18nDatatype, kCompoundLiteral };

struct Options {
  std::string base;                            // document URL; "" = none
  std::shared_ptr<const Json> expand_context;  // applied before the document's own
  bool processing_mode_1_0 = false;            // default: json-ld-1.1
  RdfDirection rdf_direction = RdfDirection::kNone;
};

struct Context;  // processed active context (internal)

// Expands JSON-LD and converts it to RDF. Holds a cache of processed
// contexts keyed by (active context, context URL or scoped-context
// identity), so repeated documents with the same @context skip context
// processing. Thread-safe: the cache is guarded by a mutex; the loader must
// outlive the processor.
class Processor {
 public:
  explicit Processor(const DocumentLoader& loader);
  ~Processor();
  Processor(const Processor&) = delete;
  Processor& operator=(const Processor&) = delete;

  Result<Json> Expand(const Json& input, const Options& options = {}) const;
  // The dataset may state a quad more than once (RDF datasets are sets;
  // canonicalization drops duplicates) and blank node labels are arbitrary.
  Result<rdf::Dataset> ToRdf(const Json& input, const Options& options = {}) const;
  // The same quads appended to `out` in serialized form, ready for
  // rdf::CanonicalizeToNQuads without building RDF terms for every quad.
  Status ToRdf(const Json& input, rdf::SerializedDataset& out, const Options& options = {}) const;

  // Implementation detail shared with the expansion code in jsonld.cpp.
  struct Cache;

 private:
  const DocumentLoader& loader_;
  std::unique_ptr<Cache> cache_;
};

// RFC 8785 JSON Canonicalization Scheme, used for @json literals.
std::string CanonicalJson(const Json& value);

// RFC 3986 section 5.2 reference resolution (no normalization).
std::string ResolveIri(std::string_view base, std::string_view reference);

}  // namespace cairn::jsonld
