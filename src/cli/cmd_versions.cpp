#include "cli/cmd_versions.h"

#include "core/diagnosis.h"
#include "report/shapes.h"
#include "session/shadow_files.h"
#include "session/volumes.h"

namespace shadowctl::cli {

void setup_versions(CLI::App& app, VersionsOptions& options) {
  app.description(
      "Every version of a file or folder the shadow copies of its volume hold, newest first, "
      "beside the live one: each copy's id and time, the version's last-write time and size, "
      "and whether it differs from today's (size, time or kind; contents are not read). What "
      "Explorer's Previous Versions tab shows, for a console and a script.");
  app.add_option("path", options.path,
                 "An absolute path as you know it: C:\\Users\\ann\\report.docx")
      ->required();
  app.add_flag("--compare", options.compare,
               "Read the contents too: a file the same size as today's differs only if its "
               "bytes do (otherwise size, last-write time and kind decide)");
}

report::Outcome run_versions(const VersionsOptions& options, Context& context) {
  const auto volumes = session::VolumeTable::read(context.system);
  const core::FileVersions found = session::file_versions(context.system, volumes, options.path, options.compare);
  report::Outcome outcome;
  outcome.command = "versions";
  outcome.result = report::file_versions_json(found);
  for (const auto& u : found.unreadable)
    outcome.warnings.push_back({"copy_unreadable",
                                "the shadow copy " + u.shadow_id + " could not be read (" +
                                    core::diagnose(u.hr).name + ")",
                                u.shadow_id, u.hr});
  outcome.human = [found](std::ostream& out, const report::Style& style) {
    report::render_file_versions(out, style, found);
  };
  return outcome;
}

Command versions_command() {
  return make_command<VersionsOptions>(
      "versions", "Every shadow copy's version of a file, beside the live one", setup_versions,
      run_versions);
}

}  // namespace shadowctl::cli
