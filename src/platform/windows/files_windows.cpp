// The log file on Windows, opened as an elevated process must open a path the user named:
// never through a reparse point (symbolic link, junction, mount point) or a second hard
// link planted there, never a device, pipe or network file; not inheritable; and with
// SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, so that a pipe server at the path
// could not impersonate the tool even if one were reached.
#include <windows.h>

#include <sddl.h>

#include <algorithm>
#include <string>

#include "platform/append_buffer.h"
#include "platform/platform.h"
#include "platform/windows/held_folders.h"
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

// Where a path's folders start: "C:\\", "\\\\?\\C:\\" or "\\\\?\\Volume{...}\\"; 0 for any other form.
std::size_t root_length(const std::wstring& path) {
  if (path.size() >= 3 && path[1] == L':' && path[2] == L'\\') return 3;
  if (path.rfind(L"\\\\?\\", 0) == 0 && path.size() >= 7 && path[5] == L':' && path[6] == L'\\')
    return 7;
  if (path.rfind(L"\\\\?\\Volume{", 0) == 0) {
    const auto end = path.find(L"}\\");
    if (end != std::wstring::npos) return end + 2;
  }
  return 0;
}

}  // namespace

HeldFolders::~HeldFolders() {
  for (HANDLE h : held_) CloseHandle(h);
}

bool HeldFolders::hold(const std::wstring& path, std::string& why) {
  const DWORD needed = GetFullPathNameW(path.c_str(), 0, nullptr, nullptr);
  if (needed == 0) {
    error_ = GetLastError();
    why = message(error_);
    return false;
  }
  full_.assign(needed, L'\0');
  full_.resize(GetFullPathNameW(path.c_str(), needed, full_.data(), nullptr));
  const std::size_t root = root_length(full_);
  if (root == 0) {
    why = "its folders do not start at a drive or a volume";
    return false;
  }
  // Each folder between the root and the file's own name.
  for (std::size_t end = full_.find(L'\\', root); end != std::wstring::npos;
       end = full_.find(L'\\', end + 1)) {
    const std::wstring folder = full_.substr(0, end);
    // Backup semantics is how a folder is opened at all; the handle reads attributes only.
    HANDLE h = CreateFileW(folder.c_str(), FILE_READ_ATTRIBUTES | SYNCHRONIZE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING,
                           FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
      error_ = GetLastError();
      why = "the folder '" + to_utf8(folder) + "': " + message(error_);
      return false;
    }
    held_.push_back(h);
    FILE_ATTRIBUTE_TAG_INFO tag{};
    if (!GetFileInformationByHandleEx(h, FileAttributeTagInfo, &tag, sizeof tag)) {
      error_ = GetLastError();
      why = "the folder '" + to_utf8(folder) + "': " + message(error_);
      return false;
    }
    if (tag.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) {
      why = "the folder '" + to_utf8(folder) +
            "' above it is a reparse point (a junction, symbolic link or mount point)";
      return false;
    }
    if (!(tag.FileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
      why = "'" + to_utf8(folder) + "' above it is not a folder";
      return false;
    }
  }
  return true;
}

ProtectedDescriptor::ProtectedDescriptor() {
  // D:P: a protected DACL; FA: full access; SY, BA, OW: SYSTEM, Administrators, OWNER RIGHTS.
  // https://learn.microsoft.com/windows/win32/secauthz/security-descriptor-string-format
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(
          L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;OW)", SDDL_REVISION_1, &descriptor_, nullptr))
    descriptor_ = nullptr;
}

ProtectedDescriptor::~ProtectedDescriptor() {
  if (descriptor_) LocalFree(descriptor_);
}

std::unique_ptr<session::AppendFile> open_log_file(const std::string& utf8_path, std::string& why) {
  HeldFolders folders;
  if (!folders.hold(to_wide(utf8_path), why)) return nullptr;
  // A new log file gets a protected DACL of its own; an existing one keeps the one it has.
  const ProtectedDescriptor descriptor;
  SECURITY_ATTRIBUTES not_inherited{sizeof(SECURITY_ATTRIBUTES), descriptor.get(), FALSE};
  // FILE_APPEND_DATA without FILE_WRITE_DATA: every write goes to the end, so the steps of
  // `schedule run`, each a shadowctl of its own, can append to the same log beside it.
  HANDLE file = CreateFileW(folders.full_path().c_str(), FILE_APPEND_DATA | SYNCHRONIZE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE, &not_inherited, OPEN_ALWAYS,
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
