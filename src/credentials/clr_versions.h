// Each version of a student's CLR that Cairn issued (issue #14), kept in the
// journal (stream "clr", one document per student): a CLR is signed again
// only when what it holds changes, so every download of the same content is
// the same signed document with the same id, and earlier versions stay on
// record. The content and its version come from CredentialIssuer::ClrFor.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "roster/roster.h"
#include "store/journal_store.h"

namespace cairn {

inline constexpr std::string_view kClrStream = "clr";

struct IssuedClr {
  std::string version;  // hex SHA-256 of the unsigned content
  nlohmann::json clr;   // as signed
};

// The journal entry that records `issued` for the student.
JournalEntry ClrEntry(const Person& student, const IssuedClr& issued, Id recorded_by, Instant at);
// The newest version among the student's entries of the stream (oldest
// first, as StudentJournal gives them); nothing when none. kInternal naming
// the entry when it cannot be read.
Result<std::optional<IssuedClr>> LatestClr(const std::vector<JournalEntry>& entries);

}  // namespace cairn
