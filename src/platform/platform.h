#pragma once

// What main needs from the operating system. Each function is implemented once per
// platform, in platform/windows or platform/posix; CMake compiles one of the two.

#include <memory>
#include <streambuf>
#include <string>
#include <vector>

#include "session/environment.h"
#include "session/vss_api.h"
#include "session/cancel.h"

namespace shadowctl::platform {

// The command line as UTF-8 (on Windows read as UTF-16 from GetCommandLineW).
std::vector<std::string> utf8_arguments(int argc, char** argv);

// The same command line as UTF-16, exactly as the system holds it (unpaired surrogates
// included), for what `exec` passes on.
std::vector<std::u16string> utf16_arguments();

// Opens a file the user named for appending (--log-file), as an elevated process must:
// never through a symbolic link, junction or other reparse point planted at the path, never
// a file with more than one hard link, never a device, pipe or network path; not
// inheritable. nullptr with `why` set when refused or failed.
std::unique_ptr<session::AppendFile> open_log_file(const std::string& utf8_path, std::string& why);

// This machine's environment probe: token, privilege, service manager, messages.
std::unique_ptr<session::Environment> make_environment();

// This machine's VSS entry point: COM and vssapi.dll from System32.
std::unique_ptr<session::VssApi> make_vss_api();

// Console set-up for one run: UTF-8 output, colour where the console supports it, and a
// Ctrl+C / Ctrl+Break / close handler that requests cancellation. Undone on destruction.
class Console {
 public:
  explicit Console(session::CancelToken& cancel);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;
  // stdout is a terminal and NO_COLOR is not set.
  bool color_allowed() const { return color_allowed_; }
  // stderr is a terminal: progress lines may be redrawn in place there.
  bool stderr_is_terminal() const { return stderr_is_terminal_; }
  // stdin is a terminal: a person can answer a confirmation.
  bool stdin_is_terminal() const { return stdin_is_terminal_; }

 private:
  bool color_allowed_ = false;
  bool stderr_is_terminal_ = false;
  bool stdin_is_terminal_ = false;
  [[maybe_unused]] unsigned int saved_output_code_page_ = 0;  // Windows only: restored at exit
};

// NO_COLOR set to a non-empty value (https://no-color.org).
bool no_color_requested();

}  // namespace shadowctl::platform
