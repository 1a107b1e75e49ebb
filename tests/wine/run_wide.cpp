// Starts a program with a command line that may hold any UTF-16, unpaired surrogates
// included, which a Unix shell cannot hand through Wine: in each argument, "\u" and four hex
// digits become that one code unit. The program inherits the standard handles; run_wide exits with
// its exit code.
#include <windows.h>

#include <cwchar>
#include <cwctype>
#include <string>
#include <vector>

#include "core/command_line.h"

namespace {

std::u16string decode(const wchar_t* text) {
  std::u16string out;
  for (const wchar_t* p = text; *p; ++p) {
    if (p[0] == L'\\' && p[1] == L'u' && std::wcslen(p) >= 6 && std::iswxdigit(p[2]) &&
        std::iswxdigit(p[3]) && std::iswxdigit(p[4]) && std::iswxdigit(p[5])) {
      out += static_cast<char16_t>(std::wcstoul(std::wstring(p + 2, 4).c_str(), nullptr, 16));
      p += 5;
    } else {
      out += static_cast<char16_t>(*p);
    }
  }
  return out;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  if (argc < 2) return 120;
  const std::u16string program = decode(argv[1]);
  std::vector<std::u16string> arguments;
  for (int i = 2; i < argc; ++i) arguments.push_back(decode(argv[i]));
  std::u16string line = shadowctl::core::command_line(program, arguments);
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION child{};
  if (!CreateProcessW(reinterpret_cast<const wchar_t*>(program.c_str()),
                      reinterpret_cast<wchar_t*>(line.data()), nullptr, nullptr, TRUE, 0, nullptr,
                      nullptr, &startup, &child))
    return 121;
  WaitForSingleObject(child.hProcess, INFINITE);
  DWORD code = 0;
  GetExitCodeProcess(child.hProcess, &code);
  CloseHandle(child.hThread);
  CloseHandle(child.hProcess);
  return static_cast<int>(code);
}
