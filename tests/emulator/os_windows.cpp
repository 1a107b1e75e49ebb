#include <windows.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "core/command_line.h"
#include <fmt/format.h>

#include "os.h"

namespace shadowctl::emulator::os {

std::uint64_t current_process_id() { return GetCurrentProcessId(); }

// TerminateProcess, as Task Manager's End task or `taskkill /F` does (exit code 1).
void die_now() {
  TerminateProcess(GetCurrentProcess(), 1);
  ExitProcess(1);  // not reached
}

bool process_alive(std::uint64_t pid) {
  HANDLE process =
      OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
  if (!process) return GetLastError() == ERROR_ACCESS_DENIED;
  DWORD code = 0;
  const bool alive = GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
  CloseHandle(process);
  return alive;
}

FileLock::FileLock(const std::string& path) {
  HANDLE file = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                            OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE)
    throw std::runtime_error("emulator: cannot open lock file " + path);
  OVERLAPPED whole{};
  if (!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &whole)) {
    CloseHandle(file);
    throw std::runtime_error("emulator: cannot lock " + path);
  }
  handle_ = reinterpret_cast<std::intptr_t>(file);
}

FileLock::~FileLock() {
  HANDLE file = reinterpret_cast<HANDLE>(handle_);
  OVERLAPPED whole{};
  UnlockFileEx(file, 0, MAXDWORD, MAXDWORD, &whole);
  CloseHandle(file);
}

int run_another_process(const std::vector<std::string>& argv) {
  if (argv.empty()) return -1;
  std::vector<std::u16string> arguments;
  for (std::size_t i = 1; i < argv.size(); ++i) arguments.push_back(core::utf16(argv[i]));
  std::u16string line = core::command_line(core::utf16(argv[0]), arguments);
  std::u16string program = core::utf16(argv[0]);
  // The environment block without the scenario: the other process meets the machine only.
  std::u16string environment;
  if (wchar_t* block = GetEnvironmentStringsW()) {
    for (const wchar_t* e = block; *e; e += wcslen(e) + 1) {
      const std::u16string entry(reinterpret_cast<const char16_t*>(e));
      if (entry.rfind(u"SHADOWCTL_EMULATOR_SCENARIO=", 0) != 0) environment += entry + u'\0';
    }
    FreeEnvironmentStringsW(block);
  }
  environment += u'\0';
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE nul = CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           &inherit, OPEN_EXISTING, 0, nullptr);
  STARTUPINFOW startup{};
  startup.cb = sizeof(startup);
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = startup.hStdOutput = startup.hStdError = nul;
  PROCESS_INFORMATION child{};
  const BOOL started =
      CreateProcessW(reinterpret_cast<const wchar_t*>(program.c_str()),
                     reinterpret_cast<wchar_t*>(line.data()), nullptr, nullptr, TRUE,
                     CREATE_UNICODE_ENVIRONMENT, environment.data(), nullptr, &startup, &child);
  if (nul != INVALID_HANDLE_VALUE) CloseHandle(nul);
  if (!started) return -1;
  WaitForSingleObject(child.hProcess, INFINITE);
  DWORD code = 0;
  GetExitCodeProcess(child.hProcess, &code);
  CloseHandle(child.hThread);
  CloseHandle(child.hProcess);
  return static_cast<int>(code);
}

void set_environment(const std::string& name, const std::string& value) {
  _putenv_s(name.c_str(), value.c_str());
}

void unset_environment(const std::string& name) { _putenv_s(name.c_str(), ""); }

