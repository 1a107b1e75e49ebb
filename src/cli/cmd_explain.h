#pragma once

#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl explain CODE | --all`: the error catalogue.
struct ExplainOptions {
  std::string code;
  bool all = false;
};
void setup_explain(CLI::App& app, ExplainOptions& options);
report::Outcome run_explain(const ExplainOptions& options, Context& context);
Command explain_command();

}  // namespace shadowctl::cli
