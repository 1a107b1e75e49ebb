#include "cli/cmd_ls.h"

#include "report/shapes.h"
#include "session/shadow_files.h"
#include "session/volumes.h"

namespace shadowctl::cli {

void setup_ls(CLI::App& app, LsOptions& options) {
  app.description(
      "List a folder as a shadow copy holds it, as `dir` would: each entry's last-write "
      "time, size or <DIR>, and name; links as themselves, never followed. Reads the copy "
      "only.");
  app.add_option("shadow", options.shadow,
                 "A shadow copy id (`shadowctl list shadows`), or latest: the newest copy of "
                 "the volume holding PATH")
      ->required();
  app.add_option("path", options.path, "An absolute path as you know it: C:\\Users\\ann")
      ->required();
}

report::Outcome run_ls(const LsOptions& options, Context& context) {
  const auto volumes = session::VolumeTable::read(context.system);
  const core::FolderListing listing =
      session::list_shadow_folder(context.system, volumes, options.shadow, options.path);
  report::Outcome outcome;
  outcome.command = "ls";
  outcome.result = report::folder_listing_json(listing);
  outcome.human = [listing](std::ostream& out, const report::Style& style) {
    report::render_folder_listing(out, style, listing);
  };
  return outcome;
}

Command ls_command() {
  return make_command<LsOptions>("ls", "List a folder as a shadow copy holds it", setup_ls,
                                 run_ls);
}

}  // namespace shadowctl::cli
