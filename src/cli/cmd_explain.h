#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl explain CODE | --all | --event ID [--source NAME]`: the error and event
// catalogues.
struct ExplainOptions {
  std::string code;
  bool all = false;
  std::optional<std::uint32_t> event;  // a Windows event ID from the Application/System log
  std::string source;                  // the event's source: VSS or volsnap; "" for both
};
void setup_explain(CLI::App& app, ExplainOptions& options);
report::Outcome run_explain(const ExplainOptions& options, Context& context);
Command explain_command();

}  // namespace shadowctl::cli
