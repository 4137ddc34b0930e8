// The mastery benchmark: a state-sized synthetic ledger (default 200,000
// students x 100 ratings = 20 million ratings), measured in one run:
//   (a) MasteryEngine::RecomputeAll() over every (student, CPE) status and
//       badge rule, for most_recent and mean_of_recent (n = --n);
//   (b) single AddRating() calls with incremental recompute on random
//       students (median, p99);
//   (c) the same full computation as SQL with window functions in SQLite,
//       on the same ratings;
//   (d) with --duckdb SCRIPT (bench/duckdb_compare.sh passes it): the ledger
//       exported as CSV and computed by DuckDB (bench/duckdb/compare.mjs,
//       @duckdb/node-api) with the same thread count, its best query per
//       method against the engine's cold path (bulk load finish: sorting
//       every student's evidence and the first statuses) and steady
//       recompute, with PASS/FAIL against the issue #12 targets;
// plus the engine's memory per rating. Both sides compute "every CPE at
// mastery" as the badge rule so they do the same work, and their results are
// compared (counts and order-independent checksums) on every run: a mismatch
// exits 1, a missed target exits 2 under --enforce-targets.
//
// Small smoke run (CI): mastery_bench --students 2000

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "catalog/catalog_json.h"
#include "common/time.h"
#include "demo/demo_district.h"
#include "evidence/facts.h"
#include "mastery/engine.h"
#include "mastery/method.h"

namespace cairn {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---------------------------------------------------------------------------
// Options

enum class SqliteLayout {
  kClustered,  // WITHOUT ROWID table keyed in window order: no sort, no second copy
  kIndexed,    // rowid table plus a covering index in window order
  kPlain,      // rowid table, no index: SQLite sorts for every query
};

struct Options {
  int students = 200000;
  int ratings_per_student = 100;
  std::uint64_t seed = 2026;
  int n = 3;
  int repeat = 3;
  int sql_repeat = 3;
  int incremental = 10000;
  std::string sqlite_db;
  SqliteLayout layout = SqliteLayout::kClustered;
  bool skip_sqlite = false;
  bool enforce_targets = false;
  bool json = false;
  unsigned threads = 0;    // engine and DuckDB; 0: the machine's cores
  std::string duckdb;      // compare.mjs; empty: no DuckDB side
  std::string export_dir;  // where the CSV goes; empty: a temporary directory
};

unsigned ThreadCount(const Options& options) {
  return options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
}

// ---------------------------------------------------------------------------
// Deterministic synthetic ledger

// SplitMix64: tiny, fast and good enough for synthetic data; seeded per
// student so any student can be regenerated alone (the incremental phase
// needs a student's CPEs) and the data does not depend on generation order.
class Rng {
 public:
  explicit Rng(std::uint64_t state) : state_(state) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); the modulo bias is irrelevant for synthetic data.
  std::uint32_t Below(std::uint32_t n) { return static_cast<std::uint32_t>(Next() % n); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1p-53; }
  bool Chance(double p) { return Unit() < p; }

 private:
  std::uint64_t state_;
};

struct SynthRating {
  FactId fact;
  Instant recorded;
  Day day;
  std::uint32_t student;  // the engine's student id (1-based)
  std::uint16_t cpe;      // dense CPE index
  std::uint8_t level;     // index into the scale's levels
  EvidenceKind kind;
};

// What the generator and the SQL side need from the catalog, by dense index.
struct CatalogFacts {
  std::vector<const std::string*> cpe_ids;    // by dense CPE
  std::vector<std::uint32_t> cpe_badge;       // by dense CPE
  std::vector<std::uint32_t> badge_first;     // by badge: first dense CPE
  std::vector<std::uint32_t> badge_cpes;      // by badge: number of CPEs
  std::vector<const std::string*> level_ids;  // by level index (one scale)
  std::vector<double> level_scores;
  double threshold = 0;
  int mastery_level = 0;  // lowest level index at mastery

  explicit CatalogFacts(const Catalog& catalog) {
    for (std::uint32_t dense = 0; dense < catalog.CpeCount(); ++dense) {
      const CpeRef& ref = catalog.DenseCpe(dense);
      cpe_ids.push_back(&catalog.CpeAt(ref).id);
      cpe_badge.push_back(ref.badge);
    }
    for (const Badge& badge : catalog.badges) {
      badge_first.push_back(badge.first_dense_cpe);
      badge_cpes.push_back(static_cast<std::uint32_t>(badge.cpes.size()));
    }
    // Every badge of the shipped catalog uses the same scale; the generator
    // relies on it (checked in main).
    const Scale& scale = catalog.ScaleOf(catalog.badges.front());
    for (const ScaleLevel& level : scale.levels) {
      level_ids.push_back(&level.id);
      level_scores.push_back(level.score);
    }
    threshold = scale.MasteryThreshold();
    while (level_scores[static_cast<std::size_t>(mastery_level)] < threshold) ++mastery_level;
  }
};

// One school year starting 2025-08-25 (day 20325).
constexpr Day kYearStart = 20325;
constexpr int kYearDays = 180;
constexpr double kFormativeShare = 0.10;  // exercises the engine's formative filter
constexpr double kPerformanceTaskShare = 0.20;

