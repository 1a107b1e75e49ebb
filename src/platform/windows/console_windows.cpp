#include <windows.h>

#include <shellapi.h>

#include "platform/platform.h"
#include "platform/windows/unicode.h"

namespace shadowctl::platform {
namespace {

session::CancelToken* g_cancel = nullptr;

BOOL WINAPI on_console_event(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
      if (g_cancel) g_cancel->request();
      return TRUE;  // the session layer cleans up and exits with 130
    default:
      return FALSE;
  }
}

}  // namespace

std::vector<std::string> utf8_arguments(int /*argc*/, char** /*argv*/) {
  // argv is in the ANSI code page and loses what it cannot represent: read UTF-16 instead.
  int count = 0;
  LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &count);
  std::vector<std::string> args;
  for (int i = 0; wide && i < count; ++i) args.push_back(to_utf8(wide[i]));
  LocalFree(wide);
  return args;
}

Console::Console(session::CancelToken& cancel) {
  g_cancel = &cancel;
  SetConsoleCtrlHandler(on_console_event, TRUE);
  saved_output_code_page_ = GetConsoleOutputCP();
  SetConsoleOutputCP(CP_UTF8);

  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  DWORD mode = 0;
  const bool console = GetFileType(out) == FILE_TYPE_CHAR && GetConsoleMode(out, &mode);
  const bool vt = console &&
                  SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
  color_allowed_ = vt && !no_color_requested();
}

Console::~Console() {
  if (saved_output_code_page_ != 0) SetConsoleOutputCP(saved_output_code_page_);
  SetConsoleCtrlHandler(on_console_event, FALSE);
  g_cancel = nullptr;
}

}  // namespace shadowctl::platform
