#include "platform/windows/unicode.h"

#include <windows.h>

#include "core/command_line.h"

namespace shadowctl::platform {

// WTF-8 both ways (core::wtf8, core::utf16): a file name Windows gives with a lone
// surrogate comes back to Windows as the same name, so restore can open and write it.
std::string to_utf8(std::wstring_view wide) {
  return core::wtf8(std::u16string_view(reinterpret_cast<const char16_t*>(wide.data()), wide.size()));
}

std::wstring to_wide(std::string_view utf8) {
  const std::u16string text = core::utf16(utf8);
  return std::wstring(text.begin(), text.end());
}

std::string system_error_text(unsigned long code) {
  wchar_t* text = nullptr;
  const DWORD n = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<LPWSTR>(&text), 0, nullptr);
  std::string message = n ? to_utf8(std::wstring_view(text, n)) : std::string();
  LocalFree(text);
  while (!message.empty() &&
         (message.back() == '\n' || message.back() == '\r' || message.back() == ' '))
    message.pop_back();
  return message;
}

}  // namespace shadowctl::platform
