// `cairn standards list|crosswalk export|crosswalk import|coverage|export-case`:
// the imported standards frameworks, the CPE crosswalk as CSV, the coverage
// report, and the catalog as a CASE package (interop/case, reports/
// standards_coverage). `cairn import case` (cmd_import.cpp) brings
// frameworks in.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "interop/case/case_export.h"
#include "interop/case/crosswalk.h"
#include "reports/standards_coverage.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

Status WriteFile(const std::string& path, const std::string& text) {
  CAIRN_RETURN_IF_ERROR(EnsureParentDirectory(path));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::Internal(path + ": cannot write");
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return Status::NotFound(path + ": cannot read (" + error.message() + ")");
  if (size > max_bytes) {
    return Status::TooLarge(path + ": larger than " + std::to_string(max_bytes >> 20) + " MB");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Status::Internal(path + ": cannot read");
  return text.str();
}

// The person named by --by (a sourced id), or nobody.
Result<std::optional<Id>> Actor(CairnService& service, const std::string& by) {
  if (by.empty()) return std::optional<Id>{};
  CAIRN_ASSIGN_OR_RETURN(auto person, service.store().FindPerson(by));
  if (!person) return Status::AtField(StatusCode::kNotFound, "by", "no person '" + by + "'");
  return std::optional<Id>(person->id);
}

void RunList(CliContext& ctx, bool all_versions) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto frameworks = (*service)->store().CaseFrameworks();
  if (!frameworks.ok()) return ctx.Fail(frameworks.status());
  json out = json::array();
  std::map<std::string, int> versions;
  for (const CaseFrameworkRecord& f : *frameworks) ++versions[f.document_identifier];
  for (const CaseFrameworkRecord& f : *frameworks) {
    if (!all_versions && !f.current) continue;
    out.push_back({{"id", f.id},
                   {"identifier", f.document_identifier},
                   {"title", f.title},
                   {"creator", f.creator},
                   {"publisher", f.publisher},
                   {"version", f.version},
                   {"imported_at", FormatInstant(f.imported_at)},
                   {"items", f.item_count},
                   {"current", f.current},
                   {"versions", versions[f.document_identifier]}});
  }
  if (ctx.json_output) {
    ctx.out << out.dump(2) << "\n";
    return;
  }
  if (out.empty()) ctx.out << "No standards frameworks (cairn import case FILE|URL).\n";
  for (const json& f : out) {
    ctx.out << f["identifier"].get<std::string>() << "  " << f["title"].get<std::string>()
            << "  (version " << f["version"].get<std::string>() << ", " << f["items"].get<int>()
            << " items" << (f["current"].get<bool>() ? "" : ", not current") << ", "
            << f["versions"].get<int>() << " version(s) stored)\n";
  }
}

void RunCrosswalkExport(CliContext& ctx, const std::string& path) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!(*service)->has_catalog()) {
    return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
  }
  auto csv = standards::ExportCrosswalkCsv((*service)->store(), (*service)->catalog());
  if (!csv.ok()) return ctx.Fail(csv.status());
  if (path == "-") {
    ctx.out << *csv;
    return;
  }
  if (Status s = WriteFile(path, *csv); !s.ok()) return ctx.Fail(s);
  const auto rows = std::count(csv->begin(), csv->end(), '\n') - 1;
  ctx.out << "Wrote " << rows << " link(s) to " << path << ".\n";
}

struct ImportOptions {
  std::string path;
  std::string by;
  bool dry_run = false;
  bool replace = false;
};

void RunCrosswalkImport(CliContext& ctx, const ImportOptions& options) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!(*service)->has_catalog()) {
    return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
  }
  auto text = ReadFile(options.path, standards::kMaxCrosswalkCsvBytes);
  if (!text.ok()) return ctx.Fail(text.status());
  auto actor = Actor(**service, options.by);
  if (!actor.ok()) return ctx.Fail(actor.status());
  standards::CrosswalkImportOptions import;
  import.dry_run = options.dry_run;
  import.replace = options.replace;
  import.author = {
      *actor, SystemClock()(),
      "cli crosswalk import " + std::filesystem::path(options.path).filename().string()};
  const std::string file = std::filesystem::path(options.path).filename().string();
  auto report = standards::ImportCrosswalkCsv((*service)->store(), (*service)->catalog(), *text,
                                              file, import);
  if (!report.ok()) return ctx.Fail(report.status());
  ctx.exit_code = report->ok() ? 0 : 1;
  if (ctx.json_output) {
    ctx.out << standards::CrosswalkReportJson(*report).dump(2) << "\n";
    return;
  }
  ctx.out << file << ": " << report->rows << " row(s)\n";
  if (!report->ok()) {
    ctx.out << report->problems.size() << " problem" << (report->problems.size() == 1 ? "" : "s")
            << "; nothing was changed:\n";
    for (const auto& p : report->problems) ctx.out << "  " << oneroster::FormatProblem(p) << "\n";
    return;
  }
  const auto& c = report->changes;
  ctx.out << (report->applied   ? "Changes made: "
              : options.dry_run ? "Changes this import would make (dry run): "
                                : "Nothing to change: ")
          << c.linked << " linked, " << c.unlinked << " unlinked, " << c.unchanged
          << " already linked\n";
}

