#pragma once

#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl completion powershell|bash`: the glue that makes a shell ask `shadowctl
// complete` (completion.h) for what can follow the words typed so far.
struct CompletionOptions {
  std::string shell;
};
void setup_completion(CLI::App& app, CompletionOptions& options);
report::Outcome run_completion(const CompletionOptions& options, Context& context);
Command completion_command();

}  // namespace shadowctl::cli
