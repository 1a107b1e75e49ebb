#include "cli/cmd_storage.h"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/cmd_delete.h"
#include "core/storage.h"
#include "core/text.h"
#include "report/shapes.h"
#include "report/table.h"
#include "report/terminal.h"
#include "session/storage.h"

namespace shadowctl::cli {
namespace {

constexpr const char* kSizeHelp =
    "Bytes, or with KB, MB, GB, TB (multiples of 1024: 20GB), a percentage of the storage "
    "volume (15%), or unbounded; at least 320MB";

void add_volume_options(CLI::App& app, StorageOptions& options, bool on_required) {
  app.add_option("--for", options.for_volume, "The volume whose shadow copies the storage holds")
      ->required();
  auto* on = app.add_option("--on", options.on_volume, "The volume the storage is on");
  if (on_required) on->required();
}

std::string association_line(const std::optional<core::StorageAssociation>& a,
                             const session::VolumeTable& volumes) {
  if (!a) return "none";
  const core::Volume* on = volumes.by_name(a->on_volume);
  return fmt::format("on {}: {} used, {} allocated, maximum {}",
                     on ? core::display_name(*on) : a->on_volume, report::human_bytes(a->used),
                     report::human_bytes(a->allocated),
                     a->maximum == 0 ? "unbounded" : report::human_bytes(a->maximum));
}

session::ConfirmDeletion confirmation(Context& context) {
  if (!context.confirm) return {};
  return [&context](const std::string& question, const std::vector<core::ShadowCopy>& listed) {
    std::ostringstream text;
    for (const auto& s : listed)
      text << "  " << s.id << "  " << report::one_line(core::display_volume(s)) << "  "
           << report::local_time(s.created_unix_us) << '\n';
    return context.confirm(text.str() + question);
  };
}

enum class Action { add, resize, remove };

report::Outcome run_storage(Action action, const StorageOptions& options, Context& context) {
  static constexpr const char* kNames[] = {"storage add", "storage resize", "storage delete"};
  const std::string command = kNames[static_cast<int>(action)];
  session::StorageRequest request;
  if (action != Action::remove) {
    const auto size = core::parse_storage_size(options.max);
    if (!size)
      return usage_outcome(command, "--max '" + report::one_line(options.max) +
                                        "' is not a size: bytes, 20GB, 512MB, 15% or unbounded");
    request.size = *size;
  }
  const auto volumes = session::VolumeTable::read(context.system);
  request.for_volume = volumes.resolve({options.for_volume}).front()->name;
  if (!options.on_volume.empty()) request.on_volume = volumes.resolve({options.on_volume}).front()->name;
  request.dry_run = options.dry_run;
  request.yes = options.yes;
  const core::StorageChange change =
      action == Action::add      ? session::add_storage(context.system, volumes, request)
      : action == Action::resize ? session::resize_storage(context.system, volumes, request,
                                                           confirmation(context))
                                 : session::delete_storage(context.system, volumes, request,
                                                           confirmation(context));
  report::Outcome outcome;
  outcome.command = command;
  outcome.result = report::storage_change_json(change);
  if (action == Action::remove) stopped_part_way(change.deleted, context, outcome);
  // The estimate assumes copies of average size; one that held more makes Windows take more.
  std::vector<std::string> unnamed;
  for (const auto& g : change.gone)
    if (std::none_of(change.at_risk.begin(), change.at_risk.end(),
                     [&](const auto& a) { return a.id == g.id; }))
      unnamed.push_back(g.id);
  if (!unnamed.empty())
    outcome.warnings.push_back(
        {"more_copies_deleted",
         fmt::format("Windows deleted {} more than estimated (older copies held more of the "
                     "storage than the average): {}",
                     core::shadow_copies_text(unnamed.size()), fmt::join(unnamed, ", ")),
         fmt::format("{}", fmt::join(unnamed, ","))});
  const core::Volume* of = volumes.by_name(change.for_volume);
  const std::string name = of ? core::display_name(*of) : change.for_volume;
  outcome.human = [change, name, before = association_line(change.before, volumes),
                   after = association_line(change.after, volumes)](std::ostream& out,
                                                                     const report::Style&) {
    out << "Shadow storage for " << report::one_line(name) << (change.dry_run ? " (dry run)" : "")
        << ":\n  before: " << before << '\n';
    if (!change.dry_run) out << "  after:  " << after << '\n';
    auto list = [&out](const char* title, const std::vector<core::ShadowCopy>& copies) {
      if (copies.empty()) return;
      out << title << '\n';
      for (const auto& s : copies)
        out << "  " << s.id << "  " << report::local_time(s.created_unix_us) << '\n';
    };
    if (change.dry_run || change.gone.empty())
      list(change.action == "delete" ? "Shadow copies stored there (deleted with it):"
                                     : "Shadow copies Windows would delete (oldest first, an estimate):",
           change.at_risk);
    list("Shadow copies that went:", change.gone);
  };
  return outcome;
}

}  // namespace

void setup_storage_add(CLI::App& app, StorageOptions& options) {
  app.description("Add a shadow storage association: the shadow copies of --for kept on --on, "
                  "up to --max (vssadmin add shadowstorage; AddDiffArea).");
  add_volume_options(app, options, true);
  app.add_option("--max", options.max, kSizeHelp)->required();
  app.add_flag("--dry-run", options.dry_run, "Check and show; change nothing");
}

report::Outcome run_storage_add(const StorageOptions& options, Context& context) {
  return run_storage(Action::add, options, context);
}

void setup_storage_resize(CLI::App& app, StorageOptions& options) {
  app.description(
      "Change the maximum of a volume's shadow storage (vssadmin resize shadowstorage; "
      "ChangeDiffAreaMaximumSize). Below what is used, Windows deletes the volume's oldest "
      "shadow copies until the rest fit: they are named first, and asked for (--yes when not "
      "at a terminal).");
  add_volume_options(app, options, false);
  app.add_option("--max", options.max, kSizeHelp)->required();
  app.add_flag("--dry-run", options.dry_run, "Name what would go; change nothing");
  app.add_flag("-y,--yes", options.yes, "Resize without asking, even if copies go");
}

report::Outcome run_storage_resize(const StorageOptions& options, Context& context) {
  return run_storage(Action::resize, options, context);
}

void setup_storage_delete(CLI::App& app, StorageOptions& options) {
  app.description(
      "Delete a volume's shadow storage association (vssadmin delete shadowstorage; "
      "ChangeDiffAreaMaximumSize with 0). Shadow copies stored there are deleted first: "
      "named, and asked for (--yes when not at a terminal).");
  add_volume_options(app, options, false);
  app.add_flag("--dry-run", options.dry_run, "Name what would go; change nothing");
  app.add_flag("-y,--yes", options.yes, "Delete without asking, copies stored there included");
}

report::Outcome run_storage_delete(const StorageOptions& options, Context& context) {
  return run_storage(Action::remove, options, context);
}

Command storage_command() {
  return make_group(
      "storage", "Shadow storage: add, resize and delete associations (list storage lists them)",
      {make_command<StorageOptions>("add", "Add a shadow storage association", setup_storage_add,
                                    run_storage_add),
       make_command<StorageOptions>("resize", "Change a shadow storage maximum",
                                    setup_storage_resize, run_storage_resize),
       make_command<StorageOptions>("delete", "Delete a shadow storage association",
                                    setup_storage_delete, run_storage_delete)});
}

}  // namespace shadowctl::cli
