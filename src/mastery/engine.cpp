#include "mastery/engine.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <tuple>

#include "mastery/method.h"

namespace cairn {
namespace {

constexpr Instant kRecordedEpoch = 946684800;  // 2000-01-01T00:00:00Z

std::uint32_t CompactInstant(Instant instant) {
  Instant since = instant - kRecordedEpoch;
  if (since < 0) return 0;
  if (since > static_cast<Instant>(UINT32_MAX)) return UINT32_MAX;
  return static_cast<std::uint32_t>(since);
}

// Runs body(t) for every t in [0, threads): threads - 1 new threads and this one.
template <typename Body>
void OnThreads(unsigned threads, const Body& body) {
  if (threads <= 1) {
    body(0u);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back([&body, t] { body(t); });
  body(0u);
  for (std::thread& thread : pool) thread.join();
}

// Thread t's contiguous share of [0, n): fixed by (n, t, threads) alone.
std::pair<std::size_t, std::size_t> ChunkOf(std::size_t n, unsigned t, unsigned threads) {
  return {n * t / threads, n * (t + 1) / threads};
}

// An explicit count is honoured; 0 means the machine's cores, but one thread
// for a small ledger, where starting threads costs more than they save.
unsigned ThreadsFor(unsigned requested, std::size_t entries) {
  if (requested > 0) return requested;
  constexpr std::size_t kEntriesPerThread = 1 << 16;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(
      std::clamp<std::size_t>(entries / kEntriesPerThread, 1, static_cast<std::size_t>(cores)));
}

}  // namespace

MasteryEngine::MasteryEngine(const Catalog& catalog) : catalog_(catalog) {
  scale_scores_.reserve(catalog.scales.size());
  for (const Scale& scale : catalog.scales) {
    std::vector<double> scores;
    for (const ScaleLevel& level : scale.levels) scores.push_back(level.score);
    scale_scores_.push_back(std::move(scores));
  }
  cpe_info_.reserve(catalog.CpeCount());
  for (std::uint32_t dense = 0; dense < catalog.CpeCount(); ++dense) {
    const CpeRef& ref = catalog.DenseCpe(dense);
    const Badge& badge = catalog.badges[ref.badge];
    const Scale& scale = catalog.ScaleOf(badge);
    const auto scale_index = static_cast<std::size_t>(&scale - catalog.scales.data());
    cpe_info_.push_back(CpeInfo{&catalog.CalculationFor(badge, badge.cpes[ref.cpe]),
                                scale_scores_[scale_index].data(),
                                static_cast<std::uint8_t>(scale.levels.size()), ref.badge,
                                scale.MinScore(), scale.MaxScore(), scale.MasteryThreshold()});
  }
  prerequisites_.resize(catalog.badges.size());
  for (std::size_t b = 0; b < catalog.badges.size(); ++b) {
    for (const std::string& code : catalog.badges[b].prerequisites) {
      if (auto index = catalog.BadgeIndex(code)) prerequisites_[b].push_back(*index);
    }
  }
}

MasteryEngine::Student* MasteryEngine::FindStudent(Id id) {
  auto it = student_index_.find(id);
  return it == student_index_.end() ? nullptr : &students_[it->second];
}

const MasteryEngine::Student* MasteryEngine::FindStudent(Id id) const {
  auto it = student_index_.find(id);
  return it == student_index_.end() ? nullptr : &students_[it->second];
}

std::uint32_t MasteryEngine::StudentSlot(Id id) {
  auto [it, inserted] = student_index_.emplace(id, static_cast<std::uint32_t>(students_.size()));
  if (inserted) students_.emplace_back();
  return it->second;
}

const MasteryEngine::Entry* MasteryEngine::FindEntry(const Student& student, FactId fact) {
  for (const Entry& entry : student.entries) {
    if (entry.fact == fact) return &entry;
  }
  return nullptr;
}

Status MasteryEngine::AddRating(const RatingFact& fact, bool recompute) {
  auto ref = catalog_.FindCpe(fact.cpe_id);
  if (!ref) return Status::NotFound("unknown CPE '" + fact.cpe_id + "'");
  const Scale& scale = catalog_.ScaleOf(catalog_.badges[ref->badge]);
  const int level = scale.LevelIndex(fact.level_id);
  if (level < 0) {
    return Status::Invalid("level '" + fact.level_id + "' is not on scale '" + scale.id + "'");
  }
  const std::uint32_t slot = StudentSlot(fact.student_id);
  if (!recompute) {
    staged_.push_back(
        Staged{fact.id, fact.demonstrated_on, CompactInstant(fact.recorded_at),
               static_cast<std::uint16_t>(ref->dense), static_cast<std::uint8_t>(level),
               static_cast<std::uint8_t>(static_cast<std::uint8_t>(fact.kind) & 0xF), slot});
    students_[slot].staged = true;
    if (fact.corrects) students_[slot].corrections.push_back({fact.id, *fact.corrects});
    ++entry_count_;
    return Status::Ok();
  }
  if (BulkLoadPending()) FinishBulkLoad();
  Student& student = students_[slot];
  if (FindEntry(student, fact.id)) {
    return Status::Exists("fact " + std::to_string(fact.id) + " is already in the index");
  }
  Entry entry{};
  entry.fact = fact.id;
  entry.day = fact.demonstrated_on;
  entry.recorded = CompactInstant(fact.recorded_at);
  entry.cpe = static_cast<std::uint16_t>(ref->dense);
  entry.level = static_cast<std::uint8_t>(level);
  entry.kind = static_cast<std::uint8_t>(fact.kind) & 0xF;
  ++entry_count_;
  if (fact.corrects) student.corrections.push_back({fact.id, *fact.corrects});
  student.entries.insert(
      std::upper_bound(student.entries.begin(), student.entries.end(), entry, EntryLess), entry);
  if (fact.corrects) {
    // The corrected rating may sit on another CPE: refresh everything.
    RefreshFlags(student);
    RecomputeStudent(student);
  } else {
    RecomputeCpe(student, ref->dense);
  }
  return Status::Ok();
}

Status MasteryEngine::AddVoid(const VoidFact& fact, bool recompute) {
  if (recompute && BulkLoadPending()) FinishBulkLoad();
  Student& student = StudentFor(fact.student_id);
  if (recompute && !FindEntry(student, fact.target)) {
    return Status::NotFound("student has no rating " + std::to_string(fact.target));
  }
  student.voids.insert(std::upper_bound(student.voids.begin(), student.voids.end(), fact.target),
                       fact.target);
  if (!recompute) {
    staged_voids_ = true;
    return Status::Ok();
  }
  RefreshFlags(student);
  RecomputeStudent(student);
  return Status::Ok();
}

void MasteryEngine::SetEarned(Id student_id, std::uint32_t badge, bool earned, bool recompute) {
  Student& student = StudentFor(student_id);
  auto it = std::lower_bound(student.earned.begin(), student.earned.end(), badge);
  const bool present = it != student.earned.end() && *it == badge;
  if (earned == present) return;
  if (earned) {
    student.earned.insert(it, badge);
  } else {
    student.earned.erase(it);
  }
  // Badges that list this one as a prerequisite may change.
  if (recompute) {
    if (BulkLoadPending()) {
      FinishBulkLoad();  // recomputes this student too
    } else {
      RecomputeStudent(student);
    }
  }
}

void MasteryEngine::RefreshFlags(Student& student) {
  auto is_voided = [&](FactId id) {
    return std::binary_search(student.voids.begin(), student.voids.end(), id);
  };
  for (Entry& entry : student.entries) {
    entry.voided = is_voided(entry.fact) ? 1 : 0;
    entry.superseded = 0;
  }
  for (const Correction& c : student.corrections) {
    if (is_voided(c.correction)) continue;
    for (Entry& entry : student.entries) {
      if (entry.fact == c.target) entry.superseded = 1;
    }
  }
}

void MasteryEngine::ScatterStaged(unsigned threads) {
  const std::size_t staged = staged_.size();
  const std::size_t students = students_.size();
  // cursor[t][s]: first counts of student s in thread t's chunk, then where
  // thread t writes student s's next entry.
  std::vector<std::vector<std::uint32_t>> cursor(threads);
  OnThreads(threads, [&](unsigned t) {
    std::vector<std::uint32_t>& count = cursor[t];
    count.assign(students, 0);
    const auto [begin, end] = ChunkOf(staged, t, threads);
    for (std::size_t i = begin; i < end; ++i) ++count[staged_[i].student];
  });
  OnThreads(threads, [&](unsigned t) {
    const auto [begin, end] = ChunkOf(students, t, threads);
    for (std::size_t s = begin; s < end; ++s) {
      std::size_t added = 0;
      for (unsigned u = 0; u < threads; ++u) added += cursor[u][s];
      if (added == 0) continue;
      std::vector<Entry>& entries = students_[s].entries;
      auto at = static_cast<std::uint32_t>(entries.size());
      // Exactly sized: no growth slack to give back later.
      entries.reserve(entries.size() + added);
      entries.resize(entries.size() + added);
      for (unsigned u = 0; u < threads; ++u) {
        const std::uint32_t count = cursor[u][s];
        cursor[u][s] = at;
        at += count;
      }
    }
  });
  OnThreads(threads, [&](unsigned t) {
    std::vector<std::uint32_t>& next = cursor[t];
    const auto [begin, end] = ChunkOf(staged, t, threads);
    for (std::size_t i = begin; i < end; ++i) {
      const Staged& from = staged_[i];
      Entry& entry = students_[from.student].entries[next[from.student]++];
      entry = Entry{};
      entry.fact = from.fact;
      entry.day = from.day;
      entry.recorded = from.recorded;
      entry.cpe = from.cpe;
      entry.level = from.level;
      entry.kind = from.kind & 0xF;
    }
  });
  std::vector<Staged>().swap(staged_);  // give the buffer back
}

void MasteryEngine::SortEntries(std::vector<Entry>& entries, RebuildScratch& scratch) const {
  std::vector<std::uint32_t>& cursor = scratch.cursor;
  std::vector<std::uint16_t>& cpes = scratch.cpes;
  if (cursor.size() < cpe_info_.size()) cursor.assign(cpe_info_.size(), 0);
  cpes.clear();
  for (const Entry& entry : entries) {
    if (cursor[entry.cpe]++ == 0) cpes.push_back(entry.cpe);
  }
  std::sort(cpes.begin(), cpes.end());
  std::uint32_t at = 0;
  for (std::uint16_t cpe : cpes) {
    const std::uint32_t count = cursor[cpe];
    cursor[cpe] = at;
    at += count;
  }
  std::vector<Entry>& sorted = scratch.entries;
  sorted.resize(entries.size());
  for (const Entry& entry : entries) sorted[cursor[entry.cpe]++] = entry;
  // Each run is one CPE's evidence, usually a handful: insertion sort, or
  // std::sort for a long one.
  auto less = [](const Entry& a, const Entry& b) { return EntryLess(a, b); };
  std::size_t begin = 0;
  for (std::uint16_t cpe : cpes) {
    const std::size_t end = cursor[cpe];
    cursor[cpe] = 0;
    if (end - begin > 24) {
      std::sort(sorted.begin() + static_cast<std::ptrdiff_t>(begin),
                sorted.begin() + static_cast<std::ptrdiff_t>(end), less);
    } else {
      for (std::size_t i = begin + 1; i < end; ++i) {
        const Entry entry = sorted[i];
        std::size_t j = i;
        for (; j > begin && less(entry, sorted[j - 1]); --j) sorted[j] = sorted[j - 1];
        sorted[j] = entry;
      }
    }
    begin = end;
  }
  std::copy(sorted.begin(), sorted.end(), entries.begin());
}

void MasteryEngine::RebuildStudent(Student& student, RebuildScratch& scratch) const {
  if (student.staged) {
    SortEntries(student.entries, scratch);
    student.staged = false;
  }
  if (!student.voids.empty() || !student.corrections.empty()) RefreshFlags(student);
  RecomputeStudent(student, scratch.scores);
}

void MasteryEngine::FinishBulkLoad(unsigned threads) {
  threads = ThreadsFor(threads, entry_count_);
  if (!staged_.empty()) ScatterStaged(threads);
  staged_voids_ = false;
  // Students in small blocks handed out in turn: a busy core takes fewer.
  // Each student is rebuilt alone, so the assignment cannot change a result.
  constexpr std::size_t kBlock = 64;
  std::atomic<std::size_t> next{0};
  OnThreads(threads, [&](unsigned) {
    RebuildScratch scratch;
    for (;;) {
      const std::size_t begin = next.fetch_add(kBlock, std::memory_order_relaxed);
      if (begin >= students_.size()) break;
      const std::size_t end = std::min(begin + kBlock, students_.size());
      for (std::size_t s = begin; s < end; ++s) RebuildStudent(students_[s], scratch);
    }
  });
}

void MasteryEngine::RecomputeAll(unsigned threads) { FinishBulkLoad(threads); }

CpeStatus MasteryEngine::ComputeCpe(std::span<const Entry> run, std::uint32_t dense,
                                    std::vector<double>& scratch) const {
  const CpeInfo& info = cpe_info_[dense];
  CpeStatus status;
  status.dense_cpe = dense;
  scratch.clear();
  for (const Entry& entry : run) {
    if (entry.voided || entry.superseded) continue;
    const auto kind = static_cast<EvidenceKind>(entry.kind);
    if (kind == EvidenceKind::kFormative && !info.spec->include_formative) continue;
    const double score = info.level_scores[entry.level];
    scratch.push_back(score);
    status.kinds |= KindBit(kind);
    if (score >= info.threshold - kScoreEpsilon) status.mastery_kinds |= KindBit(kind);
    status.last_demonstrated = entry.day;
  }
  status.evidence_count = static_cast<std::uint16_t>(std::min<std::size_t>(scratch.size(), 65535));
  const MethodResult result =
      ApplyMethod(*info.spec, scratch, ScaleBounds{info.min_score, info.max_score, info.threshold});
  status.has_value = result.has_value;
  status.value = result.value;
  status.mastered = result.mastered;
  status.at_mastery = static_cast<std::uint16_t>(result.at_mastery);
  return status;
}

void MasteryEngine::RecomputeStudent(Student& student, std::vector<double>& scratch) const {
  student.statuses.clear();
  student.badges.clear();
  const auto& entries = student.entries;
  for (std::size_t begin = 0; begin < entries.size();) {
    std::size_t end = begin;
    while (end < entries.size() && entries[end].cpe == entries[begin].cpe) ++end;
    CpeStatus status =
        ComputeCpe(std::span(entries).subspan(begin, end - begin), entries[begin].cpe, scratch);
    // A CPE whose evidence is all voided or formative has no status.
    if (status.has_value) student.statuses.push_back(status);
    begin = end;
  }
  for (const CpeStatus& status : student.statuses) {
    const std::uint32_t badge = cpe_info_[status.dense_cpe].badge;
    if (student.badges.empty() || student.badges.back().badge != badge) {
      student.badges.push_back({badge, false, 0});
    }
  }
  for (BadgeStatus& badge_status : student.badges) {
    const Badge& badge = catalog_.badges[badge_status.badge];
    int counting = 0;
    badge_status.rule_met = RuleMet(catalog_, badge, CpeStatusesOfBadge(student, badge),
                                    PrerequisitesMet(student, badge), &counting);
    badge_status.cpes_counting = static_cast<std::uint16_t>(counting);
  }
}

void MasteryEngine::RecomputeCpe(Student& student, std::uint32_t dense) {
  auto& entries = student.entries;
  auto first = std::lower_bound(entries.begin(), entries.end(), dense,
                                [](const Entry& e, std::uint32_t d) { return e.cpe < d; });
  auto last = first;
  while (last != entries.end() && last->cpe == dense) ++last;
  CpeStatus status = ComputeCpe(std::span(first, last), dense, scratch_);
  auto& statuses = student.statuses;
  auto at = std::lower_bound(statuses.begin(), statuses.end(), dense,
                             [](const CpeStatus& s, std::uint32_t d) { return s.dense_cpe < d; });
  const bool present = at != statuses.end() && at->dense_cpe == dense;
  if (status.has_value) {
    if (present) {
      *at = status;
    } else {
      statuses.insert(at, status);
    }
  } else if (present) {
    statuses.erase(at);
  }
  RecomputeBadge(student, cpe_info_[dense].badge);
}

void MasteryEngine::RecomputeBadge(Student& student, std::uint32_t badge_index) {
  const Badge& badge = catalog_.badges[badge_index];
  auto statuses = CpeStatusesOfBadge(student, badge);
  auto& badges = student.badges;
  auto at = std::lower_bound(badges.begin(), badges.end(), badge_index,
                             [](const BadgeStatus& b, std::uint32_t i) { return b.badge < i; });
  const bool present = at != badges.end() && at->badge == badge_index;
  if (statuses.empty()) {
    if (present) badges.erase(at);
    return;
  }
  int counting = 0;
  BadgeStatus status{
      badge_index, RuleMet(catalog_, badge, statuses, PrerequisitesMet(student, badge), &counting),
      static_cast<std::uint16_t>(counting)};
  if (present) {
    *at = status;
  } else {
    badges.insert(at, status);
  }
}

bool MasteryEngine::PrerequisitesMet(const Student& student, const Badge& badge) const {
  const auto index = static_cast<std::size_t>(&badge - catalog_.badges.data());
  for (std::uint32_t pre : prerequisites_[index]) {
    if (!std::binary_search(student.earned.begin(), student.earned.end(), pre)) return false;
  }
  return true;
}

std::span<const CpeStatus> MasteryEngine::CpeStatuses(Id student_id) const {
  const Student* student = FindStudent(student_id);
  if (!student) return {};
  return student->statuses;
}

std::span<const CpeStatus> MasteryEngine::CpeStatusesOfBadge(Id student_id,
                                                             const Badge& badge) const {
  const Student* student = FindStudent(student_id);
  if (!student) return {};
  return CpeStatusesOfBadge(*student, badge);
}

std::span<const CpeStatus> MasteryEngine::CpeStatusesOfBadge(const Student& student,
                                                             const Badge& badge) {
  const std::uint32_t first = badge.first_dense_cpe;
  const auto last = first + static_cast<std::uint32_t>(badge.cpes.size());
  auto less = [](const CpeStatus& s, std::uint32_t d) { return s.dense_cpe < d; };
  auto begin = std::lower_bound(student.statuses.begin(), student.statuses.end(), first, less);
  auto end = std::lower_bound(begin, student.statuses.end(), last, less);
  return std::span<const CpeStatus>(student.statuses.data() + (begin - student.statuses.begin()),
                                    static_cast<std::size_t>(end - begin));
}

std::span<const BadgeStatus> MasteryEngine::BadgeStatuses(Id student_id) const {
  const Student* student = FindStudent(student_id);
  if (!student) return {};
  return student->badges;
}

const BadgeStatus* MasteryEngine::FindBadgeStatus(Id student_id, std::uint32_t badge) const {
  for (const BadgeStatus& status : BadgeStatuses(student_id)) {
    if (status.badge == badge) return &status;
  }
  return nullptr;
}

bool MasteryEngine::Earned(Id student_id, std::uint32_t badge) const {
  const Student* student = FindStudent(student_id);
  return student && std::binary_search(student->earned.begin(), student->earned.end(), badge);
}

std::vector<std::string> MasteryEngine::MissingPrerequisites(Id student_id,
                                                             const Badge& badge) const {
  std::vector<std::string> missing;
  const auto index = static_cast<std::size_t>(&badge - catalog_.badges.data());
  for (std::uint32_t pre : prerequisites_[index]) {
    if (!Earned(student_id, pre)) missing.push_back(catalog_.badges[pre].code);
  }
  return missing;
}

BadgeExplanation MasteryEngine::Explain(Id student_id, const Badge& badge) const {
  return ExplainRule(catalog_, badge, CpeStatusesOfBadge(student_id, badge),
                     MissingPrerequisites(student_id, badge));
}

Day MasteryEngine::MasteredSince(Id student_id, std::uint32_t dense) const {
  const Student* student = FindStudent(student_id);
  if (!student || dense >= cpe_info_.size()) return 0;
  const auto& entries = student->entries;
  auto first = std::lower_bound(entries.begin(), entries.end(), dense,
                                [](const Entry& e, std::uint32_t d) { return e.cpe < d; });
  auto last = first;
  while (last != entries.end() && last->cpe == dense) ++last;
  std::vector<double> scratch;
  Day since = 0;
  // Each prefix ending with a day's last entry is the CPE as it stood that day.
  for (auto end = first; end != last;) {
    const Day day = end->day;
    while (end != last && end->day == day) ++end;
    const CpeStatus status = ComputeCpe(std::span(first, end), dense, scratch);
    if (!status.has_value || !status.mastered) {
      since = 0;
    } else if (since == 0) {
      since = day;
    }
  }
  return since;
}

std::size_t MasteryEngine::MemoryBytes() const {
  std::size_t bytes = students_.capacity() * sizeof(Student) + staged_.capacity() * sizeof(Staged) +
                      student_index_.size() * (sizeof(Id) + sizeof(std::uint32_t) + 16) +
                      student_index_.bucket_count() * sizeof(void*);
  for (const Student& s : students_) {
    bytes += s.entries.capacity() * sizeof(Entry) + s.statuses.capacity() * sizeof(CpeStatus) +
             s.badges.capacity() * sizeof(BadgeStatus) +
             s.corrections.capacity() * sizeof(Correction) + s.voids.capacity() * sizeof(FactId) +
             s.earned.capacity() * sizeof(std::uint32_t);
  }
  return bytes;
}

}  // namespace cairn
