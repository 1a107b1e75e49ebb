#include "session/exec.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/command_line.h"
#include "core/error_catalogue.h"
#include "core/diagnosis.h"
#include "core/failure.h"
#include "session/privilege.h"
#include "session/set_script.h"
#include "session/volumes.h"

namespace shadowctl::session {
namespace {

// A variable of the tool's own environment, or "".
std::u16string variable(const std::vector<std::u16string>& environment, std::u16string_view name) {
  for (const auto& entry : environment) {
    const auto equals = entry.find(u'=', 1);
    if (equals != name.size()) continue;
    if (core::utf8(entry.substr(0, equals)).size() == core::utf8(name).size() &&
        same_ignoring_case(core::utf8(entry.substr(0, equals)), core::utf8(name)))
      return entry.substr(equals + 1);
  }
  return {};
}

}  // namespace

ResolvedCommand resolve_command(Environment& environment,
                                const std::vector<std::u16string>& command) {
  if (command.empty() || command.front().empty())
    throw core::Error({core::hr::shadowctl_e_usage, "exec", "a command is needed after --"});
  const auto variables = environment.environment_variables();
  const std::u16string& typed = command.front();
  const PrivilegeSetAside aside(environment);  // the lookup opens the user's own paths
  // A path is made absolute first: the child gets no current-folder lookups of its own.
  const bool is_path = typed.find_first_of(u"\\/:") != std::u16string::npos;
  const auto found = core::resolve_program(
      is_path ? environment.full_path(typed) : typed, variable(variables, u"PATH"),
      variable(variables, u"PATHEXT"), [&](const std::u16string& p) { return environment.is_file(p); });
  if (!found)
    throw core::Error({core::hr::shadowctl_e_command_not_found, "exec",
                       "'" + core::utf8(typed) + "' was not found"});
  ResolvedCommand resolved{*found, {}};
  const std::vector<std::u16string> arguments(command.begin() + 1, command.end());
  if (core::is_batch_file(*found)) {
    std::size_t refused = 0;
    const auto line = core::batch_command_line(*found, arguments, &refused);
    if (!line)
      throw core::Error({core::hr::shadowctl_e_batch_argument, "exec",
                         fmt::format("argument {} of {}", refused + 1, core::utf8(typed))});
    resolved.process.application = environment.system_folder() + u"\\cmd.exe";
    resolved.process.command_line = *line;
  } else {
    resolved.process.application = *found;
    resolved.process.command_line = core::command_line(*found, arguments);
  }
  return resolved;
}

std::vector<std::pair<std::u16string, std::u16string>> exec_variables(
    const CreatedSet& set, const std::vector<std::string>& mounts) {
  std::vector<std::pair<std::u16string, std::u16string>> vars;
  auto add = [&](const std::string& name, const std::string& value) {
    vars.emplace_back(core::utf16(name), core::utf16(value));
  };
  for (const auto& [name, value] : set_variables(set.set_id, set.shadows)) add(name, value);
  for (std::size_t i = 0; i < mounts.size(); ++i)
    add(fmt::format("SHADOWCTL_MOUNT_{}", i + 1), mounts[i]);
  // A command the child looks up itself (cmd running a batch file's lines, a program calling
  // SearchPath or CreateProcess by name) is not taken from the current folder, which may be
  // one anybody can write to. https://learn.microsoft.com/windows/win32/api/processenv/nf-processenv-needcurrentdirectoryforexepathw
  add("NoDefaultCurrentDirectoryInExePath", "1");
  return vars;
}

ExecResult run_with_set(const System& system, const VolumeTable& volumes, const ExecRequest& request,
                        const WaitPolicy& wait) {
  ResolvedCommand command = resolve_command(system.environment, request.command);
  command.process.drop_privileges = request.drop_privileges;
  ExecResult result;
  result.program = command.program;

  CreateRequest create = request.create;
  create.keep = false;
  create.use = [&](BackupComponents& components, const CreatedSet& made) {
    std::vector<std::string> exposed;
    std::vector<std::string> exposed_ids;
    // Whatever happens to the command, what was exposed is taken away before the set goes.
    struct Unexpose {
      BackupComponents& components;
      std::vector<std::string>& ids;
      ~Unexpose() {
        for (const auto& id : ids)
          if (core::failed(components.unexpose_snapshot(id)))
            spdlog::warn("could not unexpose {}; deleting the set removes it", id);
      }
    } unexpose{components, exposed_ids};
    for (const auto& mount : request.mounts) {
      const auto shadow = std::find_if(made.shadows.begin(), made.shadows.end(), [&](const auto& s) {
        return same_ignoring_case(s.original_volume, mount.volume);
      });
      if (shadow == made.shadows.end()) continue;  // --mount's volume is one of the set's
      const core::ShadowCopy now = expose_shadow_copy(components, shadow->id, mount.target);
      exposed_ids.push_back(shadow->id);
      exposed.push_back(now.exposed_name);
      result.mounts.emplace_back(mount.volume, now.exposed_name);
    }
    command.process.environment = core::environment_block(
        system.environment.environment_variables(), exec_variables(made, exposed));
    // The program and how many arguments, never their text: a backup program's password
    // would land in every --log-file and on stderr with -v.
    spdlog::info("running {} with {} argument(s) (their text is not logged)",
                 core::utf8(command.program), request.command.size() - 1);
    result.process = system.environment.run_process(command.process);
    if (core::failed(result.process.start_error)) {
      // Named and explained by the Win32 error Windows gave, with that error's remedy.
      const core::Diagnosis why = core::diagnose(result.process.start_error);
      throw core::Error({core::hr::shadowctl_e_command_not_started, "exec",
                         core::utf8(command.program) + ": " + why.name + " (" + why.meaning + ")",
                         {},
                         {},
                         why.known ? why.remedy : std::string()});
    }
    return result.process.exit_code == 0;
  };
  result.set = create_snapshot_set(system, volumes, create, wait);
  return result;
}

}  // namespace shadowctl::session
