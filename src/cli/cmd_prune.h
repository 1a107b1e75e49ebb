#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl prune --volume V... --keep-*... [scope] [--dry-run] [--yes]`: thins a volume's
// shadow copies by a retention policy, deleting only what no rule keeps.
struct PruneOptions {
  std::vector<std::string> volumes;
  int keep_last = 0, keep_hourly = 0, keep_daily = 0, keep_weekly = 0, keep_monthly = 0,
      keep_yearly = 0;
  std::string keep_within;
  int max_count = 0;
  bool utc = false;
  std::vector<std::string> contexts;
  bool all_contexts = false;
  bool include_exposed = false;
  bool dry_run = false;
  bool yes = false;
};
void setup_prune(CLI::App& app, PruneOptions& options);
report::Outcome run_prune(const PruneOptions& options, Context& context);
Command prune_command();

}  // namespace shadowctl::cli
