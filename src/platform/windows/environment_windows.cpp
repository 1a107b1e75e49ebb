// session::Environment on Windows, its three jobs in one class: the machine probe
// (architecture, token, SeBackupPrivilege, the VSS service, volumes, drive letters, the
// system's text for a code, the host name), the user's files (written whole, examined,
// never through a planted link; files_windows.cpp) and exec's child (process_windows.cpp).
#include <windows.h>

#include <cwchar>
#include <memory>
#include <string>
#include <vector>

#include "core/error_catalogue.h"
#include "platform/platform.h"
#include "platform/windows/copy_files.h"
#include "platform/windows/event_log_windows.h"
#include "platform/windows/held_folders.h"
#include "platform/windows/process_windows.h"
#include "platform/windows/tasks_windows.h"
#include "platform/windows/unicode.h"

namespace shadowctl::platform {
namespace {

using core::HResult;

HResult last_error() { return core::hresult_from_win32(GetLastError()); }

struct HandleCloser {
  void operator()(HANDLE h) const { CloseHandle(h); }
};
using UniqueHandle = std::unique_ptr<void, HandleCloser>;

struct ServiceCloser {
  void operator()(SC_HANDLE h) const { CloseServiceHandle(h); }
};
using UniqueService = std::unique_ptr<SC_HANDLE__, ServiceCloser>;

// Whether the child's token must have SeBackupPrivilege disabled again (run_process).
bool g_restore_privilege = false;

std::string architecture_name(USHORT machine) {
  switch (machine) {
    case IMAGE_FILE_MACHINE_AMD64: return "x64";
    case IMAGE_FILE_MACHINE_I386: return "x86";
    case IMAGE_FILE_MACHINE_ARM64: return "arm64";
    default: return "unknown";
  }
}

class WindowsEnvironment final : public session::Environment {
 public:
  session::ArchitectureFacts architecture() override {
    constexpr USHORT kProcessMachine =
        sizeof(void*) == 8 ? IMAGE_FILE_MACHINE_AMD64 : IMAGE_FILE_MACHINE_I386;
    USHORT process = IMAGE_FILE_MACHINE_UNKNOWN;
    USHORT native = kProcessMachine;
    using IsWow64Process2Fn = BOOL(WINAPI*)(HANDLE, USHORT*, USHORT*);
    auto is_wow64_process2 = reinterpret_cast<IsWow64Process2Fn>(reinterpret_cast<void*>(
        GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "IsWow64Process2")));
    if (is_wow64_process2 && is_wow64_process2(GetCurrentProcess(), &process, &native)) {
      // UNKNOWN means "not under WOW64": the process runs natively.
    } else {
      BOOL wow64 = FALSE;
      IsWow64Process(GetCurrentProcess(), &wow64);
      native = wow64 ? IMAGE_FILE_MACHINE_AMD64 : kProcessMachine;
    }
    return {architecture_name(kProcessMachine), architecture_name(native)};
  }