// One student's ratings: a handful of badges (about four attempts per CPE),
// every CPE of them rated at least once when the budget allows, later attempts
// more likely at mastery, retakes on the same day and late grading (so the
// (day, recorded, level, fact) tie-break matters), fact ids shuffled so they
// do not follow chronology.
void GenerateStudent(const CatalogFacts& cat, const Options& options, std::uint32_t index,
                     std::vector<SynthRating>& out) {
  out.clear();
  Rng rng(options.seed * 0x2545F4914F6CDD1Dull + index);
  const auto budget = static_cast<std::uint32_t>(options.ratings_per_student);
  const double ability = rng.Unit();

  std::vector<std::uint32_t> badges(cat.badge_first.size());
  for (std::uint32_t b = 0; b < badges.size(); ++b) badges[b] = b;
  std::vector<std::uint32_t> cpes;
  const std::uint32_t wanted_cpes = std::max<std::uint32_t>(1, budget / 4);
  for (std::size_t picked = 0; picked < badges.size() && cpes.size() < wanted_cpes; ++picked) {
    const std::size_t other =
        picked + rng.Below(static_cast<std::uint32_t>(badges.size() - picked));
    std::swap(badges[picked], badges[other]);
    const std::uint32_t b = badges[picked];
    for (std::uint32_t c = 0; c < cat.badge_cpes[b]; ++c) cpes.push_back(cat.badge_first[b] + c);
  }

  std::vector<std::uint32_t> attempts(cpes.size(), 0);
  std::uint32_t left = budget;
  if (budget >= cpes.size()) {
    std::fill(attempts.begin(), attempts.end(), 1u);
    left -= static_cast<std::uint32_t>(cpes.size());
  }
  for (; left > 0; --left) ++attempts[rng.Below(static_cast<std::uint32_t>(cpes.size()))];

  for (std::size_t i = 0; i < cpes.size(); ++i) {
    Day day = kYearStart + static_cast<Day>(rng.Below(kYearDays / 2));
    for (std::uint32_t a = 0; a < attempts[i]; ++a) {
      if (a > 0) day += static_cast<Day>(rng.Below(15));  // 0: a retake the same day
      const double p_mastery = std::min(0.95, 0.3 + 0.3 * ability + 0.1 * a);
      std::uint32_t level;
      if (rng.Chance(p_mastery)) {
        const auto above = static_cast<std::uint32_t>(cat.level_scores.size()) -
                           static_cast<std::uint32_t>(cat.mastery_level);
        level = static_cast<std::uint32_t>(cat.mastery_level) + rng.Below(above);
      } else {
        level = rng.Below(static_cast<std::uint32_t>(cat.mastery_level));
      }
      const double u = rng.Unit();
      const EvidenceKind kind = u < kFormativeShare ? EvidenceKind::kFormative
                                : u < kFormativeShare + kPerformanceTaskShare
                                    ? EvidenceKind::kPerformanceTask
                                    : EvidenceKind::kSummative;
      // Whole hours in a school day: same-day retakes often share a time.
      Instant recorded = StartOf(day) + 8 * 3600 + rng.Below(9) * 3600;
      if (rng.Chance(0.1)) recorded += (1 + rng.Below(14)) * 86400;  // graded late
      out.push_back(SynthRating{0, recorded, day, index + 1, static_cast<std::uint16_t>(cpes[i]),
                                static_cast<std::uint8_t>(level), kind});
    }
  }
  for (std::size_t i = out.size(); i > 1; --i) {
    std::swap(out[i - 1], out[rng.Below(static_cast<std::uint32_t>(i))]);
  }
  const auto first_fact = static_cast<FactId>(index) * options.ratings_per_student + 1;
  for (std::size_t i = 0; i < out.size(); ++i) out[i].fact = first_fact + static_cast<FactId>(i);
}

void ForEachStudent(const CatalogFacts& cat, const Options& options,
                    const std::function<void(const std::vector<SynthRating>&)>& visit) {
  std::vector<SynthRating> batch;
  for (std::uint32_t s = 0; s < static_cast<std::uint32_t>(options.students); ++s) {
    GenerateStudent(cat, options, s, batch);
    visit(batch);
  }
}

void FillFact(const CatalogFacts& cat, const SynthRating& r, RatingFact& fact) {
  fact.id = r.fact;
  fact.student_id = r.student;
  fact.cpe_id = *cat.cpe_ids[r.cpe];
  fact.level_id = *cat.level_ids[r.level];
  fact.demonstrated_on = r.day;
  fact.recorded_at = r.recorded;
  fact.kind = r.kind;
}

// ---------------------------------------------------------------------------
// Catalog variants

// The shipped catalog with one calculation method everywhere and the rule
// reduced to "every CPE at mastery": the clauses SQL would otherwise need
// (required kinds, prerequisites earned) are out of scope for the comparison.
Catalog BenchCatalog(const Catalog& base, Method method, int n) {
  Catalog catalog = base;
  catalog.default_calculation = CalculationSpec{};
  catalog.default_calculation.method = method;
  catalog.default_calculation.n = n;
  for (Badge& badge : catalog.badges) {
    badge.calculation.reset();
    for (Cpe& cpe : badge.cpes) cpe.calculation.reset();
    badge.rule = AwardRule{};
    badge.rule.quorum = AwardRule::Quorum::kAll;
    badge.rule.min_evidence_per_cpe = 1;
    badge.rule.prerequisites_earned = false;
  }
  catalog.Index();
  return catalog;
}

// ---------------------------------------------------------------------------
// Results both sides produce, reduced to counts and order-independent sums

// A 30-bit mix that SQLite can compute in 64-bit integers without overflow.
constexpr std::int64_t kHashMod = 1000000007;
std::int64_t PairHash(std::int64_t student, std::int64_t key) {
  return (student * 2654435761LL + key * 40503LL) % kHashMod;
}

struct Tally {
  std::int64_t statuses = 0;       // (student, CPE) pairs with a status
  std::int64_t mastered = 0;       // ... of which mastered
  std::int64_t mastered_hash = 0;  // sum of PairHash over mastered pairs
  std::int64_t score_total = 0;    // sum over statuses of the scores behind the value
  std::int64_t badges = 0;         // (student, badge) pairs with any status
  std::int64_t badges_met = 0;     // ... whose all-CPEs rule is met
  std::int64_t met_hash = 0;       // sum of PairHash over met pairs
  bool operator==(const Tally&) const = default;
};

// `window` is how many scores stand behind a status value (1 for most_recent,
// n for mean_of_recent): value x min(window, count) is their exact sum.
Tally TallyEngine(const MasteryEngine& engine, int students, int window) {
  Tally t;
  for (std::int64_t id = 1; id <= students; ++id) {
    for (const CpeStatus& s : engine.CpeStatuses(id)) {
      ++t.statuses;
      const int used = std::min<int>(window, s.evidence_count);
      t.score_total += std::llround(s.value * used);
      if (s.mastered) {
        ++t.mastered;
        t.mastered_hash += PairHash(id, s.dense_cpe);
      }
    }
    for (const BadgeStatus& b : engine.BadgeStatuses(id)) {
      ++t.badges;
      if (b.rule_met) {
        ++t.badges_met;
        t.met_hash += PairHash(id, b.badge);
      }
    }
  }
  return t;
}

