// `cairn catalog load` and `cairn catalog show`.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "catalog/catalog_json.h"
#include "cli/cli_context.h"
#include "demo/demo_district.h"

namespace cairn::cli {
namespace {

using nlohmann::json;

struct LoadOptions {
  std::string file;
  bool builtin = false;
};

void RunLoad(CliContext& ctx, const LoadOptions& options) {
  std::string text;
  std::string source = options.file;
  if (options.builtin) {
    text = BuiltinXqCatalogJson();
    source = "built-in xq-math";
  } else {
    if (options.file.empty()) return ctx.Fail(Status::Invalid("give a catalog FILE or --builtin"));
    std::ifstream in(options.file, std::ios::binary);
    if (!in) return ctx.Fail(Status::NotFound(options.file + ": cannot read file"));
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  auto version = (*service)->LoadCatalog(text, source);
  if (!version.ok()) return ctx.Fail(version.status());
  const Catalog& c = (*service)->catalog();
  if (ctx.json_output) {
    ctx.out << json{{"catalog_version", *version},
                    {"badges", c.badges.size()},
                    {"cpes", c.CpeCount()}}
                   .dump(2)
            << "\n";
  } else {
    ctx.out << "Loaded " << c.title << " (" << c.badges.size() << " badges, " << c.CpeCount()
            << " CPEs) as catalog version " << *version << "\n";
  }
}

void RunShow(CliContext& ctx) {
  auto service = OpenService(ctx.db);
  if (!service.ok()) return ctx.Fail(service.status());
  if (!(*service)->has_catalog()) {
    return ctx.Fail(Status::Precondition("no catalog loaded; run `cairn catalog load FILE`"));
  }
  const Catalog& c = (*service)->catalog();
  std::ostream& out = ctx.out;
  if (ctx.json_output) {
    out << CatalogToJson(c).dump(2) << "\n";
    return;
  }
  out << c.title << " (" << c.framework_id << ", version " << c.version << ")\n";
  out << "Default calculation: " << DescribeCalculation(c.default_calculation) << "\n";
  for (const Badge& b : c.badges) {
    std::size_t indicators = 0;
    for (const Cpe& cpe : b.cpes) indicators += cpe.indicators.size();
    out << "  " << b.code << "  " << b.title << "  (" << b.cpes.size() << " CPEs, " << indicators
        << " indicators";
    if (!b.prerequisites.empty()) {
      out << "; after";
      for (const std::string& p : b.prerequisites) out << " " << p;
    }
    out << ")\n";
  }
  for (const Pathway& p : c.pathways) {
    out << "Pathway " << p.id << ": " << p.title << (p.example ? " (example)" : "") << ":";
    for (const std::string& code : p.badges) out << " " << code;
    out << "\n";
  }
}

}  // namespace

void AddCatalogCommand(CLI::App& command, CliContext& ctx) {
  command.require_subcommand(1);
  auto options = std::make_shared<LoadOptions>();
  CLI::App* load = command.add_subcommand("load", "Validate and load a catalog JSON file");
  AddDbOption(*load, ctx);
  AddJsonFlag(*load, ctx);
  load->add_option("file", options->file, "Catalog JSON (docs/catalog-format.md)");
  load->add_flag("--builtin", options->builtin,
                 "Load the built-in XQ Math catalog instead of a file");
  load->callback([&ctx, options] { RunLoad(ctx, *options); });

  CLI::App* show = command.add_subcommand("show", "Show the catalog in force");
  AddDbOption(*show, ctx);
  AddJsonFlag(*show, ctx);
  show->callback([&ctx] { RunShow(ctx); });
}

}  // namespace cairn::cli
