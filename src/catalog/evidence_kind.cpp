#include "catalog/evidence_kind.h"

#include <array>

namespace cairn {
namespace {

struct KindNames {
  std::string_view name;
  std::string_view label;
};
constexpr std::array<KindNames, kEvidenceKindCount> kNames{{
    {"formative", "Formative check"},
    {"summative", "Summative assessment"},
    {"performance_task", "Performance task"},
    {"portfolio_item", "Portfolio item"},
    {"external_assessment", "External assessment"},
    {"outside_school", "Learning outside school"},
}};

}  // namespace

std::string_view EvidenceKindName(EvidenceKind kind) {
  return kNames[static_cast<std::size_t>(kind)].name;
}

std::string_view EvidenceKindLabel(EvidenceKind kind) {
  return kNames[static_cast<std::size_t>(kind)].label;
}

std::optional<EvidenceKind> ParseEvidenceKind(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i].name == name) return static_cast<EvidenceKind>(i);
  }
  return std::nullopt;
}

}  // namespace cairn