void PrintTally(const char* who, const Tally& t) {
  std::printf(
      "  %-7s statuses %lld, mastered %lld (hash %lld), score sum %lld; badges %lld, "
      "all-CPEs met %lld (hash %lld)\n",
      who, static_cast<long long>(t.statuses), static_cast<long long>(t.mastered),
      static_cast<long long>(t.mastered_hash), static_cast<long long>(t.score_total),
      static_cast<long long>(t.badges), static_cast<long long>(t.badges_met),
      static_cast<long long>(t.met_hash));
}

// ---------------------------------------------------------------------------
// Process memory

long long ProcStatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return std::atoll(line.c_str() + prefix.size());
  }
  return -1;
}

double RssMiB() { return static_cast<double>(ProcStatusKb("VmRSS")) / 1024.0; }

// ---------------------------------------------------------------------------
// Engine side

struct Stats {
  double median = 0, best = 0, p99 = 0, mean = 0, max = 0;
};

Stats Summarize(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.best = v.front();
  s.max = v.back();
  s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  // Nearest rank: the smallest value with at least 99% of the samples at or below it.
  const auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(v.size())));
  s.p99 = v[std::min(v.size(), std::max<std::size_t>(rank, 1)) - 1];
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

struct EngineRun {
  std::string method;
  double load_s = 0;             // generate + AddRating(recompute = false) for every rating
  double first_recompute_s = 0;  // FinishBulkLoad: sorted runs and first statuses (cold path)
  Stats recompute_s;             // steady state, --repeat runs
  std::size_t memory_bytes = 0;
  std::size_t entries = 0;
  double rss_before_mib = 0, rss_loaded_mib = 0, rss_computed_mib = 0;
  Tally tally;
  Stats incremental_us;
  bool incremental_consistent = true;
};

bool SameStatus(const CpeStatus& a, const CpeStatus& b) {
  return a.value == b.value && a.dense_cpe == b.dense_cpe &&
         a.last_demonstrated == b.last_demonstrated && a.evidence_count == b.evidence_count &&
         a.at_mastery == b.at_mastery && a.kinds == b.kinds && a.mastery_kinds == b.mastery_kinds &&
         a.has_value == b.has_value && a.mastered == b.mastered;
}

bool SameBadge(const BadgeStatus& a, const BadgeStatus& b) {
  return a.badge == b.badge && a.rule_met == b.rule_met && a.cpes_counting == b.cpes_counting;
}

// (b): fresh ratings on random students, each applied with its incremental
// recompute and timed alone. The facts are built beforehand so only
// AddRating is timed. Afterwards a full recompute must reproduce exactly what
// the incremental path left behind.
void RunIncremental(MasteryEngine& engine, const CatalogFacts& cat, const Options& options,
                    EngineRun& run) {
  Rng rng(options.seed ^ 0x1BADB002ull);
  std::vector<RatingFact> facts(static_cast<std::size_t>(options.incremental));
  std::vector<SynthRating> batch;
  FactId next_fact = static_cast<FactId>(options.students) * options.ratings_per_student + 1;
  for (RatingFact& fact : facts) {
    const std::uint32_t index = rng.Below(static_cast<std::uint32_t>(options.students));
    GenerateStudent(cat, options, index, batch);
    SynthRating r = batch[rng.Below(static_cast<std::uint32_t>(batch.size()))];
    r.fact = next_fact++;
    r.day = kYearStart + kYearDays + static_cast<Day>(rng.Below(10));
    r.recorded = StartOf(r.day) + 15 * 3600;
    r.level =
        static_cast<std::uint8_t>(rng.Below(static_cast<std::uint32_t>(cat.level_ids.size())));
    r.kind = rng.Chance(0.5) ? EvidenceKind::kSummative : EvidenceKind::kPerformanceTask;
    FillFact(cat, r, fact);
  }

  std::vector<double> micros;
  micros.reserve(facts.size());
  for (const RatingFact& fact : facts) {
    const auto start = Clock::now();
    const Status status = engine.AddRating(fact);
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (!status.ok()) {
      std::fprintf(stderr, "incremental AddRating failed: %s\n", status.ToString().c_str());
      run.incremental_consistent = false;
    }
  }
  run.incremental_us = Summarize(std::move(micros));

  std::vector<Id> touched;
  for (const RatingFact& fact : facts) touched.push_back(fact.student_id);
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  std::vector<std::vector<CpeStatus>> statuses;
  std::vector<std::vector<BadgeStatus>> badges;
  for (Id id : touched) {
    auto s = engine.CpeStatuses(id);
    auto b = engine.BadgeStatuses(id);
    statuses.emplace_back(s.begin(), s.end());
    badges.emplace_back(b.begin(), b.end());
  }
  engine.RecomputeAll();
  for (std::size_t i = 0; i < touched.size(); ++i) {
    auto s = engine.CpeStatuses(touched[i]);
    auto b = engine.BadgeStatuses(touched[i]);
    if (!std::equal(s.begin(), s.end(), statuses[i].begin(), statuses[i].end(), SameStatus) ||
        !std::equal(b.begin(), b.end(), badges[i].begin(), badges[i].end(), SameBadge)) {
      std::fprintf(stderr, "incremental and full recompute differ for student %lld\n",
                   static_cast<long long>(touched[i]));
      run.incremental_consistent = false;
    }
  }
}

EngineRun RunEngine(const Catalog& catalog, const CatalogFacts& cat, const Options& options,
                    const std::string& method, int window) {
  EngineRun run;
  run.method = method;
  run.rss_before_mib = RssMiB();
  MasteryEngine engine(catalog);
  RatingFact fact;
  auto start = Clock::now();
  ForEachStudent(cat, options, [&](const std::vector<SynthRating>& batch) {
    for (const SynthRating& r : batch) {
      FillFact(cat, r, fact);
      const Status status = engine.AddRating(fact, /*recompute=*/false);
      if (!status.ok()) {
        std::fprintf(stderr, "AddRating failed: %s\n", status.ToString().c_str());
        std::exit(1);
      }
    }
  });
  run.load_s = SecondsSince(start);
  run.rss_loaded_mib = RssMiB();

  const unsigned threads = ThreadCount(options);
  start = Clock::now();
  engine.FinishBulkLoad(threads);
  run.first_recompute_s = SecondsSince(start);
  run.rss_computed_mib = RssMiB();
  std::vector<double> times;
  for (int i = 0; i < options.repeat; ++i) {
    start = Clock::now();
    engine.RecomputeAll(threads);
    times.push_back(SecondsSince(start));
  }
  run.recompute_s = Summarize(times);
  run.memory_bytes = engine.MemoryBytes();
  run.entries = engine.EntryCount();
  run.tally = TallyEngine(engine, options.students, window);
  std::printf(
      "engine %-14s load %.2f s, cold (bulk load finish) %.3f s, recompute median %.3f s "
      "(best %.3f s, %d runs, %u threads)\n",
      method.c_str(), run.load_s, run.first_recompute_s, run.recompute_s.median,
      run.recompute_s.best, options.repeat, threads);
  std::fflush(stdout);
  if (options.incremental > 0) RunIncremental(engine, cat, options, run);
  return run;
}

