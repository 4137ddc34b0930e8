// The mastery engine: an in-memory index of the evidence ledger that keeps
// every student's CPE statuses and badge rule outcomes current.
//
// Pure: no I/O, no globals, no clock. Facts go in (ratings, corrections,
// voids, earned badges); statuses come out. Results depend only on the set of
// facts, never on the order they were added.
//
// Layout: per student, one vector of 24-byte entries sorted by (CPE,
// demonstration day, recording time, level, fact id), so each CPE's
// evidence is one contiguous chronological run; statuses are a sparse sorted
// vector per student (only CPEs with evidence). A new rating is an insertion
// into one small vector plus a recompute of one CPE and one badge.
//
// Thread safety: const methods may run concurrently; mutation needs external
// synchronization. The Catalog must outlive the engine.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "evidence/facts.h"
#include "mastery/cpe_status.h"
#include "mastery/rule.h"

namespace cairn {

struct BadgeStatus {
  std::uint32_t badge = 0;  // index into Catalog::badges
  bool rule_met = false;
  std::uint16_t cpes_counting = 0;
};

class MasteryEngine {
 public:
  explicit MasteryEngine(const Catalog& catalog);

  // Adds a rating. A rating whose `corrects` names another fact supersedes
  // it. Fails (changing nothing) for an unknown CPE or level, or a duplicate
  // fact id. With `recompute` false the caller promises RecomputeAll() later
  // (bulk loading, where fact ids are trusted to be unique).
  Status AddRating(const RatingFact& fact, bool recompute = true);
  // Withdraws a rating; voiding a correction restores the rating it replaced.
  Status AddVoid(const VoidFact& fact, bool recompute = true);
  // Marks a badge earned (a confirmed, unrevoked award) or not; prerequisites
  // read this.
  void SetEarned(Id student, std::uint32_t badge, bool earned, bool recompute = true);

  // Recomputes every status of every student.
  void RecomputeAll();

  // Reads. Spans stay valid until the next mutation.
  std::span<const CpeStatus> CpeStatuses(Id student) const;
  std::span<const CpeStatus> CpeStatusesOfBadge(Id student, const Badge& badge) const;
  std::span<const BadgeStatus> BadgeStatuses(Id student) const;
  const BadgeStatus* FindBadgeStatus(Id student, std::uint32_t badge) const;
  bool Earned(Id student, std::uint32_t badge) const;
  std::vector<std::string> MissingPrerequisites(Id student, const Badge& badge) const;
  BadgeExplanation Explain(Id student, const Badge& badge) const;

  std::size_t StudentCount() const { return students_.size(); }
  std::size_t EntryCount() const { return entry_count_; }
  // Bytes held by entries, statuses and indexes (capacity, not size).
  std::size_t MemoryBytes() const;

 private:
  struct Entry {
    FactId fact;
    Day day;
    std::uint32_t recorded;  // seconds since 2000-01-01, for same-day order
    std::uint16_t cpe;       // dense CPE index
    std::uint8_t level;      // index into the CPE's scale levels
    std::uint8_t kind : 4;   // EvidenceKind
    std::uint8_t voided : 1;
    std::uint8_t superseded : 1;
  };
  struct Correction {
    FactId correction;
    FactId target;
  };
  struct Student {
    std::vector<Entry> entries;  // sorted by EntryLess unless `unsorted`
    std::vector<Correction> corrections;
    std::vector<FactId> voids;          // sorted; the entries' flags derive from these
    bool unsorted = false;              // bulk-loaded since the last RecomputeAll
    std::vector<CpeStatus> statuses;    // sorted by dense_cpe
    std::vector<BadgeStatus> badges;    // sorted by badge
    std::vector<std::uint32_t> earned;  // sorted badge indices
  };
  struct CpeInfo {
    const CalculationSpec* spec;
    const double* level_scores;  // the scale's level scores, by level index
    std::uint8_t level_count;
    std::uint32_t badge;
    double min_score, max_score, threshold;
  };

  static bool EntryLess(const Entry& a, const Entry& b);
  // Sorts a student's bulk-loaded entries (and recomputes them) before any
  // incremental change, which relies on the order.
  void SortIfBulkLoaded(Student& student);
  Student* FindStudent(Id id);
  const Student* FindStudent(Id id) const;
  Student& StudentFor(Id id);
  void RecomputeStudent(Student& student);
  void RecomputeCpe(Student& student, std::uint32_t dense);
  // Computes the status of one CPE from its run of entries.
  CpeStatus ComputeCpe(std::span<const Entry> run, std::uint32_t dense,
                       std::vector<double>& scratch) const;
  void RecomputeBadge(Student& student, std::uint32_t badge);
  bool PrerequisitesMet(const Student& student, const Badge& badge) const;
  static std::span<const CpeStatus> CpeStatusesOfBadge(const Student& student, const Badge& badge);
  // Derives every entry's voided/superseded flags from voids and corrections.
  static void RefreshFlags(Student& student);
  static const Entry* FindEntry(const Student& student, FactId fact);

  const Catalog& catalog_;
  std::vector<CpeInfo> cpe_info_;
  std::vector<std::vector<double>> scale_scores_;
  std::vector<std::vector<std::uint32_t>> prerequisites_;  // by badge index
  std::unordered_map<Id, std::uint32_t> student_index_;
  std::vector<Student> students_;
  std::vector<double> scratch_;
  std::size_t entry_count_ = 0;
};

}  // namespace cairn
