// The child exec's Wine tests start: prints, as one JSON object on stdout, its arguments as
// CommandLineToArgvW reads them (UTF-16 code units, so nothing is lost to a conversion),
// every SHADOWCTL_* variable it was given, the console's output code page, whether
// SeBackupPrivilege (and SeRestore, SeDebug, SeTakeOwnership) is enabled, disabled or absent
// in its token and whether it runs in a job; then exits with the
// code in ECHO_ARGS_EXIT. With ECHO_ARGS_SPAWN set it first starts a copy of itself that
// waits for ever (ECHO_ARGS_WAIT), to show that the job ends what a command leaves running.
#include <windows.h>

#include <shellapi.h>

#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <string>

namespace {

// A JSON string of UTF-16 code units, every non-ASCII one as \uXXXX.
std::string json(const wchar_t* s) {
  std::string out = "\"";
  for (; *s; ++s) {
    const auto c = static_cast<unsigned>(*s);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c > 0x7E) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// A privilege's state in this process's token: enabled, disabled, or absent.
const char* privilege(const wchar_t* name) {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return "unknown";
  LUID luid{};
  LookupPrivilegeValueW(nullptr, name, &luid);
  DWORD size = 0;
  GetTokenInformation(token, TokenPrivileges, nullptr, 0, &size);
  std::string buffer(size, '\0');
  const char* state = "absent";
  if (GetTokenInformation(token, TokenPrivileges, buffer.data(), size, &size)) {
    const auto* privileges = reinterpret_cast<const TOKEN_PRIVILEGES*>(buffer.data());
    for (DWORD i = 0; i < privileges->PrivilegeCount; ++i)
      if (privileges->Privileges[i].Luid.LowPart == luid.LowPart &&
          privileges->Privileges[i].Luid.HighPart == luid.HighPart)
        state = (privileges->Privileges[i].Attributes & SE_PRIVILEGE_ENABLED) ? "enabled" : "disabled";
  }
  CloseHandle(token);
  return state;
}

// Starts a copy of this program that waits for ever; returns its process id.
unsigned long spawn_waiter() {
  wchar_t self[MAX_PATH];
  GetModuleFileNameW(nullptr, self, MAX_PATH);
  SetEnvironmentVariableW(L"ECHO_ARGS_WAIT", L"1");
  SetEnvironmentVariableW(L"ECHO_ARGS_SPAWN", nullptr);
  std::wstring line = L"\"" + std::wstring(self) + L"\" waiter";
  STARTUPINFOW si{};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi{};
  if (!CreateProcessW(self, line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &si, &pi))
    return 0;
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  SetEnvironmentVariableW(L"ECHO_ARGS_WAIT", nullptr);
  return pi.dwProcessId;
}

}  // namespace

int wmain() {
  if (_wgetenv(L"ECHO_ARGS_WAIT")) {
    Sleep(INFINITE);  // only the job, or the test's kill, ends it
    return 0;
  }
  const unsigned long spawned = _wgetenv(L"ECHO_ARGS_SPAWN") ? spawn_waiter() : 0;
  int count = 0;
  LPWSTR* argv = CommandLineToArgvW(GetCommandLineW(), &count);
  std::string out = "{\"argv\": [";
  for (int i = 1; i < count; ++i) out += (i > 1 ? ", " : "") + json(argv[i]);
  out += "], \"env\": {";
  bool first = true;
  wchar_t* block = GetEnvironmentStringsW();
  for (const wchar_t* p = block; *p; p += wcslen(p) + 1) {
    if (_wcsnicmp(p, L"SHADOWCTL_", 10) != 0) continue;
    const wchar_t* equals = wcschr(p, L'=');
    const std::wstring name(p, static_cast<std::size_t>(equals - p));
    out += (first ? "" : ", ") + json(name.c_str()) + ": " + json(equals + 1);
    first = false;
  }
  FreeEnvironmentStringsW(block);
  BOOL in_job = FALSE;
  IsProcessInJob(GetCurrentProcess(), nullptr, &in_job);
  out += "}, \"console_cp\": " + std::to_string(GetConsoleOutputCP()) +
         ", \"backup_privilege\": \"" + privilege(SE_BACKUP_NAME) + "\", \"in_job\": " +
         (in_job ? "true" : "false") + ", \"spawned\": " + std::to_string(spawned) +
         ", \"restore_privilege\": \"" + privilege(SE_RESTORE_NAME) +
         "\", \"debug_privilege\": \"" + privilege(SE_DEBUG_NAME) +
         "\", \"take_ownership_privilege\": \"" + privilege(SE_TAKE_OWNERSHIP_NAME) + "\"}\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  LocalFree(argv);
  const wchar_t* code = _wgetenv(L"ECHO_ARGS_EXIT");
  return code ? _wtoi(code) : 0;
}
