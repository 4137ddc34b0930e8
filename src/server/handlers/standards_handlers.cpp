#include "server/handlers/standards_handlers.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "evidence/files/file_name.h"
#include "interop/case/case_export.h"
#include "interop/case/case_import.h"
#include "interop/case/crosswalk.h"
#include "reports/standards_coverage.h"
#include "server/handlers/params.h"
#include "server/multipart.h"
#include "server/responses.h"

namespace cairn {

using nlohmann::json;

namespace {

constexpr int kMaxTreeDepth = 48;  // deeper items are listed, not nested (JSON stays shallow)

HttpResponse Download(std::string body, const char* content_type, const std::string& name,
                      const char* extension) {
  HttpResponse response;
  response.content_type = content_type;
  response.headers.push_back(
      {"Content-Disposition", ContentDispositionValue(SanitizeFileName(name, extension))});
  response.body = std::move(body);
  return response;
}

std::shared_ptr<const Catalog> CatalogOf(ApiServices& services) {
  return services.model().Read([](const ReadState& state) { return state.catalog; });
}

HttpResponse NoCatalog() { return ErrorResponse(409, "failed_precondition", "no catalog loaded"); }

Result<bool> QueryFlag(const std::map<std::string, std::string>& query, const char* key) {
  auto it = query.find(key);
  if (it == query.end() || it->second == "false") return false;
  if (it->second == "true") return true;
  return Status::InvalidField(key, "expected true or false");
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

json FrameworkJson(const CaseFrameworkRecord& f) {
  return {{"id", f.id},
          {"identifier", f.document_identifier},
          {"uri", f.uri},
          {"title", f.title},
          {"creator", f.creator},
          {"publisher", f.publisher},
          {"version", f.version},
          {"imported_at", FormatInstant(f.imported_at)},
          {"items", f.item_count},
          {"current", f.current}};
}

// The version {framework} names: the current one of that CFDocument, or
// the one ?version= names (of the same document).
struct FrameworkChoice {
  CaseFrameworkRecord framework;
  std::vector<CaseFrameworkRecord> versions;  // of the same document, newest first
};

Result<FrameworkChoice> ChooseFramework(Store& store, const std::string& identifier,
                                        const std::map<std::string, std::string>& query) {
  CAIRN_ASSIGN_OR_RETURN(auto all, store.CaseFrameworks());
  FrameworkChoice choice;
  for (const CaseFrameworkRecord& f : all) {
    if (f.document_identifier == identifier) choice.versions.push_back(f);
  }
  if (choice.versions.empty()) {
    return Status::AtField(StatusCode::kNotFound, "framework", "no framework '" + identifier + "'");
  }
  CAIRN_ASSIGN_OR_RETURN(const std::int64_t version,
                         QueryNumber(query, "version", 0, 0, INT64_MAX));
  for (const CaseFrameworkRecord& f : choice.versions) {
    if (version == 0 ? f.current : f.id == version) {
      choice.framework = f;
      return choice;
    }
  }
  return Status::AtField(
      StatusCode::kNotFound, "version",
      "framework '" + identifier + "' has no version " + std::to_string(version));
}

// item identifier -> the CPEs linking it now.
Result<std::unordered_map<std::string, std::vector<std::string>>> CpesByItem(Store& store) {
  CAIRN_ASSIGN_OR_RETURN(auto links, store.CurrentCrosswalk(std::nullopt));
  std::unordered_map<std::string, std::vector<std::string>> out;
  for (const CrosswalkFact& f : links) out[f.item_identifier].push_back(f.cpe);
  return out;
}

json ItemJson(const CaseItemRecord& item, const std::vector<std::string>* cpes) {
  return {{"identifier", item.identifier},
          {"uri", item.uri},
          {"human_code", item.human_coding_scheme},
          {"statement", item.full_statement},
          {"item_type", item.item_type},
          {"list_enumeration", item.list_enumeration},
          {"cpes", cpes ? json(*cpes) : json::array()}};
}

// The isChildOf tree of one version: children ordered by sequence number
// (unnumbered last), then package order. An item with several parents is
// shown under each; its subtree is expanded the first time only.
class TreeBuilder {
 public:
  TreeBuilder(const std::vector<CaseItemRecord>& items,
              const std::vector<CaseAssociationRecord>& associations,
              const std::unordered_map<std::string, std::vector<std::string>>& cpes)
      : cpes_(cpes) {
    for (const CaseItemRecord& item : items) items_[item.identifier] = &item;
    for (const CaseAssociationRecord& a : associations) {
      if (a.type != "isChildOf" || !items_.count(a.origin_identifier)) continue;
      children_[a.destination_identifier].push_back(&a);
    }
    for (auto& [parent, list] : children_) {
      std::stable_sort(list.begin(), list.end(), [&](const auto* x, const auto* y) {
        const auto kx = x->sequence_number.value_or(INT64_MAX);
        const auto ky = y->sequence_number.value_or(INT64_MAX);
        if (kx != ky) return kx < ky;
        return items_[x->origin_identifier]->position < items_[y->origin_identifier]->position;
      });
    }
  }

  json Children(const std::string& parent, int depth) {
    json out = json::array();
    auto it = children_.find(parent);
    if (it == children_.end()) return out;
    for (const CaseAssociationRecord* a : it->second) {
      const CaseItemRecord& item = *items_.at(a->origin_identifier);
      auto linked = cpes_.find(item.identifier);
      json node = ItemJson(item, linked == cpes_.end() ? nullptr : &linked->second);
      if (!expanded_.insert(item.identifier).second) {
        node["repeated"] = true;  // its children are shown where it first appears
        node["children"] = json::array();
      } else if (depth >= kMaxTreeDepth) {
        node["children"] = json::array();
        node["truncated"] = true;
      } else {
        node["children"] = Children(item.identifier, depth + 1);
      }
      out.push_back(std::move(node));
    }
    return out;
  }

  // Items the tree from the document never reached, in package order.
  json Unplaced(const std::vector<CaseItemRecord>& items) {
    json out = json::array();
    for (const CaseItemRecord& item : items) {
      if (expanded_.count(item.identifier)) continue;
      auto linked = cpes_.find(item.identifier);
      out.push_back(ItemJson(item, linked == cpes_.end() ? nullptr : &linked->second));
    }
    return out;
  }

 private:
  const std::unordered_map<std::string, std::vector<std::string>>& cpes_;
  std::unordered_map<std::string, const CaseItemRecord*> items_;
  std::unordered_map<std::string, std::vector<const CaseAssociationRecord*>> children_;
  std::set<std::string> expanded_;
};

std::string PersonRef(const Roster& roster, const std::optional<Id>& id) {
  if (!id) return "";
  const Person* p = roster.FindPerson(*id);
  return p ? p->sourced_id : "";
}

// What GET and PUT .../alignments answer.
Result<json> AlignmentsJson(Store& store, const Catalog& catalog, const Roster& roster,
                            const std::string& cpe) {
  auto ref = catalog.FindCpe(cpe);
  if (!ref) {
    return Status::AtField(StatusCode::kNotFound, "cpe", "no CPE '" + cpe + "' in the catalog");
  }
  CAIRN_ASSIGN_OR_RETURN(auto aligned, standards::CurrentAlignments(store, cpe));
  json alignments = json::array();
  for (const standards::AlignedItem& a : aligned) {
    json entry{{"item", a.link.item_identifier},
               {"current", a.item.has_value()},
               {"linked_at", FormatInstant(a.link.at)},
               {"linked_by", PersonRef(roster, a.link.actor)},
               {"source", a.link.source}};
    if (a.item) {
      entry["uri"] = a.item->item.uri;
      entry["human_code"] = a.item->item.human_coding_scheme;
      entry["statement"] = a.item->item.full_statement;
      entry["framework"] = {{"identifier", a.item->framework_identifier},
                            {"title", a.item->framework_title}};
    }
    alignments.push_back(std::move(entry));
  }
  CAIRN_ASSIGN_OR_RETURN(auto history, store.CrosswalkHistory(cpe));
  json events = json::array();
  for (const CrosswalkFact& f : history) {
    events.push_back({{"action", f.linked ? "link" : "unlink"},
                      {"item", f.item_identifier},
                      {"at", FormatInstant(f.at)},
                      {"by", PersonRef(roster, f.actor)},
                      {"source", f.source}});
  }
  return json{{"cpe", cpe},
              {"badge", catalog.badges[ref->badge].code},
              {"alignments", std::move(alignments)},
              {"history", std::move(events)}};
}

// The one CSV file of a multipart upload, in memory (bounded).
class CsvPartSink : public MultipartSink {
 public:
  Status OnField(const MultipartPartHeaders&, std::string) override { return Status::Ok(); }
  Status OnFileBegin(const MultipartPartHeaders& part) override {
    if (files_++ > 0) return Status::InvalidField("file", "send one CSV file");
    name_ = part.filename.value_or("crosswalk.csv");
    return Status::Ok();
  }
  Status OnFileData(std::string_view data) override {
    if (text_.size() + data.size() > standards::kMaxCrosswalkCsvBytes) {
      return Status::AtField(
          StatusCode::kResourceExhausted, "file",
          "larger than " + std::to_string(standards::kMaxCrosswalkCsvBytes >> 20) + " MB");
    }
    text_.append(data);
    return Status::Ok();
  }
  Status OnFileEnd() override { return Status::Ok(); }
  int files() const { return files_; }
  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }

 private:
  int files_ = 0;
  std::string name_;
  std::string text_;
};

Status FeedBody(const HttpRequest& request, MultipartParser& parser) {
  if (request.body_file.empty()) {
    CAIRN_RETURN_IF_ERROR(parser.Feed(request.body));
    return parser.Finish();
  }
  std::ifstream in(request.body_file, std::ios::binary);
  if (!in) return Status::Internal("upload: the body was not kept");
  std::vector<char> buffer(64 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) {
      CAIRN_RETURN_IF_ERROR(
          parser.Feed(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount()))));
    }
  }
  return parser.Finish();
}

}  // namespace

