// Two real processes updating one state file at once (POSIX only: it forks).
#include <filesystem>

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "os.h"
#include "state.h"

namespace shadowctl::emulator {
namespace {

TEST(EmulatorProcesses, TwoProcessesAtOnceLoseNoUpdate) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("shadowctl-fork-" + std::to_string(os::current_process_id()) + ".json");
  std::filesystem::remove(path);
  { StateStore create(path.string(), default_machine()); }
  auto bump = [&] {
    StateStore store(path.string(), default_machine());
    for (int i = 0; i < 200; ++i) store.update([](MachineState& s) { ++s.next_device_number; });
  };
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    bump();
    _exit(0);
  }
  bump();
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  StateStore check(path.string(), default_machine());
  EXPECT_EQ(check.read().next_device_number, 401u);
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + ".lock");
}

}  // namespace
}  // namespace shadowctl::emulator
