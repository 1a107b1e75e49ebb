#pragma once

#include <optional>
#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl events`: the VSS, volsnap and writer events of the Application and System logs.
struct EventsOptions {
  std::string since = "24h";
  std::optional<int> id;
};
void setup_events(CLI::App& app, EventsOptions& options);
report::Outcome run_events(const EventsOptions& options, Context& context);
Command events_command();

}  // namespace shadowctl::cli
