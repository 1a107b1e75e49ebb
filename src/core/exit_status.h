#pragma once

#include <array>
#include <string_view>

namespace shadowctl::core {

// The process exit codes; docs/exit-codes.md is generated from kExitStatuses.
enum class ExitStatus : int {
  success = 0,
  failure = 1,
  usage = 2,
  access_denied = 3,
  vss_unavailable = 4,
  writer_failure = 5,
  timeout = 6,
  not_found = 7,
  busy = 8,
  limit_reached = 9,
  command_not_run = 127,
  interrupted = 130,
};

// One exit code as scripts see it: the number, the name JSON uses, and when it happens.
struct ExitStatusInfo {
  ExitStatus status;
  std::string_view name;
  std::string_view when;
};

// Every exit code, in numeric order.
inline constexpr auto kExitStatuses = std::to_array<ExitStatusInfo>({
    {ExitStatus::success, "success",
     "The command did what was asked. `check`: every check passed or only warned."},
    {ExitStatus::failure, "failure",
     "Any failure not listed below: an unexpected VSS or provider error, or output that could "
     "not be written (stdout closed, a full disk under --json-file, --script or --log-file; "
     "a create then deletes the set it made)."},
    {ExitStatus::usage, "usage",
     "The command line is not valid: unknown command or option, a missing or malformed "
     "argument, an output file (`--script`, `--save-bcd`, `--json-file`, `--log-file`) that "
     "is a folder, a link or cannot be written, a confirmation not given "
     "(`SHADOWCTL_E_NOT_CONFIRMED`)."},
    {ExitStatus::access_denied, "access_denied",
     "Not elevated, not a member of Administrators or Backup Operators, SeBackupPrivilege "
     "missing or not enabled, or `E_ACCESSDENIED` from VSS."},
    {ExitStatus::vss_unavailable, "vss_unavailable",
     "VSS cannot work on this system: the VSS service is disabled or missing, vssapi.dll is "
     "missing or lacks its entry point, VSS answers `E_NOTIMPL` (Wine, stripped images), a "
     "32-bit process on 64-bit Windows, or not Windows at all."},
    {ExitStatus::writer_failure, "writer_failure",
     "A VSS writer failed or did not respond (`VSS_E_WRITERERROR_*`, `VSS_E_WRITER_*`, or a "
     "writer in a `VSS_WS_FAILED_AT_*` state); the writer is named."},
    {ExitStatus::timeout, "timeout",
     "A phase did not finish before its deadline, or VSS itself timed out "
     "(`VSS_E_FLUSH_WRITES_TIMEOUT`, `VSS_E_HOLD_WRITES_TIMEOUT`, ...)."},
    {ExitStatus::not_found, "not_found",
     "The shadow copy, set, volume, provider, writer or file named does not exist."},
    {ExitStatus::busy, "busy",
     "Another VSS operation is in progress (`VSS_E_SNAPSHOT_SET_IN_PROGRESS`, "
     "`VSS_E_PROVIDER_IN_USE`, ...); retrying later can succeed."},
    {ExitStatus::limit_reached, "limit_reached",
     "A storage or count limit was reached (`VSS_E_INSUFFICIENT_STORAGE`, "
     "`VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED`, ...)."},
    {ExitStatus::command_not_run, "command_not_run",
     "`exec` could not run its command: not found (as a path, or in an absolute `PATH` folder "
     "with a `PATHEXT` extension) or not startable. Nothing was left behind. Otherwise `exec` "
     "exits with the command's own code."},
    {ExitStatus::interrupted, "interrupted",
     "Ctrl+C, Ctrl+Break or console close; whatever the run had started was cleaned up."},
});

// The short name used in JSON and in `explain` ("access_denied").
constexpr const char* exit_status_name(ExitStatus status) {
  for (const auto& e : kExitStatuses)
    if (e.status == status) return e.name.data();
  return "failure";
}

constexpr int to_int(ExitStatus status) { return static_cast<int>(status); }

}  // namespace shadowctl::core
