#include "cli/cmd_create.h"

#include "core/vss.h"
#include "core/text.h"
#include "report/shapes.h"
#include "report/terminal.h"
#include "session/create.h"
#include "session/volumes.h"

namespace shadowctl::cli {

void setup_create(CLI::App& app, CreateOptions& options) {
  app.description(
      "Create one shadow copy set of the volumes named. Persistent with writers by default "
      "(app-rollback); a failure leaves no shadow copy and no set in creation behind.");
  add_set_options(app, options.set, SetCommand::create);
}

report::Outcome run_create(const CreateOptions& options, Context& context) {
  session::CreateRequest request;
  const auto volumes = session::VolumeTable::read(context.system);
  if (auto refused = fill_create_request(options.set, "create", context, volumes, request))
    return *refused;
  const auto made = session::create_snapshot_set(
      context.system, volumes, request,
      wait_policy(context, std::chrono::seconds(options.set.timeout_seconds)));
  const auto info = core::vss::context_of(request.context);
  const bool persistent = (request.context & core::vss::attr::persistent) != 0;

  report::Outcome outcome;
  outcome.command = "create";
  if (!persistent)
    outcome.warnings.push_back(
        {"not_kept",
         "the '" + std::string(info ? info->word : "") +
             "' context is not persistent: these shadow copies are deleted when shadowctl "
             "exits; use `shadowctl exec` to use them, or a persistent context to keep them",
         made.set_id});
  for (const auto& w : made.warnings) outcome.warnings.push_back(w);
  outcome.result = report::made_set_json(made);
  // Nobody would know of the set: the session's cleanup deletes it, as any failed create's.
  outcome.undo_if_unreported = made.undo_if_unreported;
  outcome.human = [made, info, persistent](std::ostream& out, const report::Style&) {
    out << "Created set " << made.set_id << " (" << (info ? info->word : "") << ", "
        << core::shadow_copies_text(made.shadows.size()) << ")"
        << (persistent ? "" : "; not kept: they were deleted as shadowctl exited") << "\n";
    for (const auto& s : made.shadows) {
      out << "  " << s.id << "  "
          << report::in_line(core::display_volume(s))
          << "  " << report::in_line(s.device_path);
      if (!s.exposed_name.empty()) out << "  exposed as " << report::in_line(s.exposed_name);
      out << '\n';
    }
    report::render_components(out, made.components, made.left_out);
  };
  return outcome;
}

Command create_command() {
  return make_command<CreateOptions>("create", "Create a shadow copy set of one or more volumes",
                                     setup_create, run_create);
}

}  // namespace shadowctl::cli
