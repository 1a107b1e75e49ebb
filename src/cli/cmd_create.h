#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl create VOLUME... [--context C] [--no-writers] [--backup-type T] [--provider ID]
// [--timeout SECONDS] [--retry N]`.
struct CreateOptions {
  std::vector<std::string> volumes;
  std::string context = "app-rollback";
  bool no_writers = false;
  std::string backup_type = "copy";
  std::string provider;
  int timeout_seconds = 600;
  int retries = 0;
  std::string script;  // --script FILE
};
void setup_create(CLI::App& app, CreateOptions& options);
report::Outcome run_create(const CreateOptions& options, Context& context);
Command create_command();

}  // namespace shadowctl::cli
