// The child exec's Wine tests start: prints, as one JSON object on stdout, its arguments as
// CommandLineToArgvW reads them (UTF-16 code units, so nothing is lost to a conversion) and
// every SHADOWCTL_* variable it was given, then exits with the code in ECHO_ARGS_EXIT.
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

}  // namespace

int wmain() {
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
  out += "}}\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  LocalFree(argv);
  const wchar_t* code = _wgetenv(L"ECHO_ARGS_EXIT");
  return code ? _wtoi(code) : 0;
}
