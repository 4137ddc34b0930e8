// The application layer: the operations the CLI (and later the HTTP API)
// offer, each validating its input, writing facts in one transaction and
// answering with the new state. It joins the store, the catalog in force and
// the pure mastery engine; it holds no state between calls except the catalog
// and settings it read at Open.
//
// Not thread-safe (it owns a Store, which is not); one per thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "mastery/awards.h"
#include "mastery/engine.h"
#include "mastery/pathway.h"
#include "reports/tracking_row.h"
#include "service/ledger_index.h"
#include "store/store.h"

namespace cairn {

Clock SystemClock();

struct RatingInput {
  std::string student;  // sourced id
  std::string cpe_id;
  std::string indicator_id;  // optional; must belong to the CPE
  std::string level_id;
  std::string demonstrated_on;  // YYYY-MM-DD; not after today
  std::string recorded_by;      // sourced id of a teacher (or leader/admin)
  std::string kind = "summative";
  std::string note;
  std::string artifact_ref;
  std::optional<FactId> corrects;  // a rating of the same student and CPE
  // A current assessment item (store/alignment_store.h) of the same badge
  // and CPE.
  std::optional<Id> assessment_item;
};

// Habits of work go to their own stream and never into mastery.
struct HabitInput {
  std::string student;
  std::string habit_id;
  std::string level_id;     // a level of the catalog's habit scale
  std::string observed_on;  // YYYY-MM-DD; not after today
  std::string recorded_by;
  std::string note;
};

struct HabitSummary {
  std::string habit_id;
  std::string label;
  std::string level_id;
  std::string level_label;
  Day observed_on = 0;  // the latest observation, which is the one shown
  int observations = 0;
};

struct RecordOutcome {
  FactId fact_id = 0;
  CpeStatus cpe;                            // the CPE's new status (has_value false if none)
  BadgeExplanation badge;                   // the badge's rule evaluation after the rating
  std::optional<AwardAction> award_action;  // what Cairn appended, if anything
};

struct BadgeProgress {
  BadgeStanding standing;
  AwardRecord award;
  BadgeExplanation explanation;
};

struct StudentProgress {
  Person student;
  std::vector<BadgeProgress> badges;  // catalog order
  std::vector<HabitSummary> habits;   // catalog order; only habits observed
};

// The catalog in force: the latest version with the district's calculation
// setting applied. Empty when no catalog was ever loaded.
Result<std::optional<Catalog>> EffectiveCatalog(Store& store);

// A student's standing on every badge plus habits of work, from an engine
// that holds (at least) this student's facts and the student's award and
// habit facts.
StudentProgress BuildStudentProgress(const Catalog& catalog, const MasteryEngine& engine,
                                     const Person& student, std::span<const AwardFact> awards,
                                     std::span<const HabitFact> habits);

// An engine over the store's facts for one student (or everyone), with
// earned badges from confirmed awards. With `recorded_by`, facts recorded
// after that instant (ratings, corrections, voids, award steps) are left
// out, so the engine shows the ledger as it stood then. Ratings on CPEs the
// catalog no longer has are skipped and counted in `skipped`. The engine
// refers to `catalog`, which must outlive it.
Result<std::unique_ptr<MasteryEngine>> BuildEngineFromStore(
    Store& store, const Catalog& catalog, std::optional<Id> student,
    std::optional<Instant> recorded_by = std::nullopt, std::size_t* skipped = nullptr);

// The tracking sheet rows for the given students (null: everyone), one per
// (student, badge of their section), then one per badge a student chose
// outside their sections (`chosen`, unless a section already lists it).
std::vector<TrackingRow> BuildTrackingSheet(const Catalog& catalog, const Roster& roster,
                                            const MasteryEngine& engine,
                                            const std::map<Id, std::vector<AwardFact>>& awards,
                                            const std::function<bool(const Person&)>& include,
                                            const std::vector<ChosenBadge>& chosen = {});

class CairnService {
 public:
  // Reads the catalog in force and the settings. Works without a catalog
  // (only LoadCatalog and roster operations are then possible).
  static Result<std::unique_ptr<CairnService>> Open(std::unique_ptr<Store> store, Clock clock);

