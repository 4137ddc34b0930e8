// Instruments: the surveys, discussion templates, rubrics and staging guides
// a district team answers (issue #15), held as data (docs/instrument-format.md)
// rather than hard-coded pages, so a district can adapt or add its own.
//
// Contract:
// - ParseInstrument reads one instrument document and validates everything a
//   later step relies on: unique section, item and scale ids (item ids are
//   unique across the whole instrument, so answers are keyed by item id
//   alone), non-empty wording, every scale reference resolved, rubric levels
//   matching their scale's points one to one, at least one section and one
//   item, known respondent roles and kind. Every problem is reported, one per
//   line, with its JSON path ("$.sections[2].items[0].response.scale: unknown
//   scale \"x\""); nothing is half-accepted.
// - An Instrument is a plain immutable value once parsed: no I/O, no globals;
//   copy it freely, share const references across threads.
// - BundledInstruments() are the instruments shipped with Cairn
//   (data/instruments/*.json, compiled into the binary at build time, so no
//   data directory is needed at run time). They are parsed once, on first
//   use (thread-safe static initialisation) and live for the whole process.
//   Their wording reproduces the seed documents exactly; instrument_test
//   compares it against tests/fixtures/instruments/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"

namespace cairn {

inline constexpr int kInstrumentFormatVersion = 1;

// What answering looks like: a survey (one answer per item), a discussion
// template (a team's notes per prompt), a rubric (a level per row) or a
// staging guide (a stage per component, with indicators and stage activities).
enum class InstrumentKind { kSurvey, kDiscussion, kRubric, kStaging };

// Who may be asked to respond (the district's account roles).
enum class RespondentRole { kDistrictLeader, kSchoolLeader, kTeacher, kStudent, kGuardian, kAdmin };

// How often a team is meant to answer again (rounds repeat over time).
enum class RepeatEvery { kNone, kTermly, kYearly, kWeeks };

struct RepeatSchedule {
  RepeatEvery every = RepeatEvery::kNone;
  int weeks = 0;  // only for kWeeks: 1..104
  bool operator==(const RepeatSchedule&) const = default;
};

// Where the wording comes from: the seed document and the template in it.
struct InstrumentSource {
  std::string seed;           // e.g. "000 Implementation Guide"
  std::string template_name;  // e.g. "Template S1.4"
  bool operator==(const InstrumentSource&) const = default;
};

// One ordered point of a response scale ("1 - Disagree", or a rubric level
// "Initiating", or a stage "Explore").
struct ScalePoint {
  int value = 0;                        // strictly increasing within a scale
  std::string label;                    // non-empty
  std::string description;              // optional
  std::vector<std::string> activities;  // optional: a stage's key activities
  bool operator==(const ScalePoint&) const = default;
};

struct ResponseScale {
  std::string id;
  std::string title;               // optional
  std::vector<ScalePoint> points;  // at least two
  const ScalePoint* FindPoint(int value) const;
  bool operator==(const ResponseScale&) const = default;
};

enum class ResponseKind {
  kScale,   // pick one point of `scale`
  kText,    // free text, in one box or in the named `fields` (columns)
  kRubric,  // pick one point of `scale`, each point described by `levels`
};

// One free-text box of a text response (a column such as "Current Status").
struct TextField {
  std::string id;
  std::string label;
  std::string starter;  // optional opening words shown in the box
  bool operator==(const TextField&) const = default;
};

// What a rubric row (or a staging component) says at one point of its scale.
struct RubricLevel {
  int value = 0;                        // the scale point it describes
  std::string title;                    // optional (a stage's heading)
  std::string description;              // non-empty
  std::vector<std::string> outcomes;    // optional (staging)
  std::vector<std::string> activities;  // optional (staging)
  bool operator==(const RubricLevel&) const = default;
};

struct ItemResponse {
  ResponseKind kind = ResponseKind::kText;
  std::string scale;                // kScale, kRubric: a scale id of the instrument
  std::vector<TextField> fields;    // kText: empty means one unlabelled box
  std::vector<RubricLevel> levels;  // kRubric: one per scale point, in scale order
  bool operator==(const ItemResponse&) const = default;
};

// A guiding question under a discussion prompt, with its bullet points.
struct GuidingQuestion {
  std::string text;
  std::vector<std::string> points;
  bool operator==(const GuidingQuestion&) const = default;
};

struct InstrumentItem {
  std::string id;                          // unique in the instrument
  std::string prompt;                      // non-empty: the statement, question or row name
  std::string help;                        // optional guidance shown under the prompt
  std::string data_note;                   // optional: the data worth looking at first
  std::vector<GuidingQuestion> questions;  // optional (discussions)
  ItemResponse response;
  bool operator==(const InstrumentItem&) const = default;
};

// A staging guide's indicator category with its system and student indicators.
struct IndicatorCategory {
  std::string id;
  std::string category;
  std::string system_indicator;
  std::string student_indicator;
  // The key shift to mastery in this category (optional: all empty, or
  // from and to both set): what practice moves from and to, and why.
  std::string shift_from;
  std::string shift_to;
  std::string shift_description;
  bool operator==(const IndicatorCategory&) const = default;
};

// A domain of a survey, a table of a discussion, a part of a rubric or a
// component of a staging guide.
struct InstrumentSection {
  std::string id;  // unique in the instrument
  std::string title;
  std::string description;                    // optional
  std::vector<IndicatorCategory> indicators;  // optional (staging)
  std::vector<InstrumentItem> items;          // at least one
  bool operator==(const InstrumentSection&) const = default;
};

struct Instrument {
  std::string id;  // [a-z0-9-], unique among a district's instruments
  std::string title;
  std::string description;  // optional
  InstrumentSource source;  // optional for a district's own instruments
  InstrumentKind kind = InstrumentKind::kSurvey;
  std::vector<RespondentRole> respondents;  // at least one, no repeats
  bool anonymous = true;                    // the default for rounds of this instrument
  RepeatSchedule repeat;
  std::vector<ResponseScale> scales;
  std::vector<InstrumentSection> sections;  // at least one