// ---------------------------------------------------------------------------
// SQLite side

class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) Fail("open " + path);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* get() { return db_; }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::fprintf(stderr, "SQL failed: %s\n%s\n", error ? error : "?", sql.c_str());
      sqlite3_free(error);
      std::exit(1);
    }
  }
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      Fail("prepare: " + sql);
    }
    return stmt;
  }
  // The first row of a query of integers.
  std::vector<std::int64_t> Row(const std::string& sql) {
    sqlite3_stmt* stmt = Prepare(sql);
    std::vector<std::int64_t> row;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        row.push_back(sqlite3_column_int64(stmt, i));
      }
    }
    sqlite3_finalize(stmt);
    return row;
  }
  [[noreturn]] void Fail(const std::string& what) {
    std::fprintf(stderr, "sqlite: %s: %s\n", what.c_str(), sqlite3_errmsg(db_));
    std::exit(1);
  }

 private:
  sqlite3* db_ = nullptr;
};

// Fills {name} placeholders, so the SQL below reads as SQL.
std::string Sql(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values) {
    const std::string key = "{" + name + "}";
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
      text.replace(at, key.size(), value);
      at += value.size();
    }
  }
  return text;
}

// Window order mirrors the engine's EntryLess (day, recorded, level, fact)
// reversed, so row 1 is the engine's latest entry; level order is score order
// on a scale. Partitioning by badge too changes nothing (a CPE belongs to one
// badge) but lets results come out grouped by (student, badge).
constexpr const char* kWindow =
    "PARTITION BY student, badge, cpe ORDER BY day DESC, recorded DESC, score DESC, fact DESC";

// Statuses per (student, CPE): the latest score.
constexpr const char* kMostRecentSql = R"(
INSERT INTO cpe_status
SELECT student, badge, cpe, score, score, 1, score >= {threshold}
FROM (SELECT student, badge, cpe, score, ROW_NUMBER() OVER ({window}) AS rn
      FROM ratings WHERE kind <> {formative})
WHERE rn = 1)";

// Statuses per (student, CPE): the mean of the latest n scores. (Measured
// faster than a frame "ROWS BETWEEN CURRENT ROW AND n-1 FOLLOWING" read at
// rn = 1, despite the sort for GROUP BY.)
constexpr const char* kMeanOfRecentSql = R"(
INSERT INTO cpe_status
SELECT student, badge, cpe, AVG(score), SUM(score), COUNT(*), AVG(score) >= {threshold}
FROM (SELECT student, badge, cpe, score, ROW_NUMBER() OVER ({window}) AS rn
      FROM ratings WHERE kind <> {formative})
WHERE rn <= {n}
GROUP BY student, badge, cpe)";

// The all-CPEs rule per (student, badge). cpe_status is keyed (student,
// badge, cpe) so the GROUP BY streams without a sort; CROSS JOIN keeps
// SQLite from driving the join from the 23-row badges table.
constexpr const char* kBadgeSql = R"(
INSERT INTO badge_status
SELECT g.student, g.badge, g.mastered, g.mastered = b.cpe_count
FROM (SELECT student, badge, SUM(mastered) AS mastered FROM cpe_status
      GROUP BY student, badge) AS g
CROSS JOIN badges AS b ON b.badge = g.badge)";

constexpr const char* kPairHashSql = "((student * 2654435761 + {key} * 40503) % 1000000007)";

struct SqlRun {
  std::string method;
  Stats full_s;
  double cpe_s = 0, badge_s = 0;  // of the last run
  Tally tally;
};

void LoadSqlite(Db& db, const CatalogFacts& cat, const Options& options) {
  const char* table_columns =
      "student INTEGER NOT NULL, badge INTEGER NOT NULL, cpe INTEGER NOT NULL, "
      "day INTEGER NOT NULL, recorded INTEGER NOT NULL, score NUMERIC NOT NULL, "
      "fact INTEGER NOT NULL, kind INTEGER NOT NULL";
  const std::string key = "student, badge, cpe, day DESC, recorded DESC, score DESC, fact DESC";
  if (options.layout == SqliteLayout::kClustered) {
    db.Exec(std::string("CREATE TABLE ratings (") + table_columns + ", PRIMARY KEY (" + key +
            ")) WITHOUT ROWID");
  } else {
    db.Exec(std::string("CREATE TABLE ratings (") + table_columns + ")");
  }
  db.Exec("CREATE TABLE badges (badge INTEGER PRIMARY KEY, cpe_count INTEGER NOT NULL)");
  // Not read by the timed queries (ratings carries its badge); it makes a
  // kept --sqlite-db file self-describing.
  db.Exec("CREATE TABLE cpes (cpe INTEGER PRIMARY KEY, badge INTEGER NOT NULL)");
  db.Exec("BEGIN");
  for (std::size_t b = 0; b < cat.badge_cpes.size(); ++b) {
    db.Exec("INSERT INTO badges VALUES (" + std::to_string(b) + ", " +
            std::to_string(cat.badge_cpes[b]) + ")");
  }
  for (std::size_t c = 0; c < cat.cpe_badge.size(); ++c) {
    db.Exec("INSERT INTO cpes VALUES (" + std::to_string(c) + ", " +
            std::to_string(cat.cpe_badge[c]) + ")");
  }
  sqlite3_stmt* insert = db.Prepare("INSERT INTO ratings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  std::vector<SynthRating> sorted;
  ForEachStudent(cat, options, [&](const std::vector<SynthRating>& batch) {
    // Inserting in key order keeps the B-tree appends sequential; loading is
    // not timed, but this keeps a 20M-row load to a minute or two.
    sorted = batch;
    std::sort(sorted.begin(), sorted.end(), [](const SynthRating& a, const SynthRating& b) {
      if (a.cpe != b.cpe) return a.cpe < b.cpe;
      return std::tie(b.day, b.recorded, b.level, b.fact) <
             std::tie(a.day, a.recorded, a.level, a.fact);
    });
    for (const SynthRating& r : sorted) {
      sqlite3_bind_int64(insert, 1, r.student);
      sqlite3_bind_int64(insert, 2, cat.cpe_badge[r.cpe]);
      sqlite3_bind_int64(insert, 3, r.cpe);
      sqlite3_bind_int64(insert, 4, r.day);
      sqlite3_bind_int64(insert, 5, r.recorded);
      sqlite3_bind_double(insert, 6, cat.level_scores[r.level]);
      sqlite3_bind_int64(insert, 7, r.fact);
      sqlite3_bind_int64(insert, 8, static_cast<int>(r.kind));
      if (sqlite3_step(insert) != SQLITE_DONE) db.Fail("insert");
      sqlite3_reset(insert);
    }
  });
  sqlite3_finalize(insert);
  db.Exec("COMMIT");
  if (options.layout == SqliteLayout::kIndexed) {
    db.Exec("CREATE INDEX ratings_by_window ON ratings (" + key + ", kind)");
  }
  db.Exec("ANALYZE");
}

// Shows whether SQLite sorts ("USE TEMP B-TREE") or reads in index order.
void PrintPlan(Db& db, const std::string& sql) {
  sqlite3_stmt* stmt = db.Prepare("EXPLAIN QUERY PLAN " + sql);
  std::string plan;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    plan += plan.empty() ? "" : "; ";
    plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
  }
  sqlite3_finalize(stmt);
  std::printf("  plan: %s\n", plan.c_str());
}

