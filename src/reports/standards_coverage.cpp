#include "reports/standards_coverage.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "reports/csv.h"

namespace cairn {
namespace {

using nlohmann::json;

// Per framework: which standards its links cover, and through what.
void Cover(const Catalog& catalog, const CoverageFrameworkInput& input,
           const std::unordered_map<std::string, std::vector<std::string>>& cpes_of_item,
           FrameworkCoverage& out, std::map<std::string, std::map<std::string, int>>& by_badge) {
  std::unordered_map<std::string, std::vector<std::string>> parents;
  std::unordered_set<std::string> has_children;
  for (const CaseAssociationRecord& a : input.associations) {
    if (a.type != "isChildOf") continue;
    parents[a.origin_identifier].push_back(a.destination_identifier);
    has_children.insert(a.destination_identifier);
  }
  for (const CaseItemRecord& item : input.items) {
    if (has_children.count(item.identifier)) continue;  // a heading
    ++out.standards;
    // The CPEs linked to the item or to any of its ancestors.
    std::set<std::string> cpes;
    std::vector<std::string> stack{item.identifier};
    std::unordered_set<std::string> seen;
    while (!stack.empty()) {
      const std::string node = stack.back();
      stack.pop_back();
      if (!seen.insert(node).second) continue;
      if (auto linked = cpes_of_item.find(node); linked != cpes_of_item.end()) {
        cpes.insert(linked->second.begin(), linked->second.end());
      }
      if (auto up = parents.find(node); up != parents.end()) {
        stack.insert(stack.end(), up->second.begin(), up->second.end());
      }
    }
    if (cpes.empty()) {
      out.uncovered.push_back({item.identifier, item.human_coding_scheme, item.full_statement});
      continue;
    }
    ++out.covered;
    std::set<std::string> badges;
    for (const std::string& cpe : cpes) {
      if (auto ref = catalog.FindCpe(cpe)) badges.insert(catalog.badges[ref->badge].code);
    }
    for (const std::string& badge : badges) {
      ++out.badges[badge];
      ++by_badge[badge][out.identifier];
    }
  }
}

}  // namespace

StandardsCoverage ComputeCoverage(const Catalog& catalog,
                                  const std::vector<CoverageFrameworkInput>& frameworks,
                                  const std::vector<CrosswalkFact>& links) {
  StandardsCoverage out;
  std::unordered_set<std::string> current_items;
  for (const CoverageFrameworkInput& f : frameworks) {
    for (const CaseItemRecord& item : f.items) current_items.insert(item.identifier);
  }
  std::unordered_map<std::string, std::vector<std::string>> cpes_of_item;
  std::unordered_set<std::string> aligned_cpes;
  for (const CrosswalkFact& link : links) {
    if (!catalog.FindCpe(link.cpe) || !current_items.count(link.item_identifier)) {
      out.stale_links.push_back(link);
      continue;
    }
    cpes_of_item[link.item_identifier].push_back(link.cpe);
    aligned_cpes.insert(link.cpe);
  }

  std::map<std::string, std::map<std::string, int>> by_badge;  // badge -> framework -> n
  for (const CoverageFrameworkInput& input : frameworks) {
    FrameworkCoverage f;
    f.id = input.framework.id;
    f.identifier = input.framework.document_identifier;
    f.title = input.framework.title;
    f.version = input.framework.version;
    Cover(catalog, input, cpes_of_item, f, by_badge);
    out.frameworks.push_back(std::move(f));
  }
  std::stable_sort(
      out.frameworks.begin(), out.frameworks.end(),
      [](const FrameworkCoverage& a, const FrameworkCoverage& b) { return a.title < b.title; });

  for (const Badge& badge : catalog.badges) {
    BadgeCoverage b;
    b.code = badge.code;
    b.title = badge.title;
    b.cpes = static_cast<int>(badge.cpes.size());
    for (const Cpe& cpe : badge.cpes) {
      if (aligned_cpes.count(cpe.id)) {
        ++b.aligned_cpes;
      } else {
        b.unaligned.push_back({cpe.id, cpe.label, cpe.statement});
      }
    }
    if (auto it = by_badge.find(badge.code); it != by_badge.end()) b.frameworks = it->second;
    out.badges.push_back(std::move(b));
  }
  return out;
}

Result<StandardsCoverage> LoadCoverage(StandardsStore& store, const Catalog& catalog) {
  CAIRN_ASSIGN_OR_RETURN(auto all, store.CaseFrameworks());
  std::vector<CoverageFrameworkInput> inputs;
  for (CaseFrameworkRecord& f : all) {
    if (!f.current) continue;
    CoverageFrameworkInput input;
    CAIRN_ASSIGN_OR_RETURN(input.items, store.CaseItems(f.id));
    CAIRN_ASSIGN_OR_RETURN(input.associations, store.CaseAssociations(f.id));
    input.framework = std::move(f);
    inputs.push_back(std::move(input));
  }
  CAIRN_ASSIGN_OR_RETURN(auto links, store.CurrentCrosswalk(std::nullopt));
  return ComputeCoverage(catalog, inputs, links);
}

json CoverageJson(const StandardsCoverage& coverage) {
  json frameworks = json::array();
  for (const FrameworkCoverage& f : coverage.frameworks) {
    json uncovered = json::array();
    for (const CoverageStandard& s : f.uncovered) {
      uncovered.push_back(
          {{"identifier", s.identifier}, {"human_code", s.human_code}, {"statement", s.statement}});
    }
    frameworks.push_back({{"id", f.id},
                          {"identifier", f.identifier},
                          {"title", f.title},
                          {"version", f.version},
                          {"standards", f.standards},
                          {"covered", f.covered},
                          {"uncovered", std::move(uncovered)},
                          {"badges", f.badges}});
  }
  json badges = json::array();
  for (const BadgeCoverage& b : coverage.badges) {
    json unaligned = json::array();
    for (const CoverageCpe& c : b.unaligned) {
      unaligned.push_back({{"id", c.id}, {"label", c.label}, {"statement", c.statement}});
    }
    badges.push_back({{"code", b.code},
                      {"title", b.title},
                      {"cpes", b.cpes},
                      {"aligned_cpes", b.aligned_cpes},
                      {"unaligned", std::move(unaligned)},
                      {"frameworks", b.frameworks}});
  }
  json stale = json::array();
  for (const CrosswalkFact& link : coverage.stale_links) {
    stale.push_back({{"cpe", link.cpe}, {"item", link.item_identifier}});
  }
  return {{"frameworks", std::move(frameworks)},
          {"badges", std::move(badges)},
          {"stale_links", std::move(stale)}};
}

std::string CoverageCsv(const StandardsCoverage& coverage) {
  std::ostringstream out;
  WriteCsvRow(out, {"gap", "badge", "cpe", "cpe statement", "framework", "item identifier",
                    "human code", "statement"});
  for (const FrameworkCoverage& f : coverage.frameworks) {
    for (const CoverageStandard& s : f.uncovered) {
      WriteCsvRow(out, {"standard not covered", "", "", "", f.title, s.identifier, s.human_code,
                        s.statement});
    }
  }
  for (const BadgeCoverage& b : coverage.badges) {
    for (const CoverageCpe& c : b.unaligned) {
      WriteCsvRow(out, {"CPE without standard", b.code, c.id, c.statement, "", "", "", ""});
    }
  }
  for (const CrosswalkFact& link : coverage.stale_links) {
    WriteCsvRow(out, {"stale link", "", link.cpe, "", "", link.item_identifier, "", ""});
  }
  return out.str();
}

}  // namespace cairn
