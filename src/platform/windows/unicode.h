#pragma once

#include <string>
#include <string_view>

namespace shadowctl::platform {

// UTF-16 from Windows APIs to the UTF-8 used everywhere inside shadowctl, and back.
std::string to_utf8(std::wstring_view wide);
std::wstring to_wide(std::string_view utf8);

}  // namespace shadowctl::platform
