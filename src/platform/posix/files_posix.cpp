// The log file outside Windows: opened without following a link, refused when it has more
// than one name or is not a regular file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/append_buffer.h"
#include "platform/platform.h"
#include "platform/posix/parent_folder.h"

namespace shadowctl::platform {

ParentFolder::~ParentFolder() {
  if (fd_ >= 0) ::close(fd_);
}

bool ParentFolder::open(const std::string& path, std::string& why) {
  fd_ = ::open(!path.empty() && path[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) {
    why = std::strerror(errno);
    return false;
  }
  std::string walked = !path.empty() && path[0] == '/' ? "/" : "";
  std::size_t at = 0;
  for (;;) {
    while (at < path.size() && path[at] == '/') ++at;
    const std::size_t end = path.find('/', at);
    const std::string part = path.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (end == std::string::npos) {
      name_ = part;
      if (name_.empty() || name_ == "." || name_ == "..") {
        why = "it names no file";
        return false;
      }
      return true;
    }
    at = end;
    if (part.empty() || part == ".") continue;
    walked += (walked.empty() || walked.back() == '/' ? "" : "/") + part;
    const int next = ::openat(fd_, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      struct stat st {};
      const bool link = ::fstatat(fd_, part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
      why = link ? "the folder '" + walked + "' above it is a symbolic link"
                 : "the folder '" + walked + "': " + std::strerror(errno);
      return false;
    }
    ::close(fd_);
    fd_ = next;
  }
}

namespace {

// Appends to a file descriptor it owns.
class FdBuffer final : public AppendBuffer {
 public:
  explicit FdBuffer(int fd) : fd_(fd) {}
  ~FdBuffer() override { ::close(fd_); }
  FdBuffer(const FdBuffer&) = delete;
  FdBuffer& operator=(const FdBuffer&) = delete;

 protected:
  std::streamsize write_some(const char* s, std::streamsize n) override {
    for (;;) {
      const ssize_t w = ::write(fd_, s, static_cast<std::size_t>(n));
      if (w >= 0) return w;
      if (errno == EINTR) continue;
      // As Windows would say it: a full disk, or a file at its size limit.
      failed(errno == ENOSPC  ? core::hresult_from_win32(112)   // ERROR_DISK_FULL
             : errno == EFBIG ? core::hresult_from_win32(39)    // ERROR_HANDLE_DISK_FULL
                              : core::hresult_from_win32(29));  // ERROR_WRITE_FAULT
      return w;
    }
  }

 private:
  int fd_;
};

}  // namespace

std::unique_ptr<session::AppendFile> open_log_file(const std::string& utf8_path, std::string& why) {
  ParentFolder folder;
  if (!folder.open(utf8_path, why)) return nullptr;
  const int fd = ::openat(folder.fd(), folder.name().c_str(),
                          O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    why = errno == ELOOP ? "it is a symbolic link" : std::strerror(errno);
    return nullptr;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
    why = S_ISREG(st.st_mode) ? "it has more than one hard link" : "it is not a regular file";
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<FdBuffer>(fd);
}

}  // namespace shadowctl::platform