std::vector<GroupRoute<StandardsHandlers>> StandardsHandlers::Routes() {
  using G = StandardsHandlers;
  using R = AccessRule;
  return {
      {{"POST", "/api/v1/imports/case", R::kAdmin, true, Work::kSlow, BodyKind::kCatalog},
       &G::ImportCase},
      {{"GET", "/api/v1/frameworks", R::kAuthenticated, false, Work::kSlow}, &G::ListFrameworks},
      {{"GET", "/api/v1/frameworks/{framework}", R::kAuthenticated, false, Work::kSlow},
       &G::GetFramework},
      {{"GET", "/api/v1/frameworks/{framework}/items", R::kAuthenticated, false, Work::kSlow},
       &G::SearchItems},
      {{"GET", "/api/v1/catalog/cpes/{cpe}/alignments", R::kAuthenticated, false, Work::kSlow},
       &G::GetAlignments},
      {{"PUT", "/api/v1/catalog/cpes/{cpe}/alignments", R::kAdmin, true}, &G::PutAlignments},
      {{"GET", "/api/v1/catalog/case.json", R::kAuthenticated, false, Work::kSlow},
       &G::GetCatalogCase},
      {{"GET", "/api/v1/standards/crosswalk.csv", R::kAuthenticated, false, Work::kSlow},
       &G::ExportCrosswalk},
      {{"POST", "/api/v1/standards/crosswalk.csv", R::kAdmin, true, Work::kSlow, BodyKind::kUpload},
       &G::ImportCrosswalk},
      {{"GET", "/api/v1/standards/coverage", R::kStaff, false, Work::kSlow}, &G::GetCoverage},
      {{"GET", "/api/v1/standards/coverage.csv", R::kStaff, false, Work::kSlow},
       &G::GetCoverageCsv},
  };
}

