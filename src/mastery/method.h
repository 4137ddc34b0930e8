// Calculation methods: the pure function from one student's scores on one CPE
// (already filtered and in the order they were demonstrated) to a value and a
// mastery decision. No I/O, no allocation on the hot path, deterministic.
// Worked examples for every method: docs/mastery-methods.md.
#pragma once

#include <span>

#include "catalog/calculation.h"

namespace cairn {

struct MethodResult {
  bool has_value = false;  // false only when there are no scores
  double value = 0.0;      // on the scale's score axis, clamped to [scale_min, scale_max]
  bool mastered = false;   // value >= mastery threshold (kNTimesAtMastery: n scores at mastery)
  int at_mastery = 0;      // how many of the scores are at or above the threshold
};

// The scale bounds the result (a power-law fit may extrapolate past them).
struct ScaleBounds {
  double min_score = 0.0;
  double max_score = 0.0;
  double mastery_threshold = 0.0;  // lowest score that counts as mastery
};

// `scores` are oldest first (by demonstration date). Thread-safe; pure.
MethodResult ApplyMethod(const CalculationSpec& spec, std::span<const double> scores,
                         const ScaleBounds& bounds);

// Comparisons against the threshold tolerate floating-point noise (a mean of
// 3 + 3 + 3 is mastery at 3 even if it computes as 2.9999999999).
inline constexpr double kScoreEpsilon = 1e-9;

}  // namespace cairn
