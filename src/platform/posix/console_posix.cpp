#include <csignal>

#include <unistd.h>

#include "platform/platform.h"

namespace shadowctl::platform {
namespace {

session::CancelToken* g_cancel = nullptr;

extern "C" void on_interrupt(int) {
  if (g_cancel) g_cancel->request();
}

}  // namespace

std::vector<std::string> utf8_arguments(int argc, char** argv) {
  return std::vector<std::string>(argv, argv + argc);
}

// Outside Windows the arguments are bytes already: the command line layer converts them.
std::vector<std::u16string> utf16_arguments() { return {}; }

Console::Console(session::CancelToken& cancel) {
  g_cancel = &cancel;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  color_allowed_ = isatty(STDOUT_FILENO) != 0 && !no_color_requested();
  stderr_is_terminal_ = isatty(STDERR_FILENO) != 0;
  stdin_is_terminal_ = isatty(STDIN_FILENO) != 0;
}

Console::~Console() { g_cancel = nullptr; }

}  // namespace shadowctl::platform
