// Classroom observation records (issue #15, the guide's Action 3.3 and
// Template 3.2): who observed whom, when, which look-fors of a protocol
// were seen, and notes. These are staff evaluation data: the server shows
// a record only to its observer, the observed teacher, admins and the
// district leaders the district names (every district leader until an admin
// names some), and audits every read (server/handlers/
// tracker_handlers.h). This module is pure: it checks a request body and
// reads stored ones.
//
// Storage: the journal, stream "observation", key = observation id, one
// entry per revision (the newest is the record).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time.h"
#include "roster/roster.h"

namespace cairn {

inline constexpr const char* kObservationStream = "observation";

enum class LookForSeen { kSeen, kPartly, kNotSeen };
std::string_view LookForSeenName(LookForSeen seen);  // "seen", "partly", "not seen"

struct LookForNote {
  std::string look_for;  // the protocol's wording
  LookForSeen seen = LookForSeen::kNotSeen;
  std::string note;
};

struct Observation {
  Id observer = 0;  // person ids
  Id teacher = 0;
  Day date = 0;
  std::string protocol;  // a row id of the observation-protocol tracker, or ""
  std::vector<LookForNote> look_fors;
  std::string notes;
};

// The parts of a request body this module checks: "date" (YYYY-MM-DD, not
// after `today`), "look_fors" (each {look_for, seen, note}; look_for one of
// `allowed` when `allowed` is non-empty, each at most once), "notes". The
// handler resolves "teacher" and "protocol" (people and rows it knows).
// Every problem is named by its field ("look_fors[1].seen").
Result<Observation> ParseObservationBody(const nlohmann::json& body,
                                         const std::vector<std::string>& allowed, Day today);

// The stored form: {observer, teacher, date, protocol, look_fors, notes}.
nlohmann::json ObservationToStored(const Observation& o);
// Reads a stored body; kInvalidArgument when it is not one.
Result<Observation> ObservationFromStored(const nlohmann::json& body);

}  // namespace cairn
