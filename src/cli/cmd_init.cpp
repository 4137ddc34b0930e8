// `cairn init`: create or upgrade a database.
#include <CLI/CLI.hpp>

#include "cli/cli_context.h"
#include "store/open_store.h"

namespace cairn::cli {

void AddInitCommand(CLI::App& command, CliContext& ctx) {
  AddDbOption(command, ctx);
  command.callback([&ctx] {
    int version = 0;
    auto store = OpenStore(ctx.db, &version);
    if (!store.ok()) return ctx.Fail(store.status());
    ctx.out << "Database " << RedactedLocation(ctx.db) << " is at schema version " << version
            << "\n";
  });
}

}  // namespace cairn::cli
