#pragma once

#include <string>
#include <string_view>

namespace shadowctl::platform {

// UTF-16 from Windows APIs to the UTF-8 used everywhere inside shadowctl, and back.
std::string to_utf8(std::wstring_view wide);
std::wstring to_wide(std::string_view utf8);

// Windows' own text for a Win32 error code (FormatMessage), without its trailing line end;
// "" when Windows has none.
std::string system_error_text(unsigned long code);

}  // namespace shadowctl::platform
