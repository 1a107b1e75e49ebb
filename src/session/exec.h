#pragma once

// exec: one snapshot set made for one command, the command run against it without a shell,
// and the set gone afterwards, whatever happened. The set is made and cleaned up by
// create_snapshot_set, with the same rules as `create`.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "session/create.h"
#include "session/expose.h"

namespace shadowctl::session {

// A volume's shadow copy exposed for the command's lifetime (--mount VOLUME=TARGET).
struct Mount {
  std::string volume;  // \\?\Volume{GUID}\ name, resolved
  ExposeTarget target;  // checked
};

struct ExecRequest {
  CreateRequest create;
  std::vector<Mount> mounts;
  std::vector<std::u16string> command;  // COMMAND then its ARGS, as the user gave them
  bool drop_privileges = false;  // ProcessRequest::drop_privileges
};

// The command, once resolved: what CreateProcessW gets.
struct ResolvedCommand {
  std::u16string program;  // the file found
  ProcessRequest process;  // application and command line; the environment comes later
};

// Resolves COMMAND (core::resolve_program) and builds its command line; a batch file runs
// through System32's cmd.exe. Throws SHADOWCTL_E_COMMAND_NOT_FOUND, or
// SHADOWCTL_E_BATCH_ARGUMENT naming an argument a batch file cannot take. Asks nothing of
// VSS, so a bad command fails before any snapshot set exists.
ResolvedCommand resolve_command(Environment& environment, const std::vector<std::u16string>& command);

struct ExecResult {
  CreatedSet set;
  std::u16string program;
  ProcessResult process;
  std::vector<std::pair<std::string, std::string>> mounts;  // volume, exposed name
};

// Makes the set, exposes the mounts, runs the command with SHADOWCTL_* variables naming the
// set, reports its success (exit 0) to the writers, and deletes the set. Throws core::Error
// for a failure of the shadow copy phase, or SHADOWCTL_E_COMMAND_NOT_STARTED, each after
// cleanup; Ctrl+C during the command waits for it, then cleans up (ERROR_CANCELLED).
ExecResult run_with_set(const System& system, const VolumeTable& volumes, const ExecRequest& request,
                        const WaitPolicy& wait);

// The variables the command gets: SHADOWCTL_SET_ID, SHADOWCTL_SHADOW_COUNT,
// SHADOWCTL_SHADOW_<n>_ID/_VOLUME/_DEVICE, SHADOWCTL_DEVICE_<LETTER> (the device with a
// trailing backslash) for each copy whose volume has a drive letter (original_mount_point), SHADOWCTL_MOUNT_<n>.
std::vector<std::pair<std::u16string, std::u16string>> exec_variables(
    const CreatedSet& set, const std::vector<std::string>& mounts);

}  // namespace shadowctl::session
