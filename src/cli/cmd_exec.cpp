#include "cli/cmd_exec.h"

#include <chrono>

#include <fmt/format.h>

#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "core/failure.h"
#include "core/vss.h"
#include "core/text.h"
#include "report/shapes.h"
#include "session/exec.h"
#include "session/volumes.h"

namespace shadowctl::cli {
void setup_exec(CLI::App& app, ExecOptions& options) {
  app.description(
      "Make a shadow copy set of the volumes, run COMMAND with ARGS against it (no shell; "
      "SHADOWCTL_* variables name the set), then delete the set whatever happened. Exits "
      "with the command's own code.");
  options.set.context = "backup";  // non-persistent: the set lives for the command
  add_set_options(app, options.set, SetCommand::exec);
  app.add_option("--mount", options.mounts,
                 "VOLUME=TARGET: expose that volume's shadow copy at a free drive letter or an "
                 "empty NTFS folder while the command runs (repeatable)");
  app.add_flag("--drop-privileges", options.drop_privileges,
               "Run the command with a restricted token that holds no privilege (not "
               "SeBackup, SeRestore, SeDebug or SeTakeOwnership), for a command that needs none");
  app.footer("COMMAND and its ARGS follow `--`: shadowctl exec C: -- robocopy ...");
}

report::Outcome run_exec(const ExecOptions& options, Context& context) {
  if (!context.command || context.command->empty())
    return usage_outcome("exec", "the command to run must follow `--`, as in `shadowctl exec "
                                 "C: -- cmd /c echo hi`");

  session::ExecRequest request;
  request.command = *context.command;
  request.drop_privileges = options.drop_privileges;
  const auto volumes = session::VolumeTable::read(context.system);
  if (auto refused = fill_create_request(options.set, "exec", context, volumes, request.create))
    return *refused;
  for (const auto& m : options.mounts) {
    const auto equals = m.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == m.size())
      return usage_outcome("exec", "--mount '" + m + "' is not VOLUME=TARGET");
    const core::Volume* v = volumes.resolve({m.substr(0, equals)}).front();
    if (std::find(request.create.volumes.begin(), request.create.volumes.end(), v->name) ==
        request.create.volumes.end())
      return usage_outcome("exec", "--mount '" + m + "': " + m.substr(0, equals) +
                                       " is not one of the volumes named");
    auto target = session::check_local_target(context.system.environment, m.substr(equals + 1));
    // Found now, not when the second exposure fails after writers froze.
    for (const auto& earlier : request.mounts) {
      if (earlier.volume == v->name)
        return usage_outcome("exec", "--mount '" + m + "': " + m.substr(0, equals) +
                                         " is already mounted by an earlier --mount");
      if (session::same_ignoring_case(earlier.target.name, target.name))
        return usage_outcome("exec", "--mount '" + m + "': " + target.name +
                                         " is the target of an earlier --mount");
    }
    request.mounts.push_back({v->name, std::move(target)});
  }
  if (!request.mounts.empty()) {
    // Exposing needs a persistent copy: the persistent counterpart, with the same writers.
    for (const auto& c : core::vss::kContexts)
      if (c.value == request.create.context) request.create.context = c.persistent;
    if ((request.create.context & core::vss::attr::client_accessible) != 0)
      return usage_outcome("exec", "--mount cannot expose client-accessible shadow copies");
  }

  const auto started = std::chrono::steady_clock::now();
  const auto ran = session::run_with_set(
      context.system, volumes, request,
      wait_policy(context, std::chrono::seconds(options.set.timeout_seconds)));

  report::Outcome outcome;
  outcome.command = "exec";
  outcome.warnings = ran.set.warnings;
  core::CommandRun run{core::utf8(ran.program), {}, ran.process.exit_code,
                       ran.process.run_time.count(), ran.mounts};
  for (std::size_t i = 1; i < request.command.size(); ++i)
    run.arguments.push_back(core::utf8(request.command[i]));
  outcome.result = report::exec_json(ran.set, run);
  // The command's own exit code is exec's, whatever it is.
  outcome.exit = static_cast<core::ExitStatus>(ran.process.exit_code);
  const auto total = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  outcome.human = [ran, total](std::ostream& out, const report::Style&) {
    out << fmt::format("shadowctl: {} exited with {} after {:.1f} s; set {} ({}) "
                       "{} ({:.1f} s in all)\n",
                       core::utf8(ran.program), ran.process.exit_code,
                       static_cast<double>(ran.process.run_time.count()) / 1000.0, ran.set.set_id,
                       core::shadow_copies_text(ran.set.shadows.size()),
                       ran.set.abandoned ? (ran.set.deleted ? "aborted and deleted" : "aborted, NOT deleted (see the warning)")
                       : ran.set.deleted ? "deleted" : "NOT deleted (see the warning)",
                       static_cast<double>(total.count()) / 1000.0);
  };
  return outcome;
}

Command exec_command() {
  Command exec = make_command<ExecOptions>(
      "exec", "Run a command against a temporary shadow copy set", setup_exec, run_exec);
  exec.runs_child = true;
  return exec;
}

}  // namespace shadowctl::cli
