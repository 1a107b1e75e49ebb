// The log file outside Windows: opened without following a link, refused when it has more
// than one name or is not a regular file.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/append_buffer.h"
#include "platform/platform.h"

namespace shadowctl::platform {
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
  const int fd =
      ::open(utf8_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
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