// (c): one method's full computation, materialized into two tables: statuses
// per (student, CPE), then the all-CPEs rule per (student, badge). Formative
// ratings are excluded as the engine's default calculation does.
SqlRun RunSql(Db& db, const CatalogFacts& cat, const Options& options, const std::string& method,
              bool mean_of_recent) {
  SqlRun run;
  run.method = method;
  char threshold[64];
  // The engine's kScoreEpsilon tolerance, on the same side.
  std::snprintf(threshold, sizeof threshold, "%.17g", cat.threshold - kScoreEpsilon);
  const std::string cpe_sql =
      Sql(mean_of_recent ? kMeanOfRecentSql : kMostRecentSql,
          {{"threshold", threshold},
           {"window", kWindow},
           {"formative", std::to_string(static_cast<int>(EvidenceKind::kFormative))},
           {"n", std::to_string(options.n)}});

  std::vector<double> times;
  for (int i = 0; i < options.sql_repeat; ++i) {
    db.Exec("DROP TABLE IF EXISTS cpe_status");
    db.Exec("DROP TABLE IF EXISTS badge_status");
    db.Exec(
        "CREATE TABLE cpe_status (student INTEGER, badge INTEGER, cpe INTEGER, value REAL, "
        "total INTEGER, used INTEGER, mastered INTEGER, PRIMARY KEY (student, badge, cpe)) "
        "WITHOUT ROWID");
    db.Exec(
        "CREATE TABLE badge_status (student INTEGER, badge INTEGER, mastered INTEGER, "
        "rule_met INTEGER, PRIMARY KEY (student, badge)) WITHOUT ROWID");
    if (i == 0) PrintPlan(db, cpe_sql);
    auto start = Clock::now();
    db.Exec(cpe_sql);
    run.cpe_s = SecondsSince(start);
    auto mid = Clock::now();
    db.Exec(kBadgeSql);
    run.badge_s = SecondsSince(mid);
    times.push_back(SecondsSince(start));
  }
  run.full_s = Summarize(times);

  const std::string cpe_hash = Sql(kPairHashSql, {{"key", "cpe"}});
  const std::string badge_hash = Sql(kPairHashSql, {{"key", "badge"}});
  const auto statuses = db.Row("SELECT COUNT(*), SUM(mastered), SUM(CASE WHEN mastered THEN " +
                               cpe_hash + " END), SUM(total) FROM cpe_status");
  const auto badges = db.Row("SELECT COUNT(*), SUM(rule_met), SUM(CASE WHEN rule_met THEN " +
                             badge_hash + " END) FROM badge_status");
  run.tally =
      Tally{statuses[0], statuses[1], statuses[2], statuses[3], badges[0], badges[1], badges[2]};
  std::printf(
      "sqlite %-14s full median %.3f s (best %.3f s, %d runs; last run: statuses %.3f s + "
      "badges %.3f s)\n",
      method.c_str(), run.full_s.median, run.full_s.best, options.sql_repeat, run.cpe_s,
      run.badge_s);
  std::fflush(stdout);
  return run;
}

const char* LayoutName(SqliteLayout layout) {
  switch (layout) {
    case SqliteLayout::kClustered:
      return "clustered";
    case SqliteLayout::kIndexed:
      return "indexed";
    case SqliteLayout::kPlain:
      return "plain";
  }
  return "?";
}

// ---------------------------------------------------------------------------
// DuckDB side (bench/duckdb/compare.mjs through node)

struct DuckRun {
  std::string variant;  // the query: arg_max, window, arg_max_n
  double best_s = 0, median_s = 0;
  Tally tally;
};

struct DuckResult {
  std::string error;  // empty when it ran
  std::string version;
  double load_s = 0;
  std::vector<std::vector<DuckRun>> methods;  // most_recent, mean_of_recent
};