HttpResponse StandardsHandlers::ImportCase(RequestContext& ctx) {
  auto dry_run = QueryFlag(ctx.request.Query(), "dry_run");
  if (!dry_run.ok()) return ErrorResponse(dry_run.status());
  standards::CaseImportOptions options;
  options.dry_run = *dry_run;
  options.now = services_.Now();
  options.imported_by = ctx.who->person.id;
  // Checked here, off the writer; the writer plans again against what is
  // stored then (another import may have come first) and writes.
  {
    auto checked = standards::ParseCasePackage(ctx.request.body, "package", options.limits);
    if (!checked.ok()) return ErrorResponse(checked.status());
    ctx.audit_detail = "CASE import of '" + checked->document.title + "' (" +
                       checked->document.identifier + ", version " + checked->document.last_change +
                       ")" + (*dry_run ? " (dry run)" : "");
  }
  auto run = [body = ctx.request.body, options](Store& store) -> HttpResponse {
    auto report = standards::ImportCasePackage(store, body, "package", options);
    if (!report.ok()) return ErrorResponse(report.status());
    if (!report->ok()) return ErrorResponse(Status::InvalidFields(report->problems, "package"));
    return JsonResponse(200, standards::CaseReportJson(*report));
  };
  if (*dry_run) return run(services_.Service().store());
  return services_.Write([run](CairnService& service) { return run(service.store()); });
}

