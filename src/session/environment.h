#pragma once

// The environment probe: what the process and the machine say before any VSS call. The
// Windows implementation reads the token and the service control manager; the tests' one
// returns facts a test sets.

#include <chrono>
#include <cstdint>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

#include "core/hresult.h"
#include "core/file_entry.h"
#include "core/schedule.h"
#include "core/vss_objects.h"

namespace shadowctl::session {

// The process's and the machine's architecture ("x64", "x86", "arm64").
struct ArchitectureFacts {
  std::string process;
  std::string machine;
};

// What the process token says about elevation and group membership.
struct TokenFacts {
  core::HResult error = 0;  // non-zero when the token could not be read
  bool elevated = false;
  bool administrators = false;
  bool backup_operators = false;
};

// SeBackupPrivilege: present in the token, and enabled after trying to enable it.
struct PrivilegeFacts {
  core::HResult error = 0;
  bool present = false;
  bool was_enabled = false;
  bool enabled = false;
};

enum class ServiceStart { automatic, manual, disabled, unknown };

// The VSS service as the service control manager sees it.
struct ServiceFacts {
  core::HResult error = 0;  // ERROR_SERVICE_DOES_NOT_EXIST when absent
  ServiceStart start = ServiceStart::unknown;
  bool running = false;
};

// What is at a folder the user names as a mount point, as seen through a handle opened
// without following a reparse point.
struct FolderFacts {
  core::HResult error = 0;  // why it could not be examined (ERROR_PATH_NOT_FOUND: missing)
  bool directory = false;
  bool reparse_point = false;
  bool empty = false;
  std::string file_system;  // "NTFS", "FAT32", ...
};

// A program to start, as CreateProcessW takes it.
struct ProcessRequest {
  std::u16string application;   // absolute path: lpApplicationName
  std::u16string command_line;  // core::command_line or core::batch_command_line
  std::u16string environment;   // core::environment_block
  // A restricted token without privileges (CreateRestrictedToken, DISABLE_MAX_PRIVILEGE):
  // exec --drop-privileges, for a command that needs none of the elevated token's.
  bool drop_privileges = false;
};

// How a program ended.
struct ProcessResult {
  core::HResult start_error = 0;  // it could not be started: nothing ran
  int exit_code = 0;
  std::chrono::milliseconds run_time{0};
};

// A file the tool appends to (--log-file) as the platform opened it. A stream only says
// that a write failed; this says why (a full disk), for the run's error.
class AppendFile : public std::streambuf {
 public:
  // 0 until a write fails; from then on, that failure.
  virtual core::HResult write_error() const = 0;
};

// A file inside a shadow copy, open for reading.
class FileReader {
 public:
  virtual ~FileReader() = default;
  // Up to `size` bytes into `buffer`; `got` is 0 at the end of the file.
  virtual core::HResult read(char* buffer, std::size_t size, std::size_t& got) = 0;
};

// A new file written beside its destination under a temporary name of its own, and moved
// there only once whole: nobody ever sees a part-written file at the destination. Destroyed
// before finish() succeeds, it removes its temporary file.
class FileWriter {
 public:
  virtual ~FileWriter() = default;
  virtual core::HResult write(const char* bytes, std::size_t size) = 0;
  // Gives the file `entry`'s created and last-write times and its read-only, hidden, system
  // and archive attributes, then moves it to the destination: over a file there only with
  // `replace` (otherwise ERROR_FILE_EXISTS or ERROR_ALREADY_EXISTS). A link at the
  // destination is replaced as itself, never followed.
  virtual core::HResult finish(const core::FileEntry& entry, bool replace) = 0;
};

// The environment is five jobs, each its own interface so that a function can say which
// it needs (PrivilegeSetAside only the token) and a test double can stand in for one.

// What the process and the machine say before any VSS call: the preflight's facts, the
// token's SeBackupPrivilege, the volumes, the OS's messages and name.
class MachineProbe {
 public:
  virtual ~MachineProbe() = default;
  virtual ArchitectureFacts architecture() = 0;
  virtual TokenFacts token() = 0;
  // Enables SeBackupPrivilege in the process token if it is present.
  virtual PrivilegeFacts enable_backup_privilege() = 0;
  // Puts SeBackupPrivilege back as enable_backup_privilege found it: true when it was
  // enabled by shadowctl and is now disabled again (enable_backup_privilege re-enables it).
  virtual bool restore_backup_privilege() = 0;
  virtual ServiceFacts vss_service() = 0;
  // Every local fixed volume with its mount points, file system and label (the Win32 volume
  // APIs); hr says why the list is incomplete.
  virtual core::HResult local_volumes(std::vector<core::Volume>& out) = 0;
  // Whether a drive letter ('A'..'Z') is taken (GetLogicalDrives).
  virtual bool drive_letter_in_use(char letter) = 0;
  // A volume's size in bytes (GetDiskFreeSpaceExW), 0 when it cannot be read. Asked only
  // where a size is a percentage of it, not with every volume listed.
  virtual std::uint64_t volume_capacity(const std::string& volume) = 0;
  // A volume's free bytes (GetDiskFreeSpaceExW's total free), 0 when it cannot be read:
  // how far its shadow storage can still grow (check --deep).
  virtual std::uint64_t volume_free_space(const std::string& volume) = 0;
  // The OS's own text for a code (FormatMessage), or "".
  virtual std::string system_message(core::HResult hr) = 0;
  // The computer's DNS name (GetComputerNameExW, ComputerNameDnsFullyQualified: the name VSS
  // records as a copy's originating machine), or "" when it cannot be read: stamped into
  // every JSON document for fleet reports.
  virtual std::string machine_name() = 0;
};

// The files and folders a user names: written whole, examined, never through a link
// planted at their path.
class UserFiles {
 public:
  virtual ~UserFiles() = default;
  // Writes a file the user named, whole or not at all: a new temporary file in the same
  // folder (never following a link planted at either path, not inheritable), then moved
  // over the target.
  virtual core::HResult write_file_atomically(const std::string& path,
                                              const std::string& bytes) = 0;
  // What is at `path`, examined without following a reparse point planted there.
  virtual FolderFacts examine_folder(const std::string& path) = 0;
  // Whether the path names an existing file, not a folder.
  virtual bool is_file(const std::u16string& path) = 0;
  // The absolute form of a path (GetFullPathNameW).
  virtual std::u16string full_path(const std::u16string& path) = 0;
  // The System32 folder, where cmd.exe is taken from.
  virtual std::u16string system_folder() = 0;
  // The entries of a folder (FindFirstFileExW; . and .. left out), a shadow copy's device
  // path included (\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopyN\...). A link is listed as
  // itself, never followed. hr: why the folder could not be listed.
  virtual core::HResult list_folder(const std::string& path, std::vector<core::FileEntry>& out) = 0;

