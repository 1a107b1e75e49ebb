// exec's command line: arguments quoted by core::command_line and split again by the rules
// of CommandLineToArgvW (core::split_command_line, held equal to Windows' own by the Wine
// test command_line_split_matches_commandlinetoargvw) come back exactly, whatever they hold:
// & | < > ^ % ! " \ and blanks reach the child unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/command_line.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace shadowctl::core;
  // The input as UTF-16 code units, arguments separated by NUL (which no argument holds).
  std::vector<std::u16string> arguments(1);
  for (std::size_t i = 0; i + 1 < size; i += 2) {
    const char16_t unit = static_cast<char16_t>(data[i] | (data[i + 1] << 8));
    if (unit == 0)
      arguments.emplace_back();
    else
      arguments.back() += unit;
  }
  const std::u16string program = u"C:\\Program Files\\Tools\\child.exe";
  const std::u16string line = command_line(program, arguments);
  const std::vector<std::u16string> split = split_command_line(line);
  if (split.size() != arguments.size() + 1 || split[0] != program) std::abort();
  for (std::size_t i = 0; i < arguments.size(); ++i)
    if (split[i + 1] != arguments[i]) std::abort();
  return 0;
}
