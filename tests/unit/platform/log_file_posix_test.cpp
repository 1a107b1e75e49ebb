// The log file's own write failures, as the platform sees them (POSIX: a file-size limit,
// RLIMIT_FSIZE, makes writes past it fail with EFBIG, as a full disk's fail with ENOSPC).
#include <csignal>
#include <filesystem>
#include <ostream>

#include <sys/resource.h>

#include <gtest/gtest.h>

#include "core/hresult.h"
#include "platform/platform.h"
#include "test_cli.h"

namespace shadowctl::test {
namespace {

TEST(PlatformLogFile, AWriteThatFailsIsRememberedAsWindowsWouldSayIt) {
  const auto path = unique_temp_path("limited.log");
  std::filesystem::remove(path);
  std::string why;
  auto file = platform::open_log_file(path.string(), why);
  ASSERT_TRUE(file) << why;
  EXPECT_EQ(file->write_error(), 0);

  rlimit before{};
  getrlimit(RLIMIT_FSIZE, &before);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of a signal
  rlimit limited = before;
  limited.rlim_cur = 40;
  setrlimit(RLIMIT_FSIZE, &limited);
  std::ostream out(file.get());
  out << std::string(100, 'x') << std::flush;
  setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_FALSE(out.good());
  EXPECT_EQ(file->write_error(), core::hresult_from_win32(39));  // ERROR_HANDLE_DISK_FULL
  file.reset();
  EXPECT_EQ(std::filesystem::file_size(path), 40u);
  std::filesystem::remove(path);
}

// The review's case: a link in a folder above the log file (made by whoever could create a
// folder there) must not send the elevated write elsewhere. Checked component by component.
TEST(PlatformLogFile, ALinkInAnyFolderAboveItIsRefused) {
  const auto base = unique_temp_path("parent-link");
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base / "elsewhere");
  std::filesystem::create_directory_symlink(base / "elsewhere", base / "work");
  std::string why;
  EXPECT_FALSE(platform::open_log_file((base / "work" / "run.log").string(), why));
  EXPECT_NE(why.find("work' above it is a symbolic link"), std::string::npos) << why;
  EXPECT_FALSE(std::filesystem::exists(base / "elsewhere" / "run.log"));
  // Deeper too: a real folder under the link is still reached through it.
  std::filesystem::create_directories(base / "elsewhere" / "deep");
  EXPECT_FALSE(platform::open_log_file((base / "work" / "deep" / "run.log").string(), why));
  EXPECT_FALSE(std::filesystem::exists(base / "elsewhere" / "deep" / "run.log"));
  // And the same path without the link is fine.
  EXPECT_TRUE(platform::open_log_file((base / "elsewhere" / "run.log").string(), why)) << why;
  std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace shadowctl::test