  // What restore writes with. Paths are absolute (C:\x, \\server\share\x, \\?\...); the
  // platform reaches long ones through \\?\.
  // Opens a file inside a shadow copy to read it whole, with backup semantics (what an
  // enabled SeBackupPrivilege lets through), never following a reparse point.
  virtual core::HResult open_to_read(const std::string& path, std::unique_ptr<FileReader>& out) = 0;
  // Starts a new file for `destination` (FileWriter), in the destination's folder.
  virtual core::HResult create_file(const std::string& destination,
                                    std::unique_ptr<FileWriter>& out) = 0;
  // Makes one folder, inheriting its parent's permissions; ERROR_ALREADY_EXISTS when
  // anything is at the path.
  virtual core::HResult make_folder(const std::string& path) = 0;
  // Gives a folder `entry`'s times and attributes (once its contents are written), through a
  // handle that does not follow a reparse point.
  virtual core::HResult set_folder_facts(const std::string& path, const core::FileEntry& entry) = 0;
  // Renames a file, never over another one (in-place restore keeps the current file so).
  virtual core::HResult rename_file(const std::string& from, const std::string& to) = 0;
};

// exec's child: the variables it inherits and the process itself.
class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // The process's environment as "NAME=value" entries (GetEnvironmentStringsW).
  virtual std::vector<std::u16string> environment_variables() = 0;
  // Runs a program to its end with only the standard handles, in a job object that ends
  // whatever it leaves running, with the console and SeBackupPrivilege as they were before
  // shadowctl changed them. Waits for it even when Ctrl+C arrives: the program gets it too.
  virtual ProcessResult run_process(const ProcessRequest& request) = 0;
  // This program's own file, absolute (GetModuleFileNameW): what a scheduled task runs.
  virtual std::u16string this_program() = 0;
};

// The Task Scheduler (Task Scheduler 2.0's ITaskService), limited to shadowctl's folder
// (core::kTaskFolder): nothing outside it is read or touched.
class ScheduledTasks {
 public:
  virtual ~ScheduledTasks() = default;
  // Registers the task from its XML to run as LocalSystem, making the folder when it is
  // missing; a task of that name is replaced only with `replace` (otherwise
  // ERROR_ALREADY_EXISTS as an HRESULT).
  virtual core::HResult register_task(const std::string& name, const std::string& xml,
                                      bool replace) = 0;
  // Every task in the folder, by name; none when the folder does not exist.
  virtual core::HResult list_tasks(std::vector<core::ScheduledTask>& out) = 0;
  // Deletes one task of the folder; ERROR_FILE_NOT_FOUND when there is none so named.
  virtual core::HResult delete_task(const std::string& name) = 0;
};

// One event as the Event Log API gives it.
struct RenderedEvent {
  std::string xml;      // EvtRender with EvtRenderEventXml (core::parse_event_xml reads it)
  std::string message;  // EvtFormatMessage's text, or "" where the publisher has none here
};

// The Windows event log, read through the Event Log API (wevtapi.dll, from System32 only).
class EventLog {
 public:
  virtual ~EventLog() = default;
  // Runs one query on a log (EvtQuery: the log's name as the channel path, an XPath query
  // from core::event_query) and renders its newest `most` events, oldest first. hr: why the
  // log could not be read (the API missing, EvtQuery refused, access denied).
  virtual core::HResult query_events(const std::string& log, const std::string& xpath,
                                     std::size_t most, std::vector<RenderedEvent>& out) = 0;
};

// All five, as each platform implements them (platform/windows, platform/posix, the
// emulator's SimBackend).
class Environment : public MachineProbe,
                    public UserFiles,
                    public ProcessRunner,
                    public ScheduledTasks,
                    public EventLog {};

}  // namespace shadowctl::session
