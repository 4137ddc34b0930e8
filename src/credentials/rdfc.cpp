#include "credentials/rdfc.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cairn::rdf {
namespace {

// SHA-256 and SHA-384 through OpenSSL, which uses the CPU's SHA extensions
// or AVX2 (libsodium's portable SHA-256 is ~7x slower on a 32 kB canonical
// document). One context per thread, reused: creating a context and fetching
// the algorithm cost more than hashing a 100-byte N-Quad line.
class Digester {
 public:
  static Digester& ForThread() {
    thread_local Digester digester;
    return digester;
  }
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;

  // Writes the digest to `out` (EVP_MAX_MD_SIZE bytes of room); returns its
  // size, or 0 when OpenSSL cannot provide the algorithm.
  unsigned int Digest(HashAlgorithm algorithm, std::string_view data, unsigned char* out) {
    const EVP_MD* md = algorithm == HashAlgorithm::kSha256 ? Sha256Md() : Sha384Md();
    unsigned int size = 0;
    if (ctx_ == nullptr || md == nullptr || EVP_DigestInit_ex2(ctx_, md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx_, out, &size) != 1) {
      return 0;
    }
    return size;
  }

 private:
  Digester() : ctx_(EVP_MD_CTX_new()) {}
  ~Digester() { EVP_MD_CTX_free(ctx_); }

  // Fetched once per process and kept (explicit fetches skip the per-call
  // provider lookup of EVP_sha256()).
  static const EVP_MD* Sha256Md() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
  }
  static const EVP_MD* Sha384Md() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA384", nullptr);
    return md;
  }

  EVP_MD_CTX* ctx_;
};

using Line = SerializedDataset::Line;

// Lines with the same text and the same blank nodes are the same quad.
struct SameLine {
  const SerializedDataset* data;
  bool operator()(const Line* a, const Line* b) const {
    if (a->slot_count != b->slot_count) return false;
    for (uint32_t i = 0; i < a->slot_count; ++i) {
      if (a->slots[i].blank != b->slots[i].blank) return false;
    }
    const std::string_view text = data->text();
    return text.substr(a->begin, a->end - a->begin) == text.substr(b->begin, b->end - b->begin);
  }
};

