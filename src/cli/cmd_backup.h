// `cairn backup`, `cairn restore` and `cairn blobs sweep`: the command-line
// faces of store/backup.h and store/blob_maintenance.h.
#pragma once

#include <ostream>

namespace CLI {
class App;
}

namespace cairn {

// Declares the three commands on `app`. Their options live as long as `app`;
// a command that fails sets `result` to 1 and says why on `err` ("cairn:
// <code>: <message>", and as JSON on `out` with --json).
void AddBackupCommands(CLI::App& app, int& result, std::ostream& out, std::ostream& err);

}  // namespace cairn
