#include "test_cli.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "cli/app.h"

namespace shadowctl::test {

CliResult run_cli(std::vector<std::string> args, session::Backend& backend, bool color) {
  args.insert(args.begin(), "shadowctl");
  std::ostringstream out, err;
  session::CancelToken cancel;
  CliResult result;
  result.exit = cli::run(args, {out, err, color}, backend, cancel);
  result.out = out.str();
  result.err = err.str();

  const char* dir = std::getenv("SHADOWCTL_JSON_CAPTURE_DIR");
  const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
  if (dir && json && !result.out.empty()) {
    static std::atomic<int> counter{0};
    std::filesystem::create_directories(dir);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::ofstream(std::filesystem::path(dir) /
                  (std::string(info ? info->test_suite_name() : "x") + "." +
                   (info ? info->name() : "x") + "." + std::to_string(counter++) + ".json"))
        << result.out;
  }
  return result;
}

}  // namespace shadowctl::test
