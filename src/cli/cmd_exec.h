#pragma once

#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/set_options.h"

namespace shadowctl::cli {

// `shadowctl exec VOLUME... [create's options] [--mount VOLUME=TARGET]... -- COMMAND [ARGS...]`:
// a set made for one command, which runs against it without a shell; the set goes after.
struct ExecOptions {
  SetOptions set;  // context "backup" by default (setup_exec): it lives for the command
  std::vector<std::string> mounts;  // VOLUME=TARGET
  bool drop_privileges = false;     // the command runs without the elevated token's privileges
};
void setup_exec(CLI::App& app, ExecOptions& options);
report::Outcome run_exec(const ExecOptions& options, Context& context);
Command exec_command();

}  // namespace shadowctl::cli