  Store& store() { return *store_; }
  // Keep an index of the whole ledger in memory between calls (a long-lived
  // writer), instead of reading a student's history for every operation.
  void KeepLiveIndex() { keep_live_index_ = true; }
  // Builds the live index now (a long-lived writer, at start) instead of at
  // the first write: at state size that is seconds every write would wait.
  Status WarmLiveIndex();
  // The facts the live index has applied; drop it when a rolled-back
  // transaction may have left it ahead of the store.
  ChangeMarks LiveIndexApplied() const { return live_ ? live_->applied() : ChangeMarks{}; }
  void DropLiveIndex() {
    live_.reset();
    live_complete_ = false;
  }
  // Re-reads the catalog and settings if another connection changed them
  // (one cheap query otherwise). Call before work on a long-lived service,
  // and before each transaction of a writer keeping a live index: inside a
  // transaction the live index, once caught up with the store, takes this
  // service's new ratings directly instead of reading them back.
  Status Refresh();
  bool has_catalog() const { return catalog_ != nullptr; }
  const Catalog& catalog() const { return *catalog_; }
  bool auto_award() const { return auto_award_; }

  // Validates and stores a new catalog version; it is in force at once.
  Result<std::int64_t> LoadCatalog(const std::string& json_text, const std::string& source);
  // District settings. `calculation` is a JSON CalculationSpec that replaces
  // the catalog's default; `auto_award` confirms awards without a teacher.
  Status SetAutoAward(bool enabled);
  Status SetDefaultCalculation(const CalculationSpec& spec);

  Result<RecordOutcome> RecordRating(const RatingInput& input);
  // The same with the student and recorder already looked up (the server
  // has them in memory); `input.student` and `input.recorded_by` must be
  // their sourced ids. Their roles are still checked.
  Result<RecordOutcome> RecordRating(const RatingInput& input, const Person& student,
                                     const Person& recorder);
  Result<FactId> RecordHabit(const HabitInput& input);
  Status Void(FactId target, const std::string& reason, const std::string& recorded_by);
  // A person's step on an award: propose, confirm or revoke (with reason).
  Result<AwardRecord> Award(const std::string& student, const std::string& badge_code,
                            AwardAction action, const std::string& recorded_by,
                            const std::string& reason);

  Result<StudentProgress> Progress(const std::string& student);
  Result<BadgeExplanation> Explain(const std::string& student, const std::string& badge_code);
  // Template 2.4: one row per (student, badge worked on in their section).
  Result<std::vector<TrackingRow>> TrackingSheet();

  // An engine holding the whole ledger (or one student's), with earned
  // badges from confirmed awards. Ratings on CPEs the catalog no longer has
  // are skipped and counted in `skipped`.
  Result<std::unique_ptr<MasteryEngine>> BuildEngine(std::optional<Id> student,
                                                     std::size_t* skipped = nullptr);

 private:
  // A rating's assessment item: current, and of this badge and CPE.
  Status CheckAssessmentItem(Id item, const Badge& badge, const Cpe& cpe);
  CairnService(std::unique_ptr<Store> store, Clock clock)
      : store_(std::move(store)), clock_(std::move(clock)) {}
  Status Reload();
  // kPrecondition unless a catalog is in force.
  Status NeedCatalog() const;
  // The prologue of an operation on one student's record: a catalog is in
  // force and `student` (a sourced id) names a student, else kNotFound
  // "student: no student '…'"; with a badge code, the catalog has that badge,
  // else kNotFound "badge: no badge '…'".
  Result<Person> FindStudent(const std::string& student);
  Result<std::pair<Person, const Badge*>> FindStudentAndBadge(const std::string& student,
                                                              const std::string& badge_code);
  // The student and the recorder named by sourced ids, with role checks.
  Result<std::pair<Person, Person>> StudentAndRecorder(const std::string& student,
                                                       const std::string& recorded_by);
  // Appends whatever award step the rule outcome calls for; returns it.
  Result<std::optional<AwardAction>> ApplyAutomaticAward(Id student, const Badge& badge,
                                                         const BadgeExplanation& explanation);

  // The engine for one student's operation: the live index when kept, else
  // one built from the student's facts into `scratch`.
  Result<const MasteryEngine*> EngineFor(Id student, std::unique_ptr<MasteryEngine>& scratch);

  std::unique_ptr<Store> store_;
  Clock clock_;
  std::shared_ptr<const Catalog> catalog_;
  bool keep_live_index_ = false;
  std::unique_ptr<LedgerIndex> live_;
  // live_ holds every fact in the store: it caught up inside the current
  // transaction (which holds the write lock) and this service appended
  // nothing since that it did not apply.
  bool live_complete_ = false;
  bool auto_award_ = false;
  ChangeMarks loaded_marks_;  // catalog and settings marks at the last Reload
};

}  // namespace cairn
