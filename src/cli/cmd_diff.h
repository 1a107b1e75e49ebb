#pragma once

#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl diff FROM [TO] [--path P] [--compare]`: what changed between a shadow copy and
// the live volume, or a newer copy of the same volume.
struct DiffOptions {
  std::string from;         // a shadow copy id, or "latest"
  std::string to = "live";  // a shadow copy id, "latest", or "live"
  std::string path;         // absolute; empty: the whole volume of FROM
  bool compare = false;
};
void setup_diff(CLI::App& app, DiffOptions& options);
report::Outcome run_diff(const DiffOptions& options, Context& context);
Command diff_command();

}  // namespace shadowctl::cli
