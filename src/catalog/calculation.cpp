#include "catalog/calculation.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace cairn {
namespace {

struct MethodEntry {
  Method method;
  std::string_view name;
};
// The names are stored in catalogs and sent over the API, so they never change.
constexpr std::array<MethodEntry, 9> kMethods{{
    {Method::kMostRecent, "most_recent"},
    {Method::kModeOfRecent, "mode_of_recent"},
    {Method::kMeanOfRecent, "mean_of_recent"},
    {Method::kHighest, "highest"},
    {Method::kMean, "mean"},
    {Method::kDecayingAverage, "decaying_average"},
    {Method::kDecayingRecursive, "decaying_recursive"},
    {Method::kPowerLaw, "power_law"},
    {Method::kNTimesAtMastery, "n_times_at_mastery"},
}};

// Up to three decimals, trailing zeros dropped: 0.65 -> "0.65", 1 -> "1".
std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// ApplyMethod treats n < 1 as 1; describe what is actually computed.
int EffectiveN(const CalculationSpec& spec) { return std::max(spec.n, 1); }

// ApplyMethod clamps the weight into [0, 1]; describe the same numbers.
double EffectiveWeight(const CalculationSpec& spec) { return std::clamp(spec.weight, 0.0, 1.0); }

// "the 3 most recent scores", or "the most recent score" when n is 1.
std::string RecentScores(int n) {
  if (n == 1) return "the most recent score";
  return "the " + std::to_string(n) + " most recent scores";
}

std::string ScoresAtMastery(int n) {
  return std::to_string(n) + (n == 1 ? " score" : " scores") + " at mastery";
}

std::string DescribeMethod(const CalculationSpec& spec) {
  switch (spec.method) {
    case Method::kMostRecent:
      return "most recent score";
    case Method::kModeOfRecent:
      return "most frequent of " + RecentScores(EffectiveN(spec)) + " (ties go to the latest)";
    case Method::kMeanOfRecent:
      return "mean of " + RecentScores(EffectiveN(spec));
    case Method::kHighest:
      return "highest score";
    case Method::kMean:
      return "mean of all scores";
    case Method::kDecayingAverage: {
      const double w = EffectiveWeight(spec);
      return "decaying average (latest × " + FormatNumber(w) + " + mean of earlier × " +
             FormatNumber(1.0 - w) + ")";
    }
    case Method::kDecayingRecursive: {
      const double w = EffectiveWeight(spec);
      return "running decaying average (each new score × " + FormatNumber(w) +
             " + previous average × " + FormatNumber(1.0 - w) + ")";
    }
    case Method::kPowerLaw:
      return "power-law trend of all scores, read at the latest attempt";
    case Method::kNTimesAtMastery:
      return "at least " + ScoresAtMastery(EffectiveN(spec)) + ", then their mean";
  }
  return "unknown calculation";
}

}  // namespace

std::string_view MethodName(Method method) {
  for (const MethodEntry& entry : kMethods) {
    if (entry.method == method) return entry.name;
  }
  return "unknown";
}

std::optional<Method> ParseMethod(std::string_view name) {
  for (const MethodEntry& entry : kMethods) {
    if (entry.name == name) return entry.method;
  }
  return std::nullopt;
}

std::string DescribeCalculation(const CalculationSpec& spec) {
  std::string text = DescribeMethod(spec);
  if (spec.include_formative) text += ", formative checks included";
  return text;
}

}  // namespace cairn
