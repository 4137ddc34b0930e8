#include "mastery/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "testing/test_catalog.h"

namespace cairn {
namespace {

using testing::ParseOrDie;
using testing::TestCatalog;
using testing::TestCatalogJson;

constexpr Id kStudent = 7;

// A rating fact with readable defaults; `day` is the demonstration day.
RatingFact Rating(FactId id, const std::string& cpe, const std::string& level, Day day,
                  EvidenceKind kind = EvidenceKind::kSummative, Instant recorded = 0) {
  RatingFact fact;
  fact.id = id;
  fact.student_id = kStudent;
  fact.cpe_id = cpe;
  fact.level_id = level;
  fact.demonstrated_on = day;
  fact.recorded_at = recorded ? recorded : StartOf(day) + 3600;
  fact.kind = kind;
  return fact;
}

VoidFact Void(FactId id, FactId target) {
  VoidFact fact;
  fact.id = id;
  fact.target = target;
  fact.student_id = kStudent;
  fact.reason = "test";
  return fact;
}

const CpeStatus* StatusOf(const MasteryEngine& engine, const Catalog& catalog,
                          const std::string& cpe, Id student = kStudent) {
  const std::uint32_t dense = catalog.FindCpe(cpe)->dense;
  for (const CpeStatus& s : engine.CpeStatuses(student)) {
    if (s.dense_cpe == dense) return &s;
  }
  return nullptr;
}

TEST(MasteryEngineTest, NoEvidenceMeansNoStatusAndNothingMet) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  EXPECT_TRUE(engine.CpeStatuses(kStudent).empty());
  BadgeExplanation e = engine.Explain(kStudent, catalog.badges[0]);
  EXPECT_FALSE(e.met);
  ASSERT_EQ(e.cpes.size(), 3u);
  EXPECT_EQ(e.cpes[0].reason, "No evidence yet.");
  // Three CPEs and the performance task remain.
  EXPECT_EQ(e.remaining.size(), 4u);
}

TEST(MasteryEngineTest, OrdersByDemonstrationDateNotGradingDate) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  // Make-up work done on day 10 but graded on day 30 (Proficient), and a
  // quiz done and graded on day 20 (Emerging). The quiz is the most recent.
  ASSERT_TRUE(
      engine.AddRating(Rating(1, "B1.1", "proficient", 10, EvidenceKind::kSummative, StartOf(30)))
          .ok());
  ASSERT_TRUE(engine.AddRating(Rating(2, "B1.1", "emerging", 20)).ok());
  const CpeStatus* status = StatusOf(engine, catalog, "B1.1");
  ASSERT_NE(status, nullptr);
  EXPECT_DOUBLE_EQ(status->value, 2.0);
  EXPECT_FALSE(status->mastered);
  EXPECT_EQ(status->evidence_count, 2);
  EXPECT_EQ(status->last_demonstrated, 20);
}

TEST(MasteryEngineTest, SameDayAttemptsAreOrderedByRecordingTime) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  ASSERT_TRUE(engine
                  .AddRating(Rating(1, "B1.1", "advanced", 5, EvidenceKind::kSummative,
                                    StartOf(5) + 9 * 3600))
                  .ok());
  ASSERT_TRUE(engine
                  .AddRating(Rating(2, "B1.1", "not_yet", 5, EvidenceKind::kSummative,
                                    StartOf(5) + 8 * 3600))
                  .ok());
  // Fact 1 was recorded later the same day, so it is the most recent.
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1")->value, 4.0);
}

TEST(MasteryEngineTest, FormativeEvidenceIsExcludedUnlessConfigured) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  ASSERT_TRUE(engine.AddRating(Rating(1, "B1.1", "not_yet", 5, EvidenceKind::kFormative)).ok());
  EXPECT_EQ(StatusOf(engine, catalog, "B1.1"), nullptr);
  ASSERT_TRUE(engine.AddRating(Rating(2, "B1.1", "proficient", 3)).ok());
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1")->value, 3.0);
  EXPECT_EQ(StatusOf(engine, catalog, "B1.1")->evidence_count, 1);

  auto json = TestCatalogJson();
  json["calculation"] = {{"method", "most_recent"}, {"include_formative", true}};
  Catalog with_formative = ParseOrDie(json);
  MasteryEngine engine2(with_formative);
  ASSERT_TRUE(engine2.AddRating(Rating(1, "B1.1", "not_yet", 5, EvidenceKind::kFormative)).ok());
  ASSERT_TRUE(engine2.AddRating(Rating(2, "B1.1", "proficient", 3)).ok());
  EXPECT_DOUBLE_EQ(StatusOf(engine2, with_formative, "B1.1")->value, 1.0);
}

