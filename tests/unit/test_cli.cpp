#include "test_cli.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

#include "cli/app.h"
#include "core/command_line.h"
#include "os.h"
#include "platform/platform.h"

namespace shadowctl::test {

namespace {

CliResult run_with(std::vector<std::string> args, emulator::SimBackend& machine, bool color,
                   std::istream* in, session::CancelToken* given = nullptr,
                   LogFileOpener open_log_file = platform::open_log_file,
                   std::vector<std::u16string> wide_args = {}) {
  args.insert(args.begin(), "shadowctl");
  std::ostringstream out, err;
  session::CancelToken own;
  session::CancelToken& cancel = given ? *given : own;
  CliResult result;
  result.exit = cli::run(
      args,
      {out, err, color, false, in, in != nullptr, std::move(wide_args), std::move(open_log_file)},
      machine.system(), cancel);
  result.out = out.str();
  result.err = err.str();
  // The run's logger writes to `err`, which ends here: a test that logs later (session code
  // run without the CLI) must not reach it.
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("shadowctl"));

  const char* dir = std::getenv("SHADOWCTL_JSON_CAPTURE_DIR");
  // shadowctl's own --json, not one that follows "--" and belongs to exec's command.
  const auto own_end = std::find(args.begin(), args.end(), "--");
  const bool json = std::find(args.begin(), own_end, "--json") != own_end;
  // exec reports on stderr, its stdout being its command's: the document is all stderr holds.
  const bool exec = !args.empty() && std::find(args.begin(), own_end, "exec") != own_end;
  const std::string& document = exec ? result.err : result.out;
  if (dir && json && !document.empty() && document.front() == '{') {
    static std::atomic<int> counter{0};
    std::filesystem::create_directories(dir);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::ofstream(std::filesystem::path(dir) /
                  (std::string(info ? info->test_suite_name() : "x") + "." +
                   (info ? info->name() : "x") + "." + std::to_string(counter++) + ".json"))
        << document;
  }
  return result;
}

}  // namespace

CliResult run_cli(std::vector<std::string> args, emulator::SimBackend& machine, bool color) {
  return run_with(std::move(args), machine, color, nullptr);
}

CliResult run_cli_interactive(std::vector<std::string> args, emulator::SimBackend& machine,
                              const std::string& answers) {
  std::istringstream in(answers);
  return run_with(std::move(args), machine, false, &in);
}

CliResult run_cli_cancellable(std::vector<std::string> args, emulator::SimBackend& machine,
                              session::CancelToken& cancel) {
  return run_with(std::move(args), machine, false, nullptr, &cancel);
}

CliResult run_cli_with_log_file(std::vector<std::string> args, emulator::SimBackend& machine,
                                LogFileOpener open_log_file) {
  return run_with(std::move(args), machine, false, nullptr, nullptr, std::move(open_log_file));
}

CliResult run_cli_utf16(const std::vector<std::u16string>& args, emulator::SimBackend& machine) {
  std::vector<std::string> utf8;
  std::vector<std::u16string> wide{u"shadowctl"};
  for (const auto& a : args) {
    utf8.push_back(core::utf8(a));  // as Windows' conversion does: U+FFFD for a lone surrogate
    wide.push_back(a);
  }
  return run_with(std::move(utf8), machine, false, nullptr, nullptr, platform::open_log_file,
                  std::move(wide));
}

emulator::Scenario fault(const std::string& method, core::HResult hr) {
  emulator::Scenario s;
  s.add(emulator::Fault{method, hr, 0});
  return s;
}

std::filesystem::path unique_temp_path(std::string_view name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::filesystem::temp_directory_path() /
         ("shadowctl-" + std::to_string(emulator::os::current_process_id()) + "-" +
          (info ? info->name() : "x") + "-" + std::string(name));
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace shadowctl::test
