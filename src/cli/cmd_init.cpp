// `cairn init`: create or upgrade a database.
#include <CLI/CLI.hpp>

#include "cli/cli_context.h"
#include "store/sqlite_store.h"

namespace cairn::cli {

void AddInitCommand(CLI::App& command, CliContext& ctx) {
  AddDbOption(command, ctx);
  command.callback([&ctx] {
    if (Status s = EnsureParentDirectory(ctx.db); !s.ok()) return ctx.Fail(s);
    auto store = SqliteStore::Open(ctx.db);
    if (!store.ok()) return ctx.Fail(store.status());
    ctx.out << "Database " << ctx.db << " is at schema version " << (*store)->SchemaVersion()
            << "\n";
  });
}

}  // namespace cairn::cli
