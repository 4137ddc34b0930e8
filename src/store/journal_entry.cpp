#include <nlohmann/json.hpp>

#include "store/journal_store.h"

namespace cairn {

Status CheckJournalEntry(const JournalEntry& entry, std::size_t index) {
  const std::string where = "journal entry " + std::to_string(index);
  if (entry.stream.empty()) return Status::Invalid(where + ": stream is empty");
  if (entry.key.empty()) return Status::Invalid(where + ": key is empty");
  const nlohmann::json body =
      nlohmann::json::parse(entry.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return Status::Invalid(where + ": body is not a JSON object");
  return Status::Ok();
}

}  // namespace cairn
