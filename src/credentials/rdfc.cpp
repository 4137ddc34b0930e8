#include "credentials/rdfc.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cairn::rdf {
namespace {

// Issues sequential identifiers (prefix + counter), remembering issue order.
struct IdentifierIssuer {
  std::string prefix;
  uint64_t counter = 0;
  std::unordered_map<std::string, std::string> issued;
  std::vector<std::string> order;

  const std::string& Issue(const std::string& existing) {
    auto it = issued.find(existing);
    if (it != issued.end()) return it->second;
    order.push_back(existing);
    return issued.emplace(existing, prefix + std::to_string(counter++)).first->second;
  }
  const std::string* Find(const std::string& existing) const {
    auto it = issued.find(existing);
    return it == issued.end() ? nullptr : &it->second;
  }
};

class Canonicalizer {
 public:
  Canonicalizer(const Dataset& dataset, const CanonicalizeOptions& options) : options_(options) {
    // Duplicate input quads must not survive into the output (rdfc test076/077).
    std::unordered_set<std::string> seen;
    quads_.reserve(dataset.size());
    for (const Quad& quad : dataset) {
      if (seen.insert(ToNQuad(quad)).second) quads_.push_back(&quad);
    }
    canonical_.prefix = "c14n";
  }

  Result<CanonicalDataset> Run() {
    for (size_t i = 0; i < quads_.size(); ++i) {
      const Quad& quad = *quads_[i];
      for (const Term* term : {&quad.subject, &quad.object, &quad.graph}) {
        if (term->is_blank()) {
          auto& list = blank_to_quads_[term->value];
          if (list.empty() || list.back() != i) list.push_back(i);
        }
      }
    }
    std::map<std::string, std::vector<std::string>> hash_to_blanks;
    for (const auto& [label, quad_ids] : blank_to_quads_) {
      hash_to_blanks[HashFirstDegree(label)].push_back(label);
    }
    // Unique first-degree hashes get canonical labels straight away.
    size_t non_unique = 0;
    for (auto it = hash_to_blanks.begin(); it != hash_to_blanks.end();) {
      if (it->second.size() > 1) {
        non_unique += it->second.size();
        ++it;
        continue;
      }
      canonical_.Issue(it->second.front());
      it = hash_to_blanks.erase(it);
    }
    max_deep_iterations_ = 1;
    for (uint32_t i = 0; i < options_.max_work_factor; ++i) max_deep_iterations_ *= non_unique;

    for (auto& [hash, labels] : hash_to_blanks) {
      std::vector<std::pair<std::string, IdentifierIssuer>> hash_paths;
      for (const std::string& label : labels) {
        if (canonical_.Find(label)) continue;
        IdentifierIssuer temporary;
        temporary.prefix = "b";
        temporary.Issue(label);
        CAIRN_ASSIGN_OR_RETURN(auto result, HashNDegree(label, std::move(temporary)));
        hash_paths.push_back(std::move(result));
      }
      std::stable_sort(hash_paths.begin(), hash_paths.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [path_hash, issuer] : hash_paths) {
        for (const std::string& existing : issuer.order) canonical_.Issue(existing);
      }
    }

    std::vector<std::string> lines;
    lines.reserve(quads_.size());
    for (const Quad* quad : quads_) {
      std::string line;
      AppendNQuad(Relabel(*quad, [&](const std::string& label) { return Canonical(label); }), line);
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());

    CanonicalDataset result;
    size_t total = 0;
    for (const auto& line : lines) total += line.size();
    result.nquads.reserve(total);
    for (const auto& line : lines) result.nquads += line;
    for (const auto& [label, canonical] : canonical_.issued) result.issued[label] = canonical;
    return result;
  }

 private:
  std::string Canonical(const std::string& label) const {
    const std::string* id = canonical_.Find(label);
    return id ? *id : label;
  }

  template <typename Fn>
  static Quad Relabel(const Quad& quad, Fn&& fn) {
    Quad copy = quad;
    for (Term* term : {&copy.subject, &copy.object, &copy.graph}) {
      if (term->is_blank()) term->value = fn(term->value);
    }
    return copy;
  }

  std::string Hash(std::string_view data) const {
    if (options_.hash == HashAlgorithm::kSha256) return Sha256Hex(data);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha384(), nullptr);
    return HexEncode(digest, size);
  }

