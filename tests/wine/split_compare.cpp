// Holds core::split_command_line equal to the real CommandLineToArgvW: 20,000 random lines
// over spaces, tabs, quotes, backslashes and letters, plus the documented examples. Prints
// each line that differs, and exits 1 if any does.
#include <windows.h>

#include <shellapi.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "core/command_line.h"

namespace {

std::vector<std::u16string> real(const std::u16string& line) {
  int count = 0;
  LPWSTR* argv = CommandLineToArgvW(reinterpret_cast<LPCWSTR>(line.c_str()), &count);
  std::vector<std::u16string> out;
  for (int i = 0; argv && i < count; ++i)
    out.emplace_back(reinterpret_cast<const char16_t*>(argv[i]));
  LocalFree(argv);
  return out;
}

}  // namespace

int wmain() {
  std::vector<std::u16string> lines = {u"tool.exe \"a b c\" d e",
                                       u"tool.exe \"ab\\\"c\" \"\\\\\" d",
                                       u"tool.exe a\\\\\\b d\"e f\"g h",
                                       u"tool.exe a\\\\\\\"b c d",
                                       u"tool.exe a\\\\\\\\\"b c\" d e",
                                       u"tool.exe a\"b\"\" c d",
                                       u"\"C:\\Program Files\\tool.exe\" x",
                                       u"\"C:\\a\\\"b c",
                                       u"tool.exe \"\"\"\"\"\" x"};
  std::mt19937 random(2026);
  const std::u16string alphabet = u"ab \t\"\\";
  for (int n = 0; n < 20000; ++n) {
    std::u16string line = (n % 3 == 0) ? u"\"C:\\dir with space\\tool.exe\"" : u"tool.exe";
    line += u' ';
    const int length = static_cast<int>(random() % 14);
    for (int k = 0; k < length; ++k) line += alphabet[random() % alphabet.size()];
    lines.push_back(line);
  }
  int differ = 0;
  for (const auto& line : lines) {
    if (real(line) == shadowctl::core::split_command_line(line)) continue;
    ++differ;
    if (differ <= 20) std::printf("differs: %s\n", shadowctl::core::utf8(line).c_str());
  }
  std::printf("lines %zu differ %d\n", lines.size(), differ);
  return differ == 0 ? 0 : 1;
}
