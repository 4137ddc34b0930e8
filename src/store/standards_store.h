// Standards frameworks (CASE packages) and the crosswalk between the
// catalog's CPEs and their items: the narrow storage interface Store also
// implements (store.h). Records are plain values; interop/case reads and
// checks the packages, this only keeps them.
//
// Contract for every implementation:
// - Nothing is lost. A framework version, its items and associations are
//   append-only; a newer version of the same CFDocument is a new row set,
//   and the older stays readable. The current version of a document is the
//   one with the latest lastChangeDateTime (the latest imported among equal
//   ones).
// - The crosswalk is a history of link and unlink facts (who, when, how);
//   the current state of a (CPE, item) pair is its latest fact. Facts are
//   never updated or deleted.
// - Every write is atomic (inside Transact it is a savepoint, as in store.h).
// - Not thread-safe: one per thread, like Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "roster/roster.h"
#include "store/transactional.h"

namespace cairn {

// One stored version of a framework (a CFDocument and its package).
struct CaseFrameworkRecord {
  Id id = 0;
  std::string document_identifier;  // CFDocument.identifier, the same in every version
  std::string uri;
  std::string title;
  std::string creator;
  std::string publisher;
  std::string version;         // CFDocument.lastChangeDateTime as written
  Instant version_at = 0;      // the same, UTC
  std::string content_sha256;  // of the package's canonical JSON
  Instant imported_at = 0;
  std::optional<Id> imported_by;  // a person; none from the command line
  std::string package;            // the package JSON; empty in listings
  int item_count = 0;             // filled by reads
  bool current = false;           // filled by reads
};

struct CaseItemRecord {
  Id framework_id = 0;
  std::string identifier;
  std::string uri;
  std::string human_coding_scheme;
  std::string full_statement;
  std::string item_type;
  std::string list_enumeration;
  std::string parent_identifier;  // the first isChildOf destination (an item or the document)
  int position = 0;               // order in the package
};

struct CaseAssociationRecord {
  Id framework_id = 0;
  std::string identifier;
  std::string type;
  std::string origin_identifier, origin_uri;
  std::string destination_identifier, destination_uri;
  std::optional<std::int64_t> sequence_number;
  int position = 0;  // order in the package
};

// An item of a framework's current version, with what names the framework.
struct CurrentCaseItem {
  CaseItemRecord item;
  std::string framework_identifier;  // the CFDocument's identifier
  std::string framework_title;
  std::string framework_uri;
};

// One crosswalk fact: `cpe` linked to (or unlinked from) a CFItem.
struct CrosswalkFact {
  Id id = 0;  // set by reads
  std::string cpe;
  std::string item_identifier;
  bool linked = true;       // false: unlinked
  std::optional<Id> actor;  // the person; none from the command line
  Instant at = 0;
  std::string source;  // how: "api", "csv import crosswalk.csv", "cli"
};

class StandardsStore : public virtual Transactional {
 public:
  // Adds a framework version with its items and associations, all or
  // nothing. kAlreadyExists when the same document with the same content
  // (content_sha256) is stored already. Returns the new version's id.
  virtual Result<Id> InsertCaseFramework(
      const CaseFrameworkRecord& framework, const std::vector<CaseItemRecord>& items,
      const std::vector<CaseAssociationRecord>& associations) = 0;
  // Every stored version, without package bodies, ordered by document
  // identifier then newest first; `current` and `item_count` filled.
  virtual Result<std::vector<CaseFrameworkRecord>> CaseFrameworks() = 0;
  // One version with its package body, or nothing.
  virtual Result<std::optional<CaseFrameworkRecord>> FindCaseFramework(Id id) = 0;
  // A version's items in package order, and its associations.
  virtual Result<std::vector<CaseItemRecord>> CaseItems(Id framework) = 0;
  virtual Result<std::vector<CaseAssociationRecord>> CaseAssociations(Id framework) = 0;
  // The item with this identifier in a current framework version (the most
  // recently imported one if several current frameworks hold it), or nothing.
  virtual Result<std::optional<CurrentCaseItem>> FindCurrentCaseItem(
      std::string_view identifier) = 0;

  // Appends crosswalk facts in order, all or nothing.
  virtual Status AppendCrosswalkFacts(const std::vector<CrosswalkFact>& facts) = 0;
  // The pairs whose latest fact is a link (that fact each), for one CPE or
  // all, ordered by CPE then by when they were linked.
  virtual Result<std::vector<CrosswalkFact>> CurrentCrosswalk(std::optional<std::string> cpe) = 0;
  // Every fact, for one CPE or all, oldest first.
  virtual Result<std::vector<CrosswalkFact>> CrosswalkHistory(std::optional<std::string> cpe) = 0;
};

}  // namespace cairn