TEST(MasteryEngineTest, CorrectionReplacesAndVoidOfCorrectionRestores) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  ASSERT_TRUE(engine.AddRating(Rating(1, "B1.1", "emerging", 5)).ok());
  RatingFact fix = Rating(2, "B1.1", "advanced", 5);
  fix.corrects = 1;
  ASSERT_TRUE(engine.AddRating(fix).ok());
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1")->value, 4.0);
  EXPECT_EQ(StatusOf(engine, catalog, "B1.1")->evidence_count, 1);
  ASSERT_TRUE(engine.AddVoid(Void(3, 2)).ok());
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1")->value, 2.0);
  EXPECT_EQ(StatusOf(engine, catalog, "B1.1")->evidence_count, 1);
}

TEST(MasteryEngineTest, VoidingTheOnlyRatingRemovesTheStatus) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  ASSERT_TRUE(engine.AddRating(Rating(1, "B1.2", "advanced", 5)).ok());
  ASSERT_TRUE(engine.AddVoid(Void(2, 1)).ok());
  EXPECT_EQ(StatusOf(engine, catalog, "B1.2"), nullptr);
  EXPECT_TRUE(engine.BadgeStatuses(kStudent).empty());
}

TEST(MasteryEngineTest, RejectsUnknownCpeLevelDuplicateAndUnknownVoidTarget) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  EXPECT_EQ(engine.AddRating(Rating(1, "B9.1", "advanced", 5)).code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.AddRating(Rating(1, "B1.1", "superb", 5)).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(engine.AddRating(Rating(1, "B1.1", "advanced", 5)).ok());
  EXPECT_EQ(engine.AddRating(Rating(1, "B1.1", "advanced", 5)).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(engine.AddVoid(Void(2, 99)).code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.EntryCount(), 1u);
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1")->value, 4.0);
}

TEST(MasteryEngineTest, BadgeNeedsEveryCpeAndThePerformanceTask) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  ASSERT_TRUE(engine.AddRating(Rating(1, "B1.1", "proficient", 5)).ok());
  ASSERT_TRUE(engine.AddRating(Rating(2, "B1.2", "advanced", 6)).ok());
  ASSERT_TRUE(engine.AddRating(Rating(3, "B1.3", "proficient", 7)).ok());
  BadgeExplanation e = engine.Explain(kStudent, catalog.badges[0]);
  EXPECT_FALSE(e.met);
  EXPECT_EQ(e.cpes_counting, 3);
  ASSERT_EQ(e.remaining.size(), 1u);
  EXPECT_EQ(e.remaining[0], "Performance task at mastery");
  EXPECT_FALSE(engine.FindBadgeStatus(kStudent, 0)->rule_met);

  // A performance task rated below mastery does not satisfy the rule...
  ASSERT_TRUE(
      engine.AddRating(Rating(4, "B1.3", "emerging", 4, EvidenceKind::kPerformanceTask)).ok());
  EXPECT_FALSE(engine.FindBadgeStatus(kStudent, 0)->rule_met);
  // ...one at mastery does.
  ASSERT_TRUE(
      engine.AddRating(Rating(5, "B1.2", "proficient", 8, EvidenceKind::kPerformanceTask)).ok());
  e = engine.Explain(kStudent, catalog.badges[0]);
  EXPECT_TRUE(e.met);
  EXPECT_TRUE(e.remaining.empty());
  EXPECT_TRUE(engine.FindBadgeStatus(kStudent, 0)->rule_met);
  EXPECT_EQ(engine.FindBadgeStatus(kStudent, 0)->cpes_counting, 3);
}

TEST(MasteryEngineTest, PrerequisiteMustBeEarned) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  ASSERT_TRUE(engine.AddRating(Rating(1, "B2.1", "advanced", 5)).ok());
  BadgeExplanation e = engine.Explain(kStudent, catalog.badges[1]);
  EXPECT_FALSE(e.met);
  EXPECT_EQ(e.missing_prerequisites, std::vector<std::string>{"B1"});
  EXPECT_FALSE(engine.FindBadgeStatus(kStudent, 1)->rule_met);
  engine.SetEarned(kStudent, 0, true);
  EXPECT_TRUE(engine.FindBadgeStatus(kStudent, 1)->rule_met);
  EXPECT_TRUE(engine.Explain(kStudent, catalog.badges[1]).met);
  engine.SetEarned(kStudent, 0, false);
  EXPECT_FALSE(engine.FindBadgeStatus(kStudent, 1)->rule_met);
}