// Appends `value` in its shortest exact decimal form.
template <typename T>
void AppendNumber(std::string& out, T value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// The ledger as the SQL sides see it (one row per rating, in generation
// order) plus each badge's CPE count.
bool ExportRatingsCsv(const std::filesystem::path& file, const CatalogFacts& cat,
                      const Options& options) {
  std::FILE* out = std::fopen(file.c_str(), "wb");
  if (!out) return false;
  std::string text = "student,badge,cpe,day,recorded,score,fact,kind\n";
  ForEachStudent(cat, options, [&](const std::vector<SynthRating>& batch) {
    for (const SynthRating& r : batch) {
      AppendNumber(text, r.student);
      text += ',';
      AppendNumber(text, cat.cpe_badge[r.cpe]);
      text += ',';
      AppendNumber(text, r.cpe);
      text += ',';
      AppendNumber(text, r.day);
      text += ',';
      AppendNumber(text, r.recorded);
      text += ',';
      AppendNumber(text, cat.level_scores[r.level]);
      text += ',';
      AppendNumber(text, r.fact);
      text += ',';
      AppendNumber(text, static_cast<int>(r.kind));
      text += '\n';
    }
    if (text.size() > (1 << 20)) {
      std::fwrite(text.data(), 1, text.size(), out);
      text.clear();
    }
  });
  std::fwrite(text.data(), 1, text.size(), out);
  const bool ok = !std::ferror(out);
  return std::fclose(out) == 0 && ok;
}

bool ExportBadgesCsv(const std::filesystem::path& dir, const CatalogFacts& cat) {
  std::ofstream badges(dir / "badges.csv");
  badges << "badge,cpe_count\n";
  for (std::size_t b = 0; b < cat.badge_cpes.size(); ++b) {
    badges << b << ',' << cat.badge_cpes[b] << '\n';
  }
  return static_cast<bool>(badges);
}

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

DuckResult RunDuckDb(const CatalogFacts& cat, const Options& options) {
  DuckResult result;
  if (!std::filesystem::exists(options.duckdb)) {
    result.error = options.duckdb + " does not exist";
    return result;
  }
  const bool temporary = options.export_dir.empty();
  const std::filesystem::path dir = temporary
                                        ? std::filesystem::temp_directory_path() /
                                              ("cairn_mastery_duckdb_" + std::to_string(::getpid()))
                                        : std::filesystem::path(options.export_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::filesystem::path ratings_csv = dir / "ratings.csv";
  if (ec || !ExportBadgesCsv(dir, cat)) {
    result.error = "cannot write the CSV export to " + dir.string();
    return result;
  }
  // A temporary export streams through a named pipe while DuckDB loads it,
  // so a 20M-rating run needs no gigabyte of disk; --export-dir keeps a file.
  if (temporary) {
    if (::mkfifo(ratings_csv.c_str(), 0600) != 0) {
      result.error = "cannot create the pipe " + ratings_csv.string();
      std::filesystem::remove_all(dir, ec);
      return result;
    }
  } else {
    auto start = Clock::now();
    if (!ExportRatingsCsv(ratings_csv, cat, options)) {
      result.error = "cannot write " + ratings_csv.string();
      return result;
    }
    std::printf("duckdb: ledger exported to %s in %.1f s (%.0f MiB, not timed below)\n",
                ratings_csv.c_str(), SecondsSince(start),
                static_cast<double>(std::filesystem::file_size(ratings_csv)) / (1 << 20));
    std::fflush(stdout);
  }
  char threshold[64];
  std::snprintf(threshold, sizeof threshold, "%.17g", cat.threshold - kScoreEpsilon);
  const std::string command =
      "node " + ShellQuote(options.duckdb) + " --dir " + ShellQuote(dir.string()) + " --threads " +
      std::to_string(ThreadCount(options)) + " --n " + std::to_string(options.n) + " --threshold " +
      threshold + " --formative " + std::to_string(static_cast<int>(EvidenceKind::kFormative)) +
      " --repeat " + std::to_string(options.sql_repeat);
  std::string output;
  if (std::FILE* pipe = ::popen(command.c_str(), "r")) {
    // node opens the named pipe to load it; its stdout comes at the end.
    if (temporary && !ExportRatingsCsv(ratings_csv, cat, options)) {
      result.error = "cannot stream the ledger to " + ratings_csv.string();
    }
    char buffer[4096];
    for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
      output.append(buffer, got);
    }
    const int status = ::pclose(pipe);
    if (status != 0 && result.error.empty()) {
      result.error = "node " + options.duckdb + " failed (see its message above)";
    }
  } else {
    result.error = "cannot start node";
  }
  if (temporary) std::filesystem::remove_all(dir, ec);
  if (!result.error.empty()) return result;
  const auto json = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.contains("methods")) {
    result.error = "unreadable output from " + options.duckdb + ": " + output;
    return result;
  }
  auto number = [](const nlohmann::json& v) { return std::stoll(v.get<std::string>()); };
  result.version = json.value("version", "?");
  result.load_s = json.value("load_s", 0.0);
  for (const auto& method : json["methods"]) {
    std::vector<DuckRun> runs;
    for (const auto& v : method["variants"]) {
      const auto& t = v["tally"];
      runs.push_back(DuckRun{
          v["variant"].get<std::string>(), v["best"].get<double>(), v["median"].get<double>(),
          Tally{number(t["statuses"]), number(t["mastered"]), number(t["mastered_hash"]),
                number(t["score_total"]), number(t["badges"]), number(t["badges_met"]),
                number(t["met_hash"])}});
    }
    result.methods.push_back(std::move(runs));
  }
  std::printf("duckdb %s, %u threads: CSV loaded in %.1f s (not timed below)\n",
              result.version.c_str(), ThreadCount(options), result.load_s);
  for (std::size_t m = 0; m < result.methods.size(); ++m) {
    for (const DuckRun& run : result.methods[m]) {
      std::printf("duckdb %-14s %-9s best %.3f s, median %.3f s (%d runs)\n",
                  m == 0 ? "most_recent" : "mean_of_recent", run.variant.c_str(), run.best_s,
                  run.median_s, options.sql_repeat);
    }
  }
  std::fflush(stdout);
  return result;
}

// ---------------------------------------------------------------------------

