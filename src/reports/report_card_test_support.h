// Test data for report card tests: the test catalog (testing/test_catalog.h),
// a district with one school, a student, her teacher and guardian, and the
// student's facts: badge B1 met and confirmed with a credential, B2 begun,
// a habit of work, comments (one voided, one replaced by a correction), and
// two portfolio pieces with feedback (one shared with the family, one not).
#pragma once

#include "reports/report_card.h"
#include "testing/test_catalog.h"

namespace cairn::testing {

inline constexpr Id kStudentId = 10;
inline constexpr Id kTeacherId = 20;
inline constexpr const char* kPublicUrl = "https://badges.test";
inline constexpr const char* kCredentialUuid = "6f1c2a9e-0d4b-4c3e-9a8f-2b7d5e1c0a11";

inline Roster ReportCardRoster() {
  Roster roster;
  roster.districts.push_back({1, "district-1", "Riverbend Unified"});
  roster.schools.push_back({2, "school-1", 1, "Riverbend High"});
  Person student;
  student.id = kStudentId;
  student.sourced_id = "stu-1";
  student.given_name = "Ava";
  student.family_name = "Lopez";
  student.district_id = 1;
  student.school_id = 2;
  student.demographics.grade = "9";
  roster.people.push_back(student);
  Person teacher;
  teacher.id = kTeacherId;
  teacher.sourced_id = "tch-1";
  teacher.role = PersonRole::kTeacher;
  teacher.given_name = "Maya";
  teacher.family_name = "Rivera";
  teacher.district_id = 1;
  teacher.school_id = 2;
  roster.people.push_back(teacher);
  roster.Index();
  return roster;
}

inline Instant At(const char* iso) { return *ParseInstant(iso); }
inline Day On(const char* iso) { return *ParseDate(iso); }

inline RatingFact Rating(FactId id, const char* cpe, const char* level, const char* day,
                         const char* note = "", EvidenceKind kind = EvidenceKind::kSummative) {
  RatingFact r;
  r.id = id;
  r.student_id = kStudentId;
  r.cpe_id = cpe;
  r.level_id = level;
  r.demonstrated_on = On(day);
  r.recorded_at = StartOf(r.demonstrated_on) + 15 * 3600;
  r.recorded_by = kTeacherId;
  r.kind = kind;
  r.note = note;
  return r;
}

inline AwardFact Award(FactId id, AwardAction action, const char* when) {
  AwardFact a;
  a.id = id;
  a.student_id = kStudentId;
  a.badge_code = "B1";
  a.action = action;
  a.recorded_at = At(when);
  if (action != AwardAction::kProposed) a.recorded_by = kTeacherId;
  return a;
}

inline SubmissionRecord Piece(Id id, const char* title, bool shared, const char* feedback) {
  SubmissionRecord record;
  record.submission = {id, kStudentId, "B2", title, kStudentId, At("2026-09-22T10:00:00Z")};
  SubmissionVersion v;
  v.id = id * 10;
  v.submission_id = id;
  v.number = 1;
  v.author = kStudentId;
  v.at = At("2026-09-22T10:00:00Z");
  v.text = "work";
  record.versions.push_back(v);
  FactId event = id * 100;
  auto add = [&](PortfolioEventKind kind, Id actor, const char* when, std::string message) {
    PortfolioEvent e;
    e.id = ++event;
    e.submission_id = id;
    e.version_id = v.id;
    e.kind = kind;
    e.actor = actor;
    e.at = At(when);
    e.message = std::move(message);
    record.events.push_back(std::move(e));
  };
  add(PortfolioEventKind::kSubmit, kStudentId, "2026-09-22T10:05:00Z", "");
  if (shared) add(PortfolioEventKind::kShare, kStudentId, "2026-09-22T10:06:00Z", "");
  add(PortfolioEventKind::kFeedback, kTeacherId, "2026-09-23T14:00:00Z", feedback);
  return record;
}

inline ReportCardFacts ReportCardTestFacts() {
  ReportCardFacts facts;
  facts.ratings = {
      Rating(1, "B1.1", "proficient", "2026-09-10", "Clear model of the equation."),
      Rating(2, "B1.2", "advanced", "2026-09-12"),
      Rating(3, "B1.3", "proficient", "2026-09-15", "", EvidenceKind::kPerformanceTask),
      Rating(4, "B2.1", "emerging", "2026-09-25", "Check the units in step 2."),
      Rating(5, "B2.1", "not_yet", "2026-09-24", "Entered for the wrong student."),
      Rating(6, "B1.2", "advanced", "2026-09-12", "First wording of the feedback."),
  };
  RatingFact correction = Rating(7, "B1.2", "advanced", "2026-09-12", "Corrected feedback.");
  correction.corrects = 6;
  correction.recorded_at += 60;
  facts.ratings.push_back(correction);
  VoidFact v;
  v.id = 8;
  v.target = 5;
  v.student_id = kStudentId;
  v.reason = "wrong student";
  v.recorded_at = At("2026-09-24T16:00:00Z");
  v.recorded_by = kTeacherId;
  facts.voids.push_back(v);
  facts.awards = {Award(9, AwardAction::kProposed, "2026-09-15T15:00:00Z"),
                  Award(11, AwardAction::kConfirmed, "2026-09-21T09:00:00Z")};
  HabitFact habit;
  habit.id = 12;
  habit.student_id = kStudentId;
  habit.habit_id = "persistence";
  habit.level_id = "proficient";
  habit.observed_on = On("2026-09-20");
  habit.recorded_at = At("2026-09-20T15:00:00Z");
  habit.recorded_by = kTeacherId;
  habit.note = "Kept going after a hard start.";
  facts.habits.push_back(habit);
  IssuedCredential credential;
  credential.id = 1;
  credential.uuid = kCredentialUuid;
  credential.award_id = 11;
  credential.student_id = kStudentId;
  credential.district_id = 1;
  credential.badge_code = "B1";
  credential.issued_at = At("2026-09-21T09:00:01Z");
  facts.credentials.push_back(credential);
  facts.public_credentials.insert(1);
  facts.submissions = {Piece(1, "Slope poster", true, "Nice graph, label the axes."),
                       Piece(2, "Private draft", false, "SECRET unshared feedback")};
  return facts;
}

inline ReportCardOptions ReportCardTestOptions(const char* as_of = "2026-10-01") {
  ReportCardOptions options;
  options.as_of = On(as_of);
  options.public_url = kPublicUrl;
  return options;
}

}  // namespace cairn::testing