struct LineHash {
  const SerializedDataset* data;
  size_t operator()(const Line* line) const {
    size_t h = std::hash<std::string_view>()(
        std::string_view(data->text()).substr(line->begin, line->end - line->begin));
    for (uint32_t i = 0; i < line->slot_count; ++i) h = h * 31 + line->slots[i].blank;
    return h;
  }
};

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
  Canonicalizer(const SerializedDataset& data, const CanonicalizeOptions& options)
      : data_(data), options_(options) {
    // Duplicate input quads must not survive into the output (rdfc test076/077).
    std::unordered_set<const Line*, LineHash, SameLine> seen(data.size(), LineHash{&data},
                                                             SameLine{&data});
    quads_.reserve(data.size());
    for (const Line& line : data.lines()) {
      if (seen.insert(&line).second) quads_.push_back(&line);
    }
    canonical_.prefix = "c14n";
  }

  // `with_issued`: also fill CanonicalDataset::issued.
  Result<CanonicalDataset> Run(bool with_issued) {
    for (size_t i = 0; i < quads_.size(); ++i) {
      const Line& quad = *quads_[i];
      for (uint32_t k = 0; k < quad.slot_count; ++k) {
        auto& list = blank_to_quads_[data_.label(quad.slots[k].blank)];
        if (list.empty() || list.back() != i) list.push_back(i);
      }
    }
    std::map<std::string, std::vector<std::string>> hash_to_blanks;
    for (const auto& [label, quad_ids] : blank_to_quads_) {
      hash_to_blanks[HashFirstDegree(label)].push_back(label);
    }
    // Blank nodes sharing a hash are visited in label order, whatever the
    // hash table's order.
    for (auto& [hash, labels] : hash_to_blanks) {
      if (labels.size() > 1) std::sort(labels.begin(), labels.end());
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

    // Distinct input quads can still give the same canonical line (a blank
    // node and its twin), hence unique.
    CanonicalDataset result;
    AppendSortedLines(
        quads_.size(), [&](size_t i) -> const Line& { return *quads_[i]; },
        [&](const std::string& label) -> const std::string& { return Canonical(label); },
        /*unique=*/true, result.nquads);
    if (with_issued) {
      for (const auto& [label, canonical] : canonical_.issued) result.issued[label] = canonical;
    }
    return result;
  }

 private:
  const std::string& Canonical(const std::string& label) const {
    const std::string* id = canonical_.Find(label);
    return id ? *id : label;
  }

  std::string Hash(std::string_view data) const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    const unsigned int size = Digester::ForThread().Digest(options_.hash, data, digest);
    if (size == 0 && options_.hash == HashAlgorithm::kSha256) return Sha256Hex(data);
    return HexEncode(digest, size);
  }

  // Hash First Degree Quads: the quads of `label` with itself as _:a and
  // every other blank node as _:z, sorted, hashed. Cached per label.
  const std::string& HashFirstDegree(const std::string& label) {
    auto cached = first_degree_.find(label);
    if (cached != first_degree_.end()) return cached->second;
    static const std::string kSelf = "a", kOther = "z";
    const std::vector<size_t>& quad_ids = blank_to_quads_[label];
    std::string data;
    AppendSortedLines(
        quad_ids.size(), [&](size_t i) -> const Line& { return *quads_[quad_ids[i]]; },
        [&](const std::string& other) -> const std::string& {
          return other == label ? kSelf : kOther;
        },
        /*unique=*/false, data);
    return first_degree_.emplace(label, Hash(data)).first->second;
  }

  // Appends the `count` quads given by `quad(i)`, relabelled by `label`, to
  // `out` as sorted N-Quads lines. The lines are built in one reused buffer
  // and sorted as views: no allocation per line.
  template <typename QuadAt, typename Label>
  void AppendSortedLines(size_t count, QuadAt&& quad, Label&& label, bool unique,
                         std::string& out) {
    line_buffer_.clear();
    line_ends_.clear();
    for (size_t i = 0; i < count; ++i) {
      AppendRelabelled(quad(i), label, line_buffer_);
      line_ends_.push_back(line_buffer_.size());
    }
    line_views_.clear();
    size_t begin = 0;
    for (size_t end : line_ends_) {
      line_views_.emplace_back(line_buffer_.data() + begin, end - begin);
      begin = end;
    }
    std::sort(line_views_.begin(), line_views_.end());
    if (unique) {
      line_views_.erase(std::unique(line_views_.begin(), line_views_.end()), line_views_.end());
    }
    out.reserve(out.size() + line_buffer_.size());
    for (std::string_view line : line_views_) out.append(line);
  }

  // Appends `quad` with each blank node written as "_:" + label(its label).
  template <typename Label>
  void AppendRelabelled(const Line& quad, Label&& label, std::string& out) const {
    const std::string& text = data_.text();
    size_t pos = quad.begin;
    for (uint32_t k = 0; k < quad.slot_count; ++k) {
      const auto& slot = quad.slots[k];
      out.append(text, pos, slot.offset - pos);
      out += label(data_.label(slot.blank));
      pos = slot.offset;
    }
    out.append(text, pos, quad.end - pos);
  }

  std::string HashRelated(const std::string& related, const Line& quad,
                          const IdentifierIssuer& issuer, char position) {
    std::string input(1, position);
    if (position != 'g') {
      input += '<';
      input.append(data_.text(), quad.predicate_begin, quad.predicate_end - quad.predicate_begin);
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
      const Line& quad = *quads_[id];
      for (uint32_t k = 0; k < quad.slot_count; ++k) {
        const std::string& related = data_.label(quad.slots[k].blank);
        if (related == label) continue;
        related_by_hash[HashRelated(related, quad, issuer, quad.slots[k].position)].push_back(
            related);
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

  const SerializedDataset& data_;
  const CanonicalizeOptions& options_;
  std::vector<const Line*> quads_;
  std::unordered_map<std::string, std::vector<size_t>> blank_to_quads_;
  std::unordered_map<std::string, std::string> first_degree_;
  std::unordered_map<std::string, uint64_t> deep_iterations_;
  IdentifierIssuer canonical_;
  // Scratch space of AppendSortedLines.
  std::string line_buffer_;
  std::vector<size_t> line_ends_;
  std::vector<std::string_view> line_views_;
  uint64_t max_deep_iterations_ = 0;
  uint64_t total_calls_ = 0;
};

}  // namespace

void SerializedDataset::Reserve(size_t quads) {
  lines_.reserve(quads);
  text_.reserve(quads * 120);  // typical line length of a credential
}

void SerializedDataset::AppendTerm(const Term& term, char position, Line& line) {
  if (!term.is_blank()) {
    AppendNQuadTerm(term, text_);
    return;
  }
  auto [it, inserted] = blank_ids_.try_emplace(term.value, static_cast<uint32_t>(labels_.size()));
  if (inserted) labels_.push_back(term.value);
  text_ += "_:";
  line.slots[line.slot_count++] = Slot{text_.size(), it->second, position};
}

void SerializedDataset::Add(const Term& subject, const Term& predicate, const Term& object,
                            const Term& graph) {
  Line line = Begin(subject, predicate);
  AppendTerm(object, 'o', line);
  Finish(graph, line);
}

void SerializedDataset::AddLiteral(const Term& subject, const Term& predicate,
                                   std::string_view lexical, std::string_view datatype,
                                   std::string_view language, const Term& graph) {
  Line line = Begin(subject, predicate);
  AppendNQuadLiteral(lexical, datatype, language, text_);
  Finish(graph, line);
}

SerializedDataset::Line SerializedDataset::Begin(const Term& subject, const Term& predicate) {
  Line line;
  line.begin = text_.size();
  AppendTerm(subject, 's', line);
  text_.push_back(' ');
  // Hash Related Blank Node uses the predicate's IRI (predicates are IRIs).
  line.predicate_begin = text_.size() + (predicate.kind == TermKind::kIri         ? 1
                                         : predicate.kind == TermKind::kBlankNode ? 2
                                                                                  : 0);
  line.predicate_end = line.predicate_begin + predicate.value.size();
  AppendNQuadTerm(predicate, text_);
  text_.push_back(' ');
  return line;
}

void SerializedDataset::Finish(const Term& graph, Line& line) {
  if (graph.kind != TermKind::kDefaultGraph) {
    text_.push_back(' ');
    AppendTerm(graph, 'g', line);
  }
  text_ += " .\n";
  line.end = text_.size();
  lines_.push_back(line);
}

namespace {

SerializedDataset Serialize(const Dataset& dataset) {
  SerializedDataset serialized;
  serialized.Reserve(dataset.size());
  for (const Quad& quad : dataset) serialized.Add(quad);
  return serialized;
}

}  // namespace

Result<CanonicalDataset> Canonicalize(const SerializedDataset& dataset,
                                      const CanonicalizeOptions& options) {
  return Canonicalizer(dataset, options).Run(/*with_issued=*/true);
}

Result<std::string> CanonicalizeToNQuads(const SerializedDataset& dataset,
                                         const CanonicalizeOptions& options) {
  CAIRN_ASSIGN_OR_RETURN(CanonicalDataset canonical,
                         Canonicalizer(dataset, options).Run(/*with_issued=*/false));
  return std::move(canonical.nquads);
}

Result<CanonicalDataset> Canonicalize(const Dataset& dataset, const CanonicalizeOptions& options) {
  return Canonicalize(Serialize(dataset), options);
}

Result<std::string> CanonicalizeToNQuads(const Dataset& dataset,
                                         const CanonicalizeOptions& options) {
  return CanonicalizeToNQuads(Serialize(dataset), options);
}

std::array<uint8_t, 32> Sha256(std::string_view data) {
  std::array<uint8_t, 32> digest{};
  unsigned char buffer[EVP_MAX_MD_SIZE];
  if (Digester::ForThread().Digest(HashAlgorithm::kSha256, data, buffer) == digest.size()) {
    std::copy_n(buffer, digest.size(), digest.begin());
  } else {
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size());
  }
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
