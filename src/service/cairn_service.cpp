#include "service/cairn_service.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "catalog/catalog_json.h"
#include "roster/demographic_group.h"
#include "service/explanation_json.h"

namespace cairn {
namespace {

// Free text kept forever in the ledger: long enough for any teacher's note,
// short enough that nobody stores a file in it.
constexpr std::size_t kMaxNoteBytes = 4000;
constexpr std::size_t kMaxRefBytes = 500;

Status CheckLength(const char* field, const std::string& text, std::size_t max) {
  if (text.size() <= max) return Status::Ok();
  return Status::InvalidField(field, "at most " + std::to_string(max) + " characters (got " +
                                         std::to_string(text.size()) + ")");
}

constexpr const char* kAutoAwardKey = "auto_award";
constexpr const char* kCalculationKey = "calculation";

bool MayRecord(PersonRole role) {
  return role == PersonRole::kTeacher || role == PersonRole::kSchoolLeader ||
         role == PersonRole::kDistrictLeader || role == PersonRole::kAdmin;
}

// The day a fact happened, read from the input `field`: a date, and not after
// today (UTC+14 is still "today" somewhere when UTC says tomorrow).
Result<Day> DayNotInFuture(const char* field, const std::string& text, Instant now) {
  auto day = ParseDate(text);
  if (!day.ok()) return Status::InvalidField(field, day.status().message());
  if (*day > DayOf(now) + 1) return Status::InvalidField(field, text + " is in the future");
  return *day;
}

}  // namespace

Clock SystemClock() {
  return [] {
    return static_cast<Instant>(std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
  };
}

Result<std::unique_ptr<CairnService>> CairnService::Open(std::unique_ptr<Store> store,
                                                         Clock clock) {
  std::unique_ptr<CairnService> service(new CairnService(std::move(store), std::move(clock)));
  CAIRN_RETURN_IF_ERROR(service->Reload());
  return service;
}

Result<std::optional<Catalog>> EffectiveCatalog(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto version, store.LatestCatalog());
  if (!version) return std::optional<Catalog>{};
  CAIRN_ASSIGN_OR_RETURN(auto calculation, store.GetSetting(kCalculationKey));
  if (!calculation) {
    CAIRN_ASSIGN_OR_RETURN(Catalog catalog, ParseCatalog(version->body, "stored catalog"));
    return std::optional<Catalog>(std::move(catalog));
  }
  // Reuse the catalog reader's validation for the setting's JSON.
  auto doc = nlohmann::json::parse(version->body, nullptr, false);
  if (doc.is_discarded()) return Status::Internal("stored catalog is not JSON");
  doc["calculation"] = nlohmann::json::parse(*calculation, nullptr, false);
  CAIRN_ASSIGN_OR_RETURN(Catalog catalog, ParseCatalog(doc.dump(), "district calculation setting"));
  return std::optional<Catalog>(std::move(catalog));
}

Status CairnService::Refresh() {
  live_complete_ = false;  // others may have written since the last transaction
  CAIRN_ASSIGN_OR_RETURN(ChangeMarks marks, store_->Marks());
  if (marks.catalog == loaded_marks_.catalog && marks.settings == loaded_marks_.settings) {
    return Status::Ok();
  }
  return Reload();
}

Status CairnService::Reload() {
  CAIRN_ASSIGN_OR_RETURN(loaded_marks_, store_->Marks());
  CAIRN_ASSIGN_OR_RETURN(auto auto_award, store_->GetSetting(kAutoAwardKey));
  auto_award_ = auto_award.value_or("") == "true";
  CAIRN_ASSIGN_OR_RETURN(auto catalog, EffectiveCatalog(*store_));
  DropLiveIndex();
  if (catalog) {
    catalog_ = std::make_shared<const Catalog>(std::move(*catalog));
  } else {
    catalog_.reset();
  }
  return Status::Ok();
}

Status CairnService::WarmLiveIndex() {
  if (!keep_live_index_ || live_ || !catalog_) return Status::Ok();
  CAIRN_ASSIGN_OR_RETURN(live_, LedgerIndex::Load(*store_, catalog_));
  return Status::Ok();
}

Result<const MasteryEngine*> CairnService::EngineFor(Id student,
                                                     std::unique_ptr<MasteryEngine>& scratch) {
  if (!keep_live_index_) {
    CAIRN_ASSIGN_OR_RETURN(scratch, BuildEngine(student));
    return static_cast<const MasteryEngine*>(scratch.get());
  }
  if (!live_) {
    CAIRN_ASSIGN_OR_RETURN(live_, LedgerIndex::Load(*store_, catalog_));
  } else {
    CAIRN_RETURN_IF_ERROR(live_->CatchUp(*store_));
  }
  live_complete_ = store_->InTransaction();
  return &live_->engine();
}

Result<std::int64_t> CairnService::LoadCatalog(const std::string& json_text,
                                               const std::string& source) {
  CAIRN_ASSIGN_OR_RETURN(Catalog catalog, ParseCatalog(json_text, source));
  (void)catalog;
  CatalogVersion version;
  version.loaded_at = clock_();
  version.source = source;
  version.body = json_text;
  CAIRN_ASSIGN_OR_RETURN(std::int64_t id, store_->AddCatalogVersion(version));
  CAIRN_RETURN_IF_ERROR(Reload());
  return id;
}

Status CairnService::SetAutoAward(bool enabled) {
  CAIRN_RETURN_IF_ERROR(store_->PutSetting(kAutoAwardKey, enabled ? "true" : "false"));
  return Reload();
}

Status CairnService::SetDefaultCalculation(const CalculationSpec& spec) {
  CAIRN_RETURN_IF_ERROR(store_->PutSetting(kCalculationKey, CalculationToJson(spec).dump()));
  return Reload();
}

namespace {

Status CheckStudentAndRecorder(const Person& student, const Person& recorder) {
  if (student.role != PersonRole::kStudent) {
    return Status::InvalidField("student", "'" + student.sourced_id + "' is not a student");
  }
  if (!MayRecord(recorder.role)) {
    return Status::InvalidField("recorded_by", "a " + std::string(PersonRoleName(recorder.role)) +
                                                   " cannot record evidence");
  }
  return Status::Ok();
}

}  // namespace

Result<std::pair<Person, Person>> CairnService::StudentAndRecorder(const std::string& student_ref,
                                                                   const std::string& recorded_by) {
  CAIRN_ASSIGN_OR_RETURN(auto student, store_->FindPerson(student_ref));
  if (!student)
    return Status::AtField(StatusCode::kNotFound, "student", "no person '" + student_ref + "'");
  if (student->role != PersonRole::kStudent) {
    return Status::InvalidField("student", "'" + student_ref + "' is not a student");
  }
  CAIRN_ASSIGN_OR_RETURN(auto recorder, store_->FindPerson(recorded_by));
  if (!recorder)
    return Status::AtField(StatusCode::kNotFound, "recorded_by", "no person '" + recorded_by + "'");
  CAIRN_RETURN_IF_ERROR(CheckStudentAndRecorder(*student, *recorder));
  return std::make_pair(*student, *recorder);
}

Status CairnService::NeedCatalog() const {
  if (!catalog_) return Status::Precondition("no catalog loaded; run `cairn catalog load FILE`");
  return Status::Ok();
}

Result<Person> CairnService::FindStudent(const std::string& student_ref) {
  CAIRN_RETURN_IF_ERROR(NeedCatalog());
  CAIRN_ASSIGN_OR_RETURN(auto student, store_->FindPerson(student_ref));
  if (!student || student->role != PersonRole::kStudent) {
    return Status::AtField(StatusCode::kNotFound, "student", "no student '" + student_ref + "'");
  }
  return std::move(*student);
}

Result<std::pair<Person, const Badge*>> CairnService::FindStudentAndBadge(
    const std::string& student_ref, const std::string& badge_code) {
  CAIRN_ASSIGN_OR_RETURN(Person student, FindStudent(student_ref));
  const Badge* badge = catalog_->FindBadge(badge_code);
  if (!badge)
    return Status::AtField(StatusCode::kNotFound, "badge", "no badge '" + badge_code + "'");
  return std::make_pair(std::move(student), badge);
}

Result<std::unique_ptr<MasteryEngine>> CairnService::BuildEngine(std::optional<Id> student,
                                                                 std::size_t* skipped) {
  CAIRN_RETURN_IF_ERROR(NeedCatalog());
  return BuildEngineFromStore(*store_, *catalog_, student, std::nullopt, skipped);
}

Result<std::unique_ptr<MasteryEngine>> BuildEngineFromStore(Store& store, const Catalog& catalog,
                                                            std::optional<Id> student,
                                                            std::optional<Instant> recorded_by,
                                                            std::size_t* skipped) {
  auto counts = [&](Instant recorded_at) { return !recorded_by || recorded_at <= *recorded_by; };
  auto engine = std::make_unique<MasteryEngine>(catalog);
  std::size_t unknown = 0;
  CAIRN_RETURN_IF_ERROR(store.ForEachRating(student, [&](const RatingFact& fact) {
    if (counts(fact.recorded_at) && !engine->AddRating(fact, /*recompute=*/false).ok()) ++unknown;
  }));
  CAIRN_ASSIGN_OR_RETURN(auto voids, store.Voids(student));
  for (const VoidFact& v : voids) {
    if (counts(v.recorded_at)) (void)engine->AddVoid(v, /*recompute=*/false);
  }
  CAIRN_ASSIGN_OR_RETURN(auto awards, store.Awards(student));
  std::map<Id, std::vector<AwardFact>> by_student;
  for (AwardFact& fact : awards) {
    if (counts(fact.recorded_at)) by_student[fact.student_id].push_back(std::move(fact));
  }
  for (const auto& [student_id, facts] : by_student) {
    for (const auto& [code, record] : FoldAwards(facts)) {
      auto badge = catalog.BadgeIndex(code);
      if (badge && record.state == AwardState::kConfirmed) {
        engine->SetEarned(student_id, *badge, true, /*recompute=*/false);
      }
    }
  }
  engine->RecomputeAll();
  if (skipped) *skipped = unknown;
  return engine;
}

Result<std::optional<AwardAction>> CairnService::ApplyAutomaticAward(
    Id student, const Badge& badge, const BadgeExplanation& explanation) {
  // The live index was caught up by EngineFor just before; without one, the
  // store.
  std::vector<AwardFact> loaded;
  const std::vector<AwardFact>* facts = &loaded;
  if (keep_live_index_ && live_) {
    facts = &live_->AwardsOf(student);
  } else {
    CAIRN_ASSIGN_OR_RETURN(loaded, store_->Awards(student));
  }
  auto records = FoldAwards(*facts);
  auto it = records.find(badge.code);
  const AwardState state = it == records.end() ? AwardState::kNone : it->second.state;
  auto action = AutomaticAwardAction(state, explanation.met, auto_award_);
  if (!action) return std::optional<AwardAction>{};
  AwardFact fact;
  fact.student_id = student;
  fact.badge_code = badge.code;
  fact.recorded_at = clock_();
  fact.explanation_json = ToJson(explanation).dump();
  // Under auto-award, a fresh award is proposed and confirmed in one step so
  // the history still shows both.
  if (state == AwardState::kNone && *action == AwardAction::kConfirmed) {
    fact.action = AwardAction::kProposed;
    CAIRN_RETURN_IF_ERROR(store_->AppendAward(fact).status());
  }
  fact.action = *action;
  live_complete_ = false;
  CAIRN_RETURN_IF_ERROR(store_->AppendAward(fact).status());
  return action;
}

Status CairnService::CheckAssessmentItem(Id item_id, const Badge& badge, const Cpe& cpe) {
  CAIRN_ASSIGN_OR_RETURN(auto item, store_->FindAssessmentItem(item_id));
  if (!item || item->retired_at) {
    return Status::AtField(StatusCode::kNotFound, "assessment_item",
                           "no current assessment item " + std::to_string(item_id));
  }
  if (item->badge_code != badge.code || item->cpe_id != cpe.id) {
    return Status::InvalidField("assessment_item", "item '" + item->item_key + "' evidences " +
                                                       item->cpe_id + " of " + item->badge_code +
                                                       ", not " + cpe.id + " of " + badge.code);
  }
  return Status::Ok();
}

Result<RecordOutcome> CairnService::RecordRating(const RatingInput& input) {
  CAIRN_RETURN_IF_ERROR(NeedCatalog());
  CAIRN_ASSIGN_OR_RETURN(auto people, StudentAndRecorder(input.student, input.recorded_by));
  return RecordRating(input, people.first, people.second);
}

Result<RecordOutcome> CairnService::RecordRating(const RatingInput& input, const Person& student_in,
                                                 const Person& recorder_in) {
  CAIRN_RETURN_IF_ERROR(NeedCatalog());
  CAIRN_RETURN_IF_ERROR(CheckStudentAndRecorder(student_in, recorder_in));
  const Person* student = &student_in;
  const Person* recorder = &recorder_in;
  auto ref = catalog_->FindCpe(input.cpe_id);
  if (!ref)
    return Status::AtField(StatusCode::kNotFound, "cpe",
                           "no CPE '" + input.cpe_id + "' in the catalog");
  const Badge& badge = catalog_->badges[ref->badge];
  const Cpe& cpe = catalog_->CpeAt(*ref);
  const Scale& scale = catalog_->ScaleOf(badge);
  if (scale.LevelIndex(input.level_id) < 0) {
    std::string levels;
    for (const ScaleLevel& l : scale.levels) levels += (levels.empty() ? "" : ", ") + l.id;
    return Status::InvalidField("level", "'" + input.level_id + "' is not a level of scale '" +
                                             scale.id + "' (" + levels + ")");
  }
  if (!input.indicator_id.empty() &&
      std::none_of(cpe.indicators.begin(), cpe.indicators.end(),
                   [&](const Indicator& i) { return i.id == input.indicator_id; })) {
    return Status::InvalidField("indicator",
                                "'" + input.indicator_id + "' is not an indicator of " + cpe.id);
  }
  auto kind = ParseEvidenceKind(input.kind);
  if (!kind) return Status::InvalidField("kind", "unknown evidence kind '" + input.kind + "'");
  CAIRN_RETURN_IF_ERROR(CheckLength("note", input.note, kMaxNoteBytes));
  CAIRN_RETURN_IF_ERROR(CheckLength("artifact_ref", input.artifact_ref, kMaxRefBytes));
  const Instant now = clock_();
  CAIRN_ASSIGN_OR_RETURN(const Day day,
                         DayNotInFuture("demonstrated_on", input.demonstrated_on, now));
  if (input.corrects) {
    CAIRN_ASSIGN_OR_RETURN(auto target, store_->FindRating(*input.corrects));
    if (!target) {
      return Status::AtField(StatusCode::kNotFound, "corrects",
                             "no rating " + std::to_string(*input.corrects));
    }
    if (target->student_id != student->id) {
      return Status::InvalidField("corrects", "rating " + std::to_string(*input.corrects) +
                                                  " belongs to another student; void it instead");
    }
  }
  if (input.assessment_item) {
    CAIRN_RETURN_IF_ERROR(CheckAssessmentItem(*input.assessment_item, badge, cpe));
  }

  RatingFact fact;
  fact.student_id = student->id;
  fact.cpe_id = input.cpe_id;
  fact.indicator_id = input.indicator_id;
  fact.level_id = input.level_id;
  fact.demonstrated_on = day;
  fact.recorded_at = now;
  fact.recorded_by = recorder->id;
  fact.kind = *kind;
  fact.note = input.note;
  fact.artifact_ref = input.artifact_ref;
  fact.corrects = input.corrects;
  fact.assessment_item = input.assessment_item;

  RecordOutcome outcome;
  Status status = store_->Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(outcome.fact_id, store_->AppendRating(fact));
    std::unique_ptr<MasteryEngine> scratch;
    const MasteryEngine* engine = nullptr;
    fact.id = outcome.fact_id;
    if (live_complete_ && live_ && live_->AddNextRating(fact)) {
      engine = &live_->engine();  // nothing else can have been written meanwhile
    } else {
      CAIRN_ASSIGN_OR_RETURN(engine, EngineFor(student->id, scratch));
    }
    for (const CpeStatus& s : engine->CpeStatuses(student->id)) {
      if (s.dense_cpe == ref->dense) outcome.cpe = s;
    }
    outcome.badge = engine->Explain(student->id, badge);
    CAIRN_ASSIGN_OR_RETURN(outcome.award_action,
                           ApplyAutomaticAward(student->id, badge, outcome.badge));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return outcome;
}

Result<FactId> CairnService::RecordHabit(const HabitInput& input) {
  CAIRN_RETURN_IF_ERROR(NeedCatalog());
  CAIRN_ASSIGN_OR_RETURN(auto people, StudentAndRecorder(input.student, input.recorded_by));
  const Habit* habit = catalog_->FindHabit(input.habit_id);
  if (!habit)
    return Status::AtField(StatusCode::kNotFound, "habit",
                           "no habit of work '" + input.habit_id + "'");
  const Scale* scale = catalog_->FindScale(catalog_->habit_scale_id);
  if (!scale || scale->LevelIndex(input.level_id) < 0) {
    return Status::InvalidField("level",
                                "'" + input.level_id + "' is not a level of the habit scale");
  }
  CAIRN_RETURN_IF_ERROR(CheckLength("note", input.note, kMaxNoteBytes));
  const Instant now = clock_();
  CAIRN_ASSIGN_OR_RETURN(const Day day, DayNotInFuture("observed_on", input.observed_on, now));
  HabitFact fact;
  fact.student_id = people.first.id;
  fact.habit_id = input.habit_id;
  fact.level_id = input.level_id;
  fact.observed_on = day;
  fact.recorded_at = now;
  fact.recorded_by = people.second.id;
  fact.note = input.note;
  live_complete_ = false;
  return store_->AppendHabit(fact);
}

Status CairnService::Void(FactId target, const std::string& reason,
                          const std::string& recorded_by) {
  if (reason.empty()) return Status::InvalidField("reason", "a void needs a reason");
  CAIRN_RETURN_IF_ERROR(CheckLength("reason", reason, kMaxNoteBytes));
  CAIRN_ASSIGN_OR_RETURN(auto recorder, store_->FindPerson(recorded_by));
  if (!recorder)
    return Status::AtField(StatusCode::kNotFound, "recorded_by", "no person '" + recorded_by + "'");
  if (!MayRecord(recorder->role)) {
    return Status::InvalidField(
        "recorded_by", "a " + std::string(PersonRoleName(recorder->role)) + " cannot void ratings");
  }
  CAIRN_ASSIGN_OR_RETURN(auto rating, store_->FindRating(target));
  if (!rating)
    return Status::AtField(StatusCode::kNotFound, "fact", "no rating " + std::to_string(target));
  VoidFact fact;
  fact.target = target;
  fact.student_id = rating->student_id;
  fact.reason = reason;
  fact.recorded_at = clock_();
  fact.recorded_by = recorder->id;
  live_complete_ = false;
  auto id = store_->AppendVoid(fact);
  if (!id.ok() && id.status().code() == StatusCode::kAlreadyExists) {
    return Status::AtField(StatusCode::kAlreadyExists, "fact",
                           "rating " + std::to_string(target) + " is already voided");
  }
  // A void never removes an award by itself: the explanation shows the rule
  // is no longer met and a person decides.
  return id.status();
}

Result<AwardRecord> CairnService::Award(const std::string& student_ref,
                                        const std::string& badge_code, AwardAction action,
                                        const std::string& recorded_by, const std::string& reason) {
  CAIRN_ASSIGN_OR_RETURN(auto subject, FindStudentAndBadge(student_ref, badge_code));
  const Person& student = subject.first;
  const Badge& badge = *subject.second;
  CAIRN_ASSIGN_OR_RETURN(auto recorder, store_->FindPerson(recorded_by));
  if (!recorder || !MayRecord(recorder->role)) {
    return Status::InvalidField("by", "'" + recorded_by + "' is not a teacher, leader or admin");
  }
  AwardRecord result;
  Status status = store_->Transact([&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(auto facts, store_->Awards(student.id));
    auto records = FoldAwards(facts);
    auto it = records.find(badge_code);
    const AwardState state = it == records.end() ? AwardState::kNone : it->second.state;
    CAIRN_RETURN_IF_ERROR(CheckLength("reason", reason, kMaxNoteBytes));
    CAIRN_RETURN_IF_ERROR(CheckAwardAction(state, action, reason));
    std::unique_ptr<MasteryEngine> scratch;
    CAIRN_ASSIGN_OR_RETURN(const MasteryEngine* engine, EngineFor(student.id, scratch));
    BadgeExplanation explanation = engine->Explain(student.id, badge);
    AwardFact fact;
    fact.student_id = student.id;
    fact.badge_code = badge_code;
    fact.action = action;
    fact.recorded_at = clock_();
    fact.recorded_by = recorder->id;
    fact.reason = reason;
    fact.explanation_json = ToJson(explanation).dump();
    live_complete_ = false;
    CAIRN_ASSIGN_OR_RETURN(fact.id, store_->AppendAward(fact));
    facts.push_back(fact);
    result = FoldAwards(facts)[badge_code];
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return result;
}

Result<StudentProgress> CairnService::Progress(const std::string& student_ref) {
  CAIRN_ASSIGN_OR_RETURN(Person student, FindStudent(student_ref));
  CAIRN_ASSIGN_OR_RETURN(auto engine, BuildEngine(student.id));
  CAIRN_ASSIGN_OR_RETURN(auto awards, store_->Awards(student.id));
  CAIRN_ASSIGN_OR_RETURN(auto habits, store_->Habits(student.id));
  return BuildStudentProgress(*catalog_, *engine, student, awards, habits);
}

StudentProgress BuildStudentProgress(const Catalog& catalog, const MasteryEngine& engine,
                                     const Person& student, std::span<const AwardFact> facts,
                                     std::span<const HabitFact> habits) {
  auto awards = FoldAwards(facts);
  StudentProgress progress;
  progress.student = student;
  for (BadgeStanding& standing : StudentPathway(catalog, engine, student.id, awards)) {
    const Badge& badge = catalog.badges[standing.badge];
    BadgeProgress item;
    item.explanation = engine.Explain(student.id, badge);
    auto it = awards.find(badge.code);
    if (it != awards.end()) item.award = it->second;
    item.standing = std::move(standing);
    progress.badges.push_back(std::move(item));
  }
  const Scale* habit_scale = catalog.FindScale(catalog.habit_scale_id);
  for (const Habit& habit : catalog.habits) {
    HabitSummary summary;
    const HabitFact* latest = nullptr;
    for (const HabitFact& fact : habits) {
      if (fact.habit_id != habit.id) continue;
      ++summary.observations;
      if (!latest || std::tie(fact.observed_on, fact.recorded_at, fact.id) >
                         std::tie(latest->observed_on, latest->recorded_at, latest->id)) {
        latest = &fact;
      }
    }
    if (!latest) continue;
    summary.habit_id = habit.id;
    summary.label = habit.label;
    summary.level_id = latest->level_id;
    const int level = habit_scale ? habit_scale->LevelIndex(latest->level_id) : -1;
    summary.level_label =
        level >= 0 ? habit_scale->levels[static_cast<std::size_t>(level)].label : latest->level_id;
    summary.observed_on = latest->observed_on;
    progress.habits.push_back(std::move(summary));
  }
  return progress;
}

Result<BadgeExplanation> CairnService::Explain(const std::string& student_ref,
                                               const std::string& badge_code) {
  CAIRN_ASSIGN_OR_RETURN(auto subject, FindStudentAndBadge(student_ref, badge_code));
  CAIRN_ASSIGN_OR_RETURN(auto engine, BuildEngine(subject.first.id));
  return engine->Explain(subject.first.id, *subject.second);
}

Result<std::vector<TrackingRow>> CairnService::TrackingSheet() {
  CAIRN_RETURN_IF_ERROR(NeedCatalog());
  CAIRN_ASSIGN_OR_RETURN(Roster roster, store_->LoadRoster());
  CAIRN_ASSIGN_OR_RETURN(auto engine, BuildEngine(std::nullopt));
  CAIRN_ASSIGN_OR_RETURN(auto all_awards, store_->Awards(std::nullopt));
  std::map<Id, std::vector<AwardFact>> awards;
  for (AwardFact& fact : all_awards) awards[fact.student_id].push_back(std::move(fact));
  return BuildTrackingSheet(*catalog_, roster, *engine, awards, nullptr);
}

std::vector<TrackingRow> BuildTrackingSheet(const Catalog& catalog, const Roster& roster,
                                            const MasteryEngine& engine,
                                            const std::map<Id, std::vector<AwardFact>>& awards,
                                            const std::function<bool(const Person&)>& include,
                                            const std::vector<ChosenBadge>& chosen) {
  static const std::vector<AwardFact> kNone;
  std::vector<TrackingRow> rows;
  std::set<std::pair<Id, std::string>> listed;  // (student, badge) with a row
  auto add_row = [&](TrackingRow row, const Person& student, const Badge& badge,
                     const std::map<std::string, AwardRecord>& records) {
    row.student_name = student.DisplayName();
    row.student_id = student.sourced_id;
    row.badge = badge.code;
    row.demographics = DemographicGroupsOf(student.demographics);
    Day last_evidence = 0;
    for (const CpeStatus& status : engine.CpeStatusesOfBadge(student.id, badge)) {
      if (status.has_value) last_evidence = std::max(last_evidence, status.last_demonstrated);
    }
    if (last_evidence > 0) row.last_evidence_on = FormatDate(last_evidence);
    auto it = records.find(badge.code);
    const AwardState state = it == records.end() ? AwardState::kNone : it->second.state;
    row.award_state = AwardStateName(state);
    row.completed = state == AwardState::kConfirmed;
    if (row.completed) {
      row.completed_on = FormatDate(DayOf(it->second.confirmed_at));
    } else {
      if (state == AwardState::kRevoked) {
        row.remaining.push_back("Award revoked: " + it->second.reason);
      }
      for (std::string& item : engine.Explain(student.id, badge).remaining) {
        row.remaining.push_back(std::move(item));
      }
      if (row.remaining.empty()) {
        row.remaining.push_back(state == AwardState::kProposed
                                    ? "Teacher confirmation of the proposed award"
                                    : "Award to be proposed");
      }
    }
    listed.emplace(student.id, badge.code);
    rows.push_back(std::move(row));
  };
  auto records_of = [&](Id student) {
    auto found = awards.find(student);
    return FoldAwards(found == awards.end() ? kNone : found->second);
  };
  for (const Section& section : roster.sections) {
    const School* school = roster.FindSchool(section.school_id);
    const Course* course = roster.FindCourse(section.course_id);
    std::string teachers;
    for (const Person* teacher : roster.TeachersOf(section.id)) {
      teachers += (teachers.empty() ? "" : "; ") + teacher->DisplayName();
    }
    for (const Person* student : roster.StudentsIn(section.id)) {
      if (include && !include(*student)) continue;
      auto records = records_of(student->id);
      for (const std::string& code : section.badges) {
        const Badge* badge = catalog.FindBadge(code);
        if (!badge) continue;
        TrackingRow row;
        row.teacher_name = teachers;
        row.school = school ? school->name : "";
        row.course = course ? course->title : "";
        row.section = section.title;
        row.section_sourced_id = section.sourced_id;
        add_row(std::move(row), *student, *badge, records);
      }
    }
  }
  // Badges students chose outside their sections, once each.
  for (const ChosenBadge& choice : chosen) {
    const Person* student = roster.FindPerson(choice.student_id);
    const Badge* badge = catalog.FindBadge(choice.badge);
    if (!student || !badge || listed.count({student->id, badge->code})) continue;
    if (include && !include(*student)) continue;
    TrackingRow row;
    const Person* teacher = roster.FindPerson(choice.accepted_by);
    row.teacher_name = teacher ? teacher->DisplayName() : "";
    const School* school = student->school_id ? roster.FindSchool(*student->school_id) : nullptr;
    row.school = school ? school->name : "";
    row.section = choice.label;
    add_row(std::move(row), *student, *badge, records_of(student->id));
  }
  return rows;
}

}  // namespace cairn