HttpResponse StandardsHandlers::ListFrameworks(RequestContext&) {
  auto all = services_.Service().store().CaseFrameworks();
  if (!all.ok()) return ErrorResponse(all.status());
  std::map<std::string, int> versions;
  for (const CaseFrameworkRecord& f : *all) ++versions[f.document_identifier];
  json out = json::array();
  for (const CaseFrameworkRecord& f : *all) {
    if (!f.current) continue;
    json entry = FrameworkJson(f);
    entry["versions"] = versions[f.document_identifier];
    out.push_back(std::move(entry));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const json& a, const json& b) { return a["title"] < b["title"]; });
  return JsonResponse(200, json{{"frameworks", std::move(out)}});
}

HttpResponse StandardsHandlers::GetFramework(RequestContext& ctx) {
  Store& store = services_.Service().store();
  auto choice = ChooseFramework(store, ctx.params["framework"], ctx.request.Query());
  if (!choice.ok()) return ErrorResponse(choice.status());
  const CaseFrameworkRecord& f = choice->framework;
  auto items = store.CaseItems(f.id);
  if (!items.ok()) return ErrorResponse(items.status());
  auto associations = store.CaseAssociations(f.id);
  if (!associations.ok()) return ErrorResponse(associations.status());
  auto cpes = CpesByItem(store);
  if (!cpes.ok()) return ErrorResponse(cpes.status());
  TreeBuilder tree(*items, *associations, *cpes);
  json versions = json::array();
  for (const CaseFrameworkRecord& v : choice->versions) {
    versions.push_back({{"id", v.id},
                        {"version", v.version},
                        {"imported_at", FormatInstant(v.imported_at)},
                        {"items", v.item_count},
                        {"current", v.current}});
  }
  json children = tree.Children(f.document_identifier, 0);
  return JsonResponse(200, json{{"framework", FrameworkJson(f)},
                                {"versions", std::move(versions)},
                                {"tree", std::move(children)},
                                {"unplaced", tree.Unplaced(*items)}});
}

