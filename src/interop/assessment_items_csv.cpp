#include "interop/assessment_items_csv.h"

#include <map>

#include "service/alignment_input.h"

namespace cairn::assessment_items {
namespace {

using oneroster::CsvRecord;
using oneroster::CsvTable;

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of(";,", start);
    if (end == std::string_view::npos) end = text.size();
    if (std::string part = Trim(text.substr(start, end - start)); !part.empty()) {
      out.push_back(std::move(part));
    }
    start = end + 1;
  }
  return out;
}

// The first of `names` the header has (the spreadsheet's own words or ours).
std::string ColumnOf(const CsvTable& table, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (auto index = table.Column(name)) return table.header()[*index];
  }
  return "";
}

}  // namespace

Result<ImportReport> ImportAssessmentItemsCsv(AlignmentStore& store, const Catalog& catalog,
                                              std::string_view text, const std::string& file,
                                              const std::string& badge,
                                              const ImportOptions& options) {
  ImportReport report;
  report.file = file;
  report.badge = badge;
  if (text.size() > kMaxCsvBytes) {
    return Status::TooLarge(file + ": more than the " + std::to_string(kMaxCsvBytes >> 20) +
                            " MB an item file may have");
  }
  if (!catalog.FindBadge(badge)) {
    return Status::AtField(StatusCode::kNotFound, "badge",
                           "no badge '" + badge + "' in the catalog");
  }
  CsvTable table = CsvTable::Parse(text, file, report.problems);
  report.rows = static_cast<int>(table.records().size());
  auto problem = [&](int line, const std::string& column, std::string reason) {
    auto index = column.empty() ? std::nullopt : table.Column(column);
    report.problems.push_back(
        {file, line, column, index ? static_cast<int>(*index) + 1 : 0, std::move(reason)});
  };
  if (table.header().empty()) {
    if (report.ok()) problem(0, "", "the file is empty (no header line)");
    return report;
  }
  const std::string key_col = ColumnOf(table, {"item id", "item_id", "item", "item key"});
  const std::string title_col = ColumnOf(table, {"file", "filename", "file name", "title"});
  const std::string target_col = ColumnOf(table, {"target", "cluster", "target/cluster"});
  const std::string standards_col =
      ColumnOf(table, {"standards", "standard(s)", "relevant standard(s) / cluster(s)"});
  const std::string cpe_col = ColumnOf(table, {"cpe"});
  const std::string indicator_col = ColumnOf(table, {"indicator"});
  const std::string badge_col = ColumnOf(table, {"badge"});
  if (key_col.empty()) problem(1, "", "no 'item id' column");
  if (cpe_col.empty()) problem(1, "", "no 'cpe' column");
  if (!report.ok()) return report;

  // Keys already taken by the badge's current items, so a clash names its line.
  CAIRN_ASSIGN_OR_RETURN(std::vector<AssessmentItem> current, store.AssessmentItems(badge));
  std::map<std::string, int> seen;  // key -> line (0: stored)
  for (const AssessmentItem& item : current) {
    if (item.district_id == options.district) seen[item.item_key] = 0;
  }
  auto cell = [&](const CsvRecord& record, const std::string& column) {
    return column.empty() ? std::string() : Trim(table.Field(record, column));
  };
  std::vector<AssessmentItem> items;
  for (const CsvRecord& record : table.records()) {
    ItemInput input;
    input.badge_code = badge;
    input.item_key = cell(record, key_col);
    input.title = cell(record, title_col);
    input.target = cell(record, target_col);
    input.standards = SplitList(cell(record, standards_col));
    input.cpe_id = cell(record, cpe_col);
    input.indicator_id = cell(record, indicator_col);
    if (const std::string named = cell(record, badge_col); !named.empty() && named != badge) {
      problem(record.line, badge_col,
              "'" + named + "' is not the badge imported for (" + badge + ")");
      continue;
    }
    std::vector<FieldError> errors;
    std::optional<AssessmentItem> item = CheckItemInto(catalog, input, "", errors);
    // Field names of the check, as the file's columns.
    const std::map<std::string, std::string> columns = {
        {"item_key", key_col},        {"title", title_col}, {"target", target_col},
        {"standards", standards_col}, {"cpe", cpe_col},     {"indicator", indicator_col}};
    for (const FieldError& e : errors) {
      const std::string base = e.field.substr(0, e.field.find('['));
      auto it = columns.find(base);
      problem(record.line, it != columns.end() ? it->second : e.field, e.message);
    }
    if (!item) continue;
    if (auto it = seen.find(item->item_key); it != seen.end()) {
      problem(record.line, key_col,
              "'" + item->item_key + "' " +
                  (it->second == 0 ? std::string("is already an item of ") + badge
                                   : "is also on line " + std::to_string(it->second)));
      continue;
    }
    seen[item->item_key] = record.line;
    item->district_id = options.district;
    item->added_by = options.added_by;
    item->added_at = options.now;
    items.push_back(std::move(*item));
  }
  if (!report.ok() || options.dry_run || items.empty()) return report;
  CAIRN_ASSIGN_OR_RETURN(report.added, store.InsertAssessmentItems(items));
  return report;
}

}  // namespace cairn::assessment_items
