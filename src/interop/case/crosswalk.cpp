#include "interop/case/crosswalk.h"

#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "reports/csv.h"

namespace cairn::standards {
namespace {

using nlohmann::json;
using oneroster::CsvRecord;
using oneroster::CsvTable;
using oneroster::ImportProblem;

constexpr const char* kColumns[] = {"badge",           "cpe",        "framework",
                                    "item identifier", "human code", "statement"};

using Pair = std::pair<std::string, std::string>;  // (cpe, item identifier)

// What export added to a formula-looking cell (reports/csv.h) comes off.
std::string Cell(std::string_view raw) {
  std::string value(raw);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  std::size_t start = 0;
  while (start < value.size() && value[start] == ' ') ++start;
  value.erase(0, start);
  if (value.size() >= 2 && value[0] == '\'' &&
      std::string_view("=+-@\t\r").find(value[1]) != std::string_view::npos) {
    value.erase(0, 1);
  }
  return value;
}

std::vector<CrosswalkFact> Facts(const std::vector<Pair>& pairs, bool linked,
                                 const CrosswalkAuthor& author) {
  std::vector<CrosswalkFact> out;
  for (const auto& [cpe, item] : pairs) {
    CrosswalkFact f;
    f.cpe = cpe;
    f.item_identifier = item;
    f.linked = linked;
    f.actor = author.actor;
    f.at = author.at;
    f.source = author.source;
    out.push_back(std::move(f));
  }
  return out;
}

// Current items of every current framework by (framework identifier or
// title, human code), loaded the first time a row needs one.
class CodeIndex {
 public:
  explicit CodeIndex(StandardsStore& store) : store_(store) {}

  Status Load() {
    if (loaded_) return Status::Ok();
    loaded_ = true;
    CAIRN_ASSIGN_OR_RETURN(auto frameworks, store_.CaseFrameworks());
    for (const CaseFrameworkRecord& f : frameworks) {
      if (!f.current) continue;
      CAIRN_ASSIGN_OR_RETURN(auto items, store_.CaseItems(f.id));
      for (const CaseItemRecord& item : items) {
        if (item.human_coding_scheme.empty()) continue;
        by_code_[{f.document_identifier, item.human_coding_scheme}].push_back(item.identifier);
        if (f.title != f.document_identifier) {
          by_code_[{f.title, item.human_coding_scheme}].push_back(item.identifier);
        }
      }
    }
    return Status::Ok();
  }
  const std::vector<std::string>* Find(const std::string& framework, const std::string& code) {
    auto it = by_code_.find({framework, code});
    return it == by_code_.end() ? nullptr : &it->second;
  }

 private:
  StandardsStore& store_;
  bool loaded_ = false;
  std::map<Pair, std::vector<std::string>> by_code_;
};

}  // namespace

Result<std::vector<AlignedItem>> CurrentAlignments(StandardsStore& store,
                                                   std::optional<std::string> cpe) {
  CAIRN_ASSIGN_OR_RETURN(auto links, store.CurrentCrosswalk(std::move(cpe)));
  std::vector<AlignedItem> out;
  out.reserve(links.size());
  for (CrosswalkFact& link : links) {
    CAIRN_ASSIGN_OR_RETURN(auto item, store.FindCurrentCaseItem(link.item_identifier));
    out.push_back({std::move(link), std::move(item)});
  }
  return out;
}

Result<CrosswalkChangeCounts> SetCpeAlignments(StandardsStore& store, const Catalog& catalog,
                                               const std::string& cpe,
                                               const std::vector<std::string>& items,
                                               const CrosswalkAuthor& author) {
  if (!catalog.FindCpe(cpe)) {
    return Status::AtField(StatusCode::kNotFound, "cpe", "no CPE '" + cpe + "' in the catalog");
  }
  CrosswalkChangeCounts counts;
  Status status = store.Transact([&]() -> Status {
    std::vector<FieldError> problems;
    std::set<std::string> wanted;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string field = "items[" + std::to_string(i) + "]";
      if (!wanted.insert(items[i]).second) {
        problems.push_back({field, "'" + items[i] + "' is listed twice"});
        continue;
      }
      CAIRN_ASSIGN_OR_RETURN(auto item, store.FindCurrentCaseItem(items[i]));
      if (!item) problems.push_back({field, "no CFItem '" + items[i] + "' in a current framework"});
    }
    if (!problems.empty()) return Status::InvalidFields(std::move(problems));
    CAIRN_ASSIGN_OR_RETURN(auto current, store.CurrentCrosswalk(cpe));
    std::set<std::string> linked;
    for (const CrosswalkFact& f : current) linked.insert(f.item_identifier);
    std::vector<Pair> to_link, to_unlink;
    for (const std::string& item : items) {
      if (linked.count(item)) {
        ++counts.unchanged;
      } else {
        to_link.emplace_back(cpe, item);
      }
    }
    for (const std::string& item : linked) {
      if (!wanted.count(item)) to_unlink.emplace_back(cpe, item);
    }
    counts.linked = static_cast<int>(to_link.size());
    counts.unlinked = static_cast<int>(to_unlink.size());
    std::vector<CrosswalkFact> facts = Facts(to_unlink, false, author);
    std::vector<CrosswalkFact> links = Facts(to_link, true, author);
    facts.insert(facts.end(), links.begin(), links.end());
    if (facts.empty()) return Status::Ok();
    return store.AppendCrosswalkFacts(facts);
  });
  if (!status.ok()) return status;
  return counts;
}

