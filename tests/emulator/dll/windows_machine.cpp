#include "windows_machine.h"

#include <windows.h>

#include "platform/windows/unicode.h"

namespace shadowctl::emulator::dll {

namespace {

// The prefix's dosdevices\globalroot\Device, made if need be: Wine 8 maps \\?\GLOBALROOT\...
// to the dosdevices entry "globalroot", so a frozen tree kept there as
// HarddiskVolumeShadowCopyN is read at the device path a shadow copy has on Windows. Wine
// passes WINEPREFIX (a Unix path) into the environment and reaches any Unix path as
// \\?\unix\...; empty when not under Wine.
std::string contents_store() {
  const DWORD size = GetEnvironmentVariableW(L"WINEPREFIX", nullptr, 0);
  if (size == 0) return {};
  std::wstring prefix(size, L'\0');
  prefix.resize(GetEnvironmentVariableW(L"WINEPREFIX", prefix.data(), size));
  for (auto& c : prefix)
    if (c == L'/') c = L'\\';
  std::wstring store = L"\\\\?\\unix" + prefix;
  for (const wchar_t* part : {L"\\dosdevices", L"\\globalroot", L"\\Device"}) {
    store += part;
    CreateDirectoryW(store.c_str(), nullptr);  // ERROR_ALREADY_EXISTS is what we want too
  }
  return platform::to_utf8(store);
}

}  // namespace

MachineState machine_from_windows() {
  MachineState m = default_machine();
  m.volumes.clear();
  m.storage.clear();
  // VSS_SNAPSHOT_PROP's originating and service machines are the DNS name, as vssadmin's
  // "Originating machine: server01.contoso.com" shows, not the upper-case NetBIOS name.
  wchar_t computer[256] = {};
  DWORD size = 256;
  if (GetComputerNameExW(ComputerNameDnsFullyQualified, computer, &size))
    m.machine_name = platform::to_utf8(std::wstring_view(computer, size));

  wchar_t drives[512] = {};
  const DWORD n = GetLogicalDriveStringsW(511, drives);
  for (const wchar_t* d = drives; n && *d; d += wcslen(d) + 1) {
    if (GetDriveTypeW(d) != DRIVE_FIXED) continue;
    // A drive without a volume GUID name (Wine's Z:, a subst) is no volume VSS can shadow.
    wchar_t name[64] = {};
    if (!GetVolumeNameForVolumeMountPointW(d, name, 64)) continue;
    Volume v;
    v.name = platform::to_utf8(name);
    v.mount_points = {platform::to_utf8(d)};
    // The file system stays the default NTFS: GetVolumeInformationW makes Wine read the device
    // behind Z: and print to the tool's stderr, and this DLL only ever runs under Wine.
    ULARGE_INTEGER total{};
    if (GetDiskFreeSpaceExW(d, nullptr, &total, nullptr)) v.capacity = total.QuadPart;
    // Its files, frozen into each shadow copy of it if the tree is small enough
    // (kContentsMaxEntries, kContentsMaxBytes), else served without contents.
    v.content_root = v.mount_points.front();
    m.storage.push_back({v.name, v.name, 0, 0, 10ull * 1024 * 1024 * 1024});
    m.volumes.push_back(std::move(v));
  }
  m.contents_store = contents_store();
  return m;
}

FolderState folder_from_windows(const std::string& path) {
  const std::wstring wide = platform::to_wide(path);
  const DWORD attributes = GetFileAttributesW(wide.c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) return FolderState::missing;
  if ((attributes & FILE_ATTRIBUTE_DIRECTORY) == 0 ||
      (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0)
    return FolderState::not_a_folder;
  WIN32_FIND_DATAW found;
  const HANDLE find = FindFirstFileW((wide + L"\\*").c_str(), &found);
  bool empty = true;
  if (find != INVALID_HANDLE_VALUE) {
    do {
      const std::wstring name = found.cFileName;
      if (name != L"." && name != L"..") empty = false;
    } while (empty && FindNextFileW(find, &found));
    FindClose(find);
  }
  return empty ? FolderState::empty_folder : FolderState::not_empty;
}

}  // namespace shadowctl::emulator::dll
