// Delivers Ctrl+C to shadowctl.exe at a named phase, for the Wine tests:
//   ctrl_c_helper JOURNAL METHOD EXE ARGS...
// starts EXE ARGS in this console, waits until the emulator's journal (JOURNAL) records a
// call of METHOD (the phase is running), sends CTRL_C_EVENT to the console's processes,
// then prints the tool's exit code as "exit=N". Needs a console: run it under a pty.
#include <windows.h>

#include <cstdio>
#include <cwchar>
#include <string>

namespace {

bool journal_has(const wchar_t* path, const char* method) {
  FILE* f = _wfopen(path, L"rb");
  if (!f) return false;
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) text.append(buffer, n);
  std::fclose(f);
  return text.find(std::string("\"method\":\"") + method + "\"") != std::string::npos;
}

// A command line argument quoted by the rules CommandLineToArgvW reads back.
std::wstring quoted(const wchar_t* arg) {
  std::wstring out = L"\"";
  for (const wchar_t* p = arg;; ++p) {
    size_t slashes = 0;
    while (*p == L'\\') ++slashes, ++p;
    if (!*p) {
      out.append(slashes * 2, L'\\');
      break;
    }
    if (*p == L'"') out.append(slashes * 2 + 1, L'\\');
    else out.append(slashes, L'\\');
    out.push_back(*p);
  }
  return out + L"\"";
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  if (argc < 4) return 2;
  std::string method;
  for (const wchar_t* p = argv[2]; *p; ++p) method.push_back(static_cast<char>(*p));
  std::wstring command;
  for (int i = 3; i < argc; ++i) command += (i > 3 ? L" " : L"") + quoted(argv[i]);

  STARTUPINFOW si{};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi{};
  if (!CreateProcessW(nullptr, command.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr,
                      &si, &pi))
    return 3;
  // The helper ignores the Ctrl+C it sends; set after the child started, since the child
  // would inherit the setting.
  SetConsoleCtrlHandler(nullptr, TRUE);
  // The phase is under way once the journal names it; the tool may also end first.
  while (!journal_has(argv[1], method.c_str()))
    if (WaitForSingleObject(pi.hProcess, 10) == WAIT_OBJECT_0) break;
  if (WaitForSingleObject(pi.hProcess, 0) == WAIT_TIMEOUT)
    GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 0;
  GetExitCodeProcess(pi.hProcess, &code);
  std::printf("exit=%lu\n", static_cast<unsigned long>(code));
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return 0;
}
