#include "evidence/agreement.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace cairn {
namespace {

Status Validate(const RatingMatrix& matrix) {
  if (matrix.min_level > matrix.max_level) {
    return Status::Invalid("rating scale: min_level " + std::to_string(matrix.min_level) +
                           " is above max_level " + std::to_string(matrix.max_level));
  }
  const std::size_t raters = matrix.ratings.empty() ? 0 : matrix.ratings.front().size();
  for (std::size_t item = 0; item < matrix.ratings.size(); ++item) {
    const auto& row = matrix.ratings[item];
    if (row.size() != raters) {
      return Status::Invalid("item " + std::to_string(item) + ": has " +
                             std::to_string(row.size()) + " ratings, expected " +
                             std::to_string(raters) + " (one per rater)");
    }
    for (std::size_t rater = 0; rater < row.size(); ++rater) {
      if (row[rater] && (*row[rater] < matrix.min_level || *row[rater] > matrix.max_level)) {
        return Status::Invalid("item " + std::to_string(item) + ", rater " + std::to_string(rater) +
                               ": level " + std::to_string(*row[rater]) + " is outside the scale " +
                               std::to_string(matrix.min_level) + ".." +
                               std::to_string(matrix.max_level));
      }
    }
  }
  return Status::Ok();
}

int RaterCount(const RatingMatrix& matrix) {
  return matrix.ratings.empty() ? 0 : static_cast<int>(matrix.ratings.front().size());
}

int LevelCount(const RatingMatrix& matrix) { return matrix.max_level - matrix.min_level + 1; }

Kappa Undefined(std::string reason, int used, int excluded) {
  Kappa kappa;
  kappa.reason = std::move(reason);
  kappa.items_used = used;
  kappa.items_excluded = excluded;
  return kappa;
}

}  // namespace

Result<PairwiseAgreement> ComputePairwiseAgreement(const RatingMatrix& matrix) {
  CAIRN_RETURN_IF_ERROR(Validate(matrix));
  PairwiseAgreement result;
  int exact = 0;
  int adjacent = 0;
  for (const auto& row : matrix.ratings) {
    for (std::size_t a = 0; a < row.size(); ++a) {
      if (!row[a]) continue;
      for (std::size_t b = a + 1; b < row.size(); ++b) {
        if (!row[b]) continue;
        ++result.comparisons;
        const int distance = std::abs(*row[a] - *row[b]);
        if (distance == 0) ++exact;
        if (distance <= 1) ++adjacent;
      }
    }
  }
  if (result.comparisons > 0) {
    result.exact_percent = 100.0 * exact / result.comparisons;
    result.adjacent_percent = 100.0 * adjacent / result.comparisons;
  }
  return result;
}

Result<Kappa> CohensKappa(const RatingMatrix& matrix, int rater_a, int rater_b,
                          KappaWeights weights) {
  CAIRN_RETURN_IF_ERROR(Validate(matrix));
  const int raters = RaterCount(matrix);
  if (rater_a < 0 || rater_b < 0 || rater_a >= raters || rater_b >= raters || rater_a == rater_b) {
    return Status::Invalid("Cohen's kappa needs two distinct rater indexes below " +
                           std::to_string(raters));
  }
  const int levels = LevelCount(matrix);
  const auto cells = static_cast<std::size_t>(levels);
  // table[i * levels + j]: items rater A put at level i and rater B at level j.
  std::vector<std::int64_t> table(cells * cells, 0);
  int used = 0;
  int excluded = 0;
  for (const auto& row : matrix.ratings) {
    const auto& a = row[static_cast<std::size_t>(rater_a)];
    const auto& b = row[static_cast<std::size_t>(rater_b)];
    if (!a || !b) {
      ++excluded;
      continue;
    }
    ++used;
    table[static_cast<std::size_t>(*a - matrix.min_level) * cells +
          static_cast<std::size_t>(*b - matrix.min_level)]++;
  }
  if (used == 0) return Undefined("no item was rated by both raters", used, excluded);

  std::vector<std::int64_t> margin_a(cells, 0);
  std::vector<std::int64_t> margin_b(cells, 0);
  for (std::size_t i = 0; i < cells; ++i) {
    for (std::size_t j = 0; j < cells; ++j) {
      margin_a[i] += table[i * cells + j];
      margin_b[j] += table[i * cells + j];
    }
  }
  // Agreement weight of a (level i, level j) pair: 1 on the diagonal; for
  // linear weights also partial credit off it.
  auto weight = [&](std::size_t i, std::size_t j) {
    if (i == j) return 1.0;
    if (weights == KappaWeights::kUnweighted || levels < 2) return 0.0;
    const double distance = i > j ? static_cast<double>(i - j) : static_cast<double>(j - i);
    return 1.0 - distance / (levels - 1);
  };
  const double n = used;
  double observed = 0;
  double expected = 0;
  for (std::size_t i = 0; i < cells; ++i) {
    for (std::size_t j = 0; j < cells; ++j) {
      observed += weight(i, j) * static_cast<double>(table[i * cells + j]) / n;
      expected += weight(i, j) * static_cast<double>(margin_a[i]) *
                  static_cast<double>(margin_b[j]) / (n * n);
    }
  }
  // Chance agreement of 1 (both raters used one same level throughout, or a
  // one-level scale) leaves nothing to beat: 0/0. Decide it on integers.
  bool chance_is_one = levels == 1;
  for (std::size_t i = 0; i < cells && !chance_is_one; ++i) {
    chance_is_one = margin_a[i] == used && margin_b[i] == used;
  }
  if (chance_is_one) {
    return Undefined(
        "both raters gave every item the same single level; chance agreement is 1, so kappa is "
        "undefined",
        used, excluded);
  }
  Kappa kappa;
  kappa.value = (observed - expected) / (1.0 - expected);
  kappa.items_used = used;
  kappa.items_excluded = excluded;
  return kappa;
}

