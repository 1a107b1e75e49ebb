#include "cli/cmd_delete.h"

#include <sstream>

#include <fmt/format.h>

#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/text.h"
#include "report/terminal.h"
#include "report/shapes.h"
#include "session/deletion.h"
#include "session/inventory.h"

namespace shadowctl::cli {
namespace {

std::string plural(std::size_t n) { return core::shadow_copies_text(n); }

// Each copy, and where it is exposed: a drive letter, folder or share goes with its copy.
void render(const std::vector<core::ShadowCopy>& shadows, std::ostream& out, bool deleted = false) {
  for (const auto& s : shadows) {
    out << "  " << s.id << "  " << report::in_line(core::display_volume(s)) << "  "
        << report::local_time(s.created_unix_us);
    if (!s.exposed_name.empty())
      out << (deleted ? "  (was exposed as " : "  (exposed as ") << report::in_line(s.exposed_name)
          << (deleted ? ", which went with it)" : ", which goes with it)");
    out << '\n';
  }
}

}  // namespace

void setup_delete(CLI::App& app, DeleteOptions& options) {
  app.description(
      "Delete the shadow copies named, of any context and by any tool; nothing else. What "
      "--all, --volume or --set selects is listed and needs a y at the prompt, or --yes when "
      "not at a terminal; copies named by --id do not.");
  app.add_option("--id", options.ids, "A shadow copy id (repeatable)");
  app.add_option("--set", options.set_id, "Every shadow copy of this snapshot set");
  app.add_option("--volume", options.volumes,
                 "Every shadow copy of this volume (with --oldest, only its oldest; repeatable)");
  app.add_flag("--oldest", options.oldest, "With --volume: only the oldest shadow copy of each");
  app.add_flag("--all", options.all, "Every shadow copy (of --volume, if given)");
  app.add_flag("--dry-run", options.dry_run, "List what would be deleted; delete nothing");
  app.add_flag("-y,--yes", options.yes,
               "Delete what --all, --volume or --set selected without asking");
}

report::Outcome run_delete(const DeleteOptions& options, Context& context) {
  const int selectors = !options.ids.empty() + !options.set_id.empty() +
                        (!options.volumes.empty() || options.all);
  if (selectors != 1)
    return usage_outcome("delete",
                         "delete takes exactly one of --id, --set, --volume or --all "
                         "(--all may be narrowed by --volume)");
  if (options.oldest && options.volumes.empty())
    return usage_outcome("delete", "--oldest goes with --volume");

  session::DeleteRequest request;
  session::ShadowSelection& selection = request.selection;
  for (const auto& id : options.ids) selection.ids.push_back(*guid_option(id, "--id"));
  selection.set_id = guid_option(options.set_id, "--set");
  selection.oldest = options.oldest ? 1 : 0;
  const auto volumes = session::VolumeTable::read(context.system);
  for (const core::Volume* v : volumes.resolve(options.volumes))
    selection.volumes.push_back(v->name);
  request.dry_run = options.dry_run;
  request.yes = options.yes;

  // The prompt lists what it will delete before it asks.
  session::ConfirmDeletion confirm;
  if (context.confirm)
    confirm = [&context](const std::string& question, const std::vector<core::ShadowCopy>& listed) {
      std::ostringstream text;
      render(listed, text);
      return context.confirm(text.str() + question);
    };
  const auto report = session::delete_selection(context.system, volumes, request, confirm);
  const auto& chosen = report.selected;

  report::Outcome outcome;
  outcome.command = "delete";
  outcome.result = report::deletion_json(report);
  if (options.dry_run || chosen.empty()) {
    outcome.human = [chosen](std::ostream& out, const report::Style&) {
      if (chosen.empty()) {
        out << "Nothing to delete: no shadow copy matches.\n";
        return;
      }
      out << "Would delete " << plural(chosen.size()) << " (dry run, nothing deleted):\n";
      render(chosen, out);
    };
    return outcome;
  }

  const auto& done = report.done;
  stopped_part_way(done, context, outcome);
  outcome.human = [deleted = done.deleted, gone = done.gone](std::ostream& out,
                                                             const report::Style&) {
    out << "Deleted " << plural(deleted.size()) << (deleted.empty() ? ".\n" : ":\n");
    render(deleted, out, true);
    if (gone.empty()) return;
    out << "Already gone, deleted by something else after they were listed: " << plural(gone.size())
        << ":\n";
    render(gone, out);
  };
  return outcome;
}

void stopped_part_way(const core::DeleteOutcome& done, Context& context, report::Outcome& outcome) {
  if (!done.failure) return;
  core::Diagnosis d = core::diagnose(done.failure->hr, done.failure->phase,
                                     context.system.environment.system_message(done.failure->hr));
  d.detail = fmt::format("stopped at {}; {} deleted before it", done.failed_id,
                         plural(done.deleted.size()));
  outcome.exit = d.exit == core::ExitStatus::success ? core::ExitStatus::failure : d.exit;
  outcome.error = std::move(d);
}

Command delete_command() {
  return make_command<DeleteOptions>("delete", "Delete the shadow copies named, and only those",
                                     setup_delete, run_delete);
}

}  // namespace shadowctl::cli
