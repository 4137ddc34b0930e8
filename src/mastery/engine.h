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
// Bulk loading (recompute = false) stages compact 24-byte records in one flat
// buffer; FinishBulkLoad() turns them into the sorted runs at once (a
// parallel counting sort by student into exactly sized vectors, then a sort
// of each student's evidence, its flags and statuses, on std::threads). Each
// student is computed alone, so results never depend on the thread count.
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
  // fact id. With `recompute` false the rating is staged for bulk loading
  // (fact ids trusted to be unique) and the caller promises
  // FinishBulkLoad() or RecomputeAll() before reading; a live change made
  // meanwhile finishes the bulk load first.
  Status AddRating(const RatingFact& fact, bool recompute = true);
  // Withdraws a rating; voiding a correction restores the rating it replaced.
  Status AddVoid(const VoidFact& fact, bool recompute = true);
  // Marks a badge earned (a confirmed, unrevoked award) or not; prerequisites
  // read this.
  void SetEarned(Id student, std::uint32_t badge, bool earned, bool recompute = true);

  // Builds every student's sorted evidence runs from the staged facts and
  // computes every status, on `threads` threads (0: the machine's cores;
  // small ledgers use one). The result is the same for any thread count and
  // any staging order, and the same as adding each fact live.
  void FinishBulkLoad(unsigned threads = 0);
  bool BulkLoadPending() const { return !staged_.empty() || staged_voids_; }

  // Recomputes every status of every student (finishing a pending bulk load
  // first), on `threads` threads as FinishBulkLoad.
  void RecomputeAll(unsigned threads = 0);

  // Reads. Spans stay valid until the next mutation.
  std::span<const CpeStatus> CpeStatuses(Id student) const;
  std::span<const CpeStatus> CpeStatusesOfBadge(Id student, const Badge& badge) const;
  std::span<const BadgeStatus> BadgeStatuses(Id student) const;
  const BadgeStatus* FindBadgeStatus(Id student, std::uint32_t badge) const;
  bool Earned(Id student, std::uint32_t badge) const;
  std::vector<std::string> MissingPrerequisites(Id student, const Badge& badge) const;
  BadgeExplanation Explain(Id student, const Badge& badge) const;
  // The demonstration day from which the student's CPE `dense` has been at
  // mastery without a break: its evidence is replayed day by day (voids and
  // corrections as they stand now) and the last day it turned mastered is
  // returned; 0 when it is not mastered now. Pace reports read it as the day
  // the CPE reached mastery. O(evidence on the CPE squared), with no change.
  Day MasteredSince(Id student, std::uint32_t dense) const;

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
  // A bulk-loaded rating before FinishBulkLoad: an entry plus its student's
  // slot in the padding, so staging costs no more than the entry itself.
  struct Staged {
    FactId fact;
    Day day;
    std::uint32_t recorded;
    std::uint16_t cpe;
    std::uint8_t level;
    std::uint8_t kind;
    std::uint32_t student;  // index into students_
  };
  struct Correction {
    FactId correction;
    FactId target;
  };
  struct Student {
    std::vector<Entry> entries;  // sorted by EntryLess unless `staged`
    std::vector<Correction> corrections;
    std::vector<FactId> voids;          // sorted; the entries' flags derive from these
    bool staged = false;                // bulk-loaded facts since the last FinishBulkLoad
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

  // A thread's working space for rebuilding students.
  struct RebuildScratch {
    std::vector<double> scores;
    std::vector<std::uint32_t> cursor;  // by dense CPE; all zero between students
    std::vector<std::uint16_t> cpes;    // the CPEs of the student being sorted
    std::vector<Entry> entries;
  };

  static bool EntryLess(const Entry& a, const Entry& b) {
    if (a.cpe != b.cpe) return a.cpe < b.cpe;
    if (a.day != b.day) return a.day < b.day;
    if (a.recorded != b.recorded) return a.recorded < b.recorded;
    if (a.level != b.level) return a.level < b.level;
    return a.fact < b.fact;
  }
  // Sorts entries by EntryLess: a counting sort by CPE, then each CPE's
  // short run by (day, recorded, level, fact).
  void SortEntries(std::vector<Entry>& entries, RebuildScratch& scratch) const;
  // Moves the staged entries into their students' vectors (counting sort by
  // student, contiguous chunks per thread, so the placement is deterministic).
  void ScatterStaged(unsigned threads);
  // Sorts a student's entries if it got staged ones, refreshes its flags and
  // recomputes it; touches only `student`, so students run in parallel.
  void RebuildStudent(Student& student, RebuildScratch& scratch) const;
  Student* FindStudent(Id id);
  const Student* FindStudent(Id id) const;
  std::uint32_t StudentSlot(Id id);
  Student& StudentFor(Id id) { return students_[StudentSlot(id)]; }
  void RecomputeStudent(Student& student) { RecomputeStudent(student, scratch_); }
  void RecomputeStudent(Student& student, std::vector<double>& scratch) const;
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
  std::vector<Staged> staged_;   // bulk-loaded ratings not yet in students_
  bool staged_voids_ = false;    // bulk-loaded voids not yet applied to flags
  std::vector<double> scratch_;  // for the single-threaded live path
  std::size_t entry_count_ = 0;
};

}  // namespace cairn
