// One student's standing on one CPE, as the engine computes it. Small and
// trivially copyable: the engine keeps millions of them.
#pragma once

#include <cstdint>

#include "common/time.h"

namespace cairn {

struct CpeStatus {
  double value = 0;             // the method's result on the scale's score axis
  std::uint32_t dense_cpe = 0;  // Catalog::DenseCpe index
  Day last_demonstrated = 0;    // latest counted evidence
  std::uint16_t evidence_count =
      0;                           // counted evidence (after voids, corrections, formative filter)
  std::uint16_t at_mastery = 0;    // counted evidence at or above the mastery threshold
  std::uint8_t kinds = 0;          // KindBit of every counted evidence kind
  std::uint8_t mastery_kinds = 0;  // KindBit of kinds with a counted rating at mastery
  bool has_value = false;
  bool mastered = false;  // the method's decision
};

}  // namespace cairn
