#pragma once

// The options that describe a snapshot set, shared by create and exec: their CLI11 set-up,
// and the session::CreateRequest they come to.

#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "session/create.h"
#include "session/volumes.h"

namespace shadowctl::cli {

// VOLUME... [--context C] [--no-writers] [--backup-type T] [--provider ID]
// [--include-writer W... | --exclude-writer W...] [--require-writer W...]
// [--bootable-system-state true|false] [--option O...] [--timeout SECONDS] [--retry N]
// [--retry-wait SECONDS] [--script FILE] [--save-bcd FILE]
struct SetOptions {
  std::vector<std::string> volumes;
  std::string context = "app-rollback";
  bool no_writers = false;
  std::string backup_type = "copy";
  std::string provider;
  int timeout_seconds = 600;
  int retries = 0;
  std::optional<int> retry_wait_seconds;  // --retry-wait; default: per code
  std::vector<std::string> include_writers;
  std::vector<std::string> exclude_writers;
  std::vector<std::string> require_writers;
  std::string bootable_system_state;  // --bootable-system-state true|false; "": derived
  std::vector<std::string> options;   // --option: core::vss::kSnapshotOptions words
  std::string script;    // --script FILE
  std::string save_bcd;  // --save-bcd FILE
};
// Which command the set is for: exec has no --script (its command gets the same values as
// SHADOWCTL_* variables).
enum class SetCommand { create, exec };
// The volumes and every option of the set.
void add_set_options(CLI::App& app, SetOptions& options, SetCommand command);
// The request the options describe, volumes resolved; a usage outcome when they do not go
// together. The --script and --save-bcd files are written before the set is kept.
std::optional<report::Outcome> fill_create_request(const SetOptions& options,
                                                   const std::string& command, Context& context,
                                                   const session::VolumeTable& volumes,
                                                   session::CreateRequest& request);

}  // namespace shadowctl::cli