int Run(const Options& options) {
  Result<Catalog> parsed = ParseCatalog(BuiltinXqCatalogJson(), "builtin");
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.status().ToString().c_str());
    return 1;
  }
  const Catalog& base = *parsed;
  for (const Badge& badge : base.badges) {
    if (badge.scale_id != base.badges.front().scale_id) {
      std::fprintf(stderr, "the generator assumes one scale for every badge\n");
      return 1;
    }
  }
  const CatalogFacts cat(base);
  if (cat.mastery_level == 0) {
    std::fprintf(stderr, "the generator needs a level below mastery\n");
    return 1;
  }
  const auto ratings = static_cast<std::int64_t>(options.students) * options.ratings_per_student;
  std::printf(
      "mastery_bench: %d students x %d ratings = %lld ratings; %zu badges, %zu CPEs; "
      "seed %llu; mean_of_recent n = %d\n",
      options.students, options.ratings_per_student, static_cast<long long>(ratings),
      base.badges.size(), cat.cpe_ids.size(), static_cast<unsigned long long>(options.seed),
      options.n);
  std::fflush(stdout);

  const std::string mean_name = "mean_of_" + std::to_string(options.n);
  const Catalog most_recent_catalog = BenchCatalog(base, Method::kMostRecent, options.n);
  const Catalog mean_catalog = BenchCatalog(base, Method::kMeanOfRecent, options.n);
  // One engine at a time: each holds the whole ledger.
  std::vector<EngineRun> engine_runs;
  engine_runs.push_back(RunEngine(most_recent_catalog, cat, options, "most_recent", 1));
  engine_runs.push_back(RunEngine(mean_catalog, cat, options, mean_name, options.n));

  std::vector<SqlRun> sql_runs;
  double sql_load_s = 0;
  if (!options.skip_sqlite) {
    const bool temporary = options.sqlite_db.empty();
    const std::string path = temporary
                                 ? (std::filesystem::temp_directory_path() /
                                    ("cairn_mastery_bench_" + std::to_string(::getpid()) + ".db"))
                                       .string()
                                 : options.sqlite_db;
    if (std::filesystem::exists(path)) {
      std::fprintf(stderr, "%s exists; give a new path for --sqlite-db\n", path.c_str());
      return 1;
    }
    {
      Db db(path);
      // SQLite's best shot at bulk analytics: no journal or fsync, a page
      // cache that holds the whole database, sorts in memory.
      db.Exec("PRAGMA journal_mode = OFF");
      db.Exec("PRAGMA synchronous = OFF");
      db.Exec("PRAGMA cache_size = -16000000");  // KiB: 16 GiB, more than the database
      db.Exec("PRAGMA temp_store = MEMORY");
      db.Exec("PRAGMA mmap_size = 0");
      const auto start = Clock::now();
      LoadSqlite(db, cat, options);
      sql_load_s = SecondsSince(start);
      std::printf("sqlite load (%s layout, not timed below) %.1f s, %.0f MiB file\n",
                  LayoutName(options.layout), sql_load_s,
                  static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));
      std::fflush(stdout);
      sql_runs.push_back(RunSql(db, cat, options, "most_recent", false));
      sql_runs.push_back(RunSql(db, cat, options, mean_name, true));
    }
    if (temporary) std::filesystem::remove(path);
  }

  DuckResult duck;
  if (!options.duckdb.empty()) {
    duck = RunDuckDb(cat, options);
    if (!duck.error.empty()) {
      std::printf("duckdb: NOT RUN: %s\n", duck.error.c_str());
    }
  }

  // Agreement.
  bool agree = true;
  std::printf("\nresults\n");
  for (std::size_t i = 0; i < engine_runs.size(); ++i) {
    std::printf(" %s\n", engine_runs[i].method.c_str());
    PrintTally("engine", engine_runs[i].tally);
    if (i < sql_runs.size()) {
      PrintTally("sqlite", sql_runs[i].tally);
      const bool same = engine_runs[i].tally == sql_runs[i].tally;
      std::printf("  engine and SQL %s\n", same ? "agree" : "DISAGREE");
      agree = agree && same;
    }
    if (i < duck.methods.size()) {
      for (const DuckRun& run : duck.methods[i]) {
        const std::string who = "duckdb " + run.variant;
        PrintTally(who.c_str(), run.tally);
        const bool same = engine_runs[i].tally == run.tally;
        std::printf("  engine and DuckDB %s %s\n", run.variant.c_str(),
                    same ? "agree" : "DISAGREE");
        agree = agree && same;
      }
    }
    if (!engine_runs[i].incremental_consistent) {
      std::printf("  incremental updates DISAGREE with a full recompute\n");
      agree = false;
    } else if (options.incremental > 0) {
      std::printf("  incremental updates agree with a full recompute\n");
    }
  }

  // Summary.
  constexpr double kRatioTarget = 20.0;
  constexpr double kIncrementalTargetUs = 50.0;
  bool targets_met = true;
  std::printf("\n%-14s %16s %16s %9s   %s\n", "method", "engine full (s)", "sqlite full (s)",
              "ratio", "target");
  for (std::size_t i = 0; i < engine_runs.size(); ++i) {
    const EngineRun& e = engine_runs[i];
    if (i < sql_runs.size()) {
      const double ratio = sql_runs[i].full_s.median / e.recompute_s.median;
      const bool ok = ratio >= kRatioTarget;
      targets_met = targets_met && ok;
      std::printf("%-14s %16.3f %16.3f %8.1fx   >= %.0fx  %s\n", e.method.c_str(),
                  e.recompute_s.median, sql_runs[i].full_s.median, ratio, kRatioTarget,
                  ok ? "OK" : "MISSED");
    } else {
      std::printf("%-14s %16.3f %16s %9s\n", e.method.c_str(), e.recompute_s.median, "-", "-");
    }
  }
  std::printf(
      "(engine: median of %d RecomputeAll runs; the cold path, FinishBulkLoad after staging "
      "every rating (sorting included), took %.3f s / %.3f s)\n",
      options.repeat, engine_runs[0].first_recompute_s, engine_runs[1].first_recompute_s);
  for (const EngineRun& e : engine_runs) {
    if (options.incremental == 0) break;
    const bool ok = e.incremental_us.median < kIncrementalTargetUs;
    targets_met = targets_met && ok;
    std::printf(
        "incremental update (%s, %d ratings): median %.2f us, p99 %.2f us, max %.1f us "
        "(target: median < %.0f us) %s\n",
        e.method.c_str(), options.incremental, e.incremental_us.median, e.incremental_us.p99,
        e.incremental_us.max, kIncrementalTargetUs, ok ? "OK" : "MISSED");
  }
  // Issue #12: against DuckDB's best query per method (same thread count).
  constexpr double kSteadyTarget = 15.0;
  constexpr double kColdTarget = 0.5;
  if (!duck.methods.empty()) {
    std::printf("\n%-14s %10s %10s %10s %-9s %14s %16s\n", "method", "cold (s)", "steady (s)",
                "duckdb (s)", "query", "steady ratio", "cold / duckdb");
  } else if (!options.duckdb.empty()) {
    std::printf("\nDuckDB targets: FAIL (DuckDB did not run: %s)\n", duck.error.c_str());
    targets_met = false;
  }
  for (std::size_t i = 0; i < engine_runs.size() && i < duck.methods.size(); ++i) {
    const EngineRun& e = engine_runs[i];
    const DuckRun* best = nullptr;
    for (const DuckRun& run : duck.methods[i]) {
      if (!best || run.best_s < best->best_s) best = &run;
    }
    if (!best) continue;
    const double steady = best->best_s / e.recompute_s.median;
    const double cold = e.first_recompute_s / best->best_s;
    const bool steady_ok = steady >= kSteadyTarget;
    const bool cold_ok = cold <= kColdTarget;
    targets_met = targets_met && steady_ok && cold_ok;
    std::printf("%-14s %10.3f %10.3f %10.3f %-9s %7.1fx %s %9.2f %s\n", e.method.c_str(),
                e.first_recompute_s, e.recompute_s.median, best->best_s, best->variant.c_str(),
                steady, steady_ok ? "PASS" : "FAIL", cold, cold_ok ? "PASS" : "FAIL");
  }
  if (!duck.methods.empty()) {
    std::printf(
        "(targets: steady >= %.0fx DuckDB's best, cold <= %.2fx DuckDB's best; engine steady is "
        "the median of %d RecomputeAll runs, cold is FinishBulkLoad after staging every rating)\n",
        kSteadyTarget, kColdTarget, options.repeat);
  }
  const EngineRun& first = engine_runs[0];
  const double per_rating =
      static_cast<double>(first.memory_bytes) / static_cast<double>(first.entries);
  const double rss_per_rating = (first.rss_computed_mib - first.rss_before_mib) * 1048576.0 /
                                static_cast<double>(first.entries);
  std::printf(
      "memory: %.1f bytes/rating in the engine index (MemoryBytes %.0f MiB for %zu "
      "ratings); process RSS %.0f MiB before loading, %.0f MiB loaded, %.0f MiB after "
      "RecomputeAll (%.1f bytes/rating); peak RSS %.0f MiB\n",
      per_rating, static_cast<double>(first.memory_bytes) / 1048576.0, first.entries,
      first.rss_before_mib, first.rss_loaded_mib, first.rss_computed_mib, rss_per_rating,
      static_cast<double>(ProcStatusKb("VmHWM")) / 1024.0);
  std::printf("check: %s\n", agree ? "OK" : "FAILED");

  if (options.json) {
    nlohmann::json j;
    j["students"] = options.students;
    j["ratings"] = ratings;
    j["seed"] = options.seed;
    j["n"] = options.n;
    j["sqlite_layout"] = LayoutName(options.layout);
    j["sqlite_load_s"] = sql_load_s;
    j["check_ok"] = agree;
    j["targets_met"] = targets_met;
    j["engine_bytes_per_rating"] = per_rating;
    j["rss_bytes_per_rating"] = rss_per_rating;
    for (std::size_t i = 0; i < engine_runs.size(); ++i) {
      const EngineRun& e = engine_runs[i];
      nlohmann::json m{{"method", e.method},
                       {"engine_load_s", e.load_s},
                       {"engine_first_recompute_s", e.first_recompute_s},
                       {"engine_recompute_median_s", e.recompute_s.median},
                       {"engine_recompute_best_s", e.recompute_s.best},
                       {"incremental_median_us", e.incremental_us.median},
                       {"incremental_p99_us", e.incremental_us.p99},
                       {"incremental_max_us", e.incremental_us.max},
                       {"engine_memory_bytes", e.memory_bytes}};
      if (i < duck.methods.size()) {
        for (const DuckRun& run : duck.methods[i]) {
          m["duckdb"].push_back(
              {{"query", run.variant}, {"best_s", run.best_s}, {"median_s", run.median_s}});
        }
      }
      if (i < sql_runs.size()) {
        m["sqlite_full_s"] = sql_runs[i].full_s.median;
        m["sqlite_status_s"] = sql_runs[i].cpe_s;
        m["sqlite_badge_s"] = sql_runs[i].badge_s;
        m["ratio"] = sql_runs[i].full_s.median / e.recompute_s.median;
      }
      j["methods"].push_back(m);
    }
    std::printf("%s\n", j.dump().c_str());
  }
  if (!agree) return 1;
  if (options.enforce_targets && !targets_met) return 2;
  return 0;
}

}  // namespace
}  // namespace cairn