HttpResponse StandardsHandlers::SearchItems(RequestContext& ctx) {
  Store& store = services_.Service().store();
  auto query = ctx.request.Query();
  auto choice = ChooseFramework(store, ctx.params["framework"], query);
  if (!choice.ok()) return ErrorResponse(choice.status());
  auto limit = QueryNumber(query, "limit", 50, 1, 500);
  if (!limit.ok()) return ErrorResponse(limit.status());
  const std::string q = query["q"];
  if (q.size() > 200) return ErrorResponse(Status::InvalidField("q", "longer than 200 characters"));
  auto items = store.CaseItems(choice->framework.id);
  if (!items.ok()) return ErrorResponse(items.status());
  auto cpes = CpesByItem(store);
  if (!cpes.ok()) return ErrorResponse(cpes.status());
  // Words (ASCII case folded): a match has each of them in its code or
  // statement; a code starting with the query ranks first.
  const std::string needle = AsciiLower(q);
  std::vector<std::string> words;
  for (std::size_t at = 0; at < needle.size();) {
    const std::size_t end = std::min(needle.find(' ', at), needle.size());
    if (end > at) words.push_back(needle.substr(at, end - at));
    at = end + 1;
  }
  std::unordered_map<std::string, const CaseItemRecord*> by_id;
  for (const CaseItemRecord& item : *items) by_id[item.identifier] = &item;
  std::vector<const CaseItemRecord*> starts, contains;
  for (const CaseItemRecord& item : *items) {
    const std::string code = AsciiLower(item.human_coding_scheme);
    const std::string text = code + " " + AsciiLower(item.full_statement);
    const bool all = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return text.find(w) != std::string::npos;
    });
    if (!all) continue;
    (!needle.empty() && code.rfind(needle, 0) == 0 ? starts : contains).push_back(&item);
  }
  starts.insert(starts.end(), contains.begin(), contains.end());
  json found = json::array();
  for (const CaseItemRecord* item : starts) {
    if (static_cast<std::int64_t>(found.size()) >= *limit) break;
    auto linked = cpes->find(item->identifier);
    json entry = ItemJson(*item, linked == cpes->end() ? nullptr : &linked->second);
    // The codes (or identifiers) of its ancestors, top first.
    json path = json::array();
    std::set<std::string> seen;
    for (auto parent = by_id.find(item->parent_identifier);
         parent != by_id.end() && seen.insert(parent->first).second;
         parent = by_id.find(parent->second->parent_identifier)) {
      path.insert(path.begin(), parent->second->human_coding_scheme.empty()
                                    ? parent->first
                                    : parent->second->human_coding_scheme);
    }
    entry["path"] = std::move(path);
    found.push_back(std::move(entry));
  }
  return JsonResponse(200, json{{"framework",
                                 {{"id", choice->framework.id},
                                  {"identifier", choice->framework.document_identifier},
                                  {"title", choice->framework.title}}},
                                {"q", q},
                                {"total", starts.size()},
                                {"items", std::move(found)}});
}

HttpResponse StandardsHandlers::GetAlignments(RequestContext& ctx) {
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  auto out = AlignmentsJson(services_.Service().store(), *catalog, *ctx.roster, ctx.params["cpe"]);
  if (!out.ok()) return ErrorResponse(out.status());
  return JsonResponse(200, *out);
}

HttpResponse StandardsHandlers::PutAlignments(RequestContext& ctx) {
  BodyReader r(ctx.body);
  const std::vector<std::string> items = r.Strings(ctx.body, "", "items");
  if (!ctx.body.contains("items")) r.Error("items", "missing");
  if (items.size() > 1000) r.Error("items", "more than 1000 items");
  if (Status s = r.Done(); !s.ok()) return ErrorResponse(s);
  const std::string cpe = ctx.params["cpe"];
  ctx.audit_detail = "alignments of " + cpe + ": " + json(items).dump();
  standards::CrosswalkAuthor author{ctx.who->person.id, services_.Now(), "api"};
  return services_.Write([cpe, items, author, roster = ctx.roster](CairnService& service) {
    if (!service.has_catalog()) return NoCatalog();
    auto changed =
        standards::SetCpeAlignments(service.store(), service.catalog(), cpe, items, author);
    if (!changed.ok()) return ErrorResponse(changed.status());
    auto out = AlignmentsJson(service.store(), service.catalog(), *roster, cpe);
    if (!out.ok()) return ErrorResponse(out.status());
    (*out)["changes"] = {{"linked", changed->linked},
                         {"unlinked", changed->unlinked},
                         {"unchanged", changed->unchanged}};
    return JsonResponse(200, *out);
  });
}

