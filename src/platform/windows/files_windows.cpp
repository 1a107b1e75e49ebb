// The log file on Windows, opened as an elevated process must open a path the user named:
// never through a reparse point (symbolic link, junction, mount point) or a second hard
// link planted there, never a device, pipe or network file; not inheritable; and with
// SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, so that a pipe server at the path
// could not impersonate the tool even if one were reached.
#include <windows.h>

#include <algorithm>
#include <string>

#include "platform/append_buffer.h"
#include "platform/platform.h"
#include "platform/windows/unicode.h"

namespace shadowctl::platform {
namespace {

// Appends to a file handle it owns.
class HandleBuffer final : public AppendBuffer {
 public:
  explicit HandleBuffer(HANDLE file) : file_(file) {}
  ~HandleBuffer() override { CloseHandle(file_); }
  HandleBuffer(const HandleBuffer&) = delete;
  HandleBuffer& operator=(const HandleBuffer&) = delete;

 protected:
  std::streamsize write_some(const char* s, std::streamsize n) override {
    DWORD written = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<std::streamsize>(n, 1 << 20));
    if (WriteFile(file_, s, chunk, &written, nullptr)) return written;
    failed(core::hresult_from_win32(GetLastError()));  // ERROR_DISK_FULL, most often
    return 0;
  }

 private:
  HANDLE file_;
};

// Why a call failed, in Windows' words.
std::string message(DWORD code) {
  const std::string text = system_error_text(code);
  return text.empty() ? "error " + std::to_string(code) : text;
}

}  // namespace

std::unique_ptr<session::AppendFile> open_log_file(const std::string& utf8_path, std::string& why) {
  SECURITY_ATTRIBUTES not_inherited{sizeof(SECURITY_ATTRIBUTES), nullptr, FALSE};
  // FILE_APPEND_DATA without FILE_WRITE_DATA: every write goes to the end.
  HANDLE file = CreateFileW(to_wide(utf8_path).c_str(), FILE_APPEND_DATA | SYNCHRONIZE,
                            FILE_SHARE_READ, &not_inherited, OPEN_ALWAYS,
                            FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT |
                                SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
                            nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    why = message(GetLastError());
    return nullptr;
  }
  BY_HANDLE_FILE_INFORMATION info{};
  const bool disk = GetFileType(file) == FILE_TYPE_DISK;
  if (!disk || !GetFileInformationByHandle(file, &info)) {
    why = disk ? message(GetLastError()) : "it is not a file on a disk";
  } else if (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) {
    why = "it is a reparse point (a symbolic link, junction or mount point)";
  } else if (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
    why = "it is a folder";
  } else if (info.nNumberOfLinks > 1) {
    why = "it has more than one hard link";
  } else {
    return std::make_unique<HandleBuffer>(file);
  }
  CloseHandle(file);
  return nullptr;
}

}  // namespace shadowctl::platform