int main(int argc, char** argv) {
  cairn::Options options;
  CLI::App app{"Cairn mastery benchmark: engine full and incremental recompute vs SQLite"};
  app.add_option("--students", options.students, "Students in the synthetic ledger")
      ->check(CLI::Range(1, 50000000));
  app.add_option("--ratings-per-student", options.ratings_per_student, "Ratings per student")
      ->check(CLI::Range(1, 10000));
  app.add_option("--seed", options.seed, "Seed of the synthetic data");
  app.add_option("--n", options.n, "n of mean_of_recent")->check(CLI::Range(1, 100));
  app.add_option("--repeat", options.repeat, "Timed RecomputeAll runs per method")
      ->check(CLI::Range(1, 100));
  app.add_option("--sql-repeat", options.sql_repeat, "Timed SQL runs per method")
      ->check(CLI::Range(1, 100));
  app.add_option("--incremental", options.incremental, "Single-rating updates to time")
      ->check(CLI::Range(0, 10000000));
  app.add_option("--sqlite-db", options.sqlite_db,
                 "SQLite file to create (must not exist; kept). Default: a temporary file, "
                 "removed at the end");
  app.add_option("--sqlite-layout", options.layout, "clustered, indexed or plain")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, cairn::SqliteLayout>{{"clustered", cairn::SqliteLayout::kClustered},
                                                     {"indexed", cairn::SqliteLayout::kIndexed},
                                                     {"plain", cairn::SqliteLayout::kPlain}}));
  app.add_flag("--skip-sqlite", options.skip_sqlite, "Measure the engine only");
  app.add_flag("--enforce-targets", options.enforce_targets,
               "Exit 2 if a target is missed (20x SQLite, median update < 50 us)");
  app.add_flag("--json", options.json, "Also print the figures as one JSON line");
  app.add_option("--threads", options.threads,
                 "Threads for the engine's bulk load and recompute, and for DuckDB (0: all cores)");
  app.add_option("--duckdb", options.duckdb,
                 "bench/duckdb/compare.mjs: also run DuckDB (node, @duckdb/node-api installed by "
                 "bench/duckdb_compare.sh) on the exported ledger");
  app.add_option("--export-dir", options.export_dir,
                 "Directory for the DuckDB CSV export (kept). Default: a temporary one, removed");
  CLI11_PARSE(app, argc, argv);
  return cairn::Run(options);
}
