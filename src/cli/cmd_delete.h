#pragma once

#include <string>
#include <vector>

#include "cli/command.h"
#include "core/results.h"

namespace shadowctl::cli {

// `shadowctl delete --id ID... | --set ID | --volume V [--oldest] | --all [--volume V]
// [--dry-run] [--yes]`: only what the user named, in every context.
struct DeleteOptions {
  std::vector<std::string> ids;
  std::string set_id;
  std::vector<std::string> volumes;
  bool oldest = false;
  bool all = false;
  bool dry_run = false;
  bool yes = false;
};
void setup_delete(CLI::App& app, DeleteOptions& options);
report::Outcome run_delete(const DeleteOptions& options, Context& context);
Command delete_command();

// A deletion that stopped part-way (delete, prune): the error names the copy it stopped at
// and how many went before it, and the exit code is the failure's class.
void stopped_part_way(const core::DeleteOutcome& done, Context& context, report::Outcome& outcome);

}  // namespace shadowctl::cli
