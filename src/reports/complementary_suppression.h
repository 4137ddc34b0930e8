// Complementary suppression: which groups to hide, beyond the ones too small
// to show, so that no hidden group's figures can be worked out by adding and
// subtracting the figures that are shown.
//
// The model (the usual one of statistical disclosure control): every figure a
// group publishes is a linear form over unknown counts, for example "badges
// completed in school S" is the sum of the completions in each (school,
// course, badge) cell of S. Someone reading every report knows the value of
// every shown group's forms and of the `known` forms (the grand totals). A
// hidden form x can be derived exactly when x lies in the linear span, over
// the rationals, of those forms. SuppressComplements hides groups until no
// form of a hidden group lies in that span.
//
// Only exact linear derivation is modelled. Bounds that follow from counts
// being non-negative (a shown zero means every cell under it is zero; a hidden
// cell is at most the smallest shown total containing it) are not.
//
// The rule, deterministic:
//   1. Groups marked `too_small` are hidden.
//   2. Picture the shown groups handed to the attacker one at a time, largest
//      first (the reverse of `groups` order), after the `known` forms. For a
//      hidden form that is derivable, the group whose arrival first makes it
//      derivable is the smallest group that derivation needs; hide it.
//      Among several derivable forms, hide the group that comes first in
//      `groups` order (the smallest).
//   3. Repeat until no hidden form is derivable. A newly hidden group's forms
//      are protected like the others.
// A hidden form that the `known` forms alone determine (a group that is
// everybody) cannot be protected by hiding other groups; it is reported in
// `from_totals` and does not drive further suppression.
//
// Cost, with R forms in all (known + every group's), U unknowns and
// r <= min(R, U) the rank of all forms together: O(R * r * U) at worst once,
// to keep only r unknown columns that carry every linear relation between
// the forms (basis rows are sparse and pivots are picked to limit fill-in,
// so it is usually far less); then each extra hidden group costs
// O(R * r^2) at worst (the forms after it in the largest-first order are
// reduced again; usually few, as small groups come last) plus O(H * r^2) to
// test the H hidden forms; at most one round per group. Memory O(R * U).
//
// Arithmetic is exact: fraction-free Gaussian elimination on integers, each
// row kept primitive (divided by the gcd of its entries). It runs on 64-bit
// integers with overflow checks; if a value ever overflows, the whole
// computation is redone with unbounded integers (Boost.Multiprecision).
// Both give the same answer.
//
// Thread safety: a pure function of its argument; no shared state.
#pragma once

#include <cstdint>
#include <vector>

namespace cairn {

// The coefficient of each unknown (dense). Forms shorter than the longest one
// are read as padded with zeros.
using LinearForm = std::vector<std::int64_t>;

struct SuppressionProblem {
  struct Group {
    std::vector<LinearForm> figures;  // what the group publishes when shown
    bool too_small = false;           // hidden whatever happens (primary suppression)
  };
  std::vector<LinearForm> known;  // assumed known to everyone: the grand totals
  // Ordered smallest first: when several groups would do, the earlier one is
  // hidden.
  std::vector<Group> groups;
};

struct SuppressionResult {
  std::vector<bool> suppressed;          // per group: too small, or hidden to protect another
  std::vector<bool> from_totals;         // per group: a form of this hidden group follows from
                                         // `known` alone (nothing shown can change that)
  bool used_unbounded_integers = false;  // 64-bit arithmetic overflowed and was redone
};

enum class SuppressionArithmetic {
  kInt64ThenUnbounded,  // the default: fast, exact, redone unbounded on overflow
  kUnbounded,           // unbounded integers from the start (for tests)
};

SuppressionResult SuppressComplements(
    const SuppressionProblem& problem,
    SuppressionArithmetic arithmetic = SuppressionArithmetic::kInt64ThenUnbounded);

}  // namespace cairn
