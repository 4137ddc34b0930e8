#include "reports/complementary_suppression.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

namespace cairn {
namespace {

using BigInt = boost::multiprecision::cpp_int;

// The few operations the elimination needs, for each integer type. The
// 64-bit ones report overflow instead of wrapping; INT64_MIN counts as
// overflow so that every value has an absolute value.
bool Representable(std::int64_t v) { return v != std::numeric_limits<std::int64_t>::min(); }
bool ScaleBy(std::int64_t& v, std::int64_t scale) {  // v *= scale
  return !__builtin_mul_overflow(v, scale, &v) && Representable(v);
}
bool SubtractProduct(std::int64_t& v, std::int64_t factor, std::int64_t value) {  // v -= f * x
  std::int64_t product = 0;
  return !__builtin_mul_overflow(factor, value, &product) &&
         !__builtin_sub_overflow(v, product, &v) && Representable(v);
}
bool ScaleBy(BigInt& v, const BigInt& scale) {
  v *= scale;
  return true;
}
bool SubtractProduct(BigInt& v, const BigInt& factor, const BigInt& value) {
  v -= factor * value;
  return true;
}
bool FromInput(std::int64_t value, std::int64_t& out) {
  out = value;
  return Representable(value);
}
bool FromInput(std::int64_t value, BigInt& out) {
  out = value;
  return true;
}
std::int64_t Gcd(std::int64_t a, std::int64_t b) { return std::gcd(a, b); }
BigInt Gcd(const BigInt& a, const BigInt& b) {
  return boost::multiprecision::gcd(boost::multiprecision::abs(a), boost::multiprecision::abs(b));
}

// Row echelon form built by inserting rows one at a time. Each basis row is
// zero at the pivots of the rows inserted before it, so reducing a row
// against the basis in insertion order leaves it zero exactly when it lies in
// the span. Basis rows are kept primitive, with a positive pivot, and sparse
// (the forms are mostly zeros); the row being reduced is dense.
template <typename Int>
class Echelon {
 public:
  using Row = std::vector<Int>;

  // Pivot choice: the non-zero column with the lowest cost (ties: the
  // first). Costs are the number of rows expected to use the column, so
  // that few later rows need this one: less fill-in. No costs: the first
  // non-zero column.
  explicit Echelon(std::vector<std::size_t> column_cost = {})
      : column_cost_(std::move(column_cost)) {}

  // Reduces `row` in place. `last_used` is the index of the last basis row
  // with a non-zero multiplier (-1 if none). False on overflow.
  bool Reduce(Row& row, int& last_used) const {
    last_used = -1;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const BasisRow& basis = rows_[i];
      if (row[basis.pivot] == 0) continue;
      // row := scale * row - factor * basis, which clears the pivot.
      const Int common = Gcd(basis.pivot_value, row[basis.pivot]);
      const Int scale = basis.pivot_value / common;  // > 0
      const Int factor = row[basis.pivot] / common;
      if (scale != 1) {
        for (Int& v : row) {
          if (v != 0 && !ScaleBy(v, scale)) return false;
        }
      }
      for (const auto& [column, value] : basis.nonzeros) {
        if (!SubtractProduct(row[column], factor, value)) return false;
      }
      if (scale != 1) MakePrimitive(row);
      last_used = static_cast<int>(i);
    }
    return true;
  }

  // Reduces and, if something is left, adds the row with `tag`. False on
  // overflow.
  bool Insert(Row row, int tag) {
    int last_used = -1;
    if (!Reduce(row, last_used)) return false;
    std::size_t pivot = row.size();
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (row[k] == 0) continue;
      if (pivot == row.size() || (!column_cost_.empty() && column_cost_[k] < column_cost_[pivot])) {
        pivot = k;
      }
    }
    if (pivot == row.size()) return true;  // in the span already
    MakePrimitive(row);
    const bool negate = row[pivot] < 0;
    BasisRow basis{{}, pivot, 0, tag};
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (row[k] != 0) basis.nonzeros.emplace_back(k, negate ? Int(-row[k]) : row[k]);
    }
    basis.pivot_value = negate ? Int(-row[pivot]) : row[pivot];
    rows_.push_back(std::move(basis));
    return true;
  }

  std::size_t size() const { return rows_.size(); }
  void Truncate(std::size_t size) { rows_.resize(size); }
  int tag(int index) const { return rows_[static_cast<std::size_t>(index)].tag; }
  std::vector<std::size_t> Pivots() const {
    std::vector<std::size_t> pivots;
    for (const BasisRow& row : rows_) pivots.push_back(row.pivot);
    std::sort(pivots.begin(), pivots.end());
    return pivots;
  }

 private:
  struct BasisRow {
    std::vector<std::pair<std::size_t, Int>> nonzeros;  // in column order
    std::size_t pivot;
    Int pivot_value;
    int tag;
  };

  static void MakePrimitive(Row& row) {
    Int common = 0;
    for (const Int& v : row) {
      if (v != 0) common = Gcd(common, v);
      if (common == 1) return;
    }
    if (common == 0) return;
    for (Int& v : row) v /= common;
  }

  std::vector<std::size_t> column_cost_;
  std::vector<BasisRow> rows_;
};

constexpr int kKnown = -1;  // owner of a `known` form

