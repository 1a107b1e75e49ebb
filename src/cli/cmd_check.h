#pragma once

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl check`: the preflight.
struct CheckOptions {
  int timeout_seconds = 600;
  bool deep = false;    // --deep: also the probes that touch VSS's shared state
  bool strict = false;  // --strict: failed writers and near-full storage fail the check
};
void setup_check(CLI::App& app, CheckOptions& options);
report::Outcome run_check(const CheckOptions& options, Context& context);
Command check_command();

}  // namespace shadowctl::cli
