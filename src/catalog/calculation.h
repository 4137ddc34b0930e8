// How a student's evidence on one CPE becomes one status. The district picks a
// default; a badge or a single CPE may override it. Interpreted by
// mastery/method.h; this header only describes the choice.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cairn {

enum class Method {
  kMostRecent,         // the latest score
  kModeOfRecent,       // most frequent of the latest n scores
  kMeanOfRecent,       // mean of the latest n scores
  kHighest,            // best score ever
  kMean,               // mean of all scores
  kDecayingAverage,    // latest*w + mean(earlier)*(1-w)
  kDecayingRecursive,  // d = d*(1-w) + s*w, starting at the first score
  kPowerLaw,           // least-squares fit s = a*k^b over attempts k, value at the latest
  kNTimesAtMastery,    // at least n scores at mastery, then the mean of those
};

struct CalculationSpec {
  Method method = Method::kMostRecent;
  int n = 3;                       // kModeOfRecent, kMeanOfRecent, kNTimesAtMastery
  double weight = 0.65;            // kDecayingAverage, kDecayingRecursive; in (0, 1]
  bool include_formative = false;  // formative checks inform teaching, not the status
  bool operator==(const CalculationSpec&) const = default;
};

// "most_recent", "mode_of_recent", "mean_of_recent", "highest", "mean",
// "decaying_average", "decaying_recursive", "power_law", "n_times_at_mastery".
std::string_view MethodName(Method method);
std::optional<Method> ParseMethod(std::string_view name);
// One sentence for explanations: "mean of the 3 most recent scores".
std::string DescribeCalculation(const CalculationSpec& spec);

}  // namespace cairn
