// Interventions: extra support a student is given on a badge or one of its
// CPEs (re-teaching, flex time, tutoring, summer work), opened and later
// closed by staff. Both are facts: they are stored as journal revisions
// (store/journal_store.h, stream kInterventionStream, one key per
// intervention) and never changed; closing is a new revision.
//
// This module is the model and its validation: what an opening and a closing
// must say, with every problem named by field. Handlers store and authorise;
// reports/intervention_report.h asks whether the support worked.
//
// Thread safety: pure functions; no I/O, no shared state.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/catalog.h"
#include "common/status.h"
#include "roster/roster.h"

namespace cairn {

inline constexpr std::string_view kInterventionStream = "intervention";

enum class InterventionKind { kReteach, kFlexTime, kTutoring, kSummer, kOther };

// "reteach", "flex_time", "tutoring", "summer", "other".
std::string_view InterventionKindName(InterventionKind kind);
std::optional<InterventionKind> ParseInterventionKind(std::string_view name);
// Plain words: "Re-teaching", "Flex time".
std::string_view InterventionKindLabel(InterventionKind kind);

struct Intervention {
  std::string id;  // the journal key
  Id student = 0;
  std::string badge;
  std::string cpe;  // "" when it is about the whole badge
  InterventionKind kind = InterventionKind::kReteach;
  std::string provider;    // who gives it: "Ms. Lee", "After-school tutoring"
  std::string started_on;  // YYYY-MM-DD
  std::string note;
  std::string ended_on;  // YYYY-MM-DD; "" while open
  std::string exit_note;

  bool open() const { return ended_on.empty(); }
};

// An opening from a request body {badge, cpe?, kind, provider?, started_on?,
// note?}: the badge must be in the catalog and the CPE one of its own; the
// start no later than `today` (YYYY-MM-DD; absent means today). kInvalidArgument
// names every field at fault.
Result<Intervention> ParseInterventionOpening(const nlohmann::json& body, const Catalog& catalog,
                                              std::string_view today);

// Closes `intervention` from {ended_on?, note?}: the end between its start
// and `today` (absent: today). Already closed is kFailedPrecondition.
Status CloseIntervention(const nlohmann::json& body, std::string_view today,
                         Intervention& intervention);

// The stored body (a journal entry's) and back.
nlohmann::json InterventionToStored(const Intervention& intervention);
Result<Intervention> InterventionFromStored(const std::string& key, Id student,
                                            const std::string& body);

// The API's form: {"id", "badge", "cpe", "kind", "kind_label", "provider",
// "started_on", "note", "ended_on", "exit_note", "open"}.
nlohmann::json InterventionJson(const Intervention& intervention);

}  // namespace cairn
