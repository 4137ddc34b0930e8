// Inter-rater agreement for calibration sessions: several teachers rate the
// same pieces of evidence on one CPE, and this tells how often they agree and
// how much of that agreement exceeds chance. Pure arithmetic, no I/O.
//
// All functions are free and reentrant. Degenerate inputs never produce NaN:
// a statistic that is undefined comes back as nullopt with a reason a person
// can read ("every rating used the same level; chance agreement is 1").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace cairn {

// ratings[item][rater]: the level a rater gave an item, or nullopt when that
// rater did not rate it. Levels are integers on an ordinal scale
// [min_level, max_level] (e.g. 1..4). Every row must have one entry per rater.
struct RatingMatrix {
  int min_level = 1;
  int max_level = 4;
  std::vector<std::vector<std::optional<int>>> ratings;
};

// Pairwise percent agreement: for each item, every pair of raters who both
// rated it is one comparison.
struct PairwiseAgreement {
  int comparisons = 0;
  std::optional<double> exact_percent;     // same level; nullopt if no comparisons
  std::optional<double> adjacent_percent;  // within one level (exact included)
};

// A kappa statistic and what it was computed on. `value` is nullopt when the
// statistic is undefined; `reason` then says why.
struct Kappa {
  std::optional<double> value;
  std::string reason;
  int items_used = 0;
  int items_excluded = 0;  // items left out (a rater missing)
};

enum class KappaWeights {
  kUnweighted,  // only exact agreement counts
  kLinear,      // partial credit 1 - |i - j| / (levels - 1)
};

// Everything the calibration report shows for one CPE.
struct AgreementReport {
  int items = 0;
  int raters = 0;
  PairwiseAgreement pairwise;
  std::optional<Kappa> cohen;         // only when there are exactly two raters
  std::optional<Kappa> cohen_linear;  // likewise, linear-weighted
  Kappa fleiss;
};

// Errors (kInvalidArgument): min_level > max_level, a ragged row, a level
// outside the scale.
Result<PairwiseAgreement> ComputePairwiseAgreement(const RatingMatrix& matrix);

// Cohen's kappa between raters `rater_a` and `rater_b` (column indexes) over
// the items both rated. Errors: as above, plus a bad rater index.
Result<Kappa> CohensKappa(const RatingMatrix& matrix, int rater_a, int rater_b,
                          KappaWeights weights = KappaWeights::kUnweighted);

// Fleiss' kappa over the items every rater rated (Fleiss assumes the same
// number of ratings per item); the others are counted in items_excluded.
// Needs at least two raters.
Result<Kappa> FleissKappa(const RatingMatrix& matrix);

// Fleiss' kappa from a count table: counts[item][category] = how many raters
// put the item in that category. Every row must sum to the same n >= 2.
Result<Kappa> FleissKappaFromCounts(const std::vector<std::vector<int>>& counts);

// Pairwise agreement, Cohen's kappa (two raters) and Fleiss' kappa together.
Result<AgreementReport> ComputeAgreement(const RatingMatrix& matrix);

}  // namespace cairn