HttpResponse StandardsHandlers::ExportCrosswalk(RequestContext&) {
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  auto csv = standards::ExportCrosswalkCsv(services_.Service().store(), *catalog);
  if (!csv.ok()) return ErrorResponse(csv.status());
  return Download(std::move(*csv), "text/csv; charset=utf-8", "crosswalk", "csv");
}

HttpResponse StandardsHandlers::ImportCrosswalk(RequestContext& ctx) {
  auto query = ctx.request.Query();
  auto dry_run = QueryFlag(query, "dry_run");
  if (!dry_run.ok()) return ErrorResponse(dry_run.status());
  auto replace = QueryFlag(query, "replace");
  if (!replace.ok()) return ErrorResponse(replace.status());
  auto boundary = MultipartBoundary(ctx.request.Header("content-type").value_or(""));
  if (!boundary.ok()) {
    return ErrorResponse(Status::InvalidField(
        "body", "send the CSV as multipart/form-data (" + boundary.status().message() + ")"));
  }
  CsvPartSink sink;
  MultipartParser parser(*boundary, sink);
  Status read = FeedBody(ctx.request, parser);
  if (read.ok() && sink.files() == 0) read = Status::InvalidField("file", "no file in the upload");
  if (!read.ok()) return ErrorResponse(read);
  const std::string file = SanitizeFileName(sink.name(), "csv");
  ctx.audit_detail = "crosswalk import of '" + file + "'" + (*replace ? " (replace)" : "") +
                     (*dry_run ? " (dry run)" : "");
  standards::CrosswalkImportOptions options;
  options.dry_run = *dry_run;
  options.replace = *replace;
  options.author = {ctx.who->person.id, services_.Now(), "api csv import " + file};
  auto run = [text = sink.text(), file, options](CairnService& service) -> HttpResponse {
    if (!service.has_catalog()) return NoCatalog();
    auto report =
        standards::ImportCrosswalkCsv(service.store(), service.catalog(), text, file, options);
    if (!report.ok()) return ErrorResponse(report.status());
    if (!report->ok()) {
      std::vector<FieldError> problems;
      for (const auto& p : report->problems) {
        std::string place = p.file;
        if (p.line > 0) place += ":" + std::to_string(p.line);
        if (!p.column.empty()) place += ":" + p.column;
        problems.push_back({place, p.reason});
      }
      return ErrorResponse(Status::InvalidFields(std::move(problems)));
    }
    return JsonResponse(200, standards::CrosswalkReportJson(*report));
  };
  if (*dry_run) return run(services_.Service());
  return services_.Write(run);
}

HttpResponse StandardsHandlers::GetCoverage(RequestContext&) {
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  auto coverage = LoadCoverage(services_.Service().store(), *catalog);
  if (!coverage.ok()) return ErrorResponse(coverage.status());
  return JsonResponse(200, CoverageJson(*coverage));
}

HttpResponse StandardsHandlers::GetCoverageCsv(RequestContext&) {
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  auto coverage = LoadCoverage(services_.Service().store(), *catalog);
  if (!coverage.ok()) return ErrorResponse(coverage.status());
  return Download(CoverageCsv(*coverage), "text/csv; charset=utf-8", "standards-coverage", "csv");
}

HttpResponse StandardsHandlers::GetCatalogCase(RequestContext&) {
  auto catalog = CatalogOf(services_);
  if (!catalog) return NoCatalog();
  auto version = services_.Service().store().LatestCatalog();
  if (!version.ok()) return ErrorResponse(version.status());
  standards::CaseExportOptions options;
  if (*version) options.last_change = (*version)->loaded_at;
  auto package = standards::CatalogAsCase(*catalog, options);
  if (!package.ok()) return ErrorResponse(package.status());
  return Download(package->dump(2), "application/json", "catalog-case", "json");
}

}  // namespace cairn