Result<std::string> ExportCrosswalkCsv(StandardsStore& store, const Catalog& catalog) {
  CAIRN_ASSIGN_OR_RETURN(auto aligned, CurrentAlignments(store, std::nullopt));
  // Catalog order: badge, then CPE; each CPE's links in the order made.
  std::map<std::uint32_t, std::vector<const AlignedItem*>> by_dense;
  std::vector<const AlignedItem*> unknown;
  for (const AlignedItem& a : aligned) {
    if (auto ref = catalog.FindCpe(a.link.cpe)) {
      by_dense[ref->dense].push_back(&a);
    } else {
      unknown.push_back(&a);
    }
  }
  std::ostringstream out;
  WriteCsvRow(out, std::vector<std::string>(std::begin(kColumns), std::end(kColumns)));
  auto write = [&](const std::string& badge, const AlignedItem& a) {
    WriteCsvRow(out, {badge, a.link.cpe, a.item ? a.item->framework_title : "",
                      a.link.item_identifier, a.item ? a.item->item.human_coding_scheme : "",
                      a.item ? a.item->item.full_statement : ""});
  };
  for (const auto& [dense, links] : by_dense) {
    const std::string& badge = catalog.badges[catalog.DenseCpe(dense).badge].code;
    for (const AlignedItem* a : links) write(badge, *a);
  }
  for (const AlignedItem* a : unknown) write("", *a);
  return out.str();
}

