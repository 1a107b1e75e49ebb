#pragma once

#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl expose ID TARGET | expose ID --share NAME`: a persistent shadow copy at a free
// drive letter, an empty NTFS folder, or a share.
struct ExposeOptions {
  std::string id;
  std::string target;
  std::string share;
};
void setup_expose(CLI::App& app, ExposeOptions& options);
report::Outcome run_expose(const ExposeOptions& options, Context& context);
Command expose_command();

// `shadowctl unexpose TARGET|ID`: the drive letter, folder or share goes; the copy stays.
struct UnexposeOptions {
  std::string target;
};
void setup_unexpose(CLI::App& app, UnexposeOptions& options);
report::Outcome run_unexpose(const UnexposeOptions& options, Context& context);
Command unexpose_command();

}  // namespace shadowctl::cli