TEST(MasteryEngineTest, StudentsAreIndependent) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  RatingFact other = Rating(1, "B1.1", "advanced", 5);
  other.student_id = 8;
  ASSERT_TRUE(engine.AddRating(other).ok());
  ASSERT_TRUE(engine.AddRating(Rating(2, "B1.1", "not_yet", 5)).ok());
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1", 8)->value, 4.0);
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1", kStudent)->value, 1.0);
  EXPECT_EQ(engine.StudentCount(), 2u);
}

// A random ledger with corrections and voids, over several students.
struct Ledger {
  std::vector<RatingFact> ratings;
  std::vector<VoidFact> voids;
};

Ledger RandomLedger(std::uint32_t seed, int size = 120, Id students = 4) {
  std::mt19937 rng(seed);
  const std::vector<std::string> cpes{"B1.1", "B1.2", "B1.3", "B2.1"};
  const std::vector<std::string> levels{"not_yet", "emerging", "proficient", "advanced"};
  Ledger ledger;
  FactId next = 1;
  for (int i = 0; i < size; ++i) {
    RatingFact fact =
        Rating(next++, cpes[rng() % cpes.size()], levels[rng() % levels.size()],
               static_cast<Day>(rng() % 20), static_cast<EvidenceKind>(rng() % kEvidenceKindCount));
    fact.student_id = 1 + static_cast<Id>(rng() % static_cast<std::uint32_t>(students));
    fact.recorded_at = StartOf(fact.demonstrated_on) + static_cast<Instant>(rng() % 3) * 60;
    if (!ledger.ratings.empty() && rng() % 10 == 0) {
      const RatingFact& target = ledger.ratings[rng() % ledger.ratings.size()];
      fact.student_id = target.student_id;
      fact.corrects = target.id;
    }
    ledger.ratings.push_back(fact);
    if (rng() % 12 == 0) {
      const RatingFact& target = ledger.ratings[rng() % ledger.ratings.size()];
      VoidFact v = Void(next++, target.id);
      v.student_id = target.student_id;
      if (std::none_of(ledger.voids.begin(), ledger.voids.end(),
                       [&](const VoidFact& x) { return x.target == v.target; })) {
        ledger.voids.push_back(v);
      }
    }
  }
  return ledger;
}

// Everything the engine computes for a student, for comparisons.
std::string Snapshot(const MasteryEngine& engine, Id student) {
  std::string out;
  for (const CpeStatus& s : engine.CpeStatuses(student)) {
    out += std::to_string(s.dense_cpe) + ":" + std::to_string(s.value) + "/" +
           std::to_string(s.evidence_count) + "/" + std::to_string(s.mastered) + "/" +
           std::to_string(s.kinds) + "/" + std::to_string(s.mastery_kinds) + "/" +
           std::to_string(s.last_demonstrated) + " ";
  }
  for (const BadgeStatus& b : engine.BadgeStatuses(student)) {
    out += "b" + std::to_string(b.badge) + ":" + std::to_string(b.rule_met) + "/" +
           std::to_string(b.cpes_counting) + " ";
  }
  return out;
}

TEST(MasteryEngineTest, InsertionOrderNeverChangesResults) {
  for (const char* method : {"most_recent", "mean_of_recent", "decaying_average", "power_law"}) {
    auto json = TestCatalogJson();
    json["calculation"] = {{"method", method}, {"n", 2}};
    Catalog catalog = ParseOrDie(json);
    Ledger ledger = RandomLedger(42);

    MasteryEngine reference(catalog);
    for (const RatingFact& r : ledger.ratings) ASSERT_TRUE(reference.AddRating(r, false).ok());
    for (const VoidFact& v : ledger.voids) ASSERT_TRUE(reference.AddVoid(v, false).ok());
    reference.RecomputeAll();

    std::mt19937 rng(7);
    for (int round = 0; round < 5; ++round) {
      std::shuffle(ledger.ratings.begin(), ledger.ratings.end(), rng);
      std::shuffle(ledger.voids.begin(), ledger.voids.end(), rng);
      MasteryEngine bulk(catalog);
      for (const RatingFact& r : ledger.ratings) ASSERT_TRUE(bulk.AddRating(r, false).ok());
      for (const VoidFact& v : ledger.voids) ASSERT_TRUE(bulk.AddVoid(v, false).ok());
      bulk.RecomputeAll();
      for (Id student = 1; student <= 4; ++student) {
        EXPECT_EQ(Snapshot(bulk, student), Snapshot(reference, student))
            << method << " student " << student << " round " << round;
      }
    }
  }
}