Result<CrosswalkImportReport> ImportCrosswalkCsv(StandardsStore& store, const Catalog& catalog,
                                                 std::string_view text, const std::string& file,
                                                 const CrosswalkImportOptions& options) {
  if (text.size() > kMaxCrosswalkCsvBytes) {
    return Status::TooLarge(file + ": more than the " +
                            std::to_string(kMaxCrosswalkCsvBytes >> 20) +
                            " MB a crosswalk file may have");
  }
  CrosswalkImportReport report;
  report.file = file;
  report.dry_run = options.dry_run;
  report.replace = options.replace;
  CsvTable table = CsvTable::Parse(text, file, report.problems);
  report.rows = static_cast<int>(table.records().size());
  auto column_number = [&](std::string_view name) {
    auto index = table.Column(name);
    return index ? static_cast<int>(*index) + 1 : 0;
  };
  auto problem = [&](int line, std::string_view column, std::string reason) {
    report.problems.push_back(
        {file, line, std::string(column), column_number(column), std::move(reason)});
  };
  if (table.header().empty()) {
    // Above all with `replace`: an empty file must not unlink everything.
    if (report.ok()) problem(0, "", "the file is empty (no header line)");
    return report;
  }
  {
    const std::size_t before = report.problems.size();
    if (!table.Column("cpe")) problem(1, "", "no 'cpe' column");
    if (!table.Column("item identifier") &&
        !(table.Column("framework") && table.Column("human code"))) {
      problem(1, "", "no 'item identifier' column (nor 'framework' and 'human code')");
    }
    if (report.problems.size() != before) return report;  // no row can be read
  }

  auto plan_and_apply = [&]() -> Status {
    CodeIndex codes(store);
    std::map<Pair, int> seen;  // pair -> line
    std::vector<Pair> wanted;
    for (const CsvRecord& record : table.records()) {
      const std::string cpe = Cell(table.Field(record, "cpe"));
      const std::string badge = Cell(table.Field(record, "badge"));
      const std::string framework = Cell(table.Field(record, "framework"));
      std::string identifier = Cell(table.Field(record, "item identifier"));
      const std::string code = Cell(table.Field(record, "human code"));
      bool row_ok = true;
      if (cpe.empty()) {
        problem(record.line, "cpe", "missing");
        row_ok = false;
      } else if (auto ref = catalog.FindCpe(cpe); !ref) {
        problem(record.line, "cpe", "no CPE '" + cpe + "' in the catalog");
        row_ok = false;
      } else if (!badge.empty() && catalog.badges[ref->badge].code != badge) {
        problem(record.line, "badge",
                "'" + badge + "' is not the badge of " + cpe + " (" +
                    catalog.badges[ref->badge].code + ")");
        row_ok = false;
      }
      if (identifier.empty()) {
        if (framework.empty() || code.empty()) {
          problem(record.line, "item identifier",
                  "missing (or give both 'framework' and 'human code')");
          continue;
        }
        CAIRN_RETURN_IF_ERROR(codes.Load());
        const std::vector<std::string>* matches = codes.Find(framework, code);
        if (!matches) {
          problem(record.line, "human code",
                  "no item '" + code + "' in a current framework '" + framework + "'");
          continue;
        }
        if (matches->size() > 1) {
          problem(record.line, "human code",
                  std::to_string(matches->size()) + " items of '" + framework + "' have code '" +
                      code + "'; give the item identifier");
          continue;
        }
        identifier = matches->front();
      } else {
        CAIRN_ASSIGN_OR_RETURN(auto item, store.FindCurrentCaseItem(identifier));
        if (!item) {
          problem(record.line, "item identifier",
                  "no CFItem '" + identifier + "' in a current framework");
          continue;
        }
        if (!framework.empty() && framework != item->framework_identifier &&
            framework != item->framework_title) {
          problem(record.line, "framework",
                  "the item is in '" + item->framework_title + "', not '" + framework + "'");
          continue;
        }
      }
      if (!row_ok) continue;
      auto [it, inserted] = seen.emplace(Pair{cpe, identifier}, record.line);
      if (!inserted) {
        problem(record.line, "", "repeats line " + std::to_string(it->second));
        continue;
      }
      wanted.push_back(it->first);
    }
    if (!report.ok()) return Status::Ok();
    CAIRN_ASSIGN_OR_RETURN(auto current, store.CurrentCrosswalk(std::nullopt));
    std::set<Pair> linked;
    for (const CrosswalkFact& f : current) linked.insert({f.cpe, f.item_identifier});
    std::vector<Pair> to_link, to_unlink;
    for (const Pair& pair : wanted) {
      if (linked.count(pair)) {
        ++report.changes.unchanged;
      } else {
        to_link.push_back(pair);
      }
    }
    if (options.replace) {
      for (const Pair& pair : linked) {
        if (!seen.count(pair)) to_unlink.push_back(pair);
      }
    }
    report.changes.linked = static_cast<int>(to_link.size());
    report.changes.unlinked = static_cast<int>(to_unlink.size());
    if (options.dry_run || (to_link.empty() && to_unlink.empty())) return Status::Ok();
    std::vector<CrosswalkFact> facts = Facts(to_unlink, false, options.author);
    std::vector<CrosswalkFact> links = Facts(to_link, true, options.author);
    facts.insert(facts.end(), links.begin(), links.end());
    CAIRN_RETURN_IF_ERROR(store.AppendCrosswalkFacts(facts));
    report.applied = true;
    return Status::Ok();
  };
  Status status = options.dry_run ? plan_and_apply() : store.Transact(plan_and_apply);
  if (!status.ok()) return status;
  return report;
}

json CrosswalkReportJson(const CrosswalkImportReport& report) {
  json problems = json::array();
  for (const ImportProblem& p : report.problems) {
    problems.push_back({{"file", p.file},
                        {"line", p.line},
                        {"column", p.column},
                        {"column_number", p.column_number},
                        {"reason", p.reason}});
  }
  return {{"file", report.file},
          {"ok", report.ok()},
          {"dry_run", report.dry_run},
          {"replace", report.replace},
          {"applied", report.applied},
          {"rows", report.rows},
          {"changes",
           {{"linked", report.changes.linked},
            {"unlinked", report.changes.unlinked},
            {"unchanged", report.changes.unchanged}}},
          {"problems", std::move(problems)}};
}

}  // namespace cairn::standards
