#include <windows.h>

#include <cstdio>

#include <iostream>
#include <memory>
#include <streambuf>

#include "core/command_line.h"
#include "platform/platform.h"
#include "platform/windows/dll_lockdown.h"
#include "platform/windows/process_windows.h"
#include "platform/windows/unicode.h"

namespace shadowctl::platform {
namespace {

// How long a closing console waits for the cleanup: Windows ends the process about 5 s after
// CTRL_CLOSE_EVENT whatever the handler does (HandlerRoutine's page).
constexpr DWORD kCloseGrace = 4500;

// Writes UTF-8 to a console as UTF-16 with WriteConsoleW, so non-ASCII labels and paths
// show right in cmd and PowerShell whatever the console code page. A UTF-8 sequence split
// across writes is held back until it is complete.
class ConsoleBuffer final : public std::streambuf {
 public:
  explicit ConsoleBuffer(HANDLE console) : console_(console) {}
  ~ConsoleBuffer() override { sync(); }

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) {
      pending_.push_back(static_cast<char>(c));
      if (c == '\n') sync();
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    pending_.append(s, static_cast<std::size_t>(n));
    if (pending_.find('\n') != std::string::npos) sync();
    return n;
  }
  int sync() override {
    const std::size_t complete = complete_prefix();
    const std::wstring wide = to_wide(std::string_view(pending_).substr(0, complete));
    DWORD written = 0;
    if (!wide.empty())
      WriteConsoleW(console_, wide.data(), static_cast<DWORD>(wide.size()), &written, nullptr);
    pending_.erase(0, complete);
    return 0;
  }

 private:
  // The length of pending_ without a trailing incomplete UTF-8 sequence.
  std::size_t complete_prefix() const {
    const std::size_t n = pending_.size();
    for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
      const auto c = static_cast<unsigned char>(pending_[n - back]);
      if ((c & 0xC0) == 0x80) continue;  // continuation byte: look further back
      const std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return length > back ? n - back : n;
    }
    return n;
  }

  HANDLE console_;
  std::string pending_;
};

// What one run changed of the process's console, in one place: the Ctrl handler (a plain
// function Windows calls) and ConsoleAsFound reach it without a Console object.
struct ConsoleState {
  session::CancelToken* cancel = nullptr;
  // The console as shadowctl found it, for a child (ConsoleAsFound).
  UINT found_output_code_page = 0;
  DWORD found_output_mode = 0;
  bool output_mode_changed = false;
  // Set once the run, its cleanup included, is over (~Console).
  HANDLE run_over = nullptr;
  // stdout and stderr as UTF-16 console writers, and the buffers they replaced.
  std::unique_ptr<ConsoleBuffer> out_buffer, err_buffer;
  std::streambuf* saved_out = nullptr;
  std::streambuf* saved_err = nullptr;
};
ConsoleState g_console;

bool is_console(HANDLE h) {
  DWORD mode = 0;
  return GetFileType(h) == FILE_TYPE_CHAR && GetConsoleMode(h, &mode);
}


BOOL WINAPI on_console_event(DWORD event) {
  switch (event) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
      if (g_console.cancel) g_console.cancel->request();
      return TRUE;  // the session layer cleans up and exits with 130
    case CTRL_CLOSE_EVENT:
      // The process ends as soon as this returns: hold it until the cleanup is done.
      if (g_console.cancel) g_console.cancel->request();
      if (g_console.run_over) WaitForSingleObject(g_console.run_over, kCloseGrace);
      return TRUE;
    default:
      return FALSE;
  }
}

}  // namespace

// argv is in the ANSI code page and loses what it cannot represent: the UTF-16 command line
// is read instead, split as CommandLineToArgvW splits it (core::split_command_line: no
// shell32 to load at start-up).
std::vector<std::u16string> utf16_arguments() {
  return core::split_command_line(reinterpret_cast<const char16_t*>(GetCommandLineW()));
}

std::vector<std::string> utf8_arguments(int /*argc*/, char** /*argv*/) {
  std::vector<std::string> args;
  for (const auto& a : utf16_arguments())
    args.push_back(to_utf8(reinterpret_cast<const wchar_t*>(a.c_str())));
  return args;
}

Console::Console(session::CancelToken& cancel) {
  lock_down_dll_loading();  // first thing: nothing may load a DLL before it
  g_console.cancel = &cancel;
  g_console.run_over = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  SetConsoleCtrlHandler(on_console_event, TRUE);
  saved_output_code_page_ = GetConsoleOutputCP();
  g_console.found_output_code_page = saved_output_code_page_;
  SetConsoleOutputCP(CP_UTF8);

  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
  // Redirected output stays UTF-8 bytes; only a real console gets UTF-16.
  if (is_console(out)) {
    g_console.out_buffer = std::make_unique<ConsoleBuffer>(out);
    g_console.saved_out = std::cout.rdbuf(g_console.out_buffer.get());
  } else {
    // The C runtime writes a character device (NUL, a serial port) unbuffered, as it would a
    // console: `list shadows > NUL` made a system call per piece. Whatever is not a console
    // gets a full buffer; the Reporter flushes when it is done, and exec's child writes to a
    // stdout shadowctl leaves alone.
    std::setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
  }
  stderr_is_terminal_ = is_console(err);
  stdin_is_terminal_ = is_console(GetStdHandle(STD_INPUT_HANDLE));
  if (stderr_is_terminal_) {
    g_console.err_buffer = std::make_unique<ConsoleBuffer>(err);
    g_console.saved_err = std::cerr.rdbuf(g_console.err_buffer.get());
  }
  // Virtual-terminal processing only to colour (never with NO_COLOR), undone at exit.
  DWORD mode = 0;
  const bool vt = !no_color_requested() && is_console(out) && GetConsoleMode(out, &mode) &&
                  SetConsoleMode(out, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
  g_console.found_output_mode = mode;
  g_console.output_mode_changed = vt;
  color_allowed_ = vt;
}

Console::~Console() {
  std::cout.flush();
  std::cerr.flush();
  if (g_console.saved_out) std::cout.rdbuf(g_console.saved_out);
  if (g_console.saved_err) std::cerr.rdbuf(g_console.saved_err);
  g_console.out_buffer.reset();
  g_console.err_buffer.reset();
  if (saved_output_code_page_ != 0) SetConsoleOutputCP(saved_output_code_page_);
  if (g_console.output_mode_changed) SetConsoleMode(GetStdHandle(STD_OUTPUT_HANDLE), g_console.found_output_mode);
  if (g_console.run_over) SetEvent(g_console.run_over);  // a closing console's handler may return now
  SetConsoleCtrlHandler(on_console_event, FALSE);
  g_console.cancel = nullptr;
}

ConsoleAsFound::ConsoleAsFound() {
  if (g_console.found_output_code_page != 0) SetConsoleOutputCP(g_console.found_output_code_page);
  if (g_console.output_mode_changed) SetConsoleMode(GetStdHandle(STD_OUTPUT_HANDLE), g_console.found_output_mode);
}

ConsoleAsFound::~ConsoleAsFound() {
  SetConsoleOutputCP(CP_UTF8);
  if (g_console.output_mode_changed)
    SetConsoleMode(GetStdHandle(STD_OUTPUT_HANDLE),
                   g_console.found_output_mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING);
}

}  // namespace shadowctl::platform
