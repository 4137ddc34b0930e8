// What a team said in one round of an instrument (issue #15): per item the
// number of answers, the median, the spread, the distribution over the
// scale's points and how much the team disagrees; items ranked by
// disagreement; per domain (section) an aggregate; and the movement per
// domain between two rounds of the same instrument.
//
// Contract:
// - Pure and deterministic: plain values in, plain values out, no I/O, no
//   clock, no globals. The same answers give the same results whatever order
//   the respondents come in (free texts are sorted, never kept in the order
//   people answered).
// - Only scale and rubric items are counted; an answer whose value is not a
//   point of the item's scale, or that names an unknown item, is ignored
//   here (the response was validated when written: round_documents.h).
// - Median: the middle answer, or the mean of the two middle answers.
//   Quartiles: linear interpolation between order statistics (Hyndman & Fan
//   type 7, R's default); spread = interquartile range (q3 - q1); the range
//   (lowest, highest) is given too.
// - Disagreement: Leik's ordinal dispersion, in [0, 1]: 0 when everyone
//   chose the same point, 1 when the answers are split evenly between the
//   two ends of the scale. It suits an ordinal scale (no distances between
//   "Disagree" and "Neutral" are assumed) and compares across items.
// - Anonymous rounds: an item with fewer than kMinAnonymousResponses answers
//   is suppressed (no numbers, no texts, `suppressed` says so); a domain's
//   aggregate is computed from its unsuppressed items only, so subtracting
//   the domain from its other items cannot reveal a suppressed one. Named
//   rounds show every item with at least one answer.
// - Domain aggregate: every answer to the domain's counted items pooled
//   (mean, median, distribution over the scale's points when the domain's
//   items share one scale) and the mean disagreement of its items.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "toolkit/instrument.h"

namespace cairn {

inline constexpr int kMinAnonymousResponses = 3;

// One respondent's current answers.
struct RespondentAnswers {
  std::map<std::string, int> values;         // item id -> scale point value
  std::map<std::string, std::string> texts;  // item id -> free text (non-empty)
};

struct PointCount {
  int value = 0;
  std::string label;
  int count = 0;
  bool operator==(const PointCount&) const = default;
};

struct ItemResult {
  std::string item_id;
  std::string section_id;
  std::string prompt;
  bool scaled = false;      // a scale or rubric item (else free text)
  int n = 0;                // answers given (shown even when suppressed)
  bool suppressed = false;  // anonymous and fewer than kMinAnonymousResponses answers
  // Scale items with answers, not suppressed:
  std::optional<double> median;
  std::optional<double> q1, q3;
  std::optional<double> iqr;
  std::optional<int> lowest, highest;
  std::optional<double> mean;
  std::vector<PointCount> distribution;  // every point of the scale, in order
  std::optional<double> disagreement;    // Leik's D
  // Text items, not suppressed: the answers, sorted.
  std::vector<std::string> texts;
};

struct DomainResult {
  std::string section_id;
  std::string title;
  int items = 0;          // scale items in the domain
  int items_counted = 0;  // of them, with answers and not suppressed
  int respondents = 0;    // answered at least one counted item of the domain
  int answers = 0;        // pooled answers
  std::optional<double> mean;
  std::optional<double> median;
  std::optional<double> disagreement;       // mean of the items' disagreement
  std::optional<int> scale_min, scale_max;  // the domain's scale ends (when shared)
  std::vector<PointCount> distribution;     // pooled, when the items share a scale
};

struct RoundResults {
  std::string instrument_id;
  bool anonymous = true;
  int respondents = 0;
  std::vector<ItemResult> items;      // instrument order
  std::vector<DomainResult> domains;  // instrument order (sections with scale items)
  // Indexes into `items`: counted scale items, most disagreement first
  // (ties: larger spread, then instrument order).
  std::vector<std::size_t> by_disagreement;
};

RoundResults ComputeRoundResults(const Instrument& instrument,
                                 const std::vector<RespondentAnswers>& respondents, bool anonymous);

// How a domain moved from an earlier round to a later one of the same
// instrument. `change` is later mean - earlier mean, present only when both
// rounds have a mean for the domain.
struct DomainMovement {
  std::string section_id;
  std::string title;
  std::optional<double> before;
  std::optional<double> after;
  std::optional<double> change;
  std::optional<double> disagreement_before;
  std::optional<double> disagreement_after;
};

// One row per domain of `later`, in its order.
std::vector<DomainMovement> CompareRounds(const RoundResults& earlier, const RoundResults& later);

// Leik's ordinal dispersion of counts over k ordered points (k >= 2); 0 for
// no answers.
double LeikDispersion(const std::vector<int>& counts);

// Type-7 quantile of sorted values, p in [0, 1]; values non-empty.
double Quantile(const std::vector<int>& sorted, double p);

}  // namespace cairn
