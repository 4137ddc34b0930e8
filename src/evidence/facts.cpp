#include "evidence/facts.h"

#include <array>

namespace cairn {
namespace {
constexpr std::array<std::string_view, 3> kActionNames{"proposed", "confirmed", "revoked"};
}

std::string_view AwardActionName(AwardAction action) {
  return kActionNames[static_cast<std::size_t>(action)];
}

std::optional<AwardAction> ParseAwardAction(std::string_view name) {
  for (std::size_t i = 0; i < kActionNames.size(); ++i) {
    if (kActionNames[i] == name) return static_cast<AwardAction>(i);
  }
  return std::nullopt;
}

}  // namespace cairn
