#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/set_options.h"

namespace shadowctl::cli {

// `shadowctl create VOLUME... [the set's options, set_options.h]`.
struct CreateOptions {
  SetOptions set;
};
void setup_create(CLI::App& app, CreateOptions& options);
report::Outcome run_create(const CreateOptions& options, Context& context);
Command create_command();

}  // namespace shadowctl::cli
