#pragma once

// What the product's tests share: running a command line in-process as a user would, a
// one-fault scenario, and temporary paths no other test process can collide with.

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/hresult.h"
#include "session/cancel.h"
#include "sim_backend.h"

namespace shadowctl::test {

// Sets TZ for this process and has the C library read it again; nullptr removes it. Chosen
// per C library here, at file scope: MSYS2 builds these tests with Windows' CRT too.
#if defined(_WIN32)
inline void set_time_zone(const char* zone) {
  _putenv_s("TZ", zone ? zone : "");
  _tzset();
}
#else
inline void set_time_zone(const char* zone) {
  if (zone)
    ::setenv("TZ", zone, 1);
  else
    ::unsetenv("TZ");
  ::tzset();
}
#endif

// The local time zone (TZ) as a test sets it, put back as it was when the test ends.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* zone) {
    const char* before = std::getenv("TZ");
    had_ = before != nullptr;
    if (had_) saved_ = before;
    set(zone);
  }
  ~ScopedTimeZone() { set_time_zone(had_ ? saved_.c_str() : nullptr); }
  ScopedTimeZone(const ScopedTimeZone&) = delete;
  ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;
  static void set(const char* zone) { set_time_zone(zone); }

 private:
  bool had_ = false;
  std::string saved_;
};

// An existing, empty NTFS folder, for MachineFacts::folders: where a test writes its files.
inline const session::FolderFacts kFolder{0, true, false, true, "NTFS"};

// What a user sees of one command line run in-process.
struct CliResult {
  int exit = -1;
  std::string out;
  std::string err;
};

// Runs `shadowctl ARGS...` against the emulated machine. A --json document is also saved
// under SHADOWCTL_JSON_CAPTURE_DIR for the schema test.
CliResult run_cli(std::vector<std::string> args, emulator::SimBackend& machine,
                  bool color = false);

// The same at a terminal where a person types `answers` at any confirmation.
CliResult run_cli_interactive(std::vector<std::string> args, emulator::SimBackend& machine,
                              const std::string& answers);

// The same with the cancel token a test holds (Ctrl+C is token.request()).
CliResult run_cli_cancellable(std::vector<std::string> args, emulator::SimBackend& machine,
                              session::CancelToken& cancel);

// How --log-file is opened (platform::open_log_file, or a test's stand-in).
using LogFileOpener =
    std::function<std::unique_ptr<session::AppendFile>(const std::string& path, std::string& why)>;

// The same with --log-file opened by `open_log_file`.
CliResult run_cli_with_log_file(std::vector<std::string> args, emulator::SimBackend& machine,
                                LogFileOpener open_log_file);

// The same from a UTF-16 command line, as Windows gives it (unpaired surrogates included).
CliResult run_cli_utf16(const std::vector<std::u16string>& args, emulator::SimBackend& machine);

// A scenario in which every call of `method` fails with hr.
emulator::Scenario fault(const std::string& method, core::HResult hr);

// Writes a file whole, making its folders: a test's volume contents.
void write_file(const std::filesystem::path& path, const std::string& text);

// A path under the temporary folder, unique to this process and this test.
std::filesystem::path unique_temp_path(std::string_view name);

}  // namespace shadowctl::test
