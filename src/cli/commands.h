// The `cairn` command line, as a function so tests can run it in-process.
#pragma once

#include <ostream>

namespace cairn {

// Parses argv and runs one command. Returns the process exit code: 0 on
// success, 1 when the command failed (the reason is on `err`), and CLI11's
// code for usage errors.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace cairn
