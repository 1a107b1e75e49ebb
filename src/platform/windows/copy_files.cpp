#include "platform/windows/copy_files.h"

#include <windows.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "core/error_catalogue.h"
#include "platform/windows/unicode.h"

namespace shadowctl::platform {
namespace {

using core::HResult;

HResult last_error() { return core::hresult_from_win32(GetLastError()); }

// FILETIME counts 100 ns from 1601; 0 leaves a time as it is (FILE_BASIC_INFO).
LARGE_INTEGER file_time(std::int64_t unix_us) {
  LARGE_INTEGER t{};
  if (unix_us != 0) t.QuadPart = unix_us * 10 + 116444736000000000LL;
  return t;
}

// The attributes a restore carries over; 0 leaves them as they are.
DWORD kept_attributes(const core::FileEntry& entry) {
  return entry.attributes & (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN |
                             FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE);
}

HResult stamp(HANDLE handle, const core::FileEntry& entry) {
  FILE_BASIC_INFO info{};
  info.CreationTime = file_time(entry.created_unix_us);
  info.LastWriteTime = file_time(entry.written_unix_us);
  info.FileAttributes = kept_attributes(entry);
  return SetFileInformationByHandle(handle, FileBasicInfo, &info, sizeof info) ? 0 : last_error();
}

class HandleReader final : public session::FileReader {
 public:
  explicit HandleReader(HANDLE file) : file_(file) {}
  ~HandleReader() override { CloseHandle(file_); }
  HandleReader(const HandleReader&) = delete;
  HandleReader& operator=(const HandleReader&) = delete;
  HResult read(char* buffer, std::size_t size, std::size_t& got) override {
    DWORD n = 0;
    const BOOL ok = ReadFile(
        file_, buffer, static_cast<DWORD>(std::min<std::size_t>(size, 1u << 30)), &n, nullptr);
    got = n;
    return ok ? 0 : last_error();
  }

 private:
  HANDLE file_;
};

// The temporary file beside the destination; removed unless finish() moved it there.
class TemporaryWriter final : public session::FileWriter {
 public:
  TemporaryWriter(HANDLE file, std::wstring temporary, std::wstring destination)
      : file_(file), temporary_(std::move(temporary)), destination_(std::move(destination)) {}
  ~TemporaryWriter() override {
    if (file_ != INVALID_HANDLE_VALUE) CloseHandle(file_);
    if (finished_) return;
    SetFileAttributesW(temporary_.c_str(), FILE_ATTRIBUTE_NORMAL);  // a read-only one too
    DeleteFileW(temporary_.c_str());
  }
  TemporaryWriter(const TemporaryWriter&) = delete;
  TemporaryWriter& operator=(const TemporaryWriter&) = delete;

  HResult write(const char* bytes, std::size_t size) override {
    while (size > 0) {
      DWORD written = 0;
      const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(size, 1u << 30));
      if (!WriteFile(file_, bytes, chunk, &written, nullptr)) return last_error();
      bytes += written;
      size -= written;
    }
    return 0;
  }

  HResult finish(const core::FileEntry& entry, bool replace) override {
    // Times last: closing a handle after a write would move the last-write time again.
    if (const HResult hr = stamp(file_, entry); core::failed(hr)) return hr;
    // Renamed through the handle already open, not reopened by name (MoveFileExW): a file
    // less to open and close, which a tree of 10,000 files feels. The name is the NT form of
    // the \\?\ path. A rename replaces the name at the destination, a link included, never
    // its target.
    if (destination_.rfind(L"\\\\?\\", 0) != 0) {  // not absolute: by name, as before
      CloseHandle(file_);
      file_ = INVALID_HANDLE_VALUE;
      if (!MoveFileExW(temporary_.c_str(), destination_.c_str(),
                       replace ? MOVEFILE_REPLACE_EXISTING : 0))
        return last_error();
      finished_ = true;
      return 0;
    }
    const std::wstring nt_name = L"\\??\\" + destination_.substr(4);
    std::vector<unsigned char> buffer(sizeof(FILE_RENAME_INFO) + nt_name.size() * sizeof(wchar_t));
    auto* rename = reinterpret_cast<FILE_RENAME_INFO*>(buffer.data());
    rename->ReplaceIfExists = replace ? TRUE : FALSE;
    rename->RootDirectory = nullptr;
    rename->FileNameLength = static_cast<DWORD>(nt_name.size() * sizeof(wchar_t));
    std::memcpy(rename->FileName, nt_name.data(), rename->FileNameLength);
    if (!SetFileInformationByHandle(file_, FileRenameInfo, rename,
                                    static_cast<DWORD>(buffer.size())))
      return last_error();
    finished_ = true;
    CloseHandle(file_);
    file_ = INVALID_HANDLE_VALUE;
    return 0;
  }