void RunCoverage(CliContext& ctx, bool csv, const std::string& out_path) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!(*service)->has_catalog()) {
    return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
  }
  auto coverage = LoadCoverage((*service)->store(), (*service)->catalog());
  if (!coverage.ok()) return ctx.Fail(coverage.status());
  std::string text;
  if (csv) {
    text = CoverageCsv(*coverage);
  } else if (ctx.json_output) {
    text = CoverageJson(*coverage).dump(2) + "\n";
  } else {
    std::ostringstream s;
    for (const FrameworkCoverage& f : coverage->frameworks) {
      s << f.title << " (" << f.version << "): " << f.covered << " of " << f.standards
        << " standards covered\n";
      for (const CoverageStandard& u : f.uncovered) {
        s << "  not covered: " << (u.human_code.empty() ? u.identifier : u.human_code) << "  "
          << u.statement.substr(0, 80) << "\n";
      }
    }
    for (const BadgeCoverage& b : coverage->badges) {
      s << b.code << " " << b.title << ": " << b.aligned_cpes << " of " << b.cpes
        << " CPEs aligned\n";
      for (const CoverageCpe& c : b.unaligned) s << "  no standard: " << c.id << "\n";
    }
    for (const CrosswalkFact& link : coverage->stale_links) {
      s << "stale link: " << link.cpe << " -> " << link.item_identifier << "\n";
    }
    text = s.str();
  }
  if (out_path.empty()) {
    ctx.out << text;
    return;
  }
  if (Status s = WriteFile(out_path, text); !s.ok()) return ctx.Fail(s);
  ctx.out << "Wrote " << out_path << ".\n";
}

void RunExportCase(CliContext& ctx, const std::string& path) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!(*service)->has_catalog()) {
    return ctx.Fail(Status::Precondition("no catalog loaded (cairn catalog load)"));
  }
  // Dated by the catalog version, so exporting it twice gives the same package.
  auto version = (*service)->store().LatestCatalog();
  if (!version.ok()) return ctx.Fail(version.status());
  standards::CaseExportOptions options;
  if (*version) options.last_change = (*version)->loaded_at;
  auto package = standards::CatalogAsCase((*service)->catalog(), options);
  if (!package.ok()) return ctx.Fail(package.status());
  const std::string text = package->dump(2) + "\n";
  if (path == "-") {
    ctx.out << text;
    return;
  }
  if (Status s = WriteFile(path, text); !s.ok()) return ctx.Fail(s);
  ctx.out << "Wrote " << path << " (" << (*package)["CFItems"].size() << " items, "
          << (*package)["CFAssociations"].size() << " associations).\n";
}

}  // namespace

void AddStandardsCommand(CLI::App& command, CliContext& ctx) {
  command.require_subcommand(1);

  auto all_versions = std::make_shared<bool>(false);
  CLI::App* list = command.add_subcommand("list", "Imported standards frameworks (CASE)");
  AddDbOption(*list, ctx);
  AddJsonFlag(*list, ctx);
  list->add_flag("--all", *all_versions, "Every stored version, not only the current ones");
  list->callback([&ctx, all_versions] { RunList(ctx, *all_versions); });

  CLI::App* crosswalk = command.add_subcommand("crosswalk", "The CPE-to-standard crosswalk as CSV");
  crosswalk->require_subcommand(1);
  auto export_path = std::make_shared<std::string>();
  CLI::App* exp = crosswalk->add_subcommand(
      "export",
      "Write every current link: badge, cpe, framework, item identifier, human code, "
      "statement");
  AddDbOption(*exp, ctx);
  exp->add_option("FILE", *export_path, "The CSV file to write ('-': standard output)")->required();
  exp->callback([&ctx, export_path] { RunCrosswalkExport(ctx, *export_path); });

  auto import_options = std::make_shared<ImportOptions>();
  CLI::App* imp = crosswalk->add_subcommand(
      "import", "Add the links of a CSV file (all or nothing; --replace: the whole crosswalk)");
  AddDbOption(*imp, ctx);
  AddJsonFlag(*imp, ctx);
  imp->add_option("FILE", import_options->path, "The CSV file")->required();
  imp->add_flag("--dry-run", import_options->dry_run, "Check and report; write nothing");
  imp->add_flag("--replace", import_options->replace,
                "The file is the whole crosswalk: unlink what it leaves out");
  imp->add_option("--by", import_options->by, "Who makes the change (a person's sourced id)");
  imp->callback([&ctx, import_options] { RunCrosswalkImport(ctx, *import_options); });

  struct CoverageOptions {
    bool csv = false;
    std::string out;
  };
  auto coverage_options = std::make_shared<CoverageOptions>();
  CLI::App* coverage = command.add_subcommand(
      "coverage", "Standards no CPE covers and CPEs with no standard, per framework and badge");
  AddDbOption(*coverage, ctx);
  AddJsonFlag(*coverage, ctx);
  coverage->add_flag("--csv", coverage_options->csv, "One CSV row per gap");
  coverage->add_option("--out", coverage_options->out, "Write to this file");
  coverage->callback(
      [&ctx, coverage_options] { RunCoverage(ctx, coverage_options->csv, coverage_options->out); });

  auto case_path = std::make_shared<std::string>();
  CLI::App* export_case = command.add_subcommand(
      "export-case", "Write the badge catalog as a CASE 1.1 package (badges, CPEs, indicators)");
  AddDbOption(*export_case, ctx);
  export_case->add_option("FILE", *case_path, "The JSON file to write ('-': standard output)")
      ->required();
  export_case->callback([&ctx, case_path] { RunExportCase(ctx, *case_path); });
}

}  // namespace cairn::cli
