#include "interop/case/case_import.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "service/crypto.h"

namespace cairn::standards {
namespace {

using nlohmann::json;

// Items with no isChildOf path up to the document: kept, listed apart.
// Everything reached walking down from the document is placed.
int CountUnplaced(const CasePackage& package) {
  std::unordered_map<std::string_view, std::vector<std::string_view>> children;
  for (const CaseAssociation& a : package.associations) {
    if (a.type == "isChildOf") children[a.destination.identifier].push_back(a.origin.identifier);
  }
  std::unordered_set<std::string_view> placed{package.document.identifier};
  std::vector<std::string_view> stack{package.document.identifier};
  while (!stack.empty()) {
    const std::string_view node = stack.back();
    stack.pop_back();
    for (std::string_view child : children[node]) {
      if (placed.insert(child).second) stack.push_back(child);
    }
  }
  return static_cast<int>(
      std::count_if(package.items.begin(), package.items.end(),
                    [&](const CaseItem& i) { return !placed.count(i.identifier); }));
}

void Count(const CasePackage& package, CaseImportReport& report) {
  report.items = static_cast<int>(package.items.size());
  report.associations = static_cast<int>(package.associations.size());
  report.item_types = static_cast<int>(package.item_types.size());
  report.concepts = static_cast<int>(package.concepts.size());
  report.subjects = static_cast<int>(package.subjects.size());
  report.licenses = static_cast<int>(package.licenses.size());
  report.association_groupings = static_cast<int>(package.association_groupings.size());
  report.rubrics = static_cast<int>(package.rubrics.size());
  std::unordered_set<std::string_view> inside{package.document.identifier};
  for (const CaseItem& item : package.items) inside.insert(item.identifier);
  for (const CaseAssociation& a : package.associations) {
    if (!inside.count(a.origin.identifier) || !inside.count(a.destination.identifier)) {
      ++report.external_associations;
    }
  }
  report.unplaced_items = CountUnplaced(package);
}

CaseFrameworkRecord FrameworkRecord(const CasePackage& package, const std::string& sha,
                                    const CaseImportOptions& options) {
  CaseFrameworkRecord f;
  f.document_identifier = package.document.identifier;
  f.uri = package.document.uri;
  f.title = package.document.title;
  f.creator = package.document.creator;
  f.publisher = package.document.publisher;
  f.version = package.document.last_change;
  f.version_at = package.document.last_change_at;
  f.content_sha256 = sha;
  f.imported_at = options.now;
  f.imported_by = options.imported_by;
  f.package = package.canonical_json;
  return f;
}

}  // namespace

std::string_view CaseOutcomeName(CaseOutcome outcome) {
  switch (outcome) {
    case CaseOutcome::kAdded:
      return "added";
    case CaseOutcome::kNewVersion:
      return "new_version";
    case CaseOutcome::kUnchanged:
      break;
  }
  return "unchanged";
}

std::vector<CaseItemRecord> ItemRecords(const CasePackage& package) {
  std::unordered_map<std::string_view, std::string_view> parent;
  for (const CaseAssociation& a : package.associations) {
    if (a.type == "isChildOf") parent.emplace(a.origin.identifier, a.destination.identifier);
  }
  std::vector<CaseItemRecord> out;
  out.reserve(package.items.size());
  for (const CaseItem& item : package.items) {
    CaseItemRecord r;
    r.identifier = item.identifier;
    r.uri = item.uri;
    r.human_coding_scheme = item.human_coding_scheme;
    r.full_statement = item.full_statement;
    r.item_type = item.item_type;
    r.list_enumeration = item.list_enumeration;
    if (auto it = parent.find(item.identifier); it != parent.end()) {
      r.parent_identifier = it->second;
    }
    r.position = static_cast<int>(out.size());
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<CaseAssociationRecord> AssociationRecords(const CasePackage& package) {
  std::vector<CaseAssociationRecord> out;
  out.reserve(package.associations.size());
  for (const CaseAssociation& a : package.associations) {
    CaseAssociationRecord r;
    r.identifier = a.identifier;
    r.type = a.type;
    r.origin_identifier = a.origin.identifier;
    r.origin_uri = a.origin.uri;
    r.destination_identifier = a.destination.identifier;
    r.destination_uri = a.destination.uri;
    r.sequence_number = a.sequence_number;
    r.position = static_cast<int>(out.size());
    out.push_back(std::move(r));
  }
  return out;
}

Result<CaseImportReport> ImportCasePackage(StandardsStore& store, std::string_view text,
                                           std::string_view source,
                                           const CaseImportOptions& options) {
  CaseImportReport report;
  report.source = std::string(source);
  report.dry_run = options.dry_run;
  auto parsed = ParseCasePackage(text, source, options.limits);
  if (!parsed.ok()) {
    if (parsed.status().code() != StatusCode::kInvalidArgument) return parsed.status();
    report.problems = parsed.status().fields();
    if (report.problems.empty()) report.problems.push_back({"", parsed.status().message()});
    return report;
  }
  const CasePackage& package = *parsed;
  report.case_version = package.document.case_version;
  report.document_identifier = package.document.identifier;
  report.title = package.document.title;
  report.version = package.document.last_change;
  Count(package, report);
  if (report.unplaced_items > 0) {
    report.warnings.push_back(std::to_string(report.unplaced_items) +
                              " items have no isChildOf path to the document; they are kept "
                              "and shown apart from the tree");
  }
  const std::string sha = Sha256Hex(package.canonical_json);

  auto plan_and_apply = [&]() -> Status {
    CAIRN_ASSIGN_OR_RETURN(std::vector<CaseFrameworkRecord> stored, store.CaseFrameworks());
    const CaseFrameworkRecord* current = nullptr;
    const CaseFrameworkRecord* same = nullptr;
    for (const CaseFrameworkRecord& f : stored) {
      if (f.document_identifier != package.document.identifier) continue;
      ++report.versions_stored;
      if (f.current) current = &f;
      if (f.content_sha256 == sha) same = &f;
    }
    if (current) report.current_version = current->version;
    if (same) {
      report.outcome = CaseOutcome::kUnchanged;
      report.framework_id = same->id;
      if (!same->current) {
        report.warnings.push_back("this is an older version (" + same->version +
                                  ") already stored; the current one stays " + current->version);
      }
      return Status::Ok();
    }
    if (current && package.document.last_change_at < current->version_at) {
      report.problems.push_back({"CFDocument.lastChangeDateTime",
                                 package.document.last_change +
                                     " is older than the current version " + current->version +
                                     "; an older version cannot replace a newer one"});
      return Status::Ok();
    }
    if (current && package.document.last_change_at == current->version_at) {
      report.warnings.push_back(
          "the content differs from the current version but lastChangeDateTime (" +
          package.document.last_change + ") is the same; stored as a new version");
    }
    report.outcome = current ? CaseOutcome::kNewVersion : CaseOutcome::kAdded;
    if (options.dry_run) return Status::Ok();
    CAIRN_ASSIGN_OR_RETURN(
        report.framework_id,
        store.InsertCaseFramework(FrameworkRecord(package, sha, options), ItemRecords(package),
                                  AssociationRecords(package)));
    report.applied = true;
    return Status::Ok();
  };
  Status status = options.dry_run ? plan_and_apply() : store.Transact(plan_and_apply);
  if (!status.ok()) return status;
  return report;
}

json CaseReportJson(const CaseImportReport& report) {
  json problems = json::array();
  for (const FieldError& p : report.problems) {
    problems.push_back({{"field", p.field}, {"message", p.message}});
  }
  json framework = {{"identifier", report.document_identifier},
                    {"title", report.title},
                    {"version", report.version},
                    {"previous_version", report.current_version}};
  if (report.framework_id != 0) framework["id"] = report.framework_id;
  return {{"source", report.source},
          {"case_version", report.case_version},
          {"ok", report.ok()},
          {"dry_run", report.dry_run},
          {"applied", report.applied},
          {"outcome", report.ok() ? json(CaseOutcomeName(report.outcome)) : json(nullptr)},
          {"framework", std::move(framework)},
          {"versions_stored", report.versions_stored},
          {"counts",
           {{"items", report.items},
            {"associations", report.associations},
            {"item_types", report.item_types},
            {"concepts", report.concepts},
            {"subjects", report.subjects},
            {"licenses", report.licenses},
            {"association_groupings", report.association_groupings},
            {"rubrics", report.rubrics},
            {"external_associations", report.external_associations},
            {"unplaced_items", report.unplaced_items}}},
          {"problems", std::move(problems)},
          {"warnings", report.warnings}};
}

}  // namespace cairn::standards
