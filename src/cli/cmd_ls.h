#pragma once

#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl ls ID|latest PATH`: a folder as a shadow copy holds it, as `dir` lists it.
struct LsOptions {
  std::string shadow;  // a shadow copy id, or "latest"
  std::string path;    // absolute, as the user knows it: C:\Users\ann
};
void setup_ls(CLI::App& app, LsOptions& options);
report::Outcome run_ls(const LsOptions& options, Context& context);
Command ls_command();

}  // namespace shadowctl::cli
