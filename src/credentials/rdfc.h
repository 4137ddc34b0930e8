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

// Digests used by RDFC and Data Integrity.
std::array<uint8_t, 32> Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
std::string HexEncode(const uint8_t* data, size_t size);

}  // namespace cairn::rdf
