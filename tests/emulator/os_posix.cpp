#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include <string_view>

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#include "os.h"

namespace shadowctl::emulator::os {

std::uint64_t current_process_id() { return static_cast<std::uint64_t>(getpid()); }

// SIGKILL: what a killed requester meets, and what a test sees as its end.
void die_now() {
  ::kill(::getpid(), SIGKILL);
  ::_exit(137);
}

bool process_alive(std::uint64_t pid) {
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

FileLock::FileLock(const std::string& path) {
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("emulator: cannot open lock file " + path);
  if (flock(fd, LOCK_EX) != 0) {
    close(fd);
    throw std::runtime_error("emulator: cannot lock " + path);
  }
  handle_ = fd;
}

FileLock::~FileLock() {
  flock(static_cast<int>(handle_), LOCK_UN);
  close(static_cast<int>(handle_));
}

int run_another_process(const std::vector<std::string>& argv) {
  if (argv.empty()) return -1;
  std::vector<std::string> environment;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).rfind("SHADOWCTL_EMULATOR_SCENARIO=", 0) != 0)
      environment.emplace_back(*e);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  for (int fd = 0; fd <= 2; ++fd)
    posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
  pid_t child = 0;
  const int spawned = posix_spawnp(&child, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void set_environment(const std::string& name, const std::string& value) {
  ::setenv(name.c_str(), value.c_str(), 1);
}

void unset_environment(const std::string& name) { ::unsetenv(name.c_str()); }

}  // namespace shadowctl::emulator::os