Result<Kappa> FleissKappaFromCounts(const std::vector<std::vector<int>>& counts) {
  if (counts.empty()) return Undefined("no items", 0, 0);
  const std::size_t categories = counts.front().size();
  std::int64_t per_item = -1;
  for (std::size_t item = 0; item < counts.size(); ++item) {
    if (counts[item].size() != categories) {
      return Status::Invalid("item " + std::to_string(item) + ": has " +
                             std::to_string(counts[item].size()) + " categories, expected " +
                             std::to_string(categories));
    }
    std::int64_t sum = 0;
    for (int count : counts[item]) {
      if (count < 0) return Status::Invalid("item " + std::to_string(item) + ": negative count");
      sum += count;
    }
    if (per_item == -1) per_item = sum;
    if (sum != per_item) {
      return Status::Invalid("item " + std::to_string(item) + ": rated " + std::to_string(sum) +
                             " times, item 0 " + std::to_string(per_item) +
                             " times; Fleiss' kappa needs the same number of ratings per item");
    }
  }
  const int items = static_cast<int>(counts.size());
  if (per_item < 2) return Undefined("Fleiss' kappa needs at least two ratings per item", items, 0);

  const double n = static_cast<double>(per_item);
  const double total = n * items;
  std::vector<std::int64_t> category_totals(categories, 0);
  double mean_item_agreement = 0;  // P-bar
  for (const auto& row : counts) {
    std::int64_t squares = 0;
    for (std::size_t j = 0; j < categories; ++j) {
      category_totals[j] += row[j];
      squares += static_cast<std::int64_t>(row[j]) * row[j];
    }
    // P_i: the share of agreeing ordered rater pairs on this item.
    mean_item_agreement += static_cast<double>(squares - per_item) / (n * (n - 1));
  }
  mean_item_agreement /= items;
  double chance = 0;  // P-bar-e = sum of squared category shares
  bool one_category = false;
  for (std::int64_t category_total : category_totals) {
    const double share = static_cast<double>(category_total) / total;
    chance += share * share;
    if (category_total == per_item * items) one_category = true;
  }
  if (one_category) {
    return Undefined(
        "every rating used the same level; chance agreement is 1, so kappa is undefined", items, 0);
  }
  Kappa kappa;
  kappa.value = (mean_item_agreement - chance) / (1.0 - chance);
  kappa.items_used = items;
  return kappa;
}

Result<Kappa> FleissKappa(const RatingMatrix& matrix) {
  CAIRN_RETURN_IF_ERROR(Validate(matrix));
  const int raters = RaterCount(matrix);
  if (raters < 2) return Status::Invalid("Fleiss' kappa needs at least two raters");
  std::vector<std::vector<int>> counts;
  int excluded = 0;
  for (const auto& row : matrix.ratings) {
    std::vector<int> item_counts(static_cast<std::size_t>(LevelCount(matrix)), 0);
    bool complete = true;
    for (const auto& level : row) {
      if (!level) {
        complete = false;
        break;
      }
      item_counts[static_cast<std::size_t>(*level - matrix.min_level)]++;
    }
    if (!complete) {
      ++excluded;
      continue;
    }
    counts.push_back(std::move(item_counts));
  }
  if (counts.empty()) return Undefined("no item was rated by every rater", 0, excluded);
  CAIRN_ASSIGN_OR_RETURN(Kappa kappa, FleissKappaFromCounts(counts));
  kappa.items_excluded = excluded;
  return kappa;
}

Result<AgreementReport> ComputeAgreement(const RatingMatrix& matrix) {
  AgreementReport report;
  CAIRN_ASSIGN_OR_RETURN(report.pairwise, ComputePairwiseAgreement(matrix));
  report.items = static_cast<int>(matrix.ratings.size());
  report.raters = RaterCount(matrix);
  if (report.raters == 2) {
    CAIRN_ASSIGN_OR_RETURN(report.cohen, CohensKappa(matrix, 0, 1));
    CAIRN_ASSIGN_OR_RETURN(report.cohen_linear, CohensKappa(matrix, 0, 1, KappaWeights::kLinear));
  }
  if (report.raters >= 2) {
    CAIRN_ASSIGN_OR_RETURN(report.fleiss, FleissKappa(matrix));
  } else {
    report.fleiss.reason = "agreement needs at least two raters";
  }
  return report;
}

}  // namespace cairn