 private:
  HANDLE file_;
  std::wstring temporary_;
  std::wstring destination_;
  bool finished_ = false;
};

}  // namespace

std::wstring long_path(const std::string& path) {
  const std::wstring wide = to_wide(path);
  if (wide.rfind(L"\\\\?\\", 0) == 0) return wide;
  if (wide.size() >= 3 && wide[1] == L':' && wide[2] == L'\\') return L"\\\\?\\" + wide;
  if (wide.rfind(L"\\\\", 0) == 0) return L"\\\\?\\UNC\\" + wide.substr(2);
  return wide;
}

HResult open_to_read(const std::string& path, std::unique_ptr<session::FileReader>& out) {
  // Backup semantics: what SeBackupPrivilege lets through, when the session enabled it.
  // FILE_FLAG_OPEN_REPARSE_POINT: a link planted in the copy is opened as itself and refused
  // below, never followed out of the copy.
  const HANDLE file = CreateFileW(
      long_path(path).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
      nullptr, OPEN_EXISTING,
      FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_SEQUENTIAL_SCAN,
      nullptr);
  if (file == INVALID_HANDLE_VALUE) return last_error();
  FILE_ATTRIBUTE_TAG_INFO tag{};
  if (!GetFileInformationByHandleEx(file, FileAttributeTagInfo, &tag, sizeof tag)) {
    const HResult hr = last_error();
    CloseHandle(file);
    return hr;
  }
  if ((tag.FileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) != 0) {
    CloseHandle(file);
    return (tag.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0
               ? core::hr::shadowctl_e_reparse_point
               : core::hr::e_unexpected;  // a folder: restore lists those, never opens them
  }
  out = std::make_unique<HandleReader>(file);
  return 0;
}

HResult create_file(const std::string& destination, std::unique_ptr<session::FileWriter>& out) {
  static std::atomic<unsigned> next{0};
  const std::wstring target = long_path(destination);
  const std::wstring temporary = target + L".shadowctl-partial-" +
                                 std::to_wstring(GetCurrentProcessId()) + L"-" +
                                 std::to_wstring(next++);
  // CREATE_NEW: fails on anything already there, a planted link included. No security
  // attributes: the file inherits its folder's permissions, as a copy's would, and its
  // handle is not inherited by any child.
  // DELETE: finish renames it through this handle.
  const HANDLE file = CreateFileW(temporary.c_str(), GENERIC_WRITE | DELETE, 0, nullptr, CREATE_NEW,
                                  FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, nullptr);
  if (file == INVALID_HANDLE_VALUE) return last_error();
  out = std::make_unique<TemporaryWriter>(file, temporary, target);
  return 0;
}

HResult make_folder(const std::string& path) {
  return CreateDirectoryW(long_path(path).c_str(), nullptr) ? 0 : last_error();
}

HResult set_folder_facts(const std::string& path, const core::FileEntry& entry) {
  const HANDLE folder =
      CreateFileW(long_path(path).c_str(), FILE_WRITE_ATTRIBUTES,
                  FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                  FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (folder == INVALID_HANDLE_VALUE) return last_error();
  const HResult hr = stamp(folder, entry);
  CloseHandle(folder);
  return hr;
}

HResult rename_file(const std::string& from, const std::string& to) {
  return MoveFileExW(long_path(from).c_str(), long_path(to).c_str(), 0) ? 0 : last_error();
}

}  // namespace shadowctl::platform
