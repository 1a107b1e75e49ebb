#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl create VOLUME... [--context C] [--no-writers] [--backup-type T] [--provider ID]
// [--include-writer W... | --exclude-writer W...] [--timeout SECONDS] [--retry N]
// [--script FILE] [--save-bcd FILE]`.
struct CreateOptions {
  std::vector<std::string> volumes;
  std::string context = "app-rollback";
  bool no_writers = false;
  std::string backup_type = "copy";
  std::string provider;
  int timeout_seconds = 600;
  int retries = 0;
  std::vector<std::string> include_writers;
  std::vector<std::string> exclude_writers;
  std::string script;    // --script FILE
  std::string save_bcd;  // --save-bcd FILE
};
void setup_create(CLI::App& app, CreateOptions& options);
report::Outcome run_create(const CreateOptions& options, Context& context);
Command create_command();

}  // namespace shadowctl::cli
