#pragma once

#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl storage add --for V --on W --max SIZE`, `storage resize --for V [--on W] --max
// SIZE`, `storage delete --for V [--on W]`: shadow storage associations, as vssadmin's
// add|resize|delete shadowstorage change them, with what a change would delete named first.
struct StorageOptions {
  std::string for_volume;
  std::string on_volume;
  std::string max;
  bool dry_run = false;
  bool yes = false;
};
void setup_storage_add(CLI::App& app, StorageOptions& options);
report::Outcome run_storage_add(const StorageOptions& options, Context& context);
void setup_storage_resize(CLI::App& app, StorageOptions& options);
report::Outcome run_storage_resize(const StorageOptions& options, Context& context);
void setup_storage_delete(CLI::App& app, StorageOptions& options);
report::Outcome run_storage_delete(const StorageOptions& options, Context& context);

Command storage_command();

}  // namespace shadowctl::cli
