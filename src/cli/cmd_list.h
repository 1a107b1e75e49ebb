#pragma once

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl list shadows`: every shadow copy on the machine.
struct ListShadowsOptions {};
void setup_list_shadows(CLI::App& app, ListShadowsOptions& options);
report::Outcome run_list_shadows(const ListShadowsOptions& options, Context& context);

// `shadowctl list ...`: the inventory group.
Command list_command();

}  // namespace shadowctl::cli