TEST(MasteryEngineTest, IncrementalUpdatesMatchFullRecompute) {
  Catalog catalog = TestCatalog();
  Ledger ledger = RandomLedger(99);
  MasteryEngine incremental(catalog);
  MasteryEngine bulk(catalog);
  std::size_t next_void = 0;
  for (const RatingFact& r : ledger.ratings) {
    ASSERT_TRUE(incremental.AddRating(r).ok());
    ASSERT_TRUE(bulk.AddRating(r, false).ok());
    // Voids apply as soon as their target exists.
    while (next_void < ledger.voids.size() && ledger.voids[next_void].target <= r.id) {
      ASSERT_TRUE(incremental.AddVoid(ledger.voids[next_void]).ok());
      ASSERT_TRUE(bulk.AddVoid(ledger.voids[next_void], false).ok());
      ++next_void;
    }
    bulk.RecomputeAll();
    for (Id student = 1; student <= 4; ++student) {
      ASSERT_EQ(Snapshot(incremental, student), Snapshot(bulk, student)) << "after fact " << r.id;
    }
  }
}

TEST(MasteryEngineTest, MethodOverridePerCpeIsUsed) {
  auto json = TestCatalogJson();
  json["badges"][0]["cpes"][1]["calculation"] = {{"method", "highest"}};
  Catalog catalog = ParseOrDie(json);
  MasteryEngine engine(catalog);
  for (const char* cpe : {"B1.1", "B1.2"}) {
    ASSERT_TRUE(engine.AddRating(Rating(cpe[3] == '1' ? 1 : 3, cpe, "advanced", 1)).ok());
    ASSERT_TRUE(engine.AddRating(Rating(cpe[3] == '1' ? 2 : 4, cpe, "emerging", 2)).ok());
  }
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1")->value, 2.0);  // most recent
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.2")->value, 4.0);  // highest
  BadgeExplanation e = engine.Explain(kStudent, catalog.badges[0]);
  EXPECT_NE(e.cpes[1].reason.find("highest"), std::string::npos) << e.cpes[1].reason;
}

TEST(MasteryEngineTest, ReportsMemoryPerEntry) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  for (FactId id = 1; id <= 100; ++id) {
    ASSERT_TRUE(engine.AddRating(Rating(id, "B1.1", "proficient", static_cast<Day>(id))).ok());
  }
  EXPECT_EQ(engine.EntryCount(), 100u);
  EXPECT_GE(engine.MemoryBytes(), 100u * 24u);
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

