#include "cli/cmd_diff.h"

#include <memory>

#include "core/diagnosis.h"
#include "report/shapes.h"
#include "session/diff.h"
#include "session/volumes.h"

namespace shadowctl::cli {

void setup_diff(CLI::App& app, DiffOptions& options) {
  app.description(
      "What changed between a shadow copy and the live volume, or a newer copy of the same "
      "volume: each file or folder added, removed or changed (size, last-write time, the "
      "read-only, hidden, system and archive attributes, kind; --compare reads contents), "
      "with counts and bytes. Links are compared as themselves, never followed. Reads only.");
  app.add_option("from", options.from,
                 "A shadow copy id (`shadowctl list shadows`), or latest: the newest copy of "
                 "the volume holding --path")
      ->required();
  app.add_option("to", options.to,
                 "live (the default): the volume as it is now; or a newer shadow copy id (or "
                 "latest) of the same volume")
      ->capture_default_str();
  app.add_option("--path", options.path,
                 "An absolute folder or file as you know it, C:\\Users\\ann: only what is below "
                 "it (default: the whole volume of FROM)");
  app.add_flag("--compare", options.compare,
               "Read the contents too: a file of the same size on both sides is changed when "
               "its bytes differ, even with the same time");
}

report::Outcome run_diff(const DiffOptions& options, Context& context) {
  const auto volumes = session::VolumeTable::read(context.system);
  const auto diff = std::make_shared<const core::TreeDiff>(session::diff_trees(
      context.system, volumes, {options.from, options.to, options.path, options.compare},
      context.cancel));
  report::Outcome outcome;
  outcome.command = "diff";
  outcome.result = report::diff_json(*diff);
  // A tree of 100,000 changes: each written on its own line as it is made.
  outcome.result_items_key = "changes";
  outcome.result_items = [diff](const auto& yield) {
    for (const auto& c : diff->changes) yield(report::diff_change_json(c));
  };
  for (const auto& u : diff->unreadable)
    outcome.warnings.push_back({"not_compared",
                                "not compared: " + u.path + " could not be read (" +
                                    core::diagnose(u.hr).name + ")",
                                u.path, u.hr});
  outcome.human = [diff](std::ostream& out, const report::Style& style) {
    report::render_diff(out, style, *diff);
  };
  return outcome;
}

Command diff_command() {
  return make_command<DiffOptions>(
      "diff", "What changed between a shadow copy and the live volume, or another copy", setup_diff,
      run_diff);
}

}  // namespace shadowctl::cli
