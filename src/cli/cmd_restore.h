#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl restore PATH... --to DEST|--in-place`: files and folders back from a shadow copy.
struct RestoreOptions {
  std::vector<std::string> paths;
  std::string to;
  bool in_place = false;
  std::string from = "latest";
  std::string before;
  bool overwrite = false;
  bool skip_existing = false;
  bool no_backup = false;
  bool dry_run = false;
  bool yes = false;
};
void setup_restore(CLI::App& app, RestoreOptions& options);
report::Outcome run_restore(const RestoreOptions& options, Context& context);
Command restore_command();

}  // namespace shadowctl::cli
