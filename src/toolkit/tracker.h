// Implementation trackers (issue #15, the guide's Appendix B templates 2.1,
// 2.2, 2.3, 3.1, 3.2 and 4.1): tables a district's implementation team keeps
// together. A tracker's definition is data (data/trackers/*.json, compiled
// in): its columns, the template it comes from, the guide's step, and what
// the template asks the same way every time (the check-in plan's four
// questions, the evaluation goals' guiding questions). Every row also has an
// owner, a due date, a status and notes.
//
// Rows are journal documents (store/journal_store.h): stream
// "tracker:<tracker id>", key = row id, one entry per revision; the newest
// is the row. Dropping a row is a revision with status "dropped", so a
// row's history is never lost. This module is pure: it parses definitions
// and row bodies (errors name the JSON path / field) and folds journal
// entries into rows with their history; the server stores and serves them.
//
// Thread safety: pure functions; the bundled definitions are parsed once
// (function-local static) and read-only afterwards.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"
#include "store/journal_store.h"

namespace cairn {

enum class TrackerColumnKind {
  kText,    // free text
  kChoice,  // one of `choices`
  kList,    // several lines of text (a protocol's look-fors)
  kReport,  // a link to one of Cairn's own reports (TrackerReportLinks)
};

std::string_view ColumnKindName(TrackerColumnKind kind);  // "text", "choice"...

struct TrackerColumn {
  std::string id;
  std::string label;
  TrackerColumnKind kind = TrackerColumnKind::kText;
  bool required = false;
  std::vector<std::string> choices;  // kChoice only
};

struct GuidingQuestions {
  std::string heading;
  std::vector<std::string> questions;
};

struct TrackerDefinition {
  std::string id;
  std::string title;
  std::string template_name;  // "Template 2.3"
  std::string action;         // the guide's action it serves
  int step = 0;               // the guide's step, 1-4
  std::string description;
  std::vector<TrackerColumn> columns;
  // Asked the same way in every check-in (Template 3.1); empty elsewhere.
  std::string questions_intro;
  std::vector<std::string> questions;
  std::vector<GuidingQuestions> guiding_questions;  // Template 4.1
  // The template's made-up example rows (column id -> text), for reference.
  std::vector<std::map<std::string, std::string>> examples;

  const TrackerColumn* FindColumn(std::string_view column_id) const;
};

enum class RowStatus { kNotStarted, kInProgress, kDone, kDropped };
std::string_view RowStatusName(RowStatus status);  // "not started", "in progress"...
std::optional<RowStatus> ParseRowStatus(std::string_view name);

// Cairn's reports a measure may link to; "completion-by-school" etc.
struct TrackerReportLink {
  std::string id;
  std::string label;
  std::string by;  // "school", "badge" or "course" (reports/completion_report.h)
};
const std::vector<TrackerReportLink>& TrackerReportLinks();
const TrackerReportLink* FindTrackerReportLink(std::string_view id);

struct TrackerRow {
  std::map<std::string, std::string> values;              // text and choice columns
  std::map<std::string, std::vector<std::string>> lists;  // list columns
  // A report column: which report and, optionally, which group of it
  // (a school's name); empty when the measure links none.
  std::string report;
  std::string report_group;
  std::string owner;
  std::optional<Day> due;
  RowStatus status = RowStatus::kNotStarted;
  std::string notes;
};

inline constexpr std::size_t kMaxTrackerText = 4000;
inline constexpr std::size_t kMaxTrackerListItems = 40;

// A definition from its JSON; errors name `file` and the JSON path
// ("columns[2].kind"). All problems are reported in one status.
Result<TrackerDefinition> ParseTrackerDefinition(std::string_view json_text, std::string_view file);

// The compiled-in definitions, in step then template order.
const std::vector<TrackerDefinition>& BundledTrackers();
const TrackerDefinition* FindBundledTracker(std::string_view id);

// A row from a request body, checked against the definition:
// {"values": {column: text}, "owner", "due": "YYYY-MM-DD" | null,
//  "status": "not started" | "in progress" | "done" | "dropped", "notes"}.
// Every problem is named by its field ("values.threat", "due").
Result<TrackerRow> ParseTrackerRow(const TrackerDefinition& tracker, const nlohmann::json& body);

// The stored / served form (the same shape ParseTrackerRow reads).
nlohmann::json TrackerRowJson(const TrackerDefinition& tracker, const TrackerRow& row);

// The journal stream of a tracker's rows.
std::string TrackerStream(std::string_view tracker_id);

struct RowRevision {
  Id entry_id = 0;
  Id recorded_by = 0;
  Instant recorded_at = 0;
  TrackerRow row;
};

struct TrackerRowState {
  std::string id;  // the journal key
  TrackerRow current;
  std::vector<RowRevision> history;  // oldest first; back() is current
};

// Folds a tracker's journal entries (any order) into its rows, ordered by
// when each row was first written. Entries of other streams are ignored;
// a body that no longer parses is read as far as it goes.
std::vector<TrackerRowState> FoldTrackerRows(const TrackerDefinition& tracker,
                                             const std::vector<JournalEntry>& entries);

// Due before `today` and neither done nor dropped.
bool IsOverdue(const TrackerRow& row, Day today);

// Where a district is in the guide's four steps, from its trackers' rows.
struct StepProgress {
  int step = 0;
  std::string title;
  int rows = 0, not_started = 0, in_progress = 0, done = 0, dropped = 0, overdue = 0;
  bool begun() const { return in_progress + done > 0; }
};
struct ImplementationStage {
  int current_step = 1;
  std::vector<StepProgress> steps;  // 1..4
  std::string why;                  // one sentence saying how current_step was found
};

// The guide's step titles, 1-4.
std::string_view GuideStepTitle(int step);

// `rows`: each tracker with its current rows. `step1_begun` says whether
// Step 1 work exists elsewhere (a readiness round). The district is in the
// latest step where work has begun (a row in progress or done); Step 1 when
// none has.
ImplementationStage DeriveImplementationStage(
    const std::vector<std::pair<const TrackerDefinition*, std::vector<TrackerRow>>>& rows,
    Day today, bool step1_begun);

// The bundled definition files, as compiled in (bundled_trackers.cpp).
struct BundledTrackerFile {
  const char* name;
  const char* json;
};
const std::vector<BundledTrackerFile>& BundledTrackerFiles();

}  // namespace cairn
