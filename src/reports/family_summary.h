// What a family reads about one child (issue #13): the badges earned, the
// badges being worked on by their titles, and for each the next step in one
// plain sentence, the teacher's latest note, and how to help at home from
// the curriculum resources the district linked to that CPE.
//
// Written for families, not teachers: no code without its title, no
// evidence-kind jargon, no scores. Pure: the caller gathers the facts.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "common/time.h"
#include "evidence/facts.h"
#include "service/cairn_service.h"
#include "store/alignment_store.h"

namespace cairn {

struct FamilyNote {
  std::string text;
  std::string by;  // the teacher's display name
  Day on = 0;      // the day the work was done
};

struct FamilyHelp {
  std::string title;
  std::string url;
  std::string provider;
};

// The next step's parts, so a page can say it in the reader's language
// (next_step is the English sentence made from them).
struct FamilyNextStep {
  // "confirming", "prerequisite", "again", "show", "evidence_kind",
  // "keep_going"; empty for an earned badge.
  std::string kind;
  std::string prerequisite;        // badge code, for "prerequisite"
  std::string prerequisite_title;  //
  std::string cpe;                 // for "again" and "show"
  std::string cpe_label;
  int skill = 0;              // 1-based position of the CPE in the badge
  int of = 0;                 // the badge's CPE count
  std::string level;          // the mastery level's label, for "show"
  std::string evidence_kind;  // EvidenceKind name, for "evidence_kind"
};

struct FamilyBadge {
  std::string code;
  std::string title;
  // "earned", "confirming" (all the work is done; a teacher confirms it),
  // "working".
  std::string state;
  Day earned_on = 0;
  int done = 0;    // skills shown at the level the badge asks for
  int needed = 0;  // skills the badge asks for
  // One sentence: what comes next for a badge in progress; empty otherwise.
  std::string next_step;
  std::string next_cpe;  // the CPE the next step names, if any
  FamilyNextStep next;
  std::optional<FamilyNote> last_note;
  std::vector<FamilyHelp> help;  // for next_cpe
};

struct FamilySummary {
  std::string child;                 // given name, for the sentences
  std::vector<FamilyBadge> earned;   // most recent first
  std::vector<FamilyBadge> working;  // catalog order
};

// `ratings` are the child's ratings that count (voided ones and corrected
// originals left out); `teacher_name` names their recorders; `resources`
// are the district's current curriculum resources.
FamilySummary BuildFamilySummary(const Catalog& catalog, const StudentProgress& progress,
                                 std::span<const RatingFact> ratings,
                                 const std::function<std::string(Id)>& teacher_name,
                                 std::span<const CurriculumResource> resources);

// {"child", "earned": [...], "working": [...]}, each badge {"code", "title",
// "state", "earned_on" (date or null), "done", "needed", "next_step",
// "next_cpe", "next" (null when earned, else {"kind", "prerequisite":
// {"code", "title"} or null, "cpe": {"id", "label", "skill", "of"} or null,
// "level" or null, "evidence_kind" or null}), "last_note" ({"text", "by", "on"} or null), "help":
// [{"title", "url", "provider"}]}.
nlohmann::json FamilySummaryJson(const FamilySummary& summary);

}  // namespace cairn
