// The credential benchmark: issue and verify --count (default 100,000) Open
// Badges 3.0 credentials built from the built-in XQ catalog, measured in one
// run against raw libsodium Ed25519 over the same canonical bytes:
//   (a) DataIntegrity::Sign (eddsa-rdfc-2022: JSON-LD toRdf, RDFC-1.0,
//       SHA-256 of proof configuration and document, Ed25519) per credential;
//   (b) crypto_sign_detached over the canonical N-Quads of the proof
//       configuration followed by the canonical N-Quads of the document, the
//       bytes (a) canonicalizes to (precomputed, untimed);
//   (c) DataIntegrity::Verify of each signed credential;
//   (d) crypto_sign_verify_detached of (b)'s signature over the same bytes.
// Credentials vary by badge (3-11 CPEs, with their result descriptions,
// rubric levels and alignments), student name, e-mail hash, uuid, results,
// evidence, status index, district and `created`. Work goes in batches so the
// four measurements of a batch share the machine's load; every operation is
// timed alone.
//
// Checks on every run: each credential verifies, each raw signature
// verifies, and each proofValue equals crypto_sign_detached of the proof's
// hashData computed independently (CreateProof with a trace): a failure
// exits 1; a missed target exits 2 under --enforce-targets.
//
// Small smoke run (CI): credential_bench --count 200

#include <sodium.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "catalog/catalog_json.h"
#include "common/time.h"
#include "credentials/credential_issuer.h"
#include "credentials/data_integrity.h"
#include "credentials/multibase.h"
#include "credentials/open_badge.h"
#include "demo/demo_district.h"

namespace cairn {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

double SecondsBetween(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration<double>(end - start).count();
}

struct Options {
  int count = 100000;
  int batch = 250;
  int districts = 4;
  std::uint64_t seed = 2026;
  std::string catalog_path;  // empty: the built-in XQ catalog
  bool enforce_targets = false;
  bool json = false;
};

// SplitMix64, as in mastery_bench: deterministic synthetic data.
class Rng {
 public:
  explicit Rng(std::uint64_t state) : state_(state) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint32_t Below(std::uint32_t n) { return static_cast<std::uint32_t>(Next() % n); }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1p-53 < p; }

 private:
  std::uint64_t state_;
};

// A version 4 UUID from the generator (as RandomUuid would give).
std::string Uuid(Rng& rng) {
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < b.size(); i += 8) {
    const std::uint64_t v = rng.Next();
    for (std::size_t k = 0; k < 8; ++k) b[i + k] = static_cast<std::uint8_t>(v >> (8 * k));
  }
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

constexpr const char* kFirstNames[] = {"Ava",   "Mateo", "Amara",  "Noah",  "Sofía", "Kenji",
                                       "Zoë",   "Liam",  "Priya",  "Diego", "Chloé", "Omar",
                                       "Hana",  "Elias", "Nadia",  "Tariq", "Maya",  "Jonas",
                                       "Leila", "Owen",  "Ingrid", "Kwame", "Rosa",  "Yusuf"};
constexpr const char* kLastNames[] = {"Okafor",  "García",    "Nguyen",  "Smith",    "Kowalski",
                                      "Haddad",  "Fernández", "O'Brien", "Tanaka",   "Johnson",
                                      "Müller",  "Patel",     "Rossi",   "Mensah",   "Silva",
                                      "Ivanova", "Chen",      "Dubois",  "Andersen", "Cohen"};
constexpr const char* kEvidence[] = {
    "Bridge design with linear cost model",
    "Reflection: \"why the slope matters\"",
    "Data project\ttable of results",
    "Exit ticket set, unit 3",
};

struct District {
  IssuerUrls urls;
  IssuerInfo info;
  credentials::Ed25519KeyPair key;
  std::string verification_method;
};

