#include "mastery/method.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

// Every helper below loops over spans of the caller's scores: nothing here
// allocates, so ApplyMethod can run per student per CPE in bulk recalculation.

namespace cairn {
namespace {

bool AtMastery(double score, const ScaleBounds& bounds) {
  return score >= bounds.mastery_threshold - kScoreEpsilon;
}

// min/max rather than std::clamp: a malformed scale (min > max) must not be UB.
double ClampToScale(double value, const ScaleBounds& bounds) {
  return std::min(std::max(value, bounds.min_score), bounds.max_score);
}

int CountAtMastery(std::span<const double> scores, const ScaleBounds& bounds) {
  int count = 0;
  for (double s : scores) {
    if (AtMastery(s, bounds)) ++count;
  }
  return count;
}

// The latest n scores; n is clamped to [1, size] so a window always has a score.
std::span<const double> Recent(std::span<const double> scores, int n) {
  const std::size_t size = scores.size();
  const std::size_t count = n < 1 ? 1 : std::min(static_cast<std::size_t>(n), size);
  return scores.last(count);
}

// The header documents w in (0, 1]; clamping keeps a bad catalog value from
// producing a result outside the range of the scores.
double Weight(const CalculationSpec& spec) { return std::clamp(spec.weight, 0.0, 1.0); }

// `scores` must not be empty.
double Mean(std::span<const double> scores) {
  double sum = 0.0;
  for (double s : scores) sum += s;
  return sum / static_cast<double>(scores.size());
}

double Highest(std::span<const double> scores) {
  double best = scores.front();
  for (double s : scores) best = std::max(best, s);
  return best;
}

// Walks from the latest score back, replacing the candidate only on a strictly
// higher count, so among tied values the one seen most recently wins.
double Mode(std::span<const double> window) {
  double best = window.back();
  int best_count = 0;
  for (std::size_t i = window.size(); i-- > 0;) {
    int count = 0;
    for (double s : window) {
      if (std::abs(s - window[i]) <= kScoreEpsilon) ++count;
    }
    if (count > best_count) {
      best = window[i];
      best_count = count;
    }
  }
  return best;
}

double DecayingAverage(std::span<const double> scores, double w) {
  if (scores.size() == 1) return scores.front();
  const std::span<const double> earlier = scores.first(scores.size() - 1);
  return scores.back() * w + Mean(earlier) * (1.0 - w);
}

double DecayingRecursive(std::span<const double> scores, double w) {
  double d = scores.front();
  for (double s : scores.subspan(1)) d = d * (1.0 - w) + s * w;
  return d;
}

// Fits s' = a * k^b by least squares on ln s' = ln a + b ln k, with
// s' = s - min + 1 so the lowest score on any scale maps to 1 (ln 1 = 0) and a
// 0 on a 0-based scale stays fittable. Scores below the scale are raised to its
// minimum first so the logarithm is always defined.
double PowerLaw(std::span<const double> scores, const ScaleBounds& bounds) {
  if (scores.size() == 1) return scores.front();
  const double shift = 1.0 - bounds.min_score;
  double sum_x = 0.0, sum_y = 0.0, sum_xx = 0.0, sum_xy = 0.0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const double x = std::log(static_cast<double>(i + 1));
    const double y = std::log(std::max(scores[i], bounds.min_score) + shift);
    sum_x += x;
    sum_y += y;
    sum_xx += x * x;
    sum_xy += x * y;
  }
  const double m = static_cast<double>(scores.size());
  // Nonzero for m >= 2 because the ln k are distinct.
  const double b = (m * sum_xy - sum_x * sum_y) / (m * sum_xx - sum_x * sum_x);
  const double ln_a = (sum_y - b * sum_x) / m;
  return std::exp(ln_a + b * std::log(m)) - shift;
}

// The value shown for kNTimesAtMastery: what the mastery-level evidence says
// when there is some, otherwise where the student stands now.
double MeanAtMastery(std::span<const double> scores, const ScaleBounds& bounds) {
  double sum = 0.0;
  int count = 0;
  for (double s : scores) {
    if (AtMastery(s, bounds)) {
      sum += s;
      ++count;
    }
  }
  return count > 0 ? sum / static_cast<double>(count) : scores.back();
}

// `scores` must not be empty. Unclamped.
double RawValue(const CalculationSpec& spec, std::span<const double> scores,
                const ScaleBounds& bounds) {
  switch (spec.method) {
    case Method::kMostRecent:
      return scores.back();
    case Method::kModeOfRecent:
      return Mode(Recent(scores, spec.n));
    case Method::kMeanOfRecent:
      return Mean(Recent(scores, spec.n));
    case Method::kHighest:
      return Highest(scores);
    case Method::kMean:
      return Mean(scores);
    case Method::kDecayingAverage:
      return DecayingAverage(scores, Weight(spec));
    case Method::kDecayingRecursive:
      return DecayingRecursive(scores, Weight(spec));
    case Method::kPowerLaw:
      return PowerLaw(scores, bounds);
    case Method::kNTimesAtMastery:
      return MeanAtMastery(scores, bounds);
  }
  return scores.back();  // an out-of-range enum value: fall back to the latest score
}

}  // namespace

MethodResult ApplyMethod(const CalculationSpec& spec, std::span<const double> scores,
                         const ScaleBounds& bounds) {
  MethodResult result;
  if (scores.empty()) return result;
  result.has_value = true;
  result.at_mastery = CountAtMastery(scores, bounds);
  result.value = ClampToScale(RawValue(spec, scores, bounds), bounds);
  if (spec.method == Method::kNTimesAtMastery) {
    // n < 1 would make mastery automatic; require at least one score at mastery.
    result.mastered = result.at_mastery >= std::max(spec.n, 1);
  } else {
    result.mastered = AtMastery(result.value, bounds);
  }
  return result;
}

}  // namespace cairn
