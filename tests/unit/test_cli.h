#pragma once

#include <string>
#include <vector>

#include "session/backend.h"

namespace shadowctl::test {

// What a user sees of one command line run in-process.
struct CliResult {
  int exit = -1;
  std::string out;
  std::string err;
};

// Runs `shadowctl ARGS...` against backend. A --json document is also saved under
// SHADOWCTL_JSON_CAPTURE_DIR for the schema test.
CliResult run_cli(std::vector<std::string> args, session::Backend& backend, bool color = false);

}  // namespace shadowctl::test