std::vector<District> MakeDistricts(int count, Rng& rng) {
  std::vector<District> out;
  for (int d = 0; d < count; ++d) {
    District district;
    const std::string n = std::to_string(d + 1);
    district.urls = {"https://badges.district" + n + ".example.org", "district-" + n};
    district.info = {"Unified School District " + n, "https://district" + n + ".example.org",
                     "badges@district" + n + ".example.org", "", "Public schools, grades 6-12"};
    multibase::Ed25519Seed seed{};
    for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(rng.Next());
    district.key = credentials::Ed25519KeyPair::FromSeed(seed);
    district.verification_method = district.urls.Key("key-1");
    out.push_back(std::move(district));
  }
  return out;
}

// One credential to issue: the unsigned document and its proof options.
struct Work {
  Json document;
  credentials::ProofOptions proof;
  const District* district = nullptr;
};

Work MakeWork(const Catalog& catalog, const std::vector<District>& districts, Rng& rng,
              std::int64_t index) {
  const Badge& badge = catalog.badges[rng.Below(static_cast<std::uint32_t>(catalog.badges.size()))];
  const Scale& scale = catalog.ScaleOf(badge);
  const District& district = districts[rng.Below(static_cast<std::uint32_t>(districts.size()))];
  AwardedBadge award;
  award.uuid = Uuid(rng);
  award.student_name = std::string(kFirstNames[rng.Below(std::size(kFirstNames))]) + " " +
                       kLastNames[rng.Below(std::size(kLastNames))];
  award.student_sourced_id = "student-" + std::to_string(index);
  if (rng.Chance(0.7)) {
    award.salt = std::to_string(rng.Next());
    award.email_hash = HashedIdentity("s" + std::to_string(index) + "@example.org", award.salt);
  }
  // A school year of awards, one credential every few minutes.
  award.awarded_at = StartOf(20325) + index * 157 + rng.Below(3600);
  for (const Cpe& cpe : badge.cpes) {
    // Awards need mastery on most CPEs: bias towards the top levels.
    const auto levels = static_cast<std::uint32_t>(scale.levels.size());
    const std::uint32_t level = levels - 1 - std::min(rng.Below(3), levels - 1);
    award.results.push_back({cpe.id, scale.levels[level].id});
  }
  const std::uint32_t evidence = rng.Below(3);
  for (std::uint32_t e = 0; e < evidence; ++e) {
    award.evidence.push_back({kEvidence[rng.Below(std::size(kEvidence))],
                              rng.Chance(0.5) ? "Revised after feedback." : ""});
  }
  award.status_index = rng.Below(131072);

  Work work;
  work.document = OpenBadgeCredentialJson(district.urls, district.info, catalog, badge, award);
  work.proof.verification_method = district.verification_method;
  // Issued a little after the award: `created` differs for every credential.
  work.proof.created = FormatInstant(award.awarded_at + 30 + rng.Below(600));
  work.district = &district;
  return work;
}

// Seconds per operation, in credential order.
struct Series {
  std::vector<double> seconds;

  double Total(std::size_t begin, std::size_t end) const {
    double sum = 0;
    for (std::size_t i = begin; i < end; ++i) sum += seconds[i];
    return sum;
  }
  double Rate() const { return static_cast<double>(seconds.size()) / Total(0, seconds.size()); }
  // Rate of the first and last tenth (at least one operation each).
  double FirstTenthRate() const {
    const std::size_t n = Tenth();
    return static_cast<double>(n) / Total(0, n);
  }
  double LastTenthRate() const {
    const std::size_t n = Tenth();
    return static_cast<double>(n) / Total(seconds.size() - n, seconds.size());
  }
  double MedianMicros() const {
    std::vector<double> v = seconds;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2] * 1e6;
  }

 private:
  std::size_t Tenth() const { return std::max<std::size_t>(1, seconds.size() / 10); }
};

template <typename Fn>
void Time(Series& series, Fn&& fn) {
  const auto start = Clock::now();
  fn();
  series.seconds.push_back(SecondsBetween(start, Clock::now()));
}

