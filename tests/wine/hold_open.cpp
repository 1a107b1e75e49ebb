// Keeps a file to itself while a command runs, for the Wine tests:
//   hold_open PATH "COMMAND LINE"
// opens PATH for writing and shares nothing, as an open database or a mail store does, runs
// COMMAND LINE with this program's standard streams, waits for it, closes PATH and exits
// with the command's exit code. No other open of PATH succeeds meanwhile.
#include <windows.h>

#include <cstdio>
#include <string>

int wmain(int argc, wchar_t** argv) {
  if (argc != 3) {
    std::fwprintf(stderr, L"usage: hold_open PATH \"COMMAND LINE\"\n");
    return 2;
  }
  // Not inheritable (no security attributes): the command does not hold it too.
  HANDLE file = CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                            FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    std::fwprintf(stderr, L"hold_open: cannot open %ls: error %lu\n", argv[1], GetLastError());
    return 3;
  }
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  startup.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
  startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
  PROCESS_INFORMATION process{};
  std::wstring line = argv[2];
  if (!CreateProcessW(nullptr, line.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &startup,
                      &process)) {
    std::fwprintf(stderr, L"hold_open: cannot start %ls: error %lu\n", argv[2], GetLastError());
    CloseHandle(file);
    return 4;
  }
  WaitForSingleObject(process.hProcess, INFINITE);
  DWORD code = 1;
  GetExitCodeProcess(process.hProcess, &code);
  CloseHandle(process.hThread);
  CloseHandle(process.hProcess);
  CloseHandle(file);
  return static_cast<int>(code);
}
