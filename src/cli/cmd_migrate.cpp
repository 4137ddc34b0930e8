// `cairn migrate --from sqlite:PATH --to postgres://URI`: moves a district
// from the embedded SQLite engine to a PostgreSQL server
// (store/pg_migrate.h): every table copied with its ids into an empty
// database, then every table compared (row count and a hash of its rows).
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "store/open_store.h"
#include "store/pg_migrate.h"

namespace cairn::cli {
namespace {

struct MigrateOptions {
  std::string from;
  std::string to;
};

void RunMigrate(CliContext& ctx, const MigrateOptions& options) {
  const StoreLocation from = ParseStoreLocation(options.from);
  if (from.engine != StoreEngine::kSqlite) {
    return ctx.Fail(Status::AtField(StatusCode::kInvalidArgument, "from",
                                    "--from: expected a SQLite file (sqlite:PATH)"));
  }
  if (!IsPostgresLocation(options.to)) {
    return ctx.Fail(Status::AtField(StatusCode::kInvalidArgument, "to",
                                    "--to: expected a postgres:// or postgresql:// URI"));
  }
  auto report = MigrateSqliteToPostgres(from.target, options.to);
  if (!report.ok()) return ctx.Fail(report.status());
  std::int64_t rows = 0;
  for (const auto& [table, count] : report->copied) rows += count;
  if (ctx.json_output) {
    nlohmann::json tables = nlohmann::json::object();
    for (const auto& [table, digest] : report->digests) {
      tables[table] = {{"rows", digest.rows}, {"hash", digest.hash}};
    }
    ctx.out << nlohmann::json{{"schema_version", report->schema_version},
                              {"rows_copied", rows},
                              {"tables", tables}}
                   .dump(2)
            << "\n";
    return;
  }
  ctx.out << "Copied " << rows << " rows in " << report->copied.size() << " tables from "
          << from.target << " to " << RedactedLocation(options.to) << " (schema version "
          << report->schema_version << "); all " << report->digests.size()
          << " tables compared equal (rows and a hash of their values).\n"
          << "Portfolio files stay on disk: serve with --files " << from.target
          << "-files, and give the server the master key (copy " << from.target
          << ".master-key beside that folder as " << from.target
          << "-files.master-key, or set CAIRN_MASTER_KEY).\n";
}

}  // namespace

void AddMigrateCommand(CLI::App& command, CliContext& ctx) {
  auto options = std::make_shared<MigrateOptions>();
  command.add_option("--from", options->from, "The SQLite database (sqlite:PATH or PATH)")
      ->required();
  command.add_option("--to", options->to, "An empty PostgreSQL database (postgres://...)")
      ->required();
  AddJsonFlag(command, ctx);
  command.callback([&ctx, options] { RunMigrate(ctx, *options); });
}

}  // namespace cairn::cli