template <typename Int>
std::optional<SuppressionResult> Solve(const SuppressionProblem& problem) {
  const std::size_t group_count = problem.groups.size();
  // Every form with its owner: kKnown or a group index.
  std::vector<const LinearForm*> forms;
  std::vector<int> owner;
  std::size_t width = 0;
  for (const LinearForm& form : problem.known) {
    forms.push_back(&form);
    owner.push_back(kKnown);
  }
  for (std::size_t g = 0; g < group_count; ++g) {
    for (const LinearForm& form : problem.groups[g].figures) {
      forms.push_back(&form);
      owner.push_back(static_cast<int>(g));
    }
  }
  for (const LinearForm* form : forms) width = std::max(width, form->size());

  // 1. Keep only unknown columns that carry every relation between the forms:
  // the pivot columns of all forms together span the column space, so a
  // combination of forms that vanishes on them vanishes everywhere.
  // Sparse forms first: the order does not change which columns suffice, and
  // reducing by a dense form (a grand total) early would fill every later
  // row in.
  std::vector<typename Echelon<Int>::Row> full(forms.size());
  {
    std::vector<std::size_t> nonzeros(forms.size(), 0), column_use(width, 0);
    for (std::size_t f = 0; f < forms.size(); ++f) {
      full[f].assign(width, Int(0));
      for (std::size_t k = 0; k < forms[f]->size(); ++k) {
        if (!FromInput((*forms[f])[k], full[f][k])) return std::nullopt;
        nonzeros[f] += (*forms[f])[k] != 0;
        column_use[k] += (*forms[f])[k] != 0;
      }
    }
    std::vector<std::size_t> sparse_first(forms.size());
    std::iota(sparse_first.begin(), sparse_first.end(), 0);
    std::stable_sort(sparse_first.begin(), sparse_first.end(),
                     [&](std::size_t a, std::size_t b) { return nonzeros[a] < nonzeros[b]; });
    Echelon<Int> all(std::move(column_use));
    for (std::size_t f : sparse_first) {
      if (!all.Insert(full[f], static_cast<int>(f))) return std::nullopt;
    }
    const std::vector<std::size_t> columns = all.Pivots();
    for (auto& row : full) {
      typename Echelon<Int>::Row narrow;
      narrow.reserve(columns.size());
      for (std::size_t column : columns) narrow.push_back(std::move(row[column]));
      row = std::move(narrow);
    }
  }

  SuppressionResult result;
  result.suppressed.assign(group_count, false);
  result.from_totals.assign(group_count, false);

  // 2. The attacker's knowledge in arrival order: the known forms, then the
  // shown groups largest first. A group's forms are consecutive.
  std::vector<int> order;  // form indices
  for (std::size_t f = 0; f < forms.size(); ++f) {
    if (owner[f] == kKnown) order.push_back(static_cast<int>(f));
  }
  for (std::size_t g = group_count; g-- > 0;) {
    if (problem.groups[g].too_small) continue;
    for (std::size_t f = 0; f < forms.size(); ++f) {
      if (owner[f] == static_cast<int>(g)) order.push_back(static_cast<int>(f));
    }
  }
  Echelon<Int> basis;
  std::vector<std::size_t> rows_before;  // basis size before order[i] was inserted
  auto insert_from = [&](std::size_t position) {
    rows_before.resize(position);
    for (std::size_t i = position; i < order.size(); ++i) {
      rows_before.push_back(basis.size());
      const auto f = static_cast<std::size_t>(order[i]);
      if (!basis.Insert(full[f], order[i])) return false;
    }
    return true;
  };
  if (!insert_from(0)) return std::nullopt;

  // 3. Hidden forms not yet shown to be safe. A safe form stays safe: the
  // shown set only shrinks.
  std::vector<int> pending;
  for (std::size_t f = 0; f < forms.size(); ++f) {
    if (owner[f] != kKnown && problem.groups[static_cast<std::size_t>(owner[f])].too_small) {
      pending.push_back(static_cast<int>(f));
      result.suppressed[static_cast<std::size_t>(owner[f])] = true;
    }
  }

  while (true) {
    int to_hide = -1;  // smallest index wins: groups are ordered smallest first
    std::vector<int> still_derivable;
    for (int f : pending) {
      auto row = full[static_cast<std::size_t>(f)];
      int last_used = -1;
      if (!basis.Reduce(row, last_used)) return std::nullopt;
      const bool derivable =
          std::all_of(row.begin(), row.end(), [](const Int& v) { return v == 0; });
      if (!derivable) continue;  // safe for good
      const int needed =
          last_used < 0 ? kKnown : owner[static_cast<std::size_t>(basis.tag(last_used))];
      if (needed == kKnown) {
        result.from_totals[static_cast<std::size_t>(owner[static_cast<std::size_t>(f)])] = true;
        continue;
      }
      still_derivable.push_back(f);
      if (to_hide < 0 || needed < to_hide) to_hide = needed;
    }
    pending = std::move(still_derivable);
    if (to_hide < 0) break;

    // Hide it: take its forms out of the arrival order and rebuild the basis
    // from where they were.
    result.suppressed[static_cast<std::size_t>(to_hide)] = true;
    const auto first = std::find_if(order.begin(), order.end(), [&](int f) {
      return owner[static_cast<std::size_t>(f)] == to_hide;
    });
    const auto position = static_cast<std::size_t>(first - order.begin());
    auto last = first;
    while (last != order.end() && owner[static_cast<std::size_t>(*last)] == to_hide) {
      pending.push_back(*last);
      ++last;
    }
    order.erase(first, last);
    basis.Truncate(rows_before[position]);
    if (!insert_from(position)) return std::nullopt;
  }
  return result;
}

}  // namespace

SuppressionResult SuppressComplements(const SuppressionProblem& problem,
                                      SuppressionArithmetic arithmetic) {
  if (arithmetic == SuppressionArithmetic::kInt64ThenUnbounded) {
    if (auto result = Solve<std::int64_t>(problem)) return *std::move(result);
  }
  SuppressionResult result = *Solve<BigInt>(problem);
  result.used_unbounded_integers = true;
  return result;
}

}  // namespace cairn
