// A standards-based report card for one student, as data: what the PDF
// (report_card_pdf.h) draws, kept apart from drawing so it can be tested
// and rendered in other forms.
//
// It reads as families need it (guide, "Reporting on Student Progress";
// Grading and Feedback: "academic grades ... reported separately from
// behavior / habits of work"): badges earned, each with the public address
// that verifies its credential; badges in progress, each learning
// expectation (CPE) with its current level in the district's words and what
// remains; habits of work apart; and the teachers' latest comments.
//
// "As of" a day: only facts recorded by the end of that day (UTC) count, so
// the report of a grading period does not change afterwards. The catalog is
// the one in force now, and whether a credential is public is its state now
// (it says whether the printed link works today).
//
// BuildReportCard is pure (no I/O, no clock); LoadReportCard reads one
// student's facts from a store and calls it. Neither is thread-safe with
// respect to the Store it is given (one store per thread).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agency/credit_map.h"
#include "catalog/catalog.h"
#include "common/status.h"
#include "common/time.h"
#include "evidence/facts.h"
#include "evidence/portfolio.h"
#include "roster/roster.h"
#include "store/credential_records.h"
#include "store/store.h"

namespace cairn {

// One learning expectation of a badge, where the student stands on it.
struct ReportCardCpe {
  std::string id;     // "M101.1"
  std::string label;  // the catalog's short name
  std::string code;   // the guide's short code ("101a"), or ""
  std::string statement;
  bool has_evidence = false;
  std::string level_label;  // the district's word for the current level; "" without evidence
  bool at_goal = false;     // counts toward the badge (at mastery, with enough evidence)
  Day last_demonstrated = 0;
  // In plain words: "Meets the goal (Proficient)", "Not yet: Developing. The
  // goal is Proficient.", "No evidence yet."
  std::string standing;
};

// Where a credential is checked by anyone: <public URL>/verify/<uuid>.
struct ReportCardCredential {
  std::string uuid;
  std::string verification_url;
  bool is_public = false;  // the student shares it; otherwise the page says it is not shared
};

struct ReportCardEarnedBadge {
  std::string code;
  std::string title;
  Day earned_on = 0;  // the day the award was confirmed
  std::vector<ReportCardCpe> cpes;
  // Empty when no credential was issued yet (issued when a server runs).
  std::optional<ReportCardCredential> credential;
};

struct ReportCardBadgeInProgress {
  std::string code;
  std::string title;
  std::vector<ReportCardCpe> cpes;
  int goals_met = 0;     // CPEs that count toward the badge
  int goals_needed = 0;  // how many the badge's rule asks for
  // The rule is met and a teacher has yet to confirm the award.
  bool awaiting_confirmation = false;
  // What remains, in plain words, in the order a student would tackle it.
  std::vector<std::string> remaining;
};

struct ReportCardHabit {
  std::string label;
  std::string level_label;
  Day observed_on = 0;  // the latest observation, which is the one shown
  int observations = 0;
  std::string note;  // the latest observation's note
};

struct ReportCardComment {
  Day on = 0;
  std::string teacher;  // display name
  std::string about;    // "M101 · First: solving equations" or a portfolio piece's title
  std::string text;
};

// Where the student stands on one of the district's credit or graduation
// requirements (agency/credit_map.h), from the badges earned as of the day.
struct ReportCardRequirement {
  std::string title;
  std::string kind;  // "credit", "graduation"
  bool met = false;
  std::string standing;  // "Met: 1 credit." / "1 of 3 badges earned; 2 more needed..."
};

struct ReportCard {
  std::string district;
  std::string school;  // "" when the student has none
  std::string student_name;
  std::string student_id;  // sourced id
  std::string grade;       // "" when not reported
  Day as_of = 0;
  std::vector<ReportCardEarnedBadge> earned;           // by date earned, then catalog order
  std::vector<ReportCardBadgeInProgress> in_progress;  // catalog order
  std::vector<ReportCardHabit> habits;                 // catalog order; only observed habits
  std::vector<ReportCardComment> comments;             // newest first
  // Empty when the district maps no badges to credit (no section is drawn).
  std::vector<ReportCardRequirement> requirements;  // the district's order
};

// One student's facts, as the store holds them (any order); BuildReportCard
// keeps those recorded by the "as of" day.
struct ReportCardFacts {
  std::vector<RatingFact> ratings;
  std::vector<VoidFact> voids;
  std::vector<AwardFact> awards;
  std::vector<HabitFact> habits;
  std::vector<IssuedCredential> credentials;
  std::set<Id> public_credentials;  // IssuedCredential::id of those shared publicly
  std::vector<SubmissionRecord> submissions;
};

struct ReportCardOptions {
  Day as_of = 0;           // required: facts recorded after this day are left out
  std::string public_url;  // "https://badges.example.org", no trailing slash
  // The newest comments kept: a report card is read, not searched.
  int max_comments = 12;
  // The district's credit and graduation requirements, met from the badges
  // earned as of the day; null or empty: the card has none.
  const CreditMap* credit_map = nullptr;
};

// The report card of `student` (a student of `roster`). Teacher comments
// come from rating notes (not voided, not replaced by a correction) and from
// feedback on portfolio work the student shares with their family (work not
// shared stays out: a report card goes home). kInvalidArgument when
// `student` is not a student or as_of is unset.
Result<ReportCard> BuildReportCard(const Catalog& catalog, const Roster& roster,
                                   const Person& student, const ReportCardFacts& facts,
                                   const ReportCardOptions& options);

// Reads the student's facts from `store` and builds the report card.
Result<ReportCardFacts> LoadReportCardFacts(Store& store, Id student);
Result<ReportCard> LoadReportCard(Store& store, const Catalog& catalog, const Roster& roster,
                                  const Person& student, const ReportCardOptions& options);

// The address of a credential's public verification page.
std::string VerificationUrl(const std::string& public_url, const std::string& uuid);

}  // namespace cairn
