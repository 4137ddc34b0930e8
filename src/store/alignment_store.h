// What a district aligns to its badges beyond the catalog itself: curriculum
// resources per CPE (or indicator) that students use to practise and learn,
// and the items of its interim assessments that evidence a CPE. The narrow
// storage interface Store also implements (store.h). Records are plain
// values; the service checks URLs, lengths and that the CPE, indicator and
// badge exist in the catalog in force before writing.
//
// Contract for every implementation:
// - Nothing is lost. A resource or an item row is never updated or deleted
//   (ratings refer to items, so an item must stay what it was). Removing one
//   is a retirement: its own append-only row (who, when), at most one per
//   record. Reads of current records leave retired ones out; Find* returns
//   retired ones too, with `retired_at` set.
// - Every write is atomic (inside Transact it is a savepoint, as in store.h).
//   Errors are values: an unknown district or person is kNotFound; a second
//   current item with the same (district, badge, item key) is kAlreadyExists;
//   retiring an unknown or already retired record is kNotFound.
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

// A link a teacher recommends for one CPE (or one of its indicators).
struct CurriculumResource {
  Id id = 0;  // assigned by the store
  Id district_id = 0;
  std::string cpe_id;
  std::string indicator_id;  // "" when it serves the whole CPE
  std::string title;
  std::string url;       // http or https only (the service checks)
  std::string provider;  // "Khan Academy", "Desmos", "district"...
  std::string kind;      // "practice", "video", "worksheet", "lesson"...
  std::string note;
  Id added_by = 0;
  Instant added_at = 0;
  std::optional<Instant> retired_at;  // filled by reads
  std::optional<Id> retired_by;       // filled by reads
};

// One item of an interim assessment, with the CPE it evidences.
struct AssessmentItem {
  Id id = 0;  // assigned by the store
  Id district_id = 0;
  std::string badge_code;
  std::string item_key;  // the district's own item id
  std::string title;     // or the file name the item lives in
  std::string target;    // target or cluster
  std::vector<std::string> standards;
  std::string cpe_id;
  std::string indicator_id;  // "" when it evidences the whole CPE
  Id added_by = 0;
  Instant added_at = 0;
  std::optional<Instant> retired_at;  // filled by reads
  std::optional<Id> retired_by;       // filled by reads
};

class AlignmentStore : public virtual Transactional {
 public:
  // Returns the new resource's id.
  virtual Result<Id> InsertCurriculumResource(const CurriculumResource& resource) = 0;
  virtual Status RetireCurriculumResource(Id resource, Id by, Instant at) = 0;
  virtual Result<std::optional<CurriculumResource>> FindCurriculumResource(Id resource) = 0;
  // Current resources, for the given CPEs or all (empty list), in id order.
  virtual Result<std::vector<CurriculumResource>> CurriculumResources(
      const std::vector<std::string>& cpes) = 0;

  // Several items at once (an import), all or nothing; returns their ids in
  // order. kAlreadyExists names the item key that is taken.
  virtual Result<std::vector<Id>> InsertAssessmentItems(
      const std::vector<AssessmentItem>& items) = 0;
  virtual Status RetireAssessmentItem(Id item, Id by, Instant at) = 0;
  virtual Result<std::optional<AssessmentItem>> FindAssessmentItem(Id item) = 0;
  // Current items of one badge, or of every badge (empty), in id order.
  virtual Result<std::vector<AssessmentItem>> AssessmentItems(std::string_view badge) = 0;
};

}  // namespace cairn