  const ResponseScale* FindScale(std::string_view scale_id) const;
  const InstrumentItem* FindItem(std::string_view item_id) const;
  // The section holding `item_id`, or null.
  const InstrumentSection* SectionOf(std::string_view item_id) const;
  std::size_t ItemCount() const;
  bool MayRespond(RespondentRole role) const;
  bool operator==(const Instrument&) const = default;
};

// `source` names the input in error messages (a file name, "request body").
Result<Instrument> ParseInstrument(std::string_view json_text, std::string_view source);

// The inverse of ParseInstrument: ParseInstrument(InstrumentToJson(i).dump()) == i.
nlohmann::json InstrumentToJson(const Instrument& instrument);

// Stable lowercase names used in the JSON format ("survey", "school_leader",
// "termly", "scale") and their inverses (nullopt for an unknown name).
std::string_view InstrumentKindName(InstrumentKind kind);
std::optional<InstrumentKind> InstrumentKindFromName(std::string_view name);
std::string_view RespondentRoleName(RespondentRole role);
std::optional<RespondentRole> RespondentRoleFromName(std::string_view name);
std::string_view RepeatEveryName(RepeatEvery every);
std::optional<RepeatEvery> RepeatEveryFromName(std::string_view name);
std::string_view ResponseKindName(ResponseKind kind);
std::optional<ResponseKind> ResponseKindFromName(std::string_view name);

// A shipped instrument file: its name in data/instruments/ and its text.
struct BundledInstrumentFile {
  std::string_view file_name;
  std::string_view json;
};
// Every file compiled in, in file-name order.
const std::vector<BundledInstrumentFile>& BundledInstrumentFiles();

// The shipped instruments, parsed once. A file that fails to parse is a
// build defect (instrument_test fails on it); at run time it is left out.
const std::vector<Instrument>& BundledInstruments();
// The shipped instrument with this id, or null.
const Instrument* FindBundledInstrument(std::string_view instrument_id);

}  // namespace cairn
