#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl check`: the preflight.
struct CheckOptions {
  int timeout_seconds = 600;
  bool deep = false;    // --deep: also trial shadow copies, headroom, events
  bool strict = false;  // --strict: failed writers and near-full storage fail the check
  bool writers = false;  // --writers (with --deep): a trial with writers too
  std::string since = "24h";  // --since (with --deep): the events from how long ago
  std::vector<std::string> volumes;  // with --deep: the volumes to trial; none: every local one
};
void setup_check(CLI::App& app, CheckOptions& options);
report::Outcome run_check(const CheckOptions& options, Context& context);
Command check_command();

}  // namespace shadowctl::cli
