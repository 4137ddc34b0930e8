// RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024).
//
// Canonicalize() assigns deterministic blank node labels (c14n0, c14n1, ...)
// and returns the sorted canonical N-Quads. The N-degree hashing step is
// exponential on adversarial ("poison") graphs, so it runs under a work limit
// and fails with a Status instead of hanging.
//
// Thread safety: all functions are pure and may be called concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "credentials/nquads.h"

namespace cairn::rdf {

enum class HashAlgorithm { kSha256, kSha384 };

struct CanonicalizeOptions {
  HashAlgorithm hash = HashAlgorithm::kSha256;
  // Each blank node may enter Hash N-Degree Quads at most
  // (non-unique blank nodes)^max_work_factor times (the limit used by
  // rdf-canonize); beyond that the dataset is rejected as a poison graph.
  uint32_t max_work_factor = 2;
  // Hard cap on total N-degree calls regardless of the factor above.
  uint64_t max_total_ndegree_calls = 100'000;
};

// A dataset held as canonical N-Quads lines with the blank node labels cut
// out: the form RDFC-1.0 hashes, relabels and sorts. Adding a quad
// serializes its terms once and keeps no Term, so a producer (JSON-LD toRdf)
// can be canonicalized without building a Dataset.
//
// Not thread-safe while being built; const methods may be called
// concurrently.
class SerializedDataset {
 public:
  // Appends one quad; `graph` is a kDefaultGraph term for the default graph.
  void Add(const Term& subject, const Term& predicate, const Term& object, const Term& graph);
  void Add(const Quad& quad) { Add(quad.subject, quad.predicate, quad.object, quad.graph); }
  // Appends a quad whose object is the literal (lexical, datatype, language),
  // as Term::Literal would make it, without building that Term.
  void AddLiteral(const Term& subject, const Term& predicate, std::string_view lexical,
                  std::string_view datatype, std::string_view language, const Term& graph);
  void Reserve(size_t quads);
  size_t size() const { return lines_.size(); }

  // The layout the canonicalizer reads. A line is text()[begin, end); the
  // label of blank node `blank` goes at each slot's `offset` (right after
  // "_:"); the predicate IRI is text()[predicate_begin, predicate_end).
  struct Slot {
    size_t offset = 0;
    uint32_t blank = 0;
    char position = 's';  // 's', 'o' or 'g', as Hash Related Blank Node uses it
  };
  struct Line {
    size_t begin = 0, end = 0;
    size_t predicate_begin = 0, predicate_end = 0;
    uint32_t slot_count = 0;
    std::array<Slot, 3> slots{};
  };
  const std::string& text() const { return text_; }
  const std::vector<Line>& lines() const { return lines_; }
  const std::string& label(uint32_t blank) const { return labels_[blank]; }

 private:
  void AppendTerm(const Term& term, char position, Line& line);
  // Starts a line: subject and predicate; `Finish` writes the graph and ends it.
  Line Begin(const Term& subject, const Term& predicate);
  void Finish(const Term& graph, Line& line);

  std::string text_;
  std::vector<Line> lines_;
  std::vector<std::string> labels_;                      // blank id -> input label
  std::unordered_map<std::string, uint32_t> blank_ids_;  // input label -> blank id
};

struct CanonicalDataset {
  std::string nquads;                         // sorted canonical N-Quads, one per line
  std::map<std::string, std::string> issued;  // input blank node label -> c14nN
};

// Errors: kInvalidArgument when the work limit is exceeded (message names
// the limit).
Result<CanonicalDataset> Canonicalize(const Dataset& dataset,
                                      const CanonicalizeOptions& options = {});
Result<std::string> CanonicalizeToNQuads(const Dataset& dataset,
                                         const CanonicalizeOptions& options = {});
Result<CanonicalDataset> Canonicalize(const SerializedDataset& dataset,
                                      const CanonicalizeOptions& options = {});
Result<std::string> CanonicalizeToNQuads(const SerializedDataset& dataset,
                                         const CanonicalizeOptions& options = {});

// Digests used by RDFC and Data Integrity.
std::array<uint8_t, 32> Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
std::string HexEncode(const uint8_t* data, size_t size);

}  // namespace cairn::rdf
