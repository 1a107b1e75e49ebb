#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "report/reporter.h"
#include "session/backend.h"
#include "session/cancel.h"

namespace shadowctl::cli {

// What every command runs against.
struct Context {
  session::Backend& backend;
  session::CancelToken& cancel;
};

// `shadowctl check`: the preflight.
struct CheckOptions {};
void setup_check(CLI::App& app, CheckOptions& options);
report::Outcome run_check(const CheckOptions& options, Context& context);

// `shadowctl explain CODE | --all`: the error catalogue.
struct ExplainOptions {
  std::string code;
  bool all = false;
};
void setup_explain(CLI::App& app, ExplainOptions& options);
report::Outcome run_explain(const ExplainOptions& options, Context& context);

// An outcome for a command line that is not valid.
report::Outcome usage_outcome(std::string command, std::string message);

}  // namespace shadowctl::cli
