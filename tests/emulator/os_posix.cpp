#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

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

void set_environment(const std::string& name, const std::string& value) {
  ::setenv(name.c_str(), value.c_str(), 1);
}

void unset_environment(const std::string& name) { ::unsetenv(name.c_str()); }

}  // namespace shadowctl::emulator::os