namespace {

std::wstring wide(const std::string& text) {
  const std::u16string w = core::utf16(text);
  return std::wstring(w.begin(), w.end());
}

std::wstring without_trailing_backslash(std::wstring path) {
  while (!path.empty() && path.back() == L'\\') path.pop_back();
  return path;
}

// Calls each(name, found) for every entry of a folder but . and ..; false when it cannot
// be listed.
template <typename Each>
bool for_each_entry(const std::wstring& folder, Each&& each) {
  WIN32_FIND_DATAW found;
  const HANDLE find = FindFirstFileW((folder + L"\\*").c_str(), &found);
  // A drive's empty root has not even . and ..
  if (find == INVALID_HANDLE_VALUE) return GetLastError() == ERROR_FILE_NOT_FOUND;
  bool going = true;
  do {
    const std::wstring_view name = found.cFileName;
    if (name != L"." && name != L"..") going = each(folder + L"\\" + found.cFileName, found);
  } while (going && FindNextFileW(find, &found));
  FindClose(find);
  return going;
}

bool is_folder(const WIN32_FIND_DATAW& f) {
  return (f.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0 &&
         (f.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) == 0;
}

bool measure(const std::wstring& folder, std::uint64_t& entries, std::uint64_t& bytes,
             std::uint64_t max_entries, std::uint64_t max_bytes) {
  return for_each_entry(folder, [&](const std::wstring& path, const WIN32_FIND_DATAW& f) {
    ++entries;
    bytes += (static_cast<std::uint64_t>(f.nFileSizeHigh) << 32) | f.nFileSizeLow;
    if (entries > max_entries || bytes > max_bytes) return false;
    return !is_folder(f) || measure(path, entries, bytes, max_entries, max_bytes);
  });
}

// CreateDirectoryExW and CopyFileExW keep attributes (and a reparse point as itself); a
// folder's times are set once its contents are in.
bool copy_folder(const std::wstring& from, const std::wstring& to) {
  return for_each_entry(from, [&](const std::wstring& path, const WIN32_FIND_DATAW& f) {
    const std::wstring target = to + L"\\" + f.cFileName;
    if ((f.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) == 0)
      return CopyFileExW(path.c_str(), target.c_str(), nullptr, nullptr, nullptr,
                         COPY_FILE_FAIL_IF_EXISTS | COPY_FILE_COPY_SYMLINK) != 0;
    if (!CreateDirectoryExW(path.c_str(), target.c_str(), nullptr)) return false;
    if (is_folder(f) && !copy_folder(path, target)) return false;
    const HANDLE h = CreateFileW(target.c_str(), FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ, nullptr,
                                 OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    if (h != INVALID_HANDLE_VALUE) {
      SetFileTime(h, &f.ftCreationTime, &f.ftLastAccessTime, &f.ftLastWriteTime);
      CloseHandle(h);
    }
    return true;
  });
}

void remove_folder(const std::wstring& folder) {
  for_each_entry(folder, [](const std::wstring& path, const WIN32_FIND_DATAW& f) {
    if (is_folder(f)) {
      remove_folder(path);
    } else if ((f.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
      RemoveDirectoryW(path.c_str());  // a reparse point: itself, not what it points at
    } else {
      SetFileAttributesW(path.c_str(), FILE_ATTRIBUTE_NORMAL);
      DeleteFileW(path.c_str());
    }
    return true;
  });
  SetFileAttributesW(folder.c_str(), FILE_ATTRIBUTE_NORMAL);
  RemoveDirectoryW(folder.c_str());
}

}  // namespace

std::string join_path(const std::string& folder, const std::string& name) {
  return folder.empty() || folder.back() == '\\' ? folder + name : folder + "\\" + name;
}

std::string freeze_tree(const std::string& from, const std::string& to, std::uint64_t max_entries,
                        std::uint64_t max_bytes) {
  const std::wstring source = without_trailing_backslash(wide(from));
  const std::wstring target = without_trailing_backslash(wide(to));
  std::uint64_t entries = 0, bytes = 0;
  if (!measure(source, entries, bytes, max_entries, max_bytes))
    return entries > max_entries || bytes > max_bytes
               ? fmt::format("{} holds more than {} entries or {} bytes: served without contents",
                             from, max_entries, max_bytes)
               : fmt::format("cannot read {} (error {})", from, GetLastError());
  remove_folder(target);
  if (!CreateDirectoryW(target.c_str(), nullptr))
    return fmt::format("cannot make {} (error {})", to, GetLastError());
  if (!copy_folder(source, target)) {
    const DWORD error = GetLastError();
    remove_folder(target);
    return fmt::format("cannot copy {} (error {})", from, error);
  }
  return {};
}

void remove_tree(const std::string& path) { remove_folder(without_trailing_backslash(wide(path))); }

namespace {

// Wine's own extension of the mount manager (its include/ddk/mountmgr.h), what winecfg maps a
// drive letter to a Unix folder with; the folder, a Unix path, follows the struct.
struct MountmgrUnixDrive {
  ULONG size;
  ULONG type;
  ULONG fs_type;
  DWORD serial;
  ULONGLONG unix_dev;
  WCHAR letter;
  USHORT mount_point_offset;
  USHORT device_offset;
  USHORT label_offset;
};
constexpr DWORD kDefineUnixDrive =
    CTL_CODE(0x6d /* 'm' */, 32, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS);

// Maps the letter to `unix_folder`, or with none takes the letter away.
bool define_unix_drive(const std::string& letter, const std::string& unix_folder) {
  HANDLE manager =
      CreateFileW(L"\\\\.\\MountPointManager", GENERIC_READ | GENERIC_WRITE,
                  FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0, nullptr);
  if (manager == INVALID_HANDLE_VALUE) return false;  // not Wine: no such device
  std::string request(sizeof(MountmgrUnixDrive) + unix_folder.size() + 1, '\0');
  MountmgrUnixDrive drive{};
  drive.size = static_cast<ULONG>(request.size());
  drive.type = DRIVE_FIXED;
  drive.letter = static_cast<WCHAR>(std::tolower(static_cast<unsigned char>(letter[0])));
  if (!unix_folder.empty()) {
    drive.mount_point_offset = sizeof(MountmgrUnixDrive);
    request.replace(sizeof(MountmgrUnixDrive), unix_folder.size(), unix_folder);
  }
  std::memcpy(request.data(), &drive, sizeof drive);
  DWORD returned = 0;
  const bool done =
      DeviceIoControl(manager, kDefineUnixDrive, request.data(), static_cast<DWORD>(request.size()),
                      nullptr, 0, &returned, nullptr) != 0;
  CloseHandle(manager);
  return done;
}

}  // namespace

bool show_at_drive(const std::string& letter, const std::string& tree) {
  // The store is reached as \\?\unix\... (dll/windows_machine.cpp): the Unix folder follows.
  constexpr std::string_view unix_prefix = "\\\\?\\unix";
  if (tree.rfind(unix_prefix, 0) != 0) return false;
  std::string folder = tree.substr(unix_prefix.size());
  std::replace(folder.begin(), folder.end(), '\\', '/');
  return define_unix_drive(letter, folder);
}

void hide_drive(const std::string& letter) {
  define_unix_drive(letter, "");
  // The mount manager takes the letter's Unix link away but leaves its \??\X: link in the
  // running wineserver, where GetLogicalDrives still finds it: removed as Windows would.
  DefineDosDeviceW(DDD_REMOVE_DEFINITION, wide(letter).c_str(), nullptr);
}

}  // namespace shadowctl::emulator::os
