#include "cli/cmd_restore.h"

#include <chrono>

#include <fmt/format.h>

#include "core/arguments.h"
#include "core/command_line.h"
#include "core/diagnosis.h"
#include "core/text.h"
#include "report/shapes.h"
#include "session/restore.h"
#include "session/volumes.h"

namespace shadowctl::cli {

void setup_restore(CLI::App& app, RestoreOptions& options) {
  app.description(
      "Copy files or folders back from a shadow copy: each PATH as you know it "
      "(C:\\Users\\ann\\report.docx), read from the newest copy of its volume (or --from, "
      "--before), to the folder --to names, or back at PATH itself with --in-place. Replaces "
      "nothing unless told; keeps times and the read-only, hidden, system and archive "
      "attributes; never follows a link in the copy; never leaves a part-written file.");
  app.add_option("path", options.paths, "Absolute paths as you know them: C:\\Users\\ann\\docs")
      ->required();
  auto* to = app.add_option("--to", options.to,
                            "The folder to restore into (made if missing): PATH's last name "
                            "goes inside it");
  auto* in_place = app.add_flag("--in-place", options.in_place,
                                "Put the old versions back at PATH itself; asks first (--yes), "
                                "keeps each current file as NAME.shadowctl-TIMESTAMP");
  to->excludes(in_place);
  auto* from = app.add_option("--from", options.from,
                              "A shadow copy id, or latest (the default): the newest copy of "
                              "PATH's volume");
  app.add_option("--before", options.before,
                 "The newest copy made before this time: 2026-12-05, 2026-12-05T14:30 (local), "
                 "2026-12-05T14:30Z (UTC)")
      ->excludes(from);
  auto* overwrite =
      app.add_flag("--overwrite", options.overwrite, "Replace files already at the destination");
  app.add_flag("--skip-existing", options.skip_existing,
               "Leave files already at the destination as they are")
      ->excludes(overwrite);
  app.add_flag("--no-backup", options.no_backup,
               "With --in-place: replace the current files without keeping them");
  app.add_flag("--dry-run", options.dry_run, "List what would be written; write nothing");
  app.add_flag("-y,--yes", options.yes, "Confirm an --in-place restore without a prompt");
}

report::Outcome run_restore(const RestoreOptions& options, Context& context) {
  if (options.to.empty() && !options.in_place)
    return usage_outcome("restore",
                         "restore needs --to FOLDER, or --in-place to put the old "
                         "versions back at PATH itself");
  if (options.no_backup && !options.in_place)
    return usage_outcome("restore", "--no-backup goes with --in-place");
  if (options.in_place && (options.overwrite || options.skip_existing))
    return usage_outcome("restore",
                         "--in-place replaces what changed and keeps the current "
                         "files; --overwrite and --skip-existing go with --to");
  session::RestoreRequest request;
  request.paths = options.paths;
  request.from = options.from;
  if (!options.before.empty()) {
    request.before_unix_us = core::parse_time(options.before);
    if (!request.before_unix_us)
      return usage_outcome("restore", "--before '" + options.before +
                                          "' is not a time: give 2026-12-05, "
                                          "2026-12-05T14:30 or 2026-12-05T14:30Z");
  }
  // A relative --to means what it means in the console it was typed in.
  if (!options.to.empty())
    request.destination = core::utf8(context.system.environment.full_path(core::utf16(options.to)));
  request.in_place = options.in_place;
  request.keep_current = !options.no_backup;
  request.existing = options.overwrite       ? session::WhenExisting::overwrite
                     : options.skip_existing ? session::WhenExisting::skip
                                             : session::WhenExisting::refuse;
  request.dry_run = options.dry_run;
  request.yes = options.yes;
  request.now_unix_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();

  // The progress line, redrawn at most every tenth of a second.
  const auto started = std::chrono::steady_clock::now();
  auto shown = started - std::chrono::seconds(1);
  report::Progress& progress = context.progress;
  const session::ShowRestoreProgress show = [&](const session::RestoreProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now - shown < std::chrono::milliseconds(100)) return;
    shown = now;
    progress.show(fmt::format("restoring: {} of {} files, {} of {} MiB", p.files, p.files_planned,
                              p.bytes >> 20, p.bytes_planned >> 20),
                  std::chrono::duration_cast<std::chrono::seconds>(now - started));
  };
  const auto volumes = session::VolumeTable::read(context.system);
  const core::RestoreReport report =
      session::restore_files(context.system, volumes, request,
                             session::ConfirmRestore(context.confirm), context.cancel, show);
  progress.clear();

  report::Outcome outcome;
  outcome.command = "restore";
  outcome.result = report::restore_json(report);
  outcome.human = [report](std::ostream& out, const report::Style& style) {
    report::render_restore(out, style, report);
  };
  for (const auto& item : report.items)
    if (item.action == core::RestoreAction::skip && item.entry.is_reparse_point())
      outcome.warnings.push_back(
          {"not_restored", "not restored: " + item.path + " is " + item.reason, item.path});
  // What stopped the run, else the first file that failed, sets the exit code.
  const core::RestoreItem* first_failed = nullptr;
  for (const auto& item : report.items)
    if (item.state == core::RestoreState::failed && !first_failed) first_failed = &item;
  if (report.stopped || first_failed) {
    const core::HResult hr = report.stopped ? report.stopped->hr : first_failed->error;
    core::Diagnosis d =
        core::diagnose(hr, "restore", context.system.environment.system_message(hr));
    d.detail = report.stopped
                   ? fmt::format("{}; {} restored before it, none left part-written",
                                 report.stopped->detail, core::counted(report.files, "file", "files"))
                   : fmt::format("{} could not be restored; the first: {}; the others were",
                                 core::counted(report.failed, "file", "files"), first_failed->path);
    outcome.exit = d.exit == core::ExitStatus::success ? core::ExitStatus::failure : d.exit;
    outcome.error = std::move(d);
  }
  return outcome;
}

Command restore_command() {
  return make_command<RestoreOptions>("restore", "Copy files or folders back from a shadow copy",
                                      setup_restore, run_restore);
}

}  // namespace shadowctl::cli
