#include <windows.h>

#include <cstdlib>
#include <stdexcept>

#include "os.h"

namespace shadowctl::emulator::os {

std::uint64_t current_process_id() { return GetCurrentProcessId(); }

// TerminateProcess, as Task Manager's End task or `taskkill /F` does (exit code 1).
void die_now() {
  TerminateProcess(GetCurrentProcess(), 1);
  ExitProcess(1);  // not reached
}

bool process_alive(std::uint64_t pid) {
  HANDLE process =
      OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
  if (!process) return GetLastError() == ERROR_ACCESS_DENIED;
  DWORD code = 0;
  const bool alive = GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
  CloseHandle(process);
  return alive;
}

FileLock::FileLock(const std::string& path) {
  HANDLE file = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                            OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE)
    throw std::runtime_error("emulator: cannot open lock file " + path);
  OVERLAPPED whole{};
  if (!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &whole)) {
    CloseHandle(file);
    throw std::runtime_error("emulator: cannot lock " + path);
  }
  handle_ = reinterpret_cast<std::intptr_t>(file);
}

FileLock::~FileLock() {
  HANDLE file = reinterpret_cast<HANDLE>(handle_);
  OVERLAPPED whole{};
  UnlockFileEx(file, 0, MAXDWORD, MAXDWORD, &whole);
  CloseHandle(file);
}

void set_environment(const std::string& name, const std::string& value) {
  _putenv_s(name.c_str(), value.c_str());
}

void unset_environment(const std::string& name) { _putenv_s(name.c_str(), ""); }

}  // namespace shadowctl::emulator::os
