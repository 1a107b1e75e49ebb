#pragma once

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl list shadows`: every shadow copy on the machine.
struct ListShadowsOptions {};
void setup_list_shadows(CLI::App& app, ListShadowsOptions& options);
report::Outcome run_list_shadows(const ListShadowsOptions& options, Context& context);

// `shadowctl list writers`: every writer with its state and last failure.
struct ListWritersOptions {
  int timeout_seconds = 600;
};
void setup_list_writers(CLI::App& app, ListWritersOptions& options);
report::Outcome run_list_writers(const ListWritersOptions& options, Context& context);

// `shadowctl list ...`: the inventory group.
Command list_command();

}  // namespace shadowctl::cli
