#pragma once

#include <string>

#include "cli/command.h"

namespace shadowctl::cli {

// `shadowctl versions PATH`: every shadow copy's version of a file or folder, beside the
// live one, as Explorer's Previous Versions tab shows them.
struct VersionsOptions {
  std::string path;  // absolute, as the user knows it: C:\Users\ann\report.docx
  bool compare = false;
};
void setup_versions(CLI::App& app, VersionsOptions& options);
report::Outcome run_versions(const VersionsOptions& options, Context& context);
Command versions_command();

}  // namespace shadowctl::cli
