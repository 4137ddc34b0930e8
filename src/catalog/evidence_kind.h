// The kinds of evidence a rating can come from. A vocabulary the catalog
// declares: award rules name kinds ("a performance task is required") and the
// catalog reader checks those names, while the ledger's facts (evidence/)
// carry a kind. It lives here, below both, because evidence/ already depends
// on the catalog and not the other way round.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn {

enum class EvidenceKind : std::uint8_t {
  kFormative = 0,
  kSummative = 1,
  kPerformanceTask = 2,
  kPortfolioItem = 3,
  kExternalAssessment = 4,
  kOutsideSchool = 5,  // learning outside school (work, community, online course)
};
inline constexpr int kEvidenceKindCount = 6;

// "formative", "summative", "performance_task", "portfolio_item",
// "external_assessment", "outside_school".
std::string_view EvidenceKindName(EvidenceKind kind);
std::optional<EvidenceKind> ParseEvidenceKind(std::string_view name);
// Human label: "Performance task".
std::string_view EvidenceKindLabel(EvidenceKind kind);

inline constexpr std::uint8_t KindBit(EvidenceKind kind) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(kind));
}

}  // namespace cairn
