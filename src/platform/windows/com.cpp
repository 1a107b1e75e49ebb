#include "platform/windows/com.h"

#include <algorithm>
#include <cctype>

#include "platform/windows/unicode.h"

namespace shadowctl::platform {

std::string guid_text(const GUID& id) {
  wchar_t text[40] = {};
  StringFromGUID2(id, text, 40);
  std::string s = to_utf8(text);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool guid_from_text(const std::string& text, GUID& out) {
  const std::string braced = !text.empty() && text.front() == '{' ? text : "{" + text + "}";
  return SUCCEEDED(CLSIDFromString(to_wide(braced).c_str(), &out));
}

}  // namespace shadowctl::platform
