// The journal: append-only revisions of small JSON documents that belong to a
// district's planning and to students' own records (issue #15): instrument
// rounds and their responses, implementation trackers, observations,
// personal learning plans, badge requests, self-assessments. The narrow
// storage interface Store also implements (store.h).
//
// Why one generic table: these documents are many, small and shaped by data
// (instrument files, tracker columns) a district may adapt. Their meaning and
// validation live in the domain modules (src/toolkit, src/agency); the store
// only keeps every revision, in order, and finds them by stream and key.
//
// Contract for every implementation:
// - Nothing is lost. An entry is never updated or deleted; a change to a
//   document is a new entry with the same (district, stream, key), and the
//   newest entry (highest id) is the document's current state. Removing a
//   document is a new entry whose body says so (the domain module decides).
// - AppendJournal writes all entries or none (inside Transact it is a
//   savepoint, as in store.h). An unknown district, student or recorder is
//   kNotFound; an empty stream or key, or a body that is not a JSON object,
//   is kInvalidArgument; nothing is written.
// - Ids increase with every append across the whole journal.
// - Not thread-safe: one per thread, like Store.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "roster/roster.h"
#include "store/transactional.h"

namespace cairn {

struct JournalEntry {
  Id id = 0;  // assigned by the store
  Id district_id = 0;
  // What kind of document: "round", "response", "tracker", "plp",
  // "observation"... Prefixes are the domain module's business.
  std::string stream;
  // Which document within the stream: a round's id, "student:42"...
  std::string key;
  // Set when the document is a student's record (FERPA): reads by student
  // find it, and access to it is decided as for the student's other records.
  std::optional<Id> student_id;
  std::string body;  // a JSON object
  // Who wrote this revision; 0 when withheld on purpose (an anonymous
  // survey response must not say who gave it, not even in the database).
  Id recorded_by = 0;
  Instant recorded_at = 0;
};

// The checks every engine makes before writing an entry: a stream and key,
// and a body that is a JSON object. kInvalidArgument names the entry.
Status CheckJournalEntry(const JournalEntry& entry, std::size_t index);

class JournalStore : public virtual Transactional {
 public:
  // Appends the entries in order; returns their ids.
  virtual Result<std::vector<Id>> AppendJournal(const std::vector<JournalEntry>& entries) = 0;

  // Every revision of a stream in a district, oldest first; only those of
  // one document when `key` is given.
  virtual Result<std::vector<JournalEntry>> Journal(Id district, std::string_view stream,
                                                    std::optional<std::string_view> key) = 0;

  // The current revision (highest id) of each document of a stream, in key
  // order.
  virtual Result<std::vector<JournalEntry>> JournalLatest(Id district, std::string_view stream) = 0;

  // Every revision of a stream about one student, oldest first.
  virtual Result<std::vector<JournalEntry>> StudentJournal(Id student, std::string_view stream) = 0;
};

}  // namespace cairn
