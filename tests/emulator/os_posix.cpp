#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <string_view>

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#include <fmt/format.h>

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

std::string join_path(const std::string& folder, const std::string& name) {
  return folder.empty() || folder.back() == '/' ? folder + name : folder + "/" + name;
}

std::string freeze_tree(const std::string& from, const std::string& to, std::uint64_t max_entries,
                        std::uint64_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::uint64_t entries = 0, bytes = 0;
  // Links are entries of their own, never followed (the default of the iterator).
  for (fs::recursive_directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    ++entries;
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) bytes += it->file_size(ec);
    if (entries > max_entries || bytes > max_bytes)
      return fmt::format("{} holds more than {} entries or {} bytes: served without contents",
                         from, max_entries, max_bytes);
  }
  if (ec) return "cannot read " + from + ": " + ec.message();
  fs::remove_all(to, ec);
  fs::create_directories(to, ec);
  if (ec) return "cannot make " + to + ": " + ec.message();
  std::vector<std::pair<fs::path, fs::path>> folders;  // their times are set last
  for (fs::recursive_directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path target = fs::path(to) / it->path().lexically_relative(from);
    if (it->is_symlink(ec)) {
      fs::copy_symlink(it->path(), target, ec);
    } else if (it->is_directory(ec)) {
      fs::create_directory(target, it->path(), ec);
      folders.emplace_back(it->path(), target);
    } else {
      fs::copy_file(it->path(), target, ec);
      if (!ec) fs::last_write_time(target, fs::last_write_time(it->path(), ec), ec);
      if (!ec) fs::permissions(target, fs::status(it->path(), ec).permissions(), ec);
    }
    if (ec) return "cannot copy " + it->path().string() + ": " + ec.message();
  }
  for (auto f = folders.rbegin(); f != folders.rend(); ++f)
    fs::last_write_time(f->second, fs::last_write_time(f->first, ec), ec);
  return ec ? "cannot copy " + from + ": " + ec.message() : std::string();
}

bool show_at_drive(const std::string&, const std::string&) { return false; }
void hide_drive(const std::string&) {}

void remove_tree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

}  // namespace shadowctl::emulator::os
