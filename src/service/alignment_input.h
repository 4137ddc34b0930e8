// Checking what a teacher or an import gives for a curriculum resource or an
// assessment item (store/alignment_store.h) against the catalog in force,
// before anything is written. Pure: no I/O, no clock; thread-compatible.
//
// Every problem is a field error naming the field ("url", "cpe",
// "standards[2]"...; with `prefix` "items[3].cpe"), all of them at once, and
// nothing is returned then. URLs must be absolute http or https links
// (never javascript:, data: or a relative path), with no spaces or control
// characters, at most kMaxUrlBytes.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "store/alignment_store.h"

namespace cairn {

inline constexpr std::size_t kMaxUrlBytes = 2048;
inline constexpr std::size_t kMaxAlignmentTextBytes = 200;  // titles, providers, keys
inline constexpr std::size_t kMaxAlignmentNoteBytes = 2000;
inline constexpr std::size_t kMaxItemStandards = 20;

// What a client sends for a resource; the CPE comes from the path.
struct ResourceInput {
  std::string cpe_id;
  std::string indicator_id;
  std::string title;
  std::string url;
  std::string provider;
  std::string kind;
  std::string note;
};

struct ItemInput {
  std::string badge_code;
  std::string item_key;
  std::string title;
  std::string target;
  std::vector<std::string> standards;
  std::string cpe_id;
  std::string indicator_id;
};

// "" when `url` is an acceptable link, else why not.
std::string UrlProblem(const std::string& url);

// The record to store (district, author and time left for the caller), or
// kInvalidArgument with every field error.
Result<CurriculumResource> CheckResource(const Catalog& catalog, const ResourceInput& input);
Result<AssessmentItem> CheckItem(const Catalog& catalog, const ItemInput& input,
                                 const std::string& prefix = "");

// Field errors of an item, appended to `errors` (for imports that report
// every row). Returns the record when there were none.
std::optional<AssessmentItem> CheckItemInto(const Catalog& catalog, const ItemInput& input,
                                            const std::string& prefix,
                                            std::vector<FieldError>& errors);

}  // namespace cairn