Result<Catalog> LoadCatalog(const Options& options) {
  if (options.catalog_path.empty()) return ParseCatalog(BuiltinXqCatalogJson(), "builtin");
  std::ifstream in(options.catalog_path);
  if (!in) return Status::NotFound("cannot read " + options.catalog_path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseCatalog(text.str(), options.catalog_path);
}

int Run(const Options& options) {
  if (sodium_init() < 0) {
    std::fprintf(stderr, "sodium_init failed\n");
    return 1;
  }
  Result<Catalog> catalog = LoadCatalog(options);
  if (!catalog.ok()) {
    std::fprintf(stderr, "%s\n", catalog.status().ToString().c_str());
    return 1;
  }
  Rng rng(options.seed);
  const std::vector<District> districts = MakeDistricts(options.districts, rng);
  std::map<std::string, multibase::Ed25519PublicKey, std::less<>> keys;
  for (const District& d : districts) keys[d.verification_method] = d.key.public_key;
  const credentials::KeyResolver resolver =
      [&keys](std::string_view method) -> Result<multibase::Ed25519PublicKey> {
    auto it = keys.find(method);
    if (it == keys.end()) return Status::NotFound("unknown key");
    return it->second;
  };
  const credentials::DataIntegrity suite(SharedJsonLdProcessor());

  std::size_t min_cpes = SIZE_MAX, max_cpes = 0;
  for (const Badge& b : catalog->badges) {
    min_cpes = std::min(min_cpes, b.cpes.size());
    max_cpes = std::max(max_cpes, b.cpes.size());
  }
  std::printf(
      "credential_bench: %d OpenBadgeCredentials (eddsa-rdfc-2022), %zu badges of %zu-%zu CPEs, "
      "%d districts, seed %llu, batches of %d\n",
      options.count, catalog->badges.size(), min_cpes, max_cpes, options.districts,
      static_cast<unsigned long long>(options.seed), options.batch);
  std::fflush(stdout);

  Series sign, raw_sign, verify, raw_verify;
  for (Series* s : {&sign, &raw_sign, &verify, &raw_verify}) {
    s->seconds.reserve(static_cast<std::size_t>(options.count));
  }
  std::size_t failures = 0;
  std::size_t canonical_bytes = 0, document_bytes = 0;
  auto fail = [&failures](std::int64_t index, const std::string& what) {
    if (++failures <= 5)
      std::fprintf(stderr, "credential %lld: %s\n", static_cast<long long>(index), what.c_str());
  };

  // A digest of every proofValue in order: fixed for a seed, so a change in
  // canonicalization shows as a different digest between builds.
  crypto_hash_sha256_state proof_digest;
  crypto_hash_sha256_init(&proof_digest);

  std::vector<Work> batch;
  std::vector<Json> signed_docs;
  std::vector<std::string> messages;  // canonical proof config + canonical document
  std::vector<std::array<std::uint8_t, 64>> expected;  // Ed25519(hashData)
  std::vector<std::array<std::uint8_t, 64>> raw_signatures;
  const auto wall_start = Clock::now();
  for (std::int64_t first = 0; first < options.count; first += options.batch) {
    const std::int64_t size = std::min<std::int64_t>(options.batch, options.count - first);
    batch.clear();
    for (std::int64_t i = 0; i < size; ++i) {
      batch.push_back(MakeWork(*catalog, districts, rng, first + i));
    }
    // The peer's message and the expected signature, untimed: CreateProof
    // with a trace gives the canonical bytes and the hashData.
    messages.assign(static_cast<std::size_t>(size), std::string());
    expected.assign(static_cast<std::size_t>(size), {});
    for (std::int64_t i = 0; i < size; ++i) {
      const auto k = static_cast<std::size_t>(i);
      const Work& w = batch[k];
      credentials::ProofTrace trace;
      auto proof = suite.CreateProof(w.document, w.proof, w.district->key, &trace);
      if (!proof.ok()) {
        fail(first + i, "CreateProof: " + proof.status().ToString());
        continue;
      }
      crypto_sign_detached(expected[k].data(), nullptr, trace.hash_data.data(),
                           trace.hash_data.size(), w.district->key.secret_key.data());
      crypto_hash_sha256_update(&proof_digest, expected[k].data(), expected[k].size());
      messages[k] = trace.canonical_proof_config + trace.canonical_document;
      canonical_bytes += messages[k].size();
      document_bytes += w.document.dump().size();
    }
    // (a) our signing. The unsigned document is built for this credential
    // alone, so it moves into Sign as an issuer would move it.
    signed_docs.assign(static_cast<std::size_t>(size), Json());
    for (std::int64_t i = 0; i < size; ++i) {
      const auto k = static_cast<std::size_t>(i);
      Work& w = batch[k];
      Result<Json> result = Status::Internal("not run");
      Time(sign, [&] { result = suite.Sign(std::move(w.document), w.proof, w.district->key); });
      if (!result.ok()) {
        fail(first + i, "Sign: " + result.status().ToString());
        continue;
      }
      signed_docs[k] = std::move(*result);
      // Ed25519 is deterministic: the proofValue must be that of the hashData.
      const Json& issued = signed_docs[k];
      const bool same = issued.contains("proof") &&
                        issued["proof"].value("proofValue", "") ==
                            multibase::EncodeBase58Btc(expected[k].data(), expected[k].size());
      if (!same) fail(first + i, "proofValue differs from Ed25519(hashData)");
    }
    // (b) raw signing of the same canonical bytes.
    raw_signatures.assign(static_cast<std::size_t>(size), {});
    for (std::int64_t i = 0; i < size; ++i) {
      const auto k = static_cast<std::size_t>(i);
      const std::string& message = messages[k];
      const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
      Time(raw_sign, [&] {
        crypto_sign_detached(raw_signatures[k].data(), nullptr, bytes, message.size(),
                             batch[k].district->key.secret_key.data());
      });
    }
    // (c) our verification.
    for (std::int64_t i = 0; i < size; ++i) {
      credentials::VerifyReport report;
      Time(verify,
           [&] { report = suite.Verify(signed_docs[static_cast<std::size_t>(i)], resolver); });
      if (!report.verified()) fail(first + i, "Verify: " + report.ToStatus().ToString());
    }
    // (d) raw verification.
    for (std::int64_t i = 0; i < size; ++i) {
      const auto k = static_cast<std::size_t>(i);
      const std::string& message = messages[k];
      const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
      int rc = 0;
      Time(raw_verify, [&] {
        rc = crypto_sign_verify_detached(raw_signatures[k].data(), bytes, message.size(),
                                         batch[k].district->key.public_key.data());
      });
      if (rc != 0) fail(first + i, "raw Ed25519 signature does not verify");
    }
  }
  const double wall_s = SecondsBetween(wall_start, Clock::now());

  // Summary.
  constexpr double kSignRatioTarget = 0.25;  // canonicalization overhead under 4x
  constexpr double kSteadyTarget = 0.9;      // last 10% at least 0.9x the first 10%
  const double sign_ratio = sign.Rate() / raw_sign.Rate();
  const double verify_ratio = verify.Rate() / raw_verify.Rate();
  const double sign_steady = sign.LastTenthRate() / sign.FirstTenthRate();
  const double verify_steady = verify.LastTenthRate() / verify.FirstTenthRate();
  const bool sign_ok = sign_ratio >= kSignRatioTarget;
  const bool steady_ok = sign_steady >= kSteadyTarget && verify_steady >= kSteadyTarget;
  const double n = static_cast<double>(options.count);
  std::printf(
      "mean credential %.1f kB of JSON, %.1f kB of canonical N-Quads (proof config + document)\n",
      static_cast<double>(document_bytes) / n / 1000,
      static_cast<double>(canonical_bytes) / n / 1000);
  std::printf("\n%-8s %14s %14s %11s %10s %12s %12s %10s\n", "", "cairn cred/s", "raw Ed25519/s",
              "ratio", "overhead", "first 10%/s", "last 10%/s", "last/first");
  auto row = [](const char* name, const Series& ours, const Series& raw) {
    std::printf("%-8s %14.0f %14.0f %10.3f %9.2fx %12.0f %12.0f %10.3f\n", name, ours.Rate(),
                raw.Rate(), ours.Rate() / raw.Rate(), raw.Rate() / ours.Rate(),
                ours.FirstTenthRate(), ours.LastTenthRate(),
                ours.LastTenthRate() / ours.FirstTenthRate());
  };
  row("sign", sign, raw_sign);
  row("verify", verify, raw_verify);
  std::printf("median per credential: sign %.1f us (raw %.1f us), verify %.1f us (raw %.1f us)\n",
              sign.MedianMicros(), raw_sign.MedianMicros(), verify.MedianMicros(),
              raw_verify.MedianMicros());
  std::printf("target: sign >= %.0f%% of raw (overhead < %.0fx): %.1f%% %s\n",
              kSignRatioTarget * 100, 1 / kSignRatioTarget, sign_ratio * 100,
              sign_ok ? "OK" : "MISSED");
  std::printf("target: last 10%% >= %.1fx first 10%%: sign %.3f, verify %.3f %s\n", kSteadyTarget,
              sign_steady, verify_steady, steady_ok ? "OK" : "MISSED");
  std::printf("wall time %.1f s (including untimed generation and checks)\n", wall_s);
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&proof_digest, digest.data());
  char digest_hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(digest_hex, sizeof digest_hex, digest.data(), digest.size());
  std::printf("SHA-256 of all signatures: %s\n", digest_hex);
  const bool check_ok = failures == 0;
  std::printf(
      "check: %s (%zu failures; every credential and raw signature verified, proofValue "
      "= Ed25519(hashData))\n",
      check_ok ? "OK" : "FAILED", failures);

  if (options.json) {
    Json j{{"count", options.count},
           {"sign_per_s", sign.Rate()},
           {"raw_sign_per_s", raw_sign.Rate()},
           {"sign_ratio", sign_ratio},
           {"verify_per_s", verify.Rate()},
           {"raw_verify_per_s", raw_verify.Rate()},
           {"verify_ratio", verify_ratio},
           {"sign_last_over_first", sign_steady},
           {"verify_last_over_first", verify_steady},
           {"check_ok", check_ok},
           {"targets_met", sign_ok && steady_ok}};
    std::printf("%s\n", j.dump().c_str());
  }
  if (!check_ok) return 1;
  if (options.enforce_targets && !(sign_ok && steady_ok)) return 2;
  return 0;
}

}  // namespace
}  // namespace cairn

int main(int argc, char** argv) {
  cairn::Options options;
  CLI::App app{"Cairn credential benchmark: eddsa-rdfc-2022 sign/verify vs raw Ed25519"};
  app.add_option("--count", options.count, "Credentials to issue and verify")
      ->check(CLI::Range(1, 100000000));
  app.add_option("--batch", options.batch, "Credentials per batch of the four measurements")
      ->check(CLI::Range(1, 100000));
  app.add_option("--districts", options.districts, "Issuing districts (one key each)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--seed", options.seed, "Seed of the synthetic awards");
  app.add_option(
      "--catalog", options.catalog_path,
      "Catalog JSON file (default: the built-in XQ catalog, data/catalogs/xq-math.json)");
  app.add_flag("--enforce-targets", options.enforce_targets,
               "Exit 2 if a target is missed (sign >= 25% of raw, last 10% >= 0.9x first 10%)");
  app.add_flag("--json", options.json, "Also print the figures as one JSON line");
  CLI11_PARSE(app, argc, argv);
  return cairn::Run(options);
}
