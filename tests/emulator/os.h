#pragma once

// What the emulator needs from the OS it runs on; os_posix.cpp or os_windows.cpp, chosen by
// CMake. Under Wine the Windows one runs, so process ids are Windows ones.

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

namespace shadowctl::emulator::os {

std::uint64_t current_process_id();
// False once the process has exited: its auto-release shadow copies must go.
bool process_alive(std::uint64_t pid);

// Ends this process at once, as if it were killed: no destructors, no atexit, no report.
[[noreturn]] void die_now();

// Another process: runs argv[0] with the arguments and waits for it to end; its standard
// streams go nowhere and SHADOWCTL_EMULATOR_SCENARIO is not passed on, so it meets the
// machine, not this process's faults. Its exit code, or -1 when it could not start.
int run_another_process(const std::vector<std::string>& argv);

// Sets or removes a variable in the C runtime's environment (what std::getenv reads); an
// empty value removes it on Windows, where the CRT cannot hold an empty one.
void set_environment(const std::string& name, const std::string& value);
void unset_environment(const std::string& name);

// A volume's tree frozen into a shadow copy: `from`'s files and folders copied to `to` (made
// anew) with their sizes, last-write times and attributes (read-only, hidden, system,
// archive on Windows; permissions on POSIX); a symbolic link or reparse point is copied as
// itself, never followed. Nothing is copied when the tree holds more than max_entries
// entries or max_bytes bytes. Returns "" once copied, else why not (for the state file).
std::string freeze_tree(const std::string& from, const std::string& to, std::uint64_t max_entries,
                        std::uint64_t max_bytes);
// Removes a frozen tree, read-only files too; what cannot be removed stays.
void remove_tree(const std::string& path);
// An exposure at a drive letter ("X:") shows its shadow copy's frozen tree there, as Windows
// mounts an exposed copy: under Wine through the mount manager, as winecfg maps a drive
// (Wine's IOCTL_MOUNTMGR_DEFINE_UNIX_DRIVE, with the tree's Unix folder); on POSIX nothing,
// in-process SimBackend reads exposures from the state. show_at_drive returns false when the
// letter could not be mapped (the copy is still exposed, without contents there).
bool show_at_drive(const std::string& letter, const std::string& tree);
void hide_drive(const std::string& letter);
// Whether an exposed name is a drive letter ("X:"), which show_at_drive maps.
inline bool is_drive_letter(const std::string& name) {
  return name.size() == 2 && name[1] == ':' && std::isalpha(static_cast<unsigned char>(name[0]));
}
// `folder` then `name`, with this OS's separator.
std::string join_path(const std::string& folder, const std::string& name);

// An exclusive lock on a file, held for the object's lifetime, across processes.
class FileLock {
 public:
  explicit FileLock(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  std::intptr_t handle_;
};

}  // namespace shadowctl::emulator::os