  session::TokenFacts token() override {
    session::TokenFacts facts;
    HANDLE raw = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &raw)) return {last_error()};
    UniqueHandle token(raw);
    TOKEN_ELEVATION elevation{};
    DWORD size = 0;
    if (!GetTokenInformation(raw, TokenElevation, &elevation, sizeof elevation, &size))
      return {last_error()};
    facts.elevated = elevation.TokenIsElevated != 0;
    facts.administrators = is_member(WinBuiltinAdministratorsSid);
    facts.backup_operators = is_member(WinBuiltinBackupOperatorsSid);
    return facts;
  }

  session::PrivilegeFacts enable_backup_privilege() override {
    session::PrivilegeFacts facts;
    if (adjust_token_) {
      // Known since the first call: the token holds it, disabled unless we enabled it. restore
      // enables and restores it around each file's open: one AdjustTokenPrivileges each.
      facts.present = true;
      facts.was_enabled = enabled_by_us_;
      facts.enabled = enabled_by_us_ || adjust_backup_privilege(true);
      if (!facts.enabled) facts.error = core::hresult_from_win32(GetLastError());
      enabled_by_us_ = true;
      return facts;
    }
    LUID luid{};
    if (!LookupPrivilegeValueW(nullptr, SE_BACKUP_NAME, &luid)) return {last_error()};
    HANDLE raw = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_ADJUST_PRIVILEGES, &raw))
      return {last_error()};
    UniqueHandle token(raw);

    DWORD size = 0;
    GetTokenInformation(raw, TokenPrivileges, nullptr, 0, &size);
    std::vector<unsigned char> buffer(size);
    if (!GetTokenInformation(raw, TokenPrivileges, buffer.data(), size, &size))
      return {last_error()};
    const auto* privileges = reinterpret_cast<const TOKEN_PRIVILEGES*>(buffer.data());
    for (DWORD i = 0; i < privileges->PrivilegeCount; ++i) {
      const LUID_AND_ATTRIBUTES& p = privileges->Privileges[i];
      if (p.Luid.LowPart == luid.LowPart && p.Luid.HighPart == luid.HighPart) {
        facts.present = true;
        facts.was_enabled = (p.Attributes & SE_PRIVILEGE_ENABLED) != 0;
      }
    }
    if (!facts.present || facts.was_enabled) {
      facts.enabled = facts.was_enabled;
      return facts;
    }
    privilege_was_disabled_ = true;
    enabled_by_us_ = true;
    TOKEN_PRIVILEGES enable{};
    enable.PrivilegeCount = 1;
    enable.Privileges[0].Luid = luid;
    enable.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
    // AdjustTokenPrivileges succeeds even when it assigns nothing; GetLastError tells.
    const BOOL adjusted = AdjustTokenPrivileges(raw, FALSE, &enable, 0, nullptr, nullptr);
    const DWORD error = GetLastError();
    facts.enabled = adjusted && error == ERROR_SUCCESS;
    if (!facts.enabled) facts.error = core::hresult_from_win32(error);
    if (facts.enabled) {
      adjust_token_ = std::move(token);
      backup_luid_ = luid;
    }
    return facts;
  }

  bool restore_backup_privilege() override {
    if (!enabled_by_us_) return false;
    if (adjust_token_)
      adjust_backup_privilege(false);
    else
      set_backup_privilege(false);
    enabled_by_us_ = false;
    return true;
  }

  HResult local_volumes(std::vector<core::Volume>& out) override {
    out.clear();
    wchar_t name[MAX_PATH] = {};
    HANDLE find = FindFirstVolumeW(name, MAX_PATH);
    if (find == INVALID_HANDLE_VALUE) return last_error();
    do {
      core::Volume v;
      v.name = to_utf8(name);
      v.mount_points = mount_points(name);
      // Local fixed disks only: VSS does not shadow removable, network or optical media.
      // Asked through a mount point when there is one (Wine answers DRIVE_UNKNOWN for a
      // volume GUID path).
      const std::wstring root = v.mount_points.empty() ? name : to_wide(v.mount_points.front());
      if (GetDriveTypeW(root.c_str()) != DRIVE_FIXED) continue;
      wchar_t label[MAX_PATH + 1] = {}, file_system[MAX_PATH + 1] = {};
      if (GetVolumeInformationW(name, label, MAX_PATH + 1, nullptr, nullptr, nullptr,
                                file_system, MAX_PATH + 1)) {
        v.label = to_utf8(label);
        v.file_system = to_utf8(file_system);
      }
      out.push_back(std::move(v));
    } while (FindNextVolumeW(find, name, MAX_PATH));
    const DWORD stopped = GetLastError();
    FindVolumeClose(find);
    return stopped == ERROR_NO_MORE_FILES ? core::hr::s_ok : core::hresult_from_win32(stopped);
  }

  HResult write_file_atomically(const std::string& path, const std::string& bytes) override {
    // The folders above held, none a reparse point, until the file is in place.
    HeldFolders folders;
    std::string why;
    if (!folders.hold(to_wide(path), why))
      return folders.error() ? core::hresult_from_win32(folders.error())
                             : core::hr::shadowctl_e_reparse_point;
    const std::wstring target = folders.full_path();
    // A new name in the same folder, so the move is a rename on one volume.
    const std::wstring temporary = target + L"." + std::to_wstring(GetCurrentProcessId()) + L"." +
                                   std::to_wstring(GetTickCount64()) + L".tmp";
    // Created with a protected DACL of its own (SYSTEM, Administrators, the owner), never
    // what the folder would hand down: a --script a later job runs elevated is not left
    // editable by whoever may write in that folder, and the move keeps it.
    const ProtectedDescriptor descriptor;
    SECURITY_ATTRIBUTES not_inherited{sizeof(SECURITY_ATTRIBUTES), descriptor.get(), FALSE};
    // CREATE_NEW fails on anything already there, a planted link included; the flag keeps a
    // reparse point from being followed; no FILE_FLAG_BACKUP_SEMANTICS, ever.
    HANDLE file = CreateFileW(temporary.c_str(), GENERIC_WRITE, 0, &not_inherited, CREATE_NEW,
                              FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT |
                                  SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
                              nullptr);
    if (file == INVALID_HANDLE_VALUE) return last_error();
    DWORD written = 0;
    const BOOL ok = WriteFile(file, bytes.data(), static_cast<DWORD>(bytes.size()), &written,
                              nullptr) &&
                    written == bytes.size() && FlushFileBuffers(file);
    const HResult write_error = ok ? core::hr::s_ok : last_error();
    CloseHandle(file);
    // MoveFileExW replaces the directory entry at the target: a link there is replaced, not
    // written through.
    if (core::failed(write_error) ||
        !MoveFileExW(temporary.c_str(), target.c_str(),
                     MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
      const HResult hr = core::failed(write_error) ? write_error : last_error();
      DeleteFileW(temporary.c_str());
      return hr;
    }
    return core::hr::s_ok;
  }

  std::vector<std::u16string> environment_variables() override {
    std::vector<std::u16string> out;
    wchar_t* block = GetEnvironmentStringsW();
    for (const wchar_t* p = block; p && *p; p += wcslen(p) + 1)
      out.emplace_back(reinterpret_cast<const char16_t*>(p));
    if (block) FreeEnvironmentStringsW(block);
    return out;
  }

  bool is_file(const std::u16string& path) override {
    const DWORD attributes = GetFileAttributesW(reinterpret_cast<const wchar_t*>(path.c_str()));
    return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) == 0;
  }

  std::u16string full_path(const std::u16string& path) override {
    const auto* in = reinterpret_cast<const wchar_t*>(path.c_str());
    const DWORD needed = GetFullPathNameW(in, 0, nullptr, nullptr);
    if (needed == 0) return path;
    std::u16string out(needed, u'\0');
    const DWORD written =
        GetFullPathNameW(in, needed, reinterpret_cast<wchar_t*>(out.data()), nullptr);
    out.resize(written);
    return out;
  }

  std::u16string system_folder() override {
    wchar_t folder[MAX_PATH + 1] = {};
    const UINT n = GetSystemDirectoryW(folder, MAX_PATH + 1);
    return std::u16string(reinterpret_cast<const char16_t*>(folder), n);
  }

  session::ProcessResult run_process(const session::ProcessRequest& request) override {
    // SeBackupPrivilege as it was before shadowctl enabled it: present, so that backup
    // programs enable it themselves, but not enabled on their behalf.
    g_restore_privilege = privilege_was_disabled_;
    return platform::run_process(request, &restore_privilege, &reclaim_privilege);
  }

  std::u16string this_program() override {
    std::wstring path(MAX_PATH, L'\0');
    for (;;) {
      const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
      if (n == 0) return {};
      if (n < path.size()) {
        path.resize(n);
        break;
      }
      path.resize(path.size() * 2);
    }
    return std::u16string(reinterpret_cast<const char16_t*>(path.data()), path.size());
  }

  core::HResult register_task(const std::string& name, const std::string& xml,
                              bool replace) override {
    return platform::register_task(name, xml, replace);
  }
  core::HResult list_tasks(std::vector<core::ScheduledTask>& out) override {
    return platform::list_tasks(out);
  }
  core::HResult delete_task(const std::string& name) override {
    return platform::delete_task(name);
  }

  std::uint64_t volume_capacity(const std::string& volume) override {
    ULARGE_INTEGER total{};
    return GetDiskFreeSpaceExW(to_wide(volume).c_str(), nullptr, &total, nullptr) ? total.QuadPart
                                                                                 : 0;
  }

  std::uint64_t volume_free_space(const std::string& volume) override {
    ULARGE_INTEGER free{};
    return GetDiskFreeSpaceExW(to_wide(volume).c_str(), nullptr, nullptr, &free) ? free.QuadPart
                                                                                : 0;
  }

  bool drive_letter_in_use(char letter) override {
    return letter >= 'A' && letter <= 'Z' && (GetLogicalDrives() & (1u << (letter - 'A'))) != 0;
  }

  core::HResult list_folder(const std::string& path, std::vector<core::FileEntry>& out) override {
    std::wstring pattern = long_path(path);  // a folder deep in a copy, too
    if (pattern.empty() || pattern.back() != L'\\') pattern += L'\\';
    pattern += L'*';
    WIN32_FIND_DATAW found;
    // Names only (FindExInfoBasic); a link is an entry with its reparse point attribute.
    const HANDLE find = FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &found,
                                         FindExSearchNameMatch, nullptr, FIND_FIRST_EX_LARGE_FETCH);
    if (find == INVALID_HANDLE_VALUE)
      return GetLastError() == ERROR_FILE_NOT_FOUND ? core::HResult{0} : last_error();
    // FILETIME: 100 ns ticks since 1601.
    auto unix_us = [](const FILETIME& t) {
      const auto ticks = (static_cast<std::int64_t>(t.dwHighDateTime) << 32) | t.dwLowDateTime;
      return (ticks - 116444736000000000LL) / 10;
    };
    do {
      const std::wstring_view name = found.cFileName;
      if (name == L"." || name == L"..") continue;
      out.push_back({to_utf8(found.cFileName),
                     (static_cast<std::uint64_t>(found.nFileSizeHigh) << 32) | found.nFileSizeLow,
                     unix_us(found.ftLastWriteTime), unix_us(found.ftCreationTime),
                     found.dwFileAttributes});
    } while (FindNextFileW(find, &found));
    const DWORD error = GetLastError();
    FindClose(find);
    return error == ERROR_NO_MORE_FILES ? core::HResult{0} : core::hresult_from_win32(error);
  }

  core::HResult open_to_read(const std::string& path,
                             std::unique_ptr<session::FileReader>& out) override {
    return platform::open_to_read(path, out);
  }
  core::HResult create_file(const std::string& destination,
                            std::unique_ptr<session::FileWriter>& out) override {
    return platform::create_file(destination, out);
  }
  core::HResult make_folder(const std::string& path) override {
    return platform::make_folder(path);
  }
  core::HResult set_folder_facts(const std::string& path, const core::FileEntry& entry) override {
    return platform::set_folder_facts(path, entry);
  }
  core::HResult rename_file(const std::string& from, const std::string& to) override {
    return platform::rename_file(from, to);
  }

  session::FolderFacts examine_folder(const std::string& path) override {
    session::FolderFacts facts;
    // A reparse point above the folder is one at it: the path would lead elsewhere.
    HeldFolders above;
    std::string why;
    if (!above.hold(to_wide(path), why)) {
      facts.error = above.error() ? core::hresult_from_win32(above.error()) : 0;
      facts.reparse_point = above.error() == 0;
      return facts;
    }
    const std::wstring wide = above.full_path();
    // FILE_FLAG_OPEN_REPARSE_POINT: a junction or link planted at the path is examined
    // itself, never followed. Backup semantics is how a folder handle is opened at all; the
    // handle only reads attributes.
    UniqueHandle folder(CreateFileW(wide.c_str(), FILE_READ_ATTRIBUTES,
                                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                    nullptr, OPEN_EXISTING,
                                    FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT,
                                    nullptr));
    if (folder.get() == INVALID_HANDLE_VALUE) {
      folder.release();
      facts.error = last_error();
      return facts;
    }
    FILE_ATTRIBUTE_TAG_INFO tag{};
    if (!GetFileInformationByHandleEx(folder.get(), FileAttributeTagInfo, &tag, sizeof tag)) {
      facts.error = last_error();
      return facts;
    }
    facts.directory = (tag.FileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    facts.reparse_point = (tag.FileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
    wchar_t file_system[MAX_PATH + 1] = {};
    if (GetVolumeInformationByHandleW(folder.get(), nullptr, 0, nullptr, nullptr, nullptr,
                                      file_system, MAX_PATH + 1))
      facts.file_system = to_utf8(file_system);
    if (facts.directory && !facts.reparse_point) facts.empty = folder_is_empty(wide);
    return facts;
  }

  session::ServiceFacts vss_service() override {
    UniqueService manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!manager) return {last_error()};
    UniqueService service(
        OpenServiceW(manager.get(), L"VSS", SERVICE_QUERY_CONFIG | SERVICE_QUERY_STATUS));
    if (!service) return {last_error()};

    session::ServiceFacts facts;
    DWORD needed = 0;
    QueryServiceConfigW(service.get(), nullptr, 0, &needed);
    std::vector<unsigned char> buffer(needed);
    auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
    if (!QueryServiceConfigW(service.get(), config, needed, &needed)) return {last_error()};
    switch (config->dwStartType) {
      case SERVICE_DISABLED: facts.start = session::ServiceStart::disabled; break;
      case SERVICE_DEMAND_START: facts.start = session::ServiceStart::manual; break;
      default: facts.start = session::ServiceStart::automatic; break;
    }
    SERVICE_STATUS status{};
    if (QueryServiceStatus(service.get(), &status))
      facts.running = status.dwCurrentState == SERVICE_RUNNING;
    return facts;
  }

  std::string system_message(HResult hr) override {
    return system_error_text(core::facility_of(hr) == 7 ? core::code_of(hr) : hr);
  }

  core::HResult query_events(const std::string& log, const std::string& xpath, std::size_t most,
                             std::vector<session::RenderedEvent>& out) override {
    return query_event_log(log, xpath, most, out);
  }

  std::string machine_name() override {
    wchar_t name[256] = {};
    DWORD size = 256;
    // The name VSS records as a copy's originating machine: the same spelling in both.
    return GetComputerNameExW(ComputerNameDnsFullyQualified, name, &size)
               ? to_utf8(std::wstring_view(name, size))
               : std::string();
  }

 private:
  // Every path the volume is mounted at ("C:\", "D:\Data\"); a double-NUL-ended list.
  static std::vector<std::string> mount_points(const wchar_t* volume) {
    DWORD needed = 0;
    GetVolumePathNamesForVolumeNameW(volume, nullptr, 0, &needed);
    std::vector<wchar_t> buffer(needed + 1);
    std::vector<std::string> out;
    if (!GetVolumePathNamesForVolumeNameW(volume, buffer.data(), static_cast<DWORD>(buffer.size()),
                                          &needed))
      return out;
    for (const wchar_t* p = buffer.data(); *p; p += wcslen(p) + 1) out.push_back(to_utf8(p));
    return out;
  }

  // No entry but "." and "..".
  static bool folder_is_empty(const std::wstring& folder) {
    WIN32_FIND_DATAW entry;
    HANDLE find = FindFirstFileExW((folder + L"\\*").c_str(), FindExInfoBasic, &entry,
                                   FindExSearchNameMatch, nullptr, 0);
    if (find == INVALID_HANDLE_VALUE) return false;
    bool empty = true;
    do {
      const std::wstring_view name = entry.cFileName;
      if (name != L"." && name != L"..") empty = false;
    } while (empty && FindNextFileW(find, &entry));
    FindClose(find);
    return empty;
  }

  // Enables or disables SeBackupPrivilege in the process token.
  static void set_backup_privilege(bool enabled) {
    LUID luid{};
    HANDLE raw = nullptr;
    if (!LookupPrivilegeValueW(nullptr, SE_BACKUP_NAME, &luid) ||
        !OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES, &raw))
      return;
    UniqueHandle token(raw);
    TOKEN_PRIVILEGES change{};
    change.PrivilegeCount = 1;
    change.Privileges[0].Luid = luid;
    change.Privileges[0].Attributes = enabled ? SE_PRIVILEGE_ENABLED : 0;
    AdjustTokenPrivileges(raw, FALSE, &change, 0, nullptr, nullptr);
  }
  static void restore_privilege() {
    if (g_restore_privilege) set_backup_privilege(false);
  }
  static void reclaim_privilege() {
    if (g_restore_privilege) set_backup_privilege(true);
  }

  bool privilege_was_disabled_ = false;  // enable_backup_privilege enabled it
  bool enabled_by_us_ = false;           // and it is enabled now
  // The token and SeBackupPrivilege's LUID, kept once enable_backup_privilege has enabled it.
  UniqueHandle adjust_token_;
  LUID backup_luid_{};

  // One AdjustTokenPrivileges on the kept token; false when it assigned nothing.
  bool adjust_backup_privilege(bool enabled) {
    TOKEN_PRIVILEGES change{};
    change.PrivilegeCount = 1;
    change.Privileges[0].Luid = backup_luid_;
    change.Privileges[0].Attributes = enabled ? SE_PRIVILEGE_ENABLED : 0;
    return AdjustTokenPrivileges(adjust_token_.get(), FALSE, &change, 0, nullptr, nullptr) &&
           GetLastError() == ERROR_SUCCESS;
  }

  static bool is_member(WELL_KNOWN_SID_TYPE type) {
    unsigned char sid[SECURITY_MAX_SID_SIZE];
    DWORD size = sizeof sid;
    BOOL member = FALSE;
    return CreateWellKnownSid(type, nullptr, sid, &size) &&
           CheckTokenMembership(nullptr, sid, &member) && member;
  }

};

}  // namespace

std::unique_ptr<session::Environment> make_environment() {
  return std::make_unique<WindowsEnvironment>();
}

}  // namespace shadowctl::platform
