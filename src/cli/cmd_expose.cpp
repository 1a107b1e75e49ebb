#include "cli/cmd_expose.h"

#include "report/terminal.h"
#include "report/shapes.h"
#include "session/expose.h"
#include "session/inventory.h"
#include "session/volumes.h"

namespace shadowctl::cli {
namespace {

// The volume a copy was made of, as the user knows it.
std::string origin(const core::ShadowCopy& s) {
  return s.original_mount_point.empty() ? s.original_volume : s.original_mount_point;
}

// Complete, as every command shows a shadow copy (its volume's mount point, its provider).
void complete(core::ShadowCopy& shadow, const session::System& system) {
  std::vector<core::ShadowCopy> one = {std::move(shadow)};
  session::complete_shadow_copies(system, session::VolumeTable::read(system), one);
  shadow = std::move(one.front());
}

}  // namespace

void setup_expose(CLI::App& app, ExposeOptions& options) {
  app.description(
      "Expose a persistent shadow copy, read-only, at a free drive letter, an empty folder on "
      "NTFS, or as a share. The exposure outlives shadowctl and survives reboots until "
      "`shadowctl unexpose`; its files keep the permissions they had when the copy was made.");
  app.add_option("id", options.id, "The shadow copy's id (`shadowctl list shadows`)")->required();
  app.add_option("target", options.target,
                 "A free drive letter (X:) or an empty folder on NTFS (C:\\Mount\\Shadow)");
  app.add_option("--share", options.share, "Expose it as this share instead (the whole volume)");
}

report::Outcome run_expose(const ExposeOptions& options, Context& context) {
  if (options.target.empty() == options.share.empty())
    return usage_outcome("expose", "expose takes a TARGET (a drive letter or a folder) or "
                                   "--share NAME, not both");
  const std::string id = *guid_option(options.id, "ID");
  // The target is checked before any VSS call.
  const session::ExposeTarget target =
      options.share.empty() ? session::check_local_target(context.system.environment, options.target)
                            : session::check_share_name(options.share);
  core::ShadowCopy shadow = session::expose_shadow_copy(context.system, id, target);
  complete(shadow, context.system);

  report::Outcome outcome;
  outcome.command = "expose";
  outcome.result = report::shadow_copy_json(shadow);
  outcome.human = [shadow](std::ostream& out, const report::Style&) {
    out << "Exposed " << shadow.id << " (" << report::in_line(origin(shadow)) << ") as "
        << report::in_line(shadow.exposed_name) << ", read-only.\n"
        << "It stays exposed, across reboots, until: shadowctl unexpose "
        << report::in_line(shadow.exposed_name) << '\n';
  };
  return outcome;
}

Command expose_command() {
  return make_command<ExposeOptions>(
      "expose", "Expose a persistent shadow copy as a drive letter, a folder or a share",
      setup_expose, run_expose);
}

void setup_unexpose(CLI::App& app, UnexposeOptions& options) {
  app.description(
      "Take an exposure away: the drive letter, folder or share goes, the shadow copy stays.");
  app.add_option("target", options.target,
                 "The drive letter, folder or share name it is exposed at, or its id")
      ->required();
}

report::Outcome run_unexpose(const UnexposeOptions& options, Context& context) {
  core::ShadowCopy shadow = session::unexpose_shadow_copy(context.system, options.target);
  complete(shadow, context.system);

  report::Outcome outcome;
  outcome.command = "unexpose";
  outcome.result = report::shadow_copy_json(shadow);
  outcome.human = [shadow](std::ostream& out, const report::Style&) {
    out << "Unexposed " << shadow.id << " (" << report::in_line(origin(shadow))
        << "): " << report::in_line(shadow.exposed_name) << " is gone; the shadow copy stays.\n";
  };
  return outcome;
}

Command unexpose_command() {
  return make_command<UnexposeOptions>(
      "unexpose", "Remove a shadow copy's drive letter, folder or share", setup_unexpose,
      run_unexpose);
}

}  // namespace shadowctl::cli
