#pragma once

#include <windows.h>

#include <string>
#include <vector>

namespace shadowctl::platform {

// Every folder above a file, from its drive or volume root down, opened without following a
// reparse point and held without FILE_SHARE_DELETE: a junction, symbolic link or mount point
// in any of them is refused, and while they are held none can be renamed away and replaced by
// one, so the path checked is the path written. For every file shadowctl writes and every
// folder it examines for the user.
class HeldFolders {
 public:
  HeldFolders() = default;
  ~HeldFolders();
  HeldFolders(const HeldFolders&) = delete;
  HeldFolders& operator=(const HeldFolders&) = delete;
  // Holds the folders above `path` (made absolute first). False with `why` when one is a
  // reparse point or is not a folder, or cannot be opened (why then names the error).
  bool hold(const std::wstring& path, std::string& why);
  // The absolute path, as held.
  const std::wstring& full_path() const { return full_; }
  // The Win32 error that failed hold(), or 0 when it refused a reparse point or a file.
  DWORD error() const { return error_; }

 private:
  std::vector<HANDLE> held_;
  std::wstring full_;
  DWORD error_ = 0;
};

// A security descriptor with a protected DACL: full control for SYSTEM, Administrators and
// the file's owner (OWNER RIGHTS), nothing inherited from the folder. Every file shadowctl
// creates gets it, so what an elevated run writes is not editable by whoever may write in
// the folder. Null (the folder's ACL then applies) only if Windows cannot build it.
class ProtectedDescriptor {
 public:
  ProtectedDescriptor();
  ~ProtectedDescriptor();
  ProtectedDescriptor(const ProtectedDescriptor&) = delete;
  ProtectedDescriptor& operator=(const ProtectedDescriptor&) = delete;
  PSECURITY_DESCRIPTOR get() const { return descriptor_; }

 private:
  PSECURITY_DESCRIPTOR descriptor_ = nullptr;
};

}  // namespace shadowctl::platform