  const std::string& HashFirstDegree(const std::string& label) {
    auto cached = first_degree_.find(label);
    if (cached != first_degree_.end()) return cached->second;
    std::vector<std::string> lines;
    for (size_t id : blank_to_quads_[label]) {
      std::string line;
      AppendNQuad(Relabel(*quads_[id],
                          [&](const std::string& other) {
                            return std::string(other == label ? "a" : "z");
                          }),
                  line);
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    std::string data;
    for (const auto& line : lines) data += line;
    return first_degree_.emplace(label, Hash(data)).first->second;
  }

  std::string HashRelated(const std::string& related, const Quad& quad,
                          const IdentifierIssuer& issuer, char position) {
    std::string input(1, position);
    if (position != 'g') {
      input += '<';
      input += quad.predicate.value;
      input += '>';
    }
    if (const std::string* id = canonical_.Find(related)) {
      input += "_:" + *id;
    } else if (const std::string* temp = issuer.Find(related)) {
      input += "_:" + *temp;
    } else {
      input += HashFirstDegree(related);
    }
    return Hash(input);
  }

  Result<std::pair<std::string, IdentifierIssuer>> HashNDegree(const std::string& label,
                                                               IdentifierIssuer issuer) {
    uint64_t& iterations = deep_iterations_[label];
    if (++iterations > max_deep_iterations_ || ++total_calls_ > options_.max_total_ndegree_calls) {
      return Status::Invalid("rdf canonicalization: work limit exceeded (poison graph?) after " +
                             std::to_string(total_calls_) +
                             " n-degree hash calls; per-node limit " +
                             std::to_string(max_deep_iterations_));
    }
    std::map<std::string, std::vector<std::string>> related_by_hash;
    for (size_t id : blank_to_quads_[label]) {
      const Quad& quad = *quads_[id];
      const std::pair<const Term*, char> components[] = {
          {&quad.subject, 's'}, {&quad.object, 'o'}, {&quad.graph, 'g'}};
      for (const auto& [term, position] : components) {
        if (!term->is_blank() || term->value == label) continue;
        related_by_hash[HashRelated(term->value, quad, issuer, position)].push_back(term->value);
      }
    }
    std::string data;
    for (auto& [related_hash, blanks] : related_by_hash) {
      data += related_hash;
      std::string chosen_path;
      IdentifierIssuer chosen_issuer;
      bool have_chosen = false;
      std::sort(blanks.begin(), blanks.end());
      do {
        IdentifierIssuer issuer_copy = issuer;
        std::string path;
        std::vector<std::string> recursion;
        bool skip = false;
        for (const std::string& related : blanks) {
          if (const std::string* id = canonical_.Find(related)) {
            path += "_:" + *id;
          } else {
            if (!issuer_copy.Find(related)) recursion.push_back(related);
            path += "_:" + issuer_copy.Issue(related);
          }
          if (have_chosen && path.size() >= chosen_path.size() && path > chosen_path) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        for (const std::string& related : recursion) {
          CAIRN_ASSIGN_OR_RETURN(auto result, HashNDegree(related, issuer_copy));
          path += "_:" + issuer_copy.Issue(related);
          path += '<';
          path += result.first;
          path += '>';
          issuer_copy = std::move(result.second);
          if (have_chosen && path.size() >= chosen_path.size() && path > chosen_path) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        if (!have_chosen || path < chosen_path) {
          chosen_path = std::move(path);
          chosen_issuer = std::move(issuer_copy);
          have_chosen = true;
        }
      } while (std::next_permutation(blanks.begin(), blanks.end()));
      data += chosen_path;
      issuer = std::move(chosen_issuer);
    }
    return std::make_pair(Hash(data), std::move(issuer));
  }

  const CanonicalizeOptions& options_;
  std::vector<const Quad*> quads_;
  std::map<std::string, std::vector<size_t>> blank_to_quads_;
  std::unordered_map<std::string, std::string> first_degree_;
  std::unordered_map<std::string, uint64_t> deep_iterations_;
  IdentifierIssuer canonical_;
  uint64_t max_deep_iterations_ = 0;
  uint64_t total_calls_ = 0;
};

}  // namespace

Result<CanonicalDataset> Canonicalize(const Dataset& dataset, const CanonicalizeOptions& options) {
  return Canonicalizer(dataset, options).Run();
}

Result<std::string> CanonicalizeToNQuads(const Dataset& dataset,
                                         const CanonicalizeOptions& options) {
  CAIRN_ASSIGN_OR_RETURN(CanonicalDataset canonical, Canonicalize(dataset, options));
  return std::move(canonical.nquads);
}

std::array<uint8_t, 32> Sha256(std::string_view data) {
  std::array<uint8_t, 32> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return digest;
}

std::string HexEncode(const uint8_t* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xF];
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  auto digest = Sha256(data);
  return HexEncode(digest.data(), digest.size());
}

}  // namespace cairn::rdf
