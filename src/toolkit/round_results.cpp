#include "toolkit/round_results.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace cairn {

namespace {

bool IsScaled(const InstrumentItem& item) {
  return item.response.kind == ResponseKind::kScale || item.response.kind == ResponseKind::kRubric;
}

std::vector<PointCount> EmptyDistribution(const ResponseScale& scale) {
  std::vector<PointCount> out;
  for (const ScalePoint& point : scale.points) out.push_back({point.value, point.label, 0});
  return out;
}

std::vector<int> Counts(const std::vector<PointCount>& distribution) {
  std::vector<int> out;
  for (const PointCount& p : distribution) out.push_back(p.count);
  return out;
}

double Mean(const std::vector<int>& values) {
  double sum = 0;
  for (int v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace

double LeikDispersion(const std::vector<int>& counts) {
  int total = 0;
  for (int c : counts) total += c;
  if (total == 0 || counts.size() < 2) return 0.0;
  double sum = 0;
  int cumulative = 0;
  for (std::size_t i = 0; i + 1 < counts.size(); ++i) {
    cumulative += counts[i];
    const double f = static_cast<double>(cumulative) / total;
    sum += f <= 0.5 ? f : 1.0 - f;
  }
  return 2.0 * sum / static_cast<double>(counts.size() - 1);
}

double Quantile(const std::vector<int>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const auto low = static_cast<std::size_t>(std::floor(h));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (h - static_cast<double>(low)) * (sorted[high] - sorted[low]);
}

RoundResults ComputeRoundResults(const Instrument& instrument,
                                 const std::vector<RespondentAnswers>& respondents,
                                 bool anonymous) {
  RoundResults out;
  out.instrument_id = instrument.id;
  out.anonymous = anonymous;
  out.respondents = static_cast<int>(respondents.size());
  const int minimum = anonymous ? kMinAnonymousResponses : 1;

  for (const InstrumentSection& section : instrument.sections) {
    DomainResult domain;
    domain.section_id = section.id;
    domain.title = section.title;
    std::vector<int> pooled;
    std::set<std::size_t> domain_respondents;
    std::vector<double> item_disagreements;
    std::optional<std::string> shared_scale;
    bool scales_differ = false;

    for (const InstrumentItem& item : section.items) {
      ItemResult result;
      result.item_id = item.id;
      result.section_id = section.id;
      result.prompt = item.prompt;
      result.scaled = IsScaled(item);
      if (!result.scaled) {
        std::vector<std::string> texts;
        for (const RespondentAnswers& r : respondents) {
          auto it = r.texts.find(item.id);
          if (it != r.texts.end() && !it->second.empty()) texts.push_back(it->second);
        }
        result.n = static_cast<int>(texts.size());
        result.suppressed = anonymous && result.n > 0 && result.n < kMinAnonymousResponses;
        if (!result.suppressed) {
          std::sort(texts.begin(), texts.end());
          result.texts = std::move(texts);
        }
        out.items.push_back(std::move(result));
        continue;
      }

      const ResponseScale* scale = instrument.FindScale(item.response.scale);
      ++domain.items;
      if (!shared_scale) {
        shared_scale = item.response.scale;
      } else if (*shared_scale != item.response.scale) {
        scales_differ = true;
      }
      std::vector<int> values;
      std::vector<std::size_t> who;
      for (std::size_t r = 0; r < respondents.size(); ++r) {
        auto it = respondents[r].values.find(item.id);
        if (it == respondents[r].values.end() || !scale || !scale->FindPoint(it->second)) continue;
        values.push_back(it->second);
        who.push_back(r);
      }
      result.n = static_cast<int>(values.size());
      result.suppressed = anonymous && result.n > 0 && result.n < kMinAnonymousResponses;
      if (scale && !result.suppressed) result.distribution = EmptyDistribution(*scale);
      if (result.n >= minimum && !result.suppressed) {
        std::sort(values.begin(), values.end());
        for (int v : values) {
          for (PointCount& p : result.distribution) {
            if (p.value == v) ++p.count;
          }
        }
        result.median = Quantile(values, 0.5);
        result.q1 = Quantile(values, 0.25);
        result.q3 = Quantile(values, 0.75);
        result.iqr = *result.q3 - *result.q1;
        result.lowest = values.front();
        result.highest = values.back();
        result.mean = Mean(values);
        result.disagreement = LeikDispersion(Counts(result.distribution));
        ++domain.items_counted;
        pooled.insert(pooled.end(), values.begin(), values.end());
        domain_respondents.insert(who.begin(), who.end());
        item_disagreements.push_back(*result.disagreement);
      }
      out.items.push_back(std::move(result));
    }
    if (domain.items == 0) continue;
    domain.respondents = static_cast<int>(domain_respondents.size());
    domain.answers = static_cast<int>(pooled.size());
    const ResponseScale* scale =
        shared_scale && !scales_differ ? instrument.FindScale(*shared_scale) : nullptr;
    if (scale) {
      domain.scale_min = scale->points.front().value;
      domain.scale_max = scale->points.back().value;
    }
    if (!pooled.empty()) {
      std::sort(pooled.begin(), pooled.end());
      domain.mean = Mean(pooled);
      domain.median = Quantile(pooled, 0.5);
      double sum = 0;
      for (double d : item_disagreements) sum += d;
      domain.disagreement = sum / static_cast<double>(item_disagreements.size());
      if (scale) {
        domain.distribution = EmptyDistribution(*scale);
        for (int v : pooled) {
          for (PointCount& p : domain.distribution) {
            if (p.value == v) ++p.count;
          }
        }
      }
    }
    out.domains.push_back(std::move(domain));
  }

  for (std::size_t i = 0; i < out.items.size(); ++i) {
    if (out.items[i].disagreement) out.by_disagreement.push_back(i);
  }
  std::stable_sort(out.by_disagreement.begin(), out.by_disagreement.end(),
                   [&](std::size_t a, std::size_t b) {
                     const ItemResult& x = out.items[a];
                     const ItemResult& y = out.items[b];
                     if (*x.disagreement != *y.disagreement) {
                       return *x.disagreement > *y.disagreement;
                     }
                     return *x.iqr > *y.iqr;
                   });
  return out;
}

std::vector<DomainMovement> CompareRounds(const RoundResults& earlier, const RoundResults& later) {
  std::vector<DomainMovement> out;
  for (const DomainResult& domain : later.domains) {
    DomainMovement movement;
    movement.section_id = domain.section_id;
    movement.title = domain.title;
    movement.after = domain.mean;
    movement.disagreement_after = domain.disagreement;
    for (const DomainResult& before : earlier.domains) {
      if (before.section_id != domain.section_id) continue;
      movement.before = before.mean;
      movement.disagreement_before = before.disagreement;
    }
    if (movement.before && movement.after) movement.change = *movement.after - *movement.before;
    out.push_back(std::move(movement));
  }
  return out;
}

}  // namespace cairn
