// Reads shadowctl.exe's resources as Windows does: the RT_MANIFEST the loader applies, and
// the version resource that Explorer's Details tab and Get-Item's VersionInfo show.
// Usage: read_resources EXE; prints "manifest:" and the XML, then one "NAME=value" a line.
#include <windows.h>

#include <cstdio>
#include <string>

namespace {

void print_utf8(const wchar_t* text) {
  const int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n > 0 ? n - 1 : 0), '\0');
  if (n > 1) WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), n, nullptr, nullptr);
  std::fputs(out.c_str(), stdout);
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  if (argc != 2) return 2;
  HMODULE image =
      LoadLibraryExW(argv[1], nullptr, LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE);
  if (!image) return 3;
  HRSRC found = FindResourceW(image, MAKEINTRESOURCEW(1), MAKEINTRESOURCEW(24));
  if (!found) return 4;
  const char* manifest = static_cast<const char*>(LockResource(LoadResource(image, found)));
  std::printf("manifest:\n%.*s\n", static_cast<int>(SizeofResource(image, found)), manifest);
  FreeLibrary(image);

  DWORD ignored = 0;
  const DWORD size = GetFileVersionInfoSizeW(argv[1], &ignored);
  if (size == 0) return 5;
  std::string block(size, '\0');
  if (!GetFileVersionInfoW(argv[1], 0, size, block.data())) return 6;
  VS_FIXEDFILEINFO* fixed = nullptr;
  UINT length = 0;
  if (!VerQueryValueW(block.data(), L"\\", reinterpret_cast<void**>(&fixed), &length)) return 7;
  std::printf("FixedFileVersion=%d.%d.%d.%d\n", HIWORD(fixed->dwFileVersionMS),
              LOWORD(fixed->dwFileVersionMS), HIWORD(fixed->dwFileVersionLS),
              LOWORD(fixed->dwFileVersionLS));
  for (const wchar_t* name :
       {L"CompanyName", L"FileDescription", L"FileVersion", L"InternalName", L"LegalCopyright",
        L"OriginalFilename", L"ProductName", L"ProductVersion"}) {
    const std::wstring path = std::wstring(L"\\StringFileInfo\\040904B0\\") + name;
    wchar_t* value = nullptr;
    if (!VerQueryValueW(block.data(), path.c_str(), reinterpret_cast<void**>(&value), &length))
      continue;
    print_utf8(name);
    std::fputs("=", stdout);
    print_utf8(value);
    std::fputs("\n", stdout);
  }
  return 0;
}
