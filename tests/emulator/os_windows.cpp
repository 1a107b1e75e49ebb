#include <windows.h>

#include <cstdlib>
#include <stdexcept>

#include "core/command_line.h"
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

int run_another_process(const std::vector<std::string>& argv) {
  if (argv.empty()) return -1;
  std::vector<std::u16string> arguments;
  for (std::size_t i = 1; i < argv.size(); ++i) arguments.push_back(core::utf16(argv[i]));
  std::u16string line = core::command_line(core::utf16(argv[0]), arguments);
  std::u16string program = core::utf16(argv[0]);
  // The environment block without the scenario: the other process meets the machine only.
  std::u16string environment;
  if (wchar_t* block = GetEnvironmentStringsW()) {
    for (const wchar_t* e = block; *e; e += wcslen(e) + 1) {
      const std::u16string entry(reinterpret_cast<const char16_t*>(e));
      if (entry.rfind(u"SHADOWCTL_EMULATOR_SCENARIO=", 0) != 0) environment += entry + u'\0';
    }
    FreeEnvironmentStringsW(block);
  }
  environment += u'\0';
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE nul = CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           &inherit, OPEN_EXISTING, 0, nullptr);
  STARTUPINFOW startup{};
  startup.cb = sizeof(startup);
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = startup.hStdOutput = startup.hStdError = nul;
  PROCESS_INFORMATION child{};
  const BOOL started =
      CreateProcessW(reinterpret_cast<const wchar_t*>(program.c_str()),
                     reinterpret_cast<wchar_t*>(line.data()), nullptr, nullptr, TRUE,
                     CREATE_UNICODE_ENVIRONMENT, environment.data(), nullptr, &startup, &child);
  if (nul != INVALID_HANDLE_VALUE) CloseHandle(nul);
  if (!started) return -1;
  WaitForSingleObject(child.hProcess, INFINITE);
  DWORD code = 0;
  GetExitCodeProcess(child.hProcess, &code);
  CloseHandle(child.hThread);
  CloseHandle(child.hProcess);
  return static_cast<int>(code);
}

void set_environment(const std::string& name, const std::string& value) {
  _putenv_s(name.c_str(), value.c_str());
}

void unset_environment(const std::string& name) { _putenv_s(name.c_str(), ""); }

}  // namespace shadowctl::emulator::os
