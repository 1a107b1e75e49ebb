#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl list shadows [--volume V]... [--set ID] [--id ID]`.
struct ListShadowsOptions {
  std::vector<std::string> volumes;
  std::string set_id;
  std::string id;
};
void setup_list_shadows(CLI::App& app, ListShadowsOptions& options);
report::Outcome run_list_shadows(const ListShadowsOptions& options, Context& context);

// `shadowctl list writers [--detailed] [--timeout SECONDS]`.
struct ListWritersOptions {
  bool detailed = false;
  int timeout_seconds = 600;
};
void setup_list_writers(CLI::App& app, ListWritersOptions& options);
report::Outcome run_list_writers(const ListWritersOptions& options, Context& context);

// `shadowctl list providers`.
struct ListProvidersOptions {};
void setup_list_providers(CLI::App& app, ListProvidersOptions& options);
report::Outcome run_list_providers(const ListProvidersOptions& options, Context& context);

// `shadowctl list volumes`.
struct ListVolumesOptions {};
void setup_list_volumes(CLI::App& app, ListVolumesOptions& options);
report::Outcome run_list_volumes(const ListVolumesOptions& options, Context& context);

// `shadowctl list storage`.
struct ListStorageOptions {};
void setup_list_storage(CLI::App& app, ListStorageOptions& options);
report::Outcome run_list_storage(const ListStorageOptions& options, Context& context);

// `shadowctl list ...`: the inventory group.
Command list_command();

}  // namespace shadowctl::cli