// Regression: a live rating arriving for a bulk-loaded student before
// RecomputeAll() used to be inserted into an unsorted vector.
TEST(MasteryEngineTest, LiveRatingAfterBulkLoadKeepsOrder) {
  Catalog catalog = testing::TestCatalog();
  MasteryEngine engine(catalog);
  ASSERT_TRUE(engine.AddRating(Rating(1, "B1.1", "advanced", 9), false).ok());
  ASSERT_TRUE(engine.AddRating(Rating(2, "B1.1", "not_yet", 3), false).ok());
  ASSERT_TRUE(engine.AddRating(Rating(3, "B1.1", "emerging", 5)).ok());
  // Day 9 is the latest demonstration: Advanced.
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1")->value, 4.0);
  EXPECT_EQ(StatusOf(engine, catalog, "B1.1")->evidence_count, 3);
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

// Every fact added live, in fact-id order, each void as soon as its target
// exists: the reference the bulk loader must reproduce.
void AddLive(MasteryEngine& engine, const Ledger& ledger) {
  std::vector<VoidFact> voids = ledger.voids;
  std::sort(voids.begin(), voids.end(),
            [](const VoidFact& a, const VoidFact& b) { return a.target < b.target; });
  std::size_t next_void = 0;
  for (const RatingFact& r : ledger.ratings) {
    ASSERT_TRUE(engine.AddRating(r).ok());
    while (next_void < voids.size() && voids[next_void].target <= r.id) {
      ASSERT_TRUE(engine.AddVoid(voids[next_void++]).ok());
    }
  }
}

void Stage(MasteryEngine& engine, const Ledger& ledger) {
  for (const RatingFact& r : ledger.ratings) ASSERT_TRUE(engine.AddRating(r, false).ok());
  for (const VoidFact& v : ledger.voids) ASSERT_TRUE(engine.AddVoid(v, false).ok());
}

// Property: for random ledgers (same-day retakes, same recording times,
// corrections, voids of ratings and of corrections), staging every fact in a
// random order and finishing the bulk load on any thread count gives exactly
// what adding each fact live gives.
TEST(MasteryEngineBulkLoadTest, BulkLoadEqualsLiveForRandomLedgers) {
  for (const char* method : {"most_recent", "mean_of_recent", "decaying_average"}) {
    auto json = TestCatalogJson();
    json["calculation"] = {{"method", method}, {"n", 3}};
    Catalog catalog = ParseOrDie(json);
    for (std::uint32_t seed = 1; seed <= 25; ++seed) {
      Ledger ledger = RandomLedger(seed, 400, 9);
      MasteryEngine live(catalog);
      AddLive(live, ledger);
      std::mt19937 rng(seed * 31);
      std::shuffle(ledger.ratings.begin(), ledger.ratings.end(), rng);
      std::shuffle(ledger.voids.begin(), ledger.voids.end(), rng);
      MasteryEngine bulk(catalog);
      Stage(bulk, ledger);
      EXPECT_TRUE(bulk.BulkLoadPending());
      bulk.FinishBulkLoad(1 + seed % 4);
      EXPECT_FALSE(bulk.BulkLoadPending());
      EXPECT_EQ(bulk.EntryCount(), live.EntryCount());
      for (Id student = 1; student <= 9; ++student) {
        ASSERT_EQ(Snapshot(bulk, student), Snapshot(live, student))
            << method << " seed " << seed << " student " << student;
      }
    }
  }
}

// The parallel loader places entries by thread chunk, then sorts: 1 thread
// and N threads must agree student by student, also when they outnumber
// the students.
TEST(MasteryEngineBulkLoadTest, ThreadCountNeverChangesResults) {
  Catalog catalog = TestCatalog();
  Ledger ledger = RandomLedger(2026, 5000, 300);
  MasteryEngine one(catalog);
  Stage(one, ledger);
  one.FinishBulkLoad(1);
  for (unsigned threads : {2u, 3u, 8u, 0u}) {
    MasteryEngine many(catalog);
    Stage(many, ledger);
    many.FinishBulkLoad(threads);
    ASSERT_EQ(many.StudentCount(), one.StudentCount());
    for (Id student = 1; student <= 300; ++student) {
      ASSERT_EQ(Snapshot(many, student), Snapshot(one, student))
          << threads << " threads, student " << student;
    }
    EXPECT_EQ(many.MemoryBytes(), one.MemoryBytes()) << threads << " threads";
  }
}

// A second bulk load on top of a finished one (and of live facts) merges
// into the same sorted runs, as a server catching up from a backlog would.
TEST(MasteryEngineBulkLoadTest, BulkLoadOnTopOfExistingEvidence) {
  Catalog catalog = TestCatalog();
  Ledger ledger = RandomLedger(77, 600, 12);
  MasteryEngine live(catalog);
  AddLive(live, ledger);

  Ledger first, second;
  for (const RatingFact& r : ledger.ratings) {
    (r.id % 3 == 0 ? second : first).ratings.push_back(r);
  }
  MasteryEngine mixed(catalog);
  for (const RatingFact& r : first.ratings) ASSERT_TRUE(mixed.AddRating(r, false).ok());
  mixed.FinishBulkLoad(2);
  for (const RatingFact& r : second.ratings) ASSERT_TRUE(mixed.AddRating(r, false).ok());
  for (const VoidFact& v : ledger.voids) ASSERT_TRUE(mixed.AddVoid(v, false).ok());
  mixed.FinishBulkLoad(3);
  for (Id student = 1; student <= 12; ++student) {
    ASSERT_EQ(Snapshot(mixed, student), Snapshot(live, student)) << "student " << student;
  }
}

// A live void or earned badge arriving while a bulk load is pending first
// finishes it, so the void finds its target.
TEST(MasteryEngineBulkLoadTest, LiveVoidDuringBulkLoadFindsItsTarget) {
  Catalog catalog = TestCatalog();
  MasteryEngine engine(catalog);
  ASSERT_TRUE(engine.AddRating(Rating(1, "B1.1", "advanced", 9), false).ok());
  ASSERT_TRUE(engine.AddRating(Rating(2, "B1.1", "not_yet", 3), false).ok());
  ASSERT_TRUE(engine.AddVoid(Void(3, 1)).ok());
  EXPECT_FALSE(engine.BulkLoadPending());
  EXPECT_DOUBLE_EQ(StatusOf(engine, catalog, "B1.1")->value, 1.0);
  EXPECT_EQ(StatusOf(engine, catalog, "B1.1")->evidence_count, 1);
}

}  // namespace
}  // namespace cairn
